"""Python's cycle collector and the objects a command keeps to its end.

A command reads a workspace (millions of objects at 1,000 transcripts) and keeps all of it until
it ends; the collector, set off by allocations, walked those objects again and again to find
nothing: 0.4 s of a ``validate`` at 1,000 files, 0.4 s of a build (measured with
``benchmarks/run.py``). What we make is freed by reference counting; the only cycles reading can
make come from YAML aliases, which are refused and bounded by a file's size.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator


@contextlib.contextmanager
def reading() -> Iterator[None]:
    """The collector off while a workspace is read, on again after, with what was read frozen
    (``gc.freeze``: left out of later collections, still freed when dropped) rather than walked
    once more (0.13 s). The previous reading's objects are unfrozen first, so that a long
    ``validate --watch`` keeps at most one reading out of the collector's sight."""
    was_on = gc.isenabled()
    gc.disable()
    gc.unfreeze()
    try:
        yield
    finally:
        if was_on:
            gc.freeze()
            gc.enable()


@contextlib.contextmanager
def kept() -> Iterator[None]:
    """What exists when the block starts, and whatever :func:`keep` is called on inside it, is
    left out of collections until the block ends (the collector stays on for the rest)."""
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


def keep() -> None:
    """Inside :func:`kept`: what exists now lives to the block's end, leave it out too."""
    gc.freeze()
