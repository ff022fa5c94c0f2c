"""``validate --watch``: a change is noticed, only what changed is reported, and it stops cleanly."""

from __future__ import annotations

import threading
import time
from pathlib import Path

from ess_coop.validation import check_workspace
from ess_coop.watch import Change, relevant, watch
from samples import TRANSCRIPT, TRANSCRIPT_PATH, MakeWorkspace


def test_relevant_files(tmp_path: Path) -> None:
    assert relevant(tmp_path, tmp_path / "interviews/fr-a/x.yaml")
    for ignored in (
        "output/referentiel.docx",
        "interviews/fr-a/.~lock.x.yaml#",
        "interviews/.stversions/a.yaml",
        "interviews/fr-a/notes.txt",
    ):
        assert not relevant(tmp_path, tmp_path / ignored)


def test_watch_reports_added_then_resolved(make_workspace: MakeWorkspace) -> None:
    root = make_workspace()
    _, first = check_workspace(root)
    changes: list[Change] = []
    stop = threading.Event()
    thread = threading.Thread(
        target=watch,
        kwargs={
            "root": root,
            "lang": "fr",
            "strict": False,
            "first": first,
            "on_change": changes.append,
            "stop": stop,
            "debounce_ms": 100,
        },
    )
    thread.start()
    try:
        time.sleep(0.5)
        (root / TRANSCRIPT_PATH).write_text(TRANSCRIPT.replace("sdgs: [12]", "sdgs: [18]"), encoding="utf-8")
        _wait(lambda: len(changes) >= 1)
        (root / TRANSCRIPT_PATH).write_text(TRANSCRIPT, encoding="utf-8")
        _wait(lambda: len(changes) >= 2)
    finally:
        stop.set()
        thread.join(timeout=5)
    assert not thread.is_alive()
    assert [i.code for i in changes[0].added] == ["invalid-sdg"] and changes[0].files == [TRANSCRIPT_PATH]
    assert [i.code for i in changes[1].resolved] == ["invalid-sdg"] and changes[1].added == []


def _wait(condition: object, timeout: float = 10) -> None:
    deadline = time.monotonic() + timeout
    while not condition() and time.monotonic() < deadline:  # type: ignore[operator]
        time.sleep(0.05)
    assert condition(), "no change noticed in time"  # type: ignore[operator]


def test_the_coordinators_texts_are_relevant(tmp_path: Path) -> None:
    """validate checks texts/ (texts-* findings): a report left stale after editing one was wrong."""
    assert relevant(tmp_path, tmp_path / "texts/introduction.md")
    assert relevant(tmp_path, tmp_path / "texts/Conclusion.DOCX")
    assert not relevant(tmp_path, tmp_path / "texts/~$troduction.docx")  # Word's lock file
    assert not relevant(tmp_path, tmp_path / "texts/notes.txt")


def test_folders_are_relevant_even_once_gone(tmp_path: Path) -> None:
    (tmp_path / "interviews/tag35-old").mkdir(parents=True)
    assert relevant(tmp_path, tmp_path / "interviews/tag35-old")  # the new name: a folder
    assert relevant(tmp_path, tmp_path / "interviews/tag35")  # the old name: gone
    assert not relevant(tmp_path, tmp_path / "interviews/.stversions")
    assert not relevant(tmp_path, tmp_path / "output/drafts")


def test_watch_sees_folder_renames_both_ways(make_workspace: MakeWorkspace) -> None:
    root = make_workspace()
    _, first = check_workspace(root)
    changes: list[Change] = []
    stop = threading.Event()
    kwargs = {"root": root, "lang": "fr", "strict": False, "first": first, "on_change": changes.append,
              "stop": stop, "debounce_ms": 100}  # fmt: skip
    thread = threading.Thread(target=watch, kwargs=kwargs)
    thread.start()
    try:
        time.sleep(0.5)
        (root / "interviews/fr-a").rename(root / "interviews/fr-a-old")
        _wait(lambda: len(changes) >= 1)
        time.sleep(0.3)
        (root / "interviews/fr-a-old").rename(root / "interviews/fr-a")
        _wait(lambda: any(c.resolved for c in changes))
    finally:
        stop.set()
        thread.join(timeout=5)
    assert "wrong-folder" in [i.code for c in changes for i in c.added]
    assert "wrong-folder" in [i.code for c in changes for i in c.resolved]
    assert changes[-1].report.valid
