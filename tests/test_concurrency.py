"""Concurrent writers never lose work: ten real ``ess-coop`` processes started together, several
rounds, and the invariant "what a run reported is on disk" (a run that fails says why in one
line and changed nothing)."""

from __future__ import annotations

import hashlib
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from ess_coop.yamlio import read_yaml
from samples import MakeWorkspace

RUNS = 10
ENV = {**os.environ, "ESS_COOP_NO_CACHE": "1", "COLUMNS": "200"}


def together(commands: list[list[str]], cwd: Path) -> list[tuple[int, str, str]]:
    """Start every command at once (each ``python -m ess_coop …``); their exit codes and outputs."""
    processes = [
        subprocess.Popen(
            [sys.executable, "-m", "ess_coop", *args],
            cwd=cwd,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=ENV,
        )
        for args in commands
    ]
    results = []
    for process in processes:
        out, err = process.communicate(timeout=120)
        results.append((process.returncode, out, err))
    return results


def leftovers(folder: Path) -> list[str]:
    """Temporary and lock files left behind."""
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("~"))


@pytest.mark.parametrize("round_", range(3))
def test_actors_added_at_once_are_all_on_disk(make_workspace: MakeWorkspace, round_: int) -> None:
    root = make_workspace()
    commands = [
        ["actors", "add", "--name", f"Structure {i}", "--id", f"s-{i}", "--country", "TG", "--type", "ngo"]
        for i in range(RUNS)
    ]
    results = together(commands, root)
    ids = [actor["id"] for actor in read_yaml(root / "actors.yaml").data["actors"]]
    for i, (code, _, err) in enumerate(results):
        assert code == 0 and err == "", err  # nobody had to give up
        assert ids.count(f"s-{i}") == 1
    assert ids[:3] == ["fr-a", "fr-b", "tg-a"]  # and nothing that was there is lost
    assert leftovers(root) == []


@pytest.mark.parametrize("round_", range(3))
def test_interviews_of_one_actor_on_one_day_get_their_own_ids(make_workspace: MakeWorkspace, round_: int) -> None:
    root = make_workspace()
    commands = [["new-interview", "tg-a", "--date", "2025-03-04", "-i", f"Enquêteur{i}"] for i in range(RUNS)]
    results = together(commands, root)
    reported = []
    for i, (code, out, err) in enumerate(results):
        assert code == 0 and err == "", err  # never "too many interviews" with ten
        path = re.search(r"interviews/tg-a/(2025-03-04-tg-a(?:-\d+)?\.yaml)", out)
        assert path, out
        reported.append(path[1])
        data = read_yaml(root / "interviews/tg-a" / path[1]).data
        assert data["interviewers"] == [f"Enquêteur{i}"]  # its own file, not another run's
        assert data["id"] == path[1].removesuffix(".yaml")
    expected = ["2025-03-04-tg-a.yaml"] + [f"2025-03-04-tg-a-{n}.yaml" for n in range(2, RUNS + 1)]
    assert sorted(reported) == sorted(expected)
    assert sorted(p.name for p in (root / "interviews/tg-a").glob("2025-03-04-*")) == sorted(expected)


@pytest.mark.parametrize("round_", range(2))
def test_builds_to_one_output_at_once(make_workspace: MakeWorkspace, round_: int) -> None:
    root = make_workspace()
    # French and English builds alternate into one file (each edition has its own name by
    # default: -o makes them share one), so the bytes differ, as when two coordinators rebuild
    # at the same time. Nobody edits the draft by hand.
    lang = ["--lang", "fr"], ["--lang", "en"]
    commands = [
        ["build-referential", "--format", "json", "-o", "output/referentiel.docx", *lang[i % 2]] for i in range(RUNS)
    ]
    results = together(commands, root)
    for code, out, err in results:
        assert code == 0, err
        for document in json.loads(out)["documents"]:
            assert document["reason"] != "edited", document  # never said when no person edited it
            assert (root / document["path"]).is_file()
    ledger = json.loads((root / "output/.ess-coop-outputs.json").read_text("utf-8"))
    for path in (root / "output").glob("*.docx"):
        assert ledger[path.name] == hashlib.sha256(path.read_bytes()).hexdigest()
    assert [p.name for p in (root / "output").glob("*.docx")] == ["referentiel.docx"]
    assert leftovers(root / "output") == []
