"""Writing files so that a synced folder never sees a half-written or clobbered file.

Every file ess-coop writes goes through here: the bytes go to a temporary file in the same
folder, under a name sync clients skip (``~name.<pid>-<random>.ess-coop.tmp`` matches the
``~*.tmp`` rule of Dropbox, Nextcloud and OneDrive, and ``validate`` skips it), then replace the
target in one step. Each write has its own temporary name, so two processes writing the same
file never share (and steal) one. Windows refuses the replace while another program holds the
target open: we retry briefly, then give up with a clear error, leaving the existing file untouched.

A read-modify-write of a shared file (the registry, the outputs ledger) runs under :func:`locked`:
a short-lived lock file beside it (``~name.ess-coop-lock.tmp``, skipped like the temporaries),
created exclusively, removed when done, and broken when older than :data:`STALE_AFTER` (its
owner died). It only orders the processes of one computer; across computers (a sync client),
callers still re-read and compare before they write.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import secrets
import stat
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from pydantic import BaseModel

from ess_coop import safefile
from ess_coop.errors import UserError, path_in_the_way

_RETRIES = (0.05, 0.1, 0.2, 0.4, 0.8)
_NAME_ROOM = 150  # of the target's name kept in a temporary name: the whole stays under 255 bytes

STALE_AFTER = 10.0  # seconds: a lock older than this was left by a process that died
WAIT_AT_MOST = 30.0  # seconds to wait for a lock before saying the file is busy


def temp_name(target: Path) -> Path:
    """A temporary name for writing ``target``: beside it, skipped by sync clients, unique to this write."""
    return target.with_name(f"~{target.name[:_NAME_ROOM]}.{os.getpid()}-{secrets.token_hex(4)}.ess-coop.tmp")


def lock_name(target: Path) -> Path:
    """The lock file that orders the read-modify-writes of ``target``."""
    return target.with_name(f"~{target.name[:_NAME_ROOM]}.ess-coop-lock.tmp")


def _write_temp(target: Path, data: bytes) -> Path:
    tmp = temp_name(target)
    try:
        # Exclusive creation: a name that exists (a leftover, a link planted there) is never written through.
        with tmp.open("xb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
    except OSError as exc:
        raise _write_failed(target, exc, tmp) from exc
    return tmp


def _make_folder(target: Path) -> None:
    """Create the folder of ``target`` if missing; a failure (no permission, a read-only disk,
    a file or a broken link in the way) is the one-line error of a write that failed."""
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise path_in_the_way(exc) or _write_failed(target, exc) from exc


def _write_failed(target: Path, exc: OSError, leftover: Path | None = None) -> UserError:
    """The one-line error for a write of ``target`` that failed, our ``leftover`` removed first."""
    if leftover is not None:
        with contextlib.suppress(OSError):
            leftover.unlink()
    return UserError("write-failed", path=target, reason=exc.strerror or str(exc))


@contextlib.contextmanager
def locked(target: Path, *, wait: float = WAIT_AT_MOST) -> Iterator[None]:
    """Hold the lock of ``target`` (see the module docstring) while the block runs.

    Waits for another process that holds it; raises ``UserError("file-busy")`` after ``wait``
    seconds, having changed nothing.
    """
    lock = lock_name(target)
    _make_folder(lock)
    token = f"{os.getpid()} {secrets.token_hex(8)}\n".encode("ascii")
    deadline = time.monotonic() + wait
    delay = 0.005
    while True:
        try:
            fd = os.open(lock, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
        except FileExistsError:
            _break_if_stale(lock)
            if time.monotonic() > deadline:
                raise UserError("file-busy", path=target, lock=lock.name) from None
            time.sleep(delay)
            delay = min(delay * 2, 0.1)
            continue
        except OSError as exc:
            raise _write_failed(target, exc) from exc
        try:
            os.write(fd, token)
        finally:
            os.close(fd)
        break
    try:
        yield
    finally:
        with contextlib.suppress(OSError):
            if lock.read_bytes() == token:  # ours still (not broken as stale by a slower colleague)
                lock.unlink()


def _break_if_stale(lock: Path) -> None:
    """Remove ``lock`` when its owner is gone: older than ``STALE_AFTER``.

    It is first renamed to a name of our own, so that of several processes breaking it at once
    only one succeeds; if what we took turns out to be fresh (replaced meanwhile), it is put back.
    """
    try:
        if time.time() - lock.stat().st_mtime < STALE_AFTER:
            return
        taken = lock.with_name(f"{lock.name}.{os.getpid()}-{secrets.token_hex(4)}.tmp")
        lock.rename(taken)
    except OSError:
        return  # gone already, or taken by another process
    try:
        if time.time() - taken.stat().st_mtime < STALE_AFTER:
            with contextlib.suppress(OSError):
                os.link(taken, lock)  # a fresh lock: give it back (fails if a new one exists)
    finally:
        with contextlib.suppress(OSError):
            taken.unlink()


def write_bytes(target: Path, data: bytes) -> None:
    """Write ``data`` to ``target`` atomically, replacing it if it exists."""
    _make_folder(target)
    tmp = _write_temp(target, data)
    for delay in (*_RETRIES, None):
        try:
            tmp.replace(target)
            return
        except PermissionError as exc:  # Windows: the target is open in another program
            if delay is None:
                raise _write_failed(target, exc, tmp) from exc
            time.sleep(delay)
        except OSError as exc:
            raise _write_failed(target, exc, tmp) from exc


def write_text(target: Path, text: str) -> None:
    """Write UTF-8 ``text`` with LF line ends (Windows editors handle them) atomically."""
    write_bytes(target, text.encode("utf-8"))


def create_new(target: Path, data: bytes) -> bool:
    """Write ``target`` atomically only if it does not exist; ``False`` if it already did.

    Never overwrites: the complete temporary file is *linked* to the target name, which fails
    if that name is taken, even if another process created it a moment ago.
    """
    _make_folder(target)
    if target.exists():
        return False
    tmp = _write_temp(target, data)
    try:
        os.link(tmp, target)
    except FileExistsError:
        return False
    except OSError:
        # Some file systems (FAT, some network shares) cannot link: check, then replace.
        if target.exists():
            return False
        tmp.replace(target)
        return True
    finally:
        with contextlib.suppress(OSError):
            tmp.unlink()
    return True


# --- generated documents ---------------------------------------------------------------------

_LEDGER = ".ess-coop-outputs.json"  # hidden: sha256 of each file we wrote, by name


@dataclass(frozen=True)
class Written:
    """Where a generated document went, and why there if not where asked."""

    path: Path
    status: str  # "written" | "unchanged" | "renamed"
    reason: str | None = None  # with "renamed": "locked" (open in Word/LibreOffice) or "edited"


class WrittenFile(BaseModel):
    """A written file as a command's report shows it (``--format json``): its path relative to
    the workspace (as it is when outside), what happened, and why."""

    path: str
    status: str  # written | unchanged | renamed
    reason: str | None = None

    @classmethod
    def shown(cls, written: Written, root: Path) -> WrittenFile:
        try:
            path = written.path.relative_to(root).as_posix()
        except ValueError:
            path = str(written.path)
        return cls(path=path, status=written.status, reason=written.reason)


def lock_files(target: Path) -> list[Path]:
    """The lock files Word and LibreOffice leave next to a document they have open."""
    name = target.name
    candidates = [f"~${name}", f"~${name[2:]}", f".~lock.{name}#"]
    return [target.with_name(c) for c in candidates if target.with_name(c).exists()]


_LEDGER_MAX = 4 * 1024 * 1024
_OUTPUT_MAX = 1024 * 1024 * 1024  # a document of ours never comes near; a bigger file is not ours


def _ledger(folder: Path) -> dict[str, str]:
    try:
        data = json.loads(safefile.read_bytes(folder / _LEDGER, limit=_LEDGER_MAX).decode("utf-8"))
    except (safefile.FileRefused, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _digest(path: Path) -> str | None:
    """sha256 of the regular file ``path``; ``None`` for a link, a pipe, a device or an unreadable file."""
    if path.is_symlink():
        return None
    try:
        return hashlib.sha256(safefile.read_bytes(path, limit=_OUTPUT_MAX)).hexdigest()
    except safefile.FileRefused:
        return None


def write_output(target: Path, data: bytes) -> Written:
    """Write a generated document without ever clobbering one a person has open or has edited.

    Same bytes as already there: nothing is written (a synced folder uploads nothing). Target
    open in Word or LibreOffice, or changed since we wrote it (someone edited the draft), or not
    a plain file: the document goes to a new name beside it (``name-2.docx``…), and the caller
    says so. The ledger is read, checked and updated under its lock, so that builds running at
    the same time never take each other's document for one edited by hand.
    """
    folder = target.parent
    _make_folder(target)
    digest = hashlib.sha256(data).hexdigest()
    with locked(folder / _LEDGER):
        ledger = _ledger(folder)
        if os.path.lexists(target):
            if target.is_dir() and not target.is_symlink():  # a folder made by mistake: say so
                raise UserError("folder-in-the-way", path=target, name=target.name)
            current = _digest(target)
            if current == digest:
                return Written(target, "unchanged")
            reason = "locked" if lock_files(target) else None
            if reason is None and not _regular(target):  # a link, a pipe, a device: never opened
                reason = "not-a-file"
            if reason is None and (current is None or current != ledger.get(target.name)):
                reason = "edited"
            if reason:
                for n in range(2, 1000):
                    other = target.with_name(f"{target.stem}-{n}{target.suffix}")
                    if not os.path.lexists(other) or (not lock_files(other) and _ours(other, ledger)):
                        break
                write_bytes(other, data)
                _record(folder, ledger, other.name, digest)
                return Written(other, "renamed", reason)
        write_bytes(target, data)
        _record(folder, ledger, target.name, digest)
        return Written(target, "written")


def _regular(path: Path) -> bool:
    """Whether ``path`` is a plain file itself (not a link to one, a pipe, a device)."""
    try:
        return stat.S_ISREG(os.lstat(path).st_mode)
    except OSError:
        return False


def _ours(path: Path, ledger: dict[str, str]) -> bool:
    """Whether ``path`` is as we last wrote it."""
    current = _digest(path)
    return current is not None and ledger.get(path.name) == current


def _record(folder: Path, ledger: dict[str, str], name: str, digest: str) -> None:
    ledger = {**ledger, name: digest}
    write_text(folder / _LEDGER, json.dumps(ledger, indent=2, sort_keys=True) + "\n")


def check_folder(folder: Path) -> None:
    """Raise a :class:`UserError` now if no file can be written in ``folder`` (created if
    missing), so that a command fails before it writes anything rather than halfway."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        probe = temp_name(folder / "write-check")
        probe.write_bytes(b"")
        probe.unlink()
    except OSError as exc:
        raise path_in_the_way(exc) or UserError(
            "folder-not-writable", path=folder, name=folder.name, reason=exc.strerror or str(exc)
        ) from exc
