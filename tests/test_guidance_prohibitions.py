"""Scenario tests for the Art. 5 prohibitions, drawn from the Commission Guidelines on prohibited AI practices
(C(2025) 5052 final, 29 July 2025; paragraph numbers of the adopted text) and from the Art. 5 text itself.

Where a guidance nuance cannot be expressed as a rule condition, it is expressed through the facts a user
following the guidance would give; the docstring says so.
"""

from __future__ import annotations

import datetime as dt

import pytest
from conftest import AFTER_OMNIBUS, BEFORE_OMNIBUS, IN_SCOPE, make_profile

from regatlas.engine.assess import assess

G = "Commission guidelines on prohibited AI practices C(2025) 5052"


def run(pack, facts: dict, as_of: dt.date = AFTER_OMNIBUS):
    return assess(pack, make_profile(pack, {**IN_SCOPE, **facts}), as_of)


def outcome(pack, rule: str, facts: dict, as_of: dt.date = AFTER_OMNIBUS) -> str:
    return run(pack, facts, as_of).finding(f"eu_ai_act:{rule}").outcome


# ------------------------------------------------------------------ 5(1)(a) and (b)


def test_para_67_69_no_intent_needed_for_learned_deception(pack):
    """C(2025) 5052 paras 67 and 69: intent is not required; a system that itself learned deceptive behaviour
    its provider did not intend still 'deploys' a deceptive technique. Expressed through the facts: the user
    answers system.manipulative_techniques true although nobody designed the deception."""
    facts = {
        "system.manipulative_techniques": True,
        "system.materially_distorts_behaviour": True,
        "system.significant_harm_likely": True,
    }
    finding = run(pack, facts).finding("eu_ai_act:art5_1_a_manipulation")
    assert finding.outcome == "yes"
    assert finding.in_effect is True
    assert finding.penalty is not None and finding.penalty.penalty_id == "art99_3"


def test_para_73_informed_hallucination_is_not_deception(pack):
    """C(2025) 5052 para 73: a chatbot that occasionally hallucinates, where users are told about the limits
    and safeguards exist, does not deploy a deceptive technique (outside sensitive contexts). Expressed through
    the facts: system.manipulative_techniques is false because the guidance says so."""
    facts = {
        "system.manipulative_techniques": False,
        "system.materially_distorts_behaviour": True,
        "system.significant_harm_likely": True,
    }
    assert outcome(pack, "art5_1_a_manipulation", facts) == "no"


def test_para_109_loneliness_is_not_a_listed_vulnerability(pack):
    """C(2025) 5052 para 109: loneliness is not 'age, disability or a specific social or economic situation'.
    A companion app playing on users' loneliness is therefore outside point (b); whether point (a) applies
    depends on its techniques, which are left open here."""
    facts = {
        "system.exploits_vulnerabilities": False,
        "system.materially_distorts_behaviour": True,
        "system.significant_harm_likely": True,
    }
    a = run(pack, facts)
    assert a.finding("eu_ai_act:art5_1_b_exploitation_of_vulnerabilities").outcome == "no"
    manipulation = a.finding("eu_ai_act:art5_1_a_manipulation")
    assert manipulation.outcome == "unknown"
    assert "system.manipulative_techniques" in manipulation.missing


def test_para_102_children_exploited_by_a_game(pack):
    """C(2025) 5052 paras 102-103: age is one of the three grounds; a game pushing children into harmful
    spending through their age-related vulnerability is prohibited under point (b)."""
    facts = {
        "system.exploits_vulnerabilities": True,
        "system.materially_distorts_behaviour": True,
        "system.significant_harm_likely": True,
    }
    assert outcome(pack, "art5_1_b_exploitation_of_vulnerabilities", facts) == "yes"


def test_para_133_protective_use_of_age_data_is_not_exploitation(pack):
    """C(2025) 5052 para 133: a bank using age or socio-economic data to protect vulnerable customers does not
    exploit their vulnerability. Expressed through the facts: system.exploits_vulnerabilities is false."""
    facts = {"system.exploits_vulnerabilities": False, "system.materially_distorts_behaviour": False}
    assert outcome(pack, "art5_1_b_exploitation_of_vulnerabilities", facts) == "no"


# ------------------------------------------------------------------ 5(1)(c)


def test_para_170_private_social_scoring_is_prohibited(pack):
    """C(2025) 5052 para 170: point (c) applies to private actors as well as public authorities. A private
    landlord platform scoring tenants on their social-media behaviour and refusing flats is caught."""
    facts = {
        "operator.public_authority": False,
        "deployment.by_public_body": False,
        "system.social_scoring": True,
        "system.score_unrelated_context_detriment": True,
    }
    assert outcome(pack, "art5_1_c_social_scoring", facts) == "yes"


def test_para_175_177_credit_scoring_under_consumer_law_is_out(pack):
    """C(2025) 5052 paras 175-177: lawful credit scoring under consumer-credit law evaluates persons over time,
    but its detriment stays in the credit context and is proportionate. Expressed through the facts: both
    detriment conditions (i) and (ii) are false, as the guidance says for such scoring."""
    facts = {
        "system.social_scoring": True,
        "system.score_unrelated_context_detriment": False,
        "system.score_disproportionate_detriment": False,
    }
    assert outcome(pack, "art5_1_c_social_scoring", facts) == "no"


# ------------------------------------------------------------------ 5(1)(d)


def test_para_204_support_of_human_assessment_is_not_prohibited(pack):
    """C(2025) 5052 para 204: a system supporting a human assessment that is already based on objective and
    verifiable facts linked to a criminal activity is not prohibited, even if it profiles."""
    facts = {
        "system.predicts_criminal_offending": True,
        "system.solely_profiling_based": True,
        "system.supports_human_crime_assessment": True,
    }
    a = run(pack, facts)
    assert a.finding("eu_ai_act:art5_1_d_crime_prediction").outcome == "no"
    assert a.finding("eu_ai_act:art5_1_d_human_assessment_support").outcome == "yes"


def test_para_210_211_business_fraud_profiling_is_not_crime_prediction(pack):
    """C(2025) 5052 paras 210-211: a retailer's risk profiling for irregularities or fraud in its own business
    is not an assessment of the risk of committing a criminal offence. Expressed through the facts:
    system.predicts_criminal_offending is false."""
    facts = {"system.predicts_criminal_offending": False, "system.solely_profiling_based": True}
    assert outcome(pack, "art5_1_d_crime_prediction", facts) == "no"


# ------------------------------------------------------------------ 5(1)(e)


def test_para_228_robots_txt_does_not_make_scraping_targeted(pack):
    """C(2025) 5052 para 228: respecting robots.txt does not make scraping targeted; a crawler collecting
    all faces it finds for a face-search service is untargeted scraping."""
    assert outcome(pack, "art5_1_e_facial_scraping", {"system.untargeted_face_scraping": True}) == "yes"


def test_para_229_230_targeted_scraping_is_out(pack):
    """C(2025) 5052 paras 229-230: scraping images of specific persons, e.g. to find a trafficking victim, is
    targeted and outside point (e). Expressed through the facts: system.untargeted_face_scraping is false."""
    assert outcome(pack, "art5_1_e_facial_scraping", {"system.untargeted_face_scraping": False}) == "no"


def test_para_234_235_fictitious_faces_generator_is_out(pack):
    """C(2025) 5052 paras 234-235: a generator of fictitious faces trained on scraped images does not build a
    database used to recognise persons. Expressed through the facts: system.untargeted_face_scraping is false
    (no facial-recognition database is created or expanded)."""
    facts = {"system.untargeted_face_scraping": False, "system.generated_content": ["image"]}
    assert outcome(pack, "art5_1_e_facial_scraping", facts) == "no"


# ------------------------------------------------------------------ 5(1)(f)

# Whose emotions are inferred decides Art. 5(1)(f) (C(2025) 5052, call-centre examples): workers by default here.
EMOTION = {
    "system.infers_emotions": True,
    "system.uses_biometric_data": True,
    "deployment.emotion_subjects": ["workers"],
}


def test_para_254_job_candidates_are_in_the_workplace(pack):
    """C(2025) 5052 para 254: emotion recognition in video interviews of job candidates is in the area of
    the workplace."""
    facts = {
        **EMOTION,
        "deployment.emotion_subjects": ["job_candidates"],
        "deployment.workplace_or_education": True,
        "deployment.medical_or_safety_reasons": False,
    }
    finding = run(pack, facts).finding("eu_ai_act:art5_1_f_emotion_recognition")
    assert finding.outcome == "yes"
    assert finding.status == "contested"
    assert set(finding.addressee) == {"provider", "deployer"}


def test_para_255_admission_candidates_are_in_education(pack):
    """C(2025) 5052 para 255: candidates in an admission test of an education institution are in the area
    of education."""
    facts = {
        **EMOTION,
        "deployment.emotion_subjects": ["education_applicants"],
        "deployment.workplace_or_education": True,
        "deployment.medical_or_safety_reasons": False,
    }
    assert outcome(pack, "art5_1_f_emotion_recognition", facts) == "yes"


def test_para_257_stress_monitoring_is_not_a_medical_exception(pack):
    """C(2025) 5052 para 257: general monitoring of employees' stress or burnout is not a medical reason;
    therapeutic use means CE-marked medical devices. Expressed through the facts:
    deployment.medical_or_safety_reasons is false."""
    facts = {**EMOTION, "deployment.workplace_or_education": True, "deployment.medical_or_safety_reasons": False}
    a = run(pack, facts)
    assert a.finding("eu_ai_act:art5_1_f_medical_safety_exception").outcome == "no"
    assert a.finding("eu_ai_act:art5_1_f_emotion_recognition").outcome == "yes"


def test_para_258_protecting_property_is_not_safety(pack):
    """C(2025) 5052 para 258: 'safety' means protection of life and health; detecting nervous staff to prevent
    theft protects property and is not covered. A pilot-alertness system protecting life would be.
    Expressed through deployment.medical_or_safety_reasons."""
    base = {**EMOTION, "deployment.workplace_or_education": True}
    assert (
        outcome(pack, "art5_1_f_emotion_recognition", {**base, "deployment.medical_or_safety_reasons": False}) == "yes"
    )
    assert outcome(pack, "art5_1_f_emotion_recognition", {**base, "deployment.medical_or_safety_reasons": True}) == "no"


def test_para_249_fatigue_is_not_an_emotion(pack):
    """C(2025) 5052 para 249: physical states such as fatigue or pain are not emotions; a driver-fatigue
    detector at work is outside point (f). Expressed through the facts: system.infers_emotions is false."""
    facts = {
        "system.infers_emotions": False,
        "system.uses_biometric_data": True,
        "deployment.workplace_or_education": True,
    }
    assert outcome(pack, "art5_1_f_emotion_recognition", facts) == "no"


def test_para_250_251_text_sentiment_is_outside_on_the_commission_reading(pack):
    """C(2025) 5052 paras 245 and 250-251: point (f) is read with Art. 3(39), so emotion inference from
    written text (no biometric data) is outside. Contested reading (fact sheet section 11 item 1): the rule
    says so in its status."""
    facts = {
        "system.infers_emotions": True,
        "system.uses_biometric_data": False,
        "deployment.workplace_or_education": True,
    }
    finding = run(pack, facts).finding("eu_ai_act:art5_1_f_emotion_recognition")
    assert finding.outcome == "no"
    assert finding.status == "contested"


def test_para_24_25_dual_use_system_stays_in_scope(pack):
    """C(2025) 5052 paras 24-25: a system used for military and also civilian purposes is not 'exclusively'
    military; an emotion-recognition tool also sold to employers stays under point (f). Only an exclusively
    military system is out."""
    facts = {**EMOTION, "deployment.workplace_or_education": True, "deployment.medical_or_safety_reasons": False}
    assert outcome(pack, "art5_1_f_emotion_recognition", facts) == "yes"
    military = {**facts, "system.exclusively_military_defence_security": True}
    assert outcome(pack, "art5_1_f_emotion_recognition", military) == "no"


# ------------------------------------------------------------------ 5(1)(g)


def test_para_283_closed_list_of_traits(pack):
    """C(2025) 5052 para 283: the six traits are a closed list; categorising customers by apparent age or sex
    from face images is not prohibited under point (g) (it is Annex III 1(b) territory)."""
    facts = {"system.biometric_categorisation": True, "system.infers_sensitive_traits": False}
    assert outcome(pack, "art5_1_g_biometric_categorisation", facts) == "no"


def test_para_284_286_labelling_lawful_datasets_is_carved_out(pack):
    """C(2025) 5052 paras 284-286: labelling or filtering a lawfully acquired image dataset, even by a listed
    trait, falls under the carve-out; the same categorisation of live individuals does not."""
    facts = {"system.biometric_categorisation": True, "system.infers_sensitive_traits": True}
    a = run(pack, {**facts, "system.labels_lawful_biometric_datasets": True})
    assert a.finding("eu_ai_act:art5_1_g_biometric_categorisation").outcome == "no"
    assert a.finding("eu_ai_act:art5_1_g_labelling_filtering").outcome == "yes"
    assert (
        outcome(pack, "art5_1_g_biometric_categorisation", {**facts, "system.labels_lawful_biometric_datasets": False})
        == "yes"
    )


# ------------------------------------------------------------------ 5(1)(h) and 5(2)-(5)

RBI = {
    "system.remote_biometric_identification": True,
    "system.real_time": True,
    "deployment.publicly_accessible_space": True,
}


def test_para_319_325_bank_on_its_own_behalf_is_not_law_enforcement(pack):
    """C(2025) 5052 paras 319-325: a bank running live face identification at its branches on its own behalf
    is not law enforcement; point (h) does not apply (GDPR Art. 9 does). Expressed through the facts:
    deployment.law_enforcement is false."""
    facts = {**RBI, "deployment.law_enforcement": False}
    a = run(pack, facts)
    assert a.finding("eu_ai_act:art5_1_h_realtime_rbi").outcome == "no"
    assert a.finding("eu_ai_act:art5_2_rbi_safeguards").outcome == "no"


def test_art5_1_h_permitted_use_needs_objective_and_conditions(pack):
    """Art. 5(1)(h)(i) with Art. 5(2)-(5) (law text; the fact sheet section 3 summary of G-PP): a search for
    an abducted child is permitted only with the national-law, FRIA, registration and authorisation
    conditions; without them (and no urgency route) the use is prohibited. The safeguard duty binds the
    deployer either way."""
    base = {
        **RBI,
        "deployment.law_enforcement": True,
        "deployment.rbi_objective": "victim_search",
        "deployment.personal_non_professional": False,
    }
    ok = run(pack, {**base, "deployment.rbi_authorised": True})
    assert ok.finding("eu_ai_act:art5_1_h_permitted_use").outcome == "yes"
    assert ok.finding("eu_ai_act:art5_1_h_realtime_rbi").outcome == "no"
    duty = ok.finding("eu_ai_act:art5_2_rbi_safeguards")
    assert duty.outcome == "yes" and duty.addressee == ["deployer"]
    bad = run(pack, {**base, "deployment.rbi_authorised": False, "deployment.rbi_urgency_procedure": False})
    assert bad.finding("eu_ai_act:art5_1_h_realtime_rbi").outcome == "yes"
    other = run(pack, {**base, "deployment.rbi_objective": "other", "deployment.rbi_authorised": True})
    assert other.finding("eu_ai_act:art5_1_h_realtime_rbi").outcome == "yes"


# ------------------------------------------------------------------ 5(1)(ba), (bb) [Regulation (EU) 2026/1744]

NUDIFIER = {
    "system.generates_intimate_imagery": True,
    "system.intimate_manipulation_no_added_exposure": False,
    "deployment.csam_without_right_defence": False,
    "operator.roles": ["provider"],
}


def test_ncii_provider_rule_timeline(pack):
    """Art. 5(1)(ba) and 5(1a)(a), inserted by Regulation (EU) 2026/1744 (in force 27 Jul 2026), applying
    from 2 Dec 2026 ([AM] Art. 113(a)): not law on 1 Jul 2026; law but not yet applicable on 28 Nov 2026;
    in effect on 15 Dec 2026."""
    key = "eu_ai_act:art5_1_ba_bb_provider"
    before = run(pack, NUDIFIER, BEFORE_OMNIBUS)
    with pytest.raises(KeyError):
        before.finding(key)
    listed = [n for n in before.not_in_force if n.rule_id == "art5_1_ba_bb_provider"]
    assert listed and listed[0].next_from == dt.date(2026, 7, 27)

    pending = run(pack, NUDIFIER, AFTER_OMNIBUS).finding(key)
    assert pending.outcome == "yes"
    assert pending.applies_from == dt.date(2026, 12, 2)
    assert pending.in_effect is False
    assert pending.act == "Regulation (EU) 2026/1744"

    live = run(pack, NUDIFIER, dt.date(2026, 12, 15)).finding(key)
    assert live.outcome == "yes" and live.in_effect is True
    assert live.holder is True


def test_recital_12_general_generator_with_safeguards_is_not_prohibited(pack):
    """Regulation (EU) 2026/1744 Recital 12 and Art. 5(1a)(a)(ii): a general image generator for which such
    output is foreseeable is prohibited only if it lacks reasonable and adequate safeguards; with refusal
    training and output filters it is not, and a deployer using it for lawful images is not caught."""
    facts = {
        "system.generates_intimate_imagery": False,
        "system.generates_csam": False,
        "system.harmful_sexual_output_foreseeable": True,
        "system.intimate_manipulation_no_added_exposure": False,
        "deployment.csam_without_right_defence": False,
        "deployment.purpose_intimate_or_csam": False,
        "deployment.personal_non_professional": False,
    }
    when = dt.date(2026, 12, 15)
    assert outcome(pack, "art5_1_ba_bb_provider", {**facts, "system.sexual_content_safeguards": True}, when) == "no"
    assert outcome(pack, "art5_1_ba_bb_provider", {**facts, "system.sexual_content_safeguards": False}, when) == "yes"
    assert outcome(pack, "art5_1_ba_bb_deployer", facts, when) == "no"


def test_para_34_criminal_use_is_never_purely_personal(pack):
    """C(2025) 5052 para 34: criminal activities cannot be purely personal, so a private individual generating
    child sexual abuse material is not excluded by Art. 2(10). Expressed through the facts:
    deployment.personal_non_professional is false. A genuinely personal, lawful use would be excluded."""
    facts = {
        "deployment.purpose_intimate_or_csam": True,
        "system.intimate_manipulation_no_added_exposure": False,
        "deployment.csam_without_right_defence": False,
        "system.generated_content": ["image"],
    }
    when = dt.date(2026, 12, 15)
    assert (
        outcome(pack, "art5_1_ba_bb_deployer", {**facts, "deployment.personal_non_professional": False}, when) == "yes"
    )
    assert outcome(pack, "art5_1_ba_bb_deployer", {**facts, "deployment.personal_non_professional": True}, when) == "no"


def test_art5_1b_background_edit_is_not_manipulation(pack):
    """Art. 5(1b) and Recital 12 of Regulation (EU) 2026/1744: changing the background or contrast of existing
    intimate material does not increase exposure and is not 'manipulation' for point (ba)."""
    facts = {
        "system.generates_intimate_imagery": True,
        "system.intimate_manipulation_no_added_exposure": True,
        "deployment.csam_without_right_defence": False,
    }
    a = run(pack, facts, dt.date(2026, 12, 15))
    assert a.finding("eu_ai_act:art5_1_ba_bb_provider").outcome == "no"
    assert a.finding("eu_ai_act:art5_1b_non_exposing_manipulation").outcome == "yes"
