"""Scenario tests from official guidance and the law texts: GPAI models (Chapter V), Art. 50 transparency,
Art. 4 AI literacy and the Regulation (EU) 2026/1744 transition for Art. 50(2) (Art. 111(4)).

The Commission GPAI guidelines C(2025) 5045 are cited after the fact sheet (section 7), which summarises them from
secondary sources; the Act's articles were checked against the 2024 text and the consolidated text of 27.7.2026.
"""

from __future__ import annotations

import datetime as dt

from conftest import AFTER_OMNIBUS, BEFORE_OMNIBUS, IN_SCOPE, make_profile

from regatlas.engine.assess import assess

GPAI = {
    "model.general_purpose": True,
    "model.placed_on_eu_market": True,
    "model.placed_on_market_date": "2025-10-01",
    "model.sole_purpose_scientific_research": False,  # Art. 2(6) also excludes research-only models
}
# An AI system in scope that is not an Annex I product: a Section B product would get only Art. 6(1), 60a and
# 102-112 (Art. 2(2)), not Art. 4 or Art. 50.
SYSTEM = {**IN_SCOPE, "system.annex_i_legislation": []}
NOT_SYSTEMIC = {
    "model.training_compute_flop": 3e24,
    "model.high_impact_capabilities": False,
    "model.designated_systemic_risk": False,
}
FRONTIER = {
    "model.training_compute_flop": 2e25,
    "model.designated_systemic_risk": False,
    "model.systemic_risk_rebutted": False,
}
OPEN_WEIGHTS = {"model.open_source_licence": True, "model.weights_public": True, "model.monetised": False}

ART53 = [
    "art53_1_a_technical_documentation",
    "art53_1_b_downstream_information",
    "art53_1_c_copyright_policy",
    "art53_1_d_training_content_summary",
]
ART55 = [
    "art55_1_a_model_evaluation",
    "art55_1_b_systemic_risk_mitigation",
    "art55_1_c_serious_incident_reporting",
    "art55_1_d_cybersecurity",
]


def _outcomes(assessment, rule_ids):
    return {rid: assessment.finding(f"eu_ai_act:{rid}").outcome for rid in rule_ids}


# --------------------------------------------------------------------------- GPAI models


def test_narrow_model_above_indicative_compute_is_not_gpai(pack):
    """Commission GPAI guidelines C(2025) 5045, section 2 (fact sheet 7.1): the 10^23 FLOP criterion is only
    indicative; a narrow model (here speech transcription) trained above it, answered as not general-purpose,
    is outside Chapter V, while a language model at the same compute is a GPAI model in scope."""
    narrow = {**GPAI, "model.general_purpose": False, "model.training_compute_flop": 5e23}
    a = assess(pack, make_profile(pack, narrow), AFTER_OMNIBUS)
    assert a.finding("eu_ai_act:gpai_in_scope").outcome == "no"
    assert set(_outcomes(a, ART53).values()) == {"no"}

    llm = {**GPAI, "model.training_compute_flop": 5e23}
    b = assess(pack, make_profile(pack, llm), AFTER_OMNIBUS)
    assert b.finding("eu_ai_act:gpai_model").outcome == "yes"
    assert b.finding("eu_ai_act:gpai_in_scope").outcome == "yes"


def test_model_at_2e25_flop_is_presumed_systemic(pack):
    """Art. 51(2) and Commission GPAI guidelines C(2025) 5045, section 3 (fact sheet 7.1-7.2): training compute
    above 10^25 FLOP presumes high-impact capabilities; the provider must notify within two weeks (Art. 52(1))
    and the Art. 55(1) duties apply in addition to Art. 53."""
    a = assess(pack, make_profile(pack, {**GPAI, **FRONTIER}), AFTER_OMNIBUS)
    assert a.finding("eu_ai_act:gpai_systemic_risk").outcome == "yes"
    assert a.finding("eu_ai_act:art52_1_notify_commission").outcome == "yes"
    assert set(_outcomes(a, ART55).values()) == {"yes"}
    assert set(_outcomes(a, ART53).values()) == {"yes"}


def test_accepted_rebuttal_removes_systemic_risk_but_not_notification(pack):
    """Art. 52(1)-(3) (fact sheet 7.2): the rebuttal arguments are presented with the notification; if the
    Commission accepts them, the model is not classified as having systemic risk, but it still had to be notified."""
    facts = {**GPAI, **FRONTIER, "model.systemic_risk_rebutted": True}
    a = assess(pack, make_profile(pack, facts), AFTER_OMNIBUS)
    assert a.finding("eu_ai_act:gpai_systemic_risk").outcome == "no"
    assert a.finding("eu_ai_act:art52_1_notify_commission").outcome == "yes"
    assert set(_outcomes(a, ART55).values()) == {"no"}


def test_open_weights_below_threshold_exempt_from_53_1_a_b_only(pack):
    """Art. 53(2), Recital 104 and Commission GPAI guidelines C(2025) 5045, section 4 (fact sheet 7.4): an
    open-source model with public weights and no systemic risk is exempt from Art. 53(1)(a) and (b), but the
    copyright policy (c) and the training-content summary (d) still apply."""
    a = assess(pack, make_profile(pack, {**GPAI, **NOT_SYSTEMIC, **OPEN_WEIGHTS}), AFTER_OMNIBUS)
    assert _outcomes(a, ART53) == {
        "art53_1_a_technical_documentation": "no",
        "art53_1_b_downstream_information": "no",
        "art53_1_c_copyright_policy": "yes",
        "art53_1_d_training_content_summary": "yes",
    }
    assert a.finding("eu_ai_act:art53_2_open_source_exemption").outcome == "yes"


def test_open_weights_above_threshold_gets_no_exemption(pack):
    """Art. 53(2) last sentence, Art. 54(6) and Commission GPAI guidelines C(2025) 5045, section 4 (fact sheet
    7.4): the open-source exemptions do not apply to GPAI models with systemic risk."""
    facts = {**GPAI, **FRONTIER, **OPEN_WEIGHTS, "operator.established_in_eu": False}
    a = assess(pack, make_profile(pack, facts), AFTER_OMNIBUS)
    assert set(_outcomes(a, ART53).values()) == {"yes"}
    assert a.finding("eu_ai_act:art53_2_open_source_exemption").outcome == "no"
    assert a.finding("eu_ai_act:art54_1_authorised_representative").outcome == "yes"
    assert set(_outcomes(a, ART55).values()) == {"yes"}


def test_monetised_open_model_loses_the_exemption_contested(pack):
    """Recital 103 and Commission GPAI guidelines C(2025) 5045, section 4 (fact sheet 7.4, section 11 item 12):
    a monetised model does not benefit from the open-source exemptions; encoded as a contested reading."""
    facts = {**GPAI, **NOT_SYSTEMIC, **OPEN_WEIGHTS, "model.monetised": True, "operator.established_in_eu": False}
    a = assess(pack, make_profile(pack, facts), AFTER_OMNIBUS)
    assert a.finding("eu_ai_act:art53_1_a_technical_documentation").outcome == "yes"
    assert a.finding("eu_ai_act:art54_1_authorised_representative").outcome == "yes"
    assert a.finding("eu_ai_act:art53_2_monetised_model").status == "contested"


def test_third_country_open_model_needs_no_authorised_representative(pack):
    """Art. 54(1) and 54(6) (fact sheet 7.5): a third-country provider appoints an EU authorised representative
    before placing a GPAI model on the Union market, unless the model is open-source without systemic risk."""
    closed = {
        **GPAI,
        **NOT_SYSTEMIC,
        "model.open_source_licence": False,
        "model.weights_public": False,
        "operator.established_in_eu": False,
    }
    a = assess(pack, make_profile(pack, closed), AFTER_OMNIBUS)
    assert a.finding("eu_ai_act:art54_1_authorised_representative").outcome == "yes"
    open_model = {**GPAI, **NOT_SYSTEMIC, **OPEN_WEIGHTS, "operator.established_in_eu": False}
    b = assess(pack, make_profile(pack, open_model), AFTER_OMNIBUS)
    assert b.finding("eu_ai_act:art54_1_authorised_representative").outcome == "no"


def test_legacy_gpai_model_has_until_2_august_2027(pack):
    """Art. 111(3) and Commission GPAI guidelines C(2025) 5045, section 5 (fact sheet 7 and 9.1): providers of
    models placed on the market before 2 August 2025 must comply by 2 August 2027; newer models from 2 August 2025."""
    legacy = {**GPAI, **FRONTIER, "model.placed_on_market_date": "2025-03-01"}
    a = assess(pack, make_profile(pack, legacy), AFTER_OMNIBUS)
    for rid in [*ART53, *ART55, "art52_1_notify_commission"]:
        finding = a.finding(f"eu_ai_act:{rid}")
        assert finding.outcome == "yes"
        assert finding.applies_from == dt.date(2027, 8, 2)
        assert finding.in_effect is False
    new = assess(pack, make_profile(pack, {**GPAI, **FRONTIER}), AFTER_OMNIBUS)
    assert new.finding("eu_ai_act:art55_1_a_model_evaluation").applies_from == dt.date(2025, 8, 2)
    assert new.finding("eu_ai_act:art55_1_a_model_evaluation").in_effect is True


def test_commission_fines_on_gpai_providers_apply_from_august_2026(pack):
    """Art. 101 and Art. 113(b); fact sheet section 11 item 4: GPAI obligations apply from 2 August 2025, but
    Commission fines only from 2 August 2026, with no SME relief (whichever is higher)."""
    facts = {
        **GPAI,
        **NOT_SYSTEMIC,
        "model.open_source_licence": False,
        "model.weights_public": False,
        "operator.size": "small",
        "operator.annual_turnover_eur": 1e8,
    }
    a = assess(pack, make_profile(pack, facts), AFTER_OMNIBUS)
    finding = a.finding("eu_ai_act:art53_1_a_technical_documentation")
    assert finding.applies_from == dt.date(2025, 8, 2)
    assert finding.penalty.penalty_id == "art101"
    assert finding.penalty.applies_from == dt.date(2026, 8, 2)
    assert finding.penalty.which == "higher"


# --------------------------------------------------------------------------- Art. 50 transparency

CHATBOT = {
    **SYSTEM,
    "system.interacts_with_natural_persons": True,
    "system.ai_interaction_obvious": False,
    "system.authorised_for_criminal_offences": False,
}


def test_chatbot_must_disclose_ai_interaction_from_august_2026(pack):
    """Art. 50(1) first sentence, 50(5) and Art. 113 (fact sheet section 6): a customer-service chatbot must
    inform people they are talking to an AI system, at the latest at the first interaction; the duty applies from
    2 August 2026 (not in effect on 1 July 2026, in effect on 28 November 2026)."""
    before = assess(pack, make_profile(pack, CHATBOT), BEFORE_OMNIBUS)
    after = assess(pack, make_profile(pack, CHATBOT), AFTER_OMNIBUS)
    for a, in_effect in ((before, False), (after, True)):
        finding = a.finding("eu_ai_act:art50_1_ai_interaction_disclosure")
        assert finding.outcome == "yes"
        assert finding.applies_from == dt.date(2026, 8, 2)
        assert finding.in_effect is in_effect
        assert finding.penalty.penalty_id == "art99_4"


def test_obvious_ai_interaction_needs_no_notice(pack):
    """Art. 50(1) first sentence and Recital 132: no notice where it is obvious to a reasonably well-informed,
    observant and circumspect person, in the circumstances and context of use, that they interact with AI."""
    a = assess(pack, make_profile(pack, {**CHATBOT, "system.ai_interaction_obvious": True}), AFTER_OMNIBUS)
    assert a.finding("eu_ai_act:art50_1_ai_interaction_disclosure").outcome == "no"
    assert a.finding("eu_ai_act:art50_1_obvious_interaction").outcome == "yes"


def test_police_crime_reporting_chatbot_is_not_exempt(pack):
    """Art. 50(1) second sentence: the law-enforcement exception does not cover systems available for the public
    to report a criminal offence."""
    facts = {
        **CHATBOT,
        "system.authorised_for_criminal_offences": True,
        "system.available_to_public_for_reporting_crime": True,
    }
    a = assess(pack, make_profile(pack, facts), AFTER_OMNIBUS)
    assert a.finding("eu_ai_act:art50_1_ai_interaction_disclosure").outcome == "yes"
    covert = {**facts, "system.available_to_public_for_reporting_crime": False}
    b = assess(pack, make_profile(pack, covert), AFTER_OMNIBUS)
    assert b.finding("eu_ai_act:art50_1_ai_interaction_disclosure").outcome == "no"


DEEP_FAKE = {
    **SYSTEM,
    "system.generates_deep_fakes": True,
    "system.authorised_for_criminal_offences": False,
    "deployment.personal_non_professional": False,
}


def test_satirical_deep_fake_gets_only_the_limited_disclosure(pack):
    """Art. 50(4) first subparagraph, third sentence: for an evidently artistic, creative, satirical or fictional
    work the duty is limited to disclosing the existence of generated content without hampering the work; for a
    non-artistic deep fake the full disclosure duty applies."""
    satire = assess(pack, make_profile(pack, {**DEEP_FAKE, "system.deep_fake_artistic_work": True}), AFTER_OMNIBUS)
    assert satire.finding("eu_ai_act:art50_4_deep_fake_disclosure").outcome == "no"
    assert satire.finding("eu_ai_act:art50_4_deep_fake_artistic_disclosure").outcome == "yes"
    news = assess(pack, make_profile(pack, {**DEEP_FAKE, "system.deep_fake_artistic_work": False}), AFTER_OMNIBUS)
    assert news.finding("eu_ai_act:art50_4_deep_fake_disclosure").outcome == "yes"
    assert news.finding("eu_ai_act:art50_4_deep_fake_artistic_disclosure").outcome == "no"


def test_private_deep_fake_for_fun_is_outside_deployer_duties(pack):
    """Art. 2(10) with Art. 50(4): the deployer duties do not apply to a natural person in a purely personal,
    non-professional activity."""
    facts = {**DEEP_FAKE, "system.deep_fake_artistic_work": False, "deployment.personal_non_professional": True}
    a = assess(pack, make_profile(pack, facts), AFTER_OMNIBUS)
    assert a.finding("eu_ai_act:art50_4_deep_fake_disclosure").outcome == "no"


def test_public_interest_text_with_editorial_responsibility_needs_no_label(pack):
    """Art. 50(4) second subparagraph: AI text published to inform the public on matters of public interest must be
    disclosed, unless it underwent human review or editorial control with a person holding editorial
    responsibility."""
    base = {
        **SYSTEM,
        "system.public_interest_text": True,
        "system.authorised_for_criminal_offences": False,
        "deployment.personal_non_professional": False,
    }
    auto = assess(pack, make_profile(pack, {**base, "system.editorial_control": False}), AFTER_OMNIBUS)
    assert auto.finding("eu_ai_act:art50_4_public_interest_text_disclosure").outcome == "yes"
    edited = assess(pack, make_profile(pack, {**base, "system.editorial_control": True}), AFTER_OMNIBUS)
    assert edited.finding("eu_ai_act:art50_4_public_interest_text_disclosure").outcome == "no"
    assert edited.finding("eu_ai_act:art50_4_editorial_responsibility").outcome == "yes"


GENERATOR = {
    **SYSTEM,
    "system.generated_content": ["image", "video"],
    "system.standard_editing_only": False,
    "system.no_substantial_alteration": False,
    "system.authorised_for_criminal_offences": False,
}
MARKING = "eu_ai_act:art50_2_synthetic_content_marking"


def test_art_111_4_transition_for_legacy_generators(pack):
    """Regulation (EU) 2026/1744 Art. 1(39)(b) inserting Art. 111(4), and its Recital 38: generative systems
    placed on the market before 2 August 2026 must comply with Art. 50(2) by 2 December 2026; as of 1 July 2026,
    under the 2024 text, there is no such transition."""
    legacy = {
        **GENERATOR,
        "system.placed_on_market_date": "2025-06-01",
        "system.placed_on_market_before_2026_08_02": True,
    }
    after = assess(pack, make_profile(pack, legacy), AFTER_OMNIBUS).finding(MARKING)
    assert (after.outcome, after.applies_from, after.in_effect) == ("yes", dt.date(2026, 12, 2), False)
    assert after.act == "Regulation (EU) 2026/1744"
    after_dec = assess(pack, make_profile(pack, legacy), dt.date(2026, 12, 5))
    assert after_dec.finding(MARKING).in_effect is True

    before = assess(pack, make_profile(pack, legacy), BEFORE_OMNIBUS).finding(MARKING)
    assert (before.outcome, before.applies_from) == ("yes", dt.date(2026, 8, 2))
    assert before.act == "Regulation (EU) 2024/1689"

    new = {**GENERATOR, "system.placed_on_market_date": "2026-09-01"}
    fresh = assess(pack, make_profile(pack, new), AFTER_OMNIBUS).finding(MARKING)
    assert (fresh.applies_from, fresh.in_effect) == (dt.date(2026, 8, 2), True)


def test_only_art_50_2_is_deferred_by_111_4(pack):
    """Fact sheet section 6 and section 11 item 7: Regulation (EU) 2026/1744 defers only Art. 50(2) for legacy
    systems; Art. 50(1) for the same legacy chatbot still applies from 2 August 2026."""
    facts = {
        **CHATBOT,
        **GENERATOR,
        "system.generated_content": ["text"],
        "system.placed_on_market_date": "2025-06-01",
        "system.placed_on_market_before_2026_08_02": True,
    }
    a = assess(pack, make_profile(pack, facts), AFTER_OMNIBUS)
    assert a.finding("eu_ai_act:art50_1_ai_interaction_disclosure").applies_from == dt.date(2026, 8, 2)
    assert a.finding("eu_ai_act:art50_2_synthetic_content_marking").applies_from == dt.date(2026, 12, 2)


def test_emotion_recognition_needs_biometric_data_for_art_50_3(pack):
    """Art. 50(3) with Art. 3(39): an emotion recognition system infers emotions from biometric data, so camera
    based emotion recognition triggers the information duty and text-only sentiment analysis does not."""
    base = {
        **SYSTEM,
        "system.infers_emotions": True,
        "system.biometric_categorisation": False,
        "system.authorised_for_criminal_offences": False,
        "deployment.personal_non_professional": False,
    }
    camera = assess(pack, make_profile(pack, {**base, "system.uses_biometric_data": True}), AFTER_OMNIBUS)
    assert camera.finding("eu_ai_act:art50_3_inform_exposed_persons").outcome == "yes"
    text = assess(pack, make_profile(pack, {**base, "system.uses_biometric_data": False}), AFTER_OMNIBUS)
    assert text.finding("eu_ai_act:art50_3_inform_exposed_persons").outcome == "no"


# --------------------------------------------------------------------------- Art. 4 AI literacy


def test_ai_literacy_wording_before_and_after_the_omnibus(pack):
    """Art. 4 as adopted in 2024 and as replaced by Regulation (EU) 2026/1744 Art. 1 (Recital 8; fact sheet 9.2):
    the duty applies since 2 February 2025; from 27 July 2026 it is a duty to take measures to support AI literacy,
    with no guarantee of any level; there is no Art. 99 fine tier."""
    facts = {
        **SYSTEM,
        "territory.used_in_eu": True,
        "deployment.personal_non_professional": False,
        "system.free_open_source_licence": False,
    }
    for as_of, act in ((BEFORE_OMNIBUS, "Regulation (EU) 2024/1689"), (AFTER_OMNIBUS, "Regulation (EU) 2026/1744")):
        a = assess(pack, make_profile(pack, facts), as_of)
        for rid in ("art4_ai_literacy_provider", "art4_ai_literacy_deployer"):
            finding = a.finding(f"eu_ai_act:{rid}")
            assert finding.outcome == "yes"
            assert finding.applies_from == dt.date(2025, 2, 2)
            assert finding.act == act
            assert finding.penalty is None
