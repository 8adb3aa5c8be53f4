"""``GET /alerts`` and ``GET /alerts/{id}``."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Query
from sqlalchemy import or_, select

from server.alerts.models import ACTIVE_STATUSES, Alert, AlertAction
from server.alerts.service import alert_json
from server.deps import CallerDep, ContextDep, ReadSession, keyset_page, row_id
from server.errors import ApiError
from server.investigations.service import linked_alert_ids
from server.mutations.stores import read_world
from server.offices.models import Office
from shared.actions import Actor
from shared.actions.alert import SUBJECTS_BY_ROLE, visible
from shared.timeutil import format_instant

router = APIRouter(tags=["alerts"])


@router.get("/alerts", summary="Alerts, filtered and paginated")
def list_alerts(
    caller: CallerDep,
    session: ReadSession,
    status: str | None = None,
    severity: str | None = None,
    rule: str | None = None,
    office: str | None = None,
    case_no: str | None = None,
    active: bool | None = None,
    limit: int = Query(500, ge=1, le=5000),
    cursor: str | None = None,
) -> dict[str, Any]:
    subjects = SUBJECTS_BY_ROLE.get(caller.role)
    if subjects is None:
        raise ApiError(403, "FORBIDDEN", "office tokens cannot read alerts")
    # The shared ``visible`` rule as SQL: the role's subjects, or linked to a case the caller sees.
    q = select(Alert, Office.code).join(Office, Office.id == Alert.office_id).where(
        or_(Alert.subject_type.in_(subjects), Alert.id.in_(linked_alert_ids(Actor(caller.name, caller.role)))))
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


@router.get("/alerts/{alert_id}", summary="One alert with its history")
def get_alert(alert_id: int, caller: CallerDep, ctx: ContextDep, session: ReadSession) -> dict[str, Any]:
    row = None if row_id(alert_id) is None else session.execute(
        select(Alert, Office.code).join(Office, Office.id == Alert.office_id).where(Alert.id == alert_id)
    ).first()
    if row is None or caller.is_office or not visible(Actor(caller.name, caller.role), alert_json(row[0], row[1]),
                                                      read_world(ctx, session)):
        raise ApiError(404, "NOT_FOUND", f"no alert {alert_id}")
    a, code = row
    history = session.scalars(select(AlertAction).where(AlertAction.alert_id == a.id).order_by(AlertAction.id))
    out = alert_json(a, code)
    out["history"] = [
        {"action": h.action, "actor": h.actor, "at": format_instant(h.at), "data": h.data} for h in history
    ]
    return out
