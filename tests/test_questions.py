"""Open questions ranked by look-ahead (engine/questions.py), checked against full re-assessments: on bundled
examples with facts removed, the top question settles what it says under each answer, and answering it (as the
example does) leaves fewer open findings."""

from __future__ import annotations

import copy
import dataclasses
import datetime as dt
from pathlib import Path

import pytest

from regatlas.engine.assess import Assessment, assess
from regatlas.engine.questions import (
    EVERY_ANSWER,
    MAX_SET_VALUES,
    NONE_OR_ONE,
    PLACES,
    RANGES,
    is_open,
    rank_questions,
)
from regatlas.engine.thresholds import comparisons, constants
from regatlas.expr.ir import Cmp, Lit, Param, Var
from regatlas.facts.profile import Profile, load_profile
from regatlas.facts.vocabulary import Vocabulary
from regatlas.rules.pack import Pack

ROOT = Path(__file__).resolve().parents[1]
DAY = dt.date(2026, 12, 2)
EXAMPLES = ("cv-screening.yaml", "workplace-emotion-recognition.yaml", "deepfake-generator.yaml")


def _thinned(pack: Pack, name: str) -> tuple[Profile, dict]:
    """The example with every other small-domain fact removed, and the example's full facts."""
    full = load_profile(ROOT / "examples" / name, pack.vocabulary)
    removable = sorted(f for f in full.facts if pack.vocabulary[f].type in ("bool", "enum", "set"))[::2]
    facts = {k: v for k, v in full.facts.items() if k not in removable}
    return dataclasses.replace(full, facts=facts), dict(full.facts)


def _open_keys(assessment: Assessment) -> set[str]:
    return {f.key for f in assessment.findings if is_open(f)}


@pytest.mark.parametrize("name", EXAMPLES)
def test_the_top_question_settles_what_it_says_under_each_answer(pack: Pack, name: str) -> None:
    profile, _ = _thinned(pack, name)
    before = assess(pack, profile, DAY)
    ranking = rank_questions(pack, before)
    top = ranking.questions[0]
    assert top.expected > 0 and _open_keys(before) == {f.key for f in ranking.open}
    for answer, count in top.by_answer:
        after = assess(pack, dataclasses.replace(profile, facts={**profile.facts, top.fact.id: answer}), DAY)
        settled = _open_keys(before) - _open_keys(after)
        assert len(settled) == count, f"{top.fact.id}={answer}"
        claimed = {s.finding.key for s in top.settles if any(a == answer for a, _ in s.outcomes)}
        assert claimed == settled
    expected = [q.expected for q in ranking.questions]
    assert expected == sorted(expected, reverse=True)


@pytest.mark.parametrize("name", EXAMPLES)
def test_answering_the_top_question_leaves_fewer_open_findings(pack: Pack, name: str) -> None:
    profile, full = _thinned(pack, name)
    before = assess(pack, profile, DAY)
    top = rank_questions(pack, before).questions[0]
    best = max(top.by_answer, key=lambda pair: pair[1])[0]
    # the answer that settles most, and the example's own answer (which may settle less: the rank is an average)
    for value in (best, full.get(top.fact.id, best)):
        after = assess(pack, dataclasses.replace(profile, facts={**profile.facts, top.fact.id: value}), DAY)
        foreseen = dict((repr(a), n) for a, n in top.by_answer)[repr(value)]
        assert len(_open_keys(after)) == len(_open_keys(before)) - foreseen
        assert top.fact.id not in {q.fact.id for q in rank_questions(pack, after).questions}
        if value == best:
            assert foreseen > 0 and len(_open_keys(after)) < len(_open_keys(before))


def test_what_is_weighed_over_which_answers_and_the_rest_say_why(pack: Pack) -> None:
    profile = load_profile(ROOT / "examples" / "open-weights-gpai.yaml", pack.vocabulary)
    ranking = rank_questions(pack, assess(pack, profile, DAY))
    large_sets = ranges = places = 0
    for question in ranking.questions:
        fact = question.fact
        assert fact.id not in profile.facts
        if fact.type == "set" and len(fact.values) > MAX_SET_VALUES:  # the empty list and each single value
            large_sets += 1
            assert question.weighed_over == NONE_OR_ONE and len(question.by_answer) == len(fact.values) + 1
            assert {len(answer) for answer, _ in question.by_answer} == {0, 1}
        elif fact.type in ("number", "date"):  # a value below, at and above each constant it is compared with
            ranges += 1
            assert question.weighed_over == RANGES and len(question.by_answer) >= 3
        elif fact.type == "jurisdictions":  # no place, and each place with laws of its own
            places += 1
            assert question.weighed_over == PLACES and len(question.by_answer) > 10
        else:
            size = {"bool": 2, "enum": len(fact.values), "set": 2 ** len(fact.values)}[fact.type]
            assert question.weighed_over == EVERY_ANSWER and len(question.by_answer) == size
    assert large_sets and ranges and places, "the example leaves a large set, numbers and places open"
    for question in ranking.unweighed:  # numbers the rules use other than by comparing them with constants
        assert question.fact.type in ("number", "date") and question.reason and question.waiting


def test_a_number_used_other_than_against_constants_is_not_weighed() -> None:
    flop, planned = Var("model.training_compute_flop", "f"), Var("model.planned_training_compute_flop", "p")
    assert comparisons(Cmp(">", flop, Lit(1e25, "1e25"), "f > 1e25"), flop.name, {}, DAY) == {1e25}
    assert comparisons(Cmp(">=", Param("threshold", "t"), flop, "t >= f"), flop.name, {"threshold": 3.0}, DAY) == {3.0}
    assert comparisons(Cmp(">", flop, planned, "f > p"), flop.name, {}, DAY) is None  # against another fact
    assert comparisons(Cmp(">", flop, Param("gone", "g"), "f > g"), flop.name, {"gone": None}, DAY) is None
    assert comparisons(Cmp(">", planned, Lit(1.0, "1"), "p > 1"), flop.name, {}, DAY) == set()  # not read here


def test_places_are_weighed_and_settle_what_they_say(pack: Pack) -> None:
    """An almost empty profile: every instrument is open, so where the system goes is the first question."""
    profile = Profile("new", {"system.is_ai_system": True})
    before = assess(pack, profile, DAY)
    ranking = rank_questions(pack, before)
    assert ranking.questions[0].fact.type == "jurisdictions" and ranking.questions[0].weighed_over == PLACES
    for question in (q for q in ranking.questions if q.fact.type == "jurisdictions"):
        for answer, count in question.by_answer:
            after = assess(pack, dataclasses.replace(profile, facts={**profile.facts, question.fact.id: answer}), DAY)
            assert len(_open_keys(before) - _open_keys(after)) == count, f"{question.fact.id}={sorted(answer)}"


def test_every_weighed_question_settles_what_it_says(pack: Pack) -> None:
    """Not only the top one: sets, numbers and dates too, each answer checked by a full re-assessment."""
    profile = load_profile(ROOT / "examples" / "open-weights-gpai.yaml", pack.vocabulary)
    before = assess(pack, profile, DAY)
    for question in rank_questions(pack, before).questions:
        for answer, count in question.by_answer[:8]:
            after = assess(pack, dataclasses.replace(profile, facts={**profile.facts, question.fact.id: answer}), DAY)
            assert len(_open_keys(before) - _open_keys(after)) == count, f"{question.fact.id}={answer}"


def test_any_number_in_a_range_gives_the_outcomes_of_its_representative(pack: Pack) -> None:
    """The claim the weighing of numbers rests on: between two constants the rules compare with, nothing changes."""
    profile = load_profile(ROOT / "examples" / "open-weights-gpai.yaml", pack.vocabulary)
    fact = "model.training_compute_flop"
    points = constants(pack, fact, list(pack.instruments), DAY)
    assert points == [1e25, 1e26]

    def outcomes(value: float) -> dict[str, tuple[str, object]]:
        changed = dataclasses.replace(profile, facts={**profile.facts, fact: value})
        return {f.key: (f.outcome, f.applies_from) for f in assess(pack, changed, DAY).findings}

    assert outcomes(2e25) == outcomes(5.5e25) == outcomes(9.9e25) != outcomes(1e25)
    assert outcomes(1e20) == outcomes(5e24) and outcomes(1e27) == outcomes(2e26)


def test_a_fact_the_vocabulary_cannot_ask_is_never_a_question(pack: Pack) -> None:
    profile, _ = _thinned(pack, "cv-screening.yaml")
    top = rank_questions(pack, assess(pack, profile, DAY)).questions[0].fact
    # The same pack with that fact's question text gone (as if it were free-form data the vocabulary cannot put)
    silent = copy.copy(pack)
    facts = {**pack.vocabulary.facts, top.id: dataclasses.replace(top, question="")}
    silent.vocabulary = Vocabulary(facts, pack.vocabulary.sources, pack.vocabulary.registry)
    ranking = rank_questions(silent, assess(silent, profile, DAY))
    assert top.id in {m for f in ranking.open for m in f.missing}, "still waited on by open findings"
    asked = {q.fact.id for q in ranking.questions} | {q.fact.id for q in ranking.unweighed}
    assert top.id not in asked and asked, "the other questions remain"
    assert not asked & {"name", "description"}


def test_a_settled_profile_has_no_questions(pack: Pack) -> None:
    profile = load_profile(ROOT / "examples" / "cv-screening.yaml", pack.vocabulary)
    ranking = rank_questions(pack, assess(pack, profile, DAY))
    assert ranking.open == [] and ranking.questions == [] and ranking.unweighed == []
