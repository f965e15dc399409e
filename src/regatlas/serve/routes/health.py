"""`/health` (the process answers) and `/ready` (the database answers): the only routes without a token."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends

from ..context import Service, service
from ..problems import ApiProblem, documented

router = APIRouter(tags=["operations"])


@router.get("/health")
def health() -> dict[str, str]:
    """The process is up."""
    return {"status": "ok"}


@router.get("/ready", responses=documented(503))
def ready(svc: Annotated[Service, Depends(service)]) -> dict[str, str]:
    """The database answers: the service can take requests."""
    try:
        svc.database.ping()
    except Exception as exc:  # any driver error means "not ready", whatever its class
        raise ApiProblem(503, f"the database does not answer: {type(exc).__name__}") from None
    return {"status": "ready"}
