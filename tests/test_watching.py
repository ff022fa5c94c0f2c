"""``validate --watch``: a change is noticed, only what changed is reported, and it stops cleanly."""

from __future__ import annotations

import threading
import time
from pathlib import Path

from ess_coop.validation import check_workspace
from ess_coop.watching import Change, relevant, watch
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
