"""Scenario tests for the US federal, New York City, Illinois, Texas and Utah packs.

Each test builds a profile from the situation an official source describes and checks the named findings over
time: before and after a law starts to apply, is amended, sunsets or is revoked. Sources are named in each
docstring (statute sections, the DCWP rules for NYC Local Law 144, the executive orders and public laws).
"""

from __future__ import annotations

import datetime as dt

import pytest
from conftest import make_profile

from regatlas.engine.assess import assess

TODAY = dt.date(2026, 11, 28)


def run(pack, facts: dict, as_of: dt.date = TODAY):
    return assess(pack, make_profile(pack, facts), as_of)


def ended_rules(assessment) -> set[str]:
    return {f"{n.instrument_id}:{n.rule_id}" for n in assessment.not_in_force}


# ------------------------------------------------------------------ NYC Local Law 144

NYC_AEDT = {
    "system.ml_statistical_or_analytics_process": True,
    "system.simplified_output": True,
    "deployment.screens_for_hiring_or_promotion": True,
    "deployment.employment_decision_output_role": "weighted_more_than_any_other",
    "territory.used_in": ["US-NY-NYC"],
}


def test_ll144_aedt_for_nyc_candidates_needs_audit_and_notices(pack):
    """NYC Admin. Code 20-871(a)-(b) and 6 RCNY 5-300 ("substantially assist or replace discretionary decision
    making" (ii): one criterion weighted more than any other): a resume-ranking score weighted above every other
    criterion for candidates in the city needs a bias audit within a year, a published summary and notices
    10 business days ahead, enforced since 2023-07-05."""
    a = run(pack, NYC_AEDT)
    for rule in (
        "in_scope",
        "sec20_871_a_bias_audit",
        "sec20_871_a_audit_summary_publication",
        "sec20_871_b_candidate_notice",
    ):
        finding = a.finding(f"us_nyc_ll144:{rule}")
        assert finding.outcome == "yes", rule
        assert finding.applies_from == dt.date(2023, 7, 5)
        assert finding.in_effect is True


def test_ll144_same_tool_used_only_outside_nyc_is_out(pack):
    """NYC Admin. Code 20-871 reaches use for candidates and employees in the city; the same tool used only for
    roles in New Jersey and Illinois is outside Local Law 144 (and inside Illinois HB 3773 if it is AI)."""
    a = run(pack, {**NYC_AEDT, "territory.used_in": ["US-NJ", "US-IL"]})
    assert "us_nyc_ll144" not in a.instruments  # the profile's places do not touch New York City at all
    assert "us_il_hb3773" in a.instruments
    with pytest.raises(KeyError):
        a.finding("us_nyc_ll144:sec20_871_a_bias_audit")


def test_ll144_lesser_weight_is_not_an_aedt(pack):
    """6 RCNY 5-300: output that is one factor among several, not weighted more than any other and not used to
    overrule other factors, does not "substantially assist or replace" the decision - no AEDT, no audit."""
    a = run(pack, {**NYC_AEDT, "deployment.employment_decision_output_role": "lesser_role"})
    assert a.finding("us_nyc_ll144:aedt").outcome == "no"
    assert a.finding("us_nyc_ll144:sec20_871_a_bias_audit").outcome == "no"


def test_ll144_eu_ai_system_without_computer_set_parameters_is_not_an_aedt(pack):
    """NYC Admin. Code 20-870 as narrowed by 6 RCNY 5-300: the tool must be derived from machine learning,
    statistical modelling, data analytics or AI with parameters a computer at least partly identified. A rule-based
    expert system that is an AI system in the EU sense, with every weight written by recruiters, is not an AEDT."""
    a = run(pack, {**NYC_AEDT, "system.is_ai_system": True, "system.ml_statistical_or_analytics_process": False})
    assert a.finding("us_nyc_ll144:aedt").outcome == "no"
    assert a.finding("us_nyc_ll144:sec20_871_b_candidate_notice").outcome == "no"


def test_ll144_notice_is_ten_business_days(pack):
    """NYC Admin. Code 20-871(b): notice at least ten business days before use - business days, not 14 calendar
    days."""
    rule = pack.instruments["us_nyc_ll144"].rules["sec20_871_b_candidate_notice"].rule
    specs = {s.quantity: s for s in rule.specs}
    assert "notice_lead_days" not in specs
    assert specs["notice_lead_business_days"].min == 10


def test_ll144_before_enforcement_date(pack):
    """NYC DCWP rules effective and enforcement from 2023-07-05: on 2023-06-01 the notice duty is law (effective
    2023-01-01) but does not yet apply."""
    finding = run(pack, NYC_AEDT, dt.date(2023, 6, 1)).finding("us_nyc_ll144:sec20_871_b_candidate_notice")
    assert finding.outcome == "yes"
    assert finding.in_effect is False


# ------------------------------------------------------------------ Illinois

IL_HIRING = {"system.is_ai_system": True, "system.decision_areas": ["employment"], "territory.used_in": ["US-IL"]}


@pytest.mark.parametrize(("as_of", "in_effect"), [(dt.date(2025, 12, 31), False), (dt.date(2026, 1, 1), True)])
def test_illinois_hb3773_notice_from_2026(pack, as_of, in_effect):
    """775 ILCS 5/2-102(L)(2), added by Public Act 103-0804 (signed 2024-08-09, effective 2026-01-01): an employer
    using AI in hiring must give notice - enacted in 2025, applicable from 1 January 2026."""
    finding = run(pack, IL_HIRING, as_of).finding("us_il_hb3773:sec2_102_l_2_notice")
    assert finding.outcome == "yes"
    assert finding.in_effect is in_effect


def test_illinois_effect_suffices_texas_needs_intent(pack):
    """775 ILCS 5/2-102(L)(1) prohibits AI that "has the effect" of discrimination; Tex. Bus. & Com. Code 552.056
    requires intent, and disparate impact alone is not sufficient. A tool with a discriminatory effect but no
    discriminatory intent, used in both states, is prohibited in Illinois only."""
    facts = {
        **IL_HIRING,
        "territory.offered_in": ["US-TX", "US-IL"],
        "territory.used_in": ["US-TX", "US-IL"],
        "system.discriminatory_effect_protected_class": True,
        "system.intended_to_unlawfully_discriminate": False,
    }
    a = run(pack, facts)
    assert a.finding("us_il_hb3773:sec2_102_l_1_discriminatory_effect").outcome == "yes"
    assert a.finding("us_tx_traiga:sec552_056_intentional_discrimination").outcome == "no"


def test_bipa_video_interview_face_analysis(pack):
    """740 ILCS 14/15(b) and 820 ILCS 42/5: AI analysis of recorded video interviews that scans face geometry of
    applicants for an Illinois role needs the AI Video Interview Act's notice and consent and BIPA's written
    release; since Public Act 103-0769 (2024-08-02) the release may be an electronic signature."""
    facts = {
        "deployment.analyses_recorded_video_interviews": True,
        "system.captures_biometric_identifiers": True,
        "operator.public_authority": False,
        "territory.used_in": ["US-IL"],
    }
    a = run(pack, facts)
    assert a.finding("us_il_ai_video_interview_act:sec5_notice_explanation_consent").outcome == "yes"
    release = a.finding("us_il_bipa:sec15_b_informed_written_release")
    assert release.outcome == "yes"
    assert release.applies_from == dt.date(2024, 8, 2)  # the amended version is the one in force


# ------------------------------------------------------------------ Utah

UT_LAW_FIRM = {
    "system.interacts_with_natural_persons": True,
    "system.simulates_human_conversation": True,
    "system.generated_content": ["text"],
    "territory.used_in": ["US-UT"],
    "operator.regulated_occupation": True,
    "deployment.high_risk_ai_interaction": True,
    "system.discloses_non_human_throughout": False,
    "deployment.consumer_transactions": True,
}


def test_utah_disclosure_before_sunset(pack):
    """Utah Code § 13-77-103 (enacted by SB 226 as § 13-75-103, effective 2025-05-07): a law firm's generative-AI
    assistant giving personalised legal guidance is a high-risk AI interaction and must be disclosed proactively; in
    consumer transactions the AI must be disclosed on a clear request."""
    a = run(pack, UT_LAW_FIRM)
    assert a.finding("us_ut_aipa:sec13_2_12_regulated_occupation_disclosure").outcome == "yes"
    assert a.finding("us_ut_aipa:sec13_2_12_disclosure_on_request").outcome == "yes"


def test_utah_disclosure_duties_survive_the_chapter_72_sunset(pack):
    """SB 332 (2025) repeals Title 13 Chapter 72 (Office of AI Policy, Learning Laboratory) on 2027-07-01; the
    disclosure duties SB 226 placed in a new chapter (§§ 13-75-101 to -104, codified as Chapter 77) carry no sunset.
    On 2027-08-01 both duties still hold."""
    a = run(pack, UT_LAW_FIRM, dt.date(2027, 8, 1))
    assert a.finding("us_ut_aipa:sec13_2_12_regulated_occupation_disclosure").outcome == "yes"
    assert a.finding("us_ut_aipa:sec13_2_12_disclosure_on_request").outcome == "yes"
    assert not {r for r in ended_rules(a) if r.startswith("us_ut_aipa:")}
    assert pack.instruments["us_ut_aipa"].meta.instrument.status_on(dt.date(2027, 8, 1)) != "expired"


def test_utah_safe_harbour_covers_consumer_transactions(pack):
    """Utah Code § 13-77-104: no enforcement action for violating § 13-77-103 - the whole section, consumer
    transactions included - when the generative AI discloses at the outset and throughout that it is not human."""
    a = run(pack, {**UT_LAW_FIRM, "system.discloses_non_human_throughout": True})
    assert a.finding("us_ut_aipa:sec13_2_12_disclosure_on_request").outcome == "no"
    assert a.finding("us_ut_aipa:sec13_2_12_regulated_occupation_disclosure").outcome == "no"


def test_utah_sb226_generative_ai_means_conversational(pack):
    """Utah Code § 13-77-101(4) (SB 226): generative AI is a system designed to simulate human conversation with a
    consumer. An image generator offered to Utah consumers was covered under SB 149 in 2024 but is not since
    2025-05-07."""
    facts = {**UT_LAW_FIRM, "system.simulates_human_conversation": False, "system.generated_content": ["image"]}
    assert run(pack, facts, dt.date(2024, 9, 1)).finding("us_ut_aipa:generative_ai").outcome == "yes"
    assert run(pack, facts).finding("us_ut_aipa:in_scope").outcome == "no"


def test_utah_sb226_narrowed_the_professional_duty(pack):
    """SB 149 (2024) required regulated occupations to disclose generative AI at the outset of any interaction;
    SB 226 (2025-05-07) limits this to high-risk AI interactions. A scheduling chat: yes in 2024, no in 2026."""
    facts = {**UT_LAW_FIRM, "deployment.high_risk_ai_interaction": False}
    rule = "us_ut_aipa:sec13_2_12_regulated_occupation_disclosure"
    assert run(pack, facts, dt.date(2024, 9, 1)).finding(rule).outcome == "yes"
    assert run(pack, facts).finding(rule).outcome == "no"


# ------------------------------------------------------------------ Federal

FRONTIER = {"model.training_compute_flop": 3.0e26}


def test_eo14110_reporting_before_revocation(pack):
    """EO 14110 Sec. 4.2(a)-(b)(i): in 2024 a developer of a model trained with more than 10^26 operations had to
    report to Commerce."""
    finding = run(pack, FRONTIER, dt.date(2024, 6, 1)).finding("us_eo14110:sec4_2_a_model_reporting")
    assert finding.outcome == "yes"
    assert finding.in_effect is True


def test_eo14110_no_longer_in_force_after_eo14148(pack):
    """EO 14148 (2025-01-20) revoked EO 14110 (not EO 14179, fact sheet D1.1): in 2026 the reporting rule is listed
    as no longer in force, ended on 2025-01-19."""
    a = run(pack, FRONTIER)
    with pytest.raises(KeyError):
        a.finding("us_eo14110:sec4_2_a_model_reporting")
    ended = {n.rule_id: n.ended for n in a.not_in_force if n.instrument_id == "us_eo14110"}
    assert ended["sec4_2_a_model_reporting"] == dt.date(2025, 1, 19)
    assert pack.instruments["us_eo14110"].meta.instrument.status_on(TODAY) == "revoked"


PLATFORM = {"operator.user_generated_content_platform": True, "operator.broadband_or_email_service": False}


@pytest.mark.parametrize(("as_of", "in_effect"), [(dt.date(2026, 5, 18), False), (dt.date(2026, 5, 19), True)])
def test_take_it_down_platform_duty_from_2026_05_19(pack, as_of, in_effect):
    """TAKE IT DOWN Act (Pub. L. 119-12) Sec. 3: covered platforms must remove reported non-consensual intimate
    depictions within 48 hours, one year after enactment (2025-05-19), i.e. from 2026-05-19."""
    finding = run(pack, PLATFORM, as_of).finding("us_take_it_down_act:sec3_removal_within_48_hours")
    assert finding.outcome == "yes"
    assert finding.in_effect is in_effect


def test_take_it_down_criminal_provision_from_enactment(pack):
    """47 U.S.C. 223(h), added by Sec. 2 of Pub. L. 119-12: publishing an AI-generated intimate "digital forgery"
    without consent is a crime from enactment on 2025-05-19."""
    facts = {"deployment.publishes_nonconsensual_intimate_depictions": True}
    finding = run(pack, facts, dt.date(2025, 6, 1)).finding("us_take_it_down_act:sec2_publication_offence")
    assert finding.outcome == "yes"
    assert finding.in_effect is True


def test_omb_m_25_21_applies_only_to_federal_agencies(pack):
    """OMB M-25-21 (2025-04-03): agencies must apply minimum practices to high-impact AI by 2026-04-03; the memo
    does not bind a private company making the same use of AI."""
    facts = {
        "system.is_ai_system": True,
        "system.national_security_system": False,
        "system.output_principal_basis_for_rights_or_safety_decisions": True,
    }
    rule = "us_omb_m_25_21:high_impact_minimum_practices"
    agency = run(pack, {**facts, "operator.us_federal_agency": True}).finding(rule)
    assert (agency.outcome, agency.applies_from, agency.in_effect) == ("yes", dt.date(2026, 4, 3), True)
    early = run(pack, {**facts, "operator.us_federal_agency": True}, dt.date(2026, 1, 15)).finding(rule)
    assert early.in_effect is False
    assert run(pack, {**facts, "operator.us_federal_agency": False}).finding(rule).outcome == "no"


def test_eo14365_does_not_displace_state_law(pack):
    """EO 14365 (2025-12-11) directs litigation and agency action against state AI laws but does not itself
    preempt any (fact sheet A2.5): a Texas governmental chatbot still owes the TRAIGA disclosure in 2026."""
    facts = {
        "system.is_ai_system": True,
        "territory.offered_in": ["US-TX"],
        "operator.texas_governmental_entity": True,
        "system.interacts_with_natural_persons": True,
    }
    a = run(pack, facts)
    assert a.finding("us_eo14365:state_laws_not_displaced").outcome == "yes"
    assert a.finding("us_tx_traiga:sec552_051_government_disclosure").outcome == "yes"


def test_traiga_private_chatbot_has_no_disclosure_duty(pack):
    """Tex. Bus. & Com. Code 552.051: disclosure binds governmental agencies and health-care providers only; a
    private retailer's chatbot owes none, whereas before 2026 nothing applied at all."""
    facts = {
        "system.is_ai_system": True,
        "territory.offered_in": ["US-TX"],
        "operator.texas_governmental_entity": False,
        "system.interacts_with_natural_persons": True,
        "deployment.health_care_service_or_treatment": False,
    }
    a = run(pack, facts)
    assert a.finding("us_tx_traiga:sec552_051_government_disclosure").outcome == "no"
    assert a.finding("us_tx_traiga:sec552_051_health_care_disclosure").outcome == "no"
    assert a.finding("us_tx_traiga:in_scope").in_effect is True
    assert run(pack, facts, dt.date(2025, 9, 1)).finding("us_tx_traiga:in_scope").in_effect is False


def test_utah_hb452_mental_health_chatbot_disclosure(pack):
    """Utah Code § 13-72a-203 (HB 452, Laws of Utah 2025 ch. 269, effective 2025-05-07): a generative-AI therapy
    chatbot must tell Utah users it is AI and not human - before access, after seven days away, and when asked;
    § 13-72a-202 limits advertising in conversations. A scripted meditation app is outside."""
    facts = {"territory.used_in": ["US-UT"], "system.mental_health_chatbot": True}
    a = run(pack, facts)
    assert a.finding("us_ut_hb452:sec13_72a_203_ai_disclosure").outcome == "yes"
    assert a.finding("us_ut_hb452:sec13_72a_202_advertising").outcome == "yes"
    assert a.instruments["us_ut_hb452"].param_at("disclosure_gap_days", a.as_of) == 7
    assert run(pack, {**facts, "system.mental_health_chatbot": False}).finding("us_ut_hb452:in_scope").outcome == "no"
    early = run(pack, facts, dt.date(2025, 1, 1))  # before Chapter 72a took effect
    with pytest.raises(KeyError):
        early.finding("us_ut_hb452:sec13_72a_203_ai_disclosure")


def test_federal_llm_procurement_eo14319_and_m_26_04(pack):
    """EO 14319 (2025-07-23) and OMB M-26-04 (2025-12-11; Digital Policy Alert and BNO News summaries): an agency
    soliciting an LLM service in February 2026 must write the two Unbiased AI Principles into the contract and, from
    2026-03-11, have updated its procurement policies; the vendor owes the transparency documents through the
    contract. A solicitation of November 2025 predates the memorandum; a company buying for itself is outside."""
    agency = {
        "operator.us_federal_agency": True,
        "system.large_language_model": True,
        "system.national_security_system": False,
        "deployment.federal_solicitation_date": dt.date(2026, 2, 1),
    }
    a = run(pack, agency)
    assert a.finding("us_omb_m_26_04:unbiased_principles_contract_terms").outcome == "yes"
    assert a.finding("us_omb_m_26_04:procurement_policy_update").in_effect is True
    assert a.finding("us_eo14319:sec3_procure_only_unbiased_llms").outcome == "yes"
    early = run(pack, {**agency, "deployment.federal_solicitation_date": dt.date(2025, 11, 15)})
    assert early.finding("us_omb_m_26_04:in_scope").outcome == "no"
    vendor = run(
        pack,
        {
            "operator.supplies_llm_to_us_federal_agency": True,
            "system.large_language_model": True,
            "deployment.federal_solicitation_date": dt.date(2026, 2, 1),
        },
    )
    assert vendor.finding("us_omb_m_26_04:vendor_transparency").outcome == "yes"
    assert vendor.finding("us_eo14319:sec4_vendor_contract_terms").outcome == "yes"
    company = run(pack, {"operator.us_federal_agency": False, "system.large_language_model": True})
    assert company.finding("us_eo14319:sec3_procure_only_unbiased_llms").outcome == "no"
