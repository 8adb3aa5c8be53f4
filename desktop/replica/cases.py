"""Approval cases in the replica: the change feed's case rows, and case details cached for offline review.

A case row carries what the statistics read for every case (``case_closing``): the close
instant, the working hours its close used and the citizen ratings, kept in their own columns
(garbage dropped here, so it is never counted). A case's full detail (events, clocks,
evaluations: ``GET /approval-cases/{office}/{case_no}``) is cached in ``case_details`` when the
case review fetches it, so the case opens offline.
"""

from __future__ import annotations

import json
import math
import sqlite3
from typing import TYPE_CHECKING, Any

from desktop.replica.kind import Kind, RowLike, path_key
from shared.protocol import RATINGS
from shared.timeutil import parse_instant_or_none

if TYPE_CHECKING:
    from desktop.replica.feed import ApplyResult

DDL = """
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
"""

#: The fields of a change-feed case row the statistics read (servers from before them send none).
CLOSING_FIELDS = ("closed_at", "used_hours", "ratings")
CLOSING_COLUMNS = ("has_closing", "closed_at", "used_hours", "ratings")
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


def backfill_case_closing(conn: sqlite3.Connection) -> None:
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


def case_row(feed_id: str, data: dict[str, Any]) -> dict[str, Any]:
    """The replica row of a change-feed case (its key from the data, else from the feed id)."""
    office, _, case_no = feed_id.partition("/")
    return {
        "office": data.get("office", office), "case_no": data.get("case_no", case_no),
        "power_code": data.get("power_code"), "state": data.get("state"),
        "received_at": parse_instant_or_none(data.get("received_at")), "due": parse_instant_or_none(data.get("due")),
        "version": data.get("version"), "data": json.dumps(data, ensure_ascii=False), **case_closing(data),
    }


def _notice(out: ApplyResult, key: tuple[Any, ...], _old: RowLike | None, new: RowLike | None) -> None:
    """A case that arrived: an open case review of it fetches it again."""
    if new is not None:
        out.cases.append((str(new["office"]), str(new["case_no"])))


KIND = Kind(
    entity="case",
    table="cases",
    keys=("office", "case_no"),
    columns=("office", "case_no", "power_code", "state", "received_at", "due", "version", "data", *CLOSING_COLUMNS),
    row=case_row,
    ddl=DDL,
    key_of=path_key(2),
    notice=_notice,
)


def store_detail(conn: sqlite3.Connection, office: str, case_no: str, data: dict[str, Any], fetched_at: float) -> None:
    conn.execute("INSERT OR REPLACE INTO case_details (office, case_no, data, fetched_at) VALUES (?, ?, ?, ?)",
                 (office, case_no, json.dumps(data, ensure_ascii=False), fetched_at))
