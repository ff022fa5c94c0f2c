"""One exception tree for everything ess-coop shows to a person.

Library code raises these; only the CLI renders them (one line, in the workspace's
language) and turns them into an exit code. Messages live in the catalogue
(``locales/*.json`` under ``errors.<code>``), so every error exists in French and English.
"""

from __future__ import annotations

import errno
from pathlib import Path
from typing import Any

# Exit codes, named in one place (style.md §6).
EXIT_OK = 0
EXIT_FINDINGS = 1  # findings with errors, or a user error
EXIT_USAGE = 2


def location(path: str | Path | None, line: int | None = None, column: int | None = None) -> str:
    """``path:line:column`` with the parts that are known (nothing without a path): where an
    error or a finding is, as every message shows it."""
    if path is None:
        return ""
    where = str(path).replace("\n", "\\n")  # a line feed in a file name must not split the line
    if line is not None:
        where += f":{line}"
        if column is not None:
            where += f":{column}"
    return where


class EssCoopError(Exception):
    """Root of every error ess-coop raises on purpose."""


class UserError(EssCoopError):
    """An error to show to the person: what, where, and what to do.

    ``code`` names an entry of the ``errors`` catalogue (or, holding a dot, a full catalogue path such
    as ``help.errors.bad-id``); ``params`` fill its message and hint. A subclass may name its
    feature's own section of the catalogues instead (``SECTION``).
    """

    SECTION = "errors"

    def __init__(
        self,
        code: str,
        /,
        *,
        path: Path | str | None = None,
        line: int | None = None,
        column: int | None = None,
        **params: Any,
    ) -> None:
        self.code = code
        self.path = path
        self.line = line
        self.column = column
        self.params = params
        super().__init__(code)

    def location(self) -> str:
        """``path:line:column``, with the parts that are known."""
        return location(self.path, self.line, self.column)

    def render(self, lang: str) -> str:
        """The one line shown to the person, in ``lang``."""
        from ess_coop.i18n import t

        entry = self.code if "." in self.code else f"{self.SECTION}.{self.code}"
        text = t(f"{entry}.message", lang, **self.params)
        hint = t(f"{entry}.hint", lang, default="", **self.params)
        where = self.location()
        line = f"{where}: {text}" if where else text
        return f"{line} — {hint}" if hint else line

    def __str__(self) -> str:  # for logs and --debug
        return self.render("en")


def path_in_the_way(exc: OSError) -> UserError | None:
    """The clear error for a file where a folder is needed (``output`` or ``interviews`` as a
    file), a folder where a file is (``output/referentiel.docx`` as a folder), or a link that
    loops or leads nowhere where a folder is needed, naming the path at fault; ``None`` for any
    other failure."""
    if exc.filename is None:
        return None
    path = Path(exc.filename)
    if isinstance(exc, IsADirectoryError):
        return UserError("folder-in-the-way", path=path, name=path.name)
    if isinstance(exc, FileExistsError | NotADirectoryError) or exc.errno == errno.ELOOP:
        # mkdir names the folder it wanted, open names the file: the culprit is the first part
        # of the path that exists and is not a folder, or a link that loops or leads nowhere.
        for part in (*reversed(path.parents), path):
            if part.is_symlink() and not part.exists():
                return UserError("workspace_folders.broken-link", path=part, name=part.name)
            if part.exists() and not part.is_dir():
                return UserError("file-in-the-way", path=part, name=part.name)
    return None


# Why a folder could not be read, in the reader's words rather than the system's (English) ones.
_FOLDER_REASONS = {errno.EACCES: "denied", errno.EPERM: "denied", errno.ELOOP: "loop", errno.ENOENT: "nowhere"}


def folder_reason(exc: OSError, lang: str) -> str:
    """Why the folder could not be read, as ``folder-unreadable`` says it, in ``lang``."""
    from ess_coop.i18n import t

    key = _FOLDER_REASONS.get(exc.errno or 0)
    return t(f"workspace_folders.reason.{key}", lang) if key else exc.strerror or str(exc)
