"""Each finding of ``import``: one case that produces it, located in the form or the export.

``tests/test_validation.py`` wants a failing case for every code of ``report.CODES``: the codes
of the imports get theirs here (a form or an export has to be built and imported, which
``CASES`` cannot hold), and ``test_every_code_has_a_case`` counts them.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from docx.document import Document

from ess_coop.kobo_import import import_export
from ess_coop.report import CODES, ERROR, Report
from ess_coop.validation import check_workspace
from kobo_samples import Record, submission, write_csv, write_json, write_xlsx
from samples import MakeWorkspace
from test_form_import import _import, _new_form, _row, _table

FormEdit = Callable[[Path, Path, Document], Path]


def _saved(path: Path, document: Document) -> Path:
    document.save(str(path))
    return path


def _copied_field(root: Path, path: Path, document: Document) -> Path:
    meta = _table(document, "Rubrique")._tbl
    second = copy.deepcopy(meta)
    meta.addnext(second)
    _row(document, "Mode").cells[1].text = "téléphone"  # the first copy's row: the second says visio
    return _saved(path, document)


def _lock(root: Path, path: Path, document: Document) -> Path:
    path.with_name(f".~lock.{path.name}#").write_text("Xylm", "utf-8")
    return _saved(path, document)


def _copied_box(root: Path, path: Path, document: Document) -> Path:
    box = _table(document, "Vos activités")._tbl
    box.addnext(copy.deepcopy(box))
    return _saved(path, document)


def _field(label: str, text: str) -> FormEdit:
    def edit(root: Path, path: Path, document: Document) -> Path:
        _row(document, label).cells[1].text = text
        return _saved(path, document)

    return edit


def _expectation(row: list[str]) -> FormEdit:
    def edit(root: Path, path: Path, document: Document) -> Path:
        for cell, text in zip(_table(document, "Texte").rows[1].cells, row, strict=True):
            cell.text = text
        return _saved(path, document)

    return edit


def _people_and_quote(people: list[list[str]], quote: list[str]) -> FormEdit:
    def edit(root: Path, path: Path, document: Document) -> Path:
        table = _table(document, "Réf.")
        for number, values in enumerate(people, start=1):
            for cell, text in zip(table.rows[number].cells, values, strict=True):
                cell.text = text
        quotes = _table(document, "Texte", after="Citations mot pour mot (selon le consentement)")
        for cell, text in zip(quotes.rows[1].cells, quote, strict=True):
            cell.text = text
        return _saved(path, document)

    return edit


def _extra_column(root: Path, path: Path, document: Document) -> Path:
    row = _table(document, "Texte").rows[1]
    row.cells[0].text = "Apprendre le compostage"
    extra = copy.deepcopy(row._tr.tc_lst[-1])
    row._tr.append(extra)
    row.cells[-1].text = "écrit dans une colonne ajoutée"
    return _saved(path, document)


def _outside(root: Path, path: Path, document: Document) -> Path:
    _table(document, "Quelle est votre mission").rows[0].cells[0].add_paragraph("Oui, depuis 2010")
    return _saved(path, document)


def _many_outside(root: Path, path: Path, document: Document) -> Path:
    for number in range(600):  # typed after the last box
        document.add_paragraph(f"passage {number} écrit hors des cases")
    return _saved(path, document)


def _other_folder(root: Path, path: Path, document: Document) -> Path:
    moved = root / "interviews/tg-b" / path.name
    moved.parent.mkdir(parents=True)
    return _saved(moved, document)


def _imported_before(root: Path, path: Path, document: Document) -> Path:
    _import(root, _saved(path, document))
    return path


FORM = "interviews/tg-a/2025-01-02-tg-a.docx"

# code -> (how the form is filled, the form as the finding shows it, the place in it)
FORM_CASES: dict[str, tuple[FormEdit, str, str]] = {
    "import-form-open": (_lock, FORM, "document"),
    "import-duplicate": (_copied_box, FORM, "réponse à « Vos activités ? »"),
    "import-duplicate-field": (_copied_field, FORM, "champ « Mode »"),
    "import-actor-guessed": (_field("Structure", "Une structure inconnue"), FORM, "champ « Structure »"),
    "import-bad-date": (_field("Date", "le deux janvier"), FORM, "champ « Date (AAAA-MM-JJ) »"),
    "import-id-changed": (_field("Identifiant", "2025-01-03-tg-a"), FORM, "champ « Identifiant de l'entretien »"),
    "import-id-taken": (_imported_before, FORM, "document"),
    "import-several-choices": (_field("Mode", "☒ visio   ☒ téléphone"), FORM, "champ « Mode »"),
    "import-unknown-choice": (_field("Mode", "vélo"), FORM, "champ « Mode »"),
    "import-consent-empty": (lambda root, path, document: _saved(path, document), FORM, "champ « Citations »"),
    "import-ref-added": (
        _people_and_quote([["", "", "Trésorier", ""]], ["", "", ""]),
        FORM,
        "tableau « Personnes interrogées », ligne 1",
    ),
    "import-row-without-text": (
        _people_and_quote([], ["", "P1", "Gouvernance"]),
        FORM,
        "tableau « Citations », ligne 1",
    ),
    "import-unknown-column": (_extra_column, FORM, "tableau « Attentes », ligne 1"),
    "import-unknown-theme": (
        _expectation(["Composter", "compst", "", ""]),
        FORM,
        "tableau « Attentes », ligne 1, colonne « Thèmes »",
    ),
    "import-unknown-sdg": (
        _expectation(["Composter", "", "ODD 18", ""]),
        FORM,
        "tableau « Attentes », ligne 1, colonne « ODD »",
    ),
    "import-unknown-priority": (
        _expectation(["Composter", "", "", "urgente"]),
        FORM,
        "tableau « Attentes », ligne 1, colonne « Priorité »",
    ),
    "import-speaker-assumed": (
        _people_and_quote([["P1", "", "Trésorier", ""]], ["Nous y arriverons.", "", ""]),
        FORM,
        "tableau « Citations », ligne 1, colonne « Personne »",
    ),
    "import-speaker-missing": (
        _people_and_quote([["P1", "", "Trésorier", ""], ["P2", "", "Présidente", ""]], ["Nous y arriverons.", "", ""]),
        FORM,
        "tableau « Citations », ligne 1, colonne « Personne »",
    ),
    "import-outside": (_outside, FORM, "réponse à « Quelle est votre mission ? »"),
    "import-outside-unexamined": (_many_outside, FORM, "document"),
    "import-other-folder": (_other_folder, "interviews/tg-b/2025-01-02-tg-a.docx", "champ « Structure »"),
    "import-id-out-of-range": (
        _field("Identifiant", "2025-01-02-tg-a-150"),
        FORM,
        "champ « Identifiant de l'entretien »",
    ),
    "import-invisible-removed": (
        _expectation(["Compos\u202eter\u2069", "", "", ""]),
        FORM,
        "tableau « Attentes », ligne 1, colonne « Texte »",
    ),
}


@pytest.mark.parametrize("code", sorted(FORM_CASES))
def test_form_finding_is_reported_where_it_is(make_workspace: MakeWorkspace, code: str) -> None:
    edit, source, place = FORM_CASES[code]
    root = make_workspace()
    path, document = _new_form(root)
    result = _import(root, edit(root, path, document))
    found = [(i.path, i.place) for i in result.issues if i.code == code]
    assert (source, place) in found, result.issues
    _same_report(result, code)


def _same_report(result: Report, code: str) -> None:
    issue = next(i for i in result.issues if i.code == code)
    assert issue.severity == CODES[code]
    assert issue.message and issue.hint
    assert result.valid == (not any(i.severity == ERROR for i in result.issues))


def _record(**changes: Any) -> Record:
    """A submission of tg-a with one statement of each kind, changed by ``changes`` (a key set
    to ``None`` is taken out of the submission)."""
    fields: dict[str, Any] = {
        "answers": {"mission": "Former.", "loi-ess": "Une loi.", "activites": "Formation."},
        "people": [{"interviewee_role": "Directrice", "interviewee_name": "Akpene Ɖogbe"}],
        "expectations": [{"expectation_text": "Composter.", "expectation_themes": "compost", "expectation_sdgs": "12"}],
        "contributions": [{"contribution_text": "Former.", "contribution_themes": "gouvernance"}],
        "said": [{"quote_text": "Ensemble.", "quote_speaker": "P1", "quote_themes": "gouvernance"}],
    }
    kept = {k: v for k, v in changes.items() if k in fields or k in ("quotes", "participation", "date")}
    record = submission("5e1f2a3b-0001", "tg-a", **(fields | kept))
    for key, value in changes.items():
        if key in kept:
            continue
        if value is None:
            del record[key]
        else:
            record[key] = value
    return record


WRITERS = {"xlsx": write_xlsx, "json": write_json, "csv": write_csv}
JSON = "export.json, soumission n° 1 (_uuid 5e1f2a3b-0001)"

# code -> (export format, the submission, the place of the finding)
KOBO_CASES: dict[str, tuple[str, Record, str]] = {
    "kobo-actor-missing": ("json", _record(**{"interview_info/actor_id": ""}), JSON),
    "kobo-actor-unknown": (
        "json",
        _record(**{"interview_info/actor_id": "tg-z"}),
        f"{JSON}, champ « interview_info/actor_id »",
    ),
    "kobo-date-missing": ("json", _record(date="", _submission_time=None), JSON),
    "kobo-date-from-submission": ("json", _record(date="hier"), f"{JSON}, champ « interview_info/interview_date »"),
    "kobo-consent-missing": ("json", _record(**{"consent_info/consent_quotes": None}), JSON),
    "kobo-consent-refused": (
        "json",
        _record(participation="no"),
        f"{JSON}, champ « consent_info/consent_participation »",
    ),
    "kobo-name-dropped": ("json", _record(quotes="anonymous"), f"{JSON}, champ « interviewees/interviewee_name »"),
    "kobo-quotes-dropped": ("json", _record(quotes="none"), f"{JSON}, champ « consent_info/consent_quotes »"),
    "kobo-unknown-theme": (
        "json",
        _record(expectations=[{"expectation_text": "T.", "expectation_themes": "zzz"}]),
        f"{JSON}, champ « expectations/expectation_themes »",
    ),
    "kobo-unknown-sdg": (
        "json",
        _record(expectations=[{"expectation_text": "T.", "expectation_sdgs": "18"}]),
        f"{JSON}, champ « expectations/expectation_sdgs »",
    ),
    "kobo-unknown-choice": (
        "json",
        _record(**{"interview_info/interview_mode": "vélo"}),
        f"{JSON}, champ « interview_info/interview_mode »",
    ),
    "kobo-row-without-text": (
        "json",
        _record(expectations=[{"expectation_themes": "compost"}]),
        f"{JSON}, champ « expectations/expectation_themes »",
    ),
    "kobo-orphan-row": (
        "xlsx",
        _record(),
        "export.xlsx, feuille « expectations », ligne 3, colonne A « expectations/expectation_text »",
    ),
    "kobo-csv-no-repeats": ("csv", _record(), "export.csv"),
    "kobo-required-unanswered": ("json", _record(answers={"activites": "Oui."}), JSON),
    "kobo-no-uuid": (
        "json",
        _record(_uuid=None, **{"meta/instanceID": None}),
        "export.json, soumission n° 1 (_uuid —)",
    ),
    "kobo-not-written": ("json", _record(), JSON),  # every id of the actor on that day taken: see below
    "kobo-uuid-differs": (  # the record, then the same uuid with another answer: see below
        "json",
        _record(),
        "export.json, soumission n° 2 (_uuid 5e1f2a3b-0001)",
    ),
    "kobo-unknown-column": (
        "json",
        _record(**{"section_structure/question_added": "Une réponse."}),
        f"{JSON}, champ « section_structure/question_added »",
    ),
    "kobo-invisible-removed": (
        "json",
        _record(answers={"mission": "Former\u202e.", "loi-ess": "Une loi.", "activites": "Formation."}),
        f"{JSON}, champ « section_structure/mission »",
    ),
}


def _orphan(path: Path) -> None:
    """A row of a repeat whose submission is not in the export."""
    import openpyxl

    book = openpyxl.load_workbook(path)
    sheet = book["expectations"]
    header = [c.value for c in sheet[1]]
    row = [c.value for c in sheet[2]]
    row[header.index("_parent_index")] = 7
    row[header.index("_submission__uuid")] = "elsewhere"
    sheet.append(row)
    book.save(path)


@pytest.mark.parametrize("code", sorted(KOBO_CASES))
def test_export_finding_is_reported_where_it_is(make_workspace: MakeWorkspace, code: str) -> None:
    kind, record, place = KOBO_CASES[code]
    root = make_workspace()
    again = {**record, "section_structure/mission": "Former autrement."}
    path = WRITERS[kind](root / f"export.{kind}", [record, again] if code == "kobo-uuid-differs" else [record])
    if code == "kobo-orphan-row":
        _orphan(path)
    if code == "kobo-not-written":
        folder = root / "interviews/tg-a"
        folder.mkdir(parents=True, exist_ok=True)
        for number in range(1, 100):
            (folder / f"2024-08-21-tg-a{f'-{number}' if number > 1 else ''}.docx").write_bytes(b"")
    ws, _ = check_workspace(root)
    result = import_export(ws, path, lang="fr")
    found = [(i.path, i.place) for i in result.issues if i.code == code]
    assert (f"export.{kind}", place) in found, result.issues
    _same_report(result, code)
    failed = any(s.outcome == "failed" for s in result.submissions)
    assert failed == (CODES[code] == ERROR)
