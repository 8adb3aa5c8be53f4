"""The alert life cycle (spec 02 §4): raise, resolve, reopen, ``condition_cleared``.

``AlertSync`` applies one evaluation's hits to the stored alerts of its subjects; it is
given the existing alerts in bulk so that a batch of thousands of cases costs a handful
of queries, not one per case.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from server.alerts.models import HANDLED_STATUSES, Alert
from server.changes.service import ChangeWriter
from shared.rules.common import RULES, Hit
from shared.timeutil import format_instant

SubjectKey = tuple[str, str]
"""(subject_type, subject_id)"""


def alert_json(a: Alert, office_code: str) -> dict[str, Any]:
    subject: dict[str, Any] = {"type": a.subject_type, "office": office_code}
    if a.subject_type == "case":
        subject["case_no"] = a.subject_ref
    elif a.subject_type == "petition":
        subject["petition_id"] = a.subject_ref
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
        "evidence": a.evidence,
        "assignee": a.assignee,
        "resolution": a.resolution,
        "version": a.version,
    }


def topic_for(subject_type: str) -> str:
    return f"{subject_type}_alert"


class AlertSync:
    def __init__(self, session: Session, changes: ChangeWriter, office_codes: dict[int, str], now: int):
        self.session = session
        self.changes = changes
        self.office_codes = office_codes
        self.now = now
        self.existing: dict[SubjectKey, dict[tuple[str, str], Alert]] = {}
        self.raised = 0
        self._pending: list[Alert] = []

    def load(self, subjects: Iterable[SubjectKey]) -> None:
        keys = [k for k in subjects if k not in self.existing]
        by_type: dict[str, list[str]] = {}
        for k in keys:
            self.existing[k] = {}
            by_type.setdefault(k[0], []).append(k[1])
        # Scalar IN lists: SQLAlchemy renders tuple IN by literal expansion, which costs more
        # than the query itself for thousands of subjects.
        for subject_type, ids in by_type.items():
            for start in range(0, len(ids), 500):
                rows = self.session.scalars(
                    select(Alert).where(Alert.subject_type == subject_type,
                                        Alert.subject_id.in_(ids[start : start + 500]))
                )
                for a in rows:
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
                a = Alert(
                    subject_type=subject[0], subject_id=subject[1], subject_ref=subject_ref, office_id=office_id,
                    rule=h.rule, node=key[1], severity=h.severity, status="open", condition_cleared=False,
                    raised_at=self.now, as_of=as_of, updated_at=self.now, message=h.message,
                    evidence=h.evidence, version=1,
                )
                self.session.add(a)
                current[key] = a
                self.raised += 1
                self._changed(a, new=True)
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

    def _refresh(self, a: Alert, h: Hit, as_of: int) -> None:
        a.message = h.message
        a.evidence = h.evidence
        a.as_of = as_of

    def _changed(self, a: Alert, new: bool = False) -> None:
        if not new:
            a.version += 1
        a.updated_at = self.now
        self._pending.append(a)

    def flush(self) -> None:
        """Write alert rows and queue their changes (ids exist only after the flush)."""
        self.session.flush()
        for a in self._pending:
            self.changes.add(
                topic=topic_for(a.subject_type), entity="alert", entity_id=str(a.id),
                data=alert_json(a, self.office_codes.get(a.office_id, "")), at=self.now,
            )
        self._pending = []

