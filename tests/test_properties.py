"""Property tests over random profiles (with unknowns) against the whole pack.

(a) no schema-valid profile makes the engine raise;
(b) Kleene soundness: a yes/no finding with unknown facts stays the same however they are filled in;
(c) differential: the fast closure evaluator agrees with the explaining evaluator, finding by finding.
"""

from __future__ import annotations

import datetime as dt

import jsonschema
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from regatlas.engine.assess import assess, assess_fast
from regatlas.facts.profile import encode_value, profile_from_data
from regatlas.facts.schema import profile_schema
from regatlas.facts.vocabulary import Fact
from regatlas.rules.loader import load_pack

PACK = load_pack()
VOCAB = PACK.vocabulary
SCHEMA = jsonschema.Draft202012Validator(profile_schema(VOCAB))
# Dates and compute values near the law's thresholds, so the interesting branches are exercised.
KEY_DATES = [
    dt.date(2024, 8, 1),
    dt.date(2025, 2, 2),
    dt.date(2025, 8, 1),
    dt.date(2025, 8, 2),
    dt.date(2026, 7, 26),
    dt.date(2026, 7, 27),
    dt.date(2026, 8, 1),
    dt.date(2026, 8, 2),
    dt.date(2026, 12, 2),
    dt.date(2027, 12, 2),
    dt.date(2028, 8, 2),
    dt.date(2030, 8, 2),
]
AS_OF = st.one_of(st.sampled_from(KEY_DATES), st.dates(dt.date(2024, 1, 1), dt.date(2031, 12, 31)))


JURISDICTIONS = [
    "DE",
    "FR",
    "IE",
    "US",
    "US-CA",
    "US-NY",
    "US-NY-NYC",
    "US-CO",
    "US-IL",
    "US-TX",
    "US-UT",
    "CN",
    "GB",
    "KR",
    "JP",
    "CA",
    "CA-QC",
    "CA-ON",
    "BR",
    "IN",
    "CH",
    "SG",
    "EU",
]


def value_strategy(fact: Fact) -> st.SearchStrategy:
    if fact.type == "jurisdictions":
        return st.frozensets(st.sampled_from(JURISDICTIONS), max_size=4)
    if fact.type == "bool":
        return st.booleans()
    if fact.type == "number":
        return st.one_of(
            st.sampled_from([0.0, 1e22, 1e23, 1e24, 1e25, 1.0000001e25, 3e25, 1e26]),
            st.floats(min_value=0, max_value=1e27, allow_nan=False),
        )
    if fact.type == "date":
        return st.one_of(st.sampled_from(KEY_DATES), st.dates(dt.date(2020, 1, 1), dt.date(2031, 12, 31)))
    if fact.type == "enum":
        return st.sampled_from(sorted(fact.values))
    return st.frozensets(st.sampled_from(sorted(fact.values)))


FULL = st.fixed_dictionaries({fid: value_strategy(f) for fid, f in VOCAB.facts.items()})
PARTIAL = st.fixed_dictionaries({}, optional={fid: value_strategy(f) for fid, f in VOCAB.facts.items()})


def consistent(facts: dict) -> dict:
    """Drop yes/no facts that follow from a given jurisdiction list (giving both may contradict: a user error)."""
    return {k: v for k, v in facts.items() if VOCAB[k].derive_from not in facts}


def nested(facts: dict) -> dict:
    """Facts in the canonical nested, JSON-ready profile form."""
    out: dict = {}
    for fid, value in consistent(facts).items():
        group, name = fid.split(".", 1)
        out.setdefault(group, {})[name] = encode_value(value)
    return out


FAST = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large]
)


@FAST
@given(PARTIAL, AS_OF)
def test_no_schema_valid_profile_makes_the_engine_raise(facts, as_of):
    raw = nested(facts)
    assert SCHEMA.is_valid(raw)
    profile = profile_from_data(raw, VOCAB, "<hypothesis>")
    assessment = assess(PACK, profile, as_of)
    for finding in assessment.findings:
        assert finding.outcome in ("yes", "no", "unknown")
        assert finding.outcome != "unknown" or finding.missing, f"{finding.key} is unknown but names no fact"


@FAST
@given(PARTIAL, FULL, AS_OF)
def test_kleene_soundness_decided_findings_survive_any_completion(partial, filler, as_of):
    partial = consistent(partial)
    # A completion only adds facts: it must not bring a jurisdiction list that would override a given yes/no fact.
    sources_of_given = {VOCAB[k].derive_from for k in partial if VOCAB[k].derive_from}
    completed = consistent({**{k: v for k, v in filler.items() if k not in sources_of_given}, **partial})
    assert all(completed[k] == v for k, v in partial.items())
    before = assess(PACK, profile_from_data(nested(partial), VOCAB, "p"), as_of)
    after = {f.key: f for f in assess(PACK, profile_from_data(nested(completed), VOCAB, "c"), as_of).findings}
    for finding in before.findings:
        if finding.outcome == "unknown" or not any(k.startswith(finding.instrument_id + ":") for k in after):
            continue  # places given by the completion can rule a whole instrument out: nothing to compare
        assert after[finding.key].outcome == finding.outcome, finding.key
        if finding.outcome == "yes" and finding.applies_from is not None:
            assert after[finding.key].applies_from == finding.applies_from, finding.key


@FAST
@given(PARTIAL, AS_OF)
def test_fast_evaluator_agrees_with_explaining_evaluator(facts, as_of):
    profile = profile_from_data(nested(facts), VOCAB, "<hypothesis>")
    explained = assess(PACK, profile, as_of)
    fast = assess_fast(PACK, profile.facts, as_of)
    assert set(fast) == {f.key for f in explained.findings}
    for finding in explained.findings:
        outcome, applies = fast[finding.key]
        assert outcome == finding.outcome, finding.key
        if finding.outcome == "yes":
            assert applies == finding.applies_from, finding.key
