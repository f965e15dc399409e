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


MODELS_HELP = "The models it rests on, by name: each must be in the register (POST /v1/models)."
VENDORS_HELP = "Its vendors, by name: each must be in the register (POST /v1/vendors)."


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")  # a misspelt field is an error, not silently dropped


class SystemCreate(Strict):
    name: Name
    owner: Name
    lifecycle: Lifecycle = "design"
    roles: Names = Field(default=[], description="The operator's roles (the vocabulary's operator.roles values).")
    places: Names = Field(default=[], description="Where the system is offered or used: jurisdiction codes.")
    models: Names = Field(default=[], description=MODELS_HELP)
    vendors: Names = Field(default=[], description=VENDORS_HELP)
    description: Annotated[str, Field(max_length=10000)] = ""


class SystemUpdate(Strict):
    name: Name | None = None
    owner: Name | None = None
    lifecycle: Lifecycle | None = None
    roles: Names | None = None
    places: Names | None = None
    models: Names | None = Field(default=None, description=MODELS_HELP + " The list replaces the current one.")
    vendors: Names | None = Field(default=None, description=VENDORS_HELP + " The list replaces the current one.")
    description: Annotated[str, Field(max_length=10000)] | None = None


class Ref(BaseModel):
    """A record a system links to: its id and name."""

    id: int
    name: str


class SystemOut(BaseModel):
    id: int
    name: str
    owner: str
    lifecycle: str
    roles: list[str]
    places: list[str]
    models: list[Ref]
    vendors: list[Ref]
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


Description = Annotated[str, Field(max_length=10000)]
ModelVersion = Annotated[str, Field(max_length=100, description="The model's own version or release name.")]
Provider = Annotated[str, Field(max_length=200, description="Who makes the model: a vendor's name, or in-house.")]
GeneralPurpose = Annotated[
    StrictBool | None,
    Field(description="Whether it is a general-purpose model (AI Act Art. 3(63)); null: not known yet."),
]
Contact = Annotated[str, Field(max_length=500)]


class ModelCreate(Strict):
    name: Name
    provider: Provider = ""
    general_purpose: GeneralPurpose = None
    model_version: ModelVersion = ""
    description: Description = ""


class ModelUpdate(Strict):
    """The fields to change; general_purpose null makes it unknown again (other fields: null changes nothing)."""

    name: Name | None = None
    provider: Provider | None = None
    general_purpose: GeneralPurpose = None
    model_version: ModelVersion | None = None
    description: Description | None = None


class ModelOut(BaseModel):
    id: int
    name: str
    provider: str
    general_purpose: bool | None
    model_version: str
    description: str
    archived: bool
    version: int
    created_at: str
    updated_at: str


class VendorCreate(Strict):
    name: Name
    contact: Contact = ""
    description: Description = ""


class VendorUpdate(Strict):
    name: Name | None = None
    contact: Contact | None = None
    description: Description | None = None


class VendorOut(BaseModel):
    id: int
    name: str
    contact: str
    description: str
    archived: bool
    version: int
    created_at: str
    updated_at: str
