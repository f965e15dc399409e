"""The guided interview (issue 12): which question to put next, why it is asked, and how an answer joins the profile.

One definition, shared by `regatlas init` (the terminal) and the browser interview (serve/routes/web_interview.py):

- **Places first.** Which laws reach a system depends on where it is offered, used, its output used and where its
  operator is established. The look-ahead (engine/questions.py) weighs an answer by the open findings it settles,
  and cannot count the findings a place not yet named would open (a profile that names DE reaches no Californian
  law, so "is it also offered in US-CA?" settles nothing it can see). So the four lists of places are asked before
  anything else, in a fixed order, each unless answered or skipped.
- **Then the most useful question** among the facts neither answered nor skipped ("I don't know"): the one that
  settles the most of what matters to the verdict and the duties (the look-ahead's `decisive` score,
  engine/questions.py): bans, classes, duties and scopes, not exceptions on their own; a rule's own condition before
  its exceptions and carve-outs, which are asked only after it (when it ends "no" they are never asked). It goes
  on as long as a question settles something that matters (a decisive score above 0); ties go to the question that
  settles more findings of any kind. Measured on the ten bundled examples (tools/interview_count.py, answered from
  each file, "I don't know" where it is silent): 59.2 questions on average instead of 69.6, with the same verdict
  in every jurisdiction the file decides and no finding the file decides left open (the plain count of findings
  left some open: an exception asked first and not known hid the rule's own condition, answered "no" in the file).
  Questions whose answers cannot be listed (unweighed: numbers used other than by comparison) are not put: nothing
  says they would settle anything. When no question is left the interview is over; a partial profile is normal.
- **Answers** are checked by the one definition of a profile, `regatlas.facts.profile.profile_from_data`, together
  with the profile so far, and with the facts derived from places on the as-of date (a yes/no fact must agree with
  the list it follows from).

Typed answers (the terminal) and posted ones (the browser form) are turned into the raw values a profile file
holds here, so that both accept the same things.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from ..errors import Problem, ProfileError
from ..facts.derive import derive_facts
from ..facts.profile import FactValue, Profile, encode_value, profile_from_data
from ..facts.vocabulary import Fact
from ..rules.pack import Pack
from .assess import Assessment, Finding, assess
from .questions import EVERY_ANSWER, QuestionRanking, RankedQuestion, rank_questions

# The order places are asked in: where the system is offered first (the plainest question), the operator last.
# The same four facts as rules/touch.py's PLACE_FACTS, which decide what a profile reaches (a test checks).
PLACE_ORDER = ("territory.offered_in", "territory.used_in", "territory.output_used_in", "operator.established_in")
PLACE_REASON = (
    "where the system is offered, used and its output used, and where its operator is established, decide which "
    "laws reach it: the places are asked first, before any law can be weighed"
)
NONE_WORDS = ("none", "[]", "-")  # an empty list typed: "none of these", unlike an empty answer (I don't know)
YES_WORDS = ("yes", "y", "true", "t", "1")
NO_WORDS = ("no", "n", "false", "f", "0")


@dataclass(frozen=True)
class Choice:
    """One allowed answer of a yes/no, enum or set fact: the value a profile holds, and its label."""

    value: str
    label: str


@dataclass(frozen=True)
class Reason:
    """An open finding the question would settle, and what it becomes under each answer that settles it."""

    finding: Finding
    instrument: str  # the instrument's short title
    outcomes: tuple[tuple[str, str], ...]  # (answer in words, "no" | "yes, from DATE" | "moot" | "not reached")


@dataclass(frozen=True)
class Question:
    fact: Fact
    place_first: bool  # asked first as a place (PLACE_REASON), not by its rank
    expected: float | None  # open findings settled, averaged over the answers weighed (None: not weighed)
    # (the question is chosen by what it settles that matters to the verdict and duties, `RankedQuestion.decisive`)
    weighed_over: str | None
    reasons: tuple[Reason, ...]

    @property
    def choices(self) -> list[Choice]:
        return choices(self.fact)

    def why(self) -> str:
        """One line: why this question comes now."""
        if self.place_first:
            text = PLACE_REASON
            if self.reasons:
                text += f"; it also settles {len(self.reasons)} open finding{'s' if len(self.reasons) != 1 else ''}"
            return text
        expected = f"{self.expected:.2f}".rstrip("0").rstrip(".") if self.expected is not None else "?"
        over = "" if self.weighed_over in (None, EVERY_ANSWER) else f" (weighed over {self.weighed_over})"
        return (
            "of the questions still open, this one settles the most of what bears on the verdict and duties (bans, "
            "classes, duties, scope; a rule's own conditions before its exceptions): it settles "
            f"{expected} open findings on average over its possible answers{over}, {len(self.reasons)} in all"
        )


@dataclass
class Step:
    """Where the interview stands: the assessment of the profile so far, and the next question (None: done)."""

    assessment: Assessment
    ranking: QuestionRanking
    question: Question | None

    @property
    def open_findings(self) -> int:
        return len(self.ranking.open)


def choices(fact: Fact) -> list[Choice]:
    """The allowed answers listed, for the facts whose answers can be listed (yes/no, enum, set)."""
    if fact.type == "bool":
        return [Choice("true", "yes"), Choice("false", "no")]
    if fact.type in ("enum", "set"):
        return [Choice(value, label or value) for value, label in fact.values.items()]
    return []


def answer_words(value: object) -> str:
    """An answer as a person reads it: yes/no, lists joined, 'none' for an empty list."""
    encoded = encode_value(value)
    if isinstance(encoded, bool):
        return "yes" if encoded else "no"
    if isinstance(encoded, list):
        return ", ".join(str(v) for v in encoded) or "none"
    if isinstance(encoded, float) and encoded.is_integer():
        return f"{int(encoded)}"
    return str(encoded)


def _reasons(pack: Pack, ranking: QuestionRanking, fact_id: str) -> tuple[tuple[Reason, ...], float | None, str | None]:
    for ranked in ranking.questions:
        if ranked.fact.id == fact_id:
            reasons = tuple(
                Reason(
                    s.finding,
                    pack.instruments[s.finding.instrument_id].meta.instrument.short_title,
                    tuple((answer_words(answer), state) for answer, state in s.outcomes),
                )
                for s in ranked.settles
            )
            return reasons, ranked.expected, ranked.weighed_over
    return (), None, None


def next_question(pack: Pack, profile: Profile, ranking: QuestionRanking, skipped: frozenset[str]) -> Question | None:
    """The next question: a place not yet answered nor skipped, else the fact that settles the most of what matters
    to the verdict and duties, as long as one settles something that does."""
    for fact_id in PLACE_ORDER:
        if fact_id not in profile.facts and fact_id not in skipped:
            reasons, expected, over = _reasons(pack, ranking, fact_id)
            return Question(pack.vocabulary[fact_id], True, expected, over, reasons)
    left = [q for q in ranking.questions if q.fact.id not in skipped and q.fact.id not in profile.facts]
    if not left:
        return None
    best = min(left, key=interview_order)
    if best.decisive <= 0:
        return None  # nothing left settles anything that matters
    reasons, expected, over = _reasons(pack, ranking, best.fact.id)
    return Question(best.fact, False, expected, over, reasons)


def interview_order(question: RankedQuestion) -> tuple[float, float, int, str]:
    """The interview's order, best first: what matters settled, then any finding settled, then the service's ties."""
    return (-round(question.decisive, 9), -round(question.expected, 9), -question.settled_whatever, question.fact.id)


def question_for(pack: Pack, ranking: QuestionRanking, fact_id: str) -> Question:
    """A question put on request (going back to it, changing an earlier answer), with the reasons the ranking gives
    for it now (none when answering it settles nothing open, e.g. for a fact already answered)."""
    reasons, expected, over = _reasons(pack, ranking, fact_id)
    return Question(pack.vocabulary[fact_id], fact_id in PLACE_ORDER, expected, over, reasons)


def step(pack: Pack, profile: Profile, as_of: dt.date, skipped: frozenset[str] = frozenset()) -> Step:
    """Assess the profile so far, rank its open questions and choose the next one."""
    assessment = assess(pack, profile, as_of)
    ranking = rank_questions(pack, assessment)
    return Step(assessment, ranking, next_question(pack, profile, ranking, skipped))


# --- answers -------------------------------------------------------------------------------------------------


def _pick(fact: Fact, word: str) -> str:
    """An enum or set value typed by its number in the list (1-based) or its name (any case); else as typed,
    for the vocabulary's check to refuse with the nearest allowed value."""
    values = list(fact.values)
    if word.isdigit() and 1 <= int(word) <= len(values):
        return values[int(word) - 1]
    lowered = {v.lower(): v for v in values}
    return lowered.get(word.lower(), word)


def _items(text: str) -> list[str]:
    return [item for item in re.split(r"[,;\s]+", text.strip()) if item]


def parse_typed(fact: Fact, text: str) -> object:
    """The raw profile value a typed answer stands for (checked afterwards by `answered`).

    yes/no: yes, y, true, 1 / no, n, false, 0; an enum: its number or name; a set: numbers or names separated by
    commas, or `none` for the empty list; places: codes separated by commas or spaces, or `none`; a date
    YYYY-MM-DD; a number (3.2e25, 38_000_000)."""
    text = text.strip()
    if fact.type == "bool":
        word = text.lower()
        return True if word in YES_WORDS else False if word in NO_WORDS else text
    if fact.type == "enum":
        return _pick(fact, text)
    if fact.type in ("set", "jurisdictions"):
        if text.lower() in NONE_WORDS:
            return []
        items = _items(text)
        return [_pick(fact, item) for item in items] if fact.type == "set" else items
    return text  # a number or a date: the vocabulary's check reads it and says what is expected


def parse_posted(fact: Fact, values: list[str]) -> object:
    """The raw profile value of a submitted form: a set's checked boxes (none checked: the empty list); else the
    one field's text, read as typed."""
    if fact.type == "set":
        return [_pick(fact, v) for v in values if v.strip()]
    return parse_typed(fact, values[0] if values else "")


def answered(pack: Pack, profile: Profile, fact_id: str, raw: object, as_of: dt.date) -> Profile:
    """The profile with the fact answered (None or "unknown": made unknown again), checked as a whole by the
    vocabulary and, on the date, against the facts places imply; ProfileError naming the fact when refused."""
    if fact_id not in pack.vocabulary:
        raise ProfileError(Problem("unknown fact", path=fact_id, allowed=[]))
    data: dict[str, object] = {**profile.to_json(), fact_id: raw}
    checked = profile_from_data(data, pack.vocabulary, "answer")
    derive_facts(checked.facts, pack.vocabulary, pack.registry, as_of, "answer")
    return Profile(profile.name, checked.facts, profile.description, profile.source, dict(profile.metadata))


def unanswered(profile: Profile, fact_id: str) -> Profile:
    facts = {k: v for k, v in profile.facts.items() if k != fact_id}
    return Profile(profile.name, facts, profile.description, profile.source, dict(profile.metadata))


def profile_document(profile: Profile) -> dict[str, object]:
    """The profile as a profile file holds it: name, description, then the facts nested by group."""
    document: dict[str, object] = {"name": profile.name}
    if profile.description:
        document["description"] = profile.description
    for fact_id, value in sorted(profile.facts.items()):
        group, name = fact_id.split(".", 1)
        document.setdefault(group, {})[name] = encode_value(value)  # type: ignore[index]
    return document


# --- one run of the interview ---------------------------------------------------------------------------------


@dataclass
class Interview:
    """The answers and "I don't know"s of one run, in order, so that `back` can undo the last one."""

    pack: Pack
    profile: Profile
    as_of: dt.date
    skipped: set[str] = field(default_factory=set)
    history: list[tuple[str, FactValue | None, bool]] = field(default_factory=list)  # fact, value before, skipped
    asked: int = 0  # questions answered or skipped in this run

    def step(self) -> Step:
        return step(self.pack, self.profile, self.as_of, frozenset(self.skipped))

    def answer(self, fact_id: str, raw: object) -> None:
        """Record an answer; ProfileError (nothing changed) when the vocabulary refuses it."""
        before = self.profile.facts.get(fact_id)
        self.profile = answered(self.pack, self.profile, fact_id, raw, self.as_of)
        self.history.append((fact_id, before, False))
        self.asked += 1

    def skip(self, fact_id: str) -> None:
        """I don't know: the fact stays unknown and is not asked again in this run."""
        self.skipped.add(fact_id)
        self.history.append((fact_id, self.profile.facts.get(fact_id), True))
        self.asked += 1

    def back(self) -> str | None:
        """Undo the last answer or skip; the fact it was about (asked again next), or None when nothing to undo."""
        if not self.history:
            return None
        fact_id, before, was_skip = self.history.pop()
        if was_skip:
            self.skipped.discard(fact_id)
        elif before is None:
            self.profile = unanswered(self.profile, fact_id)
        else:
            self.profile = Profile(
                self.profile.name,
                {**self.profile.facts, fact_id: before},
                self.profile.description,
                self.profile.source,
                dict(self.profile.metadata),
            )
        self.asked -= 1
        return fact_id
