"""``GET /risk-reminders``: the reminder outbox, for operators and statistics."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query
from sqlalchemy import select

from server.deps import ReadSession, RowCursor, keyset_page, require
from server.offices.models import Office
from server.reminders.models import RiskReminder
from server.reminders.service import reminder_json
from shared.protocol import ReminderList

router = APIRouter(tags=["reminders"])


@router.get("/risk-reminders", response_model=ReminderList, dependencies=[require("admin", "operator", "leader")],
            summary="Integrity-risk reminders with their delivery state")
def list_reminders(
    session: ReadSession,
    office: Annotated[str | None, Query(max_length=64)] = None,
    status: Annotated[str | None, Query(max_length=16)] = None,
    limit: int = Query(500, ge=1, le=5000),
    cursor: RowCursor = None,
) -> dict[str, Any]:
    q = select(RiskReminder, Office.code).join(Office, Office.id == RiskReminder.office_id)
    if office:
        q = q.where(Office.code == office)
    if status:
        q = q.where(RiskReminder.status == status)
    rows, after = keyset_page(session, q, RiskReminder.id, cursor=cursor, limit=limit)
    return {"reminders": [reminder_json(r, code) for r, code in rows], "next": after}
