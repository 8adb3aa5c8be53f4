"""``GET /alerts``, ``GET /alerts/{id}`` and ``POST /mutations``."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.concurrency import run_in_threadpool
from sqlalchemy import select

from server.alerts.models import ACTIVE_STATUSES, Alert, AlertAction
from server.alerts.mutations import MutationsIn, apply_mutation
from server.alerts.service import alert_json
from server.changes.service import ChangeWriter, lock_for_commit_order
from server.deps import (
    PEOPLE,
    CallerDep,
    ContextDep,
    ReadSession,
    RowCursor,
    keyset_page,
    parse_model,
    read_json,
    require,
    row_id,
)
from server.errors import ApiError
from server.offices.models import Office
from shared.protocol import AlertDetail, AlertList
from shared.timeutil import format_instant

router = APIRouter(tags=["alerts"])
SUBJECTS_BY_ROLE = {
    "admin": ("case", "petition", "office"),
    "operator": ("case", "office"),
    "leader": ("case", "petition", "office"),
    "petition_officer": ("petition",),
    "investigator": (),
}


@router.get("/alerts", response_model=AlertList, dependencies=[require(*PEOPLE)],
            summary="Alerts, filtered and paginated")
def list_alerts(
    caller: CallerDep,
    session: ReadSession,
    status: Annotated[str | None, Query(max_length=200)] = None,
    severity: Annotated[str | None, Query(max_length=16)] = None,
    rule: Annotated[str | None, Query(max_length=500)] = None,
    office: Annotated[str | None, Query(max_length=64)] = None,
    case_no: Annotated[str | None, Query(max_length=64)] = None,
    active: bool | None = None,
    limit: int = Query(500, ge=1, le=5000),
    cursor: RowCursor = None,
) -> dict[str, Any]:
    subjects = SUBJECTS_BY_ROLE[caller.role]
    q = select(Alert, Office.code).join(Office, Office.id == Alert.office_id).where(Alert.subject_type.in_(subjects))
    if status:
        q = q.where(Alert.status.in_(status.split(",")))
    if severity:
        q = q.where(Alert.severity == severity)
    if rule:
        q = q.where(Alert.rule.in_(rule.split(",")))
    if office:
        q = q.where(Office.code == office)
    if case_no:
        q = q.where(Alert.subject_type == "case", Alert.subject_ref == case_no)
    if active is True:
        q = q.where(Alert.status.in_(ACTIVE_STATUSES))
    elif active is False:
        q = q.where(Alert.status.not_in(ACTIVE_STATUSES))
    rows, after = keyset_page(session, q, Alert.id, cursor=cursor, limit=limit)
    return {"alerts": [alert_json(a, code) for a, code in rows], "next": after}


@router.get("/alerts/{alert_id}", response_model=AlertDetail, summary="One alert with its history")
def get_alert(alert_id: int, caller: CallerDep, session: ReadSession) -> dict[str, Any]:
    row = None if row_id(alert_id) is None else session.execute(
        select(Alert, Office.code).join(Office, Office.id == Alert.office_id).where(Alert.id == alert_id)
    ).first()
    # An alert the caller may not see does not exist for it (404, never 403).
    if row is None or row[0].subject_type not in SUBJECTS_BY_ROLE.get(caller.role, ()):
        raise ApiError(404, "NOT_FOUND", f"no alert {alert_id}")
    a, code = row
    history = session.scalars(select(AlertAction).where(AlertAction.alert_id == a.id).order_by(AlertAction.id))
    out = alert_json(a, code)
    out["history"] = [
        {"action": h.action, "actor": h.actor, "at": format_instant(h.at), "data": h.data} for h in history
    ]
    return out


@router.post("/mutations", summary="Replay queued console changes")
async def post_mutations(request: Request, ctx: ContextDep, caller: CallerDep) -> dict[str, Any]:
    if caller.is_office:
        raise ApiError(403, "FORBIDDEN", "office tokens cannot change alerts")
    body = parse_model(MutationsIn, await read_json(request))

    def run() -> list[dict[str, Any]]:
        results = []
        changes = ChangeWriter()
        with ctx.db.writing() as session:
            lock_for_commit_order(session)
            now = ctx.now(session)
            for m in body.mutations:
                results.append(apply_mutation(session, m, actor=caller.name, role=caller.role, now=now,
                                              changes=changes))
            changes.flush(session)
        ctx.committed()
        return results

    return {"results": await run_in_threadpool(run)}
