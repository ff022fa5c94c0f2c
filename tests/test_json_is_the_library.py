"""``--format json`` of a reporting command prints exactly what the library returns (as
``validate``, ``privacy``, ``changes`` and ``comments`` are tested beside their commands)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from ess_coop.cli import app
from ess_coop.init_workspace import create_workspace
from ess_coop.registry import list_actors, show_actor
from ess_coop.status import project_status
from ess_coop.validation import check_workspace
from ess_coop.workspace import Workspace

runner = CliRunner()

LIBRARY: dict[str, tuple[list[str], Callable[[Workspace], Any]]] = {
    "status": (["status"], project_status),
    "actors": (["actors"], lambda ws: [row.model_dump(mode="json") for row in list_actors(ws)]),
    "actors --country TG": (["actors", "--country", "TG"], lambda ws: [
        row.model_dump(mode="json") for row in list_actors(ws, country="TG")
    ]),
    "actors show": (["actors", "show", "enpro"], lambda ws: show_actor(ws, "enpro")),
}


@pytest.mark.parametrize("name", sorted(LIBRARY))
def test_json_is_what_the_library_returns(tmp_path: Path, name: str) -> None:
    root = tmp_path / "ws"
    create_workspace(root, example=True, lang="fr")
    args, library = LIBRARY[name]
    result = runner.invoke(app, [*args, "--format", "json", "--workspace", str(root)])
    assert result.exit_code == 0, result.output
    ws, _ = check_workspace(root, lang="fr")
    returned = library(ws)
    expected = returned if isinstance(returned, list) else json.loads(returned.model_dump_json())
    assert expected and json.loads(result.output) == expected
