"""Measure whole-population evaluation: every engine, every size, the whole pack, one fresh process per run.

Usage:
    .venv/bin/python benchmarks/bench_population.py --sizes 1e4,1e5,1e6,1e7 \\
        --engines polars,duckdb,spark,scalar --out results.json [--cache DIR] [--repeat 3]

For each size and engine: compile time (plan + query build), wall and CPU time of evaluating the whole pack
(every instrument, as of 2026-12-02), rows/s and peak memory (RSS of the run's own process and its children,
sampled, and the process's ru_maxrss; the RSS with the population loaded is reported too, so the engine's own
share shows). Each run is a fresh subprocess, so one run's memory does not hide another's. Spark (local) runs
only at 10^5; the scalar engine (`assess_fast` per row) only at 10^4, reported per profile.

Also: a hand-written Polars query for 50 EU AI Act rules (benchmarks/handwritten_eu50.py) against the compiled
engine restricted to the same rules (plus what they depend on; here exactly those 50), checked to give the same
table on the 10^4 population; and a one-parameter scenario (examples/scenarios/systemic-risk-1e24.yaml) over the
largest size: apply, compile and evaluate the whole pack again, and re-evaluate only the affected rules.

Populations come from `generate_population(pack, size, seed)` and are cached as Parquet under --cache (default
a temporary folder; 10^7 rows take minutes to generate). Timings are reported, never asserted: the machine is
shared and noisy, so each figure is the best (and median) of --repeat fresh runs.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))
AS_OF = dt.date(2026, 12, 2)
SCENARIO = ROOT / "examples" / "scenarios" / "systemic-risk-1e24.yaml"
SPARK_SIZE = 100_000
SCALAR_SIZE = 10_000


# ----------------------------------------------------------------------------------------------- memory


class PeakRSS:
    """Peak resident memory of this process and its children (a JVM for Spark), sampled every 20 ms."""

    def __init__(self) -> None:
        import psutil

        self.proc = psutil.Process()
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _sample(self) -> int:
        total = 0
        for p in [self.proc, *self.proc.children(recursive=True)]:
            with contextlib.suppress(Exception):  # a child that just ended
                total += p.memory_info().rss
        return total

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, self._sample())
            self._stop.wait(0.02)

    def __enter__(self) -> PeakRSS:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, self._sample())

    @property
    def peak_mb(self) -> float:
        own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # kB on Linux
        return max(self.peak, own) / 2**20

    def now_mb(self) -> float:
        return self._sample() / 2**20


def _cpu() -> float:
    t = os.times()
    return t.user + t.system  # this process, every thread


# ----------------------------------------------------------------------------------------------- populations


def population_path(cache: Path, size: int, seed: int, revision: str) -> Path:
    return cache / f"population-{size}-seed{seed}-{revision}.parquet"


def ensure_population(cache: Path, size: int, seed: int) -> Path:
    """Generate and cache one population (in a subprocess: 10^7 rows take several GB while generating)."""
    from regatlas.rules.loader import load_pack

    path = population_path(cache, size, seed, load_pack().revision)
    if not path.exists():
        print(f"generating {size:,} rows (seed {seed}) into {path}", file=sys.stderr, flush=True)
        _worker({"task": "generate", "size": size, "seed": seed, "path": str(path)})
    return path


# ----------------------------------------------------------------------------------------------- plans


def restrict(plan, keys):
    """The plan keeping the given findings and every finding they depend on (rules, exceptions)."""
    from regatlas.expr.ir import rules_in

    by_key = {r.key: r for r in plan.rules}
    keep: set[str] = set()
    stack = list(keys)
    while stack:
        key = stack.pop()
        if key in keep:
            continue
        keep.add(key)
        rule = by_key[key]
        stack += [*rules_in(rule.when), *rules_in(rule.applies_from), *rule.exceptions]
    instruments = tuple(
        replace(i, rules=tuple(r for r in i.rules if r.key in keep))
        for i in plan.instruments
        if any(r.key in keep for r in i.rules)
    )
    return replace(plan, instruments=instruments)


def affected_rules(old_plan, new_plan) -> set[str] | None:
    """Findings whose compiled rule changed, with every finding that depends on them; None: not comparable."""
    from regatlas.expr.ir import rules_in

    if [i.id for i in old_plan.instruments] != [i.id for i in new_plan.instruments]:
        return None
    old = {r.key: r for r in old_plan.rules}
    new = {r.key: r for r in new_plan.rules}
    if old.keys() != new.keys():
        return None

    def compiled(r) -> tuple:
        return (r.when, r.applies_from, r.exceptions)

    changed = {k for k, r in new.items() if compiled(r) != compiled(old[k])}
    deps = {k: set(rules_in(r.when)) | set(rules_in(r.applies_from)) | set(r.exceptions) for k, r in new.items()}
    grew = True
    while grew:
        extra = {k for k, d in deps.items() if k not in changed and d & changed}
        grew = bool(extra)
        changed |= extra
    return changed


# ----------------------------------------------------------------------------------------------- worker tasks


def _load(path: str, columns_only: bool = False):
    import polars as pl

    return pl.read_parquet(path)


def task_generate(spec: dict) -> dict:
    from regatlas.rules.loader import load_pack
    from regatlas.simulate.generate import generate_population

    start = time.perf_counter()
    frame = generate_population(load_pack(), spec["size"], spec["seed"])
    tmp = spec["path"] + ".tmp"
    frame.write_parquet(tmp)
    os.replace(tmp, spec["path"])
    return {"generate_s": time.perf_counter() - start}


def task_engine(spec: dict) -> dict:
    """One compile + evaluate of the pack (or its 50-rule restriction, or the hand-written query)."""
    import polars as pl

    from regatlas.compile.columns import complete
    from regatlas.compile.plan import build_plan
    from regatlas.rules.loader import load_pack

    engine, as_of = spec["engine"], dt.date.fromisoformat(spec["as_of"])
    pack = load_pack()
    with PeakRSS() as rss:
        population = None if engine == "spark" else complete(_load(spec["path"]), pack.vocabulary).collect()
        loaded_mb = rss.now_mb()
        session_s = None
        if engine == "spark":
            from regatlas.compile.spark_backend import VIEW, local_session

            t = time.perf_counter()
            spark = local_session()
            session_s = time.perf_counter() - t
        cpu0, t0 = _cpu(), time.perf_counter()
        if engine == "handwritten":
            import handwritten_eu50

            lazy = handwritten_eu50.query(population.lazy(), pack.registry)
            plan = None
        else:
            plan = build_plan(pack, as_of)
            if spec.get("rules") == "eu50":
                import handwritten_eu50

                plan = restrict(plan, handwritten_eu50.KEYS)
        if engine == "polars":
            from regatlas.compile.polars_backend import compile_population

            lazy = compile_population(plan, population.lazy(), pack.vocabulary)
        elif engine == "duckdb":
            import duckdb

            from regatlas.compile.duckdb_backend import _source, _sql

            con = duckdb.connect()
            sql = _sql(plan, con, _source(con, population))  # registers the frame, reads the codes it lists
        elif engine == "spark":
            from regatlas.compile.spark_backend import spark_sql

            spark.read.parquet(spec["path"]).createOrReplaceTempView(VIEW)
            sql = spark_sql(plan, spark)
        cpu1, t1 = _cpu(), time.perf_counter()
        if engine in ("polars", "handwritten"):
            result = lazy.collect()
        elif engine == "duckdb":
            result = pl.from_arrow(con.sql(sql).to_arrow_table())
        else:
            result = pl.from_arrow(spark.sql(sql).toArrow())
        cpu2, t2 = _cpu(), time.perf_counter()
        if engine == "spark":
            spark.stop()
    out = {
        "compile_s": t1 - t0,
        "eval_s": t2 - t1,
        "eval_cpu_s": cpu2 - cpu1 if engine != "spark" else None,  # Spark computes in its JVM
        "compile_cpu_s": cpu1 - cpu0 if engine != "spark" else None,
        "rows": result.height,
        "columns": result.width,
        "rule_count": len(plan.rules) if plan is not None else 50,
        "loaded_mb": loaded_mb,
        "peak_mb": rss.peak_mb,
    }
    if session_s is not None:
        out["session_s"] = session_s
    if spec.get("save"):
        result.write_parquet(spec["save"])
    return out


def task_scalar(spec: dict) -> dict:
    """`assess_fast` per row on row dicts (`row_facts`): the per-record engine, timed per profile."""
    from regatlas.engine.assess import assess_fast, compiled_law
    from regatlas.rules.loader import load_pack
    from regatlas.simulate.population import row_facts

    as_of = dt.date.fromisoformat(spec["as_of"])
    pack = load_pack()
    with PeakRSS() as rss:
        frame = _load(spec["path"])
        rows = [row_facts(frame, i, pack.vocabulary) for i in range(frame.height)]
        t = time.perf_counter()
        for instrument in pack.instruments.values():
            compiled_law(instrument, as_of)
        compile_s = time.perf_counter() - t
        cpu0, t0 = _cpu(), time.perf_counter()
        findings = 0
        for facts in rows:
            findings += len(assess_fast(pack, facts, as_of))
        cpu1, t1 = _cpu(), time.perf_counter()
    return {
        "compile_s": compile_s,
        "eval_s": t1 - t0,
        "eval_cpu_s": cpu1 - cpu0,
        "rows": len(rows),
        "findings": findings,
        "peak_mb": rss.peak_mb,
    }


def task_check50(spec: dict) -> dict:
    """The hand-written query and the compiled 50-rule plan give the same table (asserted here, not in tests)."""
    import handwritten_eu50
    import polars as pl

    from regatlas.compile.columns import complete
    from regatlas.compile.plan import build_plan
    from regatlas.compile.polars_backend import compile_population
    from regatlas.rules.loader import load_pack

    pack = load_pack()
    population = complete(_load(spec["path"]), pack.vocabulary)
    plan = restrict(build_plan(pack, dt.date.fromisoformat(spec["as_of"])), handwritten_eu50.KEYS)
    assert sorted(r.key for r in plan.rules) == sorted(handwritten_eu50.KEYS), "the 50 rules are not closed"
    compiled = compile_population(plan, population, pack.vocabulary).collect()
    hand = handwritten_eu50.query(population, pack.registry).collect()
    assert sorted(compiled.columns) == sorted(hand.columns), set(compiled.columns) ^ set(hand.columns)
    hand = hand.select(compiled.columns)
    differing = [c for c in compiled.columns if not compiled.get_column(c).equals(hand.get_column(c))]
    assert not differing, f"hand-written and compiled differ in {differing}"
    yes = {c: int(compiled.get_column(c).sum()) for c in compiled.columns if compiled.schema[c] == pl.Boolean}
    unknown = {c: compiled.get_column(c).null_count() for c in yes}
    return {
        "rows": compiled.height,
        "columns": compiled.width,
        "identical": True,
        "findings_seen_yes": sum(1 for v in yes.values() if v),
        "findings_seen_unknown": sum(1 for v in unknown.values() if v),
    }


def task_scenario(spec: dict) -> dict:
    """A one-parameter scenario over a population: the whole pack again, and only the affected rules."""
    import polars as pl

    from regatlas.compile.columns import complete
    from regatlas.compile.plan import build_plan
    from regatlas.compile.polars_backend import (
        Coverage,
        PolarsCompiler,
        SetMasks,
        applies_column,
        compile_population,
    )
    from regatlas.expr.ir import Lit, Var, rules_in, walk
    from regatlas.rules.loader import load_pack
    from regatlas.simulate.scenario import load_scenario

    as_of = dt.date.fromisoformat(spec["as_of"])
    pack = load_pack()
    scenario = load_scenario(Path(spec["scenario"]))
    with PeakRSS() as rss:
        population = complete(_load(spec["path"]), pack.vocabulary).collect()
        base_plan = build_plan(pack, as_of)
        baseline = compile_population(base_plan, population.lazy(), pack.vocabulary).collect()  # already known

        # 1. the whole pack again
        t0 = time.perf_counter()
        changed_pack = scenario.apply(pack)
        t1 = time.perf_counter()
        plan = build_plan(changed_pack, as_of)
        lazy = compile_population(plan, population.lazy(), changed_pack.vocabulary)
        t2 = time.perf_counter()
        full = lazy.collect()
        t3 = time.perf_counter()

        # 2. only the rules the change reaches, reading the other findings from the baseline
        t4 = time.perf_counter()
        changed_pack = scenario.apply(pack)
        plan = build_plan(changed_pack, as_of)
        affected = affected_rules(base_plan, plan)
        t_plan = time.perf_counter()
        incremental = None
        if affected is not None:
            rules = sorted((r for r in plan.rules if r.key in affected), key=lambda r: r.level)
            facts = {
                n.name for r in rules for root in (r.when, r.applies_from) for n in walk(root) if isinstance(n, Var)
            }
            derived = [d for d in plan.derived if d.fact_id in facts]
            lists = sorted({d.source for d in derived})
            coverage = Coverage.build(plan, None)
            sets = SetMasks.build(changed_pack.vocabulary, facts)
            compiler = PolarsCompiler(plan, coverage, dict(population.schema), sets)
            read = {k for r in rules for k in (*rules_in(r.when), *rules_in(r.applies_from), *r.exceptions)}
            # only the columns these rules read: joining whole frames would realign (copy) every column's chunks
            columns = sorted(facts | {d.source for d in derived} | set(lists))
            # Series taken out directly (no query over the 400-column frames), each in one chunk
            needed = [population.get_column(c) for c in columns]
            needed += [baseline.get_column(k) for k in sorted(read - affected)]  # unaffected findings they read
            frame = pl.DataFrame([c.rechunk() for c in needed]).lazy()
            t_columns = time.perf_counter()
            frame = frame.with_columns([coverage.mask_expr(c) for c in lists] + [sets.mask_expr(f) for f in sets.bits])
            frame = frame.with_columns(
                [
                    pl.when(pl.col(d.source).is_not_null())
                    .then(coverage.test(d.source, coverage.inside_bits[d.within]))
                    .otherwise(pl.col(d.fact_id))
                    .alias(d.fact_id)
                    for d in derived
                ]
            )
            for level in sorted({r.level for r in rules}):
                frame = frame.with_columns([compiler.conclusion(r) for r in rules if r.level == level])
            dated = [r for r in rules if not isinstance(r.applies_from, Lit)]
            frame = frame.with_columns(
                [compiler.expr(r.applies_from).cast(pl.Date).alias(applies_column(r.key)) for r in dated]
            )
            new_columns = [r.key for r in rules] + [applies_column(r.key) for r in dated]
            t5 = time.perf_counter()
            recomputed = frame.select(new_columns).collect()
            incremental = baseline.with_columns(recomputed)
            t6 = time.perf_counter()
        same = incremental is not None and incremental.select(full.columns).equals(full)
        moved = sum(
            int((full.get_column(c) != baseline.get_column(c)).fill_null(True).sum()
                - (full.get_column(c).is_null() & baseline.get_column(c).is_null()).sum())
            for c in full.columns if c not in ("id", "weight")
        )  # fmt: skip
    out = {
        "rows": full.height,
        "rules": len(plan.rules),
        "full_apply_s": t1 - t0,
        "full_compile_s": t2 - t1,
        "full_eval_s": t3 - t2,
        "full_total_s": t3 - t0,
        "changed_cells": moved,
        "peak_mb": rss.peak_mb,
    }
    if incremental is not None:
        out |= {
            "affected_rules": sorted(affected),
            "incremental_prepare_s": t5 - t4,
            "incremental_apply_plan_s": t_plan - t4,
            "incremental_columns_s": t_columns - t_plan,
            "incremental_eval_s": t6 - t5,
            "incremental_total_s": t6 - t4,
            "incremental_equals_full": bool(same),
        }
    return out


TASKS = {
    "generate": task_generate,
    "engine": task_engine,
    "scalar": task_scalar,
    "check50": task_check50,
    "scenario": task_scenario,
}


def _worker(spec: dict) -> dict:
    """Run one task in a fresh Python process; its JSON result is the last line it prints."""
    cmd = [sys.executable, __file__, "--worker", json.dumps(spec)]
    done = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"{spec} failed:\n{done.stderr[-4000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


# ----------------------------------------------------------------------------------------------- report


def machine() -> dict:
    import duckdb
    import numpy
    import polars
    import psutil

    info = {
        "cpu": platform.processor() or platform.machine(),
        "cores": os.cpu_count(),
        "memory_gib": round(psutil.virtual_memory().total / 2**30, 1),
        "python": platform.python_version(),
        "os": f"{platform.system()} {platform.release()}",
        "polars": polars.__version__,
        "duckdb": duckdb.__version__,
        "numpy": numpy.__version__,
        "load_average_at_start": os.getloadavg(),
    }
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                info["cpu"] = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        import pyspark

        info["pyspark"] = pyspark.__version__
    except ImportError:
        pass
    return info


def _stats(runs: list[dict], key: str) -> dict:
    values = [r[key] for r in runs if r.get(key) is not None]
    if not values:
        return {}
    return {f"{key}_best": min(values), f"{key}_median": statistics.median(values)}


def measure(spec: dict, repeat: int) -> dict:
    runs = [_worker(spec) for _ in range(repeat)]
    out = {k: v for k, v in runs[0].items() if not isinstance(v, float)}
    for key in ("compile_s", "eval_s", "eval_cpu_s", "compile_cpu_s", "peak_mb", "loaded_mb", "session_s"):
        out |= _stats(runs, key)
    out["runs"] = runs
    out["rows_per_s"] = out["rows"] / out["eval_s_best"] if out.get("eval_s_best") else None
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1e4,1e5,1e6", help="population sizes, comma-separated (1e4,1e5,...)")
    parser.add_argument("--engines", default="polars,duckdb,spark,scalar")
    parser.add_argument("--out", type=Path, help="write every figure as JSON here")
    parser.add_argument("--cache", type=Path, help="folder of generated populations (Parquet); default a temp dir")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=3, help="fresh runs per measurement (best and median kept)")
    parser.add_argument("--as-of", default=AS_OF.isoformat())
    parser.add_argument("--scenario", type=Path, default=SCENARIO)
    parser.add_argument("--no-eu50", action="store_true", help="skip the hand-written 50-rule comparison")
    parser.add_argument("--no-scenario", action="store_true", help="skip the scenario re-run")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.worker:
        spec = json.loads(args.worker)
        print(json.dumps(TASKS[spec["task"]](spec)))
        return

    sizes = sorted({int(float(s)) for s in args.sizes.split(",")})
    engines = [e.strip() for e in args.engines.split(",") if e.strip()]
    if unknown := set(engines) - {"polars", "duckdb", "spark", "scalar"}:
        parser.error(f"unknown engine(s) {', '.join(sorted(unknown))}: use polars, duckdb, spark, scalar (or '')")
    cache = args.cache or Path(tempfile.mkdtemp(prefix="regatlas-populations-"))
    cache.mkdir(parents=True, exist_ok=True)
    report: dict = {"machine": machine(), "as_of": args.as_of, "seed": args.seed, "repeat": args.repeat}
    report["started"] = dt.datetime.now().isoformat(timespec="seconds")
    results = []

    def log(message: str) -> None:
        print(message, file=sys.stderr, flush=True)

    for size in sizes:
        path = str(ensure_population(cache, size, args.seed))
        for engine in engines:
            if (engine == "spark" and size != SPARK_SIZE) or (engine == "scalar" and size != SCALAR_SIZE):
                continue
            log(f"{engine} at {size:,}")
            if engine == "scalar":
                found = measure({"task": "scalar", "path": path, "as_of": args.as_of}, 1)
                found["per_profile_s"] = found["eval_s_best"] / found["rows"]
            else:
                repeat = 1 if engine == "spark" else args.repeat
                found = measure({"task": "engine", "engine": engine, "path": path, "as_of": args.as_of}, repeat)
            results.append({"size": size, "engine": engine, "rules": "all"} | found)
        if not args.no_eu50:
            for engine, rules in (("handwritten", "eu50"), ("polars", "eu50")):
                log(f"{engine} ({rules}) at {size:,}")
                spec = {"task": "engine", "engine": engine, "rules": rules, "path": path, "as_of": args.as_of}
                results.append({"size": size, "engine": engine, "rules": "eu50"} | measure(spec, args.repeat))
    report["results"] = results

    if not args.no_eu50:
        small = str(ensure_population(cache, min(sizes), args.seed))
        report["eu50_check"] = {"size": min(sizes)} | _worker({"task": "check50", "path": small, "as_of": args.as_of})
        ratios = {}
        for size in sizes:
            pick = {(r["engine"], r["rules"]): r for r in results if r["size"] == size}
            hand, compiled = pick.get(("handwritten", "eu50")), pick.get(("polars", "eu50"))
            if hand and compiled:
                ratios[size] = {
                    "wall_best": compiled["eval_s_best"] / hand["eval_s_best"],
                    "cpu_best": compiled["eval_cpu_s_best"] / hand["eval_cpu_s_best"],
                    "compile_plus_eval_best": (compiled["eval_s_best"] + compiled["compile_s_best"])
                    / (hand["eval_s_best"] + hand["compile_s_best"]),
                }
        report["eu50_ratio"] = ratios
    scalar = [r for r in results if r["engine"] == "scalar"]
    polars_at = {r["size"]: r for r in results if r["engine"] == "polars" and r["rules"] == "all"}
    if scalar and polars_at:
        per_profile = scalar[0]["per_profile_s"]
        report["speedup_vs_scalar"] = {
            size: per_profile / (r["eval_s_best"] / r["rows"]) for size, r in sorted(polars_at.items())
        }

    if not args.no_scenario:
        size = max(sizes)
        log(f"scenario {args.scenario.name} at {size:,}")
        path = str(ensure_population(cache, size, args.seed))
        runs = [
            _worker({"task": "scenario", "path": path, "as_of": args.as_of, "scenario": str(args.scenario)})
            for _ in range(max(1, min(args.repeat, 2)))
        ]
        best = min(runs, key=lambda r: r["full_total_s"])
        report["scenario"] = {"size": size, "file": str(args.scenario.relative_to(ROOT)), "runs": runs} | {
            "full_total_s_best": best["full_total_s"],
            "incremental_total_s_best": min(r.get("incremental_total_s", float("inf")) for r in runs),
        }
    report["finished"] = dt.datetime.now().isoformat(timespec="seconds")

    text = json.dumps(report, indent=2, default=str)
    if args.out:
        args.out.write_text(text)
    print(table(report))


def table(report: dict) -> str:
    lines = [
        "| size | engine | rules | compile s | eval s (best) | eval s (median) | eval CPU s | rows/s | peak MB |"
        " data MB |",
        "|---:|---|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in report["results"]:
        cpu = r.get("eval_cpu_s_best")
        lines.append(
            f"| {r['size']:,} | {r['engine']} | {r['rules']} | {r['compile_s_best']:.3f} | {r['eval_s_best']:.3f} | "
            f"{r['eval_s_median']:.3f} | {'' if cpu is None else f'{cpu:.3f}'} | {r['rows_per_s']:,.0f} | "
            f"{r['peak_mb_best']:,.0f} | {r.get('loaded_mb_best', 0):,.0f} |"
        )
    return "\n".join(lines)


if __name__ == "__main__":
    main()
