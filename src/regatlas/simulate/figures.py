"""The cited statistics behind the synthetic population, and the totals the row weights are derived from.

The figures and assumptions live in `data/population.yaml` (docs/population.md lists each one with its source
and confidence). This module reads them and derives what the generator needs from them: the real AI systems per
operator size, the general-purpose models, the row sampling mix per size.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from ..yamlio import load_file

DATA = Path(__file__).parent / "data" / "population.yaml"
SIZES = ("micro", "small", "medium", "small_mid_cap", "large")


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


def size_mix(figures: Figures) -> tuple[list[str], np.ndarray]:
    """Row sampling chance per operator size, in vocabulary order (SIZES)."""
    mix = figures.value("size_sampling_mix")
    p = np.array([mix[s] for s in SIZES], dtype=float)
    return list(SIZES), p / p.sum()


def norm(weights: dict[str, float]) -> tuple[list[str], np.ndarray]:
    """The keys of a weight table and their chances (the weights scaled to sum to 1)."""
    keys = list(weights)
    p = np.array([weights[k] for k in keys], dtype=float)
    return keys, p / p.sum()
