"""Find findings that three-valued logic leaves unknown although every answer to their missing facts decides
them alike (regatlas.engine.completion), over the bundled examples and N generated profiles.

Usage:  .venv/bin/python tools/completion_check.py [--rows N] [--seed S] [--as-of YYYY-MM-DD]

Prints one line per blind finding with the facts involved: rewrite its condition so that three-valued logic
sees what the law says (see the notes of art111_2_legacy_system and art50_4_editorial_responsibility).
"""

from __future__ import annotations

import argparse
import datetime as dt
from collections.abc import Iterator
from pathlib import Path

from regatlas.engine.completion import blind_findings
from regatlas.facts.profile import Profile, load_profile
from regatlas.rules.loader import load_pack
from regatlas.rules.pack import Pack
from regatlas.simulate.generate import generate_population
from regatlas.simulate.population import row_facts

ROOT = Path(__file__).resolve().parents[1]


def _profiles(pack: Pack, rows: int, seed: int) -> Iterator[tuple[str, Profile]]:
    for path in sorted((ROOT / "examples").glob("*.yaml")):
        yield path.stem, load_profile(path, pack.vocabulary)
    frame = generate_population(pack, rows, seed)
    for index in range(frame.height):
        yield f"row {index}", Profile(name=f"row {index}", facts=row_facts(frame, index, pack.vocabulary))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=150)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--as-of", type=dt.date.fromisoformat, default=dt.date(2026, 12, 2))
    args = parser.parse_args()
    pack = load_pack(cache=True)
    seen: dict[str, tuple[str, list[str], str]] = {}
    for name, profile in _profiles(pack, args.rows, args.seed):
        for key, missing, outcome in blind_findings(pack, profile, args.as_of):
            seen.setdefault(key, (name, missing, outcome))
    for key, (name, missing, outcome) in sorted(seen.items()):
        print(f"{key}: always {outcome} for {name}, whatever {', '.join(missing)}")
    print(f"{len(seen)} blind findings")


if __name__ == "__main__":
    main()
