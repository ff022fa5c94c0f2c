"""``--format json`` of every reporting command prints exactly what the library returns, on the
bundled example (as ``validate``'s report is tested beside its command): the command runs on one
copy of the workspace, the library on another, and the two JSON documents are equal. A command
that gains ``--format`` needs a row in ``LIBRARY``: a test walks the commands."""

from __future__ import annotations

import datetime as dt
import functools
import io
import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import typer.main
from pydantic import BaseModel
from typer.testing import CliRunner

from ess_coop.cli import app
from ess_coop.comments import gather
from ess_coop.editions import workspace_changes
from ess_coop.export import export_qdc, export_qdpx
from ess_coop.forms.importer import import_form
from ess_coop.forms.writer import write_form
from ess_coop.init_workspace import create_workspace
from ess_coop.privacy import privacy_register
from ess_coop.referential import build, build_date
from ess_coop.registry import list_actors, show_actor
from ess_coop.review import send_sheets
from ess_coop.status import project_status
from ess_coop.validation import check_workspace
from ess_coop.workspace import Workspace

runner = CliRunner()
FORM = "interviews/enpro/2025-01-02-enpro.docx"
REMARKED = "output/remarques.docx"


def _form(root: Path) -> None:
    ws, _ = check_workspace(root)
    write_form(ws, "enpro", date=dt.date(2025, 1, 2), interviewers=["M. K."], mode="video", lang="fr")


def _built(root: Path) -> None:
    """An edition recorded, for ``changes`` to compare with, and a statement changed since."""
    build(check_workspace(root)[0], lang="fr")
    transcript = root / "interviews/stadd/2024-07-16-stadd.yaml"
    text = transcript.read_text("utf-8")
    changed = text.replace("dans les écoles.", "dans les écoles et les quartiers.")
    assert changed != text
    transcript.write_text(changed, "utf-8")


def _remarked(root: Path) -> None:
    (root / REMARKED).write_bytes(_remarked_document())


@functools.cache
def _remarked_document() -> bytes:
    """One document for both copies: python-docx dates a comment to the second it is added,
    so two documents made a second apart differ (the test failed once that way)."""
    import docx

    document = docx.Document()
    paragraph = document.add_paragraph("Nous compostons aussi en ville.")
    document.add_comment(paragraph.runs, text="Préciser : compostage collectif", author="Afi Mensah", initials="AM")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


Library = Callable[[Workspace, Path], BaseModel | list[Any]]
# name: (the command line after ``ess-coop``, what the library returns, what to write first in the copy)
LIBRARY: dict[str, tuple[list[str], Library, Callable[[Path], None] | None]] = {
    "validate": (["validate"], lambda ws, root: check_workspace(root)[1], None),
    "status": (["status"], lambda ws, root: project_status(ws, lang="fr"), None),
    "actors": (["actors"], lambda ws, root: list_actors(ws), None),
    "actors --country TG --type ngo": (
        ["actors", "--country", "TG", "--type", "ngo"],
        lambda ws, root: list_actors(ws, country="TG", type_="ngo"),
        None,
    ),
    "actors show": (["actors", "show", "enpro"], lambda ws, root: show_actor(ws, "enpro"), None),
    "privacy": (["privacy"], lambda ws, root: privacy_register(ws, lang="fr"), None),
    "privacy --include-drafts": (
        ["privacy", "--include-drafts"],
        lambda ws, root: privacy_register(ws, lang="fr", include_drafts=True),
        None,
    ),
    "changes --since": (
        ["changes", "--since", "0.1"],
        lambda ws, root: workspace_changes(ws, since="0.1", lang="fr", today=build_date()),
        _built,
    ),
    "changes --include-drafts --anonymize": (
        ["changes", "--since", "0.1", "--include-drafts", "--anonymize"],
        lambda ws, root: workspace_changes(
            ws, since="0.1", lang="fr", include_drafts=True, anonymize=True, today=build_date()
        ),
        _built,
    ),
    "comments": (
        ["comments", "{root}/" + REMARKED],
        lambda ws, root: gather([root / REMARKED], ws.actors, root=root),
        _remarked,
    ),
    "export qdc": (["export", "qdc"], lambda ws, root: export_qdc(ws, lang="fr"), None),
    "export qdpx --anonymize": (
        ["export", "qdpx", "--anonymize"],
        lambda ws, root: export_qdpx(ws, lang="fr", anonymize=True),
        None,
    ),
    "build-referential": (["build-referential"], lambda ws, root: build(ws, lang="fr")[1], None),
    "build-referential --lang en --include-drafts": (
        ["build-referential", "--lang", "en", "--include-drafts"],
        lambda ws, root: build(check_workspace(root, lang="en")[0], lang="en", include_drafts=True)[1],
        None,
    ),
    "profile": (["profile", "stadd"], lambda ws, root: send_sheets(ws, ["stadd"], lang="fr", today=build_date()), None),
    "profile --all": (
        ["profile", "--all"],
        lambda ws, root: send_sheets(ws, None, lang="fr", today=build_date()),
        None,
    ),
    "import": (["import", "{root}/" + FORM], lambda ws, root: [import_form(ws, root / FORM, lang="fr")], _form),
}


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("bundled") / "ws"
    create_workspace(root, example=True, lang="fr")
    return root


def _copy(example: Path, to: Path, prepare: Callable[[Path], None] | None) -> Path:
    root = Path(shutil.copytree(example, to))
    if prepare is not None:
        prepare(root)
    return root


@pytest.mark.parametrize("name", sorted(LIBRARY))
def test_json_is_what_the_library_returns(example: Path, tmp_path: Path, name: str) -> None:
    args, library, prepare = LIBRARY[name]
    cli_root, lib_root = _copy(example, tmp_path / "cli", prepare), _copy(example, tmp_path / "lib", prepare)
    words = [word.format(root=cli_root) for word in args]
    result = runner.invoke(app, [*words, "--format", "json", "--workspace", str(cli_root)], catch_exceptions=False)
    assert result.exit_code in (0, 1), result.output  # 1: the report holds errors (validate, import)
    returned = library(check_workspace(lib_root, lang="fr")[0], lib_root)
    dumped = (
        [row.model_dump(mode="json") for row in returned]
        if isinstance(returned, list)
        else returned.model_dump(mode="json")
    )
    expected = json.loads(json.dumps(dumped).replace(str(lib_root), str(cli_root)))  # absolute paths, if any
    assert expected and json.loads(result.stdout) == expected


def test_every_reporting_command_has_a_row() -> None:
    """Each command offering ``--format`` is compared with its library above."""
    group = typer.main.get_group(app)

    def reporting(command: Any, path: tuple[str, ...]) -> set[tuple[str, ...]]:
        found = {path} if any("--format" in getattr(p, "opts", ()) for p in command.params) else set()
        for name, sub in getattr(command, "commands", {}).items():
            found |= reporting(sub, (*path, name))
        return found

    def command_of(args: list[str]) -> tuple[str, ...]:
        command: Any = group
        path: tuple[str, ...] = ()
        for word in args:
            command = getattr(command, "commands", {}).get(word)
            if command is None:
                break
            path += (word,)
        return path

    assert reporting(group, ()) == {command_of(args) for args, _, _ in LIBRARY.values()}
