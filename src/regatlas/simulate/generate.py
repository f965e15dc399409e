"""A synthetic population of AI systems, one row per system, drawn from cited statistics.

The figures and assumptions live in `data/population.yaml` (docs/population.md lists each one with its source
and confidence). Generation is vectorized with numpy, deterministic per seed, and done in chunks so a caller can
show progress. Columns follow `regatlas.simulate.columns`: fact columns named by their dotted ids, null = unknown.

How a row is made: an operator (region and member state or state of establishment, size, roles) and a kind of
system (an archetype such as CV screening or a chatbot) are drawn; the archetype gives the chance of each yes/no
fact and set member; where the system is offered, used and its output used follow from the operator's reach;
then each fact is forgotten (made unknown) with the chance that fits its kind (basic, intermediate or a legal
judgement). Facts that do not concern the row stay null: model facts for systems that are not general-purpose
models, EU-only facts for systems that touch no EU place, and so on. Derived facts (territory.placed_on_eu_market
and the like) are left null: the engine derives them from the lists.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl
import pyarrow as pa

from ..errors import Problem, RegatlasError
from ..facts.vocabulary import Fact, Vocabulary
from ..yamlio import load_file
from .columns import ID_COLUMN, WEIGHT_COLUMN, fact_dtype, population_schema

DATA = Path(__file__).parent / "data" / "population.yaml"
CHUNK = 250_000
SIZES = ("micro", "small", "medium", "small_mid_cap", "large")

# ------------------------------------------------------------------------------------------- figures


@dataclass(frozen=True)
class Figures:
    figures: dict[str, dict[str, Any]]
    assumptions: dict[str, dict[str, Any]]

    def value(self, name: str) -> Any:
        if name in self.figures:
            return self.figures[name]["value"]
        return self.assumptions[name]["value"]


@lru_cache(maxsize=1)
def load_figures(path: Path = DATA) -> Figures:
    data, _ = load_file(path)
    return Figures(data["figures"], data["assumptions"])


def systems_by_size(figures: Figures) -> dict[str, float]:
    """Real AI systems per operator size in the modelled world (the derivation in docs/population.md)."""
    total = figures.value("eu_enterprises_total")
    large_and_smc = total * figures.value("eu_enterprises_large_share") * figures.value("eu_ai_use_large")
    smc_share = figures.value("large_split_small_mid_cap")
    small_share = figures.value("eu_enterprises_small_share")
    medium_share = figures.value("eu_enterprises_medium_share")
    micro_share = 1.0 - small_share - medium_share - figures.value("eu_enterprises_large_share")
    users = {
        "micro": total * micro_share * figures.value("micro_ai_use"),
        "small": total * small_share * figures.value("eu_ai_use_small"),
        "medium": total * medium_share * figures.value("eu_ai_use_medium"),
        "small_mid_cap": large_and_smc * smc_share,
        "large": large_and_smc * (1 - smc_share),
    }
    per = figures.value("systems_per_ai_enterprise")
    eu_share = figures.value("eu_share_of_systems")
    return {size: users[size] * per[size] / eu_share for size in SIZES}


def gpai_models(figures: Figures) -> float:
    """General-purpose models the gpai_model rows stand for: Epoch's known plus likely large-scale models."""
    return float(figures.value("epoch_models_over_1e23_known") + figures.value("epoch_models_over_1e23_unconfirmed"))


# ------------------------------------------------------------------------------------------- places

US_STATES_MODELLED = ("US-CA", "US-CO", "US-IL", "US-NY-NYC", "US-TX", "US-UT")
US_ESTABLISHMENT = {
    "US-CA": 0.3,
    "US-NY": 0.12,
    "US-NY-NYC": 0.06,
    "US-TX": 0.1,
    "US-WA": 0.08,
    "US-MA": 0.06,
    "US-IL": 0.05,
    "US-CO": 0.03,
    "US-UT": 0.02,
    "US-DE": 0.05,
    "US-FL": 0.05,
    "US-GA": 0.03,
    "US": 0.05,
}
CA_ESTABLISHMENT = {"CA-ON": 0.5, "CA-QC": 0.25, "CA": 0.25}
MARKETS = ("EU", "US", "GB", "CN", "JP", "KR", "CA", "IN", "BR")
MARKET_CODES = {
    "EU": ("EU",),
    "US": ("US", *US_STATES_MODELLED),
    "GB": ("GB",),
    "CN": ("CN",),
    "JP": ("JP",),
    "KR": ("KR",),
    "CA": ("CA", "CA-ON", "CA-QC"),
    "IN": ("IN",),
    "BR": ("BR",),
}


def _norm(weights: dict[str, float]) -> tuple[list[str], np.ndarray]:
    keys = list(weights)
    p = np.array([weights[k] for k in keys], dtype=float)
    return keys, p / p.sum()


# ------------------------------------------------------------------------------------------- archetypes
# Each archetype: fact -> chance of yes (bool), {member: chance} (set), {value: weight} (enum, key "=enum").
# Facts an archetype does not name take the defaults below when they are universal, else stay null.

UNIVERSAL_BOOL: dict[str, float] = {
    "system.is_ai_system": 0.9,
    "system.exclusively_military_defence_security": 0.003,
    "system.sole_purpose_scientific_research": 0.01,
    "system.pre_market_research_only": 0.02,
    "system.free_open_source_licence": 0.06,
    "system.significant_design_change": 0.2,
    "system.interacts_with_natural_persons": 0.1,
    "system.infers_emotions": 0.005,
    "system.uses_biometric_data": 0.01,
    "system.manipulative_techniques": 0.002,
    "system.exploits_vulnerabilities": 0.002,
    "system.social_scoring": 0.002,
    "system.predicts_criminal_offending": 0.001,
    "system.untargeted_face_scraping": 0.0005,
    "system.generates_intimate_imagery": 0.0,
    "system.generates_csam": 0.0,
    "system.generates_deep_fakes": 0.0,
    "system.remote_biometric_identification": 0.0,
    "system.biometric_categorisation": 0.002,
    "system.decisions_about_natural_persons": 0.15,
    "system.performs_profiling": 0.1,
    "system.intended_for_public_authorities": 0.05,
    "system.ml_statistical_or_analytics_process": 0.95,
    "system.simplified_output": 0.3,
    "system.substantially_modified_since_2022": 0.6,
    "system.security_aviation_or_federal_defence_only": 0.003,
    "system.user_to_user_service": 0.02,
    "system.search_service": 0.01,
    "system.content_dissemination_platform": 0.02,
    "system.app_distribution_platform": 0.002,
    "system.generates_virtual_scenes": 0.01,
    "system.edits_biometric_features": 0.005,
    "system.sustained_emotional_interaction": 0.003,
    "system.may_significantly_affect_life_safety_or_rights": 0.05,
    "system.captures_biometric_identifiers": 0.01,
    "system.intended_to_incite_harm_or_crime": 0.0,
    "system.sole_intent_to_infringe_constitutional_rights": 0.0,
    "system.intended_to_unlawfully_discriminate": 0.0,
    "system.sole_intent_sexual_deepfakes_csam_or_child_impersonation": 0.0,
    "system.discriminatory_effect_protected_class": 0.01,
    "system.uses_zip_code_as_protected_class_proxy": 0.01,
    "system.identifies_from_public_images_without_consent": 0.0,
    "system.public_opinion_or_mobilisation_capacity": 0.02,
    "deployment.personal_non_professional": 0.01,
    "deployment.law_enforcement": 0.005,
    "deployment.publicly_accessible_space": 0.03,
    "deployment.workplace_or_education": 0.2,
    "deployment.medical_or_safety_reasons": 0.03,
    "deployment.purpose_intimate_or_csam": 0.0,
    "deployment.employer_workplace": 0.3,
    "deployment.decisions_with_legal_effects": 0.05,
    "deployment.processes_personal_data": 0.5,
    "deployment.solely_automated_decisions": 0.05,
    "deployment.significant_decisions": 0.05,
    "deployment.likely_accessed_by_children": 0.05,
    "deployment.internal_business_use_only": 0.5,
    "deployment.offered_to_public": 0.35,
    "deployment.publishes_generated_content": 0.05,
    "deployment.minors_among_users": 0.05,
    "deployment.sells_to_consumers": 0.25,
    "deployment.consumer_transactions": 0.2,
    "deployment.high_risk_ai_interaction": 0.03,
    "deployment.health_care_service_or_treatment": 0.02,
    "deployment.screens_for_hiring_or_promotion": 0.01,
    "deployment.publishes_nonconsensual_intimate_depictions": 0.0,
    "deployment.would_infringe_legal_rights": 0.003,
    "operator.affixes_own_name": 0.05,
    "operator.substantial_modification": 0.03,
    "operator.repurposed_to_high_risk": 0.01,
    "operator.regulated_occupation": 0.08,
    "operator.operates_content_platform": 0.02,
    "operator.genai_hosting_platform": 0.003,
    "operator.capture_device_manufacturer": 0.005,
    "operator.user_generated_content_platform": 0.03,
    "operator.regularly_publishes_intimate_depictions": 0.0,
    "operator.broadband_or_email_service": 0.005,
    "operator.insurer_or_federally_insured_financial_institution": 0.04,
    "system.safety_component_or_product": 0.0,
    "system.verification_only": 0.0,
}
UNIVERSAL_SET: dict[str, dict[str, float]] = {
    "system.generated_content": {},
    "system.annex_iii_points": {},
    "system.annex_i_legislation": {},
    "system.decision_areas": {},
    "system.algorithmic_recommendation_types": {},
    "system.safety_critical_uses": {},
    "system.art6_3_conditions": {},
}

HIRING = {
    "deployment.screens_for_hiring_or_promotion": 0.95,
    "deployment.screens_assesses_or_selects_applicants": 0.95,
    "deployment.publicly_advertised_job_posting": 0.7,
    "deployment.employer_workplace": 0.8,
    "deployment.workplace_or_education": 0.95,
    "deployment.analyses_recorded_video_interviews": 0.1,
    "deployment.ai_video_sole_basis_for_interview_selection": 0.02,
    "system.decisions_about_natural_persons": 1.0,
    "system.simplified_output": 0.9,
    "system.performs_profiling": 0.6,
    "deployment.processes_personal_data": 1.0,
    "deployment.significant_decisions": 0.8,
    "deployment.decisions_with_legal_effects": 0.6,
    "deployment.solely_automated_decisions": 0.15,
    "system.discriminatory_effect_protected_class": 0.05,
    "system.may_significantly_affect_life_safety_or_rights": 0.7,
    "system.decision_areas": {"employment": 1.0},
    "deployment.employment_decision_output_role=enum": {
        "sole_criterion": 0.1,
        "weighted_more_than_any_other": 0.2,
        "overrules_other_factors": 0.05,
        "lesser_role": 0.65,
    },
}

ARCHETYPES: dict[str, dict[str, Any]] = {
    "text_analytics": {"deployment.processes_personal_data": 0.4, "system.art6_3_conditions": {}},
    "chatbot": {
        "system.interacts_with_natural_persons": 0.98,
        "system.ai_interaction_obvious": 0.5,
        "system.generated_content": {"text": 0.95, "audio": 0.15},
        "system.algorithmic_recommendation_types": {"generation_synthesis": 0.9, "retrieval_filtering": 0.3},
        "deployment.offered_to_public": 0.8,
        "deployment.internal_business_use_only": 0.15,
        "deployment.consumer_transactions": 0.6,
        "deployment.minors_among_users": 0.3,
        "deployment.likely_accessed_by_children": 0.2,
        "deployment.processes_personal_data": 0.8,
        "deployment.high_risk_ai_interaction": 0.1,
        "system.discloses_non_human_throughout": 0.6,
        "system.built_on_filed_model": 0.7,
    },
    "content_generation": {
        "system.interacts_with_natural_persons": 0.7,
        "system.generated_content": {"text": 0.7, "image": 0.6, "audio": 0.3, "video": 0.3},
        "system.algorithmic_recommendation_types": {"generation_synthesis": 1.0},
        "system.generates_deep_fakes": 0.25,
        "system.deep_fake_artistic_work": 0.3,
        "system.public_interest_text": 0.1,
        "system.editorial_control": 0.5,
        "system.standard_editing_only": 0.05,
        "system.no_substantial_alteration": 0.05,
        "system.edits_biometric_features": 0.15,
        "system.generates_intimate_imagery": 0.003,
        "system.harmful_sexual_output_foreseeable": 0.05,
        "system.sexual_content_safeguards": 0.85,
        "system.supplies_unlabelled_output_on_request": 0.1,
        "system.built_on_filed_model": 0.6,
        "deployment.offered_to_public": 0.85,
        "deployment.internal_business_use_only": 0.1,
        "deployment.publishes_generated_content": 0.4,
        "deployment.minors_among_users": 0.3,
        "system.monthly_users": 1.0,
    },
    "speech_recognition": {
        "system.interacts_with_natural_persons": 0.6,
        "deployment.processes_personal_data": 0.7,
        "system.uses_biometric_data": 0.05,
    },
    "predictive_analytics": {"deployment.processes_personal_data": 0.2},
    "recommender": {
        "system.algorithmic_recommendation_types": {"personalised_push": 0.9, "sorting_selection": 0.6},
        "system.performs_profiling": 0.8,
        "deployment.sells_to_consumers": 0.7,
        "deployment.offered_to_public": 0.9,
        "deployment.internal_business_use_only": 0.05,
        "deployment.minors_among_users": 0.4,
        "deployment.processes_personal_data": 0.95,
        "system.manipulative_techniques": 0.01,
        "system.materially_distorts_behaviour": 0.05,
        "system.significant_harm_likely": 0.02,
        "system.monthly_users": 1.0,
    },
    "image_recognition": {
        "system.uses_biometric_data": 0.03,
        "system.annex_i_legislation": {"B21_machinery_regulation": 0.02},
    },
    "fraud_detection": {
        "system.performs_profiling": 0.7,
        "system.decision_areas": {"financial_or_lending": 0.8, "insurance": 0.2},
        "system.decisions_about_natural_persons": 0.8,
        "deployment.processes_personal_data": 0.95,
        "system.simplified_output": 0.9,
        "system.algorithmic_recommendation_types": {"scheduling_decision": 0.2},
    },
    "process_automation": {
        "system.is_ai_system": 0.75,
        "system.decisions_about_natural_persons": 0.2,
        "system.algorithmic_recommendation_types": {"scheduling_decision": 0.3},
    },
    "biometric_verification": {
        "system.uses_biometric_data": 0.98,
        "system.captures_biometric_identifiers": 0.95,
        "system.verification_only": 0.95,
        "system.remote_biometric_identification": 0.03,
        "deployment.processes_personal_data": 1.0,
        "deployment.discloses_biometric_data_to_third_parties": 0.2,
        "deployment.special_category_data_in_decisions": 0.5,
        "system.annex_iii_points": {"1a": 0.03},
    },
    "cv_screening": {
        **HIRING,
        "system.annex_iii_points": {"4a": 0.95},
        "system.art6_3_conditions": {"narrow_procedural_task": 0.15, "preparatory_task": 0.2, "detects_patterns": 0.05},
    },
    "worker_management": {
        **HIRING,
        "deployment.screens_for_hiring_or_promotion": 0.3,
        "deployment.screens_assesses_or_selects_applicants": 0.1,
        "system.annex_iii_points": {"4b": 0.9},
        "system.art6_3_conditions": {"narrow_procedural_task": 0.2, "improves_human_activity": 0.1},
        "system.infers_emotions": 0.05,
        "system.uses_biometric_data": 0.08,
    },
    "credit_scoring": {
        "system.annex_iii_points": {"5b": 0.9},
        "system.art6_3_conditions": {"preparatory_task": 0.1},
        "system.decision_areas": {"financial_or_lending": 1.0},
        "system.decisions_about_natural_persons": 1.0,
        "system.performs_profiling": 0.9,
        "system.simplified_output": 0.95,
        "deployment.processes_personal_data": 1.0,
        "deployment.significant_decisions": 0.95,
        "deployment.decisions_with_legal_effects": 0.9,
        "deployment.solely_automated_decisions": 0.3,
        "deployment.consumer_transactions": 0.8,
        "deployment.high_risk_ai_interaction": 0.4,
        "system.uses_zip_code_as_protected_class_proxy": 0.03,
        "system.may_significantly_affect_life_safety_or_rights": 0.8,
        "operator.insurer_or_federally_insured_financial_institution": 0.6,
    },
    "insurance_pricing": {
        "system.annex_iii_points": {"5c": 0.6},
        "system.art6_3_conditions": {"preparatory_task": 0.1},
        "system.decision_areas": {"insurance": 1.0, "healthcare": 0.2},
        "system.decisions_about_natural_persons": 1.0,
        "system.performs_profiling": 0.9,
        "deployment.processes_personal_data": 1.0,
        "deployment.significant_decisions": 0.8,
        "deployment.decisions_with_legal_effects": 0.7,
        "operator.insurer_or_federally_insured_financial_institution": 0.9,
    },
    "education_assessment": {
        "system.annex_iii_points": {"3a": 0.3, "3b": 0.5, "3c": 0.1, "3d": 0.2},
        "system.art6_3_conditions": {"narrow_procedural_task": 0.2, "improves_human_activity": 0.1},
        "system.decision_areas": {"education": 1.0},
        "system.decisions_about_natural_persons": 1.0,
        "deployment.workplace_or_education": 1.0,
        "deployment.minors_among_users": 0.6,
        "deployment.likely_accessed_by_children": 0.5,
        "deployment.processes_personal_data": 1.0,
        "system.infers_emotions": 0.04,
        "system.uses_biometric_data": 0.1,
        "system.intended_for_public_authorities": 0.3,
    },
    "medical_device": {
        "system.annex_i_legislation": {"A11_medical_devices": 0.8, "A12_ivd": 0.2},
        "system.safety_component_or_product": 0.95,
        "system.itself_annex_i_product": 0.6,
        "system.non_safety_functions_only": 0.1,
        "system.third_party_conformity_assessment": 0.8,
        "system.third_party_assessment_non_safety_only": 0.02,
        "system.safety_critical_uses": {"medical_devices": 0.9, "healthcare_provision": 0.5},
        "system.decision_areas": {"healthcare": 0.9},
        "system.decisions_about_natural_persons": 0.9,
        "system.may_significantly_affect_life_safety_or_rights": 0.9,
        "deployment.health_care_service_or_treatment": 0.9,
        "deployment.medical_or_safety_reasons": 0.95,
        "deployment.processes_personal_data": 1.0,
        "deployment.special_category_data_in_decisions": 0.8,
        "operator.product_manufacturer_own_name": 0.7,
        "operator.regulated_occupation": 0.3,
    },
    "product_safety_component": {
        "system.annex_i_legislation": {
            "B21_machinery_regulation": 0.3,
            "A1_machinery_directive": 0.1,
            "B18_motor_vehicles": 0.15,
            "B19_vehicle_general_safety": 0.1,
            "A2_toys": 0.05,
            "A4_lifts": 0.03,
            "A6_radio_equipment": 0.12,
            "A9_ppe": 0.03,
            "B20_unmanned_aircraft": 0.04,
            "B17_rail": 0.03,
        },
        "system.safety_component_or_product": 0.6,
        "system.itself_annex_i_product": 0.15,
        "system.non_safety_functions_only": 0.4,
        "system.third_party_conformity_assessment": 0.4,
        "system.third_party_assessment_non_safety_only": 0.2,
        "system.safety_critical_uses": {"transport_operation": 0.3},
        "operator.product_manufacturer_own_name": 0.8,
        "deployment.medical_or_safety_reasons": 0.3,
    },
    "critical_infrastructure": {
        "system.annex_iii_points": {"2": 0.75},
        "system.art6_3_conditions": {"detects_patterns": 0.15, "narrow_procedural_task": 0.1},
        "system.safety_critical_uses": {
            "energy_supply": 0.5,
            "drinking_water": 0.2,
            "transport_operation": 0.3,
            "nuclear_safety": 0.02,
        },
        "system.may_significantly_affect_life_safety_or_rights": 0.7,
        "system.intended_for_public_authorities": 0.3,
        "deployment.medical_or_safety_reasons": 0.5,
    },
    "social_media_platform": {
        "system.user_to_user_service": 0.95,
        "system.content_dissemination_platform": 0.95,
        "system.public_opinion_or_mobilisation_capacity": 0.9,
        "system.algorithmic_recommendation_types": {
            "personalised_push": 0.95,
            "sorting_selection": 0.8,
            "retrieval_filtering": 0.6,
            "generation_synthesis": 0.3,
        },
        "system.generated_content": {"text": 0.3, "image": 0.3},
        "system.performs_profiling": 0.9,
        "system.intermediary_service": 0.95,
        "system.interacts_with_natural_persons": 0.5,
        "operator.operates_content_platform": 0.95,
        "operator.user_generated_content_platform": 0.95,
        "operator.platform_monthly_users": 1.0,
        "deployment.offered_to_public": 1.0,
        "deployment.internal_business_use_only": 0.0,
        "deployment.minors_among_users": 0.8,
        "deployment.likely_accessed_by_children": 0.7,
        "deployment.processes_personal_data": 1.0,
        "system.monthly_users": 1.0,
        "system.registered_users_india": 1.0,
        "deployment.registered_users": 1.0,
        "deployment.monthly_active_users": 1.0,
    },
    "search_engine": {
        "system.search_service": 1.0,
        "system.algorithmic_recommendation_types": {
            "retrieval_filtering": 1.0,
            "sorting_selection": 0.9,
            "generation_synthesis": 0.5,
        },
        "system.generated_content": {"text": 0.5},
        "system.interacts_with_natural_persons": 0.6,
        "system.intermediary_service": 0.8,
        "deployment.offered_to_public": 1.0,
        "deployment.internal_business_use_only": 0.0,
        "deployment.minors_among_users": 0.7,
        "deployment.likely_accessed_by_children": 0.6,
        "system.monthly_users": 1.0,
        "deployment.monthly_active_users": 1.0,
    },
    "companion_chatbot": {
        "system.sustained_emotional_interaction": 0.9,
        "system.interacts_with_natural_persons": 1.0,
        "system.ai_interaction_obvious": 0.6,
        "system.generated_content": {"text": 1.0, "audio": 0.4, "image": 0.3},
        "system.algorithmic_recommendation_types": {"generation_synthesis": 1.0},
        "system.infers_emotions": 0.2,
        "system.exploits_vulnerabilities": 0.02,
        "system.manipulative_techniques": 0.03,
        "system.materially_distorts_behaviour": 0.1,
        "system.significant_harm_likely": 0.05,
        "deployment.offered_to_public": 1.0,
        "deployment.internal_business_use_only": 0.0,
        "deployment.minors_among_users": 0.5,
        "deployment.likely_accessed_by_children": 0.4,
        "deployment.registered_users": 1.0,
        "deployment.monthly_active_users": 1.0,
        "system.monthly_users": 1.0,
    },
    "public_benefits": {
        "system.annex_iii_points": {"5a": 0.85},
        "system.art6_3_conditions": {"preparatory_task": 0.15},
        "system.decision_areas": {"essential_government_services": 1.0},
        "system.decisions_about_natural_persons": 1.0,
        "system.intended_for_public_authorities": 0.95,
        "system.output_principal_basis_for_rights_or_safety_decisions": 0.4,
        "deployment.processes_personal_data": 1.0,
        "deployment.significant_decisions": 0.9,
        "deployment.decisions_with_legal_effects": 0.9,
        "system.performs_profiling": 0.5,
        "public": 0.9,
    },
    "emergency_dispatch": {
        "system.annex_iii_points": {"5d": 0.9},
        "system.intended_for_public_authorities": 0.8,
        "system.safety_critical_uses": {"healthcare_provision": 0.5},
        "deployment.medical_or_safety_reasons": 0.8,
        "public": 0.7,
    },
    "law_enforcement_analytics": {
        "system.annex_iii_points": {"6a": 0.2, "6b": 0.05, "6c": 0.3, "6d": 0.2, "6e": 0.3},
        "system.predicts_criminal_offending": 0.3,
        "system.solely_profiling_based": 0.2,
        "system.supports_human_crime_assessment": 0.6,
        "system.performs_profiling": 0.7,
        "system.authorised_for_criminal_offences": 0.8,
        "system.available_to_public_for_reporting_crime": 0.05,
        "system.intended_for_public_authorities": 1.0,
        "system.decision_areas": {"criminal_justice": 0.9},
        "system.national_security_system": 0.05,
        "deployment.law_enforcement": 1.0,
        "deployment.processes_personal_data": 1.0,
        "public": 1.0,
    },
    "migration_border": {
        "system.annex_iii_points": {"7a": 0.05, "7b": 0.4, "7c": 0.4, "7d": 0.2},
        "system.intended_for_public_authorities": 1.0,
        "system.uses_biometric_data": 0.4,
        "deployment.processes_personal_data": 1.0,
        "deployment.significant_decisions": 0.8,
        "public": 1.0,
    },
    "justice_elections": {
        "system.annex_iii_points": {"8a": 0.6, "8b": 0.3},
        "system.art6_3_conditions": {"preparatory_task": 0.2},
        "system.decision_areas": {"legal_services": 0.6},
        "system.intended_for_public_authorities": 0.5,
        "system.public_interest_text": 0.2,
        "system.generated_content": {"text": 0.5},
        "public": 0.4,
    },
    "remote_biometric_identification": {
        "system.annex_iii_points": {"1a": 0.9},
        "system.remote_biometric_identification": 0.95,
        "system.uses_biometric_data": 1.0,
        "system.captures_biometric_identifiers": 0.95,
        "system.real_time": 0.4,
        "system.verification_only": 0.02,
        "system.identifies_from_public_images_without_consent": 0.1,
        "system.safety_critical_uses": {"biometric_criminal_investigation": 0.3},
        "deployment.publicly_accessible_space": 0.5,
        "deployment.law_enforcement": 0.25,
        "deployment.rbi_objective=enum": {
            "victim_search": 0.2,
            "imminent_threat": 0.2,
            "serious_crime_suspect": 0.4,
            "other": 0.2,
        },
        "deployment.rbi_authorised": 0.6,
        "deployment.rbi_urgency_procedure": 0.1,
        "deployment.processes_personal_data": 1.0,
        "deployment.special_category_data_in_decisions": 0.8,
        "deployment.discloses_biometric_data_to_third_parties": 0.2,
        "public": 0.3,
    },
    "emotion_recognition": {
        "system.annex_iii_points": {"1c": 0.9},
        "system.infers_emotions": 0.95,
        "system.uses_biometric_data": 0.9,
        "system.captures_biometric_identifiers": 0.5,
        "deployment.workplace_or_education": 0.4,
        "deployment.medical_or_safety_reasons": 0.3,
        "deployment.processes_personal_data": 1.0,
    },
    "manipulative_engagement": {
        "system.manipulative_techniques": 0.6,
        "system.exploits_vulnerabilities": 0.3,
        "system.materially_distorts_behaviour": 0.5,
        "system.significant_harm_likely": 0.35,
        "system.interacts_with_natural_persons": 0.8,
        "system.algorithmic_recommendation_types": {"personalised_push": 0.8},
        "deployment.sells_to_consumers": 0.8,
        "deployment.offered_to_public": 1.0,
        "deployment.minors_among_users": 0.5,
    },
    "social_scoring": {
        "system.social_scoring": 0.9,
        "system.score_unrelated_context_detriment": 0.5,
        "system.score_disproportionate_detriment": 0.4,
        "system.performs_profiling": 1.0,
        "system.decisions_about_natural_persons": 1.0,
        "deployment.processes_personal_data": 1.0,
        "public": 0.4,
    },
    "face_scraping": {
        "system.untargeted_face_scraping": 0.85,
        "system.uses_biometric_data": 1.0,
        "system.captures_biometric_identifiers": 1.0,
        "system.remote_biometric_identification": 0.6,
        "system.identifies_from_public_images_without_consent": 0.9,
        "system.labels_lawful_biometric_datasets": 0.05,
    },
    "gpai_model": {
        "gpai": 1.0,
        "system.interacts_with_natural_persons": 0.7,
        "system.generated_content": {"text": 0.95, "image": 0.35, "audio": 0.2, "video": 0.15},
        "system.algorithmic_recommendation_types": {"generation_synthesis": 1.0},
        "system.harmful_sexual_output_foreseeable": 0.1,
        "system.sexual_content_safeguards": 0.9,
        "system.generates_deep_fakes": 0.1,
        "system.built_on_filed_model": 0.0,
        "system.free_open_source_licence": 0.3,
        "deployment.offered_to_public": 0.8,
        "system.monthly_users": 1.0,
    },
}

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

SIZE_EMPLOYEES = {
    "micro": (1, 9),
    "small": (10, 49),
    "medium": (50, 249),
    "small_mid_cap": (250, 749),
    "large": (750, 300_000),
}
SIZE_TURNOVER_PER_EMPLOYEE = 180_000.0  # EUR; assumption (L), order of magnitude of EU business turnover/person
PROVIDER_BY_SIZE = {"micro": 0.4, "small": 0.35, "medium": 0.35, "small_mid_cap": 0.45, "large": 0.5}
EUR_USD = 1.08
EUR_KRW = 1450.0
DATE_FROM = np.datetime64("2016-01-01")
DATE_TO = np.datetime64("2026-06-30")


# ------------------------------------------------------------------------------------------- column builders


def _bool(values: np.ndarray, known: np.ndarray) -> pl.Series:
    return pl.from_arrow(pa.array(values, type=pa.bool_(), mask=~known))  # type: ignore[return-value]


def _float(values: np.ndarray, known: np.ndarray) -> pl.Series:
    return pl.from_arrow(pa.array(values.astype(np.float64), type=pa.float64(), mask=~known))  # type: ignore[return-value]


def _date(days: np.ndarray, known: np.ndarray) -> pl.Series:
    return pl.from_arrow(pa.array(days.astype(np.int32), type=pa.date32(), mask=~known))  # type: ignore[return-value]


def _enum(fact: Fact, index: np.ndarray, known: np.ndarray) -> pl.Series:
    categories = pl.Series(list(fact.values), dtype=fact_dtype(fact))
    idx = pl.from_arrow(pa.array(index.astype(np.uint32), type=pa.uint32(), mask=~known))
    return categories.gather(idx)  # type: ignore[arg-type]


def _lists(matrix: np.ndarray, labels: list[str], known: np.ndarray) -> pl.Series:
    """A List(String) column from a rows x labels yes/no matrix (labels in matrix column order)."""
    rows, cols = np.nonzero(matrix)
    counts = np.bincount(rows, minlength=matrix.shape[0])
    offsets = np.zeros(matrix.shape[0] + 1, dtype=np.int64)
    np.cumsum(counts, out=offsets[1:])
    values = pl.Series(labels, dtype=pl.String).gather(cols.astype(np.uint32))
    array = pa.LargeListArray.from_arrays(pa.array(offsets), values.to_arrow(), mask=pa.array(~known))
    return pl.from_arrow(array).cast(pl.List(pl.String))  # type: ignore[union-attr]


# ------------------------------------------------------------------------------------------- the generator


class _Spec:
    """Archetype tables turned into arrays (archetype x ...) once per vocabulary."""

    def __init__(self, vocabulary: Vocabulary, figures: Figures):
        mix = figures.value("archetype_mix")
        unknown = set(mix) ^ set(ARCHETYPES)
        if unknown:
            raise RegatlasError(Problem(f"archetype mix and archetypes differ: {sorted(unknown)}", str(DATA)))
        self.names = list(ARCHETYPES)
        p = np.array([mix[a] for a in self.names], dtype=float)
        self.archetype_p = p / p.sum()
        self.vocabulary = vocabulary
        self.bool_p: dict[str, np.ndarray] = {}  # fact -> chance per archetype (nan: not relevant)
        self.set_p: dict[str, np.ndarray] = {}  # fact -> archetype x member chance (row of nan: not relevant)
        self.enum_p: dict[str, np.ndarray] = {}
        for fid, fact in vocabulary.facts.items():
            if fact.type == "bool":
                self.bool_p[fid] = np.array([self._chance(a, fid) for a in self.names], dtype=float)
            elif fact.type == "set":
                members = list(fact.values)
                table = np.full((len(self.names), len(members)), np.nan)
                for i, a in enumerate(self.names):
                    spec = ARCHETYPES[a].get(fid, UNIVERSAL_SET.get(fid))
                    if spec is not None:
                        table[i] = [spec.get(m, 0.0) for m in members]
                self.set_p[fid] = table
            elif fact.type == "enum" and fid not in ("operator.size",):
                members = list(fact.values)
                table = np.full((len(self.names), len(members)), np.nan)
                for i, a in enumerate(self.names):
                    spec = ARCHETYPES[a].get(fid + "=enum")
                    if spec is not None:
                        w = np.array([spec.get(m, 0.0) for m in members])
                        table[i] = np.cumsum(w / w.sum())
                self.enum_p[fid] = table
        self.public_p = np.array([ARCHETYPES[a].get("public", 0.02) for a in self.names])
        self.gpai = np.array([a == "gpai_model" for a in self.names])
        self.users_p = np.array([1.0 if "system.monthly_users" in ARCHETYPES[a] else np.nan for a in self.names])

    def _chance(self, archetype: str, fid: str) -> float:
        spec = ARCHETYPES[archetype]
        if fid in spec:
            return float(spec[fid])
        if fid in UNIVERSAL_BOOL:
            return UNIVERSAL_BOOL[fid]
        return np.nan


def generate_population(pack: Any, size: int, seed: int, progress: Callable[[int], None] | None = None) -> pl.DataFrame:
    """`size` synthetic AI systems (one row each), reproducible from `seed`; see docs/population.md."""
    if size < 0:
        raise RegatlasError(Problem(f"population size must be at least 0, not {size}", path="size"))
    figures = load_figures()
    vocabulary: Vocabulary = pack.vocabulary
    spec = _Spec(vocabulary, figures)
    weights = _row_weights(figures, spec, size)
    rng = np.random.default_rng(seed)
    chunks: list[pl.DataFrame] = []
    done = 0
    while done < size:
        n = min(CHUNK, size - done)
        chunks.append(_chunk(rng, n, done, spec, figures, weights, pack))
        done += n
        if progress is not None:
            progress(done)
    if not chunks:
        chunks.append(_chunk(rng, 0, 0, spec, figures, weights, pack))
    return pl.concat(chunks, rechunk=False)


def _size_mix(figures: Figures) -> tuple[list[str], np.ndarray]:
    """Row sampling chance per operator size, in vocabulary order (SIZES)."""
    mix = figures.value("size_sampling_mix")
    p = np.array([mix[s] for s in SIZES], dtype=float)
    return list(SIZES), p / p.sum()


def _row_weights(figures: Figures, spec: _Spec, size: int) -> dict[str, Any]:
    """Real systems per row: per operator size for ordinary rows, from Epoch's counts for model rows."""
    _, size_p = _size_mix(figures)
    gpai_share = spec.archetype_p[spec.gpai].sum()
    totals = systems_by_size(figures)
    rows = max(size, 1)
    per_size = [totals[s] / (rows * s_p * (1 - gpai_share)) for s, s_p in zip(SIZES, size_p, strict=True)]
    return {"per_row_by_size": np.array(per_size), "gpai": gpai_models(figures) / (rows * gpai_share)}


def _chunk(
    rng: np.random.Generator, n: int, start: int, spec: _Spec, figures: Figures, weights: dict[str, Any], pack: Any
) -> pl.DataFrame:
    vocabulary: Vocabulary = spec.vocabulary
    known_rate = figures.value("known_rate")
    cols: dict[str, pl.Series] = {}

    def draw(k: int = 0) -> np.ndarray:
        return rng.random(n, dtype=np.float32) if k == 0 else rng.random((n, k), dtype=np.float32)

    # --- operator: size, region of establishment, archetype
    size_names, size_p = _size_mix(figures)
    size_idx = rng.choice(len(size_names), size=n, p=size_p)
    archetype = rng.choice(len(spec.names), size=n, p=spec.archetype_p)
    is_gpai = spec.gpai[archetype]
    size_idx = np.where(is_gpai, np.maximum(size_idx, 3), size_idx)  # model developers are big
    regions, region_p = _norm(figures.value("establishment_mix"))
    region = rng.choice(len(regions), size=n, p=region_p)
    origin_keys, origin_p = _norm(figures.value("epoch_large_scale_origin"))
    origin = np.array([regions.index(k) for k in origin_keys])[rng.choice(len(origin_keys), size=n, p=origin_p)]
    region = np.where(is_gpai, origin, region)

    # --- places: one code list per fact, built on a rows x codes matrix
    ms, ms_p = _norm(figures.value("eu_member_state_mix"))
    us_est, us_p = _norm(US_ESTABLISHMENT)
    ca_est, ca_p = _norm(CA_ESTABLISHMENT)
    codes = list(dict.fromkeys([*ms, *us_est, *ca_est, *[c for m in MARKETS for c in MARKET_CODES[m]]]))
    col_of = {c: i for i, c in enumerate(codes)}
    home = np.empty(n, dtype=np.int64)
    for r, name in enumerate(regions):
        rows = region == r
        k = int(rows.sum())
        if name == "EU":
            pick = np.array([col_of[c] for c in ms])[rng.choice(len(ms), size=k, p=ms_p)]
        elif name == "US":
            pick = np.array([col_of[c] for c in us_est])[rng.choice(len(us_est), size=k, p=us_p)]
        elif name == "CA":
            pick = np.array([col_of[c] for c in ca_est])[rng.choice(len(ca_est), size=k, p=ca_p)]
        else:
            pick = np.full(k, col_of[name])
        home[rows] = pick
    established = np.zeros((n, len(codes)), dtype=bool)
    established[np.arange(n), home] = True

    reach_tab = figures.value("reach_by_size")
    reach_names = ("domestic", "regional", "global")
    reach_cum = np.array([np.cumsum([reach_tab[s][r] for r in reach_names]) for s in size_names])
    u = draw()
    reach = (u[:, None] > reach_cum[size_idx]).sum(axis=1)  # 0 domestic, 1 regional, 2 global
    reach = np.where(is_gpai, 2, reach)
    access = figures.value("market_access")
    offered_market = np.zeros((n, len(MARKETS)), dtype=bool)
    um = draw(len(MARKETS))
    for j, m in enumerate(MARKETS):
        offered_market[:, j] = region == regions.index(m)
        offered_market[:, j] |= (reach == 1) & (um[:, j] < access["regional"][m])
        offered_market[:, j] |= (reach == 2) & (um[:, j] < access["global"][m])
    offered = established.copy()
    us_partial = draw(len(US_STATES_MODELLED)) < 0.6
    for j, m in enumerate(MARKETS):
        rows = offered_market[:, j]
        for c in MARKET_CODES[m]:
            if m == "EU" and c == "EU":
                # EU-wide for foreign operators and for EU operators reaching beyond home; else the home state only
                offered[:, col_of[c]] = rows & ((region != regions.index("EU")) | (reach > 0))
            elif m == "US" and c in US_STATES_MODELLED:
                k = US_STATES_MODELLED.index(c)
                offered[:, col_of[c]] = rows & ((reach == 2) | (region == regions.index("US")) | us_partial[:, k])
            else:
                offered[:, col_of[c]] = rows
    # used: where deployers use it (a subset of where it is offered, always home); output: used plus some more
    used = offered & (draw(len(codes)) < 0.85)
    used |= established
    used[:, col_of["US"]] |= used[:, [col_of[c] for c in US_STATES_MODELLED]].any(axis=1)
    used[:, col_of["CA"]] |= used[:, [col_of["CA-ON"], col_of["CA-QC"]]].any(axis=1)
    output = used | (offered & (draw(len(codes)) < 0.5))

    eu_codes = [col_of[c] for c in ms] + [col_of["EU"]]
    touches_eu = (offered[:, eu_codes] | used[:, eu_codes] | output[:, eu_codes]).any(axis=1)
    place_rows = {
        "CN": (offered | used)[:, col_of["CN"]],
        "KR": (offered | used)[:, col_of["KR"]],
        "IN": (offered | used)[:, col_of["IN"]],
        "US-TX": established[:, col_of["US-TX"]],
    }
    us_established = established[:, [col_of[c] for c in us_est]].any(axis=1)

    # --- facts
    public = (draw() < spec.public_p[archetype]) & ~is_gpai
    size_arr = np.array(SIZES)
    employees_lo = np.array([SIZE_EMPLOYEES[s][0] for s in size_arr])[size_idx]
    employees_hi = np.array([SIZE_EMPLOYEES[s][1] for s in size_arr])[size_idx]
    log_emp = np.log(employees_lo) + draw() * (np.log(employees_hi + 1) - np.log(employees_lo))
    employees = np.floor(np.exp(log_emp))
    turnover = employees * SIZE_TURNOVER_PER_EMPLOYEE * np.exp(rng.normal(0.0, 0.5, n))
    provider = (draw() < np.array([PROVIDER_BY_SIZE[s] for s in SIZES])[size_idx]) | is_gpai
    deployer = ~provider | (draw() < 0.6)
    deployer &= ~is_gpai | (draw() < 0.3)
    eu_established = established[:, [col_of[c] for c in ms]].any(axis=1)
    foreign_provider_in_eu = touches_eu & ~eu_established
    role_matrix = np.stack(
        [
            provider,
            deployer,
            eu_established & ~provider & (draw() < 0.05),  # importer
            ~provider & (draw() < 0.04),  # distributor
            eu_established & ~provider & (draw() < 0.01),  # authorised representative
            provider & (spec.set_p["system.annex_i_legislation"][archetype].max(axis=1) > 0) & (draw() < 0.5),
        ],
        axis=1,
    )
    role_labels = list(vocabulary["operator.roles"].values)
    compute_log10 = np.where(is_gpai, 23.0 + rng.exponential(0.9, n), np.nan)
    users = np.exp(rng.normal(np.log(20_000), 2.5, n))

    def known(fid: str, relevant: np.ndarray | None = None) -> np.ndarray:
        tier = "judgement" if fid in JUDGEMENT else "basic" if fid in BASIC else "intermediate"
        mask = draw() < known_rate[tier]
        if relevant is not None:
            mask &= relevant
        if fid in EU_ONLY:
            mask &= touches_eu
        for place, facts in ONLY_IN.items():
            if fid in facts:
                mask &= place_rows[place]
        if fid in US_FEDERAL:
            mask &= us_established & public
        if fid in DERIVED_NULL:
            mask &= False
        return mask

    all_rows = np.ones(n, dtype=bool)
    for fid, fact in vocabulary.facts.items():
        if fid == "territory.offered_in":
            cols[fid] = _lists(offered, codes, known(fid))
        elif fid == "territory.used_in":
            cols[fid] = _lists(used, codes, known(fid))
        elif fid == "territory.output_used_in":
            cols[fid] = _lists(output, codes, known(fid))
        elif fid == "operator.established_in":
            cols[fid] = _lists(established, codes, known(fid))
        elif fid == "operator.roles":
            cols[fid] = _lists(role_matrix, role_labels, known(fid))
        elif fid == "operator.size":
            cols[fid] = _enum(fact, size_idx, known(fid))
        elif fact.type == "bool":
            cols[fid] = _bool_fact(
                fid,
                draw,
                archetype,
                spec,
                known,
                public,
                is_gpai,
                compute_log10,
                touches_eu,
                provider,
                foreign_provider_in_eu,
                us_established,
                n,
            )
        elif fact.type == "set":
            table = spec.set_p[fid]
            relevant = ~np.isnan(table[:, 0])[archetype]
            matrix = draw(table.shape[1]) < np.nan_to_num(table).astype(np.float32)[archetype]
            cols[fid] = _lists(matrix, list(fact.values), known(fid, relevant))
        elif fact.type == "enum":
            cum = spec.enum_p[fid][archetype]
            relevant = ~np.isnan(cum[:, 0])
            index = (draw()[:, None] > np.nan_to_num(cum, nan=1.0)).sum(axis=1)
            cols[fid] = _enum(fact, np.minimum(index, len(fact.values) - 1), known(fid, relevant))
        elif fact.type == "number":
            values, relevant = _number(
                fid, employees, turnover, compute_log10, users, is_gpai, spec, archetype, place_rows, draw, n
            )
            cols[fid] = _float(values, known(fid, relevant))
        elif fact.type == "date":
            span = int((DATE_TO - DATE_FROM).astype(int))
            days = (DATE_FROM - np.datetime64("1970-01-01")).astype(int) + np.floor(draw() * span)
            relevant = all_rows
            if fid == "model.placed_on_market_date":
                relevant = is_gpai
                days = np.maximum(days, (np.datetime64("2020-06-01") - np.datetime64("1970-01-01")).astype(int))
            elif fid == "deployment.federal_solicitation_date":
                relevant = draw() < 0.3
            cols[fid] = _date(days, known(fid, relevant))
        else:  # jurisdictions facts not modelled above stay unknown
            cols[fid] = pl.Series(fid, [None] * n, dtype=fact_dtype(fact))

    size_weight = weights["per_row_by_size"][size_idx]
    weight = np.where(is_gpai, weights["gpai"], size_weight)
    frame = pl.DataFrame(
        [
            _ids(start, n),
            pl.Series(WEIGHT_COLUMN, weight.astype(np.float64)),
            *(s.alias(fid) for fid, s in cols.items()),
        ]
    )
    return frame.select([ID_COLUMN, WEIGHT_COLUMN, *population_schema(vocabulary)])


def _ids(start: int, n: int) -> pl.Series:
    numbers = pl.int_range(start, start + n, eager=True).cast(pl.String).str.zfill(7)
    return pl.select(pl.lit("sys-") + pl.lit(numbers)).to_series().alias(ID_COLUMN)


def _bool_fact(
    fid: str,
    draw: Callable[..., np.ndarray],
    archetype: np.ndarray,
    spec: _Spec,
    known: Callable[..., np.ndarray],
    public: np.ndarray,
    is_gpai: np.ndarray,
    compute_log10: np.ndarray,
    touches_eu: np.ndarray,
    provider: np.ndarray,
    foreign_provider_in_eu: np.ndarray,
    us_established: np.ndarray,
    n: int,
) -> pl.Series:
    table = spec.bool_p[fid]
    relevant = ~np.isnan(table)[archetype]
    values = draw() < np.nan_to_num(table).astype(np.float32)[archetype]
    if fid in ("operator.public_authority", "deployment.by_public_body"):
        values, relevant = public, np.ones(n, dtype=bool)
    elif fid == "deployment.private_public_service":
        values, relevant = ~public & (draw() < 0.05), np.ones(n, dtype=bool)
    elif fid in ("operator.us_federal_agency",):
        values, relevant = draw() < 0.3, np.ones(n, dtype=bool)
    elif fid == "operator.cfo_act_agency":
        values, relevant = draw() < 0.2, np.ones(n, dtype=bool)
    elif fid == "operator.texas_governmental_entity":
        values, relevant = public, np.ones(n, dtype=bool)
    elif fid == "system.national_security_system":
        values, relevant = draw() < 0.02, np.ones(n, dtype=bool)
    elif fid == "system.output_principal_basis_for_rights_or_safety_decisions":
        values, relevant = draw() < np.nan_to_num(table, nan=0.1)[archetype], np.ones(n, dtype=bool)
    elif fid.startswith("model."):
        relevant = is_gpai.copy()
        big = compute_log10 >= 25
        if fid == "model.general_purpose":
            values = np.ones(n, dtype=bool)
        elif fid == "model.high_impact_capabilities":
            values = big & (draw() < 0.8)
        elif fid == "model.designated_systemic_risk":
            values = big & (draw() < 0.5)
        elif fid == "model.systemic_risk_rebutted":
            values = big & (draw() < 0.05)
        elif fid == "model.open_source_licence":
            values = draw() < 0.3
        elif fid == "model.weights_public":
            values = draw() < 0.26  # Epoch: 50 of 193 large-scale models have downloadable weights
        elif fid == "model.monetised":
            values = draw() < 0.75
        elif fid == "model.placed_on_eu_market":
            values = touches_eu
        elif fid == "model.trained_by_operator":
            values = draw() < 0.9
        elif fid == "model.primarily_biological_sequence_data":
            values = draw() < 0.02
    elif fid == "deployment.personal_non_professional":
        pass
    elif fid in ("operator.affixes_own_name", "operator.substantial_modification", "operator.repurposed_to_high_risk"):
        values &= ~provider
    elif fid == "operator.provider_excluded_high_risk_use":
        values, relevant = draw() < 0.3, ~provider
    elif fid == "system.itself_annex_i_product" or fid == "system.third_party_conformity_assessment":
        pass
    return _bool(values, known(fid, relevant))


def _number(
    fid: str,
    employees: np.ndarray,
    turnover: np.ndarray,
    compute_log10: np.ndarray,
    users: np.ndarray,
    is_gpai: np.ndarray,
    spec: _Spec,
    archetype: np.ndarray,
    place_rows: dict[str, np.ndarray],
    draw: Callable[..., np.ndarray],
    n: int,
) -> tuple[np.ndarray, np.ndarray]:
    everyone = np.ones(n, dtype=bool)
    platformish = ~np.isnan(spec.users_p[archetype])
    if fid == "operator.employees":
        return employees, everyone
    if fid == "operator.annual_turnover_eur":
        return turnover, everyone
    if fid == "operator.annual_revenue_usd":
        return turnover * EUR_USD, everyone
    if fid == "operator.annual_revenue_krw":
        return turnover * EUR_KRW, everyone
    if fid == "operator.ai_service_revenue_krw":
        return turnover * EUR_KRW * draw(), everyone
    if fid == "model.training_compute_flop":
        return np.where(is_gpai, 10.0**compute_log10, 0.0), is_gpai
    if fid == "operator.cluster_peak_ops_per_second":
        return np.where(is_gpai, 10.0 ** (17 + 4 * draw()), 0.0), everyone
    if fid == "operator.platform_monthly_users":
        relevant = spec.bool_p["operator.operates_content_platform"][archetype] > 0.5
        return users * 5, relevant
    if fid == "operator.average_daily_users_korea":
        return users * 0.05 * draw(), platformish
    if fid == "system.registered_users_india":
        return users * 0.1 * draw(), platformish
    if fid in ("system.monthly_users", "deployment.monthly_active_users"):
        return users, platformish
    if fid == "deployment.registered_users":
        return users * 1.5, platformish
    return np.zeros(n), np.zeros(n, dtype=bool)
