"""Cards and supervision notices in the replica, and the two lists the console shows of them.

A card (黄牌/红牌) and a notice (督办通知书) are issued by an operator from the wall, offline if
need be: ``issue`` creates the row at once through the outbox (``outbox.queue_one``), the
server confirms it and the change feed brings it back as stored (a notice with the server's
``reply_due``). What an action means is ``shared.actions.card`` / ``shared.actions.notice``,
run here through ``desktop.replica.local`` exactly as the server runs it.

Lists (alerts, timelines) are kept as JSON text in their columns, instants as the server's
ISO 8601 text (all in +08:00, so they sort as text). The notices tracker's countdown is the
working-day clock of ``shared.clock`` on the replica's calendar, from the server's clock
(``now``): nothing about working days is worked out here.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from desktop.replica import local
from desktop.replica.kind import MUTABLE_COLUMNS, Kind, LocalActions
from shared.actions.base import State
from shared.calendar import WorkCalendar
from shared.clock import working_clock, working_time
from shared.timeutil import DAY, Instant, parse_instant_or_none

#: columns holding lists (JSON text in the replica, lists in the shared actions)
_JSON_COLUMNS = ("alerts", "timeline")

CARD_COLUMNS = ("id", "kind", "office", "staff", "reason", "alerts", "issued_by", "issued_at", "status",
                "revoked_by", "revoke_reason", "timeline", "version")
NOTICE_COLUMNS = ("id", "office", "subject", "body", "alerts", "issued_by", "issued_at", "reply_days", "reply_due",
                  "status", "replied_at", "reply", "replied_by", "timeline", "version")

_MUTABLE = ", ".join(MUTABLE_COLUMNS)
CARD_DDL = f"""
CREATE TABLE IF NOT EXISTS cards (
    id TEXT PRIMARY KEY, kind TEXT NOT NULL DEFAULT 'yellow', office TEXT NOT NULL DEFAULT '', staff TEXT,
    reason TEXT NOT NULL DEFAULT '', alerts TEXT NOT NULL DEFAULT '[]', issued_by TEXT, issued_at TEXT,
    status TEXT NOT NULL DEFAULT 'active', revoked_by TEXT, revoke_reason TEXT, timeline TEXT NOT NULL DEFAULT '[]',
    version INTEGER NOT NULL DEFAULT 1, {_MUTABLE}, gen INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS cards_issued ON cards (issued_at);
"""
NOTICE_DDL = f"""
CREATE TABLE IF NOT EXISTS notices (
    id TEXT PRIMARY KEY, office TEXT NOT NULL DEFAULT '', subject TEXT NOT NULL DEFAULT '',
    body TEXT NOT NULL DEFAULT '',
    alerts TEXT NOT NULL DEFAULT '[]', issued_by TEXT, issued_at TEXT, reply_days INTEGER NOT NULL DEFAULT 5,
    reply_due TEXT, status TEXT NOT NULL DEFAULT 'awaiting', replied_at TEXT, reply TEXT, replied_by TEXT,
    timeline TEXT NOT NULL DEFAULT '[]', version INTEGER NOT NULL DEFAULT 1, {_MUTABLE},
    gen INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS notices_issued ON notices (issued_at);
"""


def _text(value: Any) -> str | None:
    return None if value is None else str(value)


def _json_list(value: Any) -> str:
    """A list as JSON text; anything else (garbage from a newer or broken server) as an empty list."""
    return json.dumps(value if isinstance(value, list) else [], ensure_ascii=False)


def _int(value: Any, default: int) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else default


def card_row(feed_id: str, data: dict[str, Any]) -> dict[str, Any]:
    """The replica row of a card as the API lists it."""
    return {
        "id": str(data.get("id") or feed_id), "kind": str(data.get("kind") or "yellow"),
        "office": str(data.get("office") or ""), "staff": _text(data.get("staff")),
        "reason": str(data.get("reason") or ""), "alerts": _json_list(data.get("alerts")),
        "issued_by": _text(data.get("issued_by")), "issued_at": _text(data.get("issued_at")),
        "status": str(data.get("status") or "active"), "revoked_by": _text(data.get("revoked_by")),
        "revoke_reason": _text(data.get("revoke_reason")), "timeline": _json_list(data.get("timeline")),
        "version": _int(data.get("version"), 1),
    }


def notice_row(feed_id: str, data: dict[str, Any]) -> dict[str, Any]:
    """The replica row of a notice as the API lists it."""
    return {
        "id": str(data.get("id") or feed_id), "office": str(data.get("office") or ""),
        "subject": str(data.get("subject") or ""), "body": str(data.get("body") or ""),
        "alerts": _json_list(data.get("alerts")), "issued_by": _text(data.get("issued_by")),
        "issued_at": _text(data.get("issued_at")), "reply_days": _int(data.get("reply_days"), 5),
        "reply_due": _text(data.get("reply_due")), "status": str(data.get("status") or "awaiting"),
        "replied_at": _text(data.get("replied_at")), "reply": _text(data.get("reply")),
        "replied_by": _text(data.get("replied_by")), "timeline": _json_list(data.get("timeline")),
        "version": _int(data.get("version"), 1),
    }


# ---------------------------------------------------------------------------------- local actions

class _ReplicaWorld(local.ReplicaWorld):
    """The replica's world for cards and notices: an alert it names is taken to exist (the
    replica may not hold every alert the operator can see; the server decides on replay)."""

    def get(self, entity: str, entity_id: str) -> State | None:
        found = super().get(entity, entity_id)
        if found is None and entity == "alert":
            return {"id": entity_id, "subject": {"type": "case", "office": ""}, "status": "open", "version": 1}
        return found


def _decoded(state: Mapping[str, Any]) -> State:
    out = dict(state)
    for c in _JSON_COLUMNS:
        if isinstance(out.get(c), str):
            try:
                out[c] = json.loads(out[c])
            except ValueError:
                out[c] = []
    return out


def _encoded(state: Mapping[str, Any]) -> State:
    out = dict(state)
    for c in _JSON_COLUMNS:
        if not isinstance(out.get(c), str):
            out[c] = _json_list(out.get(c))
    return out


def _local(entity: str) -> LocalActions:
    def check(state: dict[str, Any], action: str, data: dict[str, Any]) -> None:
        local.check_entity(entity, _decoded(state), action, data, world=_ReplicaWorld())

    def apply(state: dict[str, Any], action: str, data: dict[str, Any]) -> dict[str, Any]:
        if local.creates(entity, action) and state.get("issued_at"):
            return dict(state)  # issued already: the create replayed over the server's state means nothing
        try:
            after = local.apply_entity(entity, _decoded(state), action, data, world=_ReplicaWorld())
        except local.ActionRefused:
            return dict(state)
        return _encoded(after)

    return LocalActions(check=check, apply=apply, versionless=frozenset({"annotate"}))


CARD = Kind(entity="card", table="cards", keys=("id",), columns=CARD_COLUMNS, row=card_row, ddl=CARD_DDL,
            local=_local("card"), state=CARD_COLUMNS)
NOTICE = Kind(entity="notice", table="notices", keys=("id",), columns=NOTICE_COLUMNS, row=notice_row,
              ddl=NOTICE_DDL, local=_local("notice"), state=NOTICE_COLUMNS)


# ---------------------------------------------------------------------------------- queries

def _record(row: sqlite3.Row, columns: tuple[str, ...]) -> dict[str, Any]:
    out = {c: row[c] for c in columns}
    for c in _JSON_COLUMNS:
        try:
            out[c] = json.loads(out[c]) if out[c] else []
        except ValueError:
            out[c] = []
    out["pending"] = int(row["pending"])
    out["conflict"] = int(row["conflict"])
    return out


def _office_names(conn: sqlite3.Connection) -> dict[str, str]:
    from desktop.replica.queries import office_names  # queries → outbox → entities → here

    return office_names(conn)


def cards_register(conn: sqlite3.Connection, *, limit: int = 5000) -> list[dict[str, Any]]:
    """Every card the replica holds, newest first, with its office's name (``office_name``)."""
    names = _office_names(conn)
    out = []
    for row in conn.execute("SELECT * FROM cards ORDER BY issued_at DESC, id LIMIT ?", (limit,)):
        rec = _record(row, CARD_COLUMNS)
        rec["office_name"] = names.get(rec["office"], rec["office"])
        out.append(rec)
    return out


#: a notice's place in the tracker
AWAITING, REPLIED, LATE, REPLIED_LATE = "awaiting", "replied", "late", "replied_late"


@dataclass(frozen=True)
class NoticeState:
    """Where a notice stands at ``now``: its tracker state, its reply due (the server's, else the
    replica's own estimate on the same clock) and the working days left (negative: overdue)."""

    state: str
    due: Instant | None
    working_days_left: float | None
    estimated: bool


def notice_state(notice: Mapping[str, Any], now: Instant, calendar: WorkCalendar) -> NoticeState:
    """Awaiting, late (no reply and ``now`` at or past the due instant), replied or replied late."""
    issued = parse_instant_or_none(notice.get("issued_at"))
    due = parse_instant_or_none(notice.get("reply_due"))
    estimated = False
    if due is None and issued is not None:
        # Not yet confirmed by the server: the same working-day clock the server will use.
        due = working_clock(issued, int(notice.get("reply_days") or 5), calendar).due
        estimated = True
    replied = parse_instant_or_none(notice.get("replied_at"))
    if notice.get("status") == "replied":
        late = due is not None and replied is not None and replied > due
        return NoticeState(REPLIED_LATE if late else REPLIED, due, None, estimated)
    if due is None:
        return NoticeState(AWAITING, None, None, estimated)
    if now >= due:
        return NoticeState(LATE, due, -working_time(due, now, calendar) / DAY, estimated)
    return NoticeState(AWAITING, due, working_time(now, due, calendar) / DAY, estimated)


def notices_tracker(conn: sqlite3.Connection, now: Instant, calendar: WorkCalendar, *,
                    limit: int = 5000) -> list[dict[str, Any]]:
    """Every notice, newest first, with ``office_name`` and where it stands (``notice_state``:
    ``state``, ``due``, ``working_days_left``, ``estimated``)."""
    names = _office_names(conn)
    out = []
    for row in conn.execute("SELECT * FROM notices ORDER BY issued_at DESC, id LIMIT ?", (limit,)):
        rec = _record(row, NOTICE_COLUMNS)
        rec["office_name"] = names.get(rec["office"], rec["office"])
        st = notice_state(rec, now, calendar)
        rec.update(state=st.state, due=st.due, working_days_left=st.working_days_left, estimated=st.estimated)
        out.append(rec)
    return out


def alert_briefs(conn: sqlite3.Connection, ids: list[int]) -> list[dict[str, Any]]:
    """What the card and notice forms are prefilled from: the selected alerts' office, rule,
    severity, subject and message, in the order given (ids the replica lacks are left out)."""
    if not ids:
        return []
    found: dict[int, dict[str, Any]] = {}
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        marks = ", ".join("?" * len(chunk))
        sql = ("SELECT id, office, rule, rule_zh, rule_en, severity, case_no, petition_id, message, message_en"  # noqa: S608
               f" FROM alerts WHERE id IN ({marks})")
        for r in conn.execute(sql, chunk):
            found[int(r["id"])] = dict(r)
    names = _office_names(conn)
    out = []
    for i in ids:
        if i in found:
            rec = found[i]
            rec["office_name"] = names.get(str(rec["office"]), str(rec["office"]))
            out.append(rec)
    return out



def notice_of_alert(conn: sqlite3.Connection, alert_id: int) -> str | None:
    """The notice a ``NOTICE_REPLY_OVERDUE`` alert is about (its evidence names it), or None."""
    row = conn.execute("SELECT evidence FROM alerts WHERE id = ? AND subject_type = 'notice'", (alert_id,)).fetchone()
    try:
        evidence = json.loads(row["evidence"]) if row is not None and row["evidence"] else None
    except ValueError:
        return None
    found = evidence.get("notice_id") if isinstance(evidence, dict) else None
    return str(found) if isinstance(found, str) and found else None
