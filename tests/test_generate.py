"""The synthetic population: schema, allowed values, determinism, coherence and the cited marginals."""

from __future__ import annotations

import datetime as dt

import numpy as np
import polars as pl
import pytest

from regatlas.compile.columns import ID_COLUMN, WEIGHT_COLUMN, population_schema
from regatlas.facts.profile import profile_from_data
from regatlas.simulate.generate import SIZES, generate_population, load_figures, systems_by_size

DERIVED = [
    "territory.placed_on_eu_market",
    "territory.used_in_eu",
    "territory.output_used_in_eu",
    "operator.established_in_eu",
]


@pytest.fixture(scope="module")
def population(pack) -> pl.DataFrame:
    return generate_population(pack, 50_000, 11)


def test_schema_and_dtypes(pack, population):
    expected = {ID_COLUMN: pl.String(), WEIGHT_COLUMN: pl.Float64(), **population_schema(pack.vocabulary)}
    assert dict(population.schema) == expected
    assert population[ID_COLUMN].n_unique() == population.height
    assert population[ID_COLUMN][0] == "sys-0000000"
    assert (population[WEIGHT_COLUMN] > 0).all()


def test_every_value_is_allowed(pack, population):
    registry = pack.registry
    for fid, fact in pack.vocabulary.facts.items():
        column = population[fid].drop_nulls()
        if fact.type == "set":
            assert set(column.explode().drop_nulls().unique()) <= set(fact.values), fid
        elif fact.type == "jurisdictions":
            for code in column.explode().drop_nulls().unique():
                assert registry.normalise(code) == code, (fid, code)
        elif fact.type == "number" and fact.minimum is not None:
            assert (column >= fact.minimum).all(), fid
            assert column.is_finite().all(), fid


def test_determinism_per_seed(pack):
    first = generate_population(pack, 3000, 5)
    assert first.equals(generate_population(pack, 3000, 5))
    assert not first.equals(generate_population(pack, 3000, 6))


def test_progress_is_reported_in_chunks(pack, monkeypatch):
    import regatlas.simulate.generate as generate

    monkeypatch.setattr(generate, "CHUNK", 1000)
    seen: list[int] = []
    frame = generate.generate_population(pack, 2500, 1, progress=seen.append)
    assert seen == [1000, 2000, 2500]
    assert frame.height == 2500


def test_empty_population(pack):
    assert generate_population(pack, 0, 1).height == 0


def test_coherence(population):
    # derived facts are left to the engine
    for fid in DERIVED:
        assert population[fid].null_count() == population.height
    # only general-purpose model rows carry training compute
    compute = population.filter(pl.col("model.training_compute_flop").is_not_null())
    assert compute.height > 0
    assert compute["model.general_purpose"].drop_nulls().all()
    # model facts are present only on the (few) rows of general-purpose models, never on other systems
    model_rows = population.filter(pl.any_horizontal(pl.col("^model\\..*$").is_not_null()))
    assert model_rows.height < 0.02 * population.height
    assert model_rows["model.general_purpose"].drop_nulls().all()
    # EU-only facts are null for systems that touch no EU place (when the lists are known)
    lists = ["territory.offered_in", "territory.used_in", "territory.output_used_in"]
    eu_codes = ["EU", "DE", "FR", "IT", "ES", "NL", "PL", "SE", "BE", "DK", "AT", "FI", "IE", "PT", "CZ", "RO", "HU",
                "GR", "SK", "BG", "HR", "SI", "LT", "LV", "EE", "LU", "CY", "MT"]  # fmt: skip
    touches = pl.any_horizontal(*[pl.col(c).list.eval(pl.element().is_in(eu_codes)).list.any() for c in lists])
    outside = population.filter(pl.all_horizontal(*[pl.col(c).is_not_null() for c in lists]) & ~touches)
    assert outside.height > 0
    assert outside["model.designated_systemic_risk"].null_count() == outside.height  # EU legal status: no
    # ... but what describes the system itself is drawn wherever it is sold (a scenario may extend the Act)
    assert outside["system.annex_iii_points"].null_count() < outside.height
    # a system is used (and its output used) where it is offered or established
    known = population.drop_nulls(["territory.offered_in", "territory.used_in", "operator.established_in"]).head(2000)
    for offered, used, home in known.select(
        "territory.offered_in", "territory.used_in", "operator.established_in"
    ).rows():
        assert set(used) <= set(offered) | set(home) | {"US", "CA"}
    # GPAI providers are rare
    assert population["model.general_purpose"].sum() < 0.02 * population.height


def test_places_span_many_jurisdictions(population):
    codes = set(population["territory.offered_in"].explode().drop_nulls().unique())
    for code in ["EU", "US", "US-CA", "US-NY-NYC", "US-CO", "US-IL", "US-TX", "US-UT", "CN", "GB", "KR", "JP", "CA",
                 "IN", "BR", "DE", "FR"]:  # fmt: skip
        assert code in codes, code
    multi = population["territory.offered_in"].drop_nulls().list.len()
    assert (multi > 1).mean() > 0.3


def test_size_mix_follows_the_sampling_mix_and_weights_restore_the_totals(population):
    figures = load_figures()
    mix = figures.value("size_sampling_mix")
    total = sum(mix.values())
    shares = population["operator.size"].drop_nulls().value_counts(normalize=True)
    observed = dict(zip(shares["operator.size"].cast(pl.String), shares["proportion"], strict=True))
    # model rows are moved to the larger sizes, so compare loosely
    for size in SIZES:
        assert observed[size] == pytest.approx(mix[size] / total, abs=0.03), size
    # the weights sum to the derived number of systems (plus the few general-purpose models)
    expected = (
        sum(systems_by_size(figures).values())
        + figures.value("epoch_models_over_1e23_known")
        + figures.value("epoch_models_over_1e23_unconfirmed")
    )
    assert population[WEIGHT_COLUMN].sum() == pytest.approx(expected, rel=0.03)


def test_weights_reproduce_eurostat_ai_use_by_size(population):
    """EU systems / systems per enterprise / enterprises = Eurostat's AI-use rates (17.0 %, 30.4 %, 55.0 %)."""
    figures = load_figures()
    per = figures.value("systems_per_ai_enterprise")
    enterprises = figures.value("eu_enterprises_total")
    eu_share = figures.value("eu_share_of_systems")
    weighted = (
        population.filter(pl.col("model.general_purpose").is_null())
        .group_by("operator.size")
        .agg(pl.col(WEIGHT_COLUMN).sum())
    )
    by_size = dict(zip(weighted["operator.size"].cast(pl.String), weighted[WEIGHT_COLUMN], strict=False))
    checks = {
        "small": (figures.value("eu_enterprises_small_share"), figures.value("eu_ai_use_small")),
        "medium": (figures.value("eu_enterprises_medium_share"), figures.value("eu_ai_use_medium")),
    }
    known_share = population["operator.size"].is_not_null().mean()
    for size, (share, rate) in checks.items():
        systems = by_size[size] / known_share * eu_share
        assert systems / per[size] / (enterprises * share) == pytest.approx(rate, rel=0.1), size
    large = (by_size["large"] + by_size["small_mid_cap"]) / known_share * eu_share
    large_users = (
        by_size["large"] / known_share * eu_share / per["large"]
        + by_size["small_mid_cap"] / known_share * eu_share / per["small_mid_cap"]
    )
    assert large > 0
    assert large_users / (enterprises * figures.value("eu_enterprises_large_share")) == pytest.approx(
        figures.value("eu_ai_use_large"), rel=0.15
    )


def test_unknown_shares_follow_the_known_rates(population):
    rates = load_figures().value("known_rate")
    # a basic fact every row has: the size
    assert population["operator.size"].is_null().mean() == pytest.approx(1 - rates["basic"], abs=0.01)
    # an intermediate fact every row has: the Annex III list, among rows touching the EU
    assert population["deployment.processes_personal_data"].is_null().mean() == pytest.approx(
        1 - rates["intermediate"], abs=0.02
    )
    # a judgement
    assert population["system.performs_profiling"].is_null().mean() == pytest.approx(1 - rates["judgement"], abs=0.02)


def test_rows_validate_as_profiles(pack, population):
    rng = np.random.default_rng(0)
    sample = population[rng.choice(population.height, 300, replace=False).tolist()]
    for row in sample.iter_rows(named=True):
        data = {
            k: (v.isoformat() if isinstance(v, dt.date) else v)
            for k, v in row.items()
            if k not in (ID_COLUMN, WEIGHT_COLUMN) and v is not None
        }
        profile = profile_from_data(data, pack.vocabulary, row[ID_COLUMN])
        assert profile.facts


def test_eu_ai_act_shares_are_plausible(pack):
    """A realistic minority high-risk, many unknowns (appliedAI: 40 % unclear), few prohibited."""
    from regatlas.engine.assess import assess_fast

    frame = generate_population(pack, 1500, 3)
    prohibitions = {r.id for r in pack.instruments["eu_ai_act"].rules.values() if r.rule.kind == "prohibition"}
    as_of = dt.date(2026, 11, 28)
    outcomes = []
    for row in frame.iter_rows(named=True):
        data = {k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in row.items() if v is not None}
        data.pop(ID_COLUMN), data.pop(WEIGHT_COLUMN)
        facts = profile_from_data(data, pack.vocabulary, row[ID_COLUMN]).facts
        out = assess_fast(pack, facts, as_of)
        if out.get("eu_ai_act:in_scope", ("no",))[0] == "no":
            continue
        banned = any(out[f"eu_ai_act:{p}"][0] == "yes" for p in prohibitions if f"eu_ai_act:{p}" in out)
        outcomes.append((out["eu_ai_act:high_risk"][0], banned))
    high = [o for o, _ in outcomes]
    assert 0.03 < high.count("yes") / len(high) < 0.2
    assert 0.25 < high.count("unknown") / len(high) < 0.55
    assert sum(b for _, b in outcomes) / len(outcomes) < 0.02
