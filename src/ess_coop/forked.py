"""The same work on many files, done ahead by a forked child while this process uses the results.

Reading a large workspace is parsing one file after the other, then checking each; the machine's
other processor waits meanwhile. On Linux a forked child starts in a few milliseconds with
everything already imported: it works through the list and sends its results back through a
pipe as it goes, a few items at a time (marshal: plain values only, and fast), while this process
handles each result as it arrives: the parsing of the next files overlaps the checking of the
previous ones. The results come in the order of the items.

One child: this process, which checks, is the slower of the two (measured at 1,000 transcripts:
0.75 ms a file to read and send, 0.8 ms to receive and check), so a second reader would wait.

Everywhere else, everything is done in this process, as before: on Windows and macOS (no fork, or
none that their system libraries allow), with other threads running (a child gets only the calling
thread: a lock another one held would stay locked), with ``ESS_COOP_PROCESSES=1``, or for a short
list. A child that fails (killed, out of memory, an exception) costs only time: this process does
what the child did not send.
"""

from __future__ import annotations

import contextlib
import gc
import marshal
import os
import signal
import struct
import sys
import threading
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any, BinaryIO, TypeVar

T = TypeVar("T")

# Below this many items, a child costs more than it saves (a fork of a process holding a large
# workspace takes a few milliseconds, and most workspaces hold a few dozen files).
MIN_ITEMS = 100
# Items sent together: few enough that this process starts early, enough that a message is cheap.
BATCH = 16
_LENGTH = struct.Struct("<Q")  # before each batch, its length in bytes


def processors() -> int:
    """The processors this process may use (``ESS_COOP_PROCESSES`` sets a lower limit)."""
    try:
        available = len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        available = os.cpu_count() or 1
    wanted = os.environ.get("ESS_COOP_PROCESSES", "")
    return max(1, min(available, int(wanted))) if wanted.isdigit() else available


def can_fork() -> bool:
    """On Linux, with this thread alone in the process: threads started by libraries count too
    (``validate --watch`` waits for changes in a thread of its own), which Python does not list."""
    if sys.platform != "linux" or not hasattr(os, "fork"):
        return False
    try:
        return len(list(Path("/proc/self/task").iterdir())) == 1  # one entry a thread
    except OSError:
        return threading.active_count() == 1


def mapped(func: Callable[[T], Any], items: Sequence[T]) -> Iterator[Any]:
    """``func(item)`` for each item, in order; ``func`` must return plain values (what marshal
    writes: None, numbers, text, bytes, and tuples, lists, sets and dicts of them)."""
    child = _start(func, items) if len(items) >= MIN_ITEMS and processors() > 1 and can_fork() else None
    done = 0
    if child is not None:
        pid, pipe = child
        try:
            for batch in _batches(pipe):
                done += len(batch)
                yield from batch
        finally:  # all sent, or the child failed, or the caller stopped early
            _stop(pid, pipe)
    yield from map(func, items[done:])  # what no child sent (everything, without a child)


def _start(func: Callable[[T], Any], items: Sequence[T]) -> tuple[int, BinaryIO] | None:
    try:
        read_end, write_end = os.pipe()
    except OSError:  # no more files allowed: this process will do it all
        return None
    try:
        pid = os.fork()
    except OSError:  # no more processes allowed
        os.close(read_end)
        os.close(write_end)
        return None
    if pid == 0:  # the child: batches of results down the pipe, then out, whatever happens
        code = 1
        # No collection in the child: it would run, a second time, the finalizers of whatever
        # garbage it inherited (a buffered writer, a temporary folder), and touch every page.
        gc.disable()
        try:
            os.close(read_end)
            with os.fdopen(write_end, "wb") as out:
                for start in range(0, len(items), BATCH):
                    data = marshal.dumps([func(item) for item in items[start : start + BATCH]])
                    out.write(_LENGTH.pack(len(data)) + data)
                    out.flush()
            code = 0
        except BaseException:  # the parent, short of results, does the rest itself
            pass
        finally:
            os._exit(code)
    os.close(write_end)
    return pid, os.fdopen(read_end, "rb")


def _batches(pipe: BinaryIO) -> Iterator[list[Any]]:
    """The batches the child sent, as they come, until the end or the first damaged one."""
    while header := pipe.read(_LENGTH.size):
        if len(header) < _LENGTH.size:
            return
        (length,) = _LENGTH.unpack(header)
        data = pipe.read(length)
        try:
            batch = marshal.loads(data) if len(data) == length else None
        except (EOFError, ValueError, TypeError):
            return
        if not isinstance(batch, list):
            return
        yield batch


def _stop(pid: int, pipe: BinaryIO) -> None:
    """End the child (done already, most often) and collect it, so that none is left behind."""
    pipe.close()
    for end in (lambda: os.kill(pid, signal.SIGKILL), lambda: os.waitpid(pid, 0)):
        with contextlib.suppress(OSError):  # ProcessLookupError, ChildProcessError
            end()
