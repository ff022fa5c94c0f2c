"""Word building blocks: templates, fields, tables, cleaning, reproducible bytes, rendering."""

from __future__ import annotations

import io
import subprocess
import zipfile
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import docx
import pytest
from docx.document import Document
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml.ns import qn

from ess_coop import docx_base
from ess_coop.charts import grouped_bar_png
from ess_coop.errors import UserError
from samples import libreoffice

WHEN = datetime(2024, 7, 1, 12, 30, tzinfo=UTC)


def _template(tmp_path: Path, edit: Callable[[Document], None], name: str = "modele.docx") -> Path:
    """A copy of the default template, changed by ``edit`` (as a user's template would be)."""
    document = docx.Document(str(docx_base.default_template()))
    edit(document)
    path = tmp_path / name
    document.save(str(path))
    return path


def _reopen(document: Document) -> Document:
    return docx.Document(io.BytesIO(docx_base.to_bytes(document)))


def _instructions(element: Any) -> str:
    return " ".join(t.text for t in element.iter(qn("w:instrText")))


def _full_document() -> Document:
    document = docx_base.open_document(None)
    document.add_paragraph("Référentiel commun", style="Title")
    docx_base.add_banner(document, "DONNÉES D’EXEMPLE")
    docx_base.add_toc(document, "Clic droit → Mettre à jour le champ…")
    document.add_paragraph("Les acteurs", style="Heading 1")
    document.add_paragraph(docx_base.clean_text("Texte\x00 éwé : ɖ ɛ ɔ ŋ ʋ"))
    rows = [[f"Thème {i}", "Association A\nCoopérative B", str(i)] for i in range(60)]
    docx_base.add_table(document, ["Thème", "Acteurs", "N"], rows, widths_cm=[7, 7, 2], caption="Tableau 1 — Attentes")
    docx_base.add_bullets(document, ["Attentes", "Contributions"])
    png = grouped_bar_png(
        ["Formation", "Finances"], {"France": [1, 2], "Togo": [3, 0]}, title="Attentes", xlabel="Acteurs"
    )
    docx_base.add_picture(document, png, 15, "Figure 1 — Attentes par thème")
    docx_base.add_page_number_footer(document, "Page {page} / {pages}")
    docx_base.set_running_header(document, "DONNÉES D’EXEMPLE")
    docx_base.set_properties(document, title="Référentiel", subject="ESS", language="fr-FR", when=WHEN)
    return document


def test_default_template_has_required_styles_and_no_body() -> None:
    document = docx_base.open_document(None)
    for name in docx_base.REQUIRED_STYLES:
        assert document.styles[name].name == name
    assert document.element.body.getchildren()[-1].tag == qn("w:sectPr")
    assert len(document.element.body) == 1


def test_missing_styles_and_numbering_are_copied(tmp_path: Path) -> None:
    def strip(document: Document) -> None:
        styles = document.styles.element
        for name in ("heading 1", "List Bullet", docx_base.TABLE_STYLE):
            styles.remove(styles.get_by_name(name))
        numbering = next(k for k, r in document.part.rels.items() if r.reltype == RT.NUMBERING)
        del document.part.rels[numbering]

    document = docx_base.open_document(_template(tmp_path, strip))
    document.add_paragraph("Titre", style="Heading 1")
    docx_base.add_bullets(document, ["un"])
    docx_base.add_table(document, ["a"], [["b"]])
    reopened = _reopen(document)
    bullet = reopened.styles["List Bullet"].element
    num_id = bullet.find(f"{qn('w:pPr')}/{qn('w:numPr')}/{qn('w:numId')}").get(qn("w:val"))
    nums = reopened.part.numbering_part.element.findall(qn("w:num"))
    assert num_id in {n.get(qn("w:numId")) for n in nums}
    assert reopened.styles["Heading 1"].base_style.name == "Normal"


@pytest.mark.parametrize(("stored", "ui_name"), [("Heading 1", "Heading 1"), ("list bullet", "List Bullet")])
def test_style_names_differing_by_case_map_to_the_existing_style(tmp_path: Path, stored: str, ui_name: str) -> None:
    original_id = docx.Document(str(docx_base.default_template())).styles[ui_name].style_id

    def rename(document: Document) -> None:
        document.styles[ui_name].element.name_val = stored  # as LibreOffice spells it

    path = _template(tmp_path, rename)
    count = len(docx.Document(str(path)).styles)
    document = docx_base.open_document(path)
    assert document.styles[ui_name].style_id == original_id
    assert len(document.styles) == count


def test_a_word_template_dotx_is_accepted(tmp_path: Path) -> None:
    docx_path = _template(tmp_path, lambda document: None)
    dotx = tmp_path / "charte.dotx"
    with zipfile.ZipFile(docx_path) as src, zipfile.ZipFile(dotx, "w") as dst:
        for info in src.infolist():
            blob = src.read(info)
            if info.filename == "[Content_Types].xml":
                blob = blob.replace(b"document.main+xml", b"template.main+xml")
            dst.writestr(info, blob)
    assert docx_base.open_document(dotx).styles["Heading 1"]


@pytest.mark.parametrize("content", [None, b"", b"not a zip", b"PK\x05\x06" + bytes(18)])
def test_unreadable_template(tmp_path: Path, content: bytes | None) -> None:
    path = tmp_path / "charte.docx"
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(UserError) as caught:
        docx_base.open_document(path)
    expected = "path-missing" if content is None else "template-unreadable"  # no file: said plainly
    assert (caught.value.code, caught.value.path) == (expected, path)
    assert content is None or caught.value.params["detail"]


def test_toc_field_and_update_on_open() -> None:
    document = docx_base.open_document(None)
    docx_base.add_toc(document, "Mettre à jour")
    reopened = _reopen(document)
    assert 'TOC \\o "1-3" \\h \\z \\u' in _instructions(reopened.element.body)
    assert "Mettre à jour" in reopened.paragraphs[0].text
    update = reopened.settings.element.find(qn("w:updateFields"))
    assert update.get(qn("w:val")) == "true"


def test_page_number_footer_and_running_header() -> None:
    document = docx_base.open_document(None)
    docx_base.add_page_number_footer(document, "Page {page} / {pages}")
    docx_base.set_running_header(document, "EXAMPLE DATA")
    section = _reopen(document).sections[0]
    assert _instructions(section.footer._element).split() == ["PAGE", "NUMPAGES"]
    assert section.footer.paragraphs[0].text == "Page 1 / 1"
    assert section.header.paragraphs[0].text == "EXAMPLE DATA"


def test_table_has_style_repeating_header_and_clean_text() -> None:
    document = docx_base.open_document(None)
    docx_base.add_table(document, ["Thème", "N"], [["Fin\x00ances", "2"]], widths_cm=[10, 2], caption="Tableau 1")
    reopened = _reopen(document)
    table = reopened.tables[0]
    assert table.style.name == docx_base.TABLE_STYLE
    assert table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
    assert [c.text for c in table.rows[1].cells] == ["Finances", "2"]
    assert round(table.columns[0].width.cm, 2) == 10
    assert reopened.paragraphs[0].style.name == "Caption"


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("a\x00b", "ab"),
        ("a\x0bb\x1f", "ab"),
        ("\ufffeok\uffff", "ok"),
        ("x\ud800y", "xy"),
        ("Adɖa ɛ ɔ ŋ ʋ é", "Adɖa ɛ ɔ ŋ ʋ é"),
        ("a\tb\r\nc\rd", "a\tb\nc\nd"),
    ],
)
def test_clean_text(raw: str, clean: str) -> None:
    assert docx_base.clean_text(raw) == clean


def test_output_is_reproducible_with_fixed_zip_dates() -> None:
    first, second = (docx_base.to_bytes(_full_document()) for _ in range(2))
    assert first == second
    with zipfile.ZipFile(io.BytesIO(first)) as archive:
        assert {info.date_time for info in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}


def test_core_properties_name_no_person() -> None:
    data = docx_base.to_bytes(_full_document())
    properties = docx.Document(io.BytesIO(data)).core_properties
    assert (properties.author, properties.last_modified_by) == ("ess-coop", "ess-coop")
    assert properties.created == properties.modified == WHEN
    assert (properties.revision, properties.language, properties.comments) == (1, "fr-FR", "")
    assert "docProps/app.xml" not in zipfile.ZipFile(io.BytesIO(data)).namelist()


def test_full_document_renders_with_libreoffice(tmp_path: Path) -> None:
    source = tmp_path / "referentiel.docx"
    source.write_bytes(docx_base.to_bytes(_full_document()))
    subprocess.run(
        [
            libreoffice(),
            f"-env:UserInstallation={(tmp_path / 'lo-profile').as_uri()}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    pdf = tmp_path / "referentiel.pdf"
    assert pdf.read_bytes().startswith(b"%PDF")
    assert pdf.stat().st_size > 20_000


@pytest.mark.parametrize("dot", ["\u2e31", "\u2027", "\u22c5", "\u2219", "\u00b7"])
def test_inclusive_dots_become_the_middle_dot_every_font_has(dot: str) -> None:
    assert docx_base.clean_text(f"acteur{dot}ice{dot}s togolais{dot}e{dot}s") == "acteur·ice·s togolais·e·s"


@pytest.mark.parametrize(
    ("text", "printed"),
    [
        ("Quelle est la loi ?", "Quelle est la loi\u00a0?"),
        ("« citation » : oui ; non !", "«\u00a0citation\u00a0»\u00a0: oui\u00a0; non\u00a0!"),
        ("Note: English keeps its spaces; fine?", "Note: English keeps its spaces; fine?"),
    ],
)
def test_french_punctuation_is_never_alone_at_the_start_of_a_line(text: str, printed: str) -> None:
    assert docx_base.printable(text) == printed


def test_xml_of_is_the_element_behind_each_kind_of_object() -> None:
    """``xml_of`` gives python-docx's own element: the right one for each kind of object, and
    what is changed there is changed in the document."""
    from PIL import Image

    png = io.BytesIO()
    Image.new("RGB", (4, 4), "white").save(png, "PNG")
    document = docx_base.open_document()
    paragraph = document.add_paragraph("texte")
    table = docx_base.add_table(document, ["A", "B"], [["1", "2"]])
    picture = document.add_paragraph().add_run().add_picture(io.BytesIO(png.getvalue()))
    proxies: dict[str, Any] = {
        "p": paragraph,
        "r": paragraph.runs[0],
        "tbl": table,
        "tr": table.rows[0],
        "tc": table.rows[0].cells[0],
        "inline": picture,
        "coreProperties": document.core_properties,
    }
    assert {kind: str(docx_base.xml_of(proxy).tag).rsplit("}", 1)[-1] for kind, proxy in proxies.items()} == {
        kind: kind for kind in proxies
    }
    cell = table.rows[1].cells[1]
    docx_base.xml_of(cell).add_p()
    assert len(cell.paragraphs) == 2


def test_only_docx_base_reads_python_docx_internals() -> None:
    """The one seam: no other module reaches behind python-docx's objects (``._p``, ``._tbl``,
    ``._body``, ``BabelFish``…), they ask ``docx_base.xml_of``; in docx_base, only the seam does."""
    import re

    private = re.compile(r"\._(p|r|tc|tr|tbl|inline|element|body)\b|BabelFish")
    source = Path(docx_base.__file__).parent
    outside = [
        f"{path.relative_to(source)}:{number}"
        for path in sorted(source.rglob("*.py"))
        if path.name != "docx_base.py"
        for number, line in enumerate(path.read_text("utf-8").splitlines(), 1)
        if private.search(line)
    ]
    assert outside == []
    lines = Path(docx_base.__file__).read_text("utf-8").splitlines()
    start = next(n for n, line in enumerate(lines) if line.startswith("# --- the one seam to python-docx"))
    end = next(n for n in range(start + 1, len(lines)) if lines[n].startswith("# --- "))
    inside = [n for n, line in enumerate(lines) if private.search(line) and not line.startswith("from docx")]
    assert inside
    assert all(start < n < end for n in inside), [lines[n] for n in inside]
