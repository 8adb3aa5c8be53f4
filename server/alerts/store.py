"""Alerts in the mutation engine: loaded as their API JSON, saved back to the alert row,
each applied action kept in the alert's history."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from server.alerts.models import Alert, AlertAction
from server.alerts.service import alert_json, topic_for
from server.mutations.stores import register_store
from server.offices.models import Office
from server.uow import Work
from shared.actions import Actor, State, Step, redacted
from shared.timeutil import format_instant

#: What an action may change on the alert row (everything else is the rules').
_PERSON_FIELDS = ("status", "severity", "resolution", "assignee", "version", "links")


class AlertStore:
    entity = "alert"

    def load(self, work: Work, entity_id: str) -> State | None:
        row = work.session.execute(
            select(Alert, Office.code).join(Office, Office.id == Alert.office_id).where(Alert.id == int(entity_id))
        ).first()
        return None if row is None else alert_json(row[0], row[1])

    def save(self, work: Work, step: Step, actor: Actor, mutation_id: str) -> None:
        alert = work.session.get(Alert, int(step.entity_id))
        assert alert is not None, "alerts are made by the rules, never by a mutation"
        for name in _PERSON_FIELDS:
            setattr(alert, name, step.after.get(name))
        if step.spec.bumps_version:
            alert.updated_at = work.now
            step.after["updated_at"] = format_instant(work.now)
        data = redacted(step.data.model_dump(mode="json", exclude_unset=True), type(step.data))
        work.session.add(AlertAction(alert_id=alert.id, action=step.spec.name, actor=actor.name, at=work.now,
                                     data=data))

    def feed(self, work: Work, state: State) -> tuple[str, dict[str, Any], set[str]]:
        return topic_for(state["subject"]["type"]), state, set()


register_store(AlertStore())
