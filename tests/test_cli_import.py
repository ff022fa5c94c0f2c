"""``new-interview --form docx`` then ``import``: the Word route, end to end through the CLI."""

from __future__ import annotations

import datetime as dt
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


def _workspace(root: Path) -> Path:
    """The small test workspace with a Word form (its consent boxes left empty) and a Kobo
    export of two submissions (one with an unknown theme, one whose organisation is missing)."""
    from ess_coop.forms.writer import write_form
    from ess_coop.validation import check_workspace
    from kobo_samples import submission, write_json
    from samples import BASE_FILES

    for rel, text in BASE_FILES.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, "utf-8")
    ws, _ = check_workspace(root)
    write_form(ws, "tg-a", date=dt.date(2025, 1, 2), interviewers=["Xylm"], mode="video", lang="fr")
    themes = [{"expectation_text": "Composter.", "expectation_themes": "compst"}]
    write_json(root / "kobo.json", [submission("u-1", "tg-b", expectations=themes), submission("u-2", "")])
    return root


def test_json_is_a_report_per_file_as_the_library_returns(tmp_path: Path) -> None:
    from ess_coop.forms.importer import import_form
    from ess_coop.kobo_import import import_export
    from ess_coop.validation import check_workspace

    files = ("interviews/tg-a/2025-01-02-tg-a.docx", "kobo.json")
    cli_root, lib_root = _workspace(tmp_path / "cli"), _workspace(tmp_path / "lib")
    code, out = run(cli_root, "import", *(str(cli_root / f) for f in files), "--format", "json")
    ws, _ = check_workspace(lib_root)
    returned = [import_form(ws, lib_root / files[0], lang="fr"), import_export(ws, lib_root / files[1], lang="fr")]
    expected = json.loads(
        json.dumps([r.model_dump(mode="json") for r in returned]).replace(str(lib_root), str(cli_root))
    )
    assert json.loads(out) == expected
    assert code == 1  # a submission could not be imported: an error, as validate's
    _, validate = run(cli_root, "validate", "--format", "json")
    for report in expected:  # each file's report is shaped as validate's, with what was imported
        assert {"valid", "issues", "stats"} <= set(report) and set(report["stats"]) == set(
            json.loads(validate)["stats"]
        )
        assert all(set(issue) == set(json.loads(validate)["issues"][0]) for issue in report["issues"])
    form, export = expected
    assert [i["code"] for i in form["issues"]] == ["import-consent-empty"] * 3
    assert [(i["code"], i["severity"]) for i in export["issues"]] == [
        ("kobo-unknown-theme", "warning"),  # the first submission: the import's findings,
        ("kobo-required-unanswered", "warning"),
        ("sensitive-consent", "warning"),  # then the validator's on the transcript written
        ("too-few-items", "error"),
        ("kobo-actor-missing", "error"),  # the second submission, not imported
    ]
    assert (form["valid"], export["valid"], export["stats"]["transcripts"]) == (True, False, 1)
