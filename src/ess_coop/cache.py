"""A small content-addressed cache outside the workspace (the platform's user cache folder).

Never in the synced folder: a cache there would be uploaded, conflict and be read by other
computers. Entries are keyed by a hash of what they were computed from, so a stale entry can
never be used; losing the cache only costs time. ``ESS_COOP_CACHE_DIR`` moves it,
``ESS_COOP_NO_CACHE=1`` turns it off.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path


def folder(kind: str) -> Path | None:
    """The cache folder for ``kind`` (e.g. "yaml", "charts"), or ``None`` when caching is off."""
    if os.environ.get("ESS_COOP_NO_CACHE"):
        return None
    configured = os.environ.get("ESS_COOP_CACHE_DIR")
    if configured:
        return Path(configured) / kind
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("ess-coop", appauthor=False)) / kind


def get(kind: str, key: str) -> bytes | None:
    """The bytes stored under ``key``, if any."""
    where = folder(kind)
    if where is None:
        return None
    try:
        return (where / key[:2] / key).read_bytes()
    except OSError:
        return None


def put(kind: str, key: str, data: bytes) -> None:
    """Store ``data`` under ``key``; a cache that cannot be written is only slower.

    Written in place, not through a temporary file: readers must (and do) treat an entry they
    cannot decode as missing, and a thousand renames would double the cost of a first run.
    """
    where = folder(kind)
    if where is None:
        return
    target = where / key[:2] / key
    with contextlib.suppress(OSError):
        try:
            target.write_bytes(data)
        except FileNotFoundError:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
