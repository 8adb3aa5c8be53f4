"""``GET /audit`` (the audit log, newest first, with filters) and ``GET /audit/verify`` (admin only)."""

from __future__ import annotations

from typing import Annotated

import orjson
from fastapi import APIRouter, Query
from sqlalchemy import select

from server.audit.models import AuditEntry
from server.audit.service import verify
from server.deps import ReadSession, RowCursor, require, row_id
from server.errors import ApiError
from shared.admin import AuditEntry as AuditEntryOut
from shared.admin import AuditPage, AuditVerify
from shared.timeutil import format_instant

router = APIRouter(tags=["audit"])
ADMIN = require("admin")
Filter = Annotated[str | None, Query(max_length=120)]


def entry_out(e: AuditEntry) -> AuditEntryOut:
    try:
        detail = orjson.loads(e.detail) if e.detail else {}
    except orjson.JSONDecodeError:
        detail = {"text": e.detail}
    return AuditEntryOut(seq=e.seq, at=format_instant(e.at) or "", actor=e.actor, action=e.action, entity=e.entity,
                         entity_id=e.entity_id, before_digest=e.before_digest, after_digest=e.after_digest,
                         detail=detail if isinstance(detail, dict) else {"value": detail})


@router.get("/audit", dependencies=[ADMIN], response_model=AuditPage,
            summary="The audit log, newest first: who did what to which entity, when, before → after")
def list_audit(
    session: ReadSession,
    entity: Filter = None,
    entity_id: Filter = None,
    actor: Filter = None,
    action: Filter = None,
    limit: Annotated[int, Query(ge=1, le=5000)] = 500,
    cursor: RowCursor = None,
) -> AuditPage:
    q = select(AuditEntry)
    for column, value in ((AuditEntry.entity, entity), (AuditEntry.entity_id, entity_id),
                          (AuditEntry.actor, actor), (AuditEntry.action, action)):
        if value:
            q = q.where(column == value)
    if cursor:
        last = row_id(cursor)
        if last is None:
            raise ApiError(400, "INVALID_CURSOR", "the cursor is not one this server gave")
        q = q.where(AuditEntry.seq < last)
    rows = list(session.scalars(q.order_by(AuditEntry.seq.desc()).limit(limit + 1)))
    more = len(rows) > limit
    rows = rows[:limit]
    return AuditPage(entries=[entry_out(e) for e in rows], next=str(rows[-1].seq) if more else None)


@router.get("/audit/verify", dependencies=[ADMIN], response_model=AuditVerify,
            summary="Check the audit hash chain (as `yingyan server verify-audit` does)")
def verify_audit(session: ReadSession) -> AuditVerify:
    result = verify(session)
    return AuditVerify(intact=result.broken_seq is None, entries=result.entries, broken_seq=result.broken_seq,
                       reason=result.reason)
