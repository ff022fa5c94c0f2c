"""``ess-coop build-referential``: the summary, safe and quiet writes, options."""

from __future__ import annotations

import json
import re
from pathlib import Path

import docx
import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from ess_coop.cli import app
from samples import TRANSCRIPT, MakeWorkspace

runner = CliRunner()
TG = TRANSCRIPT.replace("fr-a", "tg-a").replace("compost]", "financement]", 1)


def build(root: Path, *args: str) -> tuple[int, str]:
    result = runner.invoke(app, ["build-referential", "--workspace", str(root), *args])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.output


def test_summary_and_documents(make_workspace: MakeWorkspace) -> None:
    root = make_workspace({"interviews/tg-a/2024-07-03-tg-a.yaml": TG})
    code, out = build(root, "--xlsx")
    assert code == 0, out
    assert "Écrit : output/referentiel.docx" in out and "Écrit : output/referentiel.xlsx" in out
    assert "France : 1 partenaire(s) interrogé(s) sur 2 — 1 attente(s), 1 apport(s), 1 citation(s) publiable(s)" in out
    assert "Pistes de coopération : 1 de la France vers le Togo ; 0 enjeu(x) commun(s)" in out
    assert docx.Document(str(root / "output/referentiel.docx")).paragraphs
    assert load_workbook(root / "output/referentiel.xlsx").sheetnames[0] == "Thèmes x pays"


def test_rebuild_is_byte_identical_and_quiet(make_workspace: MakeWorkspace) -> None:
    root = make_workspace()
    build(root)
    first = (root / "output/referentiel.docx").read_bytes()
    code, out = build(root)
    assert code == 0 and "Inchangé : output/referentiel.docx" in out
    assert (root / "output/referentiel.docx").read_bytes() == first


def test_document_open_in_word_is_not_overwritten(make_workspace: MakeWorkspace) -> None:
    root = make_workspace()
    build(root)
    first = (root / "output/referentiel.docx").read_bytes()
    (root / "output/~$ferentiel.docx").write_bytes(b"Word owner file")
    (root / TRANSCRIPT_PATH_FR).write_text(TRANSCRIPT.replace("Note", "Autre note"), encoding="utf-8")
    code, out = build(root, "--lang", "en", "--output", str(root / "output/referentiel.docx"), "--format", "json")
    assert code == 0
    summary = json.loads(out)
    assert summary["documents"] == [{"path": "output/referentiel-2.docx", "status": "renamed", "reason": "locked"}]
    assert (root / "output/referentiel.docx").read_bytes() == first


def test_drafts_are_reported_and_can_be_included(make_workspace: MakeWorkspace) -> None:
    root = make_workspace({"interviews/tg-a/2024-07-03-tg-a.yaml": TG.replace("status: complete", "status: draft")})
    code, out = build(root)
    assert "Attention : entretien en brouillon laissé de côté : interviews/tg-a/2024-07-03-tg-a.yaml" in out
    assert "Attention : le document parle surtout pour un côté : Togo est sous-représenté(e)" in out
    code, out = build(root, "--include-drafts", "-o", str(root / "output/avec-brouillons.docx"))
    assert code == 0 and "brouillon laissé de côté" not in out


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("CON.docx", "nom de fichier impossible sous Windows"),
        ("draft.pdf", "le fichier de sortie doit se terminer par .docx"),
    ],
)
def test_bad_output_names(make_workspace: MakeWorkspace, name: str, message: str) -> None:
    root = make_workspace()
    code, out = build(root, "-o", str(root / "output" / name))
    assert code == 1 and message in out
    assert not (root / "output" / name).exists()


def test_unreadable_template_is_one_line(make_workspace: MakeWorkspace) -> None:
    root = make_workspace({"charte.docx": "not a word file"})
    code, out = build(root, "--template", str(root / "charte.docx"))
    assert code == 1
    assert out.startswith("Erreur : ") and "modèle Word illisible" in out and len(out.strip().splitlines()) == 1


TRANSCRIPT_PATH_FR = "interviews/fr-a/2024-07-03-fr-a.yaml"


def test_each_edition_has_its_own_file(make_workspace: MakeWorkspace) -> None:
    root = make_workspace()
    assert build(root)[0] == 0
    french = (root / "output/referentiel.docx").read_bytes()
    code, out = build(root, "--lang", "en", "--xlsx")
    assert code == 0 and "Written: output/referential.docx" in out and "Written: output/referential.xlsx" in out
    assert (root / "output/referentiel.docx").read_bytes() == french  # the French edition untouched
    assert docx.Document(str(root / "output/referential.docx")).core_properties.language == "en-GB"


def test_pdf_with_the_contents_page_numbers(make_workspace: MakeWorkspace) -> None:
    import subprocess

    root = make_workspace()
    code, out = build(root, "--pdf")
    assert code == 0, out
    assert "Écrit : output/referentiel.docx" in out and "Écrit : output/referentiel.pdf" in out
    text = subprocess.run(
        ["pdftotext", "-layout", str(root / "output/referentiel.pdf"), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert re.search(r"^\s*1\. Présentation du projet\.{3,}\s*4\s*$", text, re.M)  # cover, contents, essentials
    code, out = build(root, "--pdf")  # nothing changed: neither file is rewritten
    assert code == 0 and "Inchangé : output/referentiel.pdf" in out


def test_pdf_without_libreoffice_says_how_to_install_it(make_workspace: MakeWorkspace, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from ess_coop import pdf

    monkeypatch.setattr(pdf, "find_soffice", lambda: None)
    root = make_workspace()
    code, out = build(root, "--pdf")
    assert code == 1
    assert out.strip().splitlines() == [
        "Erreur : LibreOffice est introuvable : le PDF ne peut pas être écrit (rien n'a été écrit) — "
        "installez LibreOffice depuis https://fr.libreoffice.org (sous Debian/Ubuntu : apt-get install "
        "libreoffice-writer-nogui python3-uno), puis relancez ; ou relancez sans --pdf"
    ]
    assert not (root / "output/referentiel.docx").exists()
