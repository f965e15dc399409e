"""Scenario tests for the PRC (China) rule packs, from the measures' own articles as summarised in the fact sheet
(/work/shared/facts/world.md, section A1, tables C1-C2 and D).

Each test builds a profile, assesses it on a date and checks named findings. Article references are to the measures
themselves; the official CAC explanations are cited where the sheet gives them.
"""

from __future__ import annotations

import datetime as dt

import pytest
from conftest import make_profile

from regatlas.engine.assess import assess

NOW = dt.date(2026, 11, 28)

TEXT_TO_VIDEO = {
    "territory.offered_in": ["CN"],
    "deployment.offered_to_public": True,
    "system.generated_content": ["video"],
    "system.no_substantial_alteration": False,
    "system.algorithmic_recommendation_types": ["generation_synthesis"],
}


def _outcome(a, ref):
    return a.finding(ref).outcome


def test_text_to_video_service_in_china_must_label(pack):
    """Labelling Measures Art. 4 (explicit label on a video's opening screen; exported files keep it) and Art. 5
    (implicit metadata label), in force 2025-09-01; GenAI Measures Art. 12; Deep Synthesis Art. 17(1); Algorithmic
    Recommendation Art. 9. A public text-to-video service offered in mainland China must label its output."""
    a = assess(pack, make_profile(pack, TEXT_TO_VIDEO), NOW)
    for ref in (
        "cn_labelling_measures:art4_explicit_labels",
        "cn_labelling_measures:art5_implicit_labels",
        "cn_genai_measures:art12_label_generated_content",
        "cn_deep_synthesis:art17_1_conspicuous_label",
        "cn_deep_synthesis:art16_technical_marks",
        "cn_algorithm_provisions:art9_label_synthetic_information",
    ):
        f = a.finding(ref)
        assert f.outcome == "yes", ref
        assert f.in_effect is True, ref
    assert a.finding("cn_labelling_measures:art4_explicit_labels").applies_from == dt.date(2025, 9, 1)


def test_labelling_measures_phase_in(pack):
    """Labelling Measures: signed 2025-03-07, published 2025-03-14, in force 2025-09-01 (sheet A1.4, C1). Before
    signature the rule is not law (listed as not in force, with the date it starts); between signature and
    2025-09-01 it holds but does not yet apply; from 2025-09-01 it applies. The Deep Synthesis labelling duty
    (Art. 17, in force 2023-01-10) already applied before."""
    before_text = assess(pack, make_profile(pack, TEXT_TO_VIDEO), dt.date(2025, 1, 1))
    with pytest.raises(KeyError):
        before_text.finding("cn_labelling_measures:art4_explicit_labels")
    listed = {(n.instrument_id, n.rule_id): n for n in before_text.not_in_force}
    assert listed[("cn_labelling_measures", "art4_explicit_labels")].next_from == dt.date(2025, 3, 7)
    assert before_text.finding("cn_deep_synthesis:art17_1_conspicuous_label").in_effect is True

    pending = assess(pack, make_profile(pack, TEXT_TO_VIDEO), dt.date(2025, 8, 31))
    f = pending.finding("cn_labelling_measures:art4_explicit_labels")
    assert (f.outcome, f.in_effect, f.applies_from) == ("yes", False, dt.date(2025, 9, 1))

    applying = assess(pack, make_profile(pack, TEXT_TO_VIDEO), dt.date(2025, 9, 1))
    assert applying.finding("cn_labelling_measures:art4_explicit_labels").in_effect is True


def test_internal_research_model_is_outside_genai_measures(pack):
    """GenAI Measures Art. 2, third paragraph: research, development and application by enterprises, research
    institutions etc. that do not provide services to the domestic public are excluded. A model used only for
    internal research is out of the Measures; its provider has no Art. 12 labelling or Art. 17 filing duty under
    them."""
    facts = {
        **TEXT_TO_VIDEO,
        "deployment.offered_to_public": False,
        "system.public_opinion_or_mobilisation_capacity": False,
    }
    a = assess(pack, make_profile(pack, facts), NOW)
    assert _outcome(a, "cn_genai_measures:excl_not_provided_to_public") == "yes"
    assert _outcome(a, "cn_genai_measures:in_scope") == "no"
    assert _outcome(a, "cn_genai_measures:art12_label_generated_content") == "no"
    assert _outcome(a, "cn_genai_measures:art17_model_filing") == "no"
    # the same service offered to the public is in scope
    public = assess(pack, make_profile(pack, {**facts, "deployment.offered_to_public": True}), NOW)
    assert _outcome(public, "cn_genai_measures:in_scope") == "yes"


def test_internal_only_assistant_is_outside_all_three_content_regimes(pack):
    """Art. 2 of each regime, re-read together: the Generative AI Measures (CAC Order No. 15) exclude use not
    provided to the domestic public; the Deep Synthesis Provisions (Order No. 12) cover deep synthesis used to provide
    internet information services; the Labelling Measures (2025) apply to internet information service providers
    under those regimes. An assistant used only inside a Chinese enterprise is outside all three - before, the
    Labelling Measures and the Deep Synthesis Provisions reported it in scope. The reading is marked contested."""
    facts = {**TEXT_TO_VIDEO, "deployment.offered_to_public": False}
    a = assess(pack, make_profile(pack, facts), NOW)
    for key in ("cn_genai_measures:in_scope", "cn_deep_synthesis:in_scope", "cn_labelling_measures:in_scope"):
        assert _outcome(a, key) == "no", key
    assert a.finding("cn_labelling_measures:in_scope").status == "contested"
    assert a.finding("cn_deep_synthesis:in_scope").status == "contested"
    public = assess(pack, make_profile(pack, {**facts, "deployment.offered_to_public": True}), NOW)
    for key in ("cn_genai_measures:in_scope", "cn_deep_synthesis:in_scope", "cn_labelling_measures:in_scope"):
        assert _outcome(public, key) == "yes", key


def test_public_opinion_service_must_assess_and_file(pack):
    """GenAI Measures Art. 17: services with public-opinion attributes or social-mobilisation capacity undergo a
    security assessment and complete algorithm filing; Algorithmic Recommendation Provisions Art. 24 (filing within
    10 working days of starting the service); 2018 Security Assessment Provisions Arts 2-3. A public chatbot on the
    provider's own fine-tuned model with public sharing features must file; one calling an already-filed model
    registers instead (CAC practice, sheet A1.5)."""
    facts = {
        **TEXT_TO_VIDEO,
        "system.generated_content": ["text"],
        "system.public_opinion_or_mobilisation_capacity": True,
        "system.built_on_filed_model": False,
    }
    a = assess(pack, make_profile(pack, facts), NOW)
    for ref in (
        "cn_genai_measures:art17_security_assessment",
        "cn_genai_measures:art17_model_filing",
        "cn_algorithm_provisions:art24_algorithm_filing",
        "cn_security_assessment_provisions:art3_self_assessment",
        "cn_labelling_measures:art11_labelling_materials_in_filing",
    ):
        assert _outcome(a, ref) == "yes", ref
    assert _outcome(a, "cn_genai_measures:art17_launch_registration") == "no"
    assert pack.instruments["cn_algorithm_provisions"].meta.parameters[0].values[0].value == 10

    api_app = assess(pack, make_profile(pack, {**facts, "system.built_on_filed_model": True}), NOW)
    assert _outcome(api_app, "cn_genai_measures:art17_model_filing") == "no"
    assert _outcome(api_app, "cn_genai_measures:art17_launch_registration") == "yes"

    quiet = assess(pack, make_profile(pack, {**facts, "system.public_opinion_or_mobilisation_capacity": False}), NOW)
    assert _outcome(quiet, "cn_genai_measures:art17_model_filing") == "no"
    assert _outcome(quiet, "cn_algorithm_provisions:art24_algorithm_filing") == "no"

    unknown = {k: v for k, v in facts.items() if k != "system.public_opinion_or_mobilisation_capacity"}
    u = assess(pack, make_profile(pack, unknown), NOW)
    f = u.finding("cn_genai_measures:art17_model_filing")
    assert f.outcome == "unknown"
    assert "system.public_opinion_or_mobilisation_capacity" in f.missing


def test_offshore_service_not_offered_in_china(pack):
    """Sheet A1 preamble and GenAI Measures Art. 2 / Art. 20: the measures reach services provided to the public
    within mainland China, including by foreign providers. A service offered only in the EU and the US (and in Hong
    Kong, which keeps its own legal system) is outside; the same foreign provider serving users in China is caught."""
    facts = {**TEXT_TO_VIDEO, "territory.offered_in": ["EU", "US", "HK"]}
    a = assess(pack, make_profile(pack, facts), NOW)
    for instrument in ("cn_genai_measures", "cn_deep_synthesis", "cn_algorithm_provisions", "cn_labelling_measures"):
        assert instrument not in a.instruments, instrument  # the profile's places do not touch mainland China
        scope = assess(pack, make_profile(pack, facts), NOW, [instrument], only_touched=False)
        assert _outcome(scope, f"{instrument}:in_scope") == "no", instrument
    foreign_in_cn = {**facts, "territory.offered_in": ["US", "CN"], "operator.established_in": ["US"]}
    b = assess(pack, make_profile(pack, foreign_in_cn), NOW)
    assert _outcome(b, "cn_genai_measures:in_scope") == "yes"


def test_genai_measures_before_entry_into_force(pack):
    """GenAI Measures: order dated 2023-07-10, published 2023-07-13, in force 2023-08-15 (sheet A1.1, C1). On
    2023-06-01 the Measures were not yet law; on 2023-08-01 they were but did not apply; the Deep Synthesis
    Provisions (in force 2023-01-10) already applied to the same service."""
    early = assess(pack, make_profile(pack, TEXT_TO_VIDEO), dt.date(2023, 6, 1))
    with pytest.raises(KeyError):
        early.finding("cn_genai_measures:in_scope")
    assert early.finding("cn_deep_synthesis:in_scope").in_effect is True
    # Labelling Measures were not yet made either
    with pytest.raises(KeyError):
        early.finding("cn_labelling_measures:in_scope")

    pending = assess(pack, make_profile(pack, TEXT_TO_VIDEO), dt.date(2023, 8, 1))
    f = pending.finding("cn_genai_measures:in_scope")
    assert (f.outcome, f.in_effect) == ("yes", False)


def test_platform_and_user_duties(pack):
    """Labelling Measures Art. 6 (dissemination platforms check metadata and label content as confirmed, possible
    or suspected AI content), Art. 7 (app stores check apps' labelling at listing) and Art. 10 (users declare AI
    content they publish; no one removes or forges labels). Platforms map to distributor, users to deployer."""
    platform = {
        "territory.offered_in": ["CN"],
        "system.content_dissemination_platform": True,
        "system.app_distribution_platform": False,
        "system.generated_content": [],
        "system.generates_virtual_scenes": False,
    }
    a = assess(pack, make_profile(pack, platform), NOW)
    f = a.finding("cn_labelling_measures:art6_platform_labelling")
    assert f.outcome == "yes" and f.addressee == ["distributor"]
    assert _outcome(a, "cn_labelling_measures:art7_app_store_review") == "no"
    assert _outcome(a, "cn_labelling_measures:in_scope") == "no"  # it generates nothing itself
    assert _outcome(a, "cn_labelling_measures:art10_no_label_tampering") == "yes"

    user = {"territory.used_in": ["CN"], "deployment.publishes_generated_content": True}
    b = assess(pack, make_profile(pack, user), NOW)
    g = b.finding("cn_labelling_measures:art10_user_declaration")
    assert g.outcome == "yes" and g.addressee == ["deployer"]


def test_gig_dispatch_and_consumer_pricing(pack):
    """Algorithmic Recommendation Provisions Art. 20 (work scheduling: protect workers' pay, rest and leave; improve
    dispatch, pay and working-time algorithms) and Art. 21 (no unreasonable differential pricing based on consumers'
    preferences or habits), in force 2022-03-01; Art. 17 (option not targeted at personal characteristics)."""
    facts = {
        "territory.offered_in": ["CN"],
        "system.algorithmic_recommendation_types": ["scheduling_decision", "personalised_push"],
        "system.decision_areas": ["employment"],
        "deployment.sells_to_consumers": True,
    }
    a = assess(pack, make_profile(pack, facts), NOW)
    assert _outcome(a, "cn_algorithm_provisions:art20_workers") == "yes"
    assert _outcome(a, "cn_algorithm_provisions:art21_consumers") == "yes"
    assert _outcome(a, "cn_algorithm_provisions:art17_user_options") == "yes"
    old = assess(pack, make_profile(pack, facts), dt.date(2022, 2, 15))
    assert old.finding("cn_algorithm_provisions:art20_workers").in_effect is False
    assert old.finding("cn_algorithm_provisions:art20_workers").applies_from == dt.date(2022, 3, 1)


def test_ai_companion_under_anthropomorphic_measures(pack):
    """Anthropomorphic AI Interaction Services Measures, issued 2026-04-10, in force 2026-07-15 (sheet A1.6): scope
    limited to sustained emotional interaction; disclosure, 2-hour reminders, easy exit; Art. 13 self-harm
    intervention; no virtual partners or relatives for minors. A productivity assistant is out. Before 2026-04-10
    the Measures were not law; scope and thresholds are marked unverified."""
    companion = {
        "territory.offered_in": ["CN"],
        "deployment.offered_to_public": True,
        "system.sustained_emotional_interaction": True,
        "deployment.minors_among_users": True,
    }
    a = assess(pack, make_profile(pack, companion), NOW)
    assert _outcome(a, "cn_anthropomorphic_measures:in_scope") == "yes"
    assert _outcome(a, "cn_anthropomorphic_measures:art13_self_harm_intervention") == "yes"
    assert _outcome(a, "cn_anthropomorphic_measures:art14_minors_virtual_intimate_relationships") == "yes"
    assert a.finding("cn_anthropomorphic_measures:in_scope").status == "unverified"
    threshold = a.finding("cn_anthropomorphic_measures:art22_security_assessment")
    assert threshold.outcome == "unknown" and threshold.status == "unverified"

    pending = assess(pack, make_profile(pack, companion), dt.date(2026, 6, 1))
    assert pending.finding("cn_anthropomorphic_measures:user_protection_duties").in_effect is False
    with pytest.raises(KeyError):
        assess(pack, make_profile(pack, companion), dt.date(2026, 3, 1)).finding("cn_anthropomorphic_measures:in_scope")

    assistant = {**companion, "system.sustained_emotional_interaction": False}
    b = assess(pack, make_profile(pack, assistant), NOW)
    assert _outcome(b, "cn_anthropomorphic_measures:in_scope") == "no"
    assert _outcome(b, "cn_anthropomorphic_measures:user_protection_duties") == "no"


def test_face_swap_consent_and_unmodified_enhancement(pack):
    """Deep Synthesis Provisions Art. 17(1)(iii) (face swapping must be conspicuously labelled) and Art. 17(2)
    (other services only offer a labelling function); Art. 14 biometric consent is encoded but unverified
    (background knowledge in the sheet)."""
    swap = {
        "territory.offered_in": ["CN"],
        "deployment.offered_to_public": True,
        "system.generated_content": ["video"],
        "system.edits_biometric_features": True,
        "system.no_substantial_alteration": False,
    }
    a = assess(pack, make_profile(pack, swap), NOW)
    assert _outcome(a, "cn_deep_synthesis:art17_1_conspicuous_label") == "yes"
    assert _outcome(a, "cn_deep_synthesis:art17_2_labelling_function") == "no"
    consent = a.finding("cn_deep_synthesis:art14_biometric_consent")
    assert consent.outcome == "yes" and consent.status == "unverified"

    enhance = {
        **swap,
        "system.edits_biometric_features": False,
        "system.no_substantial_alteration": True,
        "system.generated_content": ["image"],
    }
    b = assess(pack, make_profile(pack, enhance), NOW)
    assert _outcome(b, "cn_deep_synthesis:art17_1_conspicuous_label") == "no"
    assert _outcome(b, "cn_deep_synthesis:art17_2_labelling_function") == "yes"
    assert _outcome(b, "cn_labelling_measures:art4_explicit_labels") == "no"


def test_status_only_instruments(pack):
    """Cybersecurity Law amendment adopted 2025-10-28, in force 2026-01-01 (sheet A1.6, C1); GB 45438-2025 issued
    2025-02-28, in force 2025-09-01 (sheet A1.4). Both are encoded as instruments without operator rules."""
    csl = pack.instruments["cn_csl_2025_amendment"].meta.instrument
    assert csl.status_on(dt.date(2025, 12, 31)) == "adopted"
    assert csl.status_on(dt.date(2026, 1, 1)) == "in_force"
    gb = pack.instruments["cn_gb45438"].meta.instrument
    assert gb.status_on(dt.date(2025, 8, 31)) == "adopted"
    assert gb.status_on(dt.date(2025, 9, 1)) == "in_force"
    assert not pack.instruments["cn_gb45438"].rules
