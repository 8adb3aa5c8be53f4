"""Writing the change log and reading it back for one role.

Writers collect changes during a transaction and insert them at the end under the
change-log lock, so on PostgreSQL the sequence order is the commit order and a reader's
cursor never skips a change committed late.
"""

from __future__ import annotations

from typing import Any

import orjson
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from server.changes.models import Change
from server.db import LOCK_CHANGES, advisory_xact_lock, bulk_insert, table_of

#: Which change topics each role may read (spec 01 Roles). Camera URLs carry passwords:
#: they go only to the roles that watch video.
ROLE_TOPICS: dict[str, frozenset[str]] = {
    "admin": frozenset(
        {"office", "case", "case_alert", "office_alert", "petition", "petition_alert", "camera", "catalogue",
         "calendar"}
    ),
    "operator": frozenset({"office", "case", "case_alert", "office_alert", "camera", "catalogue", "calendar"}),
    "leader": frozenset(
        {"office", "case", "case_alert", "office_alert", "petition", "petition_alert", "camera", "catalogue",
         "calendar"}
    ),
    "petition_officer": frozenset({"office", "petition", "petition_alert", "calendar"}),
    "investigator": frozenset({"office", "catalogue", "calendar"}),
}


class ChangeWriter:
    """Collects a transaction's changes; ``flush`` writes them (call it just before commit)."""

    def __init__(self) -> None:
        self.rows: list[dict[str, Any]] = []
        self._index: dict[tuple[str, str], int] = {}

    def add(self, *, topic: str, entity: str, entity_id: str, data: dict[str, Any] | None, at: int,
            op: str = "upsert") -> None:
        row = {
            "topic": topic,
            "entity": entity,
            "entity_id": entity_id,
            "op": op,
            "data": orjson.dumps(data).decode() if data is not None else "null",
            "at": at,
        }
        key = (entity, entity_id)
        # Only the last state of an entity within one transaction matters to a replica.
        if key in self._index:
            self.rows[self._index[key]] = row
        else:
            self._index[key] = len(self.rows)
            self.rows.append(row)

    def flush(self, session: Session) -> int:
        lock_for_commit_order(session)
        bulk_insert(session, table_of(Change), self.rows)
        n = len(self.rows)
        self.rows.clear()
        self._index.clear()
        return n


def lock_for_commit_order(session: Session) -> None:
    advisory_xact_lock(session, LOCK_CHANGES)


def read_changes(session: Session, *, role: str, since: int, limit: int) -> tuple[list[dict[str, Any]], int, bool]:
    """Changes after ``since`` visible to ``role``: (changes, new cursor, more)."""
    topics = ROLE_TOPICS.get(role, frozenset())
    rows = session.execute(
        select(Change.seq, Change.entity, Change.entity_id, Change.op, Change.data)
        .where(Change.seq > since, Change.topic.in_(topics))
        .order_by(Change.seq)
        .limit(limit + 1)
    ).all()
    more = len(rows) > limit
    rows = rows[:limit]
    changes = [
        {"seq": seq, "entity": entity, "id": entity_id, "op": op, "data": orjson.loads(data)}
        for seq, entity, entity_id, op, data in rows
    ]
    if rows:
        cursor = rows[-1][0]
    else:
        # Nothing visible: move the cursor to the head so the next poll skips what this role
        # may not see instead of scanning it again.
        cursor = max(since, latest_seq(session)) if not more else since
    return changes, cursor, more


def latest_seq(session: Session) -> int:
    return int(session.execute(select(func.coalesce(func.max(Change.seq), 0))).scalar_one())


def oldest_seq(session: Session) -> int:
    return int(session.execute(select(func.coalesce(func.min(Change.seq), 0))).scalar_one())
