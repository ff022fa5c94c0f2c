"""``--open``: what was written is handed to the system's opener (replaced here), and a computer
with no way to open it is said so; the opener itself on Windows, macOS and Linux."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ess_coop import opening
from ess_coop.cli import app
from samples import MakeWorkspace

runner = CliRunner()


@pytest.fixture
def opened(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """The files the commands asked to open (the system is not asked)."""
    calls: list[Path] = []

    def fake(path: Path) -> bool:
        calls.append(Path(path))
        return True

    monkeypatch.setattr(opening, "open_path", fake)
    return calls


@pytest.mark.parametrize(
    ("args", "written"),
    [
        (["build-referential", "--open"], "output/referentiel.docx"),
        (["build-referential", "--xlsx", "--open", "--format", "json"], "output/referentiel.docx"),
        (["profile", "fr-a", "--open"], "output/fiche-fr-a.docx"),
        (["new-interview", "tg-a", "--date", "2024-08-20", "--form", "docx", "--open"],
         "interviews/tg-a/2024-08-20-tg-a.docx"),
        (["new-interview", "tg-a", "--date", "2024-08-21", "--docx", "--open"], "output/guide-2024-08-21-tg-a.docx"),
        (["new-interview", "tg-a", "--date", "2024-08-22", "--open"], "interviews/tg-a/2024-08-22-tg-a.yaml"),
    ],
)  # fmt: skip
def test_open_hands_the_written_file_to_the_system(make_workspace: MakeWorkspace, opened: list[Path],
                                                   args: list[str], written: str) -> None:  # fmt: skip
    root = make_workspace()
    result = runner.invoke(app, [*args, "--workspace", str(root)])
    assert result.exit_code == 0, result.output
    assert opened == [root / written]
    assert (root / written).is_file()
    assert f"Ouvert avec l'application habituelle : {root / written}" in result.output
    if "json" in args:  # stdout holds the report alone; the line about opening went to stderr
        assert json.loads(result.stdout)["documents"][0]["path"] == written


def test_without_open_nothing_is_opened(make_workspace: MakeWorkspace, opened: list[Path]) -> None:
    assert runner.invoke(app, ["build-referential", "--workspace", str(make_workspace())]).exit_code == 0
    assert opened == []


def test_no_way_to_open_is_said_and_is_not_a_failure(make_workspace: MakeWorkspace,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:  # fmt: skip
    monkeypatch.setattr(opening, "open_path", lambda path: False)
    root = make_workspace()
    result = runner.invoke(app, ["--lang", "en", "profile", "fr-a", "--open", "--workspace", str(root)])
    assert result.exit_code == 0
    assert result.output.splitlines()[-1] == (
        f"Cannot open {root / 'output/profile-fr-a.docx'}: no application to open it on this computer; "
        "open the file yourself."
    )


# --- the opener, system by system ------------------------------------------------------------


def fake_command(folder: Path, name: str, exit_code: int) -> Path:
    """An executable ``name`` in ``folder`` that records its argument and exits with ``exit_code``."""
    log = folder / f"{name}.log"
    script = folder / name
    script.write_text(f'#!/bin/sh\necho "$1" >> "{log}"\nexit {exit_code}\n', encoding="utf-8")
    script.chmod(0o755)
    return log


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX shell scripts stand for the system's opener")
@pytest.mark.parametrize(("platform", "command"), [("linux", "xdg-open"), ("darwin", "open")])
def test_the_system_opener_is_asked(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, platform: str,
                                    command: str) -> None:  # fmt: skip
    log = fake_command(tmp_path, command, 0)
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.setenv("DISPLAY", ":0")
    monkeypatch.setattr(sys, "platform", platform)
    assert opening.open_path(tmp_path / "a b.docx") is True
    assert log.read_text("utf-8") == f"{tmp_path / 'a b.docx'}\n"


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX shell scripts stand for the system's opener")
def test_linux_without_desktop_or_opener_cannot_open(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(sys, "platform", "linux")
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    log = fake_command(tmp_path, "xdg-open", 0)
    assert opening.open_path(tmp_path / "x.docx") is False  # no desktop session
    assert not log.exists()
    monkeypatch.setenv("DISPLAY", ":0")
    log.parent.joinpath("xdg-open").unlink()
    assert opening.open_path(tmp_path / "x.docx") is False  # no xdg-open
    fake_command(tmp_path, "xdg-open", 3)  # xdg-open: "no method available for opening"
    assert opening.open_path(tmp_path / "x.docx") is False


def test_windows_uses_startfile(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    started: list[Path] = []
    monkeypatch.setattr(sys, "platform", "win32")
    monkeypatch.setattr(os, "startfile", started.append, raising=False)
    assert opening.open_path(tmp_path / "x.docx") is True
    assert started == [tmp_path / "x.docx"]

    def no_association(path: Path) -> None:
        raise OSError("No application is associated with the specified file")

    monkeypatch.setattr(os, "startfile", no_association, raising=False)
    assert opening.open_path(tmp_path / "x.md") is False


def test_with_pdf_the_pdf_is_opened_too(make_workspace: MakeWorkspace, opened: list[Path]) -> None:
    root = make_workspace()
    result = runner.invoke(app, ["build-referential", "--pdf", "--xlsx", "--open", "--workspace", str(root)])
    assert result.exit_code == 0, result.output
    assert opened == [root / "output/referentiel.docx", root / "output/referentiel.pdf"]  # not the workbook
