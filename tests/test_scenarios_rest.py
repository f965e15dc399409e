"""Scenario tests for the UK, Korea, Japan, Canada (Quebec, Ontario), Brazil and India packs.

Each test cites the provision and the fact-sheet section (/work/shared/facts/world.md, sections A4-A9, C1, C2)
from which its expectation is taken.
"""

from __future__ import annotations

import datetime as dt

import pytest
from conftest import make_profile

from regatlas.engine.assess import assess

TODAY = dt.date(2026, 11, 28)


def _run(pack, facts, as_of, instrument):
    return assess(pack, make_profile(pack, facts), as_of, instruments=[instrument])


# --------------------------------------------------------------------------- Korea AI Basic Act

KR_CHATBOT = {
    "system.is_ai_system": True,
    "territory.offered_in": ["KR"],
    "system.exclusively_military_defence_security": False,
    "system.generated_content": ["text"],
    "deployment.internal_business_use_only": False,
}


def test_korea_generative_duties_apply_only_from_22_january_2026(pack):
    """AI Basic Act Art. 31(1)-(2); promulgated 2025-01-21, in force 2026-01-22 (fact sheet A5, C1): a generative
    chatbot offered in Korea owes advance notice and output labelling, enacted before but applicable only from
    the entry-into-force date."""
    before = _run(pack, KR_CHATBOT, dt.date(2025, 12, 1), "kr_ai_basic_act")
    after = _run(pack, KR_CHATBOT, dt.date(2026, 2, 1), "kr_ai_basic_act")
    for rule in ("art31_1_advance_notice", "art31_2_label_generative_output"):
        b, a = before.finding(f"kr_ai_basic_act:{rule}"), after.finding(f"kr_ai_basic_act:{rule}")
        assert (b.outcome, b.applies_from, b.in_effect) == ("yes", dt.date(2026, 1, 22), False)
        assert (a.outcome, a.in_effect) == ("yes", True)


def test_korea_no_fines_during_the_grace_period(pack):
    """AI Basic Act Art. 43 with MSIT's guidance period of at least one year from 2026-01-22 (fact sheet A5
    'Penalties', C2): a missing advance notice is fineable only after the grace period, i.e. not before
    2027-01-22."""
    fine = "kr_ai_basic_act:art43_fine_exposure"
    during = _run(pack, KR_CHATBOT, dt.date(2026, 6, 1), "kr_ai_basic_act").finding(fine)
    assert (during.outcome, during.applies_from, during.in_effect) == ("yes", dt.date(2027, 1, 22), False)
    assert during.status == "unverified"  # the end of the grace period is not fixed by the sources
    after = _run(pack, KR_CHATBOT, dt.date(2027, 3, 1), "kr_ai_basic_act").finding(fine)
    assert (after.outcome, after.in_effect) == ("yes", True)


def test_korea_domestic_agent_thresholds(pack):
    """AI Basic Act Art. 36 and Enforcement Decree (fact sheet A5, C2): a foreign operator without a Korean
    office designates a domestic agent if revenue > KRW 1 trillion, AI revenue > KRW 10 billion or > 1 million
    average daily users; strict 'more than'."""
    base = {**KR_CHATBOT, "operator.established_in": ["US"], "operator.annual_revenue_krw": 5e10}
    small = {**base, "operator.ai_service_revenue_krw": 1e10, "operator.average_daily_users_korea": 1_000_000}
    big_users = {**small, "operator.average_daily_users_korea": 1_000_001}
    korean = {**big_users, "operator.established_in": ["KR"]}
    outcomes = [
        _run(pack, f, TODAY, "kr_ai_basic_act").finding("kr_ai_basic_act:art36_domestic_agent").outcome
        for f in (small, big_users, korean)
    ]
    assert outcomes == ["no", "yes", "no"]


def test_korea_compute_threshold_is_distinct_from_high_impact(pack):
    """AI Basic Act Art. 32 (>= 10^26 FLOP) vs Art. 2(4) high-impact AI (fact sheet A5, D2 conflict: the press
    conflates the two): a 2e26 FLOP general chatbot owes the Art. 32 duties but is not high-impact AI."""
    facts = {
        **KR_CHATBOT,
        "model.training_compute_flop": 2e26,
        "system.safety_critical_uses": [],
        "system.decision_areas": [],
    }
    a = _run(pack, facts, TODAY, "kr_ai_basic_act")
    assert a.finding("kr_ai_basic_act:art32_high_compute_safety").outcome == "yes"
    assert a.finding("kr_ai_basic_act:high_impact_ai").outcome == "no"
    assert a.finding("kr_ai_basic_act:art34_high_impact_measures").outcome == "no"


# --------------------------------------------------------------------------- UK GDPR Arts. 22A-22D

UK_ADM = {
    "operator.established_in": ["GB"],
    "deployment.processes_personal_data": True,
    "deployment.solely_automated_decisions": True,
    "deployment.significant_decisions": True,
    "deployment.special_category_data_in_decisions": False,
    "deployment.automated_decision_grounds": ["recognised_legitimate_interests"],
}


def test_uk_adm_regime_changes_on_5_february_2026(pack):
    """DUAA 2025 s. 80 and Sch. 6, commenced 2026-02-05 by SI 2026/82 (fact sheet A4.2): before, the former
    Art. 22(1) prohibition applies and Arts. 22A-22C are not in force; after, Art. 22 is gone and the Art. 22C
    safeguards apply to every solely automated significant decision."""
    before = _run(pack, UK_ADM, dt.date(2026, 2, 4), "gb_uk_gdpr_adm")
    assert before.finding("gb_uk_gdpr_adm:art22_1_prohibition").outcome == "yes"
    with pytest.raises(KeyError):
        before.finding("gb_uk_gdpr_adm:art22c_human_intervention")
    assert "art22c_human_intervention" in {n.rule_id for n in before.not_in_force}

    after = _run(pack, UK_ADM, dt.date(2026, 2, 5), "gb_uk_gdpr_adm")
    with pytest.raises(KeyError):
        after.finding("gb_uk_gdpr_adm:art22_1_prohibition")
    for rule in ("art22c_information", "art22c_representations", "art22c_human_intervention", "art22c_contest"):
        assert after.finding(f"gb_uk_gdpr_adm:{rule}").outcome == "yes"


def test_uk_22b_restrictions(pack):
    """UK GDPR Art. 22B (fact sheet A4.2 [H]): no solely automated significant decision on the recognised-
    legitimate-interests basis; special-category data only with explicit consent, or contract/law plus
    substantial public interest; a contract-based decision on ordinary data is permitted with safeguards."""
    a = _run(pack, UK_ADM, TODAY, "gb_uk_gdpr_adm")
    assert a.finding("gb_uk_gdpr_adm:art22b_recognised_legitimate_interests").outcome == "yes"
    health_contract = {
        **UK_ADM,
        "deployment.special_category_data_in_decisions": True,
        "deployment.automated_decision_grounds": ["contract"],
    }
    b = _run(pack, health_contract, TODAY, "gb_uk_gdpr_adm")
    assert b.finding("gb_uk_gdpr_adm:art22b_special_category_restriction").outcome == "yes"
    with_spi = {**health_contract, "deployment.automated_decision_grounds": ["contract", "substantial_public_interest"]}
    c = _run(pack, with_spi, TODAY, "gb_uk_gdpr_adm")
    assert c.finding("gb_uk_gdpr_adm:art22b_special_category_restriction").outcome == "no"
    assert c.finding("gb_uk_gdpr_adm:art22b_recognised_legitimate_interests").outcome == "no"
    assert c.finding("gb_uk_gdpr_adm:art22c_contest").outcome == "yes"


def test_uk_online_safety_act_chatbot_exclusion_and_dates(pack):
    """Online Safety Act 2023 (fact sheet A4.3): illegal-content duties from 2025-03-17, children's duties from
    2025-07-25; a standalone one-to-one chatbot that does not search is outside the Act (Ofcom, Dec 2025)."""
    platform = {
        "territory.offered_in": ["GB"],
        "system.user_to_user_service": True,
        "deployment.likely_accessed_by_children": True,
    }
    a = _run(pack, platform, dt.date(2025, 5, 1), "gb_online_safety_act")
    illegal = a.finding("gb_online_safety_act:illegal_content_duties")
    children = a.finding("gb_online_safety_act:children_safety_duties")
    assert (illegal.outcome, illegal.in_effect) == ("yes", True)
    assert (children.outcome, children.applies_from, children.in_effect) == ("yes", dt.date(2025, 7, 25), False)
    chatbot = {"territory.offered_in": ["GB"], "system.user_to_user_service": False, "system.search_service": False}
    b = _run(pack, chatbot, TODAY, "gb_online_safety_act")
    assert b.finding("gb_online_safety_act:illegal_content_duties").outcome == "no"


def test_uk_white_paper_is_soft_law_without_rules(pack):
    """A pro-innovation approach to AI regulation (CP 815) and the 2024-02-06 response (fact sheet A4.1): five
    non-statutory principles applied by regulators; nothing binds an operator."""
    paper = pack.instruments["gb_ai_white_paper"]
    meta = paper.meta.instrument
    assert (meta.binding_force, meta.kind) == ("soft_law", "policy")
    assert len(meta.principles) == 5 and "Contestability and redress" in meta.principles
    assert paper.rules == {}


# --------------------------------------------------------------------------- Canada


def test_quebec_automated_decision_notice(pack):
    """Quebec P-39.1 s. 12.1 (Law 25), in force 2023-09-22 (fact sheet A7.2): an enterprise rendering a decision
    based exclusively on automated processing of personal information informs the person, at the latest when it
    informs them of the decision; human-reviewed decisions are not covered."""
    facts = {
        "operator.established_in": ["CA-QC"],
        "operator.public_authority": False,
        "deployment.processes_personal_data": True,
        "deployment.solely_automated_decisions": True,
    }
    early = _run(pack, facts, dt.date(2023, 6, 1), "ca_qc_law25_adm").finding("s12_1_inform_of_automated_decision")
    assert (early.outcome, early.applies_from, early.in_effect) == ("yes", dt.date(2023, 9, 22), False)
    now = _run(pack, facts, TODAY, "ca_qc_law25_adm")
    assert now.finding("ca_qc_law25_adm:s12_1_inform_of_automated_decision").in_effect is True
    assert now.finding("ca_qc_law25_adm:s12_1_on_request_information_and_observations").outcome == "yes"
    human = _run(pack, {**facts, "deployment.solely_automated_decisions": False}, TODAY, "ca_qc_law25_adm")
    assert human.finding("ca_qc_law25_adm:s12_1_inform_of_automated_decision").outcome == "no"


@pytest.mark.parametrize(
    ("employees", "as_of", "outcome", "in_effect"),
    [
        (20, dt.date(2026, 3, 1), "no", None),
        (30, dt.date(2026, 3, 1), "yes", True),
        (30, dt.date(2025, 12, 31), "yes", False),
    ],
)
def test_ontario_job_posting_ai_disclosure(pack, employees, as_of, outcome, in_effect):
    """Ontario ESA s. 8.4(1) and O. Reg. 476/24 s. 1 (fact sheet A7.3; ontario.ca text of the regulation): from
    2026-01-01 an employer with 25 or more employees discloses AI screening in publicly advertised job postings;
    an employer with fewer than 25 is exempt."""
    facts = {
        "system.is_ai_system": True,
        "territory.used_in": ["CA-ON"],
        "deployment.publicly_advertised_job_posting": True,
        "deployment.screens_assesses_or_selects_applicants": True,
        "operator.employees": employees,
    }
    f = _run(pack, facts, as_of, "ca_on_esa_ai_job_postings").finding("s8_4_ai_disclosure_in_job_posting")
    assert f.outcome == outcome
    if outcome == "yes":
        assert (f.applies_from, f.in_effect) == (dt.date(2026, 1, 1), in_effect)


def test_bills_produce_no_obligations(pack):
    """AIDA (Bill C-27 Part 3) died on the Order Paper on 2025-01-06 (fact sheet A7.1); Bill C-36 is at first
    reading (A7.1); Brazil's PL 2338/2023 passed the Senate on 2024-12-10 and is pending in the Chamber (A8). None
    is law, so none yields a finding, even for a high-risk hiring system offered in both countries."""
    facts = {
        "system.is_ai_system": True,
        "territory.offered_in": ["CA", "BR"],
        "system.decision_areas": ["employment"],
    }
    for instrument in ("ca_aida", "ca_bill_c36", "br_pl_2338"):
        meta = pack.instruments[instrument].meta.instrument
        assert meta.binding_force == "bill"
        a = _run(pack, facts, TODAY, instrument)
        assert a.findings == [] and a.not_in_force == []
    assert pack.instruments["ca_aida"].meta.instrument.status_on(dt.date(2024, 6, 1)) == "pending"
    assert pack.instruments["ca_aida"].meta.instrument.status_on(TODAY) == "lapsed"
    assert pack.instruments["br_pl_2338"].meta.instrument.status_on(TODAY) == "pending"


# --------------------------------------------------------------------------- Japan


def test_japan_effort_duty_without_penalty(pack):
    """Japan AI Promotion Act (Act No. 53 of 2025) Art. 7, in force 2025-06-04 (fact sheet A6): business operators
    owe a duty of effort to cooperate with government measures; no prohibitions and no fines."""
    facts = {"system.is_ai_system": True, "territory.offered_in": ["JP"]}
    f = _run(pack, facts, TODAY, "jp_ai_promotion_act").finding("jp_ai_promotion_act:art7_business_operator_effort")
    assert (f.outcome, f.applies_from, f.penalty) == ("yes", dt.date(2025, 6, 4), None)
    meta = pack.instruments["jp_ai_promotion_act"].meta.instrument
    assert meta.binding_force == "binding_law" and "without penalties" in meta.note
    assert not any(r.rule.kind == "prohibition" for r in pack.instruments["jp_ai_promotion_act"].rules.values())
    with pytest.raises(KeyError):
        _run(pack, facts, dt.date(2025, 5, 1), "jp_ai_promotion_act").finding("art7_business_operator_effort")


# --------------------------------------------------------------------------- India


def test_india_sgi_labelling_from_20_february_2026(pack):
    """IT Amendment Rules 2026, G.S.R. 120(E), notified 2026-02-10, in force 2026-02-20 (fact sheet A9.1; D2
    rejects the 2025-11-15 date): an intermediary offering a realistic video generator in India must label SGI and
    embed metadata from 2026-02-20; in November 2025 no SGI rule is in force."""
    facts = {
        "territory.offered_in": ["IN"],
        "system.intermediary_service": True,
        "system.generates_deep_fakes": True,
        "system.standard_editing_only": False,
    }
    for day in (dt.date(2025, 11, 20), dt.date(2026, 2, 19)):
        before = _run(pack, facts, day, "in_it_rules_sgi")
        with pytest.raises(KeyError):
            before.finding("in_it_rules_sgi:r3_3_label_and_metadata")
    after = _run(pack, facts, dt.date(2026, 2, 20), "in_it_rules_sgi")
    f = after.finding("in_it_rules_sgi:r3_3_label_and_metadata")
    assert (f.outcome, f.in_effect) == ("yes", True)


def test_india_takedown_deadline_shortened(pack):
    """IT Rules 2021 as amended by G.S.R. 120(E) (fact sheet A9.1, C2): takedown on court or government order
    within 36 hours before 2026-02-20 and within 3 hours from that day; the rule is marked unverified because its
    number is background knowledge."""
    facts = {"territory.offered_in": ["IN"], "system.intermediary_service": True}
    old = _run(pack, facts, dt.date(2026, 2, 19), "in_it_rules_sgi").finding("r3_1_d_takedown_on_order")
    new = _run(pack, facts, dt.date(2026, 2, 20), "in_it_rules_sgi").finding("r3_1_d_takedown_on_order")
    assert old.outcome == new.outcome == "yes"
    assert (old.version_to, new.version_from) == (dt.date(2026, 2, 19), dt.date(2026, 2, 20))
    assert old.status == new.status == "unverified"


def test_brazil_pl_2338_shows_the_senate_passage_and_the_chamber_stage(pack):
    """Brazil PL 2338/2023: approved by the Federal Senate on 2024-12-10 and pending in the Chamber of Deputies
    (Senate bill page, www25.senado.leg.br materia 157233). The last step shown is the Senate's passage, not an
    'introduced' event; the bill is still not law."""
    from regatlas.world.status import describe_status

    meta = pack.instruments["br_pl_2338"].meta.instrument
    day = dt.date(2026, 11, 28)
    assert meta.status_on(day) == "pending"
    assert "passed chamber 2024-12-10" in describe_status(meta, day)
    assert "Chamber of Deputies" in next(e.note for e in meta.status if e.event == "passed_chamber")
    assert [e.event for e in meta.status] == ["introduced", "passed_chamber"]


def test_italy_law_132_2025_alongside_the_ai_act(pack):
    """Italy, Law No. 132 of 23 September 2025 (Gazzetta Ufficiale No. 223 of 2025-09-25, in force 2025-10-10;
    Lexia, Andersen, Toffoletto De Luca summaries): an employer in Milan screening CVs with AI must inform workers;
    a law firm must tell clients about the AI it uses; a face-swap app offered in Italy makes content whose
    non-consensual dissemination is the new offence of Criminal Code Art. 612-quater. Before 2025-10-10 the duties
    are law but do not apply."""
    facts = {
        "territory.used_in": ["IT"],
        "system.decision_areas": ["employment"],
        "operator.intellectual_profession": True,
        "system.generates_deep_fakes": True,
    }
    a = assess(pack, make_profile(pack, facts), TODAY, ["it_law_132_2025"])
    for rule in (
        "art11_worker_information",
        "art13_professional_client_information",
        "art26_unlawful_deepfake_dissemination",
    ):
        f = a.finding(f"it_law_132_2025:{rule}")
        assert (f.outcome, f.in_effect, f.applies_from) == ("yes", True, dt.date(2025, 10, 10)), rule
    early = assess(pack, make_profile(pack, facts), dt.date(2025, 10, 1), ["it_law_132_2025"])
    assert early.finding("it_law_132_2025:art11_worker_information").in_effect is False
    assert (
        "it_law_132_2025"
        not in assess(pack, make_profile(pack, {**facts, "territory.used_in": ["ES"]}), TODAY).instruments
    )


def test_vietnam_ai_law_risk_classes_and_labels(pack):
    """Vietnam Law No. 134/2025/QH15 (adopted 2025-12-10, in force 2026-03-01; Digital Policy Alert, PracticeSource):
    a credit-scoring system is high-risk and needs portal notice and conformity assessment; an image generator must
    carry machine-readable labels (Art. 11); a back-office forecaster is low-risk with no notice duty."""
    base = {
        "territory.used_in": ["VN"],
        "system.is_ai_system": True,
        "system.exclusively_military_defence_security": False,
    }
    scoring = assess(pack, make_profile(pack, {**base, "system.vn_high_risk": True}), TODAY, ["vn_ai_law_2025"])
    assert scoring.finding("vn_ai_law_2025:high_risk").outcome == "yes"
    assert scoring.finding("vn_ai_law_2025:portal_notification").outcome == "yes"
    generator = {
        **base,
        "system.vn_high_risk": False,
        "system.generated_content": ["image"],
        "system.interacts_with_natural_persons": False,
    }
    g = assess(pack, make_profile(pack, generator), TODAY, ["vn_ai_law_2025"])
    assert g.finding("vn_ai_law_2025:art11_labels_and_ai_notice").outcome == "yes"
    backend = {**generator, "system.generated_content": []}
    b = assess(pack, make_profile(pack, backend), TODAY, ["vn_ai_law_2025"])
    assert b.finding("vn_ai_law_2025:portal_notification").outcome == "no"
    early = assess(pack, make_profile(pack, generator), dt.date(2026, 2, 1), ["vn_ai_law_2025"])
    assert early.finding("vn_ai_law_2025:art11_labels_and_ai_notice").in_effect is False


def test_kazakhstan_ai_law_labels_synthetic_output(pack):
    """Kazakhstan Law No. 230-VIII (signed 2025-11-17, in force 2026-01-18), Art. 21(2) as quoted by Factcheck.kz:
    synthetic outputs may be disseminated only with a machine-readable mark and a perceivable warning."""
    facts = {"territory.used_in": ["KZ"], "system.is_ai_system": True, "system.generated_content": ["video"]}
    a = assess(pack, make_profile(pack, facts), TODAY, ["kz_ai_law_2025"])
    f = a.finding("kz_ai_law_2025:art21_2_label_synthetic_outputs")
    assert (f.outcome, f.in_effect, f.applies_from) == ("yes", True, dt.date(2026, 1, 18))
