"""The bundled example profiles: their expected assessments, before and after Regulation (EU) 2026/1744.

Two layers: hand-written expectations that state the law's answer for each example (with the reason), and a
golden snapshot of every shown finding's outcome and date, so any change in a rule's effect on an example is seen
in review. Regenerate the snapshots after an intended change with:
    REGATLAS_UPDATE_GOLDEN=1 pytest tests/test_examples.py
"""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys

import pytest
from conftest import AFTER_OMNIBUS, BEFORE_OMNIBUS, EXAMPLES, ROOT

from regatlas.engine.assess import Assessment, assess
from regatlas.facts.profile import load_profile

GOLDEN = ROOT / "tests" / "golden"
EXAMPLE_FILES = sorted(EXAMPLES.glob("*.yaml"))


def run(pack, name: str, as_of: dt.date = AFTER_OMNIBUS) -> Assessment:
    # The hand-written expectations are about the EU AI Act; other instruments would add their own questions.
    return assess(pack, load_profile(EXAMPLES / f"{name}.yaml", pack.vocabulary), as_of, instruments=["eu_ai_act"])


def outcome(a: Assessment, rule: str) -> str:
    return a.finding(f"eu_ai_act:{rule}").outcome


def snapshot(a: Assessment) -> dict:
    return {f.key: [f.outcome, f.applies_from.isoformat() if f.applies_from else None] for f in a.findings if f.shown}


def test_there_are_at_least_six_examples():
    assert len(EXAMPLE_FILES) >= 6


@pytest.mark.parametrize("path", EXAMPLE_FILES, ids=[p.stem for p in EXAMPLE_FILES])
@pytest.mark.parametrize("as_of", [BEFORE_OMNIBUS, AFTER_OMNIBUS], ids=["2026-07-01", "2026-11-28"])
def test_example_matches_its_golden_assessment(pack, path, as_of):
    a = assess(pack, load_profile(path, pack.vocabulary), as_of)
    golden_file = GOLDEN / f"{path.stem}@{as_of.isoformat()}.json"
    current = snapshot(a)
    if os.environ.get("REGATLAS_UPDATE_GOLDEN"):
        rows = ",\n".join(f"  {json.dumps(k)}: {json.dumps(v)}" for k, v in sorted(current.items()))
        golden_file.write_text("{\n" + rows + "\n}\n")
    expected = json.loads(golden_file.read_text())
    changed = {
        k: (expected.get(k), current.get(k))
        for k in expected.keys() | current.keys()
        if expected.get(k) != current.get(k)
    }
    assert not changed, f"{path.name} as of {as_of}: (golden, now) differ for {changed}"


def test_cv_screening_is_high_risk_with_dates_moved_by_the_omnibus(pack):
    """Annex III point 4(a) with profiling: the Art. 6(3) filter cannot apply. Chapter III applied from
    2 Aug 2026 under the 2024 text; Regulation (EU) 2026/1744 moved it to 2 Dec 2027 (Art. 113(c))."""
    after, before = run(pack, "cv-screening"), run(pack, "cv-screening", BEFORE_OMNIBUS)
    for a, date in ((before, dt.date(2026, 8, 2)), (after, dt.date(2027, 12, 2))):
        high_risk = a.finding("eu_ai_act:high_risk")
        assert (high_risk.outcome, high_risk.applies_from) == ("yes", date)
        assert a.finding("eu_ai_act:art9_risk_management_system").applies_from == date
    assert not after.prohibited()
    assert after.finding("eu_ai_act:art9_risk_management_system").holder is True  # the operator is the provider
    assert after.finding("eu_ai_act:art26_7_inform_workers").holder is False  # its customers, the employers
    assert outcome(after, "art26_7_inform_workers") == "yes"
    assert outcome(after, "art27_fundamental_rights_impact_assessment") == "no"  # private employer, not 5(b)/(c)
    assert outcome(after, "art11_1_simplified_documentation") == "yes"  # a medium-sized enterprise (SME)
    literacy = after.finding("eu_ai_act:art4_ai_literacy_provider")
    assert literacy.outcome == "yes" and literacy.in_effect


def test_credit_scoring_needs_a_fundamental_rights_impact_assessment(pack):
    """Annex III point 5(b); Art. 27(1) names deployers of 5(b) systems whoever they are. The lender is both
    provider and deployer, so both sets of duties are its own."""
    a = run(pack, "credit-scoring")
    assert outcome(a, "high_risk_annex_iii") == "yes"
    fria = a.finding("eu_ai_act:art27_fundamental_rights_impact_assessment")
    assert (fria.outcome, fria.holder, fria.applies_from) == ("yes", True, dt.date(2027, 12, 2))
    assert a.finding("eu_ai_act:art43_2_conformity_assessment_internal_control").outcome == "yes"


def test_chatbot_transparency_and_the_vendors_gpai_duties(pack):
    """Art. 50(1) turns on whether AI interaction is obvious (unknown here, so the report asks); Art. 50(2) marks
    text output from 2 Aug 2026. The GPAI duties fall on the model's provider, not on the bank, and the model,
    placed on the market in May 2025, has until 2 Aug 2027 (Art. 111(3))."""
    a = run(pack, "customer-service-chatbot")
    disclosure = a.finding("eu_ai_act:art50_1_ai_interaction_disclosure")
    assert disclosure.outcome == "unknown" and disclosure.missing == ["system.ai_interaction_obvious"]
    eu_questions = [q.fact_id for q in a.questions if any(k.startswith("eu_ai_act:") for k in q.settles)]
    assert eu_questions == ["system.ai_interaction_obvious"]  # other packs ask their own questions
    marking = a.finding("eu_ai_act:art50_2_synthetic_content_marking")
    assert (marking.outcome, marking.applies_from) == ("yes", dt.date(2026, 8, 2))
    assert outcome(a, "high_risk") == "no"
    copyright_policy = a.finding("eu_ai_act:art53_1_c_copyright_policy")
    assert (copyright_policy.outcome, copyright_policy.applies_from, copyright_policy.holder) == (
        "yes",
        dt.date(2027, 8, 2),
        False,
    )
    assert outcome(a, "gpai_systemic_risk") == "no"  # 4e24 FLOP, below 10^25


def test_open_weights_model_above_threshold_gets_no_open_source_relief(pack):
    """Art. 51(2): 3.8e25 FLOP > 10^25, presumed high-impact. Art. 53(2) and 54(6) exempt open-weights models
    from 53(1)(a)-(b) and from appointing a representative, except models with systemic risk."""
    a = run(pack, "open-weights-gpai")
    for rule in (
        "gpai_systemic_risk",
        "art53_1_a_technical_documentation",
        "art53_1_b_downstream_information",
        "art54_1_authorised_representative",
        "art55_1_a_model_evaluation",
        "art52_1_notify_commission",
    ):
        assert outcome(a, rule) == "yes", rule
    assert outcome(a, "art53_2_open_source_exemption") == "no"
    assert outcome(a, "in_scope") == "no"  # the profile is of the model, not of an AI system
    fine = a.finding("eu_ai_act:art55_1_a_model_evaluation").penalty
    assert fine.penalty_id == "art101" and fine.cap_eur == pytest.approx(45_000_000)  # 3 % of EUR 1.5bn


def test_workplace_emotion_recognition_is_prohibited(pack):
    """Art. 5(1)(f): inferring emotions of workers from biometric data (voice), no medical or safety purpose.
    Prohibited since 2 Feb 2025. The vendor is a small enterprise: the fine cap is whichever is lower (Art. 99(6))."""
    a = run(pack, "workplace-emotion-recognition")
    ban = a.finding("eu_ai_act:art5_1_f_emotion_recognition")
    assert (ban.outcome, ban.in_effect, ban.applies_from) == ("yes", True, dt.date(2025, 2, 2))
    assert ban.status == "contested"  # the biometric-only reading is the Commission's
    assert (ban.penalty.which, ban.penalty.cap_eur) == ("lower", pytest.approx(420_000))  # 7 % of EUR 6m


def test_deepfake_generator_before_and_after_the_new_prohibition(pack):
    """Art. 5(1)(ba) with 5(1a)(a)(ii), inserted by Regulation (EU) 2026/1744: a system that readily makes nude
    fakes of real people without safeguards is prohibited from 2 Dec 2026; before 27 Jul 2026 the rule was not law.
    Art. 111(4): generators placed on the market before 2 Aug 2026 must mark output by 2 Dec 2026."""
    before, after = run(pack, "deepfake-generator", BEFORE_OMNIBUS), run(pack, "deepfake-generator")
    with pytest.raises(KeyError):
        before.finding("eu_ai_act:art5_1_ba_bb_provider")
    ban = after.finding("eu_ai_act:art5_1_ba_bb_provider")
    assert (ban.outcome, ban.applies_from, ban.in_effect) == ("yes", dt.date(2026, 12, 2), False)
    marking_after = after.finding("eu_ai_act:art50_2_synthetic_content_marking")
    assert marking_after.applies_from == dt.date(2026, 12, 2)
    assert before.finding("eu_ai_act:art50_2_synthetic_content_marking").applies_from == dt.date(2026, 8, 2)
    assert outcome(after, "art50_4_deep_fake_disclosure") == "yes"
    in_december = run(pack, "deepfake-generator", dt.date(2026, 12, 15))
    assert in_december.finding("eu_ai_act:art5_1_ba_bb_provider").in_effect is True


@pytest.mark.parametrize(("name", "code"), [("workplace-emotion-recognition", 3), ("cv-screening", 0)])
def test_fail_on_prohibited_exit_code(name, code):
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "regatlas",
            "assess",
            str(EXAMPLES / f"{name}.yaml"),
            "--as-of",
            "2026-11-28",
            "--fail-on-prohibited",
            "--format",
            "json",
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == code, result.stderr
    assert json.loads(result.stdout)["as_of"] == "2026-11-28"
