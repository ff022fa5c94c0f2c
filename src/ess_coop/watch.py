"""``ess-coop validate --watch``: re-validate when the workspace changes, report only what changed.

Sync clients touch files in bursts (a temporary file, a rename, a timestamp): changes are
debounced, and temporary, lock and output files are ignored.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

from pydantic import BaseModel

from ess_coop.files import is_ignored_dir, is_ignored_file
from ess_coop.report import Issue, Report
from ess_coop.texts import SUFFIXES as TEXT_SUFFIXES
from ess_coop.texts import TEXTS_DIR
from ess_coop.validation import check_workspace
from ess_coop.workspace import OUTPUT_DIR


class Change(BaseModel):
    """The findings that appeared and disappeared since the previous run."""

    report: Report
    added: list[Issue]
    resolved: list[Issue]
    files: list[str]  # what changed, relative to the workspace


def _key(issue: Issue) -> tuple[str, str, int | None, int | None, str]:
    return (issue.path, issue.code, issue.line, issue.column, issue.message)


def diff(before: Report, after: Report) -> tuple[list[Issue], list[Issue]]:
    """(findings new in ``after``, findings of ``before`` gone from ``after``)."""
    old = {_key(i) for i in before.issues}
    new = {_key(i) for i in after.issues}
    return [i for i in after.issues if _key(i) not in old], [i for i in before.issues if _key(i) not in new]


def relevant(root: Path, path: Path) -> bool:
    """Whether a change to ``path`` can change what ``validate`` says."""
    try:
        parts = path.relative_to(root).parts
    except ValueError:
        return False
    if not parts or parts[0] == OUTPUT_DIR or is_ignored_file(parts[-1]):
        return False
    if any(is_ignored_dir(p) for p in parts[:-1]):
        return False
    if parts[-1].lower().endswith((".yaml", ".yml")):
        return True
    if parts[0] == TEXTS_DIR and parts[-1].lower().endswith(TEXT_SUFFIXES):
        return True  # the coordinators' texts are checked too (texts-* findings)
    # A folder renamed, moved or deleted (`mv interviews/tag35 interviews/tag35-old`): the
    # watcher reports the folder, not the files inside, and the old name no longer exists.
    return not is_ignored_dir(parts[-1]) and (path.is_dir() or (not path.exists() and not path.suffix))


def watch(
    root: Path,
    *,
    lang: str,
    strict: bool,
    first: Report,
    on_change: Callable[[Change], None],
    stop: threading.Event | None = None,
    debounce_ms: int = 400,
) -> None:
    """Call ``on_change`` after each burst of relevant changes, until ``stop`` is set or Ctrl-C."""
    from watchfiles import watch as watch_files

    previous = first
    for changes in watch_files(root, debounce=debounce_ms, stop_event=stop, raise_interrupt=False):
        changed = sorted({Path(p) for _, p in changes if relevant(root, Path(p))})
        if not changed:
            continue
        _, report = check_workspace(root, lang=lang, strict=strict)
        added, resolved = diff(previous, report)
        previous = report
        rel = [p.relative_to(root).as_posix() for p in changed]
        on_change(Change(report=report, added=added, resolved=resolved, files=rel))
