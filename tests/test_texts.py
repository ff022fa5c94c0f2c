"""The coordinators' own words (texts/): Markdown and Word read into the same blocks."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import docx
import pytest
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from ess_coop import texts
from ess_coop.errors import UserError
from ess_coop.texts import check_texts, parse_markdown, read_texts

MARKDOWN = """\
<!-- Un exemple que personne ne lira. -->
# Pourquoi ce référentiel

Un paragraphe avec du **gras**, de l'*italique*
et un [lien](https://example.org).

- une puce
  - une sous-puce
- une autre

3. troisième
4. quatrième
"""


def shape(blocks: list[texts.Block]) -> list[tuple[str, int, int | None, str]]:
    return [(b.kind, b.level, b.number, b.text) for b in blocks]


def test_markdown_blocks_and_spans() -> None:
    blocks = parse_markdown(MARKDOWN)
    assert shape(blocks) == [
        ("heading", 1, None, "Pourquoi ce référentiel"),
        ("paragraph", 1, None, "Un paragraphe avec du gras, de l'italique et un lien."),
        ("bullet", 1, None, "une puce"),
        ("bullet", 2, None, "une sous-puce"),
        ("bullet", 1, None, "une autre"),
        ("number", 1, 3, "troisième"),
        ("number", 1, 4, "quatrième"),
    ]
    spans = {(s.text, s.bold, s.italic, s.link) for s in blocks[1].spans}
    assert {("gras", True, False, None), ("italique", False, True, None)} <= spans
    assert ("lien", False, False, "https://example.org") in spans


def test_a_comment_alone_is_an_empty_text(tmp_path: Path) -> None:
    (tmp_path / "texts").mkdir()
    (tmp_path / "texts/introduction.md").write_text("<!-- exemple -->\n", encoding="utf-8")
    assert read_texts(tmp_path) == {}


def word_text() -> bytes:
    document = docx.Document()
    document.add_paragraph("Un intertitre", "Heading 1")
    paragraph = document.add_paragraph("Du ")
    paragraph.add_run("gras").bold = True
    paragraph.add_run(" et de l'")
    paragraph.add_run("italique").italic = True
    paragraph.add_run(" ")
    link = OxmlElement("w:hyperlink")
    link.set(qn("r:id"), paragraph.part.relate_to("https://example.org", RELATIONSHIP_TYPE.HYPERLINK, True))
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "un lien"
    run.append(text)
    link.append(run)
    paragraph._p.append(link)
    document.add_paragraph("une puce", "List Bullet")
    document.add_paragraph("une sous-puce", "List Bullet 2")
    document.add_paragraph("première", "List Number")
    document.add_paragraph("deuxième", "List Number")
    document.add_paragraph("")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_word_blocks_and_spans(tmp_path: Path) -> None:
    path = tmp_path / "texts/conclusion.docx"
    path.parent.mkdir()
    path.write_bytes(word_text())
    blocks = read_texts(tmp_path)["conclusion"]
    assert shape(blocks) == [
        ("heading", 1, None, "Un intertitre"),
        ("paragraph", 1, None, "Du gras et de l'italique un lien"),
        ("bullet", 1, None, "une puce"),
        ("bullet", 2, None, "une sous-puce"),
        ("number", 1, 1, "première"),
        ("number", 1, 2, "deuxième"),
    ]
    spans = {(s.text, s.bold, s.italic, s.link) for s in blocks[1].spans}
    assert {("gras", True, False, None), ("italique", False, True, None)} <= spans
    assert ("un lien", False, False, "https://example.org") in spans


def test_a_docx_that_unpacks_too_large_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import dataclasses

    monkeypatch.setattr(texts, "DOCX_LIMITS", dataclasses.replace(texts.DOCX_LIMITS, total=1000))
    path = tmp_path / "texts/actors.docx"
    path.parent.mkdir()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", "0" * 5000)
    with pytest.raises(UserError) as caught:
        read_texts(tmp_path)
    assert caught.value.render("fr").startswith(
        "texts/actors.docx: document refusé : une fois décompressé, il fait 0.0 Mo (maximum 0.0 Mo)"
    )


def test_a_text_that_is_a_link_out_of_the_workspace_is_never_read(tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere.md"
    elsewhere.write_text("Un fichier hors de l'espace de travail.", encoding="utf-8")
    root = tmp_path / "ws"
    (root / "texts").mkdir(parents=True)
    (root / "texts/introduction.md").symlink_to(elsewhere)
    with pytest.raises(UserError) as caught:
        read_texts(root)
    assert caught.value.code == "link-outside-workspace"
    (root / "texts/introduction.md").unlink()
    (root / "texts/introduction.md").symlink_to("/dev/zero")  # a device: never opened either
    with pytest.raises(UserError) as caught:
        read_texts(root)
    assert caught.value.code == "link-outside-workspace"


def test_check_names_duplicates_and_unreadable(tmp_path: Path) -> None:
    folder = tmp_path / "texts"
    folder.mkdir()
    (folder / "introduction.md").write_text("Bonjour.", encoding="utf-8")
    (folder / "introduction.docx").write_bytes(word_text())
    (folder / "intro.md").write_text("Bonjour.", encoding="utf-8")
    (folder / "sdgs.md").write_bytes("Été".encode("latin-1"))
    (folder / ".~lock.introduction.docx#").write_text("lock", encoding="utf-8")
    found = [(p.code, p.path) for p in check_texts(tmp_path, "en")]
    assert found == [
        ("texts-unknown-file", "texts/intro.md"),
        ("texts-duplicate", "texts/introduction.docx"),
        ("texts-unreadable", "texts/sdgs.md"),
    ]
    (folder / "sdgs.md").unlink()
    assert [b.text for b in read_texts(tmp_path)["introduction"]] == ["Bonjour."]  # the .md, not the .docx


@pytest.mark.parametrize("kind", ["fifo", "device", "outside"])
def test_validate_reports_a_text_that_is_not_a_regular_file(tmp_path: Path, kind: str) -> None:
    import os

    root = tmp_path / "ws"
    (root / "texts").mkdir(parents=True)
    target = root / "texts/introduction.md"
    if kind == "fifo":
        os.mkfifo(target)  # would hang a reader that opened it
    elif kind == "device":
        target.symlink_to("/dev/zero")  # would never end
    else:
        (tmp_path / "elsewhere.md").write_text("Hors de l'espace.", encoding="utf-8")
        target.symlink_to(tmp_path / "elsewhere.md")
    problems = texts.check_texts(root, "fr")
    assert [(p.code, p.path) for p in problems] == [("texts-unreadable", "texts/introduction.md")]
    expected = "lien symbolique" if kind != "fifo" else "ce n'est pas un fichier ordinaire"
    assert expected in problems[0].params["reason"]
