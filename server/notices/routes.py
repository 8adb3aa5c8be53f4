"""``GET /notices`` and ``GET /notices/{id}``. Changes are mutations (``POST /mutations``, entity
``notice``) or, for the addressed office, ``notice_reply`` records in its batch. An office's
token reads its own notices only (``yingyan sync notices``); another office's is 404."""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter, Query

from server.deps import CallerDep, ReadSession, RowCursor, keyset_page
from server.errors import ApiError
from server.notices import service
from server.notices.models import Notice
from shared.actions.base import uuid_id
from shared.actions.card import READERS
from shared.protocol import NoticeList, NoticeOut

router = APIRouter(tags=["notices"])


@router.get("/notices", response_model=NoticeList,
            summary="Supervision notices, newest first (an office token: its own notices)")
def list_notices(
    caller: CallerDep,
    session: ReadSession,
    office: str | None = Query(None, max_length=32),
    status: Literal["awaiting", "replied"] | None = None,
    limit: int = Query(100, ge=1, le=1000),
    cursor: RowCursor = None,
) -> dict[str, Any]:
    if not caller.is_office and caller.role not in READERS:
        raise ApiError(403, "FORBIDDEN", "notices are read by operators, leaders, the administrator and the "
                       "addressed office")
    q = service.list_query(office=office, status=status, office_id=caller.office_id if caller.is_office else None)
    rows, after = keyset_page(session, q, Notice.pk, cursor=cursor, limit=limit, newest_first=True)
    return {"notices": service.notices_json(session, rows), "next": after}


@router.get("/notices/{notice_id}", response_model=NoticeOut, summary="One notice with its timeline")
def get_notice(notice_id: str, caller: CallerDep, session: ReadSession) -> dict[str, Any]:
    nid = uuid_id(notice_id)
    found = None
    if nid is not None and (caller.is_office or caller.role in READERS):
        found = service.load(session, notice_id=nid)
    if found is None or (caller.is_office and found["office"] != caller.office_code):
        raise ApiError(404, "NOT_FOUND", "no such notice")
    return found
