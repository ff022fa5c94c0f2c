"""The preamble every workspace command shares (``@in_workspace``, ``@reporting``): its options in
the same place on every command, and the workspace read only once the command line means something."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import typer.main
from typer.testing import CliRunner

from ess_coop.cli import app

runner = CliRunner()


def commands() -> dict[str, Any]:
    found: dict[str, Any] = {}

    def walk(command: Any, path: list[str]) -> None:
        found[" ".join(path)] = command
        for name, sub in getattr(command, "commands", {}).items():
            walk(sub, [*path, name])

    walk(typer.main.get_group(app), [])
    return found


def test_the_preamble_options_end_every_workspace_command() -> None:
    ends = {}
    for key, command in commands().items():
        names = [param.name for param in command.params]
        if "workspace" in names:
            ends[key] = names[-3:] if "output" in names else names[-2:]
    assert ends and all(end in (["output", "workspace", "lang"], ["workspace", "lang"]) for end in ends.values()), ends


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["profile"], 1, "Erreur : indiquez une structure, ou --all pour toutes, mais pas les deux"),
        (["actors", "edit", "zed"], 2, "Erreur : aucune modification demandée pour « zed »"),
    ],
)
def test_a_command_line_that_cannot_mean_anything_is_refused_before_the_workspace_is_read(
    tmp_path: Path, args: list[str], code: int, message: str
) -> None:
    result = runner.invoke(app, [*args, "--workspace", str(tmp_path), "--lang", "fr"])  # no workspace there
    assert result.exit_code == code
    assert result.stderr.startswith(message)


def test_a_group_reports_only_when_none_of_its_commands_runs(make_workspace: Any) -> None:
    root = make_workspace()
    listed = runner.invoke(app, ["actors", "--format", "json", "--workspace", str(root)])
    alone = runner.invoke(app, ["actors", "show", "tg-a", "--workspace", str(root)])
    shown = runner.invoke(app, ["actors", "--format", "json", "show", "tg-a", "--workspace", str(root)])
    assert listed.stdout.startswith("[") and alone.stdout.startswith("ONG togolaise A (tg-a)\n")
    assert shown.exit_code == 0 and shown.stdout == alone.stdout  # the list is not printed before it
