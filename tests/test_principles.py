"""The principle ids of the instruments (instrument.principle_ids, vocabulary packs/themes/principles.yaml), checked
against the fact sheets: world.md (Part A for laws, Part B for declarations and treaties) and eu-ai-act.md. Each
docstring names the sheet section the assertion rests on.
"""

from __future__ import annotations

import pytest
import yaml

from regatlas.rules.loader import default_pack_root


def ids(pack, instrument_id: str) -> set[str]:
    return set(pack.instruments[instrument_id].meta.instrument.principle_ids)


def jaccard(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a | b)


def test_every_instrument_states_at_least_one_known_principle(pack):
    """Every instrument in the pack (world.md Parts A and B, eu-ai-act.md) has at least one principle id, and
    each id is in the shared vocabulary packs/themes/principles.yaml, without repeats."""
    vocabulary = yaml.safe_load((default_pack_root() / "themes" / "principles.yaml").read_text())
    known = {p["id"] for p in vocabulary["principles"]}
    assert len(pack.instruments) >= 70  # 52 before issue 10, which added 18
    for instrument_id, loaded in pack.instruments.items():
        listed = loaded.meta.instrument.principle_ids
        assert listed, f"{instrument_id} has no principle ids"
        assert set(listed) <= known, instrument_id
        assert len(listed) == len(set(listed)), instrument_id


def test_paris_statement_inclusive_sustainable_open(pack):
    """world.md B1: the Paris Statement promotes accessibility to reduce digital divides, open models, innovation
    without market concentration, the future of work, sustainability for people and the planet, and international
    cooperation. The US and the UK declined to sign, so it states no frontier-safety commitment."""
    paris = ids(pack, "intl_paris_2025")
    assert {
        "inclusion",
        "sustainability",
        "openness",
        "innovation",
        "future_of_work",
        "international_cooperation",
    } <= paris
    assert "frontier_safety" not in paris


def test_bletchley_is_about_frontier_safety_and_cooperation(pack):
    """world.md B2: the Bletchley Declaration focuses on frontier AI risks, risk-based policies across countries
    and an international network of frontier-AI-safety research."""
    assert {"frontier_safety", "international_cooperation", "risk_based", "safety_security"} <= ids(
        pack, "intl_bletchley_2023"
    )


def test_cets_225_human_rights_democracy_remedies(pack):
    """world.md B4: the Council of Europe Convention states human dignity, equality, privacy, transparency and
    oversight (including identifying AI-generated content), accountability, reliability, remedies and the protection
    of democratic processes and the rule of law."""
    cets = ids(pack, "intl_coe_cets_225")
    assert {
        "human_rights",
        "democracy_rule_of_law",
        "remedies",
        "transparency",
        "fairness",
        "privacy",
        "accountability",
        "robustness",
        "content_provenance",
    } <= cets


def test_oecd_values_based_principles(pack):
    """world.md B5: the five OECD values-based principles (inclusive growth; rule of law, human rights and
    democratic values incl. fairness and privacy; transparency; robustness, security and safety; accountability)
    and the recommendations on R&D, human capacity, labour-market transition and international co-operation."""
    assert {
        "inclusion",
        "human_rights",
        "democracy_rule_of_law",
        "fairness",
        "privacy",
        "transparency",
        "robustness",
        "safety_security",
        "accountability",
        "innovation",
        "capacity_building",
        "future_of_work",
        "international_cooperation",
    } <= ids(pack, "intl_oecd_ai_principles")


def test_unesco_values_and_principles(pack):
    """world.md B7: UNESCO's values (human rights, inclusiveness, environment) and principles (safety, privacy,
    accountability, transparency, human oversight, sustainability, awareness and literacy, fairness)."""
    assert {
        "human_rights",
        "inclusion",
        "sustainability",
        "safety_security",
        "privacy",
        "accountability",
        "transparency",
        "human_oversight",
        "capacity_building",
        "fairness",
    } <= ids(pack, "intl_unesco_ai_ethics")


def test_seoul_declaration_safety_innovation_inclusivity(pack):
    """world.md B3: the Seoul Declaration affirms safety, innovation and inclusivity, interoperability of governance
    frameworks and a risk-based approach; it only notes the Frontier AI Safety Commitments, which carry the frontier
    thresholds and content provenance."""
    declaration = ids(pack, "intl_seoul_declaration_2024")
    assert {"safety_security", "innovation", "inclusion", "international_cooperation", "risk_based"} <= declaration
    assert "frontier_safety" not in declaration
    assert {"frontier_safety", "content_provenance"} <= ids(pack, "intl_seoul_frontier_commitments_2024")


def test_g7_code_provenance_and_risk(pack):
    """world.md B6: the Hiroshima Code's actions include risk identification and red-teaming (1), public reporting
    (3), governance policies (5), content authentication and provenance (7) and personal-data protection (11)."""
    assert {"risk_based", "transparency", "accountability", "content_provenance", "privacy"} <= ids(
        pack, "intl_g7_hiroshima_code"
    )


def test_un_resolutions(pack):
    """world.md B8: 78/265 asks to refrain from AI uses incompatible with human-rights law and to bridge the AI
    divides; 78/311 is on international cooperation on capacity-building and bridging the AI and digital divides
    (Xinhua, 2024-07-01; A/RES/78/311); 79/325 sets up a panel and a global dialogue on AI governance."""
    assert {"human_rights", "inclusion", "safety_security"} <= ids(pack, "intl_unga_78_265")
    assert ids(pack, "intl_unga_78_311") == {"capacity_building", "international_cooperation", "inclusion"}
    assert "international_cooperation" in ids(pack, "intl_unga_79_325")


def test_eu_ai_act(pack):
    """eu-ai-act.md: the AI Act's duties serve, among others, human oversight and robustness (Chapter III), marking
    of synthetic content (Art. 50), systemic-risk GPAI duties and the Art. 86 right to explanation."""
    assert {
        "human_rights",
        "risk_based",
        "human_oversight",
        "robustness",
        "content_provenance",
        "frontier_safety",
        "remedies",
        "capacity_building",
    } <= ids(pack, "eu_ai_act")


def test_uk_white_paper_five_principles(pack):
    """world.md A4.1: the UK white paper's five principles - safety, security and robustness; transparency and
    explainability; fairness; accountability and governance; contestability and redress."""
    assert {"safety_security", "robustness", "transparency", "fairness", "accountability", "remedies"} <= ids(
        pack, "gb_ai_white_paper"
    )


@pytest.mark.parametrize(
    "instrument_id, section",
    [
        ("cn_labelling_measures", "A1.4"),
        ("cn_gb45438", "A1.4"),
        ("cn_deep_synthesis", "A1.2 Arts 16-17"),
        ("cn_genai_measures", "A1.1 Art. 12"),
        ("us_ca_sb942", "A3.4(c)"),
        ("in_it_rules_sgi", "A9.1"),
        ("kr_ai_basic_act", "A5 Art. 31"),
    ],
)
def test_labelling_laws_state_content_provenance(pack, instrument_id, section):
    """world.md (section in the parameter): the law requires labels, marks or provenance data on AI-generated
    content."""
    assert "content_provenance" in ids(pack, instrument_id), section


@pytest.mark.parametrize("instrument_id", ["us_ca_sb53", "us_ny_raise", "kr_ai_basic_act", "us_eo14110"])
def test_compute_threshold_laws_state_frontier_safety(pack, instrument_id):
    """world.md A3.4(a), A3.5, A5 Art. 32 and A2.1: frontier-model duties keyed to 10^26 operations."""
    assert "frontier_safety" in ids(pack, instrument_id)


def test_us_deregulatory_orders_state_only_innovation(pack):
    """world.md A2.2 and A2.5: EO 14179 aims at America's global AI dominance by removing barriers and EO 14365 at
    a minimally burdensome national framework; neither states a protective principle."""
    assert ids(pack, "us_eo14179") == {"innovation"}
    assert ids(pack, "us_eo14365") == {"innovation"}


def test_alignment_is_measurable(pack):
    """world.md B1, B2 and B5: Paris (inclusive, sustainable) and Bletchley (frontier safety) share little; the OECD
    principles and UNESCO Recommendation, both broad ethics catalogues, share much."""
    paris, bletchley = ids(pack, "intl_paris_2025"), ids(pack, "intl_bletchley_2023")
    oecd, unesco = ids(pack, "intl_oecd_ai_principles"), ids(pack, "intl_unesco_ai_ethics")
    assert jaccard(paris, bletchley) < 0.3
    assert jaccard(oecd, unesco) > 0.5
