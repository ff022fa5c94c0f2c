"""``ess-coop comments``: comments and tracked changes of returned documents, from Word and LibreOffice."""

from __future__ import annotations

import shutil
import subprocess
import zipfile
from pathlib import Path

import docx
import pytest
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph
from typer.testing import CliRunner

import ess_coop.comments as comments_module
from ess_coop.cli import app
from ess_coop.comments import gather
from ess_coop.validation import check_workspace
from test_editions import V01

runner = CliRunner()
ON_1_SEPTEMBER_2024 = {"SOURCE_DATE_EPOCH": "1725148800"}


def tracked(paragraph: Paragraph, *, inserted: str, author: str, date: str) -> None:
    """Mark the paragraph's first run deleted and append an insertion, as Word's "track changes" does."""
    run = paragraph.runs[0]._r
    deletion = OxmlElement("w:del")
    for key, value in (("w:id", "901"), ("w:author", author), ("w:date", date)):
        deletion.set(qn(key), value)
    run.addprevious(deletion)
    deletion.append(run)
    for text in run.findall(qn("w:t")):
        text.tag = qn("w:delText")
    insertion = OxmlElement("w:ins")
    for key, value in (("w:id", "902"), ("w:author", author), ("w:date", date)):
        insertion.set(qn(key), value)
    new_run, new_text = OxmlElement("w:r"), OxmlElement("w:t")
    new_text.text = inserted
    new_run.append(new_text)
    insertion.append(new_run)
    paragraph._p.append(insertion)


@pytest.fixture(scope="module")
def returned(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Path]:
    """The workspace, a référentiel commented and corrected with python-docx, and its sheet of tg-a."""
    root = tmp_path_factory.mktemp("comments") / "ws"
    root.mkdir()
    from conftest import write_files
    from samples import BASE_FILES

    write_files(root, {**BASE_FILES, **V01})
    assert runner.invoke(app, ["build-referential", "-w", str(root)]).exit_code == 0
    assert runner.invoke(app, ["profile", "tg-a", "-w", str(root)], env=ON_1_SEPTEMBER_2024).exit_code == 0
    document = docx.Document(str(root / "output/referentiel.docx"))
    target = next(p for p in document.paragraphs if p.text.startswith("Apprendre le compostage."))
    document.add_comment(target.runs, text="Préciser : compostage collectif", author="Afi Mensah", initials="AM")
    other = next(p for p in document.paragraphs if p.text.startswith("Trouver des financements."))
    tracked(other, inserted="Trouver des financements durables.", author="Jean Dupont", date="2024-09-10T10:00:00Z")
    commented = root.parent / "referentiel-relu.docx"
    document.save(str(commented))
    sheet = docx.Document(str(root / "output/fiche-tg-a.docx"))
    target = next(p for p in sheet.paragraphs if p.text.startswith("Composter."))
    sheet.add_comment(target.runs, text="Nous compostons aussi en ville", author="Kofi", initials="K")
    sheet_path = root.parent / "fiche-tg-a-relue.docx"
    sheet.save(str(sheet_path))
    return root, commented, sheet_path


EXPECTED = [
    (
        "comment",
        "Afi Mensah",
        "Préciser : compostage collectif",
        "fr-a",
        "Attentes — ce que la structure attend du projet",
        "E01",
    ),
    (
        "deletion",
        "Jean Dupont",
        "Trouver des financements.",
        "tg-a",
        "Attentes — ce que la structure attend du projet",
        "E02",
    ),
    (
        "insertion",
        "Jean Dupont",
        "Trouver des financements durables.",
        "tg-a",
        "Attentes — ce que la structure attend du projet",
        "E02",
    ),
]


def rows(report: object) -> list[tuple[object, ...]]:
    return [(r.kind, r.author, r.text, r.partner, r.section, r.ref) for r in report.remarks]  # type: ignore[attr-defined]


def test_comments_and_tracked_changes(returned: tuple[Path, Path, Path]) -> None:
    root, commented, sheet = returned
    ws, _ = check_workspace(root)
    report = gather([commented, sheet], ws.actors)
    assert rows(report)[:3] == EXPECTED
    # On the partner's own sheet, the partner is the sheet's.
    assert rows(report)[3][:4] == ("comment", "Kofi", "Nous compostons aussi en ville", "tg-a")
    assert rows(report)[3][5] == "E02"
    assert report.remarks[1].date == "2024-09-10T10:00:00Z"


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is needed")
def test_a_document_saved_by_libreoffice(returned: tuple[Path, Path, Path], tmp_path: Path) -> None:
    root, commented, _ = returned
    profile = tmp_path / "lo-profile"
    subprocess.run(
        ["soffice", f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to", "docx:MS Word 2007 XML",
         "--outdir", str(tmp_path), str(commented)],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    saved = tmp_path / commented.name
    with zipfile.ZipFile(saved) as archive:  # really LibreOffice's file, not ours
        assert b"LibreOffice" in archive.read("docProps/app.xml")
    ws, _ = check_workspace(root)
    assert rows(gather([saved], ws.actors)) == EXPECTED


def test_the_command(returned: tuple[Path, Path, Path]) -> None:
    root, commented, _ = returned
    result = runner.invoke(app, ["comments", str(commented), "--xlsx", "-w", str(root)], env={"COLUMNS": "250"})
    assert result.exit_code == 0, result.output
    assert "3 remarque(s) dans 1 document(s)" in result.output
    assert "Afi Mensah" in result.output and "suppression" in result.output
    assert "Écrit : output/commentaires.xlsx" in result.output
    with zipfile.ZipFile(root / "output/commentaires.xlsx") as book:
        assert "Préciser : compostage collectif" in book.read("xl/worksheets/sheet1.xml").decode("utf-8")
    as_json = runner.invoke(app, ["comments", str(commented), "--format", "json", "-w", str(root)])
    ws, _ = check_workspace(root)
    assert as_json.stdout == gather([commented], ws.actors, root=root).model_dump_json(indent=2) + "\n"


def test_no_remark(returned: tuple[Path, Path, Path]) -> None:
    root = returned[0]
    result = runner.invoke(app, ["comments", str(root / "output/referentiel.docx"), "-w", str(root)])
    assert result.exit_code == 0
    assert result.output == "Aucun commentaire ni modification suivie dans 1 document(s).\n"


def test_unreadable_files(returned: tuple[Path, Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root, commented, _ = returned
    text = tmp_path / "notes.docx"
    text.write_text("pas un zip", "utf-8")
    result = runner.invoke(app, ["comments", str(text), "-w", str(root)])
    assert result.exit_code == 1
    assert result.stderr.startswith(f"Erreur : {text}: document illisible (File is not a zip file)")
    result = runner.invoke(app, ["comments", str(tmp_path / "absent.docx"), "-w", str(root)])
    assert result.stderr.startswith(f"Erreur : {tmp_path / 'absent.docx'}: fichier introuvable")
    import dataclasses

    small = dataclasses.replace(comments_module.DOCX_LIMITS, total=1000)  # sizes are checked before reading
    monkeypatch.setattr(comments_module, "DOCX_LIMITS", small)
    result = runner.invoke(app, ["comments", str(commented), "-w", str(root)])
    assert result.stderr.startswith(f"Erreur : {commented}: document refusé : une fois décompressé, il fait")


def test_entities_are_refused(returned: tuple[Path, Path, Path], tmp_path: Path) -> None:
    root, commented, _ = returned
    bomb = tmp_path / "bombe.docx"
    with zipfile.ZipFile(commented) as source, zipfile.ZipFile(bomb, "w") as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "word/comments.xml":
                data = data.replace(b"?>", b'?><!DOCTYPE x [<!ENTITY a "aaaa">]>', 1)
            target.writestr(item, data)
    result = runner.invoke(app, ["comments", str(bomb), "-w", str(root)])
    assert result.exit_code == 1
    refused = f"Erreur : {bomb}: document refusé : la partie « word/comments.xml » déclare une DTD"
    assert result.stderr.startswith(refused)


def test_a_moved_sentence(returned: tuple[Path, Path, Path], tmp_path: Path) -> None:
    root = returned[0]
    document = docx.Document(str(root / "output/referentiel.docx"))
    paragraph = next(p for p in document.paragraphs if p.text.startswith("Composter."))
    for tag, text_tag, text in (("w:moveFrom", "w:delText", "Composter."), ("w:moveTo", "w:t", "Composter en ville.")):
        move = OxmlElement(tag)
        for key, value in (("w:id", "950"), ("w:author", "Kofi"), ("w:date", "2024-09-11T09:00:00Z")):
            move.set(qn(key), value)
        run, element = OxmlElement("w:r"), OxmlElement(text_tag)
        element.text = text
        run.append(element)
        move.append(run)
        paragraph._p.append(move)
    moved = tmp_path / "deplace.docx"
    document.save(str(moved))
    ws, _ = check_workspace(root)
    assert [(r.kind, r.text, r.partner, r.ref) for r in gather([moved], ws.actors).remarks] == [
        ("deletion", "Composter.", "tg-a", "E02"),
        ("insertion", "Composter en ville.", "tg-a", "E02"),
    ]
