"""Notices in the mutation engine: loaded as the API's JSON; saved as the row and the timeline
entries the step added, ``reply_due`` computed from the server's calendar when the notice is
issued, and ``NOTICE_REPLY_OVERDUE`` re-evaluated in the same transaction (a reply recorded at
the centre resolves it at once). Topic ``notice``: admin, operators, leaders."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from server.cards.store import new_entries
from server.evaluation import Evaluator
from server.mutations.stores import register_store
from server.notices import service
from server.notices.models import Notice, NoticeEntry
from server.offices.models import Office
from server.uow import Work
from shared.actions import Actor, State, Step
from shared.timeutil import parse_instant

TOPIC = "notice"


class NoticeStore:
    entity = "notice"

    def load(self, work: Work, entity_id: str) -> State | None:
        return service.load(work.session, notice_id=entity_id)

    def save(self, work: Work, step: Step, actor: Actor, mutation_id: str) -> None:
        s, after = work.session, step.after
        row = s.scalar(select(Notice).where(Notice.id == step.entity_id)) if step.before is not None else None
        if row is None:
            office_id = s.scalar(select(Office.id).where(Office.code == after["office"]))
            assert office_id is not None, "checked by the action"
            issued = parse_instant(after["issued_at"])
            due = service.reply_due(issued, int(after["reply_days"]), work.ctx.calendar(s))
            row = Notice(id=step.entity_id, office_id=office_id, subject=after["subject"], body=after["body"],
                         alerts=list(after.get("alerts") or ()), issued_by=after["issued_by"], issued_at=issued,
                         reply_days=int(after["reply_days"]), reply_due=due, next_check=due)
            s.add(row)
        if row.status != "replied" and after.get("status") == "replied":
            row.replied_at = parse_instant(after["replied_at"])
            row.reply = after.get("reply")
            row.replied_by = after.get("replied_by")
            row.reply_at_centre = True
        row.status = after["status"]
        row.version = int(after.get("version") or 1)
        s.flush()
        s.add_all(NoticeEntry(notice_pk=row.pk, at=parse_instant(t["at"]), actor=t["actor"], action=t["action"],
                              data=t["data"]) for t in new_entries(step.before, after))
        s.flush()
        evaluator = Evaluator(work.ctx, s, work.now, work.changes)
        evaluator.notices([row.id])
        evaluator.finish()
        stored = self.load(work, step.entity_id)
        assert stored is not None
        # What the feed and the audit record is the notice as stored (its reply_due included).
        step.after.clear()
        step.after.update(stored)

    def feed(self, work: Work, state: State) -> tuple[str, dict[str, Any], set[str]]:
        return TOPIC, state, set()


register_store(NoticeStore())
