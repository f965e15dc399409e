"""Pagination shared by every list: `limit` and `offset` in, `items`, `total` and `next_offset` out."""

from __future__ import annotations

from typing import Annotated, Generic, TypeVar

from fastapi import Query
from pydantic import BaseModel
from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

T = TypeVar("T")
MAX_LIMIT = 500


class Page(BaseModel, Generic[T]):
    items: list[T]
    total: int
    limit: int
    offset: int
    next_offset: int | None


class PageParams(BaseModel):
    limit: int
    offset: int


def page_params(
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT, description="Items per page.")] = 50,
    offset: Annotated[int, Query(ge=0, le=2**62, description="Items to skip.")] = 0,
) -> PageParams:
    return PageParams(limit=limit, offset=offset)


def fetch(session: Session, query: Select, params: PageParams) -> tuple[list, int]:
    """One page of rows of `query` (already ordered) and how many rows it has in all."""
    total = session.execute(select(func.count()).select_from(query.order_by(None).subquery())).scalar_one()
    rows = session.execute(query.limit(params.limit).offset(params.offset)).scalars().all()
    return list(rows), total


def page(items: list, total: int, params: PageParams) -> dict:
    end = params.offset + len(items)
    return {
        "items": items,
        "total": total,
        "limit": params.limit,
        "offset": params.offset,
        "next_offset": end if end < total else None,
    }
