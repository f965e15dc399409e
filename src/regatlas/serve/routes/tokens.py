"""Tokens: an admin issues, lists and revokes them (revocation holds from the next request on)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path
from sqlalchemy import select

from .. import audit
from ..auth import ADMIN, Principal, issue, require
from ..context import Service, service
from ..db import now
from ..models import Token
from ..pagination import Page, PageParams, fetch, page, page_params
from ..problems import RESPONSES, ApiProblem, FieldError, documented
from ..schemas import TokenIn, TokenIssued, TokenOut

router = APIRouter(prefix="/v1/tokens", tags=["tokens"], responses=RESPONSES)
Admin = Annotated[Principal, Depends(require(ADMIN))]
Svc = Annotated[Service, Depends(service)]
TokenId = Annotated[int, Path(ge=1, le=2**63 - 1)]


def token_json(row: Token) -> dict:
    return {
        "id": row.id,
        "prefix": row.prefix,
        "role": row.role,
        "name": row.name,
        "created_at": row.created_at,
        "created_by": row.created_by,
        "revoked_at": row.revoked_at,
    }


@router.post("", status_code=201)
def issue_token(body: TokenIn, principal: Admin, svc: Svc) -> TokenIssued:
    """Issue a token with a role; the response is the only time the token is shown."""
    with svc.database.write() as session:
        row, secret = issue(session, body.role, body.name, principal.actor)
        audit.append(session, principal.actor, "token.issue", f"token:{row.id}", {"role": row.role, "name": row.name})
        return TokenIssued(**token_json(row), token=secret)


@router.get("")
def list_tokens(_: Admin, svc: Svc, params: Annotated[PageParams, Depends(page_params)]) -> Page[TokenOut]:
    """Every token (never the secret): who has which role, and which are revoked."""
    with svc.database.read() as session:
        rows, total = fetch(session, select(Token).order_by(Token.id), params)
        return page([token_json(r) for r in rows], total, params)


@router.delete("/{token_id}", responses=documented(404))
def revoke_token(token_id: TokenId, principal: Admin, svc: Svc) -> TokenOut:
    """Revoke a token: every request with it is refused from now on."""
    with svc.database.write() as session:
        row = session.get(Token, token_id)
        if row is None:
            raise ApiProblem(404, f"no token {token_id}", [FieldError(field="path.token_id", message="not found")])
        if row.revoked_at is None:
            row.revoked_at = now()
            audit.append(session, principal.actor, "token.revoke", f"token:{row.id}", {"role": row.role})
        return TokenOut(**token_json(row))
