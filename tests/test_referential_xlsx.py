"""The Excel workbook: one sheet per table, nothing Excel would run as a formula."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

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
    assert load_workbook(io.BytesIO(first)).sheetnames[0] == "Themes x countries"


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
