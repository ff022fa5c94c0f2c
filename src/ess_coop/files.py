"""Finding our files in a folder that sync clients change under our feet.

Every command discovers transcripts through :func:`discover_transcripts`: it skips temporary
and lock files and sync metadata folders (``.stversions/`` holds *old versions*: never read them
as interviews), recognises the conflict copies of each sync client, and compares names the way
Windows and macOS do (NFC-normalised, case-folded). Patterns come from pitfalls.md.
"""

from __future__ import annotations

import os
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

YAML_SUFFIX = ".yaml"

# Files nobody typed: editor/sync temporaries, lock files, OS litter.
_IGNORED_FILE = re.compile(
    r"""^(?:
        ~\$.*                         # Word lock/owner file
      | \.~lock\..*\#                 # LibreOffice lock file
      | \.syncthing\..*\.tmp          # Syncthing temporary
      | ~syncthing~.*\.tmp
      | .*\.(?:part|tmp|crdownload|partial|swp)
      | .*~                           # editor backups
      | \..*                          # hidden files: .DS_Store, ._AppleDouble, our own temporaries
      | desktop\.ini | thumbs\.db | icon\r
    )$""",
    re.IGNORECASE | re.VERBOSE,
)
# Folders of sync metadata, old versions and trash.
_IGNORED_DIR = re.compile(
    r"^(?:\..*|\$recycle\.bin|@eadir|#recycle|__macosx|system volume information)$", re.IGNORECASE
)

# Conflict copies: (client, pattern). Each pattern captures the original's stem and suffix.
CONFLICT_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    # Dropbox "(X's conflicted copy 2024-07-05)", Nextcloud/ownCloud "(conflicted copy 2024-07-05 101010)",
    # and their French forms "(copie en conflit de X 2024-07-05)".
    (
        "dropbox/nextcloud",
        re.compile(
            r"^(?P<stem>.+?) \([^()]*(?:conflicted copy|copie en conflit|conflit)[^()]*\)(?P<suffix>\.[^.]+)$",
            re.IGNORECASE,
        ),
    ),
    ("owncloud", re.compile(r"^(?P<stem>.+?)_conflict-\d{8}-\d{6}(?P<suffix>\.[^.]+)$")),
    ("syncthing", re.compile(r"^(?P<stem>.+?)\.sync-conflict-\d{8}-\d{6}(?:-[A-Z0-9]+)?(?P<suffix>\.[^.]+)$")),
    ("google-drive", re.compile(r"^(?P<stem>.+?) \(\d+\)(?P<suffix>\.[^.]+)$")),
)
# OneDrive appends "-<COMPUTER-NAME>", upper case (our ids never are). The name alone is
# ambiguous ("2024-07-03-FR-A.yaml"), so it counts only when the original is beside it.
_ONEDRIVE_TAIL = re.compile(r"-(?=[A-Z0-9-]*[A-Z])[A-Z][A-Z0-9]*(?:-[A-Z0-9]+)*$")  # fmt: skip


_WINDOWS_RESERVED = re.compile(r"^(?:con|prn|aux|nul|com[1-9]|lpt[1-9])(?:\..*)?$", re.IGNORECASE)
_WINDOWS_FORBIDDEN = re.compile(r'[<>:"/\\|?*\x00-\x1f]')


def windows_safe(name: str) -> bool:
    """Whether Windows (and so every synced folder) can hold a file called ``name``."""
    return bool(name) and not (
        _WINDOWS_FORBIDDEN.search(name) or _WINDOWS_RESERVED.match(name) or name.endswith((" ", "."))
    )


def name_key(name: str) -> str:
    """How a file system that folds case and normalises Unicode sees ``name``."""
    return unicodedata.normalize("NFC", name).casefold()


def is_ignored_file(name: str) -> bool:
    return bool(_IGNORED_FILE.match(name))


def is_ignored_dir(name: str) -> bool:
    return bool(_IGNORED_DIR.match(name))


def conflict_original(name: str, siblings: set[str] | None = None) -> tuple[str, str] | None:
    """``(original name, sync client)`` when ``name`` is a conflict copy, else ``None``.

    ``siblings`` (the names in the same folder) lets us recognise OneDrive's copies, whose
    pattern is only safe to trust when the original exists.
    """
    for client, pattern in CONFLICT_PATTERNS:
        match = pattern.match(name)
        if match:
            return match["stem"] + match["suffix"], client
    stem, dot, suffix = name.rpartition(".")
    if siblings and dot:
        for tail in _ONEDRIVE_TAIL.finditer(stem):
            original = f"{stem[: tail.start()]}.{suffix}"
            if original in siblings:
                return original, "onedrive"
    return None


@dataclass
class Discovery:
    """What the interviews folder holds."""

    transcripts: list[Path] = field(default_factory=list)
    # (conflict copy, the file it conflicts with, sync client)
    conflicts: list[tuple[Path, Path, str]] = field(default_factory=list)
    misplaced: list[Path] = field(default_factory=list)
    # (file, the file whose name it collides with on Windows/macOS)
    clashes: list[tuple[Path, Path]] = field(default_factory=list)
    # Folders that are symbolic links leading out of the workspace: never walked.
    outside: list[Path] = field(default_factory=list)
    # (folder, why): folders that could not be read (no permission, a link that loops or leads
    # nowhere): the interviews they hold were not seen, which must be said, not passed over.
    unreadable: list[tuple[Path, OSError]] = field(default_factory=list)


def _entries(folder: Path, unreadable: list[tuple[Path, OSError]] | None = None) -> list[os.DirEntry[str]]:
    """The entries of ``folder``, sorted by name; none when it cannot be read, recorded in
    ``unreadable`` (when given) unless it simply does not exist."""
    try:
        with os.scandir(folder) as it:
            return sorted(it, key=lambda e: e.name)
    except OSError as exc:
        if unreadable is not None and os.path.lexists(folder) and not isinstance(exc, NotADirectoryError):
            unreadable.append((folder, exc))
        return []


def _broken_link(entry: os.DirEntry[str]) -> OSError | None:
    """Why the link ``entry`` cannot be followed (it loops or leads nowhere), else ``None``."""
    if not entry.is_symlink():
        return None
    try:
        entry.stat()  # follows the link
    except OSError as exc:
        return exc
    return None


def _is_folder(entry: os.DirEntry[str]) -> bool:
    """Whether ``entry`` is a folder (or a link to one); a link that leads to itself, or round
    in a loop, is not (``DirEntry.is_dir`` raises for it; the file reader then refuses it)."""
    try:
        return entry.is_dir()
    except OSError:
        return False


def discover_transcripts(interviews: Path) -> Discovery:
    """Transcripts, conflict copies, misplaced files and name clashes under ``interviews``."""
    found = Discovery()
    seen: dict[str, Path] = {}

    def consider(entry: os.DirEntry[str], in_actor_folder: bool, siblings: set[str]) -> None:
        if is_ignored_file(entry.name) or not entry.name.lower().endswith((YAML_SUFFIX, ".yml")):
            return
        path = Path(entry.path)
        conflict = conflict_original(entry.name, siblings)
        if conflict:
            original, client = conflict
            found.conflicts.append((path, path.with_name(original), client))
            return
        if not in_actor_folder or not entry.name.endswith(YAML_SUFFIX):
            found.misplaced.append(path)
            return
        key = name_key(str(path.relative_to(interviews)))
        if key in seen:
            found.clashes.append((path, seen[key]))
            return
        seen[key] = path
        found.transcripts.append(path)

    workspace = os.path.realpath(interviews.parent)
    if interviews.is_symlink() and not Path(os.path.realpath(interviews)).is_relative_to(workspace):
        found.outside.append(interviews)  # interviews/ itself a link out: nothing of it is ours
        return found
    top = _entries(interviews, found.unreadable)
    folders: dict[str, Path] = {}
    for entry in top:
        if _is_folder(entry):
            if is_ignored_dir(entry.name):
                continue
            if entry.is_symlink() and not Path(os.path.realpath(entry.path)).is_relative_to(workspace):
                found.outside.append(Path(entry.path))  # a link to / would have us walk the whole disk
                continue
            # interviews/TAG35/ beside tag35/: one folder on Windows and macOS, whose files mix.
            folder_key = name_key(entry.name)
            if folder_key in folders:
                found.clashes.append((Path(entry.path), folders[folder_key]))
            folders.setdefault(folder_key, Path(entry.path))
            inside = _entries(Path(entry.path), found.unreadable)
            names = {e.name for e in inside}
            for inner in inside:
                if _is_folder(inner):
                    if not is_ignored_dir(inner.name):
                        found.misplaced.extend(
                            p for p in Path(inner.path).rglob("*.yaml") if not _hidden_part(p, interviews)
                        )
                else:
                    consider(inner, in_actor_folder=True, siblings=names)
        elif not (is_ignored_file(entry.name) or entry.name.lower().endswith((YAML_SUFFIX, ".yml"))) and (
            why := _broken_link(entry)
        ):
            # interviews/stadd as a link that loops or leads nowhere: an actor's folder, unseen.
            # (A file link is refused where it is read.)
            found.unreadable.append((Path(entry.path), why))
        else:
            consider(entry, in_actor_folder=False, siblings={e.name for e in top})
    return found


def _hidden_part(path: Path, root: Path) -> bool:
    parts = path.relative_to(root).parts
    return any(is_ignored_dir(p) for p in parts[:-1]) or is_ignored_file(parts[-1])


def discover_conflicts(folder: Path) -> list[tuple[Path, Path, str]]:
    """Conflict copies of the YAML files directly in ``folder`` (the workspace's own files:
    ``actors (conflicted copy …).yaml``, ``templates/guide-DESKTOP-ABC123.yaml``…), as
    ``(copy, original, client)``."""
    entries = [e for e in _entries(folder) if not is_ignored_file(e.name)]
    names = {e.name for e in entries}
    found = []
    for entry in entries:
        if entry.name.lower().endswith((YAML_SUFFIX, ".yml")) and not _is_folder(entry):
            conflict = conflict_original(entry.name, names)
            if conflict:
                found.append((Path(entry.path), Path(entry.path).with_name(conflict[0]), conflict[1]))
    return found
