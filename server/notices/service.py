"""Notices as the API shows them, the list's filters, and the facts the rule looks at.
Keyword-only functions over a session."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from server.notices.models import Notice, NoticeEntry
from server.offices.models import Office
from shared.calendar import WorkCalendar
from shared.clock import working_clock
from shared.rules.notice import NoticeFacts
from shared.timeutil import Instant, format_instant

COLUMNS: tuple[Any, ...] = (
    Notice.pk, Notice.id, Office.code, Notice.subject, Notice.body, Notice.alerts, Notice.issued_by,
           Notice.issued_at, Notice.reply_days, Notice.reply_due, Notice.status, Notice.replied_at, Notice.reply,
           Notice.replied_by, Notice.version)


def reply_due(issued_at: Instant, reply_days: int, calendar: WorkCalendar) -> Instant:
    """``reply_days`` working days from the day after ``issued_at`` (spec 02 §2's clock)."""
    return working_clock(issued_at, reply_days, calendar).due


def notices_json(session: Session, rows: Sequence[Any]) -> list[dict[str, Any]]:
    """Rows of :data:`COLUMNS` as the API's notices, with their timelines, in the order given."""
    pks = [r[0] for r in rows]
    timelines: dict[int, list[dict[str, Any]]] = {pk: [] for pk in pks}
    for start in range(0, len(pks), 500):
        for pk, at, actor, action, data in session.execute(
                select(NoticeEntry.notice_pk, NoticeEntry.at, NoticeEntry.actor, NoticeEntry.action, NoticeEntry.data)
                .where(NoticeEntry.notice_pk.in_(pks[start:start + 500])).order_by(NoticeEntry.pk)):
            timelines[pk].append({"at": format_instant(at), "actor": actor, "action": action, "data": data})
    return [{
        "id": nid, "office": office, "subject": subject, "body": body, "alerts": list(alerts or ()), "issued_by": by,
        "issued_at": format_instant(at), "reply_days": days, "reply_due": format_instant(due), "status": status,
        "replied_at": format_instant(replied_at), "reply": reply, "replied_by": replied_by, "version": version,
        "timeline": timelines[pk],
    } for pk, nid, office, subject, body, alerts, by, at, days, due, status, replied_at, reply, replied_by, version
        in rows]


def base_query() -> Select[Any]:
    return select(*COLUMNS).join(Office, Office.id == Notice.office_id)


def load(session: Session, *, notice_id: str) -> dict[str, Any] | None:
    row = session.execute(base_query().where(Notice.id == notice_id)).first()
    return None if row is None else notices_json(session, [row])[0]


def list_query(*, office: str | None, status: str | None, office_id: int | None = None) -> Select[Any]:
    q = base_query()
    if office_id is not None:
        q = q.where(Notice.office_id == office_id)
    if office:
        q = q.where(Office.code == office)
    if status:
        q = q.where(Notice.status == status)
    return q


def facts(n: Notice, office_code: str) -> NoticeFacts:
    return NoticeFacts(id=n.id, office=office_code, reply_due=n.reply_due, replied_at=n.replied_at,
                       reply_at_centre=n.reply_at_centre)
