"""Writing the change log and reading it back for one role.

Writers collect changes during a transaction and insert them at the end under the
change-log lock, so on PostgreSQL the sequence order is the commit order and a reader's
cursor never skips a change committed late.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

import orjson
from sqlalchemy import ColumnElement, func, or_, select
from sqlalchemy.orm import Session

from server.changes.models import Change, ChangeAudience
from server.db import LOCK_CHANGES, advisory_xact_lock, bulk_insert, table_of

#: Which change topics each role may read (spec 01 Roles). Camera URLs carry passwords:
#: they go only to the roles that watch video.
ROLE_TOPICS: dict[str, frozenset[str]] = {
    "admin": frozenset(
        {"office", "case", "case_alert", "office_alert", "petition", "petition_alert", "camera", "catalogue",
         "calendar", "investigation", "card", "notice", "notice_alert"}
    ),
    "operator": frozenset({"office", "case", "case_alert", "office_alert", "camera", "catalogue", "calendar", "card",
                           "notice", "notice_alert"}),
    "leader": frozenset(
        {"office", "case", "case_alert", "office_alert", "petition", "petition_alert", "camera", "catalogue",
         "calendar", "investigation", "card", "notice", "notice_alert"}
    ),
    "petition_officer": frozenset({"office", "petition", "petition_alert", "calendar"}),
    "investigator": frozenset({"office", "catalogue", "calendar"}),
}


#: the topic of a withdrawal (``ChangeWriter.withdraw``): no role reads it, only its audience
WITHDRAWN = "withdrawn"

AudienceResolver = Callable[[Session, list[str]], dict[str, set[str]]]
#: entity -> who may read its changes beyond the topic's roles, for entities whose visibility
#: is per person (an alert linked to an investigation reaches that investigation's people).
AUDIENCE_RESOLVERS: dict[str, AudienceResolver] = {}


def register_audience(entity: str, resolver: AudienceResolver) -> None:
    AUDIENCE_RESOLVERS[entity] = resolver


class ChangeWriter:
    """Collects a transaction's changes; ``flush`` writes them (call it just before commit)."""

    def __init__(self) -> None:
        self.rows: list[dict[str, Any]] = []
        self._index: dict[tuple[str, ...], int] = {}
        self._audience: dict[tuple[str, ...], set[str]] = {}

    def add(self, *, topic: str, entity: str, entity_id: str, data: dict[str, Any] | None, at: int,
            op: str = "upsert", audience: Iterable[str] = ()) -> None:
        """Record an entity's new state; ``audience`` names people who may read it although
        the topic's roles do not include them."""
        key = (entity, entity_id)
        people = set(audience)
        if people:
            self._audience.setdefault(key, set()).update(people)
        row = {
            "topic": topic,
            "entity": entity,
            "entity_id": entity_id,
            "op": op,
            "data": orjson.dumps(data).decode() if data is not None else "null",
            "at": at,
        }
        # Only the last state of an entity within one transaction matters to a replica.
        if key in self._index:
            self.rows[self._index[key]] = row
        else:
            self._index[key] = len(self.rows)
            self.rows.append(row)

    def withdraw(self, *, entity: str, entity_id: str, people: Iterable[str], at: int) -> None:
        """Tell ``people`` (and nobody else) that an entity is no longer theirs to hold: a
        ``delete`` only they read (topic ``withdrawn``, which no role reads), so a laptop drops
        an investigation its investigator was taken off, while everyone who still may read it
        keeps it."""
        people = set(people)
        if not people:
            return
        key = (entity, entity_id, WITHDRAWN)
        self._audience.setdefault(key, set()).update(people)
        row = {"topic": WITHDRAWN, "entity": entity, "entity_id": entity_id, "op": "delete", "data": "null",
               "at": at}
        if key in self._index:
            self.rows[self._index[key]] = row
        else:
            self._index[key] = len(self.rows)
            self.rows.append(row)

    def flush(self, session: Session) -> int:
        lock_for_commit_order(session)
        audience = self._resolve_audience(session)
        before = latest_seq(session) if audience else 0
        bulk_insert(session, table_of(Change), self.rows)
        if audience:
            # Under the change-log lock nobody else inserts: the rows after ``before`` are ours.
            rows = session.execute(
                select(Change.seq, Change.entity, Change.entity_id, Change.topic).where(Change.seq > before)
            ).all()
            bulk_insert(session, table_of(ChangeAudience), [
                {"username": person, "seq": seq}
                for seq, entity, entity_id, topic in rows
                for person in sorted(audience.get(
                    (entity, entity_id, WITHDRAWN) if topic == WITHDRAWN else (entity, entity_id), ()))
            ])
        n = len(self.rows)
        self.rows.clear()
        self._index.clear()
        self._audience.clear()
        return n

    def _resolve_audience(self, session: Session) -> dict[tuple[str, ...], set[str]]:
        audience = {k: set(v) for k, v in self._audience.items()}
        by_entity: dict[str, list[str]] = {}
        for row in self.rows:
            if row["entity"] in AUDIENCE_RESOLVERS and row["topic"] != WITHDRAWN:
                by_entity.setdefault(row["entity"], []).append(row["entity_id"])
        for entity, ids in by_entity.items():
            for entity_id, people in AUDIENCE_RESOLVERS[entity](session, ids).items():
                if people:
                    audience.setdefault((entity, entity_id), set()).update(people)
        return audience


def lock_for_commit_order(session: Session) -> None:
    advisory_xact_lock(session, LOCK_CHANGES)


def read_changes(session: Session, *, role: str, since: int, limit: int,
                 username: str | None = None) -> tuple[list[dict[str, Any]], int, bool]:
    """Changes after ``since`` visible to ``role`` (and addressed to ``username``):
    (changes, new cursor, more)."""
    topics = ROLE_TOPICS.get(role, frozenset())
    visible: ColumnElement[bool] = Change.topic.in_(topics)
    if username is not None:
        mine = select(ChangeAudience.seq).where(ChangeAudience.username == username, ChangeAudience.seq > since)
        visible = or_(visible, Change.seq.in_(mine))
    rows = session.execute(
        select(Change.seq, Change.entity, Change.entity_id, Change.op, Change.data)
        .where(Change.seq > since, visible)
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
