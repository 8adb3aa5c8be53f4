"""``GET /alerts`` and ``GET /alerts/{id}``."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Query
from sqlalchemy import select

from server.alerts.models import ACTIVE_STATUSES, Alert, AlertAction
from server.alerts.service import alert_json
from server.deps import CallerDep, ReadSession, keyset_page, row_id
from server.errors import ApiError
from server.offices.models import Office
from shared.timeutil import format_instant

router = APIRouter(tags=["alerts"])
SUBJECTS_BY_ROLE = {
    "admin": ("case", "petition", "office"),
    "operator": ("case", "office"),
    "leader": ("case", "petition", "office"),
    "petition_officer": ("petition",),
    "investigator": (),
}


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


@router.get("/alerts/{alert_id}", summary="One alert with its history")
def get_alert(alert_id: int, caller: CallerDep, session: ReadSession) -> dict[str, Any]:
    row = None if row_id(alert_id) is None else session.execute(
        select(Alert, Office.code).join(Office, Office.id == Alert.office_id).where(Alert.id == alert_id)
    ).first()
    if row is None or row[0].subject_type not in SUBJECTS_BY_ROLE.get(caller.role, ()):
        raise ApiError(404, "NOT_FOUND", f"no alert {alert_id}")
    a, code = row
    history = session.scalars(select(AlertAction).where(AlertAction.alert_id == a.id).order_by(AlertAction.id))
    out = alert_json(a, code)
    out["history"] = [
        {"action": h.action, "actor": h.actor, "at": format_instant(h.at), "data": h.data} for h in history
    ]
    return out
