"""Shared helpers: small workspaces built inline, as text, so each test shows its input."""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from pathlib import Path

import pytest

from samples import BASE_FILES, MakeWorkspace

# Rich wraps to the terminal width: pin it so CLI output is the same everywhere.
os.environ["COLUMNS"] = "200"
os.environ.pop("ESS_COOP_LANG", None)
# The parse and chart caches go to a folder of this test session, never the user's.
os.environ["ESS_COOP_CACHE_DIR"] = tempfile.mkdtemp(prefix="ess-coop-test-cache-")
atexit.register(shutil.rmtree, os.environ["ESS_COOP_CACHE_DIR"], ignore_errors=True)


def write_files(root: Path, files: dict[str, str | bytes | None]) -> None:
    """Write ``files`` (relative path → content) under ``root``; ``None`` deletes the file."""
    for rel, content in files.items():
        path = root / rel
        if content is None:
            path.unlink(missing_ok=True)
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")


@pytest.fixture
def make_workspace(tmp_path: Path) -> MakeWorkspace:
    """Build the small test workspace, with some files replaced, added or removed."""

    def make(files: dict[str, str | bytes | None] | None = None, *, base: bool = True) -> Path:
        root = tmp_path / "ws"
        root.mkdir(exist_ok=True)
        write_files(root, {**(BASE_FILES if base else {}), **(files or {})})
        return root

    return make
