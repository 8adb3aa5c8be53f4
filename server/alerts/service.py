"""The alert life cycle (spec 02 §4): raise, resolve, reopen, ``condition_cleared``.

``AlertSync`` applies evaluations' hits to the stored alerts of their subjects. It works on
plain rows with Core statements — one query to load the alerts of a chunk of subjects,
one executemany to insert new alerts and one to update changed ones — because a midnight
sweep or a large batch touches tens of thousands of alerts and the ORM's per-object
bookkeeping would cost more than the rules themselves.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from server.alerts.models import HANDLED_STATUSES, Alert
from server.changes.service import ChangeWriter
from server.db import bulk_insert, bulk_update, one_of, one_of_chunks, table_of
from shared.rules.common import RULES, Hit
from shared.timeutil import format_instant

SubjectKey = tuple[str, str]
"""(subject_type, subject_id)"""

_MUTABLE = ("severity", "status", "condition_cleared", "raised_at", "as_of", "updated_at", "message", "message_en",
            "evidence", "resolution", "version")


@dataclass(slots=True)
class AlertRow:
    """An alert as a plain row (see ``Alert`` for the columns)."""

    id: int | None
    subject_type: str
    subject_id: str
    subject_ref: str
    office_id: int
    rule: str
    node: str
    severity: str
    status: str
    condition_cleared: bool
    raised_at: int
    as_of: int
    updated_at: int
    message: str
    message_en: str = ""
    evidence: dict[str, Any] = field(default_factory=dict)
    assignee: str | None = None
    resolution: str | None = None
    version: int = 1
    links: list[dict[str, Any]] | None = None


_COLUMNS = [getattr(Alert, name) for name in AlertRow.__slots__]


def alert_json(a: Alert | AlertRow, office_code: str) -> dict[str, Any]:
    subject: dict[str, Any] = {"type": a.subject_type, "office": office_code}
    if a.subject_type == "case":
        subject["case_no"] = a.subject_ref
    elif a.subject_type == "petition":
        subject["petition_id"] = a.subject_ref
    elif a.subject_type == "notice":
        subject["notice_id"] = a.subject_ref
    info = RULES.get(a.rule)
    return {
        "id": a.id,
        "rule": a.rule,
        "rule_name": {"zh_CN": info.name_zh, "en": info.name_en} if info else None,
        "severity": a.severity,
        "status": a.status,
        "condition_cleared": a.condition_cleared,
        "subject": subject,
        "node": a.node or None,
        "raised_at": format_instant(a.raised_at),
        "as_of": format_instant(a.as_of),
        "updated_at": format_instant(a.updated_at),
        "message": a.message,
        "message_en": a.message_en,
        "evidence": a.evidence,
        "assignee": a.assignee,
        "resolution": a.resolution,
        "version": a.version,
        "links": a.links or [],
    }


def topic_for(subject_type: str) -> str:
    return f"{subject_type}_alert"


class AlertSync:
    def __init__(self, session: Session, changes: ChangeWriter, office_codes: dict[int, str], now: int):
        self.session = session
        self.changes = changes
        self.office_codes = office_codes
        self.now = now
        self.existing: dict[SubjectKey, dict[tuple[str, str], AlertRow]] = {}
        self.raised = 0
        self._new: list[AlertRow] = []
        self._dirty: dict[int, AlertRow] = {}

    def load(self, subjects: Iterable[SubjectKey]) -> None:
        keys = [k for k in subjects if k not in self.existing]
        by_type: dict[str, list[str]] = {}
        for k in keys:
            self.existing[k] = {}
            by_type.setdefault(k[0], []).append(k[1])
        # Scalar IN lists: SQLAlchemy renders tuple IN by literal expansion, which costs more
        # than the query itself for thousands of subjects.
        for subject_type, ids in by_type.items():
            for part in one_of_chunks(ids):
                rows = self.session.execute(
                    select(*_COLUMNS).where(Alert.subject_type == subject_type,
                                            one_of(self.session, Alert.subject_id, part))
                )
                for values in rows:
                    a = AlertRow(*values)
                    self.existing[(a.subject_type, a.subject_id)][(a.rule, a.node)] = a

    def apply(
        self,
        *,
        subject: SubjectKey,
        subject_ref: str,
        office_id: int,
        hits: dict[tuple[str, str | None], Hit],
        as_of: int,
        only_rules: frozenset[str] | None = None,
    ) -> None:
        """Make the stored alerts of ``subject`` agree with ``hits``.

        ``only_rules`` limits the comparison to those rules (office-level evaluation
        touches only OFFICE_SILENT).
        """
        current = self.existing.setdefault(subject, {})
        wanted = {(rule, node or ""): h for (rule, node), h in hits.items()}
        for key, h in wanted.items():
            a = current.get(key)
            if a is None:
                a = AlertRow(
                    id=None, subject_type=subject[0], subject_id=subject[1], subject_ref=subject_ref,
                    office_id=office_id, rule=h.rule, node=key[1], severity=h.severity, status="open",
                    condition_cleared=False, raised_at=self.now, as_of=as_of, updated_at=self.now, message=h.message,
                    message_en=h.message_en, evidence=h.evidence,
                )
                current[key] = a
                self._new.append(a)
                self.raised += 1
            elif a.status == "resolved":
                a.status = "open"
                a.condition_cleared = False
                a.raised_at = self.now
                self._refresh(a, h, as_of)
                self.raised += 1
                self._changed(a)
            elif a.condition_cleared:
                a.condition_cleared = False
                self._refresh(a, h, as_of)
                self._changed(a)
            elif a.message != h.message or a.evidence != h.evidence:
                self._refresh(a, h, as_of)
                self._changed(a)
        for key, a in current.items():
            if key in wanted or (only_rules is not None and a.rule not in only_rules):
                continue
            if a.status == "open":
                a.status = "resolved"
                a.resolution = "condition no longer holds"
                a.as_of = as_of
                self._changed(a)
            elif a.status in HANDLED_STATUSES and not a.condition_cleared:
                a.condition_cleared = True
                a.as_of = as_of
                self._changed(a)

    def _refresh(self, a: AlertRow, h: Hit, as_of: int) -> None:
        a.message = h.message
        a.message_en = h.message_en
        a.evidence = h.evidence
        a.as_of = as_of

    def _changed(self, a: AlertRow) -> None:
        if a.id is None:
            return  # still to be inserted: the insert writes its latest state
        if a.id not in self._dirty:
            a.version += 1
            self._dirty[a.id] = a
        a.updated_at = self.now

    def flush(self) -> None:
        """Insert new alerts, update changed ones, and queue their changes."""
        table = table_of(Alert)
        if self._new:
            rows = [{name: getattr(a, name) for name in AlertRow.__slots__ if name != "id"} for a in self._new]
            # Plain bulk insert, then read the ids back by the alerts' unique key: an INSERT …
            # RETURNING that must keep the rows' order runs one statement per row on SQLite.
            bulk_insert(self.session, table, rows)
            by_key = {(a.subject_type, a.subject_id, a.rule, a.node): a for a in self._new}
            subjects: dict[str, list[str]] = {}
            for a in self._new:
                subjects.setdefault(a.subject_type, []).append(a.subject_id)
            for subject_type, ids in subjects.items():
                unique = sorted(set(ids))
                for part in one_of_chunks(unique):
                    for alert_id, sid, rule, node in self.session.execute(
                        select(Alert.id, Alert.subject_id, Alert.rule, Alert.node).where(
                            Alert.subject_type == subject_type,
                            one_of(self.session, Alert.subject_id, part),
                        )
                    ):
                        found = by_key.get((subject_type, sid, rule, node))
                        if found is not None:
                            found.id = alert_id
        bulk_update(self.session, table,
                    [{"_id": a.id, **{name: getattr(a, name) for name in _MUTABLE}} for a in self._dirty.values()],
                    _MUTABLE)
        for a in [*self._new, *self._dirty.values()]:
            self.changes.add(
                topic=topic_for(a.subject_type), entity="alert", entity_id=str(a.id),
                data=alert_json(a, self.office_codes.get(a.office_id, "")), at=self.now,
            )
        self._new = []
        self._dirty = {}
