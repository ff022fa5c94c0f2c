"""A parse served from the cache (data, problems and positions stored together) finds exactly
what a fresh parse finds, at the same places, on every fixture."""

from __future__ import annotations

from pathlib import Path

import pytest

from ess_coop.validation import check_workspace
from samples import MakeWorkspace
from test_validation import CASES, special_file

ROOT = Path(__file__).resolve().parents[1]


def both_ways(root: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[list[object], list[object]]:
    """(findings from a run that fills the cache and then one served by it, findings without cache)."""
    check_workspace(root)
    fast = check_workspace(root)[1].issues
    monkeypatch.setenv("ESS_COOP_NO_CACHE", "1")
    eager = check_workspace(root)[1].issues
    return list(fast), list(eager)


@pytest.mark.parametrize("code", sorted(CASES))
def test_same_findings_on_every_rule_fixture(make_workspace: MakeWorkspace, monkeypatch: pytest.MonkeyPatch,
                                             code: str) -> None:  # fmt: skip
    root = make_workspace(CASES[code][0])
    if code == "file-unreadable":
        (root / "templates/themes.yaml").unlink()
        (root / "templates/themes.yaml").mkdir()
    special_file(root, code)
    fast, eager = both_ways(root, monkeypatch)
    assert fast == eager and fast


def test_same_findings_on_the_bundled_workspace(monkeypatch: pytest.MonkeyPatch) -> None:
    fast, eager = both_ways(ROOT, monkeypatch)
    assert fast == eager


def test_same_findings_on_generated_broken_workspace(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    sys.path.insert(0, str(ROOT / "benchmarks"))
    from generate import generate_workspace

    root = generate_workspace(tmp_path / "ws", transcripts=40, broken_share=0.25, seed=3)
    fast, eager = both_ways(root, monkeypatch)
    assert fast == eager and len(fast) >= 10


def test_cached_parse_gives_the_same_findings(make_workspace: MakeWorkspace, tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:  # fmt: skip
    monkeypatch.setenv("ESS_COOP_CACHE_DIR", str(tmp_path / "cache"))
    root = make_workspace(CASES["unknown-key"][0])
    first = check_workspace(root)[1].issues
    assert any((tmp_path / "cache" / "yaml").rglob("*"))  # entries were written
    assert check_workspace(root)[1].issues == first and first
