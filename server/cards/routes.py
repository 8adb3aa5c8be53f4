"""``GET /cards`` and ``GET /cards/{id}``. Changes are mutations (``POST /mutations``, entity
``card``); what the caller may not see is 404, never 403."""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter, Query

from server.cards import service
from server.cards.models import Card
from server.deps import CallerDep, ReadSession, RowCursor, keyset_page
from server.errors import ApiError
from shared.actions.base import uuid_id
from shared.actions.card import READERS
from shared.protocol import CardList, CardOut

router = APIRouter(tags=["cards"])


def _readers_only(role: str) -> None:
    if role not in READERS:
        raise ApiError(404, "NOT_FOUND", "no such card")


@router.get("/cards", response_model=CardList, summary="Cards issued to units and people, newest first")
def list_cards(
    caller: CallerDep,
    session: ReadSession,
    office: str | None = Query(None, max_length=32),
    kind: Literal["yellow", "red"] | None = None,
    status: Literal["active", "revoked"] | None = None,
    limit: int = Query(100, ge=1, le=1000),
    cursor: RowCursor = None,
) -> dict[str, Any]:
    if caller.role not in READERS:
        raise ApiError(403, "FORBIDDEN", "cards are read by operators, leaders and the administrator")
    q = service.list_query(office=office, kind=kind, status=status)
    rows, after = keyset_page(session, q, Card.pk, cursor=cursor, limit=limit, newest_first=True)
    return {"cards": service.cards_json(session, rows), "next": after}


@router.get("/cards/{card_id}", response_model=CardOut, summary="One card with its timeline")
def get_card(card_id: str, caller: CallerDep, session: ReadSession) -> dict[str, Any]:
    _readers_only(caller.role)
    cid = uuid_id(card_id)
    card = None if cid is None else service.load(session, card_id=cid)
    if card is None:
        raise ApiError(404, "NOT_FOUND", "no such card")
    return card
