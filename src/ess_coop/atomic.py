"""Writing files so that a synced folder never sees a half-written or clobbered file.

Every file ess-coop writes goes through here: the bytes go to a temporary file in the same
folder, under a name sync clients skip (``~name.ess-coop.tmp`` matches the ``~*.tmp`` rule of
Dropbox, Nextcloud and OneDrive), then replace the target in one step. Windows refuses the
replace while another program holds the target open: we retry briefly, then give up with a
clear error, leaving the existing file untouched.
"""

from __future__ import annotations

import contextlib
import os
import time
from pathlib import Path

from ess_coop.errors import UserError

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
