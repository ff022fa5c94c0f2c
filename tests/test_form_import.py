"""Importing a filled Word form: a person's filling, saved by Word or LibreOffice, reads the same."""

from __future__ import annotations

import datetime as dt
import re
import subprocess
from itertools import takewhile
from pathlib import Path
from typing import Any

import docx
import pytest
from docx.document import Document
from docx.oxml import parse_xml
from docx.oxml.ns import qn
from docx.table import Table, _Cell, _Row

from ess_coop.errors import UserError
from ess_coop.forms.importer import ImportResult, import_form
from ess_coop.forms.writer import MARKER_PATTERN, write_form
from ess_coop.validation import check_workspace
from ess_coop.yamlio import parse_yaml, read_yaml, render_transcript, round_trips
from samples import MakeWorkspace, libreoffice

DATE = dt.date(2025, 1, 2)

# --- filling a form the way a person does: by what is printed, with python-docx ---------------


def _visible(cell: _Cell) -> str:
    return MARKER_PATTERN.sub("", cell.text).strip()


def _row(document: Document, label: str) -> _Row:
    """The row whose first cell reads ``label`` (a field of the form)."""
    return next(r for table in document.tables for r in table.rows if _visible(r.cells[0]).startswith(label))


def _table(document: Document, first_header: str, after: str | None = None) -> Table:
    """The table whose header starts with ``first_header`` (the first one after caption ``after``)."""
    seen = after is None
    for block in document.iter_inner_content():
        if not isinstance(block, Table):
            seen = seen or block.text == after
            continue
        if seen and _visible(block.rows[0].cells[0]).startswith(first_header):
            return block
    raise LookupError(first_header)


def _tick(cell: _Cell, label: str, mark: str = "☒") -> None:
    """Tick the box of ``label`` (Word shows ☒ after a click; people also type an X)."""
    texts = list(cell._tc.iter(qn("w:t")))
    for index, glyph in enumerate(texts):
        if glyph.text in ("☐", "☒"):
            after = takewhile(lambda t: t.text not in ("☐", "☒"), texts[index + 1 :])
            following = "".join(t.text or "" for t in after)
            glyph.text = mark if following.strip() == label else "☐"


def _fill(table: Table, rows: list[list[str]], *, start: int = 1) -> None:
    """Type ``rows`` from row ``start`` on, adding rows at the end as Word's Tab key does."""
    for index, values in enumerate(rows, start=start):
        row = table.rows[index] if index < len(table.rows) else table.add_row()
        for cell, value in zip(row.cells, values, strict=True):
            cell.text = value


def _new_form(root: Path, actor: str = "tg-a", lang: str = "fr") -> tuple[Path, Document]:
    ws, _ = check_workspace(root)
    path = write_form(ws, actor, date=DATE, interviewers=["Xylm"], mode="video", lang=lang)
    return path, docx.Document(str(path))


def _import(root: Path, path: Path, lang: str = "fr") -> ImportResult:
    ws, _ = check_workspace(root)
    return import_form(ws, path, lang=lang)


def _libreoffice_copy(path: Path, tmp_path: Path, folder: str = "saved-by-libreoffice") -> Path:
    """``path`` opened and saved again by LibreOffice, in another folder."""
    soffice = libreoffice()
    out = tmp_path / folder
    subprocess.run(
        [soffice, f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}", "--headless",
         "--convert-to", "docx:MS Word 2007 XML", "--outdir", str(out), str(path)],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    return out / path.name


# --- the round trip ------------------------------------------------------------------------------

PASTED = "Col1\tCol2\n  indented: yes\n#3"

EXPECTED: dict[str, Any] = {
    "format": "1",
    "id": "2025-01-02-tg-a",
    "actor": "tg-a",
    "date": "2025-01-02",
    "status": "draft",
    "guide": "guide-test@1",
    "mode": "phone",
    "language": "fr",
    "interviewers": ["Xylm", "Kossi Ɖogbe"],
    "interviewees": [
        {"ref": "P1", "name": "Ama Ɖogbé", "role": "Coordinatrice"},
        {"ref": "P2", "role": "Trésorier", "consent": "none"},  # the person's own consent
    ],
    "consent": {"recording": "true", "quotes": "anonymous", "review_before_publication": "true"},
    "answers": {
        "mission": "Nous accompagnons les femmes de Kpalimé.\nƉeka, ɛ, ɔ, ŋ, ʋ : tout le monde.\n0123, no, 1:30",
        "activites": PASTED,
        "loi-ess": None,
    },
    "expectations": [
        {"text": "Apprendre le compostage", "themes": ["compost"], "sdgs": ["8"], "priority": "high"},
        {"text": "no", "themes": ["financement", "gouvernance"], "sdgs": ["9", "17"], "priority": "medium"},
        {"text": "Ligne ajoutée : 5", "themes": ["plastique"], "sdgs": ["12"]},
    ],
    "contributions": [{"text": "Formation des animatrices", "themes": ["gouvernance"], "sdgs": ["8", "16"]}],
    "constraints": [{"text": "Saison des pluies"}],
    "quotes": [{"text": 'Elle a dit : "#1, c\'est nous"', "speaker": "P1", "themes": ["gouvernance"]}],
    "notes": "0123",
}


def _fill_everything(document: Document) -> None:
    _row(document, "Enquêteurs").cells[1].text = "Xylm, Kossi Ɖogbe"
    _tick(_row(document, "Mode").cells[1], "téléphone")
    _tick(_row(document, "Enregistrement").cells[1], "oui")
    _tick(_row(document, "Citations").cells[1], "anonymes", mark="X")
    # Relecture left empty: the default (yes) applies, and a finding says so.
    _fill(_table(document, "Réf."), [["P1", "Ama Ɖogbé", "Coordinatrice", ""], ["", "", "Trésorier", "Aucune"]])
    mission = _table(document, "Quelle est votre mission").rows[1].cells[0]
    mission.text = "Nous accompagnons les femmes de Kpalimé.\nƉeka, ɛ, ɔ, ŋ, ʋ : tout le monde."
    mission.add_paragraph("0123, no, 1:30")
    _table(document, "Vos activités").rows[1].cells[0].text = PASTED
    expectations = [
        ["Apprendre le compostage", "Compostage", "Travail décent et croissance économique", "haute"],
        ["no", "financement; Gouvernance", "ODD 9, SDG 17", "Moyenne"],
        ["", "", "", ""],
        ["", "", "", ""],
        ["Ligne ajoutée : 5", "Déchets plastiques", "12", ""],  # a fifth row, added
    ]
    _fill(_table(document, "Texte"), expectations)
    _fill(_table(document, "Texte", after="Apports (ce que la structure peut offrir)"),
          [["Formation des animatrices", "gouvernance", "8 et 16"]])  # fmt: skip
    _fill(_table(document, "Texte", after="Contraintes"), [["Saison des pluies", ""]])
    quotes = _table(document, "Texte", after="Citations mot pour mot (selon le consentement)")
    _fill(quotes, [['Elle a dit : "#1, c\'est nous"', "p1", "Gouvernance"]])
    _table(document, "Notes de l'enquêteur").rows[1].cells[0].text = "0123"


def test_round_trip_through_word_and_libreoffice(make_workspace: MakeWorkspace, tmp_path: Path) -> None:
    root = make_workspace()
    path, document = _new_form(root)
    blank_by_libreoffice = _libreoffice_copy(path, tmp_path, "blank")  # to fill a form LibreOffice saved
    _fill_everything(document)
    document.save(str(path))  # python-docx saves as Word does: XML as we wrote it, plus the typing
    filled_after_libreoffice = docx.Document(str(blank_by_libreoffice))
    _fill_everything(filled_after_libreoffice)
    filled_after_libreoffice.save(str(blank_by_libreoffice))
    copies = {
        "word": path,
        "libreoffice": _libreoffice_copy(path, tmp_path),
        "filled after a LibreOffice save": blank_by_libreoffice,
    }
    for saved_by, copy in copies.items():
        result = _import(root, copy)
        assert result.transcript_path == root / "interviews/tg-a/2025-01-02-tg-a.yaml", saved_by
        assert read_yaml(result.transcript_path).data == EXPECTED, saved_by
        assert [(f.code, f.place) for f in result.findings] == [
            ("import-consent-empty", "champ « Relecture de la fiche avant publication »"),
            ("import-ref-added", "tableau « Personnes interrogées », ligne 2"),
        ], saved_by
        assert [i.code for i in result.report.issues] == ["names-without-consent"], saved_by
        result.transcript_path.unlink()  # make room for the other copy's import


# --- focused behaviours ---------------------------------------------------------------------------


@pytest.mark.parametrize("lost", ["markers", "bookmarks"])
def test_either_identifier_is_enough(make_workspace: MakeWorkspace, lost: str) -> None:
    root = make_workspace()
    path, document = _new_form(root)
    _fill_everything(document)
    body = document.element.body
    if lost == "markers":  # hidden text shown, then deleted
        for text in list(body.iter(qn("w:t"))):
            if MARKER_PATTERN.fullmatch(text.text or ""):
                run = text.getparent()
                run.getparent().remove(run)
    else:  # an editor that drops bookmarks
        for element in [*body.iter(qn("w:bookmarkStart")), *body.iter(qn("w:bookmarkEnd"))]:
            element.getparent().remove(element)
    document.save(str(path))
    result = _import(root, path)
    assert result.transcript_path is not None
    assert read_yaml(result.transcript_path).data == EXPECTED


def test_boxes_merged_by_deleting_the_paragraph_between_them(make_workspace: MakeWorkspace) -> None:
    root = make_workspace()
    path, document = _new_form(root)
    first, second = _table(document, "Quelle est votre mission"), _table(document, "Vos activités")
    first.rows[1].cells[0].text, second.rows[1].cells[0].text = "A", "B"
    between = first._tbl.getnext()  # Word joins two tables when the paragraph between them goes
    between.getparent().remove(between)
    for tr in second._tbl.findall(qn("w:tr")):
        first._tbl.append(tr)
    second._tbl.getparent().remove(second._tbl)
    document.save(str(path))
    result = _import(root, path)
    assert result.transcript_path is not None
    assert read_yaml(result.transcript_path).data["answers"] == {"mission": "A", "activites": "B", "loi-ess": None}


def test_unknown_theme_is_reported_located_and_left_out(make_workspace: MakeWorkspace) -> None:
    root = make_workspace()
    path, document = _new_form(root)
    _fill(_table(document, "Texte"), [["Composter", "compst, Déchets plastiques", "ODD 18", "urgente"]])
    document.save(str(path))
    result = _import(root, path)
    assert [(f.code, f.place, f.message) for f in result.findings if f.code.startswith("import-unknown")] == [
        (
            "import-unknown-theme",
            "tableau « Attentes », ligne 1, colonne « Thèmes »",
            "thème inconnu « compst », non repris (vouliez-vous dire « compost — Compostage » ?)",
        ),
        (
            "import-unknown-sdg",
            "tableau « Attentes », ligne 1, colonne « ODD »",
            "ODD inconnu « ODD 18 » (numéros 1 à 17 ou noms), non repris",
        ),
        (
            "import-unknown-priority",
            "tableau « Attentes », ligne 1, colonne « Priorité »",
            "priorité inconnue « urgente » (haute, moyenne ou basse), non reprise",
        ),
    ]
    assert result.transcript_path is not None
    data = read_yaml(result.transcript_path).data
    assert data["expectations"] == [{"text": "Composter", "themes": ["plastique"]}]


def test_existing_transcript_is_never_overwritten(make_workspace: MakeWorkspace) -> None:
    root = make_workspace()
    path, document = _new_form(root, "fr-a")
    document.save(str(path))
    first = _import(root, path)
    before = first.transcript_path.read_bytes() if first.transcript_path else b""
    second = _import(root, path)
    assert second.transcript_path == root / "interviews/fr-a/2025-01-02-fr-a-2.yaml"
    assert (second.interview_id, second.renamed_from) == ("2025-01-02-fr-a-2", "2025-01-02-fr-a")
    assert ("import-id-taken", "document") in [(f.code, f.place) for f in second.findings]
    assert first.transcript_path is not None and first.transcript_path.read_bytes() == before
    assert second.report.valid, second.report.issues


def test_the_docx_is_left_untouched(make_workspace: MakeWorkspace) -> None:
    root = make_workspace()
    path, _ = _new_form(root, "tg-b")
    before = path.read_bytes()
    result = _import(root, path, lang="en")
    assert path.read_bytes() == before
    assert result.transcript_path == path.with_suffix(".yaml")
    assert [f.code for f in result.findings] == ["import-consent-empty"] * 3
    assert result.findings[0].message == 'no box ticked: "no" used by default; check the consent collected'


@pytest.mark.parametrize(
    ("typed", "mode", "finding"),
    [
        ("visio", "video", None),  # boxes deleted, a word typed
        ("Phone", "phone", None),
        ("X en présentiel", "in-person", None),
        ("☒ visio   ☒ téléphone", None, "import-several-choices"),
        ("vélo", None, "import-unknown-choice"),
        ("☐ visio   ☐ écrit", None, None),  # nothing ticked: no mode
    ],
)
def test_choices_are_read_as_people_mark_them(
    make_workspace: MakeWorkspace, typed: str, mode: str | None, finding: str | None
) -> None:
    root = make_workspace()
    path, document = _new_form(root, "fr-b", lang="en")
    _row(document, "Mode").cells[1].text = typed
    document.save(str(path))
    result = _import(root, path)
    assert result.transcript_path is not None
    assert read_yaml(result.transcript_path).data.get("mode") == mode
    assert [f.code for f in result.findings if f.code != "import-consent-empty"] == ([finding] if finding else [])


def test_text_typed_outside_the_boxes_is_reported(make_workspace: MakeWorkspace) -> None:
    root = make_workspace()
    path, document = _new_form(root)
    box = _table(document, "Vos activités")
    box._tbl.addnext(parse_xml(  # a paragraph typed between two boxes
        '<w:p xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        "<w:r><w:t>Réponse écrite sous la case</w:t></w:r></w:p>"
    ))  # fmt: skip
    heading = next(p for p in document.paragraphs if p.text == "1. La structure")
    heading.text = "1. La structrure"  # a typo, not an answer: not reported
    question = _table(document, "Quelle est votre mission").rows[0].cells[0]
    question.add_paragraph("Oui, depuis 2010")  # typed into the question's own cell
    document.save(str(path))
    findings = [(f.code, f.place, f.message) for f in _import(root, path).findings if f.code == "import-outside"]
    assert findings == [
        (
            "import-outside",
            "après : réponse à « Vos activités ? »",
            "texte écrit hors des cases, non repris : « Réponse écrite sous la case »",
        ),
        (
            "import-outside",
            "réponse à « Quelle est votre mission ? »",
            "texte écrit hors des cases, non repris : « Oui, depuis 2010 »",  # what was typed, not the question
        ),
    ]


def test_a_document_that_is_not_a_form_is_refused(make_workspace: MakeWorkspace, tmp_path: Path) -> None:
    root = make_workspace()
    plain = tmp_path / "notes.docx"
    document = docx.Document()
    document.add_paragraph("Des notes prises à la main.")
    document.save(str(plain))
    for path, code in ((plain, "not-a-form"), (tmp_path / "notes.odt", "form-not-docx")):
        with pytest.raises(UserError) as caught:
            _import(root, path)
        assert caught.value.code == code


@pytest.mark.parametrize(
    "text",
    ["0123", "no", "1:30", "#", "a: b", "- x", "'", '"', "\\", "\ttab", "a\n  b", " lead", "trail ", "\u2028",
     "ɖɛɔŋʋ", "@x", "`", "%x", "!x", "&x", "*x", "{a}", "[b]", "|", ">", "---", "...", "null", "~", "true", "",
     "l1\n\nl3", "x\r\ny", "\x85", "\ufeff"],
)  # fmt: skip
def test_every_free_text_survives_the_yaml(text: str) -> None:
    data = {"format": 1, "id": "2025-01-02-tg-a", "answers": {"mission": text}, "notes": text,
            "quotes": [{"text": text, "speaker": text}]}  # fmt: skip
    written = render_transcript(data)
    assert round_trips(written, data), written
    assert parse_yaml(written).data["quotes"][0]["text"] == text


def test_multiline_text_is_written_as_a_block() -> None:
    written = render_transcript({"answers": {"mission": "ligne 1\nligne 2: #"}})
    assert re.search(r"mission: \|-\n    ligne 1\n    ligne 2: #\n", written)
