"""Console mutations of alerts (acknowledge, escalate, dismiss, promote, assign, comment).

Mutations are queued offline by consoles and replayed; each is idempotent by its id.
A mutation based on an older version than the stored one is a conflict that returns both
versions: nothing a person decided is overwritten silently.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field
from sqlalchemy import select
from sqlalchemy.orm import Session

from server.alerts.models import Alert, AlertAction, Mutation
from server.alerts.service import alert_json, topic_for
from server.audit import service as audit
from server.changes.service import ChangeWriter
from server.deps import row_id
from server.offices.models import Office
from shared.alerts import ACTIONS, COMMUTATIVE, TRANSITIONS

ROLE_ACTIONS = {
    "admin": frozenset(ACTIONS),
    "operator": frozenset(ACTIONS),
    "leader": frozenset({"comment"}),
}


class MutationIn(BaseModel):
    id: str = Field(min_length=1, max_length=64)
    entity: str = Field(max_length=32)
    entity_id: str | int = Field(union_mode="left_to_right")
    action: str = Field(max_length=32)
    base_version: int | None = None
    data: dict[str, Any] = Field(default_factory=dict)


class MutationsIn(BaseModel):
    mutations: list[MutationIn] = Field(max_length=1000)


def _result(m: MutationIn, status: str, version: int | None = None, error: dict[str, Any] | None = None,
            **extra: Any) -> dict[str, Any]:
    return {"id": m.id, "status": status, "version": version, "error": error, **extra}


def apply_mutation(session: Session, m: MutationIn, *, actor: str, role: str, now: int,
                   changes: ChangeWriter) -> dict[str, Any]:
    stored = session.get(Mutation, m.id)
    if stored is not None:
        return stored.result
    result = _apply(session, m, actor=actor, role=role, now=now, changes=changes)
    session.add(Mutation(id=m.id, actor=actor, result=result, at=now))
    return result


def _apply(session: Session, m: MutationIn, *, actor: str, role: str, now: int,
           changes: ChangeWriter) -> dict[str, Any]:
    if m.entity != "alert":
        return _result(m, "rejected", error={"code": "UNKNOWN_ENTITY", "message": f"cannot change {m.entity!r}"})
    if m.action not in ACTIONS:
        return _result(m, "rejected", error={"code": "UNKNOWN_ACTION",
                                             "message": f"action must be one of {', '.join(ACTIONS)}"})
    if m.action not in ROLE_ACTIONS.get(role, frozenset()):
        return _result(m, "rejected", error={"code": "FORBIDDEN", "message": f"the {role} role may not {m.action}"})
    alert_id = row_id(m.entity_id)
    alert = None if alert_id is None else session.get(Alert, alert_id, with_for_update=True)
    if alert is None:
        return _result(m, "rejected", error={"code": "NOT_FOUND", "message": f"no alert {m.entity_id}"})
    office_code = session.scalar(select(Office.code).where(Office.id == alert.office_id)) or ""
    before = alert_json(alert, office_code)
    if m.base_version is not None and m.base_version < alert.version and m.action not in COMMUTATIVE:
        return _result(m, "conflict", alert.version,
                       {"code": "CONFLICT", "message": f"the alert changed since version {m.base_version} "
                        f"(now {alert.version}); review it and decide again"},
                       current=before, yours={"action": m.action, "data": m.data, "base_version": m.base_version})
    data = dict(m.data)
    if m.action in TRANSITIONS:
        allowed, target = TRANSITIONS[m.action]
        if alert.status not in allowed:
            return _result(m, "rejected", alert.version,
                           {"code": "INVALID_TRANSITION",
                            "message": f"cannot {m.action} an alert that is {alert.status}"})
        if m.action == "dismiss":
            reason = data.get("reason")
            if not isinstance(reason, str) or not reason.strip():
                return _result(m, "rejected", alert.version,
                               {"code": "REASON_REQUIRED", "message": "dismissing an alert needs a reason"})
            alert.resolution = reason.strip()[:2000]
        alert.status = target
        if m.action == "escalate" and alert.severity == "yellow":
            # 人机结合: a person confirmed the signal, so it hardens to red.
            alert.severity = "red"
    elif m.action == "assign":
        assignee = data.get("assignee")
        if assignee is not None and (not isinstance(assignee, str) or len(assignee) > 100):
            return _result(m, "rejected", alert.version,
                           {"code": "INVALID_FIELD", "message": "assignee must be a user name or null"})
        alert.assignee = assignee
    elif m.action == "comment":
        text = data.get("text")
        if not isinstance(text, str) or not text.strip() or len(text) > 10_000:
            return _result(m, "rejected", alert.version,
                           {"code": "INVALID_FIELD", "message": "a comment needs text (at most 10000 characters)"})
    if m.action != "comment":
        alert.version += 1
        alert.updated_at = now
    session.add(AlertAction(alert_id=alert.id, action=m.action, actor=actor, at=now, data=data))
    after = alert_json(alert, office_code)
    audit.append(session, at=now, actor=actor, action=f"alert.{m.action}", entity="alert",
                 entity_id=str(alert.id), before=before, after=after, detail={"mutation": m.id, "data": data})
    changes.add(topic=topic_for(alert.subject_type), entity="alert", entity_id=str(alert.id), data=after, at=now)
    return _result(m, "applied", alert.version)
