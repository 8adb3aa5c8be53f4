"""Alerts in the replica: what the wall shows, as the server sent them, with my actions on top.

The row of a server alert (``alert_json``) is ``alert_row``; ``search`` is one column the
wall's free text scans, also indexed by trigrams (``alerts_fts``). An operator's action is
applied locally at once through ``desktop.replica.local`` (the server's own rules) and
replayed to the server by the outbox; a new red signal arriving in the feed is noted for the
wall to flash and sound.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from desktop.replica import local
from desktop.replica.kind import MUTABLE_COLUMNS, Kind, LocalActions, RowLike, single_key
from shared.timeutil import parse_instant_or_none

if TYPE_CHECKING:
    from desktop.replica.feed import ApplyResult

#: The alert's own columns: the server's state, what an action sees and changes.
ALERT_COLUMNS = (
    "id", "rule", "severity", "status", "condition_cleared", "subject_type", "office", "case_no",
    "petition_id", "node", "raised_at", "as_of", "updated_at", "message", "message_en", "evidence", "assignee",
    "resolution", "version", "rule_zh", "rule_en",
)
INSERT_COLUMNS = (*ALERT_COLUMNS, "search")
SEARCH_FIELDS = ("case_no", "petition_id", "office", "rule", "rule_zh", "rule_en", "node", "assignee", "message",
                 "message_en")

DDL = """
CREATE TABLE IF NOT EXISTS alerts (
    id INTEGER PRIMARY KEY,
    rule TEXT NOT NULL,
    severity TEXT NOT NULL,
    status TEXT NOT NULL,
    condition_cleared INTEGER NOT NULL DEFAULT 0,
    subject_type TEXT NOT NULL,
    office TEXT NOT NULL,
    case_no TEXT,
    petition_id TEXT,
    node TEXT,
    raised_at INTEGER NOT NULL,
    as_of INTEGER,
    updated_at INTEGER,
    message TEXT NOT NULL DEFAULT '',
    message_en TEXT,
    evidence TEXT,
    assignee TEXT,
    resolution TEXT,
    version INTEGER NOT NULL DEFAULT 1,
    rule_zh TEXT,
    rule_en TEXT,
    {mutable},
    gen INTEGER NOT NULL DEFAULT 0,
    search TEXT
);
-- The wall pages in (sort key, id) order: one index per sortable column keeps every page a
-- bounded index walk even with a million alerts.
CREATE INDEX IF NOT EXISTS alerts_raised ON alerts (raised_at, id);
CREATE INDEX IF NOT EXISTS alerts_sev ON alerts (severity, raised_at, id);
CREATE INDEX IF NOT EXISTS alerts_status ON alerts (status, raised_at, id);
CREATE INDEX IF NOT EXISTS alerts_office ON alerts (office, raised_at, id);
CREATE INDEX IF NOT EXISTS alerts_rule ON alerts (rule, raised_at, id);
CREATE INDEX IF NOT EXISTS alerts_case ON alerts (office, case_no);
-- Typing a case number or petition id finds it through these, not a scan of every alert.
CREATE INDEX IF NOT EXISTS alerts_case_no ON alerts (case_no);
CREATE INDEX IF NOT EXISTS alerts_petition ON alerts (petition_id);
-- Free text: a trigram index over the search column (detail=none keeps it small), used when a
-- plain scan along the wall's order would take too long (a rare phrase among a million alerts).
CREATE VIRTUAL TABLE IF NOT EXISTS alerts_fts USING fts5(
    search, content='alerts', content_rowid='id', tokenize='trigram', detail='none');
CREATE TRIGGER IF NOT EXISTS alerts_fts_insert AFTER INSERT ON alerts BEGIN
    INSERT INTO alerts_fts (rowid, search) VALUES (new.id, new.search);
END;
CREATE TRIGGER IF NOT EXISTS alerts_fts_delete AFTER DELETE ON alerts BEGIN
    INSERT INTO alerts_fts (alerts_fts, rowid, search) VALUES ('delete', old.id, old.search);
END;
CREATE TRIGGER IF NOT EXISTS alerts_fts_update AFTER UPDATE OF search ON alerts BEGIN
    INSERT INTO alerts_fts (alerts_fts, rowid, search) VALUES ('delete', old.id, old.search);
    INSERT INTO alerts_fts (rowid, search) VALUES (new.id, new.search);
END;
""".replace("{mutable}", ", ".join(MUTABLE_COLUMNS))


def search_text(row: Mapping[str, Any] | sqlite3.Row) -> str:
    """One column the wall's free-text filter scans (one LIKE instead of nine)."""
    return "\x1f".join(str(row[f]) for f in SEARCH_FIELDS if row[f])


def alert_row(data: dict[str, Any]) -> dict[str, Any]:
    """The replica row of a server alert (``alert_json``)."""
    subject = data.get("subject") or {}
    names = data.get("rule_name") or {}
    evidence = data.get("evidence")
    row = {
        "id": int(data["id"]),
        "rule": str(data.get("rule", "")),
        "severity": str(data.get("severity", "yellow")),
        "status": str(data.get("status", "open")),
        "condition_cleared": 1 if data.get("condition_cleared") else 0,
        "subject_type": str(subject.get("type", "case")),
        "office": str(subject.get("office", "")),
        "case_no": subject.get("case_no"),
        "petition_id": subject.get("petition_id"),
        "node": data.get("node"),
        "raised_at": parse_instant_or_none(data.get("raised_at")) or 0,
        "as_of": parse_instant_or_none(data.get("as_of")),
        "updated_at": parse_instant_or_none(data.get("updated_at")),
        "message": str(data.get("message") or ""),
        # Servers from before bilingual messages send one message only.
        "message_en": data.get("message_en") or None,
        "evidence": json.dumps(evidence, ensure_ascii=False) if evidence is not None else None,
        "assignee": data.get("assignee"),
        "resolution": data.get("resolution"),
        "version": int(data.get("version") or 1),
        "rule_zh": names.get("zh_CN") if isinstance(names, dict) else None,
        "rule_en": names.get("en") if isinstance(names, dict) else None,
    }
    row["search"] = search_text(row)
    return row


def is_active_red(row: RowLike | None) -> bool:
    return row is not None and row["severity"] == "red" and row["status"] in local.ACTIVE_STATUSES


def _notice(out: ApplyResult, key: tuple[Any, ...], old: RowLike | None, new: RowLike | None) -> None:
    """Every changed alert is redrawn; one that has just become an active red signal is news."""
    alert_id = int(key[0])
    if new is not None and is_active_red(new) and not is_active_red(old):
        out.new_red.append(alert_id)
    out.alert_ids.append(alert_id)


KIND = Kind(
    entity="alert",
    table="alerts",
    keys=("id",),
    columns=INSERT_COLUMNS,
    row=lambda _id, data: alert_row(data),
    ddl=DDL,
    key_of=single_key(int),
    local=LocalActions(check=local.check, apply=local.apply, versionless=frozenset(local.VERSIONLESS)),
    state=ALERT_COLUMNS,
    derived=lambda state: {"search": search_text({f: state.get(f) for f in SEARCH_FIELDS})},
    notice=_notice,
)


def bulk_insert(conn: sqlite3.Connection, alerts: Iterable[dict[str, Any]]) -> int:
    """Insert server alerts without change-feed bookkeeping (benchmark and demo fixtures), in ``conn``'s transaction."""
    n = 0
    cols = INSERT_COLUMNS
    sql = f"INSERT OR REPLACE INTO alerts ({', '.join(cols)}) VALUES ({', '.join(':' + c for c in cols)})"  # noqa: S608
    batch: list[dict[str, Any]] = []
    for a in alerts:
        batch.append(alert_row(a))
        if len(batch) >= 5000:
            conn.executemany(sql, batch)
            n += len(batch)
            batch.clear()
    if batch:
        conn.executemany(sql, batch)
        n += len(batch)
    return n
