"""Faults found by hostile testing (issue 17) that surface in commands: one clear line each."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ess_coop.cli import app
from samples import TRANSCRIPT, TRANSCRIPT_PATH, MakeWorkspace

runner = CliRunner()


def run(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.output


@pytest.mark.parametrize(
    ("setup", "shown"),
    [
        ("output-file", "output: « output » est un fichier, alors qu'il faut ici un dossier — renommez ou déplacez ce"),
        ("docx-folder", "output/referentiel.docx: « referentiel.docx » est un dossier, alors qu'il faut ici un"),
    ],
)
def test_build_with_something_in_the_way(make_workspace: MakeWorkspace, setup: str, shown: str) -> None:
    root = make_workspace()
    if setup == "output-file":
        (root / "output").write_text("not a folder\n")
    else:
        (root / "output/referentiel.docx").mkdir(parents=True)
    code, out = run("build-referential", "--workspace", str(root))
    assert code == 1
    assert "erreur inattendue" not in out and "Error" not in out
    assert f"{root}/{shown}" in out
    assert len(out.strip().splitlines()) == 1


def test_new_interview_with_interviews_as_a_file(make_workspace: MakeWorkspace) -> None:
    root = make_workspace({TRANSCRIPT_PATH: None, "interviews": "x\n"})
    code, out = run("new-interview", "fr-a", "--workspace", str(root), "--lang", "en")
    assert code == 1
    assert out.strip() == (
        f'Error: {root}/interviews: "interviews" is a file where a folder is needed — '
        "rename or move this file, then run the command again"
    )


@pytest.mark.parametrize(
    "command",
    [["build-referential"], ["status"], ["profile", "fr-a"], ["privacy"], ["export", "qdpx"], ["actors"]],
)
def test_every_command_refuses_interviews_as_a_file(make_workspace: MakeWorkspace, command: list[str]) -> None:
    """Not an empty draft nor "0 of 2 interviewed" as if nobody had been met: one clear line."""
    root = make_workspace({TRANSCRIPT_PATH: None, "interviews": "x\n"})
    code, out = run(*command, "--workspace", str(root), "--lang", "en")
    assert code == 1
    assert out.strip() == (
        f'Error: {root}/interviews: "interviews" is a file where a folder is needed — '
        "rename or move this file, then run the command again"
    )
    assert not (root / "output").exists()


def test_new_interview_docx_with_unwritable_output_writes_nothing(
    make_workspace: MakeWorkspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = make_workspace({TRANSCRIPT_PATH: None})
    real = Path.write_bytes

    def refuse(self: Path, data: bytes) -> int:  # a read-only share (chmod does not stop root, who runs CI)
        if self.parent.name == "output":
            raise PermissionError(13, "Permission denied", str(self))
        return real(self, data)

    monkeypatch.setattr(Path, "write_bytes", refuse)
    code, out = run("new-interview", "fr-a", "--docx", "--workspace", str(root), "--lang", "en")
    assert code == 1
    assert out.strip() == (
        f'Error: {root}/output: cannot write in the folder "output" (Permission denied); '
        "nothing was written — check the folder's permissions and the free disk space, "
        "then run the command again"
    )
    assert not (root / "interviews").exists()


def test_new_interview_docx_failing_late_says_the_interview_exists(
    make_workspace: MakeWorkspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ess_coop import guide_docx
    from ess_coop.errors import UserError

    def fail(*args: object, **kwargs: object) -> Path:
        raise UserError("write-failed", path="output/guide.docx", reason="No space left on device")

    monkeypatch.setattr(guide_docx, "write_guide", fail)
    root = make_workspace({TRANSCRIPT_PATH: None})
    code, out = run("new-interview", "fr-a", "--docx", "--date", "2024-07-09", "--workspace", str(root), "--lang", "en")
    assert code == 1
    assert "the Word guide could not be written (No space left on device); the interview " in out
    assert "interviews/fr-a/2024-07-09-fr-a.yaml was created" in out
    assert "existing file" not in out
    assert (root / "interviews/fr-a/2024-07-09-fr-a.yaml").is_file()


@pytest.mark.parametrize("drafts", [[], ["--include-drafts"]])
def test_profile_of_an_actor_whose_interview_has_errors(make_workspace: MakeWorkspace, drafts: list[str]) -> None:
    root = make_workspace({TRANSCRIPT_PATH: TRANSCRIPT.replace("sdgs: [12]", "sdgs: [18]")})
    code, out = run("profile", "fr-a", *drafts, "--workspace", str(root), "--lang", "en")
    assert code == 1
    assert out.strip() == (
        f'Error: {TRANSCRIPT_PATH}: the interview of "fr-a" has errors: the profile cannot use it — '
        f"run ess-coop validate {TRANSCRIPT_PATH} and fix them, then run the command again"
    )


def test_profile_with_drafts_of_an_actor_never_interviewed(make_workspace: MakeWorkspace) -> None:
    code, out = run("profile", "fr-b", "--include-drafts", "--workspace", str(make_workspace()), "--lang", "en")
    assert code == 1
    assert "--include-drafts" not in out
    assert out.strip() == 'Error: "fr-b" has no interview yet — create it with ess-coop new-interview fr-b'


@pytest.mark.parametrize("themes", [None, "themes:\n  - id: Compost\n    label: {fr: Compostage}\n"])
def test_build_stops_on_a_missing_or_broken_vocabulary(make_workspace: MakeWorkspace, themes: str | None) -> None:
    root = make_workspace({"templates/themes.yaml": themes})
    code, out = run("build-referential", "--workspace", str(root), "--lang", "en")
    assert code == 1
    assert out.strip() == (
        "Error: the file templates/themes.yaml has errors — run ess-coop validate to see and fix them"
    )
    assert not (root / "output/referentiel.docx").exists()


@pytest.mark.parametrize("command", [["build-referential"], ["validate"]])
def test_a_closed_pipe_ends_quietly(make_workspace: MakeWorkspace, command: list[str]) -> None:
    """`ess-coop build-referential | head -3`: the reader is gone before we write (its end of
    the pipe is closed at once here, so the test does not depend on timing)."""
    root = make_workspace()
    proc = subprocess.Popen(
        [sys.executable, "-m", "ess_coop", *command, "--workspace", str(root)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**os.environ, "COLUMNS": "80"},
    )
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.close()
    errors = proc.stderr.read().decode()
    assert proc.wait(timeout=120) == 1
    assert errors == ""


def test_a_file_name_with_control_characters_reaches_the_terminal_escaped(make_workspace: MakeWorkspace) -> None:
    root = make_workspace({"interviews/fr-a/2024-07-03-fr-a\x07\u202e.yaml": TRANSCRIPT})
    code, out = run("validate", "--workspace", str(root), "--lang", "en")
    assert code == 1
    assert "\x07" not in out and "\u202e" not in out
    assert "interviews/fr-a/2024-07-03-fr-a\\u0007\\u202e.yaml:2:5: error id-mismatch" in out


@pytest.mark.parametrize(
    "command",
    [["validate"], ["validate", "--format", "json"], ["status"], ["status", "--format", "json"], ["actors"],
     ["build-referential"], ["profile", "fr-a"], ["privacy"]],
)  # fmt: skip
def test_links_that_lead_round_in_circles_are_refused_where_they_are(
    make_workspace: MakeWorkspace, command: list[str]
) -> None:
    """A link to itself, two links to each other, a folder link looping back: never "unexpected
    error", and in validate a file-unreadable finding on the link, not "missing file"."""
    root = make_workspace()
    folder = root / "interviews" / "fr-a"
    (folder / "2024-08-01-fr-a.yaml").symlink_to("2024-08-01-fr-a.yaml")
    (root / "interviews" / "a").symlink_to("b")
    (root / "interviews" / "b").symlink_to("a")
    (folder / "sub").mkdir()
    (folder / "sub" / "back").symlink_to("..")
    code, out = run(*command, "--workspace", str(root))
    assert "erreur inattendue" not in out and "Traceback" not in out, out
    if command == ["validate"]:
        assert code == 1
        assert "interviews/fr-a/2024-08-01-fr-a.yaml:" in out and "file-unreadable" in out
        assert "missing-file" not in out


def test_the_workspace_language_is_read_from_the_beginning_of_the_project_file_only(
    make_workspace: MakeWorkspace,
) -> None:
    """Every command, --help included, looks for ``language:`` before anything else: a project
    file of 64 MB (a mistake, or a link to something big) must not be read whole."""
    import tracemalloc

    from ess_coop.cli import _workspace_language

    root = make_workspace()
    project = root / "ess-coop.yaml"
    project.write_text("language: en\n" + project.read_text("utf-8"), "utf-8")
    os.truncate(project, 64 * 1024 * 1024)
    tracemalloc.start()
    try:
        assert _workspace_language(["-w", str(root)]) == "en"
        assert tracemalloc.get_traced_memory()[1] < 5 * 1024 * 1024
    finally:
        tracemalloc.stop()


@pytest.mark.parametrize("command", [["build-referential"], ["changes"]])
def test_a_pipe_or_a_device_among_the_edition_records_is_skipped(
    make_workspace: MakeWorkspace, command: list[str]
) -> None:
    root = make_workspace()
    editions = root / "output" / "editions"
    editions.mkdir(parents=True)
    os.mkfifo(editions / "referentiel-0.1.json")
    (editions / "referentiel-0.2.json").symlink_to("/dev/zero")
    done = subprocess.run(
        [sys.executable, "-m", "ess_coop", *command, "-w", str(root)],
        capture_output=True, text=True, timeout=60, env={**os.environ, "ESS_COOP_NO_CACHE": "1"},
    )  # fmt: skip
    assert "erreur inattendue" not in done.stdout + done.stderr, done.stdout + done.stderr


def test_a_refused_import_is_one_line_naming_the_file_once_even_in_a_pipe(make_workspace: MakeWorkspace) -> None:
    """Piped, a terminal is 80 columns wide for Rich: a long refusal was cut into three lines,
    and it began with the file's name twice ("bad.docx : bad.docx: …")."""
    root = make_workspace()
    (root / "bad.docx").write_bytes(b"not a zip")
    (root / "dir.docx").mkdir()
    done = subprocess.run(
        [sys.executable, "-m", "ess_coop", "import", "bad.docx", "dir.docx"],
        capture_output=True, text=True, timeout=60, cwd=root, env={**os.environ, "COLUMNS": "80"},
    )  # fmt: skip
    lines = done.stderr.splitlines()
    assert [line.split(":")[0] for line in lines] == ["bad.docx", "dir.docx"], done.stderr
    assert [line.count(name) for line, name in zip(lines, ["bad.docx", "dir.docx"], strict=True)] == [1, 1]
