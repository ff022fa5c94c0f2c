"""Writing files so that a synced folder never sees a half-written or clobbered file.

Every file ess-coop writes goes through here: the bytes go to a temporary file in the same
folder, under a name sync clients skip (``~name.ess-coop.tmp`` matches the ``~*.tmp`` rule of
Dropbox, Nextcloud and OneDrive), then replace the target in one step. Windows refuses the
replace while another program holds the target open: we retry briefly, then give up with a
clear error, leaving the existing file untouched.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import time
from dataclasses import dataclass
from pathlib import Path

from ess_coop.errors import UserError, path_in_the_way

_RETRIES = (0.05, 0.1, 0.2, 0.4, 0.8)


def temp_name(target: Path) -> Path:
    """The temporary file used while writing ``target``."""
    return target.with_name(f"~{target.name}.ess-coop.tmp")


def _write_temp(target: Path, data: bytes) -> Path:
    tmp = temp_name(target)
    try:
        with tmp.open("wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
    except OSError as exc:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise UserError("write-failed", path=target, reason=exc.strerror or str(exc)) from exc
    return tmp


def write_bytes(target: Path, data: bytes) -> None:
    """Write ``data`` to ``target`` atomically, replacing it if it exists."""
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = _write_temp(target, data)
    for delay in (*_RETRIES, None):
        try:
            tmp.replace(target)
            return
        except PermissionError as exc:  # Windows: the target is open in another program
            if delay is None:
                with contextlib.suppress(OSError):
                    tmp.unlink()
                raise UserError("write-failed", path=target, reason=exc.strerror or str(exc)) from exc
            time.sleep(delay)
        except OSError as exc:
            with contextlib.suppress(OSError):
                tmp.unlink()
            raise UserError("write-failed", path=target, reason=exc.strerror or str(exc)) from exc


def write_text(target: Path, text: str) -> None:
    """Write UTF-8 ``text`` with LF line ends (Windows editors handle them) atomically."""
    write_bytes(target, text.encode("utf-8"))


def create_new(target: Path, data: bytes) -> bool:
    """Write ``target`` atomically only if it does not exist; ``False`` if it already did.

    Never overwrites: the complete temporary file is *linked* to the target name, which fails
    if that name is taken, even if another process created it a moment ago.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
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


def lock_files(target: Path) -> list[Path]:
    """The lock files Word and LibreOffice leave next to a document they have open."""
    name = target.name
    candidates = [f"~${name}", f"~${name[2:]}", f".~lock.{name}#"]
    return [target.with_name(c) for c in candidates if target.with_name(c).exists()]


def _ledger(folder: Path) -> dict[str, str]:
    try:
        data = json.loads((folder / _LEDGER).read_text("utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def write_output(target: Path, data: bytes) -> Written:
    """Write a generated document without ever clobbering one a person has open or has edited.

    Same bytes as already there: nothing is written (a synced folder uploads nothing). Target
    open in Word or LibreOffice, or changed since we wrote it (someone edited the draft): the
    document goes to a new name beside it (``name-2.docx``…), and the caller says so.
    """
    folder = target.parent
    folder.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256(data).hexdigest()
    ledger = _ledger(folder)
    if target.exists():
        current = hashlib.sha256(target.read_bytes()).hexdigest()
        if current == digest:
            return Written(target, "unchanged")
        reason = "locked" if lock_files(target) else None
        if reason is None and current != ledger.get(target.name):
            reason = "edited"
        if reason:
            for n in range(2, 1000):
                other = target.with_name(f"{target.stem}-{n}{target.suffix}")
                if not other.exists() or (
                    not lock_files(other) and ledger.get(other.name) == hashlib.sha256(other.read_bytes()).hexdigest()
                ):
                    break
            write_bytes(other, data)
            _record(folder, ledger, other.name, digest)
            return Written(other, "renamed", reason)
    write_bytes(target, data)
    _record(folder, ledger, target.name, digest)
    return Written(target, "written")


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
