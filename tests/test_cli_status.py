"""``ess-coop status``: per country, per actor, milestones, conflicts; JSON for scripts."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from typer.testing import CliRunner

from ess_coop.cli import app
from ess_coop.status import project_status
from ess_coop.validation import check_workspace
from samples import TRANSCRIPT, MakeWorkspace

runner = CliRunner()
DRAFT = TRANSCRIPT.replace("fr-a", "tg-a").replace("status: complete", "status: draft")


def workspace(make_workspace: MakeWorkspace) -> Path:
    return make_workspace(
        {
            "interviews/tg-a/2024-07-03-tg-a.yaml": DRAFT,
            "interviews/fr-b/2024-07-09-fr-b.yaml": "format: 1\nid: 2024-07-09-fr-b\n",
            "interviews/fr-a/2024-07-03-fr-a (conflicted copy 2024-07-05 101010).yaml": TRANSCRIPT,
        }
    )


def test_status_per_country_and_actor(make_workspace: MakeWorkspace) -> None:
    ws, _ = check_workspace(workspace(make_workspace))
    report = project_status(ws, today=dt.date(2024, 8, 1))
    assert {a.id: a.state for a in report.actors} == {
        "fr-a": "complete",
        "fr-b": "invalid",
        "tg-a": "draft",
        "tg-b": "none",
    }
    fr, tg = report.countries
    assert (fr.interviewed, fr.invalid, fr.missing) == (1, 1, 0)
    assert (tg.interviewed, tg.drafts, tg.missing) == (0, 1, 1)
    assert [(m.id, m.days_left) for m in report.milestones] == [("entretiens", 30)]
    assert [c.original for c in report.conflicts] == ["interviews/fr-a/2024-07-03-fr-a.yaml"]
    assert report.actors[0].interviewers == ["Xylm"]


def test_status_text_and_json(make_workspace: MakeWorkspace) -> None:
    root = workspace(make_workspace)
    result = runner.invoke(app, ["status", "--workspace", str(root)])
    assert result.exit_code == 0, result.output
    assert (
        "France — 1/2 interrogé(s) dont 0 validé(s) ; 0 brouillon(s), 1 invalide(s), 0 sans entretien" in result.output
    )
    assert "en retard de" in result.output
    assert "Copie de conflit à résoudre : interviews/fr-a/2024-07-03-fr-a (conflicted copy" in result.output
    data = json.loads(runner.invoke(app, ["status", "--format", "json", "--workspace", str(root)]).output)
    assert data["interviewed"] == 1 and data["partners"] == 4


def test_milestones_in_the_language_asked_for(make_workspace: MakeWorkspace) -> None:
    from samples import PROJECT

    label = "label: {fr: Entretiens, en: Interviews}"
    root = make_workspace({"ess-coop.yaml": PROJECT.replace("label: Entretiens", label)})
    result = CliRunner().invoke(app, ["status", "--lang", "en", "-w", str(root), "--format", "json"])
    assert [m["label"] for m in json.loads(result.stdout)["milestones"]] == ["Interviews"]
    ws, _ = check_workspace(root)
    assert [m.label for m in project_status(ws).milestones] == ["Entretiens"]  # the workspace's own
