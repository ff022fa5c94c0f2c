"""``ess-coop docs``: the format guide, offline, in the reader's language; the French guide says
what the English one says; no message sends anyone to a file they do not have."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ess_coop import opening
from ess_coop.cli import app
from ess_coop.resources import format_guide

ROOT = Path(__file__).resolve().parents[1]
runner = CliRunner()


@pytest.mark.parametrize(
    ("args", "first_line"),
    [
        (["docs"], "# Format de l'espace de travail ess-coop, version 1"),
        (["docs", "--lang", "en"], "# ess-coop workspace format, version 1"),
        (["--lang", "en", "docs"], "# ess-coop workspace format, version 1"),
    ],
)
def test_docs_prints_the_guide_in_the_reader_language(args: list[str], first_line: str) -> None:
    result = runner.invoke(app, args)
    assert result.exit_code == 0
    assert result.output.splitlines()[0] == first_line
    assert "  countries: [FR, TG]" in result.output


def test_docs_open_hands_the_guide_to_the_system(monkeypatch: pytest.MonkeyPatch) -> None:
    opened: list[Path] = []
    monkeypatch.setattr(opening, "open_path", lambda path: opened.append(path) or True)
    result = runner.invoke(app, ["docs", "--open", "--lang", "en"])
    assert result.exit_code == 0
    assert opened == [format_guide("en")]
    assert result.output == f"Opened with the usual application: {format_guide('en')}\n"


def test_the_guides_are_the_ones_in_docs() -> None:
    assert format_guide("en").read_text("utf-8") == (ROOT / "docs" / "format.md").read_text("utf-8")
    assert format_guide("fr").read_text("utf-8") == (ROOT / "docs" / "format.fr.md").read_text("utf-8")


def yaml_keys(markdown: str) -> list[str]:
    """The keys of the YAML examples, in order: what the translation must keep exactly."""
    blocks = re.findall(r"```yaml\n(.*?)```", markdown, re.S)
    return [key for block in blocks for key in re.findall(r"^\s*(?:- )?([a-z_]+):", block, re.M)]


def test_the_french_guide_follows_the_english_one() -> None:
    """A key documented in format.md and missing from format.fr.md fails here: translate it."""
    english = (ROOT / "docs" / "format.md").read_text("utf-8")
    french = (ROOT / "docs" / "format.fr.md").read_text("utf-8")
    assert yaml_keys(french) == yaml_keys(english)
    assert len(re.findall(r"^#+ ", french, re.M)) == len(re.findall(r"^#+ ", english, re.M))
    assert inline_code(french) == inline_code(english)


def inline_code(markdown: str) -> list[str]:
    """The `code` of the prose (keys, values, ids), placeholders like <actor-id> aside: translated."""
    prose = re.sub(r"```.*?```", "", markdown, flags=re.S)
    return [code for code in re.findall(r"`([^`\n]+)`", prose) if "<" not in code]


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_no_message_sends_people_to_format_md(lang: str) -> None:
    text = (ROOT / "src" / "ess_coop" / "locales" / f"{lang}.json").read_text("utf-8")
    assert "format.md" not in text
    assert "ess-coop docs" in json.loads(text)["codes"]["unknown-key"]["hint"]
    assert "format.md" not in (ROOT / "src" / "ess_coop" / "data" / "init" / f"ess-coop.{lang}.yaml").read_text("utf-8")
