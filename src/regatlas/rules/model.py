"""The rule-pack format as typed records. See docs/rule-pack-format.md for the prose version.

The records are standard-library dataclasses, not pydantic models: the loader validates pack files into them
with pydantic (rules/validation.py), but a pack read back from the cache, and every command that uses it, never
imports pydantic (it cost about a fifth of a warm `assess`). Checks a type cannot express live in
`__post_init__`, which pydantic runs during validation and reports at the record's place in the file.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any, ClassVar, Literal, TypeVar

RuleKind = Literal["scope", "definition", "classification", "prohibition", "obligation", "exemption", "permission"]
Role = Literal[
    "provider",
    "deployer",
    "importer",
    "distributor",
    "authorised_representative",
    "product_manufacturer",
]
Verification = Literal["verified", "unverified", "contested"]
BindingForce = Literal["binding_law", "executive_policy", "soft_law", "voluntary_commitment", "declaration", "bill"]
Outcome = Literal["yes", "no", "unknown"]
ID_PATTERN = r"^[a-z][a-z0-9_]*$"
R = TypeVar("R")


class _Strict:
    # An unknown key in a pack file is an error, never ignored.
    __pydantic_config__: ClassVar[dict[str, str]] = {"extra": "forbid"}


def updated(record: R, **changes: Any) -> R:
    """A copy of a record with some fields changed, without re-running the file checks: for derived records
    (a scenario's clone `eu_ai_act@US` is no valid pack id, on purpose)."""
    copy = object.__new__(type(record))
    object.__setattr__(copy, "__dict__", {**record.__dict__, **changes})
    return copy


class RecordError(ValueError):
    """A check a type cannot express failed; `field` (when set) is the key the message is about."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


def _check(condition: bool, message: str, field: str | None = None) -> None:
    if not condition:
        raise RecordError(message, field)


def _identifier(value: str, field: str = "id") -> None:
    _check(re.match(ID_PATTERN, value) is not None, f"'{value}' must be lower_snake_case ({ID_PATTERN})", field)


def _web_address(value: str, field: str) -> None:
    _check(re.match(r"^https?://", value) is not None, "must be a web address (http:// or https://)", field)


def _not_empty(items: list, field: str) -> None:
    _check(len(items) >= 1, "needs at least one entry", field)


@dataclass(frozen=True, kw_only=True)
class Citation(_Strict):
    article: str | None = None
    paragraph: str | None = None
    point: str | None = None
    subparagraph: str | None = None
    annex: str | None = None
    section: str | None = None
    url: str
    eli: str | None = None
    prefix: str | None = None  # how the provision is named: "Art." (default of the instrument), "s.", "§", "r."

    def __post_init__(self) -> None:
        _web_address(self.url, "url")
        _check(bool(self.article or self.annex), "a citation names an article or an annex")

    def label(self, default_prefix: str = "Art.") -> str:
        """Human form: Art. 5(1)(f), Annex III point 4(a), Art. 50(4) second subparagraph, s. 10, § 20-871(a)."""
        if self.article:
            text = f"{self.prefix or default_prefix} {self.article}"
            text += f"({self.paragraph})" if self.paragraph else ""
            text += f"({self.point})" if self.point else ""
        else:
            text = f"Annex {self.annex}"
            text += f" Section {self.section}" if self.section else ""
            text += f" point {self.point}" if self.point else ""
        if self.subparagraph:
            text += f" {self.subparagraph} subparagraph"
        return text


@dataclass(frozen=True, kw_only=True)
class Version(_Strict):
    """One dated wording of a rule. Amendments add versions; nothing is edited in place."""

    valid_from: dt.date
    valid_to: dt.date | None = None  # last day this wording is law; None = still in force
    act: str  # the act that made this wording law (the original regulation or the amending one)
    applies_from: str  # a date YYYY-MM-DD, or an expression that yields a date
    when: str  # condition (expression language); the rule concludes "yes" when it holds
    note: str | None = None
    # Where this wording is published, when it is not the rule's citation URL (a 2024 wording of a rule whose
    # citation points at the amending act, or the reverse): each version cites its own act.
    source_url: str | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "applies_from", self.applies_from.strip())  # YAML block text ends in a newline
        object.__setattr__(self, "when", self.when.strip())
        if self.source_url is not None:
            _web_address(self.source_url, "source_url")


@dataclass(frozen=True, kw_only=True)
class TestCase(_Strict):
    name: str
    source: str | None = None  # guidance paragraph or other origin of the case
    as_of: dt.date | None = None
    facts: dict[str, Any] = field(default_factory=dict)
    expect: Outcome
    applies_from: dt.date | None = None
    missing: list[str] | None = None  # for "unknown": facts that must be among those reported


@dataclass(frozen=True, kw_only=True)
class Spec(_Strict):
    """A measurable part of a duty: a bound (min/max) on a quantity, a required feature (flag), or a choice."""

    quantity: str
    min: float | None = None
    max: float | None = None
    value: str | bool | None = None

    def __post_init__(self) -> None:
        _check(not (self.min is None and self.max is None and self.value is None), "a spec gives min, max or value")


@dataclass(frozen=True, kw_only=True)
class Rule(_Strict):
    id: str
    kind: RuleKind
    title: str
    addressee: list[Role] = field(default_factory=list)
    citation: Citation
    status: Verification
    note: str | None = None
    versions: list[Version]
    overrides: list[str] = field(default_factory=list)  # this exception defeats these rules
    exceptions: list[str] = field(default_factory=list)  # these exceptions defeat this rule
    priority: int = 0
    penalty: str | None = None
    question: str | None = None  # plain-language question the finding answers
    risk_class: str | None = None  # classification rules: the risk tier it establishes ("high-risk", "high-impact")
    # Scope rules: what the scope is about, so a summary can report each apart (the AI Act's Art. 2 for AI
    # systems, Art. 2 with Chapter V for general-purpose AI models). None: the AI system.
    subject: Literal["system", "model"] | None = None
    # Exemptions: one that takes its subject out of most of the instrument while some of it still applies
    # (Art. 2(12) open source, Art. 2(2) Annex I Section B): where it holds, the summary says "partial".
    partial_exclusion: bool = False
    themes: list[str] = field(default_factory=list)  # control themes (packs/themes/themes.yaml)
    specs: list[Spec] = field(default_factory=list)  # measurable parts of the duty, for comparison
    tests: list[TestCase] = field(default_factory=list)

    def __post_init__(self) -> None:
        _identifier(self.id)
        _not_empty(self.versions, "versions")
        _check(self.risk_class is None or self.kind == "classification", "for classification rules only", "risk_class")
        _check(self.subject is None or self.kind == "scope", "for scope rules only", "subject")
        _check(not self.partial_exclusion or self.kind == "exemption", "for exemption rules only", "partial_exclusion")


@dataclass(frozen=True, kw_only=True)
class ParamValue(_Strict):
    valid_from: dt.date
    valid_to: dt.date | None = None
    value: float | dt.date
    act: str


@dataclass(frozen=True, kw_only=True)
class Parameter(_Strict):
    id: str
    type: Literal["number", "date"]
    title: str
    unit: str | None = None
    citation: Citation
    values: list[ParamValue]

    def __post_init__(self) -> None:
        _identifier(self.id)
        _not_empty(self.values, "values")


@dataclass(frozen=True, kw_only=True)
class PenaltyVersion(_Strict):
    valid_from: dt.date
    valid_to: dt.date | None = None
    act: str
    applies_from: dt.date
    amount_eur: float
    turnover_share: float
    lower_when: str | None = None  # condition under which the LOWER of the two caps applies
    note: str | None = None

    def __post_init__(self) -> None:
        _check(0 <= self.turnover_share <= 1, "a share of turnover, from 0 to 1", "turnover_share")


@dataclass(frozen=True, kw_only=True)
class Penalty(_Strict):
    id: str
    title: str
    citation: Citation
    imposed_by: str
    versions: list[PenaltyVersion]

    def __post_init__(self) -> None:
        _identifier(self.id)
        _not_empty(self.versions, "versions")


@dataclass(frozen=True, kw_only=True)
class Amendment(_Strict):
    act: str
    eli: str | None = None
    url: str | None = None
    in_force: dt.date


Confidence = Literal["H", "M", "L"]  # high: primary or two good sources; medium: one; low: weak or unverified
InstrumentKind = Literal[
    "regulation",
    "statute",
    "measures",
    "executive_order",
    "memorandum",
    "local_law",
    "guidance",
    "standard",
    "code_of_practice",
    "policy",
    "bill",
    "treaty",
    "declaration",
    "statement",
    "recommendation",
    "resolution",
    "commitments",
]
StatusEventKind = Literal[
    "introduced",
    "passed_chamber",
    "adopted",
    "signed",
    "published",
    "opened_for_signature",
    "entry_into_force",
    "applies",
    "amended",
    "delayed",
    "stayed",
    "revoked",
    "repealed",
    "replaced",
    "lapsed",
    "expired",
]
ENDING_EVENTS = ("revoked", "repealed", "replaced", "lapsed", "expired")
Participation = Literal[
    "signed",
    "ratified",
    "approved",
    "acceded",
    "endorsed",
    "adhered",
    "committed",
    "declined",
    "withdrawn",
    # Recorded votes on a resolution (UN General Assembly and the like): how a State voted, or that it was absent.
    "in_favour",
    "against",
    "abstained",
    "absent",
]


@dataclass(frozen=True, kw_only=True)
class StatusEvent(_Strict):
    """One dated step in an instrument's life: adoption, entry into force, a stay, a repeal..."""

    date: dt.date
    event: StatusEventKind
    note: str | None = None
    act: str | None = None  # the act that caused it (an amending or repealing law)
    confidence: Confidence = "H"


@dataclass(frozen=True, kw_only=True)
class Party(_Strict):
    """A participant in a declaration, treaty or commitment, and how it takes part."""

    party: str  # a jurisdiction code (states, the EU, the AUC) or a company name (kind: company)
    kind: Literal["state", "organisation", "company"] = "state"
    participation: Participation
    date: dt.date | None = None
    confidence: Confidence
    source: str | None = None
    note: str | None = None


@dataclass(frozen=True, kw_only=True)
class Instrument(_Strict):
    id: str
    title: str
    short_title: str
    jurisdiction: str  # a jurisdiction code, or INTL for international instruments
    binding_force: BindingForce
    kind: InstrumentKind = "regulation"
    citation_prefix: str = "Art."  # how its provisions are named in citations: "Art.", "s.", "§", "Sec.", "r."
    eli: str | None = None
    source_url: str
    sources: list[str] = field(default_factory=list)
    adopted: dt.date | None = None
    published: dt.date | None = None
    entry_into_force: dt.date | None = None
    status: list[StatusEvent] = field(default_factory=list)
    amendments: list[Amendment] = field(default_factory=list)
    confidence: Confidence = "H"
    note: str | None = None
    principles: list[str] = field(default_factory=list)  # the commitments or principles it states, in short
    principle_ids: list[str] = field(default_factory=list)  # the same, in the shared principle vocabulary
    parties: list[Party] = field(default_factory=list)
    parties_confidence: Confidence | None = None
    parties_note: str | None = None  # how sure the list is, and why
    entry_into_force_condition: str | None = None

    def __post_init__(self) -> None:
        _identifier(self.id)
        _web_address(self.source_url, "source_url")

    def status_on(self, day: dt.date) -> str:
        """The instrument's state on a date, from its dated status events."""
        events = sorted((e for e in self.status if e.date <= day), key=lambda e: e.date)
        kinds = [e.event for e in events]
        if any(k in ENDING_EVENTS for k in kinds):
            return next(k for k in reversed(kinds) if k in ENDING_EVENTS)
        if kinds and kinds[-1] == "stayed":
            return "stayed"
        in_force = (
            "entry_into_force" in kinds
            or "applies" in kinds
            or (self.entry_into_force is not None and self.entry_into_force <= day)
        )
        if in_force:
            return "in_force"
        if any(k in ("adopted", "signed", "published", "opened_for_signature") for k in kinds) or (
            self.adopted is not None and self.adopted <= day
        ):
            return "adopted"
        if kinds:
            return "pending"
        return "not_yet_adopted"


@dataclass(frozen=True, kw_only=True)
class InstrumentFile(_Strict):
    instrument: Instrument
    parameters: list[Parameter] = field(default_factory=list)
    penalties: list[Penalty] = field(default_factory=list)


@dataclass(frozen=True, kw_only=True)
class RulesFile(_Strict):
    fixtures: dict[str, Any] = field(default_factory=dict)  # YAML anchors for test facts; not rules
    rules: list[Rule]
