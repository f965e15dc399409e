"""A hand-written Polars query for 50 EU AI Act rules: the reference the compiled engine is measured against.

Written by hand from the rules' `when` texts in packs/eu/ai_act/rules/*.yaml as in force on 2 December 2026
(after Regulation (EU) 2026/1744), with the parameter folded in (systemic-risk threshold 10^25 FLOP) and the
same column conventions as the compiled engine (compile/columns.py in, `id`, `weight`, `touch:eu_ai_act`,
`eu_ai_act:<rule>` Boolean and `eu_ai_act:<rule>@from` Date out). Unknown is null; `&`, `|`, `~` are Kleene in
Polars; a list test on an unknown list is unknown. Which codes lie in (or contain) the EU is data, read from
the pack's registry on the date, as a person writing this query would paste the member states.

The 50 rules are closed under dependencies (every rule, exception and rule reference they need is among
them): scope and its exclusions, the Art. 5 prohibitions with their exceptions, Art. 50 transparency, the
GPAI systemic-risk chain (the parameter a scenario changes) and some Annex I/III definitions (set facts).
"""

from __future__ import annotations

import datetime as dt

import polars as pl

INSTRUMENT = "eu_ai_act"
AS_OF = dt.date(2026, 12, 2)
FLOP_THRESHOLD = 1e25  # param.systemic_risk_flop_threshold on AS_OF

RULES = (
    # scope (scope.yaml)
    "ai_system", "territorial_scope", "in_scope", "excl_military_defence", "excl_scientific_research",
    "excl_pre_market_rnd", "excl_personal_use",
    # prohibitions (prohibitions.yaml)
    "art5_1_a_manipulation", "art5_1_b_exploitation_of_vulnerabilities", "art5_1_c_social_scoring",
    "art5_1_d_crime_prediction", "art5_1_d_human_assessment_support", "art5_1_e_facial_scraping",
    "art5_1_f_emotion_recognition", "art5_1_f_medical_safety_exception", "art5_1_g_biometric_categorisation",
    "art5_1_g_labelling_filtering", "art5_1_h_rbi_law_enforcement_use", "art5_1_h_realtime_rbi",
    "art5_1_h_permitted_use", "art5_2_rbi_safeguards", "art5_1_ba_bb_provider", "art5_1_ba_bb_deployer",
    "art5_1b_non_exposing_manipulation", "art5_1_bb_without_right_defence",
    # transparency (transparency.yaml)
    "art50_1_ai_interaction_disclosure", "art50_1_obvious_interaction", "art50_1_law_enforcement",
    "art50_2_synthetic_content_marking", "art50_2_standard_editing", "art50_2_no_substantial_alteration",
    "art50_2_law_enforcement", "art50_3_inform_exposed_persons", "art50_3_law_enforcement",
    "art50_4_deep_fake_disclosure", "art50_4_public_interest_text_disclosure", "art50_4_editorial_responsibility",
    "art50_4_law_enforcement",
    # general-purpose AI models (gpai.yaml)
    "gpai_model", "gpai_in_scope", "art51_1_a_high_impact_capabilities", "gpai_systemic_risk",
    "art52_2_rebuttal_accepted", "art52_1_notify_commission", "art55_1_a_model_evaluation",
    # Annex I / Annex III definitions (high_risk_classification.yaml)
    "annex_i_section_a_product", "annex_iii_1_biometrics", "annex_iii_4_employment",
    "annex_iii_5_essential_services", "annex_iii_6_law_enforcement",
)  # fmt: skip
KEYS = tuple(f"{INSTRUMENT}:{r}" for r in RULES)
PLACE_LISTS = ("territory.offered_in", "territory.used_in", "territory.output_used_in", "operator.established_in")


def eu_codes(registry, day: dt.date = AS_OF) -> tuple[list[str], list[str]]:
    """(codes inside the EU, codes related to it: inside it or containing it) on the day."""
    inside = sorted(c for c in registry.places if registry.within(c, "EU", day))
    containing = sorted(c for c in registry.places if registry.within("EU", c, day))
    return inside, sorted(set(inside) | set(containing))


def _c(name: str) -> pl.Expr:
    return pl.col(name)


def _any_of(column: str, values: list[str]) -> pl.Expr:
    """intersects(list, values): unknown for an unknown list, false for an empty one."""
    return _c(column).list.eval(pl.element().is_in(values)).list.any()


def _has(column: str, value: str) -> pl.Expr:
    """ "value" in set_fact (unknown for an unknown list)."""
    return _c(column).list.contains(value)


def _date_if(cond: pl.Expr, then: dt.date, other: dt.date) -> pl.Expr:
    """cond ? then : other with an unknown cond giving unknown (the branches differ)."""
    return pl.when(cond.is_null()).then(None).when(cond).then(pl.lit(then)).otherwise(pl.lit(other)).cast(pl.Date)


def query(frame: pl.LazyFrame, registry) -> pl.LazyFrame:
    """The 50 findings, the touch column and the row-dependent applies-from dates."""
    inside_eu, related_eu = eu_codes(registry)

    def derived(fact: str, source: str) -> pl.Expr:
        return pl.when(_c(source).is_not_null()).then(_any_of(source, inside_eu)).otherwise(_c(fact)).alias(fact)

    k = {r: f"{INSTRUMENT}:{r}" for r in RULES}
    r = {name: pl.col(key) for name, key in k.items()}
    lazy = frame.with_columns(
        derived("territory.placed_on_eu_market", "territory.offered_in"),
        derived("territory.used_in_eu", "territory.used_in"),
        derived("territory.output_used_in_eu", "territory.output_used_in"),
        derived("operator.established_in_eu", "operator.established_in"),
    )
    unions = [
        _c(f).fill_null(False)
        for f in ("territory.placed_on_eu_market", "territory.used_in_eu", "territory.output_used_in_eu")
    ]
    unnamed = pl.all_horizontal([_c(f).is_null() for f in PLACE_LISTS])
    overlaps = [_any_of(f, related_eu).fill_null(False) for f in PLACE_LISTS]
    lazy = lazy.with_columns(
        pl.any_horizontal([*unions, unnamed, *overlaps]).alias(f"touch:{INSTRUMENT}"),
        # facts only
        _c("system.is_ai_system").alias(k["ai_system"]),
        (_c("territory.placed_on_eu_market") | _c("territory.used_in_eu") | _c("territory.output_used_in_eu")).alias(
            k["territorial_scope"]
        ),
        _c("system.exclusively_military_defence_security").alias(k["excl_military_defence"]),
        _c("system.sole_purpose_scientific_research").alias(k["excl_scientific_research"]),
        _c("system.pre_market_research_only").alias(k["excl_pre_market_rnd"]),
        _c("deployment.personal_non_professional").alias(k["excl_personal_use"]),
        _c("system.supports_human_crime_assessment").alias(k["art5_1_d_human_assessment_support"]),
        _c("deployment.medical_or_safety_reasons").alias(k["art5_1_f_medical_safety_exception"]),
        _c("system.labels_lawful_biometric_datasets").alias(k["art5_1_g_labelling_filtering"]),
        _c("system.intimate_manipulation_no_added_exposure").alias(k["art5_1b_non_exposing_manipulation"]),
        _c("deployment.csam_without_right_defence").alias(k["art5_1_bb_without_right_defence"]),
        _c("system.ai_interaction_obvious").alias(k["art50_1_obvious_interaction"]),
        (_c("system.authorised_for_criminal_offences") & ~_c("system.available_to_public_for_reporting_crime")).alias(
            k["art50_1_law_enforcement"]
        ),
        _c("system.standard_editing_only").alias(k["art50_2_standard_editing"]),
        _c("system.no_substantial_alteration").alias(k["art50_2_no_substantial_alteration"]),
        _c("system.authorised_for_criminal_offences").alias(k["art50_2_law_enforcement"]),
        _c("system.authorised_for_criminal_offences").alias(k["art50_3_law_enforcement"]),
        _c("system.authorised_for_criminal_offences").alias(k["art50_4_law_enforcement"]),
        (_c("system.public_interest_text") & _c("system.editorial_control")).alias(
            k["art50_4_editorial_responsibility"]
        ),
        _c("model.general_purpose").alias(k["gpai_model"]),
        (_c("model.high_impact_capabilities") | (_c("model.training_compute_flop") > FLOP_THRESHOLD)).alias(
            k["art51_1_a_high_impact_capabilities"]
        ),
        _any_of(
            "system.annex_i_legislation",
            [
                "A2_toys",
                "A3_recreational_craft",
                "A4_lifts",
                "A5_atex",
                "A6_radio_equipment",
                "A7_pressure_equipment",
                "A8_cableways",
                "A9_ppe",
                "A10_gas_appliances",
                "A11_medical_devices",
                "A12_ivd",
            ],
        ).alias(k["annex_i_section_a_product"]),
        (
            (_has("system.annex_iii_points", "1a") & ~_c("system.verification_only"))
            | _has("system.annex_iii_points", "1b")
            | _has("system.annex_iii_points", "1c")
        ).alias(k["annex_iii_1_biometrics"]),
        (_has("system.annex_iii_points", "4a") | _has("system.annex_iii_points", "4b")).alias(
            k["annex_iii_4_employment"]
        ),
        pl.any_horizontal([_has("system.annex_iii_points", p) for p in ("5a", "5b", "5c", "5d")]).alias(
            k["annex_iii_5_essential_services"]
        ),
        pl.any_horizontal([_has("system.annex_iii_points", p) for p in ("6a", "6b", "6c", "6d", "6e")]).alias(
            k["annex_iii_6_law_enforcement"]
        ),
    )
    lazy = lazy.with_columns(
        (
            (r["ai_system"] & r["territorial_scope"])
            & ~(r["excl_military_defence"] | r["excl_scientific_research"] | r["excl_pre_market_rnd"])
        ).alias(k["in_scope"]),
        (r["gpai_model"] & _c("model.placed_on_eu_market")).alias(k["gpai_in_scope"]),
        (
            r["art51_1_a_high_impact_capabilities"]
            & _c("model.systemic_risk_rebutted")
            & ~_c("model.designated_systemic_risk")
        ).alias(k["art52_2_rebuttal_accepted"]),
    )
    in_scope = r["in_scope"]
    lazy = lazy.with_columns(
        (
            in_scope
            & _c("system.manipulative_techniques")
            & _c("system.materially_distorts_behaviour")
            & _c("system.significant_harm_likely")
        ).alias(k["art5_1_a_manipulation"]),
        (
            in_scope
            & _c("system.exploits_vulnerabilities")
            & _c("system.materially_distorts_behaviour")
            & _c("system.significant_harm_likely")
        ).alias(k["art5_1_b_exploitation_of_vulnerabilities"]),
        (
            in_scope
            & _c("system.social_scoring")
            & (_c("system.score_unrelated_context_detriment") | _c("system.score_disproportionate_detriment"))
        ).alias(k["art5_1_c_social_scoring"]),
        (
            (in_scope & _c("system.predicts_criminal_offending") & _c("system.solely_profiling_based"))
            & ~r["art5_1_d_human_assessment_support"]
        ).alias(k["art5_1_d_crime_prediction"]),
        (in_scope & _c("system.untargeted_face_scraping")).alias(k["art5_1_e_facial_scraping"]),
        (
            (
                in_scope
                & _c("system.infers_emotions")
                & _c("system.uses_biometric_data")
                & _c("deployment.workplace_or_education")
            )
            & ~r["art5_1_f_medical_safety_exception"]
        ).alias(k["art5_1_f_emotion_recognition"]),
        (
            (in_scope & _c("system.biometric_categorisation") & _c("system.infers_sensitive_traits"))
            & ~r["art5_1_g_labelling_filtering"]
        ).alias(k["art5_1_g_biometric_categorisation"]),
        (
            in_scope
            & _c("system.remote_biometric_identification")
            & _c("system.real_time")
            & _c("deployment.publicly_accessible_space")
            & _c("deployment.law_enforcement")
        ).alias(k["art5_1_h_rbi_law_enforcement_use"]),
        (
            (
                in_scope
                & (
                    _c("system.generates_intimate_imagery")
                    | _c("system.generates_csam")
                    | (_c("system.harmful_sexual_output_foreseeable") & ~_c("system.sexual_content_safeguards"))
                )
            )
            & ~(r["art5_1b_non_exposing_manipulation"] | r["art5_1_bb_without_right_defence"])
        ).alias(k["art5_1_ba_bb_provider"]),
        (
            (
                in_scope
                & _any_of("system.generated_content", ["image", "video", "audio"])
                & _c("deployment.purpose_intimate_or_csam")
            )
            & ~(r["excl_personal_use"] | r["art5_1b_non_exposing_manipulation"] | r["art5_1_bb_without_right_defence"])
        ).alias(k["art5_1_ba_bb_deployer"]),
        (
            (in_scope & _c("system.interacts_with_natural_persons"))
            & ~(r["art50_1_obvious_interaction"] | r["art50_1_law_enforcement"])
        ).alias(k["art50_1_ai_interaction_disclosure"]),
        (
            (in_scope & _any_of("system.generated_content", ["text", "image", "audio", "video"]))
            & ~(r["art50_2_standard_editing"] | r["art50_2_no_substantial_alteration"] | r["art50_2_law_enforcement"])
        ).alias(k["art50_2_synthetic_content_marking"]),
        (
            (
                in_scope
                & (
                    (_c("system.infers_emotions") & _c("system.uses_biometric_data"))
                    | _c("system.biometric_categorisation")
                )
            )
            & ~(r["excl_personal_use"] | r["art50_3_law_enforcement"])
        ).alias(k["art50_3_inform_exposed_persons"]),
        (
            (in_scope & _c("system.generates_deep_fakes") & ~_c("system.deep_fake_artistic_work"))
            & ~(r["excl_personal_use"] | r["art50_4_law_enforcement"])
        ).alias(k["art50_4_deep_fake_disclosure"]),
        (
            (in_scope & _c("system.public_interest_text"))
            & ~(r["excl_personal_use"] | r["art50_4_law_enforcement"] | r["art50_4_editorial_responsibility"])
        ).alias(k["art50_4_public_interest_text_disclosure"]),
        (
            (r["gpai_in_scope"] & (r["art51_1_a_high_impact_capabilities"] | _c("model.designated_systemic_risk")))
            & ~r["art52_2_rebuttal_accepted"]
        ).alias(k["gpai_systemic_risk"]),
        (r["gpai_in_scope"] & r["art51_1_a_high_impact_capabilities"]).alias(k["art52_1_notify_commission"]),
    )
    rbi_objective = _c("deployment.rbi_objective").is_in(["victim_search", "imminent_threat", "serious_crime_suspect"])
    lazy = lazy.with_columns(
        (
            r["art5_1_h_rbi_law_enforcement_use"]
            & rbi_objective
            & (_c("deployment.rbi_authorised") | _c("deployment.rbi_urgency_procedure"))
        ).alias(k["art5_1_h_permitted_use"]),
        ((r["art5_1_h_rbi_law_enforcement_use"] & rbi_objective) & ~r["excl_personal_use"]).alias(
            k["art5_2_rbi_safeguards"]
        ),
        r["gpai_systemic_risk"].alias(k["art55_1_a_model_evaluation"]),
    )
    lazy = lazy.with_columns(
        (r["art5_1_h_rbi_law_enforcement_use"] & ~r["art5_1_h_permitted_use"]).alias(k["art5_1_h_realtime_rbi"]),
    )
    gpai_from = _date_if(
        _c("model.placed_on_market_date") < dt.date(2025, 8, 2), dt.date(2027, 8, 2), dt.date(2025, 8, 2)
    )
    lazy = lazy.with_columns(
        gpai_from.alias(f"{k['art52_1_notify_commission']}@from"),
        gpai_from.alias(f"{k['art55_1_a_model_evaluation']}@from"),
        _date_if(
            _c("system.placed_on_market_date") < dt.date(2026, 8, 2), dt.date(2026, 12, 2), dt.date(2026, 8, 2)
        ).alias(f"{k['art50_2_synthetic_content_marking']}@from"),
    )
    dated = ["art52_1_notify_commission", "art55_1_a_model_evaluation", "art50_2_synthetic_content_marking"]
    return lazy.select("id", "weight", f"touch:{INSTRUMENT}", *[k[r] for r in RULES], *[f"{k[r]}@from" for r in dated])


__all__ = ["AS_OF", "INSTRUMENT", "KEYS", "RULES", "eu_codes", "query"]
