"""Creating risk reminders when a case reaches a risk node, and delivering them.

Delivery is at-least-once: a worker leases a due reminder (moves its next attempt a minute
ahead and commits), sends it outside any transaction, then records the result. A process
that dies mid-send leaves the lease to expire and another attempt follows. Failures back
off exponentially with jitter; after ``MAX_ATTEMPTS`` the reminder is marked failed and
stays visible to operators.
"""

from __future__ import annotations

import json
import logging
import random
import ssl
import time
import urllib.error
import urllib.request
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from server.changes.service import ChangeWriter
from server.context import Context
from server.db import bulk_insert, one_of, one_of_chunks, table_of
from server.reminders.models import RiskReminder
from shared.catalogue import PowerItem
from shared.timeutil import format_instant

log = logging.getLogger(__name__)
MAX_ATTEMPTS = 8
LEASE_SECONDS = 60.0


@dataclass(frozen=True)
class Candidate:
    case_id: int
    office_id: int
    office_code: str
    office_name: str
    case_no: str
    item: PowerItem
    node: str


def reminder_json(r: RiskReminder | dict[str, Any], office_code: str) -> dict[str, Any]:
    get = r.get if isinstance(r, dict) else lambda k: getattr(r, k)
    return {
        "id": get("id"),
        "office": office_code,
        "case_no": get("case_no"),
        "node": get("node"),
        "level": get("level"),
        "point": get("point"),
        "measure": get("measure"),
        "recipients": get("recipients"),
        "text": get("text"),
        "status": get("status"),
        "attempts": get("attempts"),
        "last_error": get("last_error"),
        "created_at": format_instant(get("created_at")),
    }


def create_reminders(session: Session, candidates: Sequence[Candidate], *, now: int, changes: ChangeWriter) -> int:
    """Queue one reminder per (case, risk node) not reminded before; returns how many."""
    if not candidates:
        return 0
    existing: set[tuple[int, str]] = set()
    ids = sorted({c.case_id for c in candidates})
    for part in one_of_chunks(ids):
        existing.update(
            (cid, node) for cid, node in session.execute(
                select(RiskReminder.case_id, RiskReminder.node)
                .where(one_of(session, RiskReminder.case_id, part))
            )
        )
    rows: list[dict[str, Any]] = []
    for c in candidates:
        if (c.case_id, c.node) in existing:
            continue
        existing.add((c.case_id, c.node))
        node = c.item.node(c.node)
        if node is None or node.risk is None:
            continue
        risk = node.risk
        post = node.post or "经办岗位"
        text = (f"【鹰眼电子监察】{c.office_name}办件{c.case_no}（{c.item.name}）已进入“{node.name}”环节，"
                f"廉政风险等级{risk.level}：{risk.point}。防范措施：{risk.measure or '按规定办理'}。")
        rows.append({
            "case_id": c.case_id, "office_id": c.office_id, "case_no": c.case_no, "node": c.node,
            "level": risk.level, "point": risk.point, "measure": risk.measure,
            "recipients": [{"role": "post", "post": post, "office": c.office_code},
                           {"role": "office_head", "office": c.office_code}],
            "text": text, "status": "pending", "attempts": 0, "next_attempt_at": time.time(), "last_error": None,
            "created_at": now, "sent_at": None,
        })
    bulk_insert(session, table_of(RiskReminder), rows)
    codes = {c.office_id: c.office_code for c in candidates}
    for r in rows:
        code = codes[r["office_id"]]
        changes.add(topic="case", entity="risk_reminder", entity_id=f"{code}/{r['case_no']}/{r['node']}",
                    data=reminder_json({**r, "id": None}, code), at=now)
    return len(rows)


@dataclass
class Gateway:
    """The county's SMS/e-mail gateway: receives ``{"id", "recipients", "text"}`` as JSON."""

    url: str
    token: str | None = None
    ca_file: str | None = None

    def send(self, reminder: RiskReminder) -> None:
        body = json.dumps({"id": reminder.id, "recipients": reminder.recipients, "text": reminder.text,
                           "level": reminder.level}, ensure_ascii=False).encode()
        headers = {"Content-Type": "application/json"}
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        req = urllib.request.Request(self.url, data=body, method="POST", headers=headers)  # noqa: S310
        context = ssl.create_default_context(cafile=self.ca_file) if self.url.startswith("https") else None
        with urllib.request.urlopen(req, timeout=15, context=context) as r:  # noqa: S310 - URL from configuration
            if r.status >= 300:
                raise OSError(f"gateway answered {r.status}")


def deliver_due(ctx: Context, gateway: Gateway | None, *, limit: int = 50) -> int:
    """Send the reminders whose attempt is due; returns how many were sent."""
    if gateway is None:
        return 0
    now = time.time()
    with ctx.db.writing() as session:
        q = (select(RiskReminder).where(RiskReminder.status == "pending", RiskReminder.next_attempt_at <= now)
             .order_by(RiskReminder.next_attempt_at).limit(limit))
        if ctx.db.is_postgres:
            q = q.with_for_update(skip_locked=True)
        due = list(session.scalars(q))
        for r in due:
            r.next_attempt_at = now + LEASE_SECONDS
    sent = 0
    for r in due:
        error: str | None = None
        try:
            gateway.send(r)
        except (OSError, urllib.error.URLError, ValueError) as exc:
            error = str(exc)[:500] or exc.__class__.__name__
        with ctx.db.writing() as session:
            row = session.get(RiskReminder, r.id)
            if row is None:
                continue
            row.attempts += 1
            if error is None:
                row.status, row.sent_at, row.last_error = "sent", time.time(), None
                sent += 1
            else:
                row.last_error = error
                if row.attempts >= MAX_ATTEMPTS:
                    row.status = "failed"
                else:
                    backoff = min(3600.0, 5.0 * 2 ** row.attempts)
                    row.next_attempt_at = time.time() + backoff * random.uniform(0.8, 1.2)  # noqa: S311 - jitter
                log.warning("risk reminder %s not delivered (attempt %d): %s", row.id, row.attempts, error)
    return sent
