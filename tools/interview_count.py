"""Count the questions the guided interview (engine/interview.py) asks for each bundled example, and check that
the profile it ends with gives the same verdict as the whole example file.

Each example is interviewed in-process from an empty profile: a question about a fact the file holds is answered
as the file does, one it is silent on gets "I don't know". Per example it prints the questions asked, those
answered from the file, the facts in the file, the "I don't know"s that turned out needless (once the interview
ended, the fact settled nothing any more: asking it later would have spared the question), and whether the verdict
matches the whole file's in every jurisdiction the file decides (a category other than undecided, with the same
risk classes), and the shown findings the file decides that the interview left open.

Usage:  .venv/bin/python tools/interview_count.py [--as-of YYYY-MM-DD] [--example NAME ...] [--list]
"""

from __future__ import annotations

import argparse
import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from regatlas.engine.assess import Assessment, Finding, assess
from regatlas.engine.interview import Interview
from regatlas.engine.questions import is_open, rank_questions
from regatlas.facts.profile import Profile, encode_value, load_profile
from regatlas.report.verdict import verdict
from regatlas.rules.loader import load_pack
from regatlas.rules.pack import Pack

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
DAY = dt.date(2026, 12, 2)


@dataclass
class Count:
    """One example interviewed to its end."""

    name: str
    asked: list[str]  # the facts asked, in order
    answered: int  # asked and answered from the file
    facts: int  # facts in the file
    needless: list[str]  # skipped facts that settle nothing once the interview is over
    decided: int  # jurisdictions whose verdict the whole file decides
    differ: list[str]  # of those, the ones whose verdict differs after the interview ("code: file -> interview")
    lost: list[str]  # shown findings the file decides, left open by the interview


def interview(pack: Pack, example: Profile, as_of: dt.date) -> Interview:
    """The interview from an empty profile, answered as the file does, "I don't know" where it is silent."""
    run = Interview(pack, Profile(name=example.name, facts={}), as_of)
    while (question := run.step().question) is not None:
        fact_id = question.fact.id
        if fact_id in example.facts:
            run.answer(fact_id, encode_value(example.facts[fact_id]))
        else:
            run.skip(fact_id)
    return run


def verdicts(assessment: Assessment) -> dict[str, tuple[str, tuple[str, ...]]]:
    """Per jurisdiction: its verdict's category and the risk classes that hold."""
    return {j.jurisdiction: (j.category, j.risk_classes) for j in verdict(assessment).jurisdictions}


def _state(finding: Finding | None) -> tuple[str, dt.date | None] | None:
    """What a finding says: its outcome, and for a yes the date it applies from (a no has no date that matters)."""
    if finding is None:
        return None
    return finding.outcome, finding.applies_from if finding.outcome == "yes" else None


def compare(full: Assessment, mine: Assessment) -> tuple[int, list[str], list[str]]:
    """The jurisdictions the file decides, those whose verdict the interview changes, and the findings it loses."""
    theirs, ours = verdicts(full), verdicts(mine)
    decided = {code: v for code, v in theirs.items() if v[0] != "undecided"}
    differ = [
        f"{code}: {v[0]} -> {ours.get(code, ('absent',))[0]}" for code, v in decided.items() if ours.get(code) != v
    ]
    kept = {f.key: f for f in mine.findings}
    lost = [f.key for f in full.findings if f.shown and not is_open(f) and _state(kept.get(f.key)) != _state(f)]
    return len(decided), differ, lost


def count(pack: Pack, path: Path, as_of: dt.date) -> Count:
    example = load_profile(path, pack.vocabulary)
    run = interview(pack, example, as_of)
    asked = [fact_id for fact_id, _, _ in run.history]
    mine = assess(pack, run.profile, as_of)
    still = {q.fact.id for q in rank_questions(pack, mine).questions if q.expected > 0}
    decided, differ, lost = compare(assess(pack, example, as_of), mine)
    return Count(
        name=path.stem,
        asked=asked,
        answered=sum(1 for fact_id in asked if fact_id in example.facts),
        facts=len(example.facts),
        needless=sorted(fact_id for fact_id in run.skipped if fact_id not in still),
        decided=decided,
        differ=differ,
        lost=lost,
    )


def table(counts: list[Count]) -> str:
    head = f"{'example':<32} {'asked':>5} {'answered':>8} {'facts':>5} {'needless':>8} {'verdicts':>9} {'lost':>4}"
    lines = [head, "-" * len(head)]
    for c in counts:
        same = f"{c.decided - len(c.differ)}/{c.decided}"
        row = f"{c.name:<32} {len(c.asked):>5} {c.answered:>8} {c.facts:>5} {len(c.needless):>8}"
        lines.append(f"{row} {same:>9} {len(c.lost):>4}")
    n = len(counts) or 1
    lines.append(
        f"{'average':<32} {sum(len(c.asked) for c in counts) / n:>5.1f} {sum(c.answered for c in counts) / n:>8.1f} "
        f"{sum(c.facts for c in counts) / n:>5.1f} {sum(len(c.needless) for c in counts) / n:>8.1f}"
    )
    over = sum(1 for c in counts if len(c.asked) > c.facts)
    lines.append(f"{over} of {len(counts)} examples ask more questions than their file has facts")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--as-of", type=dt.date.fromisoformat, default=DAY)
    parser.add_argument("--example", action="append", help="an example's name (default: every example)")
    parser.add_argument("--list", action="store_true", help="also list the questions asked, skips marked")
    args = parser.parse_args()
    pack = load_pack(cache=True)
    paths = sorted(EXAMPLES.glob("*.yaml"))
    if args.example:
        paths = [p for p in paths if p.stem in args.example or p.name in args.example]
    counts = [count(pack, path, args.as_of) for path in paths]
    print(table(counts))
    for c in counts:
        for line in c.differ:
            print(f"{c.name}: verdict differs, {line}")
        if c.lost:
            print(f"{c.name}: findings left open: {', '.join(c.lost)}")
        if args.list:
            print(f"{c.name}: {' '.join(c.asked)}\n  needless: {' '.join(c.needless)}")


if __name__ == "__main__":
    main()
