"""The Excel workbook: one sheet per table, nothing Excel would run as a formula."""

from __future__ import annotations

import datetime as dt
import io
import subprocess
import zipfile
from pathlib import Path

from openpyxl import load_workbook

from ess_coop.referential_xlsx import build_workbook
from ess_coop.synthesis import synthesise
from ess_coop.validation import check_workspace
from samples import TRANSCRIPT, TRANSCRIPT_PATH, MakeWorkspace

DAY = dt.date(2024, 9, 30)


def test_sheets_and_no_formula(make_workspace: MakeWorkspace) -> None:
    evil = TRANSCRIPT.replace("Apprendre le compostage.", '"=HYPERLINK(\\"http://x\\",\\"clic\\")"').replace(
        "Financement participatif.", '"+33 6 00 00 00 00"'
    )
    ws, report = check_workspace(make_workspace({TRANSCRIPT_PATH: evil}))
    assert report.valid
    data = build_workbook(ws, synthesise(ws), lang="fr", today=DAY)
    book = load_workbook(io.BytesIO(data))
    assert book.sheetnames == [
        "Thèmes x pays",
        "Attentes",
        "Apports",
        "Pistes de coopération",
        "Besoins sans réponse",
        "Pistes à confirmer",
        "Asymétries",
        "ODD",
        "Réciprocité",
        "Citations",
        "Équilibre",
        "Entretiens",
    ]
    texts = [c for sheet in book for row in sheet.iter_rows() for c in row if c.value is not None]
    assert any(c.value == '=HYPERLINK("http://x","clic")' for c in texts)
    assert all(c.data_type != "f" for c in texts)
    sheets = [n for n in zipfile.ZipFile(io.BytesIO(data)).namelist() if n.startswith("xl/worksheets/")]
    assert all(b"<f>" not in zipfile.ZipFile(io.BytesIO(data)).read(n) for n in sheets)
    assert book.properties.creator == "ess-coop"


def test_workbook_is_reproducible(make_workspace: MakeWorkspace) -> None:
    ws, _ = check_workspace(make_workspace())
    first = build_workbook(ws, synthesise(ws), lang="en", today=DAY)
    assert build_workbook(ws, synthesise(ws), lang="en", today=DAY) == first
    assert load_workbook(io.BytesIO(first)).sheetnames[0] == "Themes by country"


def test_many_leads_are_grouped_per_expecting_actor(make_workspace: MakeWorkspace, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from ess_coop import referential_xlsx

    swapped = (
        TRANSCRIPT.replace("[compost]", "[@]").replace("[financement]", "[compost]").replace("[@]", "[financement]")
    )
    tg = swapped.replace("fr-a", "tg-a")
    ws, _ = check_workspace(make_workspace({"interviews/tg-a/2024-07-03-tg-a.yaml": tg}))
    synthesis = synthesise(ws)
    assert synthesis.lead_count == 2
    monkeypatch.setattr(referential_xlsx, "MAX_LEAD_PAIRS", 1)
    book = load_workbook(io.BytesIO(build_workbook(ws, synthesis, lang="fr", today=DAY)))
    rows = [[c.value for c in row] for row in book["Pistes de coopération"].iter_rows(min_row=2)]
    assert sorted(r[1] for r in rows) == ["FR A", "TG A"] and all(r[3] for r in rows)


def test_labels_in_the_edition_language_dates_as_dates_numbers_as_numbers(make_workspace: MakeWorkspace) -> None:
    ws, _ = check_workspace(make_workspace())
    book = load_workbook(io.BytesIO(build_workbook(ws, synthesise(ws), lang="fr", today=DAY)))
    interviews = [[c.value for c in row] for row in book["Entretiens"].iter_rows()]
    assert interviews[0] == ["Réf.", "Date", "Acteur", "Pays", "Mode", "Enquêteurs", "Statut"]
    date_cell = book["Entretiens"]["B2"]
    assert date_cell.is_date and date_cell.value.date() == dt.date(2024, 7, 3)
    assert date_cell.number_format == "dd/mm/yyyy"
    assert interviews[1][3] == "France" and interviews[1][4] == "visio"  # never "FR", "video"
    assert [c.value for c in book["Apports"][1]][-2:] == ["ODD", "Brouillon"]  # no priority column
    balance = [[c.value for c in row] for row in book["Équilibre"].iter_rows(min_row=2)]
    assert all(isinstance(v, int) for row in balance for v in row[1:])
    for sheet in book:
        assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref and sheet.auto_filter.ref.startswith("A1:")
        assert all(8 <= (sheet.column_dimensions[letter].width or 0) <= 60 for letter in "AB")


def test_quotes_sheet_keeps_to_consent(make_workspace: MakeWorkspace) -> None:
    ws, _ = check_workspace(make_workspace())
    synthesis = synthesise(ws)
    book = load_workbook(io.BytesIO(build_workbook(ws, synthesis, lang="en", today=DAY)))
    rows = [[c.value for c in row] for row in book["Quotes"].iter_rows(min_row=2)]
    assert [r[0] for r in rows] == [q.text for q in synthesis.quotes]
    for row, quote in zip(rows, synthesis.quotes, strict=True):
        assert (row[4] is None) == (quote.level == "anonymous")  # an anonymous quote: no reference


def test_the_workbook_opens_in_libreoffice_calc(make_workspace: MakeWorkspace, tmp_path: Path) -> None:
    from ess_coop.pdf import to_pdf

    ws, _ = check_workspace(make_workspace())
    book = tmp_path / "synthese.xlsx"
    book.write_bytes(build_workbook(ws, synthesise(ws), lang="fr", today=DAY))
    pdf = tmp_path / "synthese.pdf"
    pdf.write_bytes(to_pdf(book))
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "Thème" in text and "Attendu par (France)" in text
    assert "03/07/2024" in text  # a date, shown day first
