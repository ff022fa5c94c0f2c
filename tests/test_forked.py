"""The same work spread over forked children: the results of one process, in order, whatever
the children do (fail, get killed, are abandoned)."""

from __future__ import annotations

import os
import signal
import sys
import threading
import time
from pathlib import Path

import pytest

from ess_coop import forked
from ess_coop.validation import check_workspace

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="forking is used on Linux only")

ROOT = Path(__file__).resolve().parents[1]
PARENT = os.getpid()


@pytest.fixture(autouse=True)
def two_processors(monkeypatch: pytest.MonkeyPatch) -> None:
    """A child wanted on any machine (forking works on one processor too)."""
    monkeypatch.setattr(forked, "processors", lambda: 2)


def square_and_where(n: int) -> tuple[int, int]:
    return n * n, os.getpid()


@pytest.mark.parametrize("count", [0, 1, 99, 100, 250, 1000])
def test_results_come_in_order_as_in_one_process(count: int) -> None:
    results = list(forked.mapped(square_and_where, range(count)))
    assert [square for square, _ in results] == [n * n for n in range(count)]
    workers = {pid for _, pid in results}
    if count >= forked.MIN_ITEMS:
        assert len(workers) == 1 and PARENT not in workers  # one child did it all
    else:
        assert workers == ({PARENT} if count else set())


def slow_and_when(n: int) -> float:
    time.sleep(0.002)
    return time.monotonic()  # the same clock in every process


def test_results_arrive_while_the_child_still_works() -> None:
    results = forked.mapped(slow_and_when, range(200))
    first = next(results)
    received = time.monotonic()
    rest = list(results)
    assert first < received < rest[-1]  # the last item was worked out after the first arrived


def failing_after_150(n: int) -> tuple[int, int]:
    if os.getpid() != PARENT and n >= 150:
        raise RuntimeError("a child's failure")
    return n + 1, os.getpid()


def test_what_a_failed_child_did_not_send_is_done_here() -> None:
    results = list(forked.mapped(failing_after_150, range(500)))
    assert [n for n, _ in results] == [n + 1 for n in range(500)]
    sent = [pid != PARENT for _, pid in results]
    assert sent == [True] * 144 + [False] * 356  # whole batches of 16 before the failure
    assert no_child_left()


def failing_in_children(n: int) -> int:
    if os.getpid() != PARENT:
        raise RuntimeError("a child's failure")
    return n + 1


def killed_in_children(n: int) -> int:
    if os.getpid() != PARENT:
        os.kill(os.getpid(), signal.SIGKILL)
    return n + 1


def unsendable_in_children(n: int) -> object:
    return object() if os.getpid() != PARENT else n + 1  # marshal cannot write it


@pytest.mark.parametrize("func", [failing_in_children, killed_in_children, unsendable_in_children])
def test_a_failed_child_costs_only_time(func: object) -> None:
    assert list(forked.mapped(func, range(500))) == [n + 1 for n in range(500)]  # type: ignore[arg-type]
    assert no_child_left()


def test_a_caller_that_stops_early_leaves_no_child_behind() -> None:
    results = forked.mapped(square_and_where, range(1000))
    assert next(results)[0] == 0
    results.close()  # e.g. an exception in the caller's loop
    assert no_child_left()


def test_nothing_is_forked_with_another_thread_running() -> None:
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        assert {pid for _, pid in forked.mapped(square_and_where, range(500))} == {PARENT}
    finally:
        stop.set()
        thread.join()


def test_nothing_is_forked_while_validate_watch_waits_for_changes(tmp_path: Path) -> None:
    """watchfiles waits in a thread of its own, which Python's threading module does not list."""
    from watchfiles import watch

    stop = threading.Event()
    changes = watch(tmp_path, stop_event=stop, yield_on_timeout=True, rust_timeout=50)
    next(changes)  # watching
    try:
        assert threading.active_count() == 1 and not forked.can_fork()
        assert {pid for _, pid in forked.mapped(square_and_where, range(500))} == {PARENT}
    finally:
        stop.set()
        changes.close()


def test_one_process_when_asked(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.undo()  # the machine's processors, limited by the variable
    monkeypatch.setenv("ESS_COOP_PROCESSES", "1")
    assert forked.processors() == 1
    assert {pid for _, pid in forked.mapped(square_and_where, range(500))} == {PARENT}


def test_a_workspace_read_by_several_processes_gives_the_same_report(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from generate import generate_workspace

    root = generate_workspace(tmp_path / "ws", transcripts=320, broken_share=0.1, seed=5, names_warning=True)
    monkeypatch.setenv("ESS_COOP_NO_CACHE", "1")
    spread = check_workspace(root)[1]
    monkeypatch.setenv("ESS_COOP_PROCESSES", "1")
    monkeypatch.setattr(forked, "processors", lambda: 1)
    alone = check_workspace(root)[1]
    assert spread == alone and spread.stats.transcripts == 320 and spread.stats.errors > 0


def no_child_left() -> bool:
    try:
        os.waitpid(-1, os.WNOHANG)
    except ChildProcessError:
        return True
    return False
