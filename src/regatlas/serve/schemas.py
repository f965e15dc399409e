"""Request and response bodies of the API (the OpenAPI document is made from these)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictBool

from .auth import ROLES
from .inventory import LIFECYCLE

Lifecycle = Literal[LIFECYCLE]  # type: ignore[valid-type]
Role = Literal[ROLES]  # type: ignore[valid-type]
Name = Annotated[str, Field(min_length=1, max_length=200)]
Names = Annotated[list[Name], Field(max_length=200)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")  # a misspelt field is an error, not silently dropped


class SystemCreate(Strict):
    name: Name
    owner: Name
    lifecycle: Lifecycle = "design"
    roles: Names = Field(default=[], description="The operator's roles (the vocabulary's operator.roles values).")
    places: Names = Field(default=[], description="Where the system is offered or used: jurisdiction codes.")
    models: Names = Field(default=[], description="The models it rests on (a model may serve several systems).")
    vendors: Names = []
    description: Annotated[str, Field(max_length=10000)] = ""


class SystemUpdate(Strict):
    name: Name | None = None
    owner: Name | None = None
    lifecycle: Lifecycle | None = None
    roles: Names | None = None
    places: Names | None = None
    models: Names | None = None
    vendors: Names | None = None
    description: Annotated[str, Field(max_length=10000)] | None = None


class SystemOut(BaseModel):
    id: int
    name: str
    owner: str
    lifecycle: str
    roles: list[str]
    places: list[str]
    models: list[str]
    vendors: list[str]
    description: str
    archived: bool
    version: int
    created_at: str
    updated_at: str


class AnswersIn(Strict):
    answers: dict[Annotated[str, Field(max_length=200)], Any] = Field(
        description='Fact id -> value (as in a profile file); null or "unknown" makes a fact unknown again.',
        max_length=1000,
    )
    justification: Annotated[str, Field(max_length=10000)] = Field(
        default="", description='Why these answers ("why we answered no"); kept with each answer.'
    )


class AnswerEventOut(BaseModel):
    id: int
    fact: str
    old_value: Any
    new_value: Any
    justification: str
    actor: str
    at: str
    system_version: int


class ProfileOut(BaseModel):
    system_id: int
    version: int | None
    at: str | None
    facts: dict[str, Any]
    profile_hash: str


class AssessIn(Strict):
    profile: dict[str, Any] = Field(description="A profile, as in a profile file (regatlas schema).")
    as_of: dt.date | None = Field(default=None, description="The law of this day (default: today).")
    trace: StrictBool = False  # 0 and "yes" are not booleans


class SystemAssessIn(Strict):
    as_of: dt.date | None = None


class AssessmentRecordOut(BaseModel):
    """An OPA-decision-log-shaped record: decision_id, revision, input, result, requested_by, timestamp."""

    id: int
    system_id: int
    decision_id: str
    revision: str
    as_of: str
    profile_hash: str
    system_version: int
    requested_by: str
    timestamp: str
    input: dict[str, Any] | None = None
    result: dict[str, Any] | None = None


class TokenIn(Strict):
    role: Role
    name: Name


class TokenOut(BaseModel):
    id: int
    prefix: str
    role: str
    name: str
    created_at: str
    created_by: str
    revoked_at: str | None


class TokenIssued(TokenOut):
    token: str = Field(description="The token itself: shown this once, never stored.")


class AuditEntryOut(BaseModel):
    seq: int
    at: str
    actor: str
    action: str
    target: str
    data: dict[str, Any]
    prev_hash: str
    hash: str


class AuditVerdictOut(BaseModel):
    ok: bool
    entries: int
    broken_seq: int | None
    reason: str
