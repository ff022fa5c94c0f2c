"""Safe writes: atomic, never over a file someone has open or has edited, quiet when unchanged."""

from __future__ import annotations

from pathlib import Path

import pytest

from ess_coop import atomic


def test_write_bytes_leaves_no_temporary(tmp_path: Path) -> None:
    target = tmp_path / "a.yaml"
    atomic.write_bytes(target, b"one")
    atomic.write_bytes(target, b"two")
    assert target.read_bytes() == b"two"
    assert [p.name for p in tmp_path.iterdir()] == ["a.yaml"]


def test_create_new_never_overwrites(tmp_path: Path) -> None:
    target = tmp_path / "x.yaml"
    assert atomic.create_new(target, b"first")
    assert not atomic.create_new(target, b"second")
    assert target.read_bytes() == b"first"
    assert [p.name for p in tmp_path.iterdir()] == ["x.yaml"]


def test_output_unchanged_is_not_rewritten(tmp_path: Path) -> None:
    target = tmp_path / "referentiel.docx"
    assert atomic.write_output(target, b"doc").status == "written"
    before = target.stat().st_mtime_ns
    assert atomic.write_output(target, b"doc").status == "unchanged"
    assert target.stat().st_mtime_ns == before


@pytest.mark.parametrize("lock", ["~$ferentiel.docx", "~$referentiel.docx", ".~lock.referentiel.docx#"])
def test_output_open_in_word_or_libreoffice_is_not_clobbered(tmp_path: Path, lock: str) -> None:
    target = tmp_path / "referentiel.docx"
    atomic.write_output(target, b"v1")
    (tmp_path / lock).write_text("owner")
    written = atomic.write_output(target, b"v2")
    assert (written.path.name, written.status, written.reason) == ("referentiel-2.docx", "renamed", "locked")
    assert target.read_bytes() == b"v1" and written.path.read_bytes() == b"v2"


def test_output_edited_by_hand_is_not_clobbered(tmp_path: Path) -> None:
    target = tmp_path / "referentiel.docx"
    atomic.write_output(target, b"v1")
    target.write_bytes(b"v1 with the committee's corrections")
    written = atomic.write_output(target, b"v2")
    assert (written.path.name, written.reason) == ("referentiel-2.docx", "edited")
    assert target.read_bytes() == b"v1 with the committee's corrections"
    assert atomic.write_output(target, b"v3").path.name == "referentiel-2.docx"  # ours: reused
