"""The same work on many files, spread over the machine's processors by forking.

Reading a large workspace is mostly parsing, one file after the other, while the machine's other
processors wait. On Linux a forked child starts in a few milliseconds with everything already
imported: it works on the tail of the list and sends its results back through a pipe (marshal:
plain values only, and fast), while this process works on the head, lazily, so that what it does
with each result overlaps the children's work. The results come in the order of the items.

Everywhere else, everything is done in this process, as before: on Windows and macOS (no fork, or
none that their system libraries allow), with other threads running (a child gets only the calling
thread: a lock another one held would stay locked), with ``ESS_COOP_PROCESSES=1``, or for a short
list. A child that fails (killed, out of memory, an exception) costs only time: this process does
its share itself.

Measured with ``benchmarks/run.py`` on 1,000 transcripts and two processors: reading them took
0.92 s in one process, 0.53 s with one child.
"""

from __future__ import annotations

import contextlib
import itertools
import marshal
import os
import signal
import sys
import threading
from collections.abc import Callable, Iterator, Sequence
from typing import Any, TypeVar

T = TypeVar("T")

# Items for each child at least: below, a child costs more than it saves (a fork of a process
# holding a large workspace takes a few milliseconds; a file is read in about one).
MIN_ITEMS = 100
# This process's share against a child's: it also does, meanwhile, whatever the caller does with
# each result (checking a transcript costs about half as much as reading it).
OWN_WEIGHT = 0.65


def processors() -> int:
    """The processors this process may use (``ESS_COOP_PROCESSES`` sets a lower limit)."""
    try:
        available = len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        available = os.cpu_count() or 1
    wanted = os.environ.get("ESS_COOP_PROCESSES", "")
    return max(1, min(available, int(wanted))) if wanted.isdigit() else available


def can_fork() -> bool:
    return sys.platform == "linux" and hasattr(os, "fork") and threading.active_count() == 1


def mapped(func: Callable[[T], Any], items: Sequence[T]) -> Iterator[Any]:
    """``func(item)`` for each item, in order; ``func`` must return plain values (what marshal
    writes: None, numbers, text, bytes, and tuples, lists, sets and dicts of them)."""
    children = min(processors() - 1, len(items) // MIN_ITEMS) if can_fork() else 0
    if children <= 0:
        yield from map(func, items)
        return
    own = round(len(items) * OWN_WEIGHT / (OWN_WEIGHT + children))
    bounds = [own + (len(items) - own) * k // children for k in range(children + 1)]
    started: list[tuple[int, int, Sequence[T]]] = []  # (process id, read end, its items)
    try:
        for start, end in itertools.pairwise(bounds):
            started.append(_start(func, items[start:end]))
        yield from map(func, items[:own])
        while started:
            results = _results(*started[0], func)
            started.pop(0)  # collected
            yield from results
    finally:
        for pid, fd, _ in started:  # the caller stopped early: stop the children that are left
            _stop(pid, fd)


def _start(func: Callable[[T], Any], share: Sequence[T]) -> tuple[int, int, Sequence[T]]:
    try:
        read_end, write_end = os.pipe()
    except OSError:  # no more files allowed: this process will do it
        return 0, -1, share
    try:
        pid = os.fork()
    except OSError:  # no more processes allowed
        os.close(read_end)
        os.close(write_end)
        return 0, -1, share
    if pid == 0:  # the child: its results down the pipe, then out, whatever happens
        code = 1
        try:
            os.close(read_end)
            data = marshal.dumps([func(item) for item in share])
            with os.fdopen(write_end, "wb") as out:
                out.write(data)
            code = 0
        except BaseException:  # the parent reads no result and does the share itself
            pass
        finally:
            os._exit(code)
    os.close(write_end)
    return pid, read_end, share


def _results(pid: int, fd: int, share: Sequence[T], func: Callable[[T], Any]) -> Iterator[Any]:
    """A child's results, once it has sent them all and ended; its share done here if it failed."""
    results: Any = None
    if pid:
        with os.fdopen(fd, "rb") as pipe:
            data = pipe.read()
        _, status = os.waitpid(pid, 0)
        if os.waitstatus_to_exitcode(status) == 0:
            try:
                results = marshal.loads(data)
            except (EOFError, ValueError, TypeError):
                results = None
    if not isinstance(results, list) or len(results) != len(share):
        return map(func, share)  # the child failed: do its share here
    return iter(results)


def _stop(pid: int, fd: int) -> None:
    """End a child whose results nobody will read (closed already, or reaped, when it was
    being collected as the caller stopped)."""
    if not pid:
        return
    for end in (lambda: os.close(fd), lambda: os.kill(pid, signal.SIGKILL), lambda: os.waitpid(pid, 0)):
        with contextlib.suppress(OSError):  # ChildProcessError and ProcessLookupError included
            end()
