"""The facts of a chunk of synthetic rows, one column per vocabulary fact, drawn after operator and places.

First the per-row quantities several facts follow from (public body, employees, turnover, roles, training
compute, users); then each fact by its type: yes/no and set members by the archetype's chances, enum values by
its weights, numbers and dates by the rules below. Each column is then masked by `known` (`forgetting.py`).
Every draw is made in a fixed order, so a seed gives the same population.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import polars as pl

from ..compile.columns import fact_dtype
from ..facts.vocabulary import Vocabulary
from .chances import Chances
from .column_builders import bool_column, date_column, enum_column, float_column, list_column
from .figures import SIZES
from .forgetting import Known
from .sample_places import Places

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

Draw = Callable[..., np.ndarray]


@dataclass
class Rows:
    """Per-row quantities drawn before the facts, which several facts follow from."""

    n: int
    archetype: np.ndarray
    is_gpai: np.ndarray
    size_idx: np.ndarray
    public: np.ndarray
    employees: np.ndarray
    turnover: np.ndarray
    provider: np.ndarray
    roles: np.ndarray  # rows x the vocabulary's operator.roles
    compute_log10: np.ndarray  # NaN but for general-purpose model rows
    users: np.ndarray


def draw_rows(
    rng: np.random.Generator,
    draw: Draw,
    spec: Chances,
    archetype: np.ndarray,
    size_idx: np.ndarray,
    places: Places,
) -> Rows:
    n = len(archetype)
    is_gpai = spec.gpai[archetype]
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
    eu_established = places.eu_established
    roles = np.stack(
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
    compute_log10 = np.where(is_gpai, 23.0 + rng.exponential(0.9, n), np.nan)
    users = np.exp(rng.normal(np.log(20_000), 2.5, n))
    return Rows(n, archetype, is_gpai, size_idx, public, employees, turnover, provider, roles, compute_log10, users)


def fact_columns(
    vocabulary: Vocabulary, spec: Chances, draw: Draw, known: Known, rows: Rows, places: Places
) -> dict[str, pl.Series]:
    """One column per vocabulary fact, in vocabulary order."""
    n, archetype = rows.n, rows.archetype
    cols: dict[str, pl.Series] = {}
    role_labels = list(vocabulary["operator.roles"].values)
    for fid, fact in vocabulary.facts.items():
        if fid == "territory.offered_in":
            cols[fid] = list_column(places.offered, places.codes, known(fid))
        elif fid == "territory.used_in":
            cols[fid] = list_column(places.used, places.codes, known(fid))
        elif fid == "territory.output_used_in":
            cols[fid] = list_column(places.output, places.codes, known(fid))
        elif fid == "operator.established_in":
            cols[fid] = list_column(places.established, places.codes, known(fid))
        elif fid == "operator.roles":
            cols[fid] = list_column(rows.roles, role_labels, known(fid))
        elif fid == "operator.size":
            cols[fid] = enum_column(fact, rows.size_idx, known(fid))
        elif fact.type == "bool":
            cols[fid] = _bool_fact(fid, draw, spec, known, rows, places)
        elif fact.type == "set":
            table = spec.set_p[fid]
            relevant = ~np.isnan(table[:, 0])[archetype]
            matrix = draw(table.shape[1]) < np.nan_to_num(table).astype(np.float32)[archetype]
            cols[fid] = list_column(matrix, list(fact.values), known(fid, relevant))
        elif fact.type == "enum":
            cum = spec.enum_p[fid][archetype]
            relevant = ~np.isnan(cum[:, 0])
            index = (draw()[:, None] > np.nan_to_num(cum, nan=1.0)).sum(axis=1)
            cols[fid] = enum_column(fact, np.minimum(index, len(fact.values) - 1), known(fid, relevant))
        elif fact.type == "number":
            values, relevant = _number(fid, draw, spec, rows)
            cols[fid] = float_column(values, known(fid, relevant))
        elif fact.type == "date":
            cols[fid] = _date_fact(fid, draw, known, rows)
        else:  # jurisdictions facts not modelled above stay unknown
            cols[fid] = pl.Series(fid, [None] * n, dtype=fact_dtype(fact))
    return cols


def _date_fact(fid: str, draw: Draw, known: Known, rows: Rows) -> pl.Series:
    span = int((DATE_TO - DATE_FROM).astype(int))
    days = (DATE_FROM - np.datetime64("1970-01-01")).astype(int) + np.floor(draw() * span)
    relevant = np.ones(rows.n, dtype=bool)
    if fid == "model.placed_on_market_date":
        relevant = rows.is_gpai
        days = np.maximum(days, (np.datetime64("2020-06-01") - np.datetime64("1970-01-01")).astype(int))
    elif fid == "deployment.federal_solicitation_date":
        relevant = draw() < 0.3
    return date_column(days, known(fid, relevant))


def _bool_fact(fid: str, draw: Draw, spec: Chances, known: Known, rows: Rows, places: Places) -> pl.Series:
    n, archetype, public = rows.n, rows.archetype, rows.public
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
        relevant = rows.is_gpai.copy()
        values = _model_fact(fid, draw, rows, places, values)
    elif fid == "deployment.personal_non_professional":
        pass
    elif fid in ("operator.affixes_own_name", "operator.substantial_modification", "operator.repurposed_to_high_risk"):
        values &= ~rows.provider
    elif fid == "operator.provider_excluded_high_risk_use":
        values, relevant = draw() < 0.3, ~rows.provider
    elif fid == "system.itself_annex_i_product" or fid == "system.third_party_conformity_assessment":
        pass
    return bool_column(values, known(fid, relevant))


def _model_fact(fid: str, draw: Draw, rows: Rows, places: Places, drawn: np.ndarray) -> np.ndarray:
    """A general-purpose model's yes/no fact (`drawn`, the archetype's draw, for the facts not named here)."""
    big = rows.compute_log10 >= 25
    if fid == "model.general_purpose":
        return np.ones(rows.n, dtype=bool)
    if fid == "model.high_impact_capabilities":
        return big & (draw() < 0.8)
    if fid == "model.designated_systemic_risk":
        return big & (draw() < 0.5)
    if fid == "model.systemic_risk_rebutted":
        return big & (draw() < 0.05)
    if fid == "model.open_source_licence":
        return draw() < 0.3
    if fid == "model.weights_public":
        return draw() < 0.26  # Epoch: 50 of 193 large-scale models have downloadable weights
    if fid == "model.monetised":
        return draw() < 0.75
    if fid == "model.placed_on_eu_market":
        return places.touches_eu
    if fid == "model.trained_by_operator":
        return draw() < 0.9
    if fid == "model.primarily_biological_sequence_data":
        return draw() < 0.02
    return drawn


def _number(fid: str, draw: Draw, spec: Chances, rows: Rows) -> tuple[np.ndarray, np.ndarray]:
    n, turnover, users, is_gpai = rows.n, rows.turnover, rows.users, rows.is_gpai
    everyone = np.ones(n, dtype=bool)
    platformish = ~np.isnan(spec.users_p[rows.archetype])
    if fid == "operator.employees":
        return rows.employees, everyone
    if fid == "operator.annual_turnover_eur":
        return turnover, everyone
    if fid == "operator.annual_revenue_usd":
        return turnover * EUR_USD, everyone
    if fid == "operator.annual_revenue_krw":
        return turnover * EUR_KRW, everyone
    if fid == "operator.ai_service_revenue_krw":
        return turnover * EUR_KRW * draw(), everyone
    if fid == "model.training_compute_flop":
        return np.where(is_gpai, 10.0**rows.compute_log10, 0.0), is_gpai
    if fid == "operator.cluster_peak_ops_per_second":
        return np.where(is_gpai, 10.0 ** (17 + 4 * draw()), 0.0), everyone
    if fid == "operator.platform_monthly_users":
        relevant = spec.bool_p["operator.operates_content_platform"][rows.archetype] > 0.5
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
