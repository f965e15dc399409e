"""Which facts a synthetic row leaves unknown: a chance by the kind of fact, and the rows a fact concerns.

Each fact is known with the chance `known_rate` gives its tier: basic facts (places, size, roles, the Art. 2
exclusions), intermediate facts (most descriptions) and legal judgements (least often known). A fact that does
not concern a row stays null whatever the draw: EU legal status outside the EU, a country's own facts for
systems that do not reach it, US federal facts outside US public bodies, and the derived facts, which the
engine derives from the lists.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from .sample_places import Places

# Facts whose answer is a legal judgement (least often known) or plain description (most often known).
JUDGEMENT = {
    "system.performs_profiling",
    "system.significant_harm_likely",
    "system.materially_distorts_behaviour",
    "system.non_safety_functions_only",
    "system.third_party_assessment_non_safety_only",
    "system.ai_interaction_obvious",
    "system.no_substantial_alteration",
    "system.standard_editing_only",
    "system.may_significantly_affect_life_safety_or_rights",
    "system.discriminatory_effect_protected_class",
    "deployment.would_infringe_legal_rights",
    "model.high_impact_capabilities",
    "system.safety_component_or_product",
    "system.harmful_sexual_output_foreseeable",
    "system.sexual_content_safeguards",
    "deployment.significant_decisions",
    "system.output_principal_basis_for_rights_or_safety_decisions",
    "system.deep_fake_artistic_work",
    "system.public_opinion_or_mobilisation_capacity",
    "system.intermediary_service",
    "system.exploits_vulnerabilities",
    "system.manipulative_techniques",
    "deployment.employment_decision_output_role",
    "system.annex_i_legislation",
}
BASIC = {
    "territory.offered_in",
    "territory.used_in",
    "territory.output_used_in",
    "operator.established_in",
    "operator.size",
    "operator.roles",
    "operator.employees",
    "system.is_ai_system",
    "system.generated_content",
    "system.interacts_with_natural_persons",
    "model.general_purpose",
    "system.placed_on_market_date",
    "operator.public_authority",
    "deployment.by_public_body",
    "system.exclusively_military_defence_security",
    "system.sole_purpose_scientific_research",
    "system.pre_market_research_only",
    "system.verification_only",
}

# EU legal status that only an EU assessment establishes: null unless the row touches the EU. Facts that
# describe the system itself (its Annex III use case, whether it is a safety component, who put their name on
# it) are drawn for every row, wherever it is sold: a scenario that extends the AI Act to other places needs
# them, and a system's use case does not change with the border it crosses.
EU_ONLY = {
    "system.third_party_conformity_assessment",
    "deployment.rbi_authorised",
    "deployment.rbi_urgency_procedure",
    "deployment.csam_without_right_defence",
    "operator.provider_excluded_high_risk_use",
    "model.placed_on_eu_market",
    "model.systemic_risk_rebutted",
    "model.designated_systemic_risk",
}
ONLY_IN = {
    "CN": {
        "system.built_on_filed_model",
        "system.supplies_unlabelled_output_on_request",
        "system.public_opinion_or_mobilisation_capacity",
        "system.sustained_emotional_interaction",
        "deployment.registered_users",
        "deployment.monthly_active_users",
    },
    "KR": {
        "operator.annual_revenue_krw",
        "operator.ai_service_revenue_krw",
        "operator.average_daily_users_korea",
        "system.safety_critical_uses",
    },
    "IN": {"system.registered_users_india", "system.intermediary_service"},
    "US-TX": {"operator.texas_governmental_entity"},
}
US_FEDERAL = {
    "operator.us_federal_agency",
    "operator.cfo_act_agency",
    "system.national_security_system",
    "deployment.federal_solicitation_date",
    "system.output_principal_basis_for_rights_or_safety_decisions",
}
DERIVED_NULL = {
    "territory.placed_on_eu_market",
    "territory.used_in_eu",
    "territory.output_used_in_eu",
    "operator.established_in_eu",
}


Known = Callable[..., np.ndarray]


def knower(draw: Callable[..., np.ndarray], known_rate: dict[str, float], places: Places, public: np.ndarray) -> Known:
    """`known(fid, relevant=None)`: the rows where the fact is known (one draw per call, in the callers' order)."""

    def known(fid: str, relevant: np.ndarray | None = None) -> np.ndarray:
        tier = "judgement" if fid in JUDGEMENT else "basic" if fid in BASIC else "intermediate"
        mask = draw() < known_rate[tier]
        if relevant is not None:
            mask &= relevant
        if fid in EU_ONLY:
            mask &= places.touches_eu
        for place, facts in ONLY_IN.items():
            if fid in facts:
                mask &= places.place_rows[place]
        if fid in US_FEDERAL:
            mask &= places.us_established & public
        if fid in DERIVED_NULL:
            mask &= False
        return mask

    return known
