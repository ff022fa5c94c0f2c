"""The validated edition: refused while a counted interview is not validated, then said on the cover."""

from __future__ import annotations

import docx
from typer.testing import CliRunner

from ess_coop.cli import app
from samples import PROJECT, TRANSCRIPT_PATH, MakeWorkspace
from test_editions import TG_A, V01

runner = CliRunner()
VALIDATED = PROJECT.replace('version: "0.1"\n', 'version: "1.0"\n  status: validated\n  validated_on: 2024-10-10\n')


def test_refused_until_every_partner_approved(make_workspace: MakeWorkspace) -> None:
    root = make_workspace({**V01, "ess-coop.yaml": VALIDATED})
    result = runner.invoke(app, ["build-referential", "-w", str(root)])
    assert result.exit_code == 1
    assert result.stderr == (
        "Erreur : ess-coop.yaml: édition validée refusée : 2 entretien(s) compté(s) ne sont pas validés par leur "
        f"structure : {TRANSCRIPT_PATH} (complete), {TG_A} (complete) — faites relire chaque fiche (ess-coop "
        "profile) puis passez ces entretiens en status: validated, ou remettez referential.status: draft\n"
    )
    assert not (root / "output/referentiel.docx").exists()
    (root / TRANSCRIPT_PATH).write_text(V01[TRANSCRIPT_PATH].replace("status: complete", "status: validated"), "utf-8")
    result = runner.invoke(app, ["build-referential", "-w", str(root)])
    assert result.exit_code == 1
    assert f"1 entretien(s) compté(s) ne sont pas validés par leur structure : {TG_A} (complete) —" in result.stderr


def test_the_validated_cover(make_workspace: MakeWorkspace) -> None:
    validated = {path: text.replace("status: complete", "status: validated") for path, text in V01.items() if text}
    root = make_workspace({**validated, "ess-coop.yaml": VALIDATED})
    for lang, expected, draft in (
        ("fr", "Version validée par le comité de pilotage le 10 octobre 2024", "Version de travail"),
        ("en", "Version validated by the steering committee on 10 October 2024", "Working draft"),
    ):
        out = root / f"output/{lang}.docx"
        result = runner.invoke(app, ["build-referential", "--lang", lang, "-o", str(out), "-w", str(root)])
        assert result.exit_code == 0, result.output
        paragraphs = [p.text for p in docx.Document(str(out)).paragraphs]
        assert expected in paragraphs[:6]
        assert not [p for p in paragraphs if p.startswith(draft)]
        assert not [p for p in paragraphs if "non encore relue" in p or "not yet reviewed" in p]


def test_a_draft_marks_each_sheet_not_yet_approved(make_workspace: MakeWorkspace) -> None:
    approved = V01[TRANSCRIPT_PATH].replace("status: complete", "status: validated")
    root = make_workspace({**V01, TRANSCRIPT_PATH: approved})
    assert runner.invoke(app, ["build-referential", "-w", str(root)]).exit_code == 0
    paragraphs = [p.text for p in docx.Document(str(root / "output/referentiel.docx")).paragraphs]
    marked = [paragraphs[i - 1] for i, p in enumerate(paragraphs) if p == "Fiche non encore relue par la structure."]
    assert marked == ["TG A"]  # the heading of tg-a's sheet; fr-a's partner approved its own
