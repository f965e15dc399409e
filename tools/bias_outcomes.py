"""Write the synthetic hiring outcomes of examples/evidence/hiring-outcomes.csv (made up, seeded, reproducible).

    python tools/bias_outcomes.py examples/evidence/hiring-outcomes.csv [--seed 144] [--size 2400]

No real person is in it: each row is a made-up candidate of a made-up CV-screening tool, with a sex, a
race/ethnicity (the EEO-1 categories 6 RCNY § 5-301 uses), a score from 0 to 100 and whether the tool moved
the candidate forward (a score of 60 or more). The tool is built to favour some groups a little, so the audit
has something to find; about 3% of candidates leave each category empty, so the audit has unknowns to count;
one category is under 2% of the data, so the auditor has a choice to make. Python's own seeded generator is
used, so the same seed gives the same file on every platform and version.
"""

from __future__ import annotations

import argparse
import csv
import random
from pathlib import Path

SEXES = [("Female", 0.49, -2.0), ("Male", 0.51, 0.0)]
RACES = [  # (category, share of candidates, score shift the made-up tool applies)
    ("Hispanic or Latino", 0.21, -3.0),
    ("White (Not Hispanic or Latino)", 0.38, 0.0),
    ("Black or African American (Not Hispanic or Latino)", 0.19, -5.0),
    ("Native Hawaiian or Pacific Islander (Not Hispanic or Latino)", 0.012, -1.0),
    ("Asian (Not Hispanic or Latino)", 0.15, 1.0),
    ("Native American or Alaska Native (Not Hispanic or Latino)", 0.022, -4.0),
    ("Two or More Races (Not Hispanic or Latino)", 0.036, -2.0),
]
UNKNOWN_SHARE = 0.03
CUTOFF = 60.0


def _pick(rng: random.Random, options: list[tuple[str, float, float]]) -> tuple[str, float]:
    name, _, shift = rng.choices(options, weights=[share for _, share, _ in options])[0]
    return name, shift


def candidate(rng: random.Random, number: int) -> dict[str, str]:
    sex, sex_shift = _pick(rng, SEXES)
    race, race_shift = _pick(rng, RACES)
    score = max(0.0, min(100.0, rng.gauss(58.0, 12.0) + sex_shift + race_shift))
    return {
        "candidate_id": f"synthetic-{number:05d}",
        "sex": "" if rng.random() < UNKNOWN_SHARE else sex,
        "race_ethnicity": "" if rng.random() < UNKNOWN_SHARE else race,
        "score": f"{score:.1f}",
        "selected": "yes" if score >= CUTOFF else "no",
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("output", type=Path)
    parser.add_argument("--seed", type=int, default=144)
    parser.add_argument("--size", type=int, default=2400)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    rows = [candidate(rng, n) for n in range(1, args.size + 1)]
    with args.output.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


if __name__ == "__main__":
    main()
