"""Cards in the mutation engine: loaded as the API's JSON, saved as the row and the timeline
entries the step added, fed to the change log (topic ``card``: admin, operators, leaders)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from server.cards import service
from server.cards.models import Card, CardEntry
from server.mutations.stores import register_store
from server.offices.models import Office
from server.uow import Work
from shared.actions import Actor, State, Step
from shared.timeutil import parse_instant

TOPIC = "card"


def new_entries(before: State | None, after: State) -> list[dict[str, Any]]:
    return list(after.get("timeline") or ())[len((before or {}).get("timeline") or ()):]


class CardStore:
    entity = "card"

    def load(self, work: Work, entity_id: str) -> State | None:
        return service.load(work.session, card_id=entity_id)

    def save(self, work: Work, step: Step, actor: Actor, mutation_id: str) -> None:
        s, after = work.session, step.after
        row = s.scalar(select(Card).where(Card.id == step.entity_id)) if step.before is not None else None
        if row is None:
            office_id = s.scalar(select(Office.id).where(Office.code == after["office"]))
            assert office_id is not None, "checked by the action"
            row = Card(id=step.entity_id, kind=after["kind"], office_id=office_id, staff=after.get("staff"),
                       reason=after["reason"], alerts=list(after.get("alerts") or ()), issued_by=after["issued_by"],
                       issued_at=parse_instant(after["issued_at"]))
            s.add(row)
        row.status = after["status"]
        row.revoked_by = after.get("revoked_by")
        row.revoke_reason = after.get("revoke_reason")
        row.version = int(after.get("version") or 1)
        s.flush()
        s.add_all(CardEntry(card_pk=row.pk, at=parse_instant(t["at"]), actor=t["actor"], action=t["action"],
                            data=t["data"]) for t in new_entries(step.before, after))
        s.flush()

    def feed(self, work: Work, state: State) -> tuple[str, dict[str, Any], set[str]]:
        return TOPIC, state, set()


register_store(CardStore())
