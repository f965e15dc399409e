"""A synthetic population of AI systems, one row per system, drawn from cited statistics.

The figures and assumptions live in `data/population.yaml` (docs/population.md lists each one with its source
and confidence). Generation is vectorized with numpy, deterministic per seed, and done in chunks so a caller can
show progress. Columns follow `regatlas.compile.columns`: fact columns named by their dotted ids, null = unknown.

How a row is made: an operator (region and member state or state of establishment, size, roles) and a kind of
system (an archetype such as CV screening or a chatbot) are drawn; the archetype gives the chance of each yes/no
fact and set member; where the system is offered, used and its output used follow from the operator's reach;
then each fact is forgotten (made unknown) with the chance that fits its kind (basic, intermediate or a legal
judgement). Facts that do not concern the row stay null: model facts for systems that are not general-purpose
models, EU-only facts for systems that touch no EU place, and so on. Derived facts (territory.placed_on_eu_market
and the like) are left null: the engine derives them from the lists.

The parts: `figures` (the cited statistics and the totals behind the row weights), `archetypes` (the kinds of
system and their chances), `sample_places`, `sample_facts` and `forgetting` (which facts stay unknown); this
module draws each chunk in a fixed order from them and assembles the frame.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import polars as pl

from ..compile.columns import ID_COLUMN, WEIGHT_COLUMN, population_schema
from ..errors import Problem, RegatlasError
from ..facts.vocabulary import Vocabulary
from .chances import Chances
from .column_builders import id_column
from .figures import SIZES, Figures, gpai_models, load_figures, norm, size_mix, systems_by_size
from .forgetting import knower
from .sample_facts import draw_rows, fact_columns
from .sample_places import draw_places

CHUNK = 250_000


def generate_population(pack: Any, size: int, seed: int, progress: Callable[[int], None] | None = None) -> pl.DataFrame:
    """`size` synthetic AI systems (one row each), reproducible from `seed`; see docs/population.md."""
    if size < 0:
        raise RegatlasError(Problem(f"population size must be at least 0, not {size}", path="size"))
    figures = load_figures()
    vocabulary: Vocabulary = pack.vocabulary
    spec = Chances(vocabulary, figures)
    weights = _row_weights(figures, spec, size)
    rng = np.random.default_rng(seed)
    chunks: list[pl.DataFrame] = []
    done = 0
    while done < size:
        n = min(CHUNK, size - done)
        chunks.append(_chunk(rng, n, done, spec, figures, weights))
        done += n
        if progress is not None:
            progress(done)
    if not chunks:
        chunks.append(_chunk(rng, 0, 0, spec, figures, weights))
    return pl.concat(chunks, rechunk=False)


def _row_weights(figures: Figures, spec: Chances, size: int) -> dict[str, Any]:
    """Real systems per row: per operator size for ordinary rows, from Epoch's counts for model rows."""
    _, size_p = size_mix(figures)
    gpai_share = spec.archetype_p[spec.gpai].sum()
    totals = systems_by_size(figures)
    rows = max(size, 1)
    per_size = [totals[s] / (rows * s_p * (1 - gpai_share)) for s, s_p in zip(SIZES, size_p, strict=True)]
    return {"per_row_by_size": np.array(per_size), "gpai": gpai_models(figures) / (rows * gpai_share)}


def _chunk(
    rng: np.random.Generator, n: int, start: int, spec: Chances, figures: Figures, weights: dict[str, Any]
) -> pl.DataFrame:
    """`n` rows numbered from `start`. The draws are made in a fixed order: operator, places, facts."""
    vocabulary: Vocabulary = spec.vocabulary

    def draw(k: int = 0) -> np.ndarray:
        return rng.random(n, dtype=np.float32) if k == 0 else rng.random((n, k), dtype=np.float32)

    # --- operator: size, region of establishment, archetype
    size_names, size_p = size_mix(figures)
    size_idx = rng.choice(len(size_names), size=n, p=size_p)
    archetype = rng.choice(len(spec.names), size=n, p=spec.archetype_p)
    is_gpai = spec.gpai[archetype]
    size_idx = np.where(is_gpai, np.maximum(size_idx, 3), size_idx)  # model developers are big
    regions, region_p = norm(figures.value("establishment_mix"))
    region = rng.choice(len(regions), size=n, p=region_p)
    origin_keys, origin_p = norm(figures.value("epoch_large_scale_origin"))
    origin = np.array([regions.index(k) for k in origin_keys])[rng.choice(len(origin_keys), size=n, p=origin_p)]
    region = np.where(is_gpai, origin, region)

    # --- places: one code list per fact, built on a rows x codes matrix
    places = draw_places(rng, draw, figures, regions, region, size_idx, is_gpai)

    # --- facts
    rows = draw_rows(rng, draw, spec, archetype, size_idx, places)
    known = knower(draw, figures.value("known_rate"), places, rows.public)
    cols = fact_columns(vocabulary, spec, draw, known, rows, places)

    size_weight = weights["per_row_by_size"][size_idx]
    weight = np.where(is_gpai, weights["gpai"], size_weight)
    frame = pl.DataFrame(
        [
            id_column(start, n),
            pl.Series(WEIGHT_COLUMN, weight.astype(np.float64)),
            *(s.alias(fid) for fid, s in cols.items()),
        ]
    )
    return frame.select([ID_COLUMN, WEIGHT_COLUMN, *population_schema(vocabulary)])
