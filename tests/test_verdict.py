"""The verdict that opens every view of an assessment (report/verdict.py).

Three layers: for every bundled example on two dates, the verdict in the JSON is recomputed from that JSON's own
findings (and checked against the instrument summaries, computed elsewhere); hand-checked expectations with the
article; and each view (text, Markdown, JSON, HTML) opens with it.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import re

import pytest
from conftest import EXAMPLES, IN_SCOPE, make_profile
from rich.console import Console

from regatlas.engine.assess import Assessment, assess
from regatlas.facts.profile import load_profile
from regatlas.report.json_report import assessment_json
from regatlas.report.markdown import render_markdown
from regatlas.report.text import render_text
from regatlas.report.verdict import RANKED, verdict

EXAMPLE_FILES = sorted(EXAMPLES.glob("*.yaml"))
DATES = [dt.date(2026, 7, 1), dt.date(2026, 12, 1), dt.date(2026, 12, 2)]
TRANSPARENCY = {"transparency_notice", "content_labelling"}


def run(pack, name: str, as_of: dt.date) -> Assessment:
    return assess(pack, load_profile(EXAMPLES / f"{name}.yaml", pack.vocabulary), as_of)


def of(a: Assessment, code: str):
    return next(j for j in verdict(a).jurisdictions if j.jurisdiction == code)


# --- the verdict recomputed from the JSON's findings --------------------------------------------------------


def _strength(pack, finding: dict) -> str | None:
    """The category a finding makes when it holds, from the finding's kind and its rule's record in the pack."""
    rule = pack.instruments[finding["instrument"]].rules[finding["rule"]].rule
    if finding["kind"] == "prohibition":
        return "prohibited"
    if finding["kind"] == "classification":
        return "risk_class" if rule.risk_class else None
    if finding["kind"] == "obligation":
        return "transparency_duties" if TRANSPARENCY & set(rule.themes) else "duties"
    return "no_duties" if finding["kind"] == "scope" else None


def expected_verdict(pack, doc: dict, code: str) -> str:
    """Strongest category that holds now; undecided when a stronger one may hold now (or, short of any rule
    reaching the system, an unknown finding of any date may reach it)."""
    rows = [
        (f, s)
        for f in doc["findings"]
        if doc["summary"][f["instrument"]]["jurisdiction"] == code
        and f["kind"] != "definition"
        and not f["moot"]
        and (s := _strength(pack, f))
    ]
    now = [s for f, s in rows if f["outcome"] == "yes" and (s == "no_duties" or f["in_effect"] is True)]
    maybe = [s for f, s in rows if f["outcome"] != "no" and (s == "no_duties" or f["in_effect"] is not False)]
    if any(f["outcome"] == "yes" for f, _ in rows):
        now.append("no_duties")
    if any(f["outcome"] != "no" for f, _ in rows):
        maybe.append("no_duties")
    held = max([*now, "out_of_scope"], key=RANKED.index)
    could = max([*maybe, held], key=RANKED.index)
    return held if could == held else "undecided"


def _of_place(doc: dict, code: str) -> set[str]:
    return {iid for iid, s in doc["summary"].items() if s["jurisdiction"] == code}


def expected_next(doc: dict, code: str) -> str | None:
    """The first date after as_of on which a holding ban, class, duty or scope starts to apply (or its last wording
    ends with none after it: the examples have no such ending, so starts alone must give the date)."""
    as_of = doc["as_of"]
    starts = [
        f["applies_from"]
        for f in doc["findings"]
        if doc["summary"][f["instrument"]]["jurisdiction"] == code
        and f["outcome"] == "yes"
        and not f["moot"]
        and f["kind"] in ("prohibition", "classification", "obligation", "scope")
        and f["applies_from"]
        and f["applies_from"] > as_of
    ]
    return min(starts, default=None)


@pytest.mark.parametrize("as_of", DATES, ids=str)
@pytest.mark.parametrize("path", EXAMPLE_FILES, ids=[p.stem for p in EXAMPLE_FILES])
def test_example_verdicts_follow_from_the_findings(pack, path, as_of):
    doc = assessment_json(assess(pack, load_profile(path, pack.vocabulary), as_of))
    places = {s["jurisdiction"] for s in doc["summary"].values()}
    block = doc["verdict"]["jurisdictions"]
    assert [j["jurisdiction"] for j in block] == sorted(places, key=lambda c: (c != "EU", c))
    for j in block:
        code = j["jurisdiction"]
        assert j["verdict"] == expected_verdict(pack, doc, code), code
        summaries = [s for s in doc["summary"].values() if s["jurisdiction"] == code]
        # The instrument summaries are computed apart: a ban in effect there is a prohibited verdict here.
        if any(s["prohibited"] for s in summaries):
            assert j["verdict"] == "prohibited", code
        if j["verdict"] == "prohibited":
            assert {c["finding"] for c in j["because"]} <= {k for s in summaries for k in s["prohibited"]}
        if j["verdict"] == "out_of_scope":
            assert all(s["in_scope"] in ("no", None) and not s["prohibited_from"] for s in summaries), code
            binding = [f for f in doc["findings"] if f["kind"] in ("prohibition", "obligation", "scope")]
            assert not [f for f in binding if f["outcome"] == "yes" and f["instrument"] in _of_place(doc, code)]
        if j["verdict"] == "undecided":
            assert j["pending"] and RANKED.index(j["could_be"]) > RANKED.index(j["at_least"])
            missing = {
                m
                for f in doc["findings"]
                if f["id"] in {c["finding"] for c in j["pending"]}
                for m in f["missing_facts"]
            }
            assert set(j["settle_with"]) == missing
        else:
            assert j["at_least"] is None and j["pending"] == [] and j["settle_with"] == []
        later = {k: d for s in summaries for k, d in s["prohibited_from"].items() if d}
        assert (j["next"] or {}).get("date") == expected_next(doc, code), code
        if later:  # a ban from a later date is on or after the next date
            assert j["next"]["date"] <= min(later.values())
    dates = [j["next"]["date"] for j in block if j["next"]]
    assert doc["verdict"]["next_date"] == min(dates, default=None)


# --- hand-checked expectations ------------------------------------------------------------------------------


def test_workplace_emotion_recognition_is_prohibited_in_the_eu_under_art_5_1_f(pack):
    """Art. 5(1)(f), applying since 2 Feb 2025 (Art. 113(a)): emotion inference on workers. The Annex III
    classification (points 1(c) and 4(b)) holds too but applies only from 2 Dec 2027 (Art. 113 as amended by
    Regulation (EU) 2026/1744): it is the next date, not the verdict."""
    eu = of(run(pack, "workplace-emotion-recognition", dt.date(2026, 12, 2)), "EU")
    assert eu.category == "prohibited"
    assert [c.key for c in eu.because] == ["eu_ai_act:art5_1_f_emotion_recognition"]
    assert eu.because[0].citation == "Art. 5(1)(f)" and eu.because[0].verification == "contested"
    assert eu.next_date == dt.date(2027, 12, 2)
    assert [(c.change, c.finding.key) for c in eu.next_changes if c.category == "risk_class"] == [
        ("starts", "eu_ai_act:high_risk")
    ]
    # Art. 6(2) with Annex III is what the class is concluded from: the class says its change, once.
    assert "eu_ai_act:high_risk_annex_iii" not in {c.finding.key for c in eu.next_changes}


def test_workplace_emotion_recognition_in_italy_is_undecided_until_the_decision_areas_are_known(pack):
    """Law 132/2025 Art. 11 (informing workers) turns on what the system decides about: the profile leaves
    system.decision_areas open, so Italy's verdict is open and names that fact."""
    it = of(run(pack, "workplace-emotion-recognition", dt.date(2026, 12, 2)), "IT")
    assert it.category == "undecided" and it.at_least == "out_of_scope"
    assert "it_law_132_2025:art11_worker_information" in {c.key for c in it.pending}
    assert "system.decision_areas" in it.settle_with


def test_a_ban_from_a_later_date_is_the_next_date_not_the_verdict(pack):
    """The Art. 5(1)(ba)/(bb) ban on generating non-consensual intimate imagery, added by Regulation (EU)
    2026/1744, applies from 2 Dec 2026: the day before it is the next date; on the day it is the verdict."""
    ban = "eu_ai_act:art5_1_ba_bb_provider"
    before = of(run(pack, "deepfake-generator", dt.date(2026, 12, 1)), "EU")
    assert before.category != "prohibited"
    assert before.next_date == dt.date(2026, 12, 2)
    assert ("starts", ban) in {(c.change, c.finding.key) for c in before.next_changes}
    on_the_day = of(run(pack, "deepfake-generator", dt.date(2026, 12, 2)), "EU")
    assert on_the_day.category == "prohibited" and ban in {c.key for c in on_the_day.because}


def test_cv_screening_has_duties_now_and_is_high_risk_from_december_2027(pack):
    """Annex III point 4(a): high-risk, but Chapter III applies from 2 Dec 2027 under the amended Art. 113; until
    then Art. 4 (AI literacy, since 2 Feb 2025) applies."""
    eu = of(run(pack, "cv-screening", dt.date(2026, 12, 2)), "EU")
    assert eu.category == "duties" and eu.risk_classes == ()
    assert "Art. 4" in {c.citation for c in eu.because}
    assert eu.next_date == dt.date(2027, 12, 2)
    assert "high-risk" in {c.finding.risk_class for c in eu.next_changes}


def test_risk_classes_are_named(pack):
    """A GPAI model with systemic risk (Art. 51(1)); a significant automated decision (UK GDPR Art. 22A(1))."""
    eu = of(run(pack, "frontier-developer", dt.date(2026, 12, 2)), "EU")
    assert eu.category == "risk_class" and eu.risk_classes == ("GPAI model with systemic risk",)
    assert eu.because[0].citation == "Art. 51(1)"
    gb = of(run(pack, "loan-decisions-uk-quebec-eu", dt.date(2026, 12, 2)), "GB")
    assert gb.category == "risk_class" and gb.risk_classes == ("significant automated decision",)
    assert gb.because[0].citation == "Art. 22A(1)"


def test_a_chatbot_marking_its_text_has_transparency_duties(pack):
    """Art. 50(2): a provider marks generated text as machine-readable, applying on the date."""
    eu = of(run(pack, "customer-service-chatbot", dt.date(2026, 12, 2)), "EU")
    assert eu.category == "transparency_duties"
    assert "Art. 50(2)" in {c.citation for c in eu.because}


def test_a_possible_ban_makes_the_verdict_undecided_and_names_the_fact(pack):
    """In scope of the AI Act, emotion inference on workers, but whether it runs at a workplace is not answered:
    the Art. 5(1)(f) ban may hold, so the EU verdict is undecided and the workplace fact settles it."""
    facts = {
        **IN_SCOPE,
        "system.infers_emotions": True,
        "system.uses_biometric_data": True,
        "operator.roles": ["provider"],
        "territory.offered_in": ["EU"],
    }
    eu = of(assess(pack, make_profile(pack, facts), dt.date(2026, 12, 2), instruments=["eu_ai_act"]), "EU")
    assert eu.category == "undecided" and eu.could_be == "prohibited"
    bans = [c for c in eu.pending if c.category == "prohibited"]
    assert "eu_ai_act:art5_1_f_emotion_recognition" in {c.key for c in bans}
    finding = assess(pack, make_profile(pack, facts), dt.date(2026, 12, 2), instruments=["eu_ai_act"]).finding(
        "eu_ai_act:art5_1_f_emotion_recognition"
    )
    assert set(finding.missing) <= set(eu.settle_with)


def test_a_profile_that_reaches_no_instrument_has_no_verdict(pack):
    a = assess(pack, make_profile(pack, {"territory.offered_in": ["AQ"]}), dt.date(2026, 12, 2))
    assert a.instruments == {} and verdict(a).jurisdictions == ()


# --- every view opens with it -------------------------------------------------------------------------------


def test_the_text_view_opens_with_the_verdict(pack):
    a = run(pack, "workplace-emotion-recognition", dt.date(2026, 12, 2))
    console = Console(file=io.StringIO(), width=200, color_system=None)
    render_text(a, console)
    text = console.file.getvalue()
    assert text.index("European Union (EU): PROHIBITED") < text.index("Duties of the provider")
    assert text.index("Verdict as of 2026-12-02") < text.index("══ European Union (EU)")
    assert "next change 2027-12-02: high-risk (Art. 6) starts to apply" in text


def test_the_markdown_view_opens_with_the_verdict(pack):
    a = run(pack, "workplace-emotion-recognition", dt.date(2026, 12, 2))
    text = render_markdown(a)
    headings = re.findall(r"^## (.+)$", text, flags=re.MULTILINE)
    assert headings[0] == "Verdict as of 2026-12-02"
    row = next(line for line in text.splitlines() if line.startswith("| European Union (EU)"))
    assert "**prohibited**" in row and "[Art. 5(1)(f)](" in row


def test_the_json_block_comes_before_the_findings(pack):
    doc = json.loads(json.dumps(assessment_json(run(pack, "workplace-emotion-recognition", dt.date(2026, 12, 2)))))
    keys = list(doc)
    assert keys.index("verdict") < keys.index("summary") < keys.index("findings")
    eu = doc["verdict"]["jurisdictions"][0]
    assert eu["verdict"] == "prohibited" and eu["because"][0]["citation"]["label"] == "Art. 5(1)(f)"
    assert eu["next"]["date"] == "2027-12-02"
