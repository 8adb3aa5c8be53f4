"""The replica file: its tables, the migrations of files written by earlier consoles, its connections.

One file per server and user (``desktop.common.paths.replica_path``), in WAL mode so reads
never wait for the sync worker's writes. The tables are the kinds' (``entities.KINDS``) plus
``meta`` (cursor, generation, schema), the ``outbox`` of the operator's actions and the case
details cache. Every write is one ``BEGIN IMMEDIATE`` transaction (``ReplicaFile.writing``).

Migrations bring a file from an earlier console up to date when it is opened, each in the
transaction of its change, so a file is never left half migrated: ``MIGRATIONS`` lists them in
order, each with the test that says whether a file needs it.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from desktop.replica.alerts import SEARCH_FIELDS
from desktop.replica.cases import backfill_case_closing
from desktop.replica.entities import KINDS
from desktop.replica.petitions import migrate_old_table as _petition_columns

SCHEMA_VERSION = 1

BASE = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT);
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
-- An entity's actions, by kind: ids of different kinds may be equal.
CREATE INDEX IF NOT EXISTS outbox_entity_state ON outbox (entity, entity_id, state);
DROP INDEX IF EXISTS outbox_entity;
"""


def schema_sql() -> str:
    """Every table and index of a current replica (``IF NOT EXISTS``: run on every open)."""
    return BASE + "".join(kind.ddl for kind in KINDS.values())


def columns(conn: sqlite3.Connection, table: str) -> set[str]:
    return {str(r[1]) for r in conn.execute(f"PRAGMA table_info({table})")}


@dataclass(frozen=True)
class Migration:
    """One change to files from an earlier console: ``needed`` says whether a file lacks it."""

    name: str
    needed: Callable[[sqlite3.Connection], bool]
    run: Callable[[sqlite3.Connection], None]
    #: the planner's statistics are stale after it (new indexes it cannot know yet)
    analyze: str | None = None


def _add_message_en(conn: sqlite3.Connection) -> None:
    conn.execute("ALTER TABLE alerts ADD COLUMN message_en TEXT")


def _add_search(conn: sqlite3.Connection) -> None:
    conn.execute("ALTER TABLE alerts ADD COLUMN search TEXT")
    fields = " || char(31) || ".join(f"IFNULL({f}, '')" for f in SEARCH_FIELDS)
    conn.execute(f"UPDATE alerts SET search = {fields}")  # noqa: S608 - constant column names


def _add_case_closing(conn: sqlite3.Connection) -> None:
    # Filled from the feed rows already stored (rows from older servers have nothing to give).
    for col in ("has_closing INTEGER NOT NULL DEFAULT 0", "closed_at INTEGER", "used_hours REAL", "ratings TEXT"):
        conn.execute(f"ALTER TABLE cases ADD COLUMN {col}")
    backfill_case_closing(conn)


def _old_table_without(table: str, column: str) -> Callable[[sqlite3.Connection], bool]:
    def needed(conn: sqlite3.Connection) -> bool:
        have = columns(conn, table)
        return bool(have) and column not in have

    return needed


MIGRATIONS = (
    Migration("alert messages in English", _old_table_without("alerts", "message_en"), _add_message_en),
    Migration("the wall's search column", _old_table_without("alerts", "search"), _add_search),
    Migration("case closing columns for the statistics", _old_table_without("cases", "has_closing"),
              _add_case_closing, analyze="cases"),
    Migration("the petition desk's columns", _old_table_without("petitions", "status"), _petition_columns),
)


def connect(path: Path, *, readonly: bool = False) -> sqlite3.Connection:
    # check_same_thread=False: a connection is still used by one thread at a time, but a
    # worker's reader is created on the worker and may be closed from the UI thread at exit.
    conn = sqlite3.connect(path, timeout=30, isolation_level=None, check_same_thread=False)
    conn.row_factory = sqlite3.Row
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=NORMAL")
    conn.execute("PRAGMA foreign_keys=OFF")
    # INSERT OR REPLACE deletes the old row: with recursive triggers on, the full-text
    # index hears about that delete too and stays exact.
    conn.execute("PRAGMA recursive_triggers=ON")
    if readonly:
        conn.execute("PRAGMA query_only=1")
        # Each worker keeps its reader open: a smaller page cache each (the OS caches the file too).
        conn.execute("PRAGMA cache_size=-8000")
    else:
        conn.execute("PRAGMA cache_size=-32000")
    return conn


@contextlib.contextmanager
def transaction(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """``BEGIN IMMEDIATE`` … ``COMMIT`` on ``conn``, rolled back on any exception."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield conn
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


def get_meta(conn: sqlite3.Connection, key: str) -> str | None:
    row = conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
    return None if row is None else str(row[0]) if row[0] is not None else None


def set_meta(conn: sqlite3.Connection, key: str, value: str | None) -> None:
    conn.execute("INSERT INTO meta (key, value) VALUES (?, ?)"
                 " ON CONFLICT(key) DO UPDATE SET value = excluded.value", (key, value))


def open_file(path: Path) -> None:
    """Create the replica file, or bring one from an earlier console up to date."""
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = connect(path)
    try:
        had_fts = conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'alerts_fts'").fetchone() is not None
        had_alerts = bool(columns(conn, "alerts"))
        analyze: list[str] = []
        for migration in MIGRATIONS:
            if migration.needed(conn):
                with transaction(conn):
                    migration.run(conn)
                if migration.analyze:
                    analyze.append(migration.analyze)
        # A kind this file has no table for arrived with a newer console: the change feed has
        # already passed its rows, so the file reads the feed again from the beginning (the
        # re-snapshot keeps everything usable meanwhile and drops nothing still waiting).
        had_meta = bool(columns(conn, "meta"))
        new_kinds = [k.table for k in KINDS.values() if not columns(conn, k.table)]
        stale = had_meta and bool(new_kinds) and get_meta(conn, "cursor") is not None
        conn.executescript(schema_sql())
        if stale:
            with transaction(conn):
                set_meta(conn, "gen", str(int(get_meta(conn, "gen") or "0") + 1))
                set_meta(conn, "resnapshot", "1")
                set_meta(conn, "cursor", None)
        if analyze and conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'").fetchone():
            # The planner's statistics predate the new indexes: without theirs it may look rows
            # up through the primary key instead of a covering index.
            for table in analyze:
                conn.execute(f"ANALYZE {table}")
        if had_alerts and not had_fts:
            conn.execute("INSERT INTO alerts_fts (alerts_fts) VALUES ('rebuild')")
        conn.execute("INSERT OR IGNORE INTO meta VALUES ('schema', ?)", (str(SCHEMA_VERSION),))
    finally:
        conn.close()


class ReplicaFile:
    """The replica file's path and its connections. Writers open their own connection, so any worker may call them."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)

    def connect(self, *, readonly: bool = False) -> sqlite3.Connection:
        return connect(self.path, readonly=readonly)

    @contextlib.contextmanager
    def writing(self) -> Iterator[sqlite3.Connection]:
        """A connection in a write transaction: committed at the end, rolled back on any exception."""
        conn = self.connect()
        try:
            with transaction(conn):
                yield conn
        finally:
            conn.close()

    def meta(self, key: str) -> str | None:
        conn = self.connect(readonly=True)
        try:
            return get_meta(conn, key)
        finally:
            conn.close()

    def set_meta(self, key: str, value: str | None) -> None:
        with self.writing() as conn:
            set_meta(conn, key, value)
