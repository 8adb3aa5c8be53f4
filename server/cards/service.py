"""Cards as the API shows them, and the list's filters. Keyword-only functions over a session."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from server.cards.models import Card, CardEntry
from server.offices.models import Office
from shared.timeutil import format_instant

COLUMNS: tuple[Any, ...] = (
    Card.pk, Card.id, Card.kind, Office.code, Card.staff, Card.reason, Card.alerts, Card.issued_by,
           Card.issued_at, Card.status, Card.revoked_by, Card.revoke_reason, Card.version)


def cards_json(session: Session, rows: Sequence[Any]) -> list[dict[str, Any]]:
    """Rows of :data:`COLUMNS` as the API's cards, with their timelines, in the order given."""
    pks = [r[0] for r in rows]
    timelines: dict[int, list[dict[str, Any]]] = {pk: [] for pk in pks}
    for start in range(0, len(pks), 500):
        for pk, at, actor, action, data in session.execute(
                select(CardEntry.card_pk, CardEntry.at, CardEntry.actor, CardEntry.action, CardEntry.data)
                .where(CardEntry.card_pk.in_(pks[start:start + 500])).order_by(CardEntry.pk)):
            timelines[pk].append({"at": format_instant(at), "actor": actor, "action": action, "data": data})
    return [{
        "id": cid, "kind": kind, "office": office, "staff": staff, "reason": reason, "alerts": list(alerts or ()),
        "issued_by": by, "issued_at": format_instant(at), "status": status, "revoked_by": revoked_by,
        "revoke_reason": revoke_reason, "version": version, "timeline": timelines[pk],
    } for pk, cid, kind, office, staff, reason, alerts, by, at, status, revoked_by, revoke_reason, version in rows]


def base_query() -> Select[Any]:
    return select(*COLUMNS).join(Office, Office.id == Card.office_id)


def load(session: Session, *, card_id: str) -> dict[str, Any] | None:
    row = session.execute(base_query().where(Card.id == card_id)).first()
    return None if row is None else cards_json(session, [row])[0]


def list_query(*, office: str | None, kind: str | None, status: str | None) -> Select[Any]:
    q = base_query()
    if office:
        q = q.where(Office.code == office)
    if kind:
        q = q.where(Card.kind == kind)
    if status:
        q = q.where(Card.status == status)
    return q
