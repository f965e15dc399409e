"""Scenario tests for the EU AI Act high-risk rules, each taken from the legal text or official guidance.

Sources: Annex III of Regulation (EU) 2024/1689; the draft Commission guidelines on the classification of
high-risk AI systems (Art. 6(5), published 19 May 2026 for consultation, not adopted); the Commission guidelines on
the definition of an AI system C(2025) 5053; Art. 113(c) and Art. 111(2) as adopted and as amended by
Regulation (EU) 2026/1744.
"""

from __future__ import annotations

import datetime as dt

from conftest import AFTER_OMNIBUS, BEFORE_OMNIBUS, IN_SCOPE, make_profile

from regatlas.engine.assess import assess

NEW = {"system.placed_on_market_date": "2028-09-01"}  # after every Art. 111(2) cut-off
PROFESSIONAL = {"deployment.personal_non_professional": False}


def annex_iii(points, conditions=(), **extra):
    facts = {
        **IN_SCOPE,
        **NEW,
        "system.annex_i_legislation": [],
        "system.free_open_source_licence": False,  # Art. 2(12) would lift Art. 6(4) and 49(2) for a filtered system
        "system.annex_iii_points": list(points),
        "system.art6_3_conditions": list(conditions),
    }
    facts.update({k.replace("__", "."): v for k, v in extra.items()})
    return facts


def run(pack, facts, as_of=AFTER_OMNIBUS):
    return assess(pack, make_profile(pack, facts), as_of)


def outcome(a, rule):
    return a.finding(f"eu_ai_act:{rule}").outcome


def test_cv_filtering_is_annex_iii_point_4a(pack):
    """Annex III point 4(a): systems for recruitment or selection, in particular 'to analyse and filter job
    applications, and to evaluate candidates', are high-risk (Art. 6(2)); the employer-deployer owes Art. 26."""
    a = run(pack, {**annex_iii(["4a"]), **PROFESSIONAL})
    assert outcome(a, "annex_iii_4_employment") == "yes"
    assert outcome(a, "high_risk_annex_iii") == "yes"
    assert outcome(a, "high_risk") == "yes"
    assert outcome(a, "art9_risk_management_system") == "yes"
    assert outcome(a, "art26_1_use_per_instructions") == "yes"


def test_fraud_detection_is_not_point_5b(pack):
    """Annex III point 5(b) covers creditworthiness and credit scoring 'with the exception of AI systems used for the
    purpose of detecting financial fraud'. A fraud detector is therefore not listed, and profiling alone does not
    make a non-listed system high-risk (the Art. 6(3) override only concerns Annex III systems)."""
    fraud = run(pack, annex_iii([], system__performs_profiling=True))
    assert outcome(fraud, "annex_iii_5_essential_services") == "no"
    assert outcome(fraud, "high_risk") == "no"
    assert outcome(fraud, "art9_risk_management_system") == "no"
    scoring = run(pack, annex_iii(["5b"]))
    assert outcome(scoring, "high_risk") == "yes"


def test_travel_document_verification_is_not_point_7d_nor_1a(pack):
    """Annex III point 7(d) excludes 'the verification of travel documents'; point 1(a) excludes biometric
    verification whose sole purpose is to confirm that a person is who they claim to be (Art. 3(36))."""
    document_check = run(pack, annex_iii([]))
    assert outcome(document_check, "annex_iii_7_migration_border") == "no"
    assert outcome(document_check, "high_risk") == "no"
    gate = run(pack, annex_iii(["1a"], system__verification_only=True))
    assert outcome(gate, "annex_iii_1_biometrics") == "no"
    assert outcome(gate, "high_risk") == "no"
    # not a real-time law-enforcement use, which Art. 5(1)(h) would ban (then not a permitted point 1 use)
    identification = run(pack, annex_iii(["1a"], system__verification_only=False, deployment__law_enforcement=False))
    assert outcome(identification, "high_risk") == "yes"
    assert outcome(identification, "art43_1_conformity_assessment_biometrics") == "yes"


def test_filter_never_applies_to_annex_i_route(pack):
    """Draft Commission guidelines on high-risk classification (19 May 2026), para 87: the Art. 6(3) filter applies
    only to Art. 6(2) systems, never to systems high-risk under Art. 6(1). A medical-device AI that would meet a
    filter condition stays high-risk."""
    facts = {
        **IN_SCOPE,
        **NEW,
        "system.annex_iii_points": [],
        "system.annex_i_legislation": ["A11_medical_devices"],
        "system.safety_component_or_product": True,
        "system.non_safety_functions_only": False,
        "system.third_party_conformity_assessment": True,
        "system.third_party_assessment_non_safety_only": False,
        "system.art6_3_conditions": ["narrow_procedural_task"],
        "system.performs_profiling": False,
    }
    a = run(pack, facts)
    assert outcome(a, "high_risk_annex_i") == "yes"
    assert outcome(a, "art6_3_derogation") == "no"
    assert outcome(a, "high_risk") == "yes"
    assert outcome(a, "art43_3_conformity_assessment_sectoral") == "yes"
    assert outcome(a, "art6_4_document_assessment") == "no"


def test_conditions_are_exhaustive_with_no_separate_risk_test(pack):
    """Draft high-risk guidelines para 88 (conditions exhaustive but alternative, no separate significant-risk
    assessment) and para 92 (sorting admission applications by the grade applied for is a narrow procedural task):
    the filter is settled by the conditions and the profiling question alone."""
    a = run(pack, annex_iii(["3a"], ["narrow_procedural_task"], system__performs_profiling=False))
    derogation = a.finding("eu_ai_act:art6_3_derogation")
    assert derogation.outcome == "yes" and derogation.missing == []
    assert outcome(a, "high_risk_annex_iii") == "no"
    assert outcome(a, "art6_4_document_assessment") == "yes"
    assert outcome(a, "art49_2_register_filtered_system") == "yes"
    assert outcome(a, "art9_risk_management_system") == "no"
    no_condition = run(pack, annex_iii(["3a"], []))
    assert outcome(no_condition, "high_risk_annex_iii") == "yes"


def test_visa_file_indexing_is_a_narrow_procedural_task(pack):
    """Draft high-risk guidelines para 93: a system that scans visa files, converts them to text and files them into
    predefined folders without ranking or assessing them may use the filter (Annex III point 7(c))."""
    a = run(pack, annex_iii(["7c"], ["narrow_procedural_task"], system__performs_profiling=False))
    assert outcome(a, "high_risk") == "no"
    assert outcome(a, "art6_4_document_assessment") == "yes"


def test_profiling_of_recruiters_defeats_the_filter(pack):
    """Draft high-risk guidelines para 112: a system detecting deviations from recruitment decision patterns could
    fall under Art. 6(3)(c), but because it evaluates the recruiters' personal characteristics it profiles, so the
    filter is unavailable (Art. 6(3) last subparagraph)."""
    a = run(pack, annex_iii(["4a"], ["detects_patterns"], system__performs_profiling=True))
    assert outcome(a, "art6_3_profiling_override") == "yes"
    assert outcome(a, "art6_3_derogation") == "no"
    assert outcome(a, "high_risk_annex_iii") == "yes"
    assert outcome(a, "art6_4_document_assessment") == "no"


def test_profiling_must_be_established_by_the_provider(pack):
    """Draft high-risk guidelines paras 110-111: profiling needs automated processing, personal data and the
    objective of evaluating personal aspects, which the provider must determine. Until it does, the classification
    of a system meeting a filter condition stays open and the profiling question is asked."""
    a = run(pack, annex_iii(["4a"], ["preparatory_task"]))
    finding = a.finding("eu_ai_act:high_risk_annex_iii")
    assert finding.outcome == "unknown"
    assert "system.performs_profiling" in finding.missing


def test_rule_based_system_is_outside_the_definition(pack):
    """Commission guidelines on the definition of an AI system C(2025) 5053: systems based solely on rules defined by
    natural persons do not infer, so they are not AI systems and no high-risk rule applies, even for CV filtering."""
    a = run(pack, {**annex_iii(["4a"]), **PROFESSIONAL, "system.is_ai_system": False})
    assert outcome(a, "in_scope") == "no"
    assert outcome(a, "high_risk") == "no"
    assert outcome(a, "art9_risk_management_system") == "no"
    assert outcome(a, "art26_1_use_per_instructions") == "no"


def test_cv_screener_dates_before_and_after_the_omnibus(pack):
    """Art. 113 (2024 text): Chapter III applies to Annex III systems from 2 August 2026. Art. 113(c)(i) as amended
    by Regulation (EU) 2026/1744 (in force 27 July 2026): from 2 December 2027."""
    facts = {**annex_iii(["4a"]), **PROFESSIONAL}
    before = run(pack, facts, BEFORE_OMNIBUS)
    after = run(pack, facts, AFTER_OMNIBUS)
    for rule in (
        "high_risk",
        "art9_risk_management_system",
        "art16_b_name_and_contact_address",
        "art26_1_use_per_instructions",
    ):
        assert before.finding(f"eu_ai_act:{rule}").applies_from == dt.date(2026, 8, 2), rule
        assert after.finding(f"eu_ai_act:{rule}").applies_from == dt.date(2027, 12, 2), rule
    assert before.finding("eu_ai_act:art9_risk_management_system").act == "Regulation (EU) 2024/1689"
    assert after.finding("eu_ai_act:art9_risk_management_system").act == "Regulation (EU) 2026/1744"


def test_annex_i_dates_and_machinery_moving_to_section_b(pack):
    """Art. 113(c) 2024 text: Art. 6(1) obligations from 2 August 2027; as amended, Annex I systems from 2 August
    2028. Regulation (EU) 2026/1744 moved machinery from Annex I Section A (point 1) to Section B (point 21), and
    for Section B products only Art. 6(1), 60a and 102-112 apply (Art. 2(2))."""
    component = {
        **IN_SCOPE,
        **NEW,
        "system.annex_iii_points": [],
        "system.safety_component_or_product": True,
        "system.non_safety_functions_only": False,
        "system.third_party_conformity_assessment": True,
        "system.third_party_assessment_non_safety_only": False,
    }
    before = run(pack, {**component, "system.annex_i_legislation": ["A1_machinery_directive"]}, BEFORE_OMNIBUS)
    assert outcome(before, "art9_risk_management_system") == "yes"
    assert before.finding("eu_ai_act:art9_risk_management_system").applies_from == dt.date(2027, 8, 2)
    after = run(pack, {**component, "system.annex_i_legislation": ["B21_machinery_regulation"]})
    assert outcome(after, "high_risk_annex_i") == "yes"
    assert outcome(after, "art2_2_annex_i_section_b_limited_regime") == "yes"
    assert outcome(after, "art9_risk_management_system") == "no"
    toy = run(pack, {**component, "system.annex_i_legislation": ["A2_toys"]})
    assert toy.finding("eu_ai_act:art9_risk_management_system").applies_from == dt.date(2028, 8, 2)


def test_legacy_cut_off_follows_the_amended_application_date(pack):
    """Art. 111(2): systems placed on the market before the cut-off are covered only after a significant design
    change; public-authority systems must comply by 2 August 2030. 2024 text cut-off 2 August 2026; amended text
    'the date of application of Chapter III' - read as 2 December 2027 for Annex III (fact sheet 9.1, contested)."""
    placed_2027 = {
        **annex_iii(["4a"]),
        **PROFESSIONAL,
        "system.placed_on_market_date": "2027-01-15",
        "system.significant_design_change": False,
        "system.intended_for_public_authorities": False,
    }
    assert outcome(run(pack, placed_2027, BEFORE_OMNIBUS), "art26_1_use_per_instructions") == "yes"
    after = run(pack, placed_2027)
    assert outcome(after, "art111_2_legacy_exemption") == "yes"
    assert outcome(after, "art26_1_use_per_instructions") == "no"
    assert outcome(after, "high_risk") == "yes"  # still high-risk; only the duties are suspended
    changed = run(pack, {**placed_2027, "system.significant_design_change": True})
    assert outcome(changed, "art26_1_use_per_instructions") == "yes"
    # not a component of an Annex X large-scale IT system, which Art. 111(1) gives until 31 December 2030 instead
    public = {
        **placed_2027,
        "system.intended_for_public_authorities": True,
        "system.annex_x_large_scale_it_component": False,
    }
    public = run(pack, public)
    duty = public.finding("eu_ai_act:art26_1_use_per_instructions")
    assert duty.outcome == "yes" and duty.applies_from == dt.date(2030, 8, 2)


def test_fria_for_credit_scoring_but_not_for_a_private_employer(pack):
    """Art. 27(1): deployers of Annex III point 5(b) and 5(c) systems must carry out a fundamental rights impact
    assessment whoever they are; other private deployers only when they provide public services; never for point 2."""
    bank = run(pack, {**annex_iii(["5b"]), **PROFESSIONAL})
    assert outcome(bank, "art27_fundamental_rights_impact_assessment") == "yes"
    employer = run(
        pack,
        {
            **annex_iii(["4a"]),
            **PROFESSIONAL,
            "deployment.by_public_body": False,
            "deployment.private_public_service": False,
        },
    )
    assert outcome(employer, "art27_fundamental_rights_impact_assessment") == "no"
    grid = run(pack, {**annex_iii(["2"]), **PROFESSIONAL, "deployment.by_public_body": True})
    assert outcome(grid, "art27_fundamental_rights_impact_assessment") == "no"
    assert outcome(grid, "art49_1_registration") == "no"
