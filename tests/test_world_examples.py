"""The cross-jurisdiction examples: one system, several regimes at once, each on its own dates.

Each test states the legal answer it checks and where it comes from (the instrument's provision, via the
fact sheet world.md). Golden snapshots of every finding are in tests/test_examples.py.
"""

from __future__ import annotations

import datetime as dt

import pytest
from conftest import EXAMPLES

from regatlas.engine.assess import Assessment, assess
from regatlas.facts.profile import load_profile

NOW = dt.date(2026, 11, 28)


def run(pack, name: str, day: dt.date = NOW) -> Assessment:
    return assess(pack, load_profile(EXAMPLES / f"{name}.yaml", pack.vocabulary), day)


def state(a: Assessment, ref: str) -> tuple:
    f = a.finding(ref)
    return f.outcome, f.applies_from, f.in_effect


def test_cv_screener_in_the_eu_nyc_illinois_and_colorado(pack):
    """One CV-ranking tool, five regimes: EU Annex III 4(a) high risk (from 2 Dec 2027); NYC LL144 bias audit and
    notices (enforced since 2023-07-05, on the employers using it); Illinois HB 3773 notice (since 2026-01-01);
    Colorado SB 26-189 (enacted 2026-05-14, applies 2027-01-01); Colorado SB 24-205 repealed before it applied."""
    a = run(pack, "cv-screening-us-eu")
    assert state(a, "eu_ai_act:high_risk") == ("yes", dt.date(2027, 12, 2), False)
    assert state(a, "us_nyc_ll144:sec20_871_a_bias_audit") == ("yes", dt.date(2023, 7, 5), True)
    assert a.finding("us_nyc_ll144:sec20_871_a_bias_audit").holder is False  # the employers' duty, not the vendor's
    assert state(a, "us_il_hb3773:sec2_102_l_2_notice") == ("yes", dt.date(2026, 1, 1), True)
    assert state(a, "us_co_sb26_189:covered_admt") == ("yes", dt.date(2027, 1, 1), False)
    assert {n.rule_id for n in a.not_in_force if n.instrument_id == "us_co_sb24_205"}  # repealed: no longer law
    assert state(a, "us_il_bipa:sec15_b_informed_written_release")[0] == "no"  # no biometrics
    assert a.questions == []


def test_colorado_before_and_after_the_repeal(pack):
    """Colorado: on 2026-03-01 SB 24-205 is law, delayed to 2026-06-30 by SB 25B-004; on 2026-11-28 it is
    repealed and replaced by SB 26-189; on 2027-02-01 SB 26-189 is in effect (world.md A3.1)."""
    march = run(pack, "cv-screening-us-eu", dt.date(2026, 3, 1))
    assert state(march, "us_co_sb24_205:deployer_risk_management_impact_assessment") == (
        "yes",
        dt.date(2026, 6, 30),
        False,
    )
    with pytest.raises(KeyError):
        march.finding("us_co_sb26_189:covered_admt")  # not yet enacted
    with pytest.raises(KeyError):
        run(pack, "cv-screening-us-eu").finding("us_co_sb24_205:deployer_risk_management_impact_assessment")
    february = run(pack, "cv-screening-us-eu", dt.date(2027, 2, 1))
    assert state(february, "us_co_sb26_189:adverse_outcome_explanation") == ("yes", dt.date(2027, 1, 1), True)


def test_text_to_video_generator_labels_everywhere_on_different_dates(pack):
    """Labelling of AI-generated video: China's Labelling Measures from 2025-09-01, Korea's AI Basic Act Art. 31
    from 2026-01-22, California SB 942 (as amended by AB 853) from 2026-08-02, the EU AI Act Art. 50(2) from
    2026-12-02 for a generator placed on the market before 2 Aug 2026 (Art. 111(4) as amended)."""
    a = run(pack, "text-to-video-global")
    assert state(a, "cn_labelling_measures:art4_explicit_labels") == ("yes", dt.date(2025, 9, 1), True)
    assert state(a, "kr_ai_basic_act:art31_2_label_generative_output") == ("yes", dt.date(2026, 1, 22), True)
    assert state(a, "us_ca_sb942:ai_detection_tool") == ("yes", dt.date(2026, 8, 2), True)
    assert state(a, "eu_ai_act:art50_2_synthetic_content_marking") == ("yes", dt.date(2026, 12, 2), False)
    assert state(a, "cn_genai_measures:art17_security_assessment")[0] == "yes"  # public-opinion attributes
    assert a.finding("us_ca_sb53:sb53_scope").outcome == "no"  # not a frontier model
    before = run(pack, "text-to-video-global", dt.date(2025, 8, 1))
    assert state(before, "cn_labelling_measures:art4_explicit_labels") == ("yes", dt.date(2025, 9, 1), False)


def test_korean_fines_wait_for_the_grace_period(pack):
    """Korea AI Basic Act: in force 2026-01-22, with a grace period of at least one year before fines (world.md
    A5); the encoded earliest end is 2027-01-22 (unverified: the decree fixes it)."""
    a = run(pack, "text-to-video-global")
    assert state(a, "kr_ai_basic_act:art43_fine_exposure") == ("yes", dt.date(2027, 1, 22), False)


def test_frontier_developer_under_four_regimes(pack):
    """3e26 FLOP and USD 2 bn revenue: California SB 53 large frontier developer (since 2026-01-01), New York RAISE
    (from 2027-01-01), EU GPAI model with systemic risk (Art. 51(2) presumption above 10^25, duties since
    2025-08-02, an EU representative for a US provider), Korea's >= 10^26 FLOP safety duties and domestic agent."""
    a = run(pack, "frontier-developer")
    assert state(a, "us_ca_sb53:frontier_ai_framework") == ("yes", dt.date(2026, 1, 1), True)
    assert state(a, "us_ny_raise:frontier_ai_framework") == ("yes", dt.date(2027, 1, 1), False)
    assert state(a, "eu_ai_act:gpai_systemic_risk") == ("yes", dt.date(2025, 8, 2), True)
    assert state(a, "eu_ai_act:art54_1_authorised_representative")[0] == "yes"
    assert state(a, "kr_ai_basic_act:art32_high_compute_safety") == ("yes", dt.date(2026, 1, 22), True)
    assert state(a, "kr_ai_basic_act:art36_domestic_agent")[0] == "yes"
    assert a.questions == []


def test_automated_loans_in_the_uk_quebec_and_ireland(pack):
    """UK GDPR: before 2026-02-05 the old Art. 22(1) ban with its contract exception; from then Arts. 22A-22D
    (DUAA 2025 s. 80) with safeguards such as human intervention. Quebec Law 25 s. 12.1: notice of a decision made
    exclusively by automated processing (since 2023-09-22). EU AI Act: Annex III 5(b) with a FRIA (Art. 27)."""
    before = run(pack, "loan-decisions-uk-quebec-eu", dt.date(2026, 1, 1))
    assert state(before, "gb_uk_gdpr_adm:art22_2_exceptions")[0] == "yes"
    assert state(before, "gb_uk_gdpr_adm:art22_1_prohibition")[0] == "no"  # lifted by the contract exception
    with pytest.raises(KeyError):
        before.finding("gb_uk_gdpr_adm:art22c_human_intervention")
    a = run(pack, "loan-decisions-uk-quebec-eu")
    assert state(a, "gb_uk_gdpr_adm:art22c_human_intervention") == ("yes", dt.date(2026, 2, 5), True)
    assert state(a, "ca_qc_law25_adm:s12_1_inform_of_automated_decision") == ("yes", dt.date(2023, 9, 22), True)
    assert state(a, "eu_ai_act:art27_fundamental_rights_impact_assessment") == ("yes", dt.date(2027, 12, 2), False)
    assert "kr_ai_basic_act" not in a.instruments  # not offered in Korea


@pytest.mark.parametrize(
    "name", ["cv-screening-us-eu", "text-to-video-global", "frontier-developer", "loan-decisions-uk-quebec-eu"]
)
def test_lawful_systems_are_not_reported_as_prohibited(pack, name):
    """A prohibition finding means the system falls under a ban; duties to refrain are obligations."""
    assert run(pack, name).prohibited() == []
