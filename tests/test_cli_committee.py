"""The command line around the committee's synthesis: information findings, placeholders and
the coordinators' texts, as people see them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ess_coop.cli import app
from ess_coop.texts import NAMES, read_texts
from samples import PROJECT, THEMES, MakeWorkspace

runner = CliRunner()
KEYWORDS = THEMES.replace(
    "{fr: Financement, en: Funding}", "{fr: Financement, en: Funding}\n    keywords: [compostage]"
)


def test_information_is_shown_and_never_fails_validate_even_strict(make_workspace: MakeWorkspace) -> None:
    root = make_workspace({"templates/themes.yaml": KEYWORDS})
    result = runner.invoke(app, ["validate", "--strict", "--workspace", str(root)])
    assert result.exit_code == 0, result.output
    assert (
        "interviews/fr-a/2024-07-03-fr-a.yaml:21:11: information theme-suggested: le texte contient "
        "« compostage », mot(s)-clé(s) du thème « Financement » (financement), qu'il n'indique pas"
    ) in result.output
    result = runner.invoke(app, ["validate", "--format", "json", "--workspace", str(root)])
    report = json.loads(result.output)
    assert report["stats"]["infos"] == 1 and report["valid"] is True
    assert report["issues"][0]["severity"] == "info"


def test_build_says_placeholders_are_left_out_and_which_texts_it_used(make_workspace: MakeWorkspace) -> None:
    project = PROJECT.replace("  start:", "  objective: >-\n    The general objective of the project.\n  start:")
    root = make_workspace({"ess-coop.yaml": project, "texts/conclusion.md": "Merci à tous.\n"})
    result = runner.invoke(app, ["build-referential", "--workspace", str(root)])
    assert result.exit_code == 0, result.output
    assert "project.objective contient encore le texte d'exemple de ess-coop init" in result.output
    assert "Textes des coordinateurs repris : conclusion" in result.output


def test_an_unreadable_text_stops_the_build_in_one_line(make_workspace: MakeWorkspace) -> None:
    root = make_workspace({"texts/introduction.docx": b"not a zip"})
    result = runner.invoke(app, ["build-referential", "--workspace", str(root)])
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert "texts/introduction.docx: ce fichier n'est pas un document Word (.docx) lisible" in result.output


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_init_creates_texts_whose_example_is_invisible(tmp_path: Path, lang: str) -> None:
    result = runner.invoke(app, ["init", str(tmp_path / "ws"), "--lang", lang])
    assert result.exit_code == 0, result.output
    names = sorted(p.name for p in (tmp_path / "ws/texts").iterdir())
    assert names == sorted(f"{name}.md" for name in NAMES)
    example = (tmp_path / "ws/texts/introduction.md").read_text("utf-8")
    assert example.startswith("<!--") and ("**gras**" if lang == "fr" else "**bold**") in example
    assert read_texts(tmp_path / "ws") == {}  # a comment only: nothing reaches the document
