"""Benchmarks: ess-coop on synthetic workspaces of 16, 100 and 1,000 transcripts.

    python benchmarks/run.py              # all sizes (a few minutes)
    python benchmarks/run.py --sizes 16 100 --runs 3
    python benchmarks/run.py --sizes 1000 --warned-only   # validate vs the ruamel load, 1 warning per file

Each command runs as a whole process (what a person waits for), several times, in rounds
(every command once per round, after one unmeasured run that fills the caches); the median
and fastest wall time and the peak memory (max RSS) are reported. The baseline loads the same transcripts
with ruamel.yaml's round-trip loader in one process, so the speed-up of our loader is visible.
Results are printed as a table and written to ``benchmarks/results/latest.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import shutil
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
WORK = HERE / "workspaces"
RESULTS = HERE / "results"
sys.path.insert(0, str(HERE))

from generate import generate_workspace  # noqa: E402  (benchmarks/ is a folder of scripts, not a package)


def ess_coop() -> list[str]:
    script = Path(sys.executable).with_name("ess-coop")
    return [str(script)] if script.exists() else [sys.executable, "-m", "ess_coop"]


def run_once(args: list[str], cwd: Path, env: dict[str, str] | None = None) -> tuple[float, float, int]:
    """(wall seconds, peak RSS in MB, exit code) of one whole process."""
    started = time.perf_counter()
    proc = subprocess.Popen(args, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=child_env(env))
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - started
    proc.returncode = os.waitstatus_to_exitcode(status)
    return elapsed, usage.ru_maxrss / 1024, proc.returncode


def child_env(extra: dict[str, str] | None) -> dict[str, str]:
    """The environment of a measured process: a fixed terminal width, and Python allowed to
    keep compiled bytecode (an installed package has it; PYTHONDONTWRITEBYTECODE, set on some
    development machines, would make every run recompile the checkout's modules)."""
    env = {**os.environ, "COLUMNS": "120", **(extra or {})}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


@dataclass
class Command:
    name: str
    args: list[str]
    cwd: Path
    expect: set[int]
    env: dict[str, str] | None = None


def measure(commands: list[Command], runs: int) -> list[dict[str, object]]:
    """Run every command ``runs`` times, in rounds (each command once per round), so that a
    slow spell of a shared machine falls on all of them alike rather than on one."""
    times: dict[str, list[float]] = {c.name: [] for c in commands}
    peaks: dict[str, list[float]] = {c.name: [] for c in commands}
    for command in commands:  # a first, unmeasured run fills caches and compiles bytecode
        if command.env is None:
            run_once(command.args, command.cwd)
    for _ in range(runs):
        for c in commands:
            elapsed, peak, code = run_once(c.args, c.cwd, c.env)
            if code not in c.expect:
                raise SystemExit(f"{c.name}: exit code {code} (expected {sorted(c.expect)}): {' '.join(c.args)}")
            times[c.name].append(elapsed)
            peaks[c.name].append(peak)
    return [
        {"command": c.name, "median_s": round(statistics.median(times[c.name]), 3),
         "min_s": round(min(times[c.name]), 3), "peak_mb": round(max(peaks[c.name]), 1), "runs": runs}
        for c in commands
    ]  # fmt: skip


def baseline(workspace: Path) -> float:
    """Seconds to load every transcript with ruamel.yaml round-trip, in one process."""
    code = (
        "import sys, time, pathlib\nfrom ruamel.yaml import YAML\n"
        "files = sorted(pathlib.Path(sys.argv[1]).glob('interviews/*/*.yaml'))\n"
        "t = time.perf_counter()\nfor f in files:\n    YAML().load(f.read_text('utf-8'))\n"
        "print(time.perf_counter() - t)\n"
    )
    out = subprocess.run([sys.executable, "-c", code, str(workspace)], capture_output=True, text=True, check=True)
    return float(out.stdout)


def warned_vs_baseline(warned: Path, cmd: list[str], runs: int) -> list[dict[str, object]]:
    """A cold validate of files that each carry one warning, and the ruamel load of the same
    files, alternated in each round: on a shared machine the ratio of one round holds where
    seconds do not. The speed-up is the median of the rounds' ratios."""
    cold = {"ESS_COOP_NO_CACHE": "1"}
    run_once([*cmd, "validate"], warned, cold)  # compiles bytecode
    rounds = []
    for _ in range(runs):
        elapsed, peak, code = run_once([*cmd, "validate"], warned, cold)
        if code != 0:
            raise SystemExit(f"validate (1 warning per file): exit code {code}")
        rounds.append((elapsed, peak, baseline(warned)))
    times, bases = [r[0] for r in rounds], [r[2] for r in rounds]
    return [
        {"command": "validate (1 warning per file, no cache)", "median_s": round(statistics.median(times), 3),
         "min_s": round(min(times), 3), "peak_mb": round(max(r[1] for r in rounds), 1), "runs": runs,
         "speedup_vs_baseline": round(statistics.median(b / t for t, _, b in rounds), 1)},
        {"command": "baseline: ruamel round-trip load, 1 warning per file",
         "median_s": round(statistics.median(bases), 3), "min_s": round(min(bases), 3), "peak_mb": None, "runs": runs},
    ]  # fmt: skip


def bench_size(size: int, runs: int) -> list[dict[str, object]]:
    valid = WORK / f"ws-{size}"
    broken = WORK / f"ws-{size}-broken"
    warned = WORK / f"ws-{size}-warned"  # every file carries one warning: each must be located
    for path, share in ((valid, 0.0), (broken, 0.05), (warned, 0.0)):
        if not (path / "ess-coop.yaml").exists():
            generate_workspace(path, transcripts=size, broken_share=share, seed=size, names_warning=path == warned)
    cmd = ess_coop()
    out = valid / "output"
    if out.exists():
        shutil.rmtree(out)
    cold = {"ESS_COOP_NO_CACHE": "1"}  # no parse or chart cache: a first run on new files
    build = [*cmd, "build-referential", "-o"]
    rows = measure(
        [
            Command("validate", [*cmd, "validate"], valid, {0}),
            Command("validate (no cache)", [*cmd, "validate"], valid, {0}, cold),
            Command("validate (5% broken)", [*cmd, "validate"], broken, {1}),
            Command("status", [*cmd, "status"], valid, {0}),
            Command("build-referential", [*build, str(out / "bench.docx")], valid, {0}),
            Command("build-referential (no cache)", [*build, str(out / "bench-c.docx")], valid, {0}, cold),
            Command("build-referential --xlsx", [*build, str(out / "bench-x.docx"), "--xlsx"], valid, {0}),
        ],
        runs,
    )
    base = baseline(valid)
    rows.append({"command": "baseline: ruamel round-trip load (in-process)", "median_s": round(base, 3),
                 "min_s": round(base, 3), "peak_mb": None, "runs": 1})  # fmt: skip
    for row in rows[:2]:  # validate, with and without the cache
        row["speedup_vs_baseline"] = round(base / row["median_s"], 1)  # type: ignore[operator]
    rows += warned_vs_baseline(warned, cmd, runs)
    for row in rows:
        row["transcripts"] = size
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[16, 100, 1000])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--warned-only", action="store_true", help="only validate vs baseline, 1 warning per file")
    options = parser.parse_args()
    WORK.mkdir(exist_ok=True)
    rows = measure([Command("--help", [*ess_coop(), "--help"], ROOT, {0})], options.runs * 2)
    rows[0]["transcripts"] = 0
    for size in options.sizes:
        runs = options.runs if size < 1000 else max(3, options.runs // 2)
        if options.warned_only:
            warned = WORK / f"ws-{size}-warned"
            if not (warned / "ess-coop.yaml").exists():
                generate_workspace(warned, transcripts=size, seed=size, names_warning=True)
            rows += [{**row, "transcripts": size} for row in warned_vs_baseline(warned, ess_coop(), runs)]
        else:
            rows += bench_size(size, runs)
    print(f"{'transcripts':>11}  {'command':<52} {'median s':>9} {'min s':>7} {'peak MB':>8}  note")
    for row in rows:
        note = f"{row['speedup_vs_baseline']}x faster than baseline" if row.get("speedup_vs_baseline") else ""
        peak = f"{row['peak_mb']:.0f}" if row["peak_mb"] is not None else "—"
        times = f"{row['median_s']:>9.3f} {row['min_s']:>7.3f}"
        print(f"{row['transcripts']:>11}  {row['command']:<52} {times} {peak:>8}  {note}")
    RESULTS.mkdir(exist_ok=True)
    machine = {"python": platform.python_version(), "machine": platform.machine(), "cpus": os.cpu_count()}
    (RESULTS / "latest.json").write_text(json.dumps({"machine": machine, "rows": rows}, indent=2) + "\n")
    print(f"\nwritten: {(RESULTS / 'latest.json').relative_to(ROOT)}")


if __name__ == "__main__":
    random.seed(0)
    main()
