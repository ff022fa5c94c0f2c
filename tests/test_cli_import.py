"""``new-interview --form docx`` then ``import``: the Word route, end to end through the CLI."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from ess_coop.cli import app
from ess_coop.yamlio import read_yaml
from samples import MakeWorkspace

runner = CliRunner()


def run(root: Path, *args: str) -> tuple[int, str]:
    result = runner.invoke(app, [*args, "--workspace", str(root)])
    return result.exit_code, result.output


def test_form_then_import(make_workspace: MakeWorkspace) -> None:
    root = make_workspace()
    code, out = run(root, "new-interview", "tg-a", "--form", "docx", "--date", "2025-01-02", "-i", "STADD")
    assert code == 0, out
    assert "interviews/tg-a/2025-01-02-tg-a.docx" in out and "ess-coop import" in out
    form = root / "interviews/tg-a/2025-01-02-tg-a.docx"
    before = form.read_bytes()
    code, out = run(root, "import", str(form))
    assert code == 0, out
    assert "→ interviews/tg-a/2025-01-02-tg-a.yaml" in out
    data = read_yaml(root / "interviews/tg-a/2025-01-02-tg-a.yaml").data
    assert data["actor"] == "tg-a" and data["interviewers"] == ["STADD"] and data["status"] == "draft"
    assert form.read_bytes() == before  # the form is only read


def test_second_import_never_overwrites(make_workspace: MakeWorkspace) -> None:
    root = make_workspace()
    run(root, "new-interview", "tg-a", "--form", "docx", "--date", "2025-01-02")
    form = str(root / "interviews/tg-a/2025-01-02-tg-a.docx")
    run(root, "import", form)
    first = (root / "interviews/tg-a/2025-01-02-tg-a.yaml").read_bytes()
    code, out = run(root, "import", form, "--format", "json")
    assert code == 0
    [result] = json.loads(out)
    assert result["transcript_path"].endswith("2025-01-02-tg-a-2.yaml")
    assert (root / "interviews/tg-a/2025-01-02-tg-a.yaml").read_bytes() == first


def test_yaml_skeleton_after_a_form_takes_the_next_id(make_workspace: MakeWorkspace) -> None:
    root = make_workspace()
    run(root, "new-interview", "tg-a", "--form", "docx", "--date", "2025-01-02")
    code, out = run(root, "new-interview", "tg-a", "--date", "2025-01-02")
    assert code == 0 and "interviews/tg-a/2025-01-02-tg-a-2.yaml" in out


def test_a_file_that_is_not_a_form_fails_alone(make_workspace: MakeWorkspace) -> None:
    root = make_workspace({"notes.docx": "not a zip"})
    code, out = run(root, "import", str(root / "notes.docx"))
    assert code == 1
    assert "0 formulaire(s) importé(s), 1 en échec." in out
