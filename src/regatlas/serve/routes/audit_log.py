"""The audit log, for auditors and admins: the entries and a verification of the chain."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends
from sqlalchemy import select

from .. import audit
from ..auth import AUDIT, Principal, require
from ..context import Service, service
from ..models import AuditEntry
from ..pagination import Page, PageParams, fetch, page, page_params
from ..problems import RESPONSES
from ..schemas import AuditEntryOut, AuditVerdictOut

router = APIRouter(prefix="/v1/audit", tags=["audit"], responses=RESPONSES)
Auditor = Annotated[Principal, Depends(require(AUDIT))]
Svc = Annotated[Service, Depends(service)]


@router.get("")
def list_entries(_: Auditor, svc: Svc, params: Annotated[PageParams, Depends(page_params)]) -> Page[AuditEntryOut]:
    """The entries, oldest first."""
    with svc.database.read() as session:
        rows, total = fetch(session, select(AuditEntry).order_by(AuditEntry.seq), params)
        return page([audit.entry_json(r) for r in rows], total, params)


@router.get("/verify")
def verify(_: Auditor, svc: Svc) -> AuditVerdictOut:
    """Recompute the hash chain; name the first broken entry (as `regatlas audit verify` does)."""
    verdict = audit.verify(svc.database)
    return AuditVerdictOut(ok=verdict.ok, entries=verdict.entries, broken_seq=verdict.broken_seq, reason=verdict.reason)
