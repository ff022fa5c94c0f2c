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


def test_each_write_has_its_own_temporary_name_that_sync_clients_and_validate_skip(tmp_path: Path) -> None:
    from ess_coop.files import is_ignored_file

    target = tmp_path / "actors.yaml"
    names = {atomic.temp_name(target).name for _ in range(50)}
    assert len(names) == 50
    assert all(name.startswith("~actors.yaml.") and name.endswith(".tmp") and is_ignored_file(name) for name in names)
    assert is_ignored_file(atomic.lock_name(target).name) and atomic.lock_name(target).name.startswith("~")


def test_a_held_lock_makes_others_wait_then_say_busy(tmp_path: Path) -> None:
    from ess_coop.errors import UserError

    target = tmp_path / "actors.yaml"
    target.write_text("mine")
    with atomic.locked(target):
        assert atomic.lock_name(target).exists()
        with pytest.raises(UserError) as caught, atomic.locked(target, wait=0.2):
            target.write_text("never")
        assert caught.value.code == "file-busy"
    assert target.read_text() == "mine" and not atomic.lock_name(target).exists()


def test_a_stale_lock_is_broken(tmp_path: Path) -> None:
    import os
    import time

    target = tmp_path / "actors.yaml"
    lock = atomic.lock_name(target)
    lock.write_text("4242 a process that died\n")
    old = time.time() - atomic.STALE_AFTER - 1
    os.utime(lock, (old, old))
    with atomic.locked(target, wait=1):
        assert lock.read_text() != "4242 a process that died\n"
    assert [p.name for p in tmp_path.iterdir()] == []


def test_a_fresh_lock_is_not_broken(tmp_path: Path) -> None:
    from ess_coop.errors import UserError

    target = tmp_path / "actors.yaml"
    atomic.lock_name(target).write_text("4242 a colleague's command, running\n")
    with pytest.raises(UserError), atomic.locked(target, wait=0.1):
        pass
    assert atomic.lock_name(target).read_text() == "4242 a colleague's command, running\n"
