"""Reading a file of the workspace: only a regular file, only inside the workspace, only so many bytes.

A synced folder holds whatever a person or a program put there: a symbolic link to ``/dev/zero``
(bytes without end), a named pipe (a read that never returns), a link to a file elsewhere on the
computer. Every file ess-coop reads from a workspace goes through :func:`read_bytes`, which

- refuses a symbolic link whose target leaves the workspace, without opening it (a link that stays
  inside is followed);
- refuses anything but a regular file (device, pipe, socket) without opening it; the file is then
  opened without blocking (a pipe swapped in meanwhile cannot hang us) and checked again: it must
  be the very file that was checked;
- reads at most ``limit + 1`` bytes, so the limit counts what was read, not what ``st_size`` says
  (a device or ``/proc`` file says 0).

Problems come back as :class:`FileRefused`, with a code of ``report.CODES`` and its parameters;
callers turn it into a finding or a one-line error.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path
from typing import Any

from ess_coop.errors import EssCoopError, UserError

_CHUNK = 256 * 1024
# Opening a pipe for reading blocks until a writer comes, unless non-blocking; no terminal may
# become ours; Windows has neither flag (nor pipes in folders).
_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_BINARY", 0)


class FileRefused(EssCoopError):
    """Why a file was not read: ``code`` is one of ``report.CODES`` (and of the errors catalogue)."""

    def __init__(self, code: str, path: Path, **params: Any) -> None:
        self.code = code
        self.path = path
        self.params = params
        super().__init__(code)

    def as_user_error(self, shown: Path | str | None = None) -> UserError:
        """The same refusal as a one-line error about ``shown`` (default: the path read)."""
        return UserError(self.code, path=shown if shown is not None else self.path, **self.params)


def outside(path: Path, root: Path) -> Path | None:
    """Where ``path`` really leads when that is outside ``root`` (links followed), else ``None``."""
    real = os.path.realpath(path)
    # As text rather than as Path objects (a tenth of reading a small file); normcase: Windows
    # ignores case. The root is resolved each time: its own links may change while --watch runs.
    seen, inside = os.path.normcase(real), os.path.normcase(os.path.realpath(root))
    if seen == inside or seen.startswith(inside.rstrip(os.sep) + os.sep):
        return None
    return Path(real)


def check(path: Path, *, root: Path | None = None) -> os.stat_result:
    """The status of the regular file ``path`` (links followed), or :class:`FileRefused`.

    With ``root``, a path whose links lead out of ``root`` is refused. Nothing is opened.
    """
    if root is not None:
        target = outside(path, root)
        if target is not None:
            raise FileRefused("link-outside-workspace", path, target=target.as_posix())
    try:
        status = path.stat()
    except OSError as exc:
        raise FileRefused("file-unreadable", path, reason=exc.strerror or str(exc)) from exc
    if stat.S_ISDIR(status.st_mode):
        raise FileRefused("file-unreadable", path, reason=os.strerror(errno.EISDIR))
    if not stat.S_ISREG(status.st_mode):
        raise FileRefused("not-a-regular-file", path)
    return status


def read_bytes(path: Path, *, limit: int, root: Path | None = None) -> bytes:
    """The content of the regular file ``path``, at most ``limit`` bytes; see the module docstring.

    Raises :class:`FileRefused` with ``link-outside-workspace``, ``not-a-regular-file``,
    ``file-too-large`` (``size_kb``, ``max_kb``) or ``file-unreadable`` (``reason``).
    """
    checked = check(path, root=root)
    try:
        fd = os.open(path, _OPEN_FLAGS)
    except OSError as exc:
        raise FileRefused("file-unreadable", path, reason=exc.strerror or str(exc)) from exc
    try:
        opened = os.fstat(fd)
        if not stat.S_ISREG(opened.st_mode) or (opened.st_dev, opened.st_ino) != (checked.st_dev, checked.st_ino):
            raise FileRefused("not-a-regular-file", path)  # swapped between the check and the opening
        chunks: list[bytes] = []
        got = 0
        while got <= limit:
            chunk = os.read(fd, min(_CHUNK, limit + 1 - got))
            if not chunk:
                break
            chunks.append(chunk)
            got += len(chunk)
    except OSError as exc:
        raise FileRefused("file-unreadable", path, reason=exc.strerror or str(exc)) from exc
    finally:
        os.close(fd)
    if got > limit:
        size = max(got, opened.st_size)
        raise FileRefused("file-too-large", path, size_kb=size // 1024, max_kb=limit // 1024)
    return b"".join(chunks)


def root_for(path: Path, root: Path) -> Path | None:
    """``root`` when ``path`` (its folders' links followed, not its own) lies inside it, else ``None``.

    A file given on the command line may be anywhere; one inside the workspace is read with the
    workspace's rule: a link from there must not lead out.
    """
    where = Path(os.path.realpath(path.parent)) / path.name
    return root if where.is_relative_to(os.path.realpath(root)) else None
