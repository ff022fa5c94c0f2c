"""The printable guide: tailored, readable back with python-docx, opened by LibreOffice."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import docx
from typer.testing import CliRunner

from ess_coop.cli import app
from samples import MakeWorkspace, plain, soffice_pdf

runner = CliRunner()


def _guide(root: Path, actor: str, *extra: str) -> docx.document.Document:
    args = ["new-interview", actor, "--date", "2025-01-02", "--docx", "--workspace", str(root), *extra]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    assert f"output/guide-2025-01-02-{actor}.docx" in result.output
    return docx.Document(str(root / "output" / f"guide-2025-01-02-{actor}.docx"))


def _texts(document: docx.document.Document, style: str) -> list[str]:
    return [plain(p.text) for p in document.paragraphs if p.style is not None and p.style.name == style]


def test_guide_is_tailored_and_structured(make_workspace: MakeWorkspace) -> None:
    document = _guide(make_workspace(), "tg-a")
    assert _texts(document, "Title") == ["Guide test"]
    assert _texts(document, "Subtitle") == ["Entretien avec ONG togolaise A (TG A) — Togo"]
    questions = _texts(document, "Heading 3")
    assert questions == [
        "Quelle est votre mission ? (obligatoire)",
        "Vos activités ?",
        "Que pensez-vous du projet de loi ESS ?",
    ]
    assert "1. La structure" in _texts(document, "Heading 1")
    cells = [plain(c.text) for table in document.tables for row in table.rows for c in row.cells]
    assert "2 janvier 2025" in cells and "Partenariats pour la réalisation des objectifs" in cells
    assert "2025-01-02-tg-a" not in cells and "compost" not in cells  # no file name, no vocabulary id
    assert document.core_properties.author == "ess-coop"
    assert document.core_properties.created == dt.datetime(2025, 1, 2, tzinfo=dt.UTC)


def test_guide_in_english_opens_in_libreoffice(make_workspace: MakeWorkspace, tmp_path: Path) -> None:
    root = make_workspace()
    document = _guide(root, "fr-b", "--lang", "en")
    assert "Your cooperation policy?" in _texts(document, "Heading 3")
    assert "Consent (to collect before starting)" in _texts(document, "Heading 1")
    soffice_pdf(root / "output" / "guide-2025-01-02-fr-b.docx", tmp_path)


def test_the_quotes_table_header_is_not_broken_inside_a_word(make_workspace: MakeWorkspace, tmp_path: Path) -> None:
    import subprocess

    root = make_workspace()
    _guide(root, "tg-a")
    pdf = soffice_pdf(root / "output" / "guide-2025-01-02-tg-a.docx", tmp_path)
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    rows = [line.split() for line in text.splitlines()]
    assert ["Texte", "Personne", "Thèmes"] in rows  # at 2 cm the column printed "Personn" above "e"
    # French punctuation stays with its word: no line of the printed guide starts with it.
    starts = [line.strip()[:1] for line in text.splitlines() if line.strip()]
    assert not [s for s in starts if s in "?!:;»"]
