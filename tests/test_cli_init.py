"""``ess-coop init``: a valid workspace, never over an existing one."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from ess_coop.cli import app
from ess_coop.validation import check_workspace

runner = CliRunner()


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_fresh_workspace_is_valid(tmp_path: Path, lang: str) -> None:
    target = tmp_path / "Projet Coopération"
    result = runner.invoke(app, ["init", str(target), "--lang", lang])
    assert result.exit_code == 0, result.output
    ws, report = check_workspace(target)
    # What init cannot know is a warning, never an error: the project's texts and coordinators.
    assert sorted((i.code, i.severity) for i in report.issues) == [
        ("no-coordinators", "warning"),
        ("placeholder-text", "warning"),
        ("placeholder-text", "warning"),
    ]
    assert report.valid
    assert ws.project is not None and ws.project.language == lang
    assert ws.project.project.id == "projet-cooperation"
    assert ws.actors == [] and ws.guide is not None and len(ws.themes) > 10
    assert (target / "interviews").is_dir() and (target / "output").is_dir()
    assert "#  - id: cress-bretagne" in (target / "actors.yaml").read_text("utf-8")


def test_example_workspace_is_copied(tmp_path: Path) -> None:
    result = runner.invoke(app, ["init", str(tmp_path / "demo"), "--example"])
    assert result.exit_code == 0, result.output
    ws, report = check_workspace(tmp_path / "demo")
    assert report.valid, report.issues
    assert len(ws.actors) == 16
    assert ws.project is not None and ws.project.sample
    assert len(ws.transcripts) >= 6


def test_refuses_an_existing_workspace(tmp_path: Path) -> None:
    runner.invoke(app, ["init", str(tmp_path)])
    (tmp_path / "actors.yaml").write_text("# mine\nactors:\n", encoding="utf-8")
    result = runner.invoke(app, ["init", str(tmp_path)])
    assert result.exit_code == 1
    assert "un espace de travail existe déjà ici" in result.output
    assert (tmp_path / "actors.yaml").read_text("utf-8") == "# mine\nactors:\n"


def test_refuses_to_overwrite_any_file(tmp_path: Path) -> None:
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "guide.yaml").write_text("mine", encoding="utf-8")
    (tmp_path / "notes.txt").write_text("other files are fine", encoding="utf-8")
    result = runner.invoke(app, ["init", str(tmp_path)])
    assert result.exit_code == 1
    assert "guide.yaml" in result.output
    assert not (tmp_path / "ess-coop.yaml").exists()
    assert (tmp_path / "templates" / "guide.yaml").read_text("utf-8") == "mine"


@pytest.mark.parametrize(("lang", "title", "project_id"), [("fr", "Projet", "projet"), ("en", "Project", "project")])
def test_a_folder_without_a_name_gives_a_project_named_in_its_language(lang: str, title: str, project_id: str) -> None:
    from ess_coop.init_workspace import _fresh_files
    from ess_coop.yamlio import parse_yaml

    files = _fresh_files(Path("/"), lang)  # the disk's root: the only folder without a name
    project = parse_yaml(files[Path("/") / "ess-coop.yaml"]).data["project"]
    assert (project["title"], project["id"]) == (title, project_id)
