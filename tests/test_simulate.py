"""Simulation over populations and scenarios: overlays change exactly what they should, measures equal `compare`,
engines agree, and bad scenario files fail with file:line."""

from __future__ import annotations

import datetime as dt
import json
import random
import subprocess
import sys

import polars as pl
import pytest
from conftest import EXAMPLES, ROOT
from test_vectorized import _mismatches

from regatlas.compare.fragmentation import compare
from regatlas.engine.assess import assess
from regatlas.errors import PackError
from regatlas.facts.profile import Profile, load_profile
from regatlas.simulate.costs import load_costs
from regatlas.simulate.frames import profiles_frame, random_facts
from regatlas.simulate.population import row_facts
from regatlas.simulate.run import run_simulation, simulate
from regatlas.simulate.scenario import load_scenario

DAY = dt.date(2026, 12, 2)
SCENARIOS = ROOT / "examples" / "scenarios"
GOLDEN = ROOT / "tests" / "golden" / "simulate-scenarios.json"


def run(*args: str) -> subprocess.CompletedProcess:
    """The real command line, as a user runs it (exit codes come from `main`)."""
    return subprocess.run([sys.executable, "-m", "regatlas", *args], capture_output=True, text=True, timeout=600)


@pytest.fixture(scope="module")
def examples_population(pack) -> pl.DataFrame:
    """The ten bundled example profiles as a small fixed population, each row weighing its position + 1."""
    paths = sorted(EXAMPLES.glob("*.yaml"))
    facts = [load_profile(p, pack.vocabulary).facts for p in paths]
    frame = profiles_frame(facts, pack.vocabulary, ids=[p.stem for p in paths])
    return frame.with_columns(pl.Series("weight", [float(i + 1) for i in range(len(paths))]))


@pytest.fixture(scope="module")
def costs(pack):
    return load_costs(themes=list(pack.vocabularies.themes))


def _run(pack, population, costs, *names: str) -> dict:
    scenarios = [load_scenario(SCENARIOS / f"{name}.yaml") for name in names]
    result, _ = run_simulation(pack, population, DAY, "polars", scenarios, costs)
    return result


def _moves(scenario: dict) -> dict[str, dict[str, float]]:
    """finding -> {"before->after": weight} for the cells off the diagonal."""
    return {
        m["finding"]: {f"{s}->{t}": v for s, row in m["matrix"].items() for t, v in row.items() if s != t and v}
        for m in scenario["transitions"]["findings"]
    }


def test_golden_transition_matrices(pack, examples_population, costs):
    """The transitions of the four bundled scenarios over the ten examples, as reviewed and kept in the golden."""
    result = _run(pack, examples_population, costs, "systemic-risk-1e24", "annex-iii-2026", "us-federal-preemption")
    got = {sc["id"]: _moves(sc) for sc in result["scenarios"]}
    if not GOLDEN.exists():  # first run writes the golden for review; a missing golden is never a pass
        GOLDEN.write_text(json.dumps(got, indent=1, sort_keys=True))
        pytest.fail(f"wrote {GOLDEN}: review it and run again")
    assert got == json.loads(GOLDEN.read_text())


def test_threshold_scenario_changes_only_gpai_findings(pack, examples_population, costs):
    moves = _moves(_run(pack, examples_population, costs, "systemic-risk-1e24")["scenarios"][0])
    assert moves, "a 4e24 FLOP model (customer-service-chatbot) must change class"
    assert all(key.startswith("eu_ai_act:") for key in moves)
    assert "eu_ai_act:art51_1_a_high_impact_capabilities" in moves
    # the chatbot's 4e24 model (weight 2) crosses the lowered threshold; the 8e23 one (text-to-video) does not
    assert moves["eu_ai_act:art51_1_a_high_impact_capabilities"] == {"no->yes": 2.0}


def test_annex_iii_scenario_brings_pending_duties_into_effect(pack, examples_population, costs):
    moves = _moves(_run(pack, examples_population, costs, "annex-iii-2026")["scenarios"][0])
    risk_management = moves["eu_ai_act:art9_risk_management_system"]
    assert set(risk_management) == {"pending->yes"}
    assert all(set(m) <= {"pending->yes"} for m in moves.values())


def test_preemption_scenario_removes_state_and_city_findings_only(pack, examples_population, costs):
    scenario = _run(pack, examples_population, costs, "us-federal-preemption")["scenarios"][0]
    moves = _moves(scenario)
    states = ("us_ca_", "us_co_", "us_il_", "us_ny_", "us_nyc_", "us_tx_", "us_ut_")
    assert moves and all(key.startswith(states) for key in moves)
    assert all(set(m) <= {f"{s}->n/a" for s in ("yes", "pending", "no", "unknown")} for m in moves.values())
    assert scenario["duties"]["added_per_system"] == 0


def test_common_rules_extend_the_act_and_keep_the_eu(pack, examples_population, costs):
    scenario = _run(pack, examples_population, costs, "common-rules")["scenarios"][0]
    moves = _moves(scenario)
    assert not [k for k in moves if k.startswith("eu_ai_act:")], "the EU's own findings must not move"
    assert any(k.startswith("eu_ai_act@US:") for k in moves)
    assert not [
        k
        for k in moves
        if k.startswith(("us_co_", "cn_")) and not all(v.endswith("n/a") for v in [m.split("->")[1] for m in moves[k]])
    ]
    assert (
        scenario["fragmentation"]["divergences_per_system"]
        <= scenario["baseline_fragmentation"]["divergences_per_system"]
    )


def test_scenario_packs_evaluate_alike_in_both_engines(pack):
    """Clones of an instrument (`eu_ai_act@US`) are evaluated by the scalar and the Polars engines alike."""
    rng = random.Random("scenario-packs")
    facts = [random_facts(pack.vocabulary, rng) for _ in range(400)]
    for name in ("common-rules", "systemic-risk-1e24", "annex-iii-2026"):
        changed = load_scenario(SCENARIOS / f"{name}.yaml").apply(pack)
        problems = _mismatches(changed, facts, DAY)
        assert not problems, f"{name}: " + "\n".join(problems[:10])


def test_population_measures_equal_compare_per_profile(pack, costs):
    """Binding jurisdictions, units, core, index, conflicts and divergences per row equal `compare()`."""
    population = pl.read_parquet(ROOT / "examples" / "population.parquet").head(600)
    sim = simulate(pack, population, DAY, "polars", costs)
    for i in range(0, population.height, 2):
        comparison = compare(assess(pack, Profile("row", row_facts(population, i, pack.vocabulary)), DAY),
                             pack.vocabularies)  # fmt: skip
        row = sim.table.row(i, named=True)
        assert (row["binding_jurisdictions"], row["units"], row["outside_core"], row["conflicts"],
                row["divergences"]) == (len(comparison.jurisdictions), comparison.units, comparison.outside_units,
                                        len(comparison.conflicts), len(comparison.divergences)), i  # fmt: skip
        assert round(row["fragmentation_index"], 4) == comparison.index


def test_summary_is_the_same_whichever_engine(pack, costs):
    population = pl.read_parquet(ROOT / "examples" / "population.parquet").head(1500)
    scenarios = [load_scenario(SCENARIOS / "us-federal-preemption.yaml")]
    polars_result, _ = run_simulation(pack, population, DAY, "polars", scenarios, costs)
    duckdb_result, _ = run_simulation(pack, population, DAY, "duckdb", scenarios, costs)

    def strip(result: dict) -> dict:
        text = json.dumps(result, sort_keys=True, default=str)
        data = json.loads(text)
        for run in [data["baseline"], *data["scenarios"]]:
            run.pop("engine", None)
            run.pop("seconds", None)
        return data

    assert strip(polars_result) == strip(duckdb_result)


BAD_SCENARIOS = {
    "unknown instrument": ("  - kind: parameter\n    instrument: eu_ai_akt\n    parameter: x\n    value: 1\n"
                           "    valid_from: 2026-01-01\n", "unknown instrument 'eu_ai_akt'", 10),
    "unknown parameter": ("  - kind: parameter\n    instrument: eu_ai_act\n    parameter: threshold\n    value: 1\n"
                          "    valid_from: 2026-01-01\n", "unknown parameter 'threshold'", 11),
    "bad expression": ("  - kind: version\n    instrument: eu_ai_act\n    rule: in_scope\n    valid_from: 2026-01-01\n"
                       "    applies_from: 2026-01-01\n    when: system.is_ai_sytem\n", "unknown fact", 14),
    "unknown place": ("  - kind: extend\n    instrument: eu_ai_act\n    to: [XX]\n", "unknown jurisdiction code", 11),
    "no such date": ("  - kind: move_date\n    instrument: eu_ai_act\n    date: 2031-01-01\n    to: 2030-01-01\n",
                     "no rule of 'eu_ai_act' applies from 2031-01-01", 11),
    "unknown kind": ("  - kind: repeal\n    instrument: eu_ai_act\n", "kind", 9),
}  # fmt: skip


@pytest.mark.parametrize("case", list(BAD_SCENARIOS), ids=list(BAD_SCENARIOS))
def test_bad_scenario_files_exit_2_with_file_and_line(tmp_path, pack, case):
    change, message, line = BAD_SCENARIOS[case]
    path = tmp_path / "bad.yaml"
    path.write_text(
        "scenario:\n  id: bad\n  title: Bad\n  status: policy_option\n  description: a broken scenario\n"
        "  sources: []\n\nchanges:\n" + change
    )
    with pytest.raises(PackError) as caught:
        load_scenario(path).apply(pack)
    rendered = "\n".join(p.render() for p in caught.value.problems)
    assert message in rendered
    assert f"{path}:{line}:" in rendered
    population = tmp_path / "pop.parquet"
    profiles_frame([{}], pack.vocabulary).write_parquet(population)
    result = run("simulate", str(population), "--scenario", str(path))
    assert result.returncode == 2 and f"{path}:{line}:" in result.stderr


def test_simulate_command_writes_every_output(tmp_path, pack):
    population = tmp_path / "pop.parquet"
    pl.read_parquet(ROOT / "examples" / "population.parquet").head(400).write_parquet(population)
    out, rows = tmp_path / "out", tmp_path / "rows.parquet"
    args = ["simulate", str(population), "--as-of", "2026-12-02", "--scenario", str(SCENARIOS / "annex-iii-2026.yaml"),
            "-o", str(out), "--rows", str(rows), "--format", "json"]  # fmt: skip
    result = run(*args)
    assert result.returncode == 0, result.stderr
    printed = json.loads(result.stdout[: result.stdout.rindex("}") + 1])
    assert printed["baseline"]["population"]["rows"] == 400
    assert json.loads((out / "summary.json").read_text())["baseline"]["as_of"] == "2026-12-02"
    assert (out / "summary.md").read_text().startswith("# regatlas simulation")
    assert pl.read_parquet(out / "annex_iii_2026_transitions.parquet").height > 0
    table = pl.read_parquet(rows)
    assert table.columns[0] == "id" and "eu_ai_act:in_scope" in table.columns
    assert set(table.get_column("eu_ai_act:in_scope").drop_nulls().unique()) <= {"yes", "no", "unknown"}


def test_rows_can_be_checked_against_assess(tmp_path, pack):
    """A row of `--rows` says what `assess` says about the same profile, finding by finding."""
    population = tmp_path / "pop.parquet"
    frame = pl.read_parquet(ROOT / "examples" / "population.parquet").head(50)
    frame.write_parquet(population)
    rows = tmp_path / "rows.parquet"
    result = run("simulate", str(population), "--as-of", "2026-12-02", "--rows", str(rows))
    assert result.returncode == 0, result.stderr
    table = pl.read_parquet(rows)
    for i in (0, 17, 49):
        assessment = assess(pack, Profile("row", row_facts(frame, i, pack.vocabulary)), DAY)
        expected = {f.key: f.outcome for f in assessment.findings}
        row = table.row(i, named=True)
        assert {k: v for k, v in row.items() if k != "id" and v is not None} == expected


def test_bad_population_file_exits_2(tmp_path):
    bad = tmp_path / "pop.csv"
    bad.write_text("id,system.is_ai_system\nsys-1,perhaps\n")
    result = run("simulate", str(bad))
    assert result.returncode == 2
    assert "system.is_ai_system" in result.stderr and "Traceback" not in result.stderr


def test_unknown_engine_and_missing_output_folder_fail_before_work(tmp_path):
    population = ROOT / "examples" / "population.parquet"
    assert run("simulate", str(population), "--engine", "numba").returncode == 2
    result = run("simulate", str(population), "-o", str(tmp_path / "missing" / "out"))
    assert result.returncode == 2 and "folder does not exist" in result.stderr


def test_generate_command(tmp_path):
    out = tmp_path / "pop.parquet"
    result = run("population", "generate", "--size", "300", "--seed", "7", "-o", str(out))
    assert result.returncode == 0, result.stderr
    frame = pl.read_parquet(out)
    assert frame.height == 300
    again = tmp_path / "again.parquet"
    run("population", "generate", "--size", "300", "--seed", "7", "-o", str(again))
    assert frame.equals(pl.read_parquet(again))


def test_every_simulation_json_key_is_documented(pack, examples_population, costs):
    doc = (ROOT / "docs" / "json-output.md").read_text()
    result = _run(pack, examples_population, costs, "us-federal-preemption")
    result["population"] = {"file": "pop.parquet"}
    base, scenario = result["baseline"], result["scenarios"][0]
    keys = [*result, *base, *base["fragmentation"], *base["unknown"], *scenario, *scenario["duties"]]
    keys += [*base["instruments"][0], *base["themes"][0], *scenario["transitions"]["findings"][0]]
    missing = sorted({k for k in keys if f"`{k}`" not in doc})
    assert not missing, f"undocumented keys in docs/json-output.md: {missing}"


def test_chunked_simulation_equals_one_pass(pack, costs):
    """A population simulated a chunk at a time gives the same summary as in one pass (sums add up)."""
    population = pl.read_parquet(ROOT / "examples" / "population.parquet").head(3000)
    scenarios = [load_scenario(SCENARIOS / f"{n}.yaml") for n in ("us-federal-preemption", "annex-iii-2026")]
    whole, whole_rows = run_simulation(pack, population, DAY, "polars", scenarios, costs, rows=True)
    parts, parts_rows = run_simulation(pack, population, DAY, "polars", scenarios, costs, rows=True, chunk_rows=700)

    def comparable(result: dict) -> dict:
        data = json.loads(json.dumps(result, sort_keys=True, default=str))
        for run in [data["baseline"], *data["scenarios"]]:
            run.pop("seconds", None)
        return data

    assert parts_rows.equals(whole_rows)
    assert _close(comparable(parts), comparable(whole))


def _close(a, b, tolerance: float = 1e-9) -> bool:
    """Equal structures; numbers equal up to floating-point summation order."""
    if isinstance(a, dict):
        assert a.keys() == b.keys()
        return all(_close(a[k], b[k], tolerance) for k in a)
    if isinstance(a, list):
        assert len(a) == len(b)
        return all(_close(x, y, tolerance) for x, y in zip(a, b, strict=True))
    if isinstance(a, float) and isinstance(b, float):
        assert abs(a - b) <= tolerance * max(1.0, abs(a), abs(b)), (a, b)
        return True
    assert a == b, (a, b)
    return True
