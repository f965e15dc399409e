"""Scenario tests for the California, Colorado and New York packs, from the statutes and official summaries.

Sources: California SB 53 (Bus. & Prof. Code §§ 22757.11-22757.13, Labor Code § 1107.1); SB 942 as amended by
AB 853 (Bus. & Prof. Code §§ 22757.1-22757.3.3, § 22757.6); AB 2013 (Civil Code § 3111); Colorado SB 24-205,
SB 25B-004 and SB 26-189 (C.R.S. 6-1-1701 et seq., bill pages on leg.colorado.gov, the Attorney General's page
coag.gov/resources/ai); New York RAISE Act (Gen. Bus. Law §§ 1420-1428 as amended by Chapter 96 of 2026).
"""

from __future__ import annotations

import datetime as dt

import pytest
from conftest import make_profile

from regatlas.engine.assess import assess

FRONTIER_MODEL = {"model.general_purpose": True, "model.training_compute_flop": 3e26, "model.trained_by_operator": True}
LARGE = 2e9
SMALL = 1.2e8

SB53_ALL_FRONTIER = [
    "transparency_report",
    "no_false_statements",
    "critical_safety_incident_report",
    "imminent_risk_incident_disclosure",
    "whistleblower_protection",
]
SB53_LARGE_ONLY = [
    "frontier_ai_framework",
    "transparency_report_risk_summary",
    "internal_use_risk_summaries",
    "anonymous_internal_reporting",
]


def outcomes(a, instrument, rules):
    return {r: a.finding(f"{instrument}:{r}").outcome for r in rules}


def sb53(pack, facts, as_of=dt.date(2026, 11, 28)):
    return assess(pack, make_profile(pack, {"territory.offered_in": ["US-CA"], **facts}), as_of, ["us_ca_sb53"])


# --------------------------------------------------------------------------- California SB 53


def test_sb53_large_frontier_developer_bears_every_duty(pack):
    """Bus. & Prof. Code § 22757.11 (frontier model > 10^26 operations; large frontier developer > USD 500 million
    revenue), § 22757.12(a), (c), (d), (e), § 22757.13(c), Labor Code § 1107.1(a)-(e)."""
    a = sb53(pack, {**FRONTIER_MODEL, "operator.annual_revenue_usd": LARGE})
    assert set(outcomes(a, "us_ca_sb53", SB53_ALL_FRONTIER + SB53_LARGE_ONLY).values()) == {"yes"}
    framework = a.finding("us_ca_sb53:frontier_ai_framework")
    assert framework.applies_from == dt.date(2026, 1, 1) and framework.in_effect is True


def test_sb53_developer_below_revenue_threshold_gets_only_frontier_developer_duties(pack):
    """§ 22757.11: a frontier developer with USD 120 million revenue is not a large frontier developer. It must still
    publish the basic transparency report (§ 22757.12(c)(1)), report critical safety incidents within 15 days
    (§ 22757.13(c)(1)) and respect whistleblower protections (Labor Code § 1107.1(a)-(d)), but has no frontier AI
    framework (§ 22757.12(a)), no OES internal-use summaries (§ 22757.12(d)) and no anonymous channel (§ 1107.1(e))."""
    a = sb53(pack, {**FRONTIER_MODEL, "operator.annual_revenue_usd": SMALL})
    assert set(outcomes(a, "us_ca_sb53", SB53_ALL_FRONTIER).values()) == {"yes"}
    assert set(outcomes(a, "us_ca_sb53", SB53_LARGE_ONLY).values()) == {"no"}


@pytest.mark.parametrize(
    ("compute", "expected"),
    [(1e26, "no"), (1.0000001e26, "yes"), (9e25, "no")],
)
def test_sb53_compute_threshold_is_strictly_greater_than_1e26(pack, compute, expected):
    """§ 22757.11: a frontier model is trained using "greater than 10^26 integer or floating-point operations"."""
    a = sb53(pack, {**FRONTIER_MODEL, "model.training_compute_flop": compute, "operator.annual_revenue_usd": LARGE})
    assert a.finding("us_ca_sb53:sb53_scope").outcome == expected
    assert a.finding("us_ca_sb53:frontier_ai_framework").outcome == expected


def test_sb53_revenue_threshold_and_unknown_revenue(pack):
    """§ 22757.11: "more than five hundred million dollars" - exactly USD 500 million is not large; with revenue
    unknown the framework duty is unknown and asks for it, while the all-developer duties stay settled."""
    exact = sb53(pack, {**FRONTIER_MODEL, "operator.annual_revenue_usd": 5e8})
    assert exact.finding("us_ca_sb53:frontier_ai_framework").outcome == "no"
    unknown = sb53(pack, FRONTIER_MODEL)
    framework = unknown.finding("us_ca_sb53:frontier_ai_framework")
    assert framework.outcome == "unknown" and "operator.annual_revenue_usd" in framework.missing
    assert unknown.finding("us_ca_sb53:critical_safety_incident_report").outcome == "yes"


def test_sb53_before_2026_enacted_not_yet_applicable(pack):
    """SB 53 signed 2025-09-29 (Stats. 2025, Ch. 138), effective 2026-01-01 (fact sheet A3.4(a), D2)."""
    a = sb53(pack, {**FRONTIER_MODEL, "operator.annual_revenue_usd": LARGE}, dt.date(2025, 11, 1))
    report = a.finding("us_ca_sb53:critical_safety_incident_report")
    assert report.outcome == "yes" and report.in_effect is False and report.applies_from == dt.date(2026, 1, 1)


# --------------------------------------------------------------------------- California SB 942 / AB 853

GENERATOR = {
    "system.generated_content": ["image", "text"],
    "system.monthly_users": 4_000_000,
    "territory.offered_in": ["US-CA"],
}
SB942_PROVIDER = [
    "ai_detection_tool",
    "manifest_disclosure_option",
    "latent_disclosure",
    "licensee_disclosure_capability",
]


def sb942(pack, facts, as_of):
    return assess(pack, make_profile(pack, facts), as_of, ["us_ca_sb942"])


def test_sb942_as_enacted_applied_from_2026_01_01(pack):
    """SB 942 (Stats. 2024, Ch. 291), § 22757.6 as enacted: operative 1 January 2026. As of a date before AB 853
    (signed 2025-10-13) the covered-provider duties apply from that original date."""
    a = sb942(pack, GENERATOR, dt.date(2025, 9, 1))
    for rule in SB942_PROVIDER:
        f = a.finding(f"us_ca_sb942:{rule}")
        assert (f.outcome, f.applies_from, f.act) == ("yes", dt.date(2026, 1, 1), "SB 942")


def test_sb942_after_ab853_not_in_effect_before_2026_08_02(pack):
    """AB 853 (Stats. 2025, Ch. 674) moved the operative date to 2 August 2026 (fact sheet A3.4(c), D1.3): on
    2026-07-01 the duties exist but are not yet in effect."""
    a = sb942(pack, GENERATOR, dt.date(2026, 7, 1))
    for rule in SB942_PROVIDER:
        f = a.finding(f"us_ca_sb942:{rule}")
        assert (f.outcome, f.applies_from, f.in_effect, f.act) == ("yes", dt.date(2026, 8, 2), False, "AB 853")


def test_sb942_in_effect_after_2026_08_02_and_user_threshold(pack):
    """§ 22757.1: covered provider = GenAI system with over 1,000,000 monthly visitors or users, publicly accessible
    in California; § 22757.2(a) detection tool in effect after 2 August 2026."""
    a = sb942(pack, GENERATOR, dt.date(2026, 8, 3))
    assert a.finding("us_ca_sb942:ai_detection_tool").in_effect is True
    small = sb942(pack, {**GENERATOR, "system.monthly_users": 1_000_000}, dt.date(2026, 8, 3))
    assert small.finding("us_ca_sb942:ai_detection_tool").outcome == "no"


def test_sb942_platform_and_device_phases(pack):
    """AB 853: large online platforms (> 2,000,000 unique monthly users) from 2027-01-01 (§ 22757.3.1); capture
    devices from 2028-01-01 (§ 22757.3.3); neither duty existed before AB 853 was enacted."""
    facts = {
        "operator.operates_content_platform": True,
        "operator.platform_monthly_users": 3e7,
        "territory.offered_in": ["US-CA"],
        "operator.capture_device_manufacturer": True,
    }
    a = sb942(pack, facts, dt.date(2026, 11, 28))
    platform = a.finding("us_ca_sb942:large_online_platform_provenance")
    device = a.finding("us_ca_sb942:capture_device_latent_disclosure")
    assert (platform.outcome, platform.applies_from, platform.in_effect) == ("yes", dt.date(2027, 1, 1), False)
    assert (device.outcome, device.applies_from, device.in_effect) == ("yes", dt.date(2028, 1, 1), False)
    before = sb942(pack, facts, dt.date(2025, 6, 1))
    with pytest.raises(KeyError):
        before.finding("us_ca_sb942:large_online_platform_provenance")
    assert "large_online_platform_provenance" in {n.rule_id for n in before.not_in_force}


# --------------------------------------------------------------------------- California AB 2013


def test_ab2013_training_data_documentation(pack):
    """Civil Code § 3111 (AB 2013): developers of GenAI systems released on or after 2022-01-01 and made publicly
    available to Californians post training-data documentation by 2026-01-01; security-only systems are excluded."""
    chatbot = {
        "system.generated_content": ["text"],
        "system.placed_on_market_date": "2024-03-01",
        "territory.offered_in": ["US-CA"],
        "system.security_aviation_or_federal_defence_only": False,
    }
    a = assess(pack, make_profile(pack, chatbot), dt.date(2026, 11, 28), ["us_ca_ab2013"])
    f = a.finding("us_ca_ab2013:training_data_documentation")
    assert (f.outcome, f.in_effect) == ("yes", True)
    excluded = {**chatbot, "system.security_aviation_or_federal_defence_only": True}
    b = assess(pack, make_profile(pack, excluded), dt.date(2026, 11, 28), ["us_ca_ab2013"])
    assert b.finding("us_ca_ab2013:training_data_documentation").outcome == "no"


# --------------------------------------------------------------------------- Colorado

HIRING_CO = {"territory.used_in": ["US-CO"], "system.decision_areas": ["employment"]}
CO_OLD = ["developer_duties", "deployer_risk_management_impact_assessment", "deployer_consumer_notice_adverse_decision"]
CO_NEW = ["developer_documentation", "developer_record_retention", "deployer_notice", "adverse_outcome_explanation"]


def colorado(pack, as_of):
    return assess(pack, make_profile(pack, HIRING_CO), as_of, ["us_co_sb24_205", "us_co_sb26_189"])


def test_colorado_ai_act_as_enacted_and_after_the_delay(pack):
    """SB 24-205 (signed 2024-05-17) was to apply from 2026-02-01; SB 25B-004 (signed 2025-08-28) delayed it to
    2026-06-30 (fact sheet A3.1). As of 2026-03-01 the duties are law but apply from 2026-06-30."""
    enacted = colorado(pack, dt.date(2025, 6, 1))
    assert {enacted.finding(f"us_co_sb24_205:{r}").applies_from for r in CO_OLD} == {dt.date(2026, 2, 1)}
    delayed = colorado(pack, dt.date(2026, 3, 1))
    for rule in CO_OLD:
        f = delayed.finding(f"us_co_sb24_205:{rule}")
        assert (f.outcome, f.applies_from, f.in_effect, f.act) == ("yes", dt.date(2026, 6, 30), False, "SB 25B-004")


def test_colorado_ai_act_repealed_before_it_applied_and_sb26_189_pending(pack):
    """SB 26-189 (signed 2026-05-14) repealed and re-enacted the Act, effective 2027-01-01; SB 24-205's obligations
    never took effect (fact sheet A3.1, D1.2). As of 2026-11-28 the old rules are not in force and the new duties
    apply from 2027-01-01 but not yet."""
    a = colorado(pack, dt.date(2026, 11, 28))
    ended = {n.rule_id: n.ended for n in a.not_in_force if n.instrument_id == "us_co_sb24_205"}
    assert set(CO_OLD) <= set(ended) and set(ended.values()) == {dt.date(2026, 5, 13)}
    with pytest.raises(KeyError):
        a.finding("us_co_sb24_205:developer_duties")
    assert a.instruments["us_co_sb24_205"].meta.instrument.status_on(a.as_of) == "replaced"
    for rule in CO_NEW:
        f = a.finding(f"us_co_sb26_189:{rule}")
        assert (f.outcome, f.applies_from, f.in_effect) == ("yes", dt.date(2027, 1, 1), False)


def test_colorado_sb26_189_in_effect_in_2027(pack):
    """SB 26-189 applies from 2027-01-01: adverse-outcome explanation within 30 days, records kept >= 3 years
    (fact sheet C2)."""
    a = colorado(pack, dt.date(2027, 2, 1))
    assert all(a.finding(f"us_co_sb26_189:{r}").in_effect for r in CO_NEW)
    params = a.instruments["us_co_sb26_189"]
    assert params.param_at("adverse_outcome_explanation_days", a.as_of) == 30
    assert params.param_at("developer_record_retention_years", a.as_of) == 3
    assert params.param_at("cure_period_days", a.as_of) == 60
    outside = assess(pack, make_profile(pack, {**HIRING_CO, "system.decision_areas": []}), a.as_of, ["us_co_sb26_189"])
    assert outside.finding("us_co_sb26_189:adverse_outcome_explanation").outcome == "no"


def test_colorado_sb26_189_seven_domains_leave_legal_services_out(pack):
    """SB 26-189 bill summary (https://leg.colorado.gov/bills/sb26-189) and the House sponsors' release of
    2026-05-12: consequential decisions concern education, employment, housing, financial or lending services,
    insurance, health care services or essential government services - seven domains. A legal-services intake tool
    (covered by SB 24-205) is outside, so none of the duties reach it."""
    facts = {"territory.used_in": ["US-CO"], "system.decision_areas": ["legal_services"]}
    a = assess(pack, make_profile(pack, facts), dt.date(2027, 2, 1), ["us_co_sb26_189"])
    assert a.finding("us_co_sb26_189:covered_admt").outcome == "no"
    assert {a.finding(f"us_co_sb26_189:{r}").outcome for r in CO_NEW} == {"no"}


def test_colorado_sb26_189_deployers_keep_records_too(pack):
    """SB 26-189 bill summary: "Both developers and deployers must keep records for at least three years to prove
    compliance." The record-keeping duty is addressed to the deployer as well as the developer."""
    a = colorado(pack, dt.date(2027, 2, 1))
    rule = a.instruments["us_co_sb26_189"].rules["developer_record_retention"]
    assert {"provider", "deployer"} <= set(rule.rule.addressee)
    assert a.finding("us_co_sb26_189:developer_record_retention").outcome == "yes"


# --------------------------------------------------------------------------- New York RAISE Act


def raise_act(pack, revenue, as_of):
    facts = {
        **FRONTIER_MODEL,
        "territory.offered_in": ["US-NY"],
        "operator.annual_revenue_usd": revenue,
        "operator.ny_academic_research_institution": False,
    }
    return assess(pack, make_profile(pack, facts), as_of, ["us_ny_raise"])


def test_raise_before_2027_enacted_not_in_effect(pack):
    """RAISE Act signed 2025-12-19, chapter amendment ~2026-03-27, effective 2027-01-01 (fact sheet A3.5)."""
    a = raise_act(pack, LARGE, dt.date(2026, 11, 28))
    for rule in ("frontier_ai_framework", "critical_safety_incident_report"):
        f = a.finding(f"us_ny_raise:{rule}")
        assert (f.outcome, f.applies_from, f.in_effect) == ("yes", dt.date(2027, 1, 1), False)


def test_raise_after_2027_large_and_small_developers(pack):
    """Gen. Bus. Law § 1421(1): large frontier developers publish a frontier AI framework; § 1422(3)(a): every
    frontier developer reports critical safety incidents within 72 hours; § 1420: > USD 500 million revenue."""
    big = raise_act(pack, LARGE, dt.date(2027, 2, 1))
    assert big.finding("us_ny_raise:frontier_ai_framework").in_effect is True
    assert big.instruments["us_ny_raise"].param_at("incident_report_hours", big.as_of) == 72
    small = raise_act(pack, SMALL, dt.date(2027, 2, 1))
    assert small.finding("us_ny_raise:frontier_ai_framework").outcome == "no"
    report = small.finding("us_ny_raise:critical_safety_incident_report")
    assert (report.outcome, report.in_effect) == ("yes", True)


def test_raise_transparency_report_for_every_frontier_developer(pack):
    """Gen. Bus. Law § 1421(3) (as amended by Chapter 96 of 2026, signed 2026-03-27): before or when deploying a new
    or substantially modified frontier model, every frontier developer - large or not - publishes a transparency
    report."""
    for revenue in (LARGE, SMALL):
        f = raise_act(pack, revenue, dt.date(2027, 2, 1)).finding("us_ny_raise:transparency_report_before_deployment")
        assert (f.outcome, f.in_effect, f.act) == ("yes", True, "Chapter 96 of 2026 (S8828/A9449)")


def test_raise_academic_research_exemption(pack):
    """Gen. Bus. Law § 1426: the article does not apply to accredited New York colleges and universities engaging in
    academic research on AI models; when that is not known, the developer's status stays open."""
    facts = {**FRONTIER_MODEL, "territory.offered_in": ["US-NY"], "operator.annual_revenue_usd": LARGE}
    university = assess(
        pack,
        make_profile(pack, {**facts, "operator.ny_academic_research_institution": True}),
        dt.date(2027, 2, 1),
        ["us_ny_raise"],
    )
    assert university.finding("us_ny_raise:critical_safety_incident_report").outcome == "no"
    assert university.finding("us_ny_raise:frontier_ai_framework").outcome == "no"
    unknown = assess(pack, make_profile(pack, facts), dt.date(2027, 2, 1), ["us_ny_raise"])
    finding = unknown.finding("us_ny_raise:raise_scope")
    assert finding.outcome == "unknown"
    assert "operator.ny_academic_research_institution" in finding.missing


def test_raise_not_for_a_model_only_in_california(pack):
    """§ 1428(1) (developed, deployed or operated in whole or in part in New York): a California-only developer is
    outside the RAISE Act but inside SB 53."""
    facts = {
        **FRONTIER_MODEL,
        "territory.offered_in": ["US-CA"],
        "territory.used_in": ["US-CA"],
        "operator.established_in": ["US-CA"],
        "operator.annual_revenue_usd": LARGE,
    }
    a = assess(pack, make_profile(pack, facts), dt.date(2027, 2, 1), ["us_ny_raise", "us_ca_sb53"])
    assert "us_ny_raise" not in a.instruments  # the profile's places do not touch New York at all
    assert a.finding("us_ca_sb53:sb53_scope").outcome == "yes"


# --------------------------------------------------------------------------- California SB 243 (companion chatbots)

COMPANION_CA = {
    "territory.offered_in": ["US-CA"],
    "system.companion_chatbot": True,
    "system.ai_interaction_obvious": False,
    "deployment.user_known_minor": True,
}


def test_sb243_companion_app_duties_from_2026(pack):
    """SB 243 (Chapter 677, Statutes of 2025, effective 2026-01-01), Bus. & Prof. Code § 22602: a human-like AI
    companion used by a known 15-year-old must say it is not human, keep a crisis-referral protocol, remind the minor
    every three hours to take a break, and (§ 22603) report to the Office of Suicide Prevention from 2027-07-01."""
    before = assess(pack, make_profile(pack, COMPANION_CA), dt.date(2025, 11, 1), ["us_ca_sb243"])
    assert before.finding("us_ca_sb243:sec22602_b_crisis_protocol").in_effect is False
    a = assess(pack, make_profile(pack, COMPANION_CA), dt.date(2026, 11, 28), ["us_ca_sb243"])
    for rule in ("sec22602_a_not_human_notification", "sec22602_b_crisis_protocol", "sec22602_c_known_minors"):
        f = a.finding(f"us_ca_sb243:{rule}")
        assert (f.outcome, f.in_effect) == ("yes", True), rule
    report = a.finding("us_ca_sb243:sec22603_annual_report")
    assert (report.outcome, report.applies_from, report.in_effect) == ("yes", dt.date(2027, 7, 1), False)
    assert a.instruments["us_ca_sb243"].param_at("minor_break_reminder_hours", a.as_of) == 3


def test_sb243_customer_service_bot_is_excluded(pack):
    """§ 22601(b)(2)(A): a bot used only for customer service is not a companion chatbot."""
    facts = {**COMPANION_CA, "system.companion_chatbot": False}
    a = assess(pack, make_profile(pack, facts), dt.date(2026, 11, 28), ["us_ca_sb243"])
    assert a.finding("us_ca_sb243:in_scope").outcome == "no"
