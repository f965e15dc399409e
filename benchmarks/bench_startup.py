"""Measure what a warm `regatlas assess PROFILE --format json` costs, end to end and phase by phase.

Usage:  .venv/bin/python benchmarks/bench_startup.py [PROFILE] [--runs N]

Every figure comes from fresh interpreters (start-up is what is measured, so nothing may be warm but the
pack cache and the OS file cache). The end-to-end line runs the installed command; the breakdown runs a
driver that does what `assess` does and reads the clock between phases. The best of N runs is reported next
to the median: on a shared machine the best is the figure least disturbed by neighbours, and CPU time is
given next to wall time for the same reason. Timings are reported, never asserted in tests.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# A user's Python caches compiled modules; with PYTHONDONTWRITEBYTECODE set every run would compile regatlas
# from source again (about 40 ms), which is not what start-up costs. The warm-up run writes the caches.
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}

# Runs in a fresh interpreter: the phases of `regatlas assess PROFILE -f json`, in the order the command
# meets them. Each phase's time includes the imports it triggers, as in the real command.
DRIVER = r"""
import json, sys, time
marks = [("interpreter", time.perf_counter(), time.process_time())]
def mark(name):
    marks.append((name, time.perf_counter(), time.process_time()))
import typer
mark("typer")
import regatlas.commands.app, regatlas.commands.assess
mark("command modules")
from regatlas.commands.common import load, parse_as_of
pack = load(None)
mark("pack from cache")
from regatlas.facts.profile import load_profile
profile = load_profile(__import__("pathlib").Path(sys.argv[1]), pack.vocabulary)
mark("profile")
from regatlas.engine.assess import assess
result = assess(pack, profile, parse_as_of(None))
mark("assessment")
from regatlas.report.json_report import render_json
text = render_json(result, False)
mark("JSON rendering")
start = marks[0]
rows = [(name, wall - prev_wall, cpu - prev_cpu) for (name, wall, cpu), (_, prev_wall, prev_cpu)
        in zip(marks[1:], marks[:-1])]
print(json.dumps(rows))
"""


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _timed(command: list[str]) -> tuple[float, float, str]:
    """Wall seconds, CPU seconds and stdout of one fresh process."""
    import time

    cpu_before, start = _children_cpu(), time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, check=True, cwd=ROOT, env=ENV)
    return time.perf_counter() - start, _children_cpu() - cpu_before, done.stdout


def _line(label: str, walls: list[float], cpus: list[float]) -> str:
    return (
        f"| {label} | {min(walls) * 1e3:.0f} ms | {statistics.median(walls) * 1e3:.0f} ms | {min(cpus) * 1e3:.0f} ms |"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("profile", nargs="?", default=str(ROOT / "examples" / "cv-screening.yaml"))
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    regatlas = str(Path(sys.executable).with_name("regatlas"))
    _timed([regatlas, "version"])  # fills the pack cache when it is cold
    print(
        f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} CPUs, "
        f"Python {platform.python_version()}, load average {os.getloadavg()[0]:.1f}"
    )
    print("\n| measure | best wall | median wall | best CPU |\n|---|---|---|---|")
    for label, command in (
        ("python -c pass", [sys.executable, "-c", "pass"]),
        ("regatlas --help", [regatlas, "--help"]),
        ("regatlas assess PROFILE -f json", [regatlas, "assess", args.profile, "-f", "json"]),
    ):
        samples = [_timed(command)[:2] for _ in range(args.runs)]
        print(_line(label, [w for w, _ in samples], [c for _, c in samples]))
    phases: dict[str, list[tuple[float, float]]] = {}
    for _ in range(args.runs):
        for name, wall, cpu in json.loads(_timed([sys.executable, "-c", DRIVER, args.profile])[2]):
            phases.setdefault(name, []).append((wall, cpu))
    print("\nphase by phase (fresh interpreter each run):")
    print(
        "\n| phase | best wall | median wall | best CPU |\n|---|---|---|---|"
    )
    for name, samples in phases.items():
        print(_line(name, [w for w, _ in samples], [c for _, c in samples]))


if __name__ == "__main__":
    main()
