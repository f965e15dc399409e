"""Measure pack loading, one assessment with and without trace, and the CLI end to end.

Usage:  .venv/bin/python benchmarks/bench_assess.py [PROFILE ...] [--runs N]

Prints medians (and the 10th-90th percentile range) and the machine it ran on. Timings are
reported, never asserted in tests: the machines are shared and noisy.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from regatlas.engine.assess import assess, assess_fast, compiled_law
from regatlas.facts.profile import load_profile
from regatlas.rules.loader import load_pack

ROOT = Path(__file__).resolve().parents[1]
AS_OF = dt.date(2026, 11, 28)


def measure(fn: Callable[[], object], runs: int) -> list[float]:
    fn()  # warm-up
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    return samples


def summary(name: str, samples: list[float], unit: float = 1e-3, unit_name: str = "ms") -> str:
    deciles = statistics.quantiles(samples, n=10) if len(samples) >= 10 else [min(samples), max(samples)]
    return (
        f"| {name} | {statistics.median(samples) / unit:.3f} {unit_name} | "
        f"{deciles[0] / unit:.3f}-{deciles[-1] / unit:.3f} {unit_name} | {len(samples)} |"
    )


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return (
        f"{cpu}, {os.cpu_count()} cores, Python {platform.python_version()}, {platform.system()} {platform.release()}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "profiles",
        nargs="*",
        default=[
            str(ROOT / "examples" / "cv-screening.yaml"),
            str(ROOT / "benchmarks" / "profiles" / "everywhere.yaml"),
        ],
    )
    parser.add_argument("--runs", type=int, default=300)
    args = parser.parse_args()

    pack = load_pack()
    rules = len(pack.all_rules())
    for instrument in pack.instruments.values():
        compiled_law(instrument, AS_OF)

    rows = [summary("load and validate the pack", measure(load_pack, max(5, args.runs // 30)))]
    for path in args.profiles:
        profile = load_profile(Path(path), pack.vocabulary)
        touched = len(assess(pack, profile, AS_OF).instruments)
        name = f"{Path(path).stem} ({touched} instruments)"
        rows.append(summary(f"{name}: assess with trace", measure(lambda p=profile: assess(pack, p, AS_OF), args.runs)))
        rows.append(
            summary(
                f"{name}: assess, no trace (closures)",
                measure(lambda p=profile: assess_fast(pack, p.facts, AS_OF), args.runs),
            )
        )
        cli = [sys.executable, "-m", "regatlas", "assess", path, "--as-of", AS_OF.isoformat(), "--format", "json"]
        rows.append(
            summary(
                f"{name}: CLI end to end (--format json)",
                measure(lambda c=cli: subprocess.run(c, check=True, capture_output=True), max(5, args.runs // 30)),
                1.0,
                "s",
            )
        )

    print(f"machine: {machine()}")
    print(
        f"pack revision {pack.revision}: {len(pack.instruments)} instrument(s), {rules} rules, "
        f"{len(pack.vocabulary.facts)} facts; as of {AS_OF}\n"
    )
    print("| what | median | p10-p90 | runs |\n|---|---|---|---|")
    print("\n".join(rows))


if __name__ == "__main__":
    main()
