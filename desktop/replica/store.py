"""The replica's SQLite schema and every write to it.

One file per server and user (``desktop.common.paths.replica_path``), in WAL mode so the UI
thread's reads never wait for the sync worker's writes. Each change-feed page is applied in
one transaction together with its cursor: a crash or a kill resumes exactly where the
replica stood (CouchDB-style checkpoints), and never applies a page twice.

Alerts hold what the wall shows. While the operator has local actions not yet confirmed by
the server, the row keeps the last server state in ``server`` (JSON) and shows that state
with the pending actions replayed on top (a rebase); when the server's answer or a newer
server state arrives, the row is rebuilt. Conflicts and rejections stay in the outbox until
the operator decides; nothing is overwritten silently.

A re-snapshot (the server answered 410 ``CURSOR_EXPIRED``) re-reads the feed from the
beginning into the same tables under a new generation number and only at its end removes
rows the snapshot did not mention, so the console stays usable offline meanwhile.
"""

from __future__ import annotations

import contextlib
import json
import math
import sqlite3
import time
import uuid
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from desktop.replica import local
from shared.calendar import WorkCalendar
from shared.protocol import RATINGS
from shared.timeutil import parse_instant_or_none

SCHEMA_VERSION = 1

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT);
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
    server TEXT,
    pending INTEGER NOT NULL DEFAULT 0,
    conflict INTEGER NOT NULL DEFAULT 0,
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
CREATE TABLE IF NOT EXISTS cases (
    office TEXT NOT NULL,
    case_no TEXT NOT NULL,
    power_code TEXT,
    state TEXT,
    received_at INTEGER,
    due INTEGER,
    version INTEGER,
    data TEXT,
    gen INTEGER NOT NULL DEFAULT 0,
    -- What the statistics read for every case (see case_closing): 1 when the feed row carried
    -- closed_at/used_hours/ratings (servers before them sent none: then the cached case
    -- detail, if any, stands in); the close instant; the working hours used by the close; the
    -- citizen ratings as JSON {kind: count}, only known kinds and positive counts. The last
    -- three are NULL when absent, unreadable or empty (always so when has_closing is 0).
    has_closing INTEGER NOT NULL DEFAULT 0,
    closed_at INTEGER,
    used_hours REAL,
    ratings TEXT,
    PRIMARY KEY (office, case_no)
);
CREATE INDEX IF NOT EXISTS cases_received ON cases (received_at);
-- The statistics read these instead of the rows (which carry the feed JSON): per office and
-- power item, the case figures; a case's power item for its alerts; the rated cases only.
CREATE INDEX IF NOT EXISTS cases_stats ON cases (office, power_code, state, closed_at, due, used_hours, case_no);
CREATE INDEX IF NOT EXISTS cases_power ON cases (office, case_no, power_code);
CREATE INDEX IF NOT EXISTS cases_rated ON cases (office, power_code, ratings) WHERE ratings IS NOT NULL;
CREATE TABLE IF NOT EXISTS case_details (
    office TEXT NOT NULL,
    case_no TEXT NOT NULL,
    data TEXT NOT NULL,
    fetched_at REAL NOT NULL,
    PRIMARY KEY (office, case_no)
);
CREATE TABLE IF NOT EXISTS offices (code TEXT PRIMARY KEY, name TEXT, kind TEXT, parent TEXT, data TEXT,
                                    gen INTEGER NOT NULL DEFAULT 0);
CREATE TABLE IF NOT EXISTS power_items (code TEXT PRIMARY KEY, name TEXT, department TEXT, data TEXT,
                                        gen INTEGER NOT NULL DEFAULT 0);
CREATE TABLE IF NOT EXISTS cameras (id TEXT PRIMARY KEY, office TEXT, data TEXT, gen INTEGER NOT NULL DEFAULT 0);
CREATE TABLE IF NOT EXISTS calendars (year INTEGER PRIMARY KEY, data TEXT, gen INTEGER NOT NULL DEFAULT 0);
CREATE TABLE IF NOT EXISTS petitions (id TEXT PRIMARY KEY, office TEXT, data TEXT, gen INTEGER NOT NULL DEFAULT 0);
CREATE TABLE IF NOT EXISTS outbox (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    entity TEXT NOT NULL,
    entity_id TEXT NOT NULL,
    action TEXT NOT NULL,
    base_version INTEGER,
    data TEXT NOT NULL,
    created_at REAL NOT NULL,
    state TEXT NOT NULL DEFAULT 'pending',
    attempts INTEGER NOT NULL DEFAULT 0,
    result TEXT,
    current TEXT,
    decided_at REAL
);
CREATE INDEX IF NOT EXISTS outbox_state ON outbox (state, seq);
CREATE INDEX IF NOT EXISTS outbox_entity ON outbox (entity_id, state);
"""

ALERT_COLUMNS = (
    "id", "rule", "severity", "status", "condition_cleared", "subject_type", "office", "case_no",
    "petition_id", "node", "raised_at", "as_of", "updated_at", "message", "message_en", "evidence", "assignee",
    "resolution", "version", "rule_zh", "rule_en",
)
#: Outbox states: waiting to be sent; confirmed; waiting for the operator's decision; closed.
OPEN_STATES = ("pending",)
ATTENTION_STATES = ("conflict", "rejected")

_SIMPLE_ENTITIES = {
    # entity -> (table, key column, extra columns from data)
    "office": ("offices", "code", ("name", "kind", "parent")),
    "power_item": ("power_items", "code", ("name", "department")),
    "camera": ("cameras", "id", ("office",)),
    "petition": ("petitions", "id", ("office",)),
}


SEARCH_FIELDS = ("case_no", "petition_id", "office", "rule", "rule_zh", "rule_en", "node", "assignee", "message",
                 "message_en")


def search_text(row: dict[str, Any] | sqlite3.Row) -> str:
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


#: The fields of a change-feed case row the statistics read (servers from before them send none).
CLOSING_FIELDS = ("closed_at", "used_hours", "ratings")
#: A working time beyond a century is a broken or hostile value, not a case's.
MAX_USED_HOURS = 100 * 366 * 24.0
MAX_RATING_COUNT = 2**31 - 1


def used_hours_value(value: object) -> float | None:
    """Working hours from the feed or a case detail: a finite number from 0 up, else None."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    try:
        hours = float(value)
    except OverflowError:
        return None
    return hours if math.isfinite(hours) and 0 <= hours <= MAX_USED_HOURS else None


def rating_counts(value: object) -> dict[str, int]:
    """Citizen ratings by kind: known kinds with positive integer counts; anything else is dropped."""
    if not isinstance(value, dict):
        return {}
    out: dict[str, int] = {}
    for kind in RATINGS:
        n = value.get(kind)
        if isinstance(n, int) and not isinstance(n, bool) and 0 < n <= MAX_RATING_COUNT:
            out[kind] = n
    return out


def case_closing(data: dict[str, Any]) -> dict[str, Any]:
    """The statistics columns of a case row from its feed data; a garbage field counts as empty."""
    if not any(f in data for f in CLOSING_FIELDS):
        return {"has_closing": 0, "closed_at": None, "used_hours": None, "ratings": None}
    closed = data.get("closed_at")
    ratings = rating_counts(data.get("ratings"))
    return {
        "has_closing": 1,
        "closed_at": parse_instant_or_none(closed) if isinstance(closed, str) else None,
        "used_hours": used_hours_value(data.get("used_hours")),
        "ratings": json.dumps(ratings) if ratings else None,
    }


def _backfill_case_closing(conn: sqlite3.Connection) -> None:
    """Fill the statistics columns of a replica from before them, from the rows' stored feed data."""
    sql = ("UPDATE cases SET has_closing = :has_closing, closed_at = :closed_at, used_hours = :used_hours,"
           " ratings = :ratings WHERE rowid = :rowid")
    last = -1
    while True:
        rows = conn.execute(
            "SELECT rowid, data FROM cases WHERE rowid > ? AND (data LIKE '%\"used_hours\"%'"
            " OR data LIKE '%\"ratings\"%' OR data LIKE '%\"closed_at\"%') ORDER BY rowid LIMIT 5000",
            (last,)).fetchall()
        if not rows:
            return
        batch: list[dict[str, Any]] = []
        for rowid, text in rows:
            last = rowid
            try:
                data = json.loads(text)
            except (TypeError, ValueError):
                continue
            if isinstance(data, dict):
                batch.append({**case_closing(data), "rowid": rowid})
        conn.executemany(sql, batch)


def _row_to_server_json(row: sqlite3.Row | dict[str, Any]) -> dict[str, Any]:
    """A compact server-state snapshot of a replica row (for rebasing local actions)."""
    return {c: row[c] for c in ALERT_COLUMNS}


INSERT_COLUMNS = (*ALERT_COLUMNS, "search")


def is_active_red(row: dict[str, Any] | sqlite3.Row | None) -> bool:
    return row is not None and row["severity"] == "red" and row["status"] in local.ACTIVE_STATUSES


@dataclass
class ApplyResult:
    """What one change-feed page changed, for the UI to refresh just that."""

    cursor: str | None = None
    more: bool = False
    alert_ids: list[int] = field(default_factory=list)
    new_red: list[int] = field(default_factory=list)
    entities: set[str] = field(default_factory=set)
    cases: list[tuple[str, str]] = field(default_factory=list)
    snapshot_finished: bool = False
    count: int = 0
    #: the console was already live when this page came (not catching up after a start or an
    #: outage): only then are new red signals news that should flash and sound
    live: bool = False


@dataclass
class OutboxResult:
    """What replaying the outbox decided, for the UI."""

    applied: int = 0
    conflicts: int = 0
    rejected: int = 0
    alert_ids: list[int] = field(default_factory=list)
    more: bool = False


class Replica:
    """The replica file. Methods that write open their own connection, so any worker may call them."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        conn = self.connect()
        try:
            had_fts = conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'alerts_fts'").fetchone() is not None
            columns = {r[1] for r in conn.execute("PRAGMA table_info(alerts)")}
            if columns and "message_en" not in columns:
                conn.execute("ALTER TABLE alerts ADD COLUMN message_en TEXT")
            if columns and "search" not in columns:
                # A replica from before the search column: add it (CREATE INDEX below needs nothing else).
                conn.execute("ALTER TABLE alerts ADD COLUMN search TEXT")
                fields = " || char(31) || ".join(f"IFNULL({f}, '')" for f in SEARCH_FIELDS)
                conn.execute(f"UPDATE alerts SET search = {fields}")  # noqa: S608 - constant column names
            case_columns = {r[1] for r in conn.execute("PRAGMA table_info(cases)")}
            old_cases = bool(case_columns) and "has_closing" not in case_columns
            if old_cases:
                # A replica from before the statistics columns: add them and fill them from
                # the feed rows already stored (rows from older servers have nothing to give).
                conn.execute("BEGIN IMMEDIATE")
                try:
                    for col in ("has_closing INTEGER NOT NULL DEFAULT 0", "closed_at INTEGER", "used_hours REAL",
                                "ratings TEXT"):
                        conn.execute(f"ALTER TABLE cases ADD COLUMN {col}")
                    _backfill_case_closing(conn)
                except BaseException:
                    conn.execute("ROLLBACK")
                    raise
                conn.execute("COMMIT")
            conn.executescript(SCHEMA)
            if old_cases and conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'").fetchone():
                # The planner's statistics predate the statistics indexes: without theirs it
                # may look cases up through the primary key instead of the covering index.
                conn.execute("ANALYZE cases")
            if columns and not had_fts:
                conn.execute("INSERT INTO alerts_fts (alerts_fts) VALUES ('rebuild')")
            conn.execute("INSERT OR IGNORE INTO meta VALUES ('schema', ?)", (str(SCHEMA_VERSION),))
        finally:
            conn.close()

    # ------------------------------------------------------------------ connections
    def connect(self, *, readonly: bool = False) -> sqlite3.Connection:
        # check_same_thread=False: a connection is still used by one thread at a time, but
        # the UI's reader is created before the Qt event loop's thread identity settles in tests.
        conn = sqlite3.connect(self.path, timeout=30, isolation_level=None, check_same_thread=False)
        conn.row_factory = sqlite3.Row
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=NORMAL")
        conn.execute("PRAGMA foreign_keys=OFF")
        # INSERT OR REPLACE deletes the old row: with recursive triggers on, the full-text
        # index hears about that delete too and stays exact.
        conn.execute("PRAGMA recursive_triggers=ON")
        conn.execute("PRAGMA cache_size=-32000")
        if readonly:
            conn.execute("PRAGMA query_only=1")
        return conn

    @contextlib.contextmanager
    def writing(self) -> Iterator[sqlite3.Connection]:
        conn = self.connect()
        try:
            conn.execute("BEGIN IMMEDIATE")
            try:
                yield conn
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")
        finally:
            conn.close()

    # ------------------------------------------------------------------ meta
    @staticmethod
    def _meta(conn: sqlite3.Connection, key: str) -> str | None:
        row = conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return None if row is None else str(row[0]) if row[0] is not None else None

    @staticmethod
    def _set_meta(conn: sqlite3.Connection, key: str, value: str | None) -> None:
        conn.execute("INSERT INTO meta (key, value) VALUES (?, ?)"
                     " ON CONFLICT(key) DO UPDATE SET value = excluded.value", (key, value))

    def meta(self, key: str) -> str | None:
        conn = self.connect(readonly=True)
        try:
            return self._meta(conn, key)
        finally:
            conn.close()

    def set_meta(self, key: str, value: str | None) -> None:
        with self.writing() as conn:
            self._set_meta(conn, key, value)

    def cursor(self) -> str | None:
        return self.meta("cursor")

    def begin_resnapshot(self) -> None:
        """Start re-reading the feed from the beginning (after 410 CURSOR_EXPIRED)."""
        with self.writing() as conn:
            gen = int(self._meta(conn, "gen") or "0") + 1
            self._set_meta(conn, "gen", str(gen))
            self._set_meta(conn, "resnapshot", "1")
            self._set_meta(conn, "cursor", None)

    # ------------------------------------------------------------------ change feed
    def apply_changes(self, page: dict[str, Any]) -> ApplyResult:
        """Apply one ``GET /changes`` page and store its cursor, in one transaction."""
        out = ApplyResult(cursor=page.get("cursor"), more=bool(page.get("more")))
        changes: Sequence[dict[str, Any]] = page.get("changes") or []
        out.count = len(changes)
        if not changes and not out.more and out.cursor == self.cursor() and self.meta("resnapshot") != "1":
            # An empty long-poll answer changes nothing: no write transaction for it.
            return out
        with self.writing() as conn:
            gen = int(self._meta(conn, "gen") or "0")
            alert_changes: dict[int, dict[str, Any] | None] = {}
            for ch in changes:
                entity = str(ch.get("entity"))
                op = ch.get("op", "upsert")
                data = ch.get("data")
                out.entities.add(entity)
                if entity == "alert":
                    # Only the last state of an alert in a page matters.
                    alert_changes[int(ch["id"])] = data if op != "delete" else None
                elif entity == "case":
                    self._apply_case(conn, str(ch["id"]), data if op != "delete" else None, gen)
                    if isinstance(data, dict):
                        out.cases.append((str(data.get("office")), str(data.get("case_no"))))
                elif entity == "calendar":
                    if op == "delete":
                        conn.execute("DELETE FROM calendars WHERE year = ?", (int(ch["id"]),))
                    else:
                        conn.execute("INSERT OR REPLACE INTO calendars (year, data, gen) VALUES (?, ?, ?)",
                                     (int(ch["id"]), json.dumps(data, ensure_ascii=False), gen))
                elif entity in _SIMPLE_ENTITIES:
                    self._apply_simple(conn, entity, str(ch["id"]), data if op != "delete" else None, gen)
            if alert_changes:
                self._apply_alerts(conn, alert_changes, gen, out)
            self._set_meta(conn, "cursor", out.cursor)
            self._set_meta(conn, "synced_at", str(time.time()))
            if not out.more and self._meta(conn, "resnapshot") == "1":
                self._finish_resnapshot(conn, gen)
                out.snapshot_finished = True
        return out

    def _apply_simple(self, conn: sqlite3.Connection, entity: str, key: str, data: dict[str, Any] | None,
                      gen: int) -> None:
        table, key_col, extras = _SIMPLE_ENTITIES[entity]
        if data is None:
            conn.execute(f"DELETE FROM {table} WHERE {key_col} = ?", (key,))  # noqa: S608 - names are constants
            return
        cols = (key_col, *extras, "data", "gen")
        values = (key, *(data.get(c) for c in extras), json.dumps(data, ensure_ascii=False), gen)
        conn.execute(
            f"INSERT OR REPLACE INTO {table} ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})",  # noqa: S608
            values,
        )

    def _apply_case(self, conn: sqlite3.Connection, key: str, data: dict[str, Any] | None, gen: int) -> None:
        office, _, case_no = key.partition("/")
        if data is None:
            conn.execute("DELETE FROM cases WHERE office = ? AND case_no = ?", (office, case_no))
            return
        closing = case_closing(data)
        conn.execute(
            "INSERT OR REPLACE INTO cases (office, case_no, power_code, state, received_at, due, version, data, gen,"
            " has_closing, closed_at, used_hours, ratings) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (data.get("office", office), data.get("case_no", case_no), data.get("power_code"), data.get("state"),
             parse_instant_or_none(data.get("received_at")), parse_instant_or_none(data.get("due")),
             data.get("version"),
             json.dumps(data, ensure_ascii=False), gen,
             closing["has_closing"], closing["closed_at"], closing["used_hours"], closing["ratings"]),
        )

    def _apply_alerts(self, conn: sqlite3.Connection, changes: dict[int, dict[str, Any] | None], gen: int,
                      out: ApplyResult) -> None:
        ids = list(changes)
        existing: dict[int, sqlite3.Row] = {}
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            q = f"SELECT * FROM alerts WHERE id IN ({','.join('?' * len(chunk))})"  # noqa: S608
            for row in conn.execute(q, chunk):
                existing[int(row["id"])] = row
        plain: list[dict[str, Any]] = []
        for alert_id, data in changes.items():
            old = existing.get(alert_id)
            if data is None:
                conn.execute("DELETE FROM alerts WHERE id = ?", (alert_id,))
                out.alert_ids.append(alert_id)
                continue
            row = alert_row(data)
            if old is not None and (old["pending"] or old["server"] is not None):
                # Local actions are waiting: keep the newer server state and replay them on top.
                snapshot = json.loads(old["server"]) if old["server"] else _row_to_server_json(old)
                if row["version"] >= int(snapshot.get("version") or 0):
                    conn.execute("UPDATE alerts SET server = ?, gen = ? WHERE id = ?",
                                 (json.dumps(row, ensure_ascii=False), gen, alert_id))
                self._rebuild(conn, alert_id)
            else:
                row["gen"] = gen
                row["conflict"] = old["conflict"] if old is not None else 0
                plain.append(row)
            if is_active_red(row) and not is_active_red(old):
                out.new_red.append(alert_id)
            out.alert_ids.append(alert_id)
        if plain:
            cols = (*INSERT_COLUMNS, "gen", "conflict")
            conn.executemany(
                f"INSERT OR REPLACE INTO alerts ({', '.join(cols)}) VALUES ({', '.join(':' + c for c in cols)})",  # noqa: S608
                plain,
            )

    def _finish_resnapshot(self, conn: sqlite3.Connection, gen: int) -> None:
        for table in ("offices", "power_items", "cameras", "calendars", "petitions", "cases"):
            conn.execute(f"DELETE FROM {table} WHERE gen < ?", (gen,))  # noqa: S608
        # An alert with local actions still waiting stays: the server will answer for it.
        conn.execute("DELETE FROM alerts WHERE gen < ? AND pending = 0", (gen,))
        self._set_meta(conn, "resnapshot", None)

    def analyze_if_needed(self, min_rows: int = 10_000) -> bool:
        """Give SQLite's planner statistics once the replica is big (run off the UI thread).

        Without them a filtered page may walk the wrong index; with a million alerts the
        difference is milliseconds against seconds.
        """
        conn = self.connect()
        try:
            has = conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'").fetchone()
            analyzed_at = int(self._meta(conn, "analyzed_rows") or "0")
            rows = int(conn.execute("SELECT MAX(id) FROM alerts").fetchone()[0] or 0)
            if rows < min_rows or (has and rows < 2 * analyzed_at):
                return False
            conn.execute("ANALYZE")
            self._set_meta(conn, "analyzed_rows", str(rows))
            return True
        finally:
            conn.close()

    # ------------------------------------------------------------------ bulk load (benchmarks, demo)
    def bulk_insert_alerts(self, alerts: Iterable[dict[str, Any]]) -> int:
        """Insert server alerts without change-feed bookkeeping (benchmark and demo fixtures)."""
        n = 0
        with self.writing() as conn:
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

    # ------------------------------------------------------------------ outbox
    def enqueue(self, alert_ids: Sequence[int], action: str, data: dict[str, Any]) -> tuple[list[int], list[str]]:
        """Queue an operator's action on alerts and apply it locally at once.

        Returns (alert ids changed, reasons for the ones refused locally).
        """
        changed: list[int] = []
        refused: list[str] = []
        with self.writing() as conn:
            for alert_id in alert_ids:
                row = conn.execute("SELECT * FROM alerts WHERE id = ?", (alert_id,)).fetchone()
                if row is None:
                    refused.append(f"#{alert_id}: not in the replica")
                    continue
                shown = {c: row[c] for c in ALERT_COLUMNS}
                try:
                    local.check(shown, action, data)
                except local.ActionRefused as exc:
                    refused.append(f"#{alert_id}: {exc}")
                    continue
                snapshot = json.loads(row["server"]) if row["server"] else _row_to_server_json(row)
                # The version the server will have when this action arrives: its known version
                # plus each of my earlier version-changing actions still queued for this alert.
                queued = conn.execute(
                    "SELECT COUNT(*) FROM outbox WHERE entity_id = ? AND state = 'pending'"
                    " AND action NOT IN ('comment')",
                    (str(alert_id),),
                ).fetchone()[0]
                base = int(snapshot.get("version") or 1) + int(queued)
                conn.execute(
                    "INSERT INTO outbox (id, entity, entity_id, action, base_version, data, created_at)"
                    " VALUES (?, 'alert', ?, ?, ?, ?, ?)",
                    (str(uuid.uuid4()), str(alert_id), action, base, json.dumps(data, ensure_ascii=False), time.time()),
                )
                if row["server"] is None:
                    conn.execute("UPDATE alerts SET server = ? WHERE id = ?",
                                 (json.dumps(snapshot, ensure_ascii=False), alert_id))
                self._rebuild(conn, alert_id)
                changed.append(alert_id)
        return changed, refused

    def _rebuild(self, conn: sqlite3.Connection, alert_id: int) -> None:
        """Show the server state with this alert's pending actions replayed on top."""
        row = conn.execute("SELECT server, version FROM alerts WHERE id = ?", (alert_id,)).fetchone()
        if row is None or row["server"] is None:
            return
        shown: dict[str, Any] = json.loads(row["server"])
        pending = list(conn.execute(
            "SELECT action, data FROM outbox WHERE entity_id = ? AND entity = 'alert' AND state = 'pending'"
            " ORDER BY seq",
            (str(alert_id),),
        ))
        for p in pending:
            shown = local.apply(shown, p["action"], json.loads(p["data"]))
        attention = conn.execute(
            "SELECT COUNT(*) FROM outbox WHERE entity_id = ? AND state IN ('conflict', 'rejected')", (str(alert_id),)
        ).fetchone()[0]
        values = {c: shown.get(c) for c in ALERT_COLUMNS if c != "id"}
        values["search"] = search_text({f: shown.get(f) for f in SEARCH_FIELDS})
        values["pending"] = len(pending)
        values["conflict"] = 1 if attention else 0
        # With nothing pending the row is the server state again; drop the snapshot.
        values["server"] = row["server"] if pending else None
        sets = ", ".join(f"{c} = :{c}" for c in values)
        conn.execute(f"UPDATE alerts SET {sets} WHERE id = :id", {**values, "id": alert_id})  # noqa: S608

    def pending_mutations(self, limit: int = 200) -> list[dict[str, Any]]:
        conn = self.connect(readonly=True)
        try:
            rows = conn.execute("SELECT * FROM outbox WHERE state = 'pending' ORDER BY seq LIMIT ?", (limit,))
            return [
                {"id": r["id"], "entity": r["entity"], "entity_id": r["entity_id"], "action": r["action"],
                 "base_version": r["base_version"], "data": json.loads(r["data"])}
                for r in rows
            ]
        finally:
            conn.close()

    def mark_attempt(self, ids: Sequence[str]) -> None:
        with self.writing() as conn:
            conn.executemany("UPDATE outbox SET attempts = attempts + 1 WHERE id = ?", [(i,) for i in ids])

    def record_results(self, results: Sequence[dict[str, Any]]) -> OutboxResult:
        """Store the server's answers to replayed mutations and rebuild the alerts they touched."""
        out = OutboxResult()
        touched: set[int] = set()
        with self.writing() as conn:
            for res in results:
                m = conn.execute("SELECT * FROM outbox WHERE id = ?", (res.get("id"),)).fetchone()
                if m is None or m["state"] != "pending":
                    continue
                alert_id = int(m["entity_id"])
                touched.add(alert_id)
                status = res.get("status")
                row = conn.execute("SELECT server FROM alerts WHERE id = ?", (alert_id,)).fetchone()
                snapshot = json.loads(row["server"]) if row is not None and row["server"] else None
                if status == "applied":
                    out.applied += 1
                    conn.execute("UPDATE outbox SET state = 'applied', result = ?, decided_at = ? WHERE id = ?",
                                 (json.dumps(res, ensure_ascii=False), time.time(), m["id"]))
                    version = res.get("version")
                    known = int(snapshot.get("version") or 0) if snapshot is not None else 0
                    if snapshot is not None and isinstance(version, int) and version > known:
                        # The server accepted it: advance the snapshot so the row does not flick
                        # back to the old state before the change feed brings the new one.
                        snapshot = local.apply(snapshot, m["action"], json.loads(m["data"]))
                        snapshot["version"] = version
                        conn.execute("UPDATE alerts SET server = ? WHERE id = ?",
                                     (json.dumps(snapshot, ensure_ascii=False), alert_id))
                elif status == "conflict":
                    out.conflicts += 1
                    current = res.get("current")
                    conn.execute(
                        "UPDATE outbox SET state = 'conflict', result = ?, current = ?, decided_at = ? WHERE id = ?",
                        (json.dumps(res, ensure_ascii=False), json.dumps(current, ensure_ascii=False), time.time(),
                         m["id"]),
                    )
                    if isinstance(current, dict) and snapshot is not None:
                        cur = alert_row(current)
                        if cur["version"] >= int(snapshot.get("version") or 0):
                            conn.execute("UPDATE alerts SET server = ? WHERE id = ?",
                                         (json.dumps(cur, ensure_ascii=False), alert_id))
                else:
                    out.rejected += 1
                    conn.execute("UPDATE outbox SET state = 'rejected', result = ?, decided_at = ? WHERE id = ?",
                                 (json.dumps(res, ensure_ascii=False), time.time(), m["id"]))
            for alert_id in touched:
                self._rebuild(conn, alert_id)
                self._refresh_attention(conn, alert_id)
        out.alert_ids = sorted(touched)
        return out

    @staticmethod
    def _refresh_attention(conn: sqlite3.Connection, alert_id: int) -> None:
        attention = conn.execute(
            "SELECT COUNT(*) FROM outbox WHERE entity_id = ? AND state IN ('conflict', 'rejected')", (str(alert_id),)
        ).fetchone()[0]
        conn.execute("UPDATE alerts SET conflict = ? WHERE id = ?", (1 if attention else 0, alert_id))

    def resolve(self, mutation_id: str, *, retry: bool) -> int | None:
        """The operator's decision on a conflict or rejection: drop mine, or apply mine again.

        Retrying queues the same action anew against the server's current version (with my
        other queued actions on top, as any new action is). It is checked first: an action
        that cannot follow that version (acknowledging an alert someone escalated meanwhile)
        raises ``local.ActionRefused`` and the conflict stays as it was, so the operator's
        action is never dropped unseen. Returns the alert id (None when there is nothing to
        decide, e.g. the same decision arriving twice).
        """
        with self.writing() as conn:
            m = conn.execute("SELECT * FROM outbox WHERE id = ?", (mutation_id,)).fetchone()
            if m is None or m["state"] not in ATTENTION_STATES:
                return None
            alert_id = int(m["entity_id"])
            if retry:
                row = conn.execute("SELECT * FROM alerts WHERE id = ?", (alert_id,)).fetchone()
                if row is None:
                    raise local.ActionRefused(f"alert {alert_id} is not in the replica")
                # Raises ActionRefused, and the transaction changes nothing, when it cannot follow.
                local.check({c: row[c] for c in ALERT_COLUMNS}, m["action"], json.loads(m["data"]))
            # Decided in this transaction, so a second click on the same conflict finds nothing to do.
            conn.execute("UPDATE outbox SET state = ?, decided_at = ? WHERE id = ?",
                         ("superseded" if retry else "discarded", time.time(), mutation_id))
            self._refresh_attention(conn, alert_id)
        if retry:
            _changed, refused = self.enqueue([alert_id], m["action"], json.loads(m["data"]))
            if refused:
                # The alert changed between the check and the queueing (a change-feed page came
                # in): the conflict comes back as it was.
                with self.writing() as conn:
                    conn.execute("UPDATE outbox SET state = ?, decided_at = ? WHERE id = ?",
                                 (m["state"], m["decided_at"], mutation_id))
                    self._refresh_attention(conn, alert_id)
                raise local.ActionRefused(refused[0].partition(": ")[2] or refused[0])
        return alert_id

    def outbox_counts(self, conn: sqlite3.Connection | None = None) -> dict[str, int]:
        own = conn is None
        c = conn or self.connect(readonly=True)
        try:
            return {str(r[0]): int(r[1]) for r in c.execute("SELECT state, COUNT(*) FROM outbox GROUP BY state")}
        finally:
            if own:
                c.close()

    # ------------------------------------------------------------------ case details and calendar
    def store_case_detail(self, office: str, case_no: str, data: dict[str, Any]) -> None:
        with self.writing() as conn:
            conn.execute("INSERT OR REPLACE INTO case_details (office, case_no, data, fetched_at) VALUES (?, ?, ?, ?)",
                         (office, case_no, json.dumps(data, ensure_ascii=False), time.time()))

    def case_detail(self, office: str, case_no: str) -> tuple[dict[str, Any], float] | None:
        conn = self.connect(readonly=True)
        try:
            row = conn.execute("SELECT data, fetched_at FROM case_details WHERE office = ? AND case_no = ?",
                               (office, case_no)).fetchone()
            return None if row is None else (json.loads(row["data"]), float(row["fetched_at"]))
        finally:
            conn.close()

    def work_calendar(self) -> WorkCalendar:
        """The calendar for offline clocks: the server's uploads over the built-in years."""
        cal = WorkCalendar()
        conn = self.connect(readonly=True)
        try:
            for row in conn.execute("SELECT year, data FROM calendars"):
                data = json.loads(row["data"])
                cal = cal.with_year(int(row["year"]), [date.fromisoformat(d) for d in data.get("holidays", [])],
                                    [date.fromisoformat(d) for d in data.get("workdays", [])])
        finally:
            conn.close()
        return cal
