"""Only regular files are read: links out of the workspace, pipes and devices are never opened,
and a size limit counts the bytes read. Each case runs the real CLI in a subprocess with a
timeout, so a hang fails the test instead of the suite."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ess_coop import safefile
from ess_coop.cli import app
from samples import TRANSCRIPT_PATH, MakeWorkspace

T = TRANSCRIPT_PATH
runner = CliRunner()


def validate(root: Path, *args: str) -> tuple[int, dict[str, object] | str]:
    """``ess-coop validate --format json`` in a process of its own, killed after 30 s."""
    done = subprocess.run(
        [sys.executable, "-m", "ess_coop", "validate", "--format", "json", "-w", str(root), *args],
        capture_output=True,
        text=True,
        timeout=30,
        env={**os.environ, "ESS_COOP_NO_CACHE": "1"},
    )
    try:
        return done.returncode, json.loads(done.stdout)
    except ValueError:
        return done.returncode, done.stdout + done.stderr


def findings(report: dict[str, object] | str, code: str) -> list[tuple[str, str]]:
    assert isinstance(report, dict), report
    issues = report["issues"]
    assert isinstance(issues, list)
    return [(i["path"], i["message"]) for i in issues if i["code"] == code]


@pytest.mark.parametrize(
    ("rel", "target"),
    [(T, "/dev/zero"), (T, "/dev/urandom"), ("actors.yaml", "/dev/zero"), ("ess-coop.yaml", "/dev/urandom")],
)
def test_link_to_a_device_outside_is_a_finding(make_workspace: MakeWorkspace, rel: str, target: str) -> None:
    root = make_workspace()
    (root / rel).unlink()
    (root / rel).symlink_to(target)
    code, report = validate(root)
    assert code == 1
    assert findings(report, "link-outside-workspace") == [
        (rel, f"lien symbolique vers {target}, hors de l'espace de travail : il n'a pas été suivi")
    ]


def test_named_pipe_is_a_finding_and_never_hangs(make_workspace: MakeWorkspace) -> None:
    root = make_workspace()
    (root / T).unlink()
    os.mkfifo(root / T)
    (root / "templates/themes.yaml").unlink()
    os.mkfifo(root / "templates/themes.yaml")
    code, report = validate(root)
    assert code == 1
    assert [path for path, _ in findings(report, "not-a-regular-file")] == [T, "templates/themes.yaml"]


def test_device_node_inside_the_workspace_is_a_finding(make_workspace: MakeWorkspace) -> None:
    root = make_workspace()
    (root / T).unlink()
    try:
        os.mknod(root / T, stat.S_IFCHR | 0o644, os.makedev(1, 5))  # /dev/zero's numbers
    except (PermissionError, AttributeError):
        pytest.skip("creating a device node needs privileges")
    code, report = validate(root)
    assert code == 1
    assert [path for path, _ in findings(report, "not-a-regular-file")] == [T]


def test_link_that_stays_inside_is_followed(make_workspace: MakeWorkspace) -> None:
    root = make_workspace()
    (root / "shared").mkdir()
    (root / T).rename(root / "shared/transcript.yaml")
    (root / T).symlink_to(Path("../../shared/transcript.yaml"))
    code, report = validate(root)
    assert code == 0, report


def test_link_to_a_file_elsewhere_is_not_read(make_workspace: MakeWorkspace, tmp_path: Path) -> None:
    root = make_workspace()
    secret = tmp_path / "secret.yaml"
    secret.write_text((root / T).read_text("utf-8"), encoding="utf-8")
    (root / T).unlink()
    (root / T).symlink_to(secret)
    code, report = validate(root)
    assert code == 1
    assert findings(report, "link-outside-workspace")[0][0] == T


def test_size_limit_counts_bytes_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "big.yaml"
    path.write_bytes(b"x" * (3 * 1024 * 1024))
    asked: list[int] = []
    real_read = os.read

    def counting_read(fd: int, n: int) -> bytes:
        asked.append(n)
        return real_read(fd, n)

    monkeypatch.setattr(safefile.os, "read", counting_read)
    with pytest.raises(safefile.FileRefused) as caught:
        safefile.read_bytes(path, limit=1024 * 1024)
    assert caught.value.code == "file-too-large"
    assert sum(asked) == 1024 * 1024 + 1  # never more than the limit and one byte


def test_size_limit_does_not_trust_st_size(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "grows.yaml"
    path.write_bytes(b"x" * 5000)
    real_fstat = os.fstat

    def says_empty(fd: int) -> os.stat_result:  # like /proc files and files still being written
        values = list(real_fstat(fd))
        values[stat.ST_SIZE] = 0
        return os.stat_result(values)

    monkeypatch.setattr(safefile.os, "fstat", says_empty)
    with pytest.raises(safefile.FileRefused) as caught:
        safefile.read_bytes(path, limit=4096)
    assert (caught.value.code, caught.value.params["max_kb"]) == ("file-too-large", 4)


def test_file_swapped_for_a_pipe_after_the_check_is_not_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "a.yaml"
    path.write_text("a: 1\n")
    real_check = safefile.check

    def check_then_swap(p: Path, *, root: Path | None = None) -> os.stat_result:
        checked = real_check(p, root=root)
        p.unlink()
        os.mkfifo(p)  # the race: a pipe where the file was; opening it must not block
        return checked

    monkeypatch.setattr(safefile, "check", check_then_swap)
    with pytest.raises(safefile.FileRefused) as caught:
        safefile.read_bytes(path, limit=1024)
    assert caught.value.code == "not-a-regular-file"


def test_actors_add_refuses_a_pipe_in_one_line(make_workspace: MakeWorkspace) -> None:
    root = make_workspace()
    done = subprocess.run(
        [sys.executable, "-m", "ess_coop", "validate", "-w", str(root)], capture_output=True, text=True, timeout=30
    )
    assert done.returncode == 0
    (root / "actors.yaml").unlink()
    os.mkfifo(root / "actors.yaml")
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "ess_coop",
            "actors",
            "add",
            "-w",
            str(root),
            "--name",
            "X",
            "--country",
            "FR",
            "--type=ngo",
        ],
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert done.returncode == 1
    assert done.stderr.count("\n") == 1 and "actors.yaml" in done.stderr, done.stderr
    assert stat.S_ISFIFO((root / "actors.yaml").lstat().st_mode)  # left as it was


def test_output_that_is_a_pipe_is_never_opened_nor_replaced(make_workspace: MakeWorkspace) -> None:
    root = make_workspace()
    (root / "output").mkdir(exist_ok=True)
    os.mkfifo(root / "output/referentiel.docx")
    done = subprocess.run(
        [sys.executable, "-m", "ess_coop", "build-referential", "-w", str(root), "--format", "json"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    documents = json.loads(done.stdout)["documents"]
    assert (documents[0]["path"], documents[0]["reason"]) == ("output/referentiel-2.docx", "not-a-file")
    assert stat.S_ISFIFO((root / "output/referentiel.docx").lstat().st_mode)


def test_template_link_leaving_the_workspace_is_refused(make_workspace: MakeWorkspace) -> None:
    root = make_workspace()
    (root / "templates/referentiel.docx").symlink_to("/etc/hostname")
    template = str(root / "templates/referentiel.docx")
    result = runner.invoke(app, ["build-referential", "-w", str(root), "--template", template])
    assert result.exit_code == 1
    assert "hors de l'espace de travail" in result.output and len(result.output.strip().splitlines()) == 1
    assert not (root / "output/referentiel.docx").exists()


def test_actor_folder_linked_out_of_the_workspace_is_not_walked(make_workspace: MakeWorkspace, tmp_path: Path) -> None:
    root = make_workspace()
    elsewhere = tmp_path / "elsewhere"
    (elsewhere / "deep").mkdir(parents=True)
    (elsewhere / "2024-07-03-tg-b.yaml").write_text("id: x\n")
    (elsewhere / "deep/old.yaml").write_text("id: y\n")
    (root / "interviews/tg-b").symlink_to(elsewhere, target_is_directory=True)
    code, report = validate(root)
    assert code == 1
    assert findings(report, "link-outside-workspace") == [
        (
            "interviews/tg-b",
            f"lien symbolique vers {os.path.realpath(elsewhere)}, hors de l'espace de travail : il n'a pas été suivi",
        )
    ]
    assert isinstance(report, dict) and [i["code"] for i in report["issues"]] == ["link-outside-workspace"]


def test_a_link_to_a_sibling_folder_whose_name_begins_like_the_workspace_leads_out(tmp_path: Path) -> None:
    """``/x/ws-old/a.yaml`` is not inside ``/x/ws``: the comparison is by folder, not by text."""
    root, sibling = tmp_path / "ws", tmp_path / "ws-old"
    (root / "interviews").mkdir(parents=True)
    sibling.mkdir()
    (sibling / "a.yaml").write_text("id: a\n")
    (root / "interviews" / "a.yaml").symlink_to(sibling / "a.yaml")
    (root / "interviews" / "b.yaml").symlink_to(root / "interviews" / "c.yaml")
    (root / "interviews" / "c.yaml").write_text("id: c\n")
    assert safefile.outside(root / "interviews" / "a.yaml", root) == (sibling / "a.yaml").resolve()
    assert safefile.outside(root / "interviews" / "b.yaml", root) is None  # a link that stays inside
    assert safefile.outside(root, root) is None
