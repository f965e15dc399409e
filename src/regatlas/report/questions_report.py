"""The ranked open questions (engine/questions.py) as JSON: each question with its help text, the answers it
allows, how many open findings each answer settles, and those findings with their provisions."""

from __future__ import annotations

from typing import Any

from ..engine.assess import Finding
from ..engine.questions import QuestionRanking, RankedQuestion, UnweighedQuestion, answer_json
from ..facts.vocabulary import Fact


def finding_ref(finding: Finding) -> dict[str, Any]:
    """A finding named by its provision: enough to say why a question is asked."""
    return {
        "finding": finding.key,
        "instrument_id": finding.instrument_id,
        "rule_id": finding.rule_id,
        "kind": finding.kind,
        "title": finding.title,
        "citation": finding.citation,
        "url": finding.url,
        "outcome": finding.outcome,
    }


def fact_question(fact: Fact) -> dict[str, Any]:
    """What an interview shows for a fact: its question, help and the answers it allows."""
    shown = fact.to_json()
    return {"fact": shown.pop("id"), **shown}


def ranked_json(question: RankedQuestion) -> dict[str, Any]:
    return {
        **fact_question(question.fact),
        "weighed": True,
        "weighed_over": question.weighed_over,
        "expected_settled": round(question.expected, 4),
        "settled_whatever_the_answer": question.settled_whatever,
        "by_answer": [{"answer": answer_json(a), "settles": n} for a, n in question.by_answer],
        "settles": [
            {
                **finding_ref(s.finding),
                "outcomes": [{"answer": answer_json(a), "outcome": state} for a, state in s.outcomes],
            }
            for s in question.settles
        ],
    }


def unweighed_json(question: UnweighedQuestion) -> dict[str, Any]:
    return {
        **fact_question(question.fact),
        "weighed": False,
        "reason": question.reason,
        "waiting": [finding_ref(f) for f in question.waiting],
    }


def ranking_json(ranking: QuestionRanking) -> dict[str, Any]:
    """The whole ranking: the open findings counted, the weighed questions best first, the unweighed ones apart."""
    return {
        "open_findings": len(ranking.open),
        "questions": [ranked_json(q) for q in ranking.questions],
        "unweighed": [unweighed_json(q) for q in ranking.unweighed],
    }
