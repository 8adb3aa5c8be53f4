"""The durable outbox: a SQLite database in the user's data folder that nothing leaves unaccounted.

Records get their final id when they are queued. A batch is formed in one transaction —
its ``batch_id``, its records and their order are fixed and persisted before the first
byte goes out — so after a crash, a kill or a dropped connection the same batch is sent
again and the server (idempotent by ``batch_id``) answers with the summary it stored. A
record leaves the queue only when a summary accounts for it: imported or duplicate
(``sent``) or rejected (kept, with the server's code and message, until the clerk fixes it).

A rejection keeps its number (拒收编号, the row id in ``rejections``) for as long as its
record is not accepted: reading the same file again, or the server refusing the record
again, updates the open rejection in place instead of opening a new one, so a report the
clerk printed earlier still names the right rejections. A rejection closes when the server
accepts its record (imported or duplicate); a fixed row that carries the 拒收编号 takes the
rejection over, whatever its record id is now.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import sys
import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from shared.protocol import MAX_BATCH_BYTES

HOME_ENV = "YINGYAN_SYNC_HOME"
DB_NAME = "outbox.db"

#: The issue's limit (the server takes 10,000): smaller batches finish within a bad link's
#: good minutes, and a retry resends less.
DEFAULT_BATCH_RECORDS = 5000
#: Below the server's 20 MiB so that petitions with long texts never make a batch too large.
BATCH_BYTES = MAX_BATCH_BYTES * 3 // 4

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE IF NOT EXISTS uploads (
    id INTEGER PRIMARY KEY,
    path TEXT NOT NULL, name TEXT NOT NULL, sha256 TEXT NOT NULL, mapping TEXT NOT NULL,
    format TEXT, encoding TEXT, headers TEXT, columns TEXT,
    period_start TEXT, complete_until TEXT,
    state TEXT NOT NULL,               -- importing | imported
    rows INTEGER NOT NULL DEFAULT 0, queued INTEGER NOT NULL DEFAULT 0,
    skipped INTEGER NOT NULL DEFAULT 0, local_rejected INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL, finished_at TEXT
);
CREATE TABLE IF NOT EXISTS records (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    upload_id INTEGER NOT NULL, row_no INTEGER,
    kind TEXT, case_no TEXT, type TEXT, at TEXT,
    payload TEXT NOT NULL, digest TEXT NOT NULL, source TEXT,
    state TEXT NOT NULL,               -- queued | sent | rejected
    batch_id TEXT                      -- fixed when its batch is formed; order in the batch = seq order
);
CREATE INDEX IF NOT EXISTS records_unbatched ON records(seq) WHERE state = 'queued' AND batch_id IS NULL;
CREATE INDEX IF NOT EXISTS records_unbatched_upload ON records(upload_id) WHERE state = 'queued' AND batch_id IS NULL;
CREATE INDEX IF NOT EXISTS records_queued ON records(seq) WHERE state = 'queued';
CREATE INDEX IF NOT EXISTS records_in_batch ON records(batch_id);
CREATE TABLE IF NOT EXISTS batches (
    ord INTEGER PRIMARY KEY AUTOINCREMENT,
    batch_id TEXT NOT NULL UNIQUE,
    count INTEGER NOT NULL, complete_until TEXT,
    state TEXT NOT NULL,               -- formed | done
    attempts INTEGER NOT NULL DEFAULT 0, last_error TEXT,
    created_at TEXT NOT NULL, done_at TEXT,
    status TEXT, imported INTEGER, duplicates INTEGER, rejected INTEGER,
    watermark TEXT, summary TEXT
);
CREATE TABLE IF NOT EXISTS rejections (
    id INTEGER PRIMARY KEY,
    record_id TEXT, upload_id INTEGER, row_no INTEGER,
    origin TEXT NOT NULL,              -- local | server
    code TEXT NOT NULL, field TEXT, column_name TEXT, message TEXT NOT NULL,
    batch_id TEXT, source TEXT,
    created_at TEXT NOT NULL, resolved_at TEXT
);
CREATE INDEX IF NOT EXISTS rejections_open ON rejections(resolved_at, id);
CREATE INDEX IF NOT EXISTS rejections_record ON rejections(record_id);
CREATE TABLE IF NOT EXISTS watched_files (
    path TEXT NOT NULL, sha256 TEXT NOT NULL, size INTEGER, processed_at TEXT NOT NULL, upload_id INTEGER,
    PRIMARY KEY (path, sha256)
);
CREATE INDEX IF NOT EXISTS watched_hash ON watched_files(sha256);
"""


def sync_home() -> Path:
    """The agent's data folder: ``$YINGYAN_SYNC_HOME``, else the per-user data folder."""
    env = os.environ.get(HOME_ENV)
    if env:
        return Path(env)
    if sys.platform == "win32":
        base = Path(os.environ.get("LOCALAPPDATA") or Path.home() / "AppData" / "Local") / "Yingyan"
    else:
        base = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share") / "yingyan"
    return base / "sync"


class Busy(Exception):
    """Another process is pushing from this outbox right now."""


@contextmanager
def push_lock(home: Path) -> Iterator[None]:
    """Only one push per outbox at a time (a scheduled task and the window may overlap).

    Two pushers would each send the same formed batch; the server would answer both with
    the same summary, but the outbox would record its rejections twice. The lock is an OS
    file lock on ``push.lock``: it goes away with the process, even when it is killed.
    """
    home.mkdir(parents=True, exist_ok=True)
    f = (home / "push.lock").open("a+b")
    try:
        try:
            if sys.platform == "win32":
                import msvcrt

                f.seek(0)
                msvcrt.locking(f.fileno(), msvcrt.LK_NBLCK, 1)
            else:
                import fcntl

                fcntl.flock(f.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            raise Busy("another push from this outbox is running (a scheduled task or the window); "
                       "it sends everything queued — try again when it has finished") from None
        yield
    finally:
        f.close()  # closing releases the lock


def now_iso() -> str:
    return datetime.now(UTC).astimezone().isoformat(timespec="seconds")


@dataclass(frozen=True)
class Batch:
    """A formed batch: fixed id, fixed records (by their order in the batch)."""

    ord: int
    batch_id: str
    count: int
    complete_until: str | None
    attempts: int


@dataclass(frozen=True)
class QueuedRecord:
    """What the import decided for one record, ready to be written."""

    id: str
    row_no: int
    kind: str
    case_no: str | None
    type: str | None
    at: str | None
    payload: str
    source: str | None

    @property
    def digest(self) -> str:
        # Kept after the payload is dropped, so a changed row sent before is recognised.
        return hashlib.blake2b(self.payload.encode(), digest_size=16).hexdigest()


@dataclass(frozen=True)
class LocalRejection:
    record_id: str | None
    row_no: int
    code: str
    field: str | None
    column: str | None
    message: str
    source: str | None
    #: The 拒收编号 the row carries (a row of the rejected-records report, still wrong).
    ref: int | None = None


@dataclass
class Counts:
    queued: int = 0
    in_flight: int = 0
    sent: int = 0
    rejected: int = 0
    batches_done: int = 0
    imported: int = 0
    duplicates: int = 0


class Outbox:
    """One connection to the outbox database (use one per thread)."""

    def __init__(self, home: Path | None = None):
        self.home = home or sync_home()
        self.home.mkdir(parents=True, exist_ok=True)
        self.path = self.home / DB_NAME
        # isolation_level=None: transactions are explicit (BEGIN IMMEDIATE), so a batch is
        # formed or applied entirely or not at all, even if the process dies half-way.
        self.db = sqlite3.connect(self.path, timeout=60, isolation_level=None)
        self.db.row_factory = sqlite3.Row
        self.db.execute("PRAGMA journal_mode=WAL")
        # NORMAL: in WAL mode a committed transaction survives a crash or kill of the
        # process; only a power cut can lose the last commits. Even then nothing is sent
        # twice: a lost batch formation means the same records go out again under their
        # stable ids, and the server counts them as duplicates.
        self.db.execute("PRAGMA synchronous=NORMAL")
        self.db.execute("PRAGMA foreign_keys=ON")
        self.db.executescript(SCHEMA)

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Outbox:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def tx(self) -> Iterator[sqlite3.Connection]:
        self.db.execute("BEGIN IMMEDIATE")
        try:
            yield self.db
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        self.db.execute("COMMIT")

    # -- settings -------------------------------------------------------------------------
    def get(self, key: str, default: str | None = None) -> str | None:
        row = self.db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row and row[0] is not None else default

    def set(self, key: str, value: str | None) -> None:
        with self.tx() as db:
            db.execute("INSERT INTO meta(key, value) VALUES (?, ?)"
                       " ON CONFLICT(key) DO UPDATE SET value = excluded.value", (key, value))

    # -- import ----------------------------------------------------------------------------
    def begin_upload(self, *, path: Path, sha256: str, mapping: str, fmt: str, encoding: str | None,
                     headers: list[str], columns: dict[str, str]) -> int:
        """A new upload, or the one an interrupted import of the same file left behind."""
        row = self.db.execute(
            "SELECT id FROM uploads WHERE sha256 = ? AND mapping = ? AND state = 'importing' ORDER BY id DESC",
            (sha256, mapping),
        ).fetchone()
        if row:
            return int(row[0])
        with self.tx() as db:
            cur = db.execute(
                "INSERT INTO uploads(path, name, sha256, mapping, format, encoding, headers, columns, state,"
                " created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'importing', ?)",
                (str(path), path.name, sha256, mapping, fmt, encoding, json.dumps(headers, ensure_ascii=False),
                 json.dumps(columns, ensure_ascii=False), now_iso()),
            )
            return int(cur.lastrowid or 0)

    def existing(self, ids: list[str]) -> dict[str, tuple[str, str, str | None]]:
        """id → (state, digest of the payload, batch_id) for ids already in the outbox."""
        found: dict[str, tuple[str, str, str | None]] = {}
        for start in range(0, len(ids), 900):
            chunk = ids[start : start + 900]
            marks = ",".join("?" * len(chunk))
            for r in self.db.execute(f"SELECT id, state, digest, batch_id FROM records WHERE id IN ({marks})",  # noqa: S608
                                     chunk):
                found[r[0]] = (r[1], r[2], r[3])
        return found

    def write_chunk(self, upload_id: int, new: list[QueuedRecord], requeue: list[QueuedRecord],
                    rejections: list[LocalRejection], resolved_refs: list[tuple[int, str]], rows: int,
                    skipped: int) -> list[int]:
        """One import chunk, in one transaction; returns the 拒收编号 that name no open rejection."""
        at = now_iso()
        with self.tx() as db:
            db.executemany(
                "INSERT INTO records(id, upload_id, row_no, kind, case_no, type, at, payload, digest, source, state)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'queued')",
                [(r.id, upload_id, r.row_no, r.kind, r.case_no, r.type, r.at, r.payload, r.digest, r.source)
                 for r in new],
            )
            if requeue:
                db.executemany(
                    "UPDATE records SET upload_id = ?, row_no = ?, kind = ?, case_no = ?, type = ?, at = ?,"
                    " payload = ?, digest = ?, source = ?, state = 'queued', batch_id = NULL"
                    " WHERE id = ? AND (state = 'rejected' OR (state = 'queued' AND batch_id IS NULL))",
                    [(upload_id, r.row_no, r.kind, r.case_no, r.type, r.at, r.payload, r.digest, r.source, r.id)
                     for r in requeue],
                )
            # A fixed row of the report takes its rejection over: it stays open (same 拒收编号)
            # until the server accepts the record, and closes now if the record was sent already.
            stale = [ref for ref, rid in resolved_refs if not self._take_over(db, ref, rid, at)]
            # The same row rejected again (the file read twice) keeps its open rejection's number.
            for j in rejections:
                self._keep_rejection(db, self._open_rejection_for(db, j.ref, j.record_id, j.source),
                                     (j.record_id, upload_id, j.row_no, "local", j.code, j.field, j.column,
                                      j.message, None, j.source), at)
            db.execute(
                "UPDATE uploads SET rows = rows + ?, queued = queued + ?, skipped = skipped + ?,"
                " local_rejected = local_rejected + ? WHERE id = ?",
                (rows, len(new) + len(requeue), skipped, len(rejections), upload_id),
            )
        return stale

    @staticmethod
    def _keep_rejection(db: sqlite3.Connection, found: int | None, values: tuple[Any, ...], at: str) -> None:
        """Record a rejection: in place of the open one ``found`` (refused again: the same 拒收编号),
        else as a new one. ``values``: record_id, upload_id, row_no, origin, code, field,
        column_name, message, batch_id, source."""
        if found is not None:
            db.execute("UPDATE rejections SET record_id = ?, upload_id = ?, row_no = ?, origin = ?, code = ?,"
                       " field = ?, column_name = ?, message = ?, batch_id = ?, source = ? WHERE id = ?",
                       (*values, found))
        else:
            db.execute("INSERT INTO rejections(record_id, upload_id, row_no, origin, code, field, column_name,"
                       " message, batch_id, source, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                       (*values, at))

    @staticmethod
    def _open_rejection_for(db: sqlite3.Connection, ref: int | None, record_id: str | None,
                            source: str | None) -> int | None:
        """The open rejection a re-read row continues: its 拒收编号, else its record, else its cells."""
        if ref is not None:
            r = db.execute("SELECT id FROM rejections WHERE id = ? AND resolved_at IS NULL", (ref,)).fetchone()
            if r:
                return int(r[0])
        if record_id is not None:
            r = db.execute("SELECT id FROM rejections WHERE record_id = ? AND resolved_at IS NULL ORDER BY id",
                           (record_id,)).fetchone()
        else:
            r = db.execute("SELECT id FROM rejections WHERE record_id IS NULL AND source = ? AND resolved_at IS NULL"
                           " ORDER BY id", (source,)).fetchone()
        return int(r[0]) if r else None

    @staticmethod
    def _take_over(db: sqlite3.Connection, ref: int, record_id: str, at: str) -> bool:
        """A row carrying 拒收编号 ``ref`` was queued (or found sent) as record ``record_id``.

        False when ``ref`` names no open rejection (closed already, or a report of another
        computer's outbox): the caller warns, since the clerk expects it to close one.
        """
        row = db.execute("SELECT record_id, resolved_at FROM rejections WHERE id = ?", (ref,)).fetchone()
        if row is None:
            return False
        if row[1] is not None:
            # Closed already: fine if it was this very record's (the report imported twice).
            return bool(row[0] == record_id)
        state = db.execute("SELECT state FROM records WHERE id = ?", (record_id,)).fetchone()
        own = db.execute("SELECT id FROM rejections WHERE record_id = ? AND resolved_at IS NULL AND id != ?",
                         (record_id, ref)).fetchone()
        if (state is not None and state[0] == "sent") or own is not None:
            # Accepted already, or the record has its own open rejection that carries on.
            db.execute("UPDATE rejections SET resolved_at = ? WHERE id = ?", (at, ref))
        else:
            db.execute("UPDATE rejections SET record_id = ? WHERE id = ?", (record_id, ref))
        return True

    def finish_upload(self, upload_id: int, period_start: str | None, complete_until: str | None) -> None:
        with self.tx() as db:
            db.execute("UPDATE uploads SET state = 'imported', period_start = ?, complete_until = ?, finished_at = ?"
                       " WHERE id = ?", (period_start, complete_until, now_iso(), upload_id))

    def upload(self, upload_id: int) -> sqlite3.Row | None:
        row: sqlite3.Row | None = self.db.execute("SELECT * FROM uploads WHERE id = ?", (upload_id,)).fetchone()
        return row

    def interrupted_uploads(self) -> list[sqlite3.Row]:
        return list(self.db.execute("SELECT * FROM uploads WHERE state = 'importing' ORDER BY id"))

    # -- batches ---------------------------------------------------------------------------
    def unbatched_count(self) -> int:
        return int(self.db.execute("SELECT COUNT(*) FROM records INDEXED BY records_unbatched"
                                   " WHERE state = 'queued' AND batch_id IS NULL").fetchone()[0])

    def queued_count(self) -> int:
        """Records not yet accounted for by a summary (cheap: a partial index)."""
        return int(self.db.execute("SELECT COUNT(*) FROM records INDEXED BY records_queued"
                                   " WHERE state = 'queued'").fetchone()[0])

    def next_formed(self, exclude: Iterable[str] = ()) -> Batch | None:
        """The oldest batch formed but not yet answered (a crash may have left one).

        ``exclude``: batches already on their way in this process.
        """
        skip = list(exclude)
        marks = ",".join("?" * len(skip))
        where = f" AND batch_id NOT IN ({marks})" if skip else ""
        r = self.db.execute("SELECT ord, batch_id, count, complete_until, attempts FROM batches"  # noqa: S608
                            f" WHERE state = 'formed'{where} ORDER BY ord LIMIT 1", skip).fetchone()
        return Batch(r[0], r[1], r[2], r[3], r[4]) if r else None

    def form_batch(self, max_records: int = DEFAULT_BATCH_RECORDS, *, partial: bool = True,
                   max_bytes: int = BATCH_BYTES, clamp: str | None = None) -> Batch | None:
        """Fix the next batch (id, records, order, complete_until) in one transaction.

        With ``partial=False`` a batch is formed only when a full one is waiting (the import
        is still adding records). With nothing queued, a heartbeat (no records) is formed
        when an imported file's period end has not been sent yet.
        """
        with self.tx() as db:
            rows = db.execute(
                "SELECT seq, length(CAST(payload AS BLOB)) FROM records WHERE state = 'queued' AND batch_id IS NULL"
                " ORDER BY seq LIMIT ?", (max_records,)).fetchall()
            if not partial and len(rows) < max_records:
                return None
            chosen: list[int] = []
            size = 0
            for seq, nbytes in rows:
                if chosen and size + nbytes + 1 > max_bytes:
                    break
                chosen.append(seq)
                size += nbytes + 1
            batch_id = str(uuid.uuid4())
            if chosen:
                # The chosen records are exactly the unbatched ones up to the last chosen seq
                # (a prefix in seq order; the write lock keeps the import out meanwhile).
                db.execute("UPDATE records SET batch_id = ? WHERE state = 'queued' AND batch_id IS NULL AND seq <= ?",
                           (batch_id, chosen[-1]))
            until = self._complete_until(db, clamp)
            if not chosen:
                sent_until = self._get(db, "sent_until")
                if until is None or (sent_until is not None and _instant(until) <= _instant(sent_until)):
                    return None
            cur = db.execute("INSERT INTO batches(batch_id, count, complete_until, state, created_at)"
                             " VALUES (?, ?, ?, 'formed', ?)", (batch_id, len(chosen), until, now_iso()))
            if until is not None:
                prev = self._get(db, "sent_until")
                if prev is None or _instant(until) > _instant(prev):
                    db.execute("INSERT INTO meta(key, value) VALUES ('sent_until', ?)"
                               " ON CONFLICT(key) DO UPDATE SET value = excluded.value", (until,))
            return Batch(int(cur.lastrowid or 0), batch_id, len(chosen), until, 0)

    @staticmethod
    def _get(db: sqlite3.Connection, key: str) -> str | None:
        r = db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return r[0] if r else None

    def _complete_until(self, db: sqlite3.Connection, clamp: str | None) -> str | None:
        """What this batch may claim: the period end of every file whose records are all in batches.

        A file's end is claimed only by the batch that carries its last records: claiming it
        earlier would tell the server the office is complete while records are still on the
        way (they would arrive "backdated"). Before that, the watermark already reached (or the
        start of the oldest unfinished file) is sent, which never moves the watermark.
        """
        ends = [r[0] for r in db.execute(
            "SELECT complete_until FROM uploads u WHERE state = 'imported' AND complete_until IS NOT NULL"
            " AND NOT EXISTS (SELECT 1 FROM records r INDEXED BY records_unbatched_upload"
            " WHERE r.upload_id = u.id AND r.state = 'queued' AND r.batch_id IS NULL)")]
        known = [v for v in (self._get(db, "watermark"), self._get(db, "sent_until")) if v]
        candidates = ends + known
        if not candidates:
            starts = [r[0] for r in db.execute(
                "SELECT period_start FROM uploads WHERE period_start IS NOT NULL ORDER BY id")]
            if not starts:
                first = db.execute("SELECT MIN(at) FROM records INDEXED BY records_queued"
                                   " WHERE state = 'queued'").fetchone()[0]
                starts = [first] if first else []
            candidates = starts[:1]
        if not candidates:
            return None
        best = max(candidates, key=_instant)
        if clamp is not None and _instant(best) > _instant(clamp):
            best = clamp
        return best

    def batch_payloads(self, batch_id: str) -> list[str]:
        return [r[0] for r in self.db.execute(
            "SELECT payload FROM records WHERE batch_id = ? ORDER BY seq", (batch_id,))]

    def note_attempt(self, batch_id: str, error: str | None) -> None:
        with self.tx() as db:
            db.execute("UPDATE batches SET attempts = attempts + 1, last_error = ? WHERE batch_id = ?",
                       (error, batch_id))

    def reissue(self, old: Batch) -> Batch:
        """Give a batch a new id (after 409 BATCH_ID_REUSED); record ids keep it duplicate-safe."""
        new_id = str(uuid.uuid4())
        with self.tx() as db:
            db.execute("UPDATE records SET batch_id = ? WHERE batch_id = ?", (new_id, old.batch_id))
            db.execute("UPDATE batches SET batch_id = ? WHERE batch_id = ?", (new_id, old.batch_id))
        return Batch(old.ord, new_id, old.count, old.complete_until, old.attempts)

    def split(self, old: Batch) -> None:
        """Undo a batch the server found too large; its records are formed again, in halves."""
        with self.tx() as db:
            db.execute("UPDATE records SET batch_id = NULL WHERE batch_id = ?", (old.batch_id,))
            db.execute("DELETE FROM batches WHERE batch_id = ?", (old.batch_id,))

    def apply_summary(self, batch: Batch, summary: dict[str, Any], raw: str) -> list[dict[str, Any]]:
        """Account for every record of the batch; returns the rejections it recorded."""
        errors = summary.get("errors") or []
        at = now_iso()
        out: list[dict[str, Any]] = []
        with self.tx() as db:
            by_index = {int(e["index"]): e for e in errors}
            if by_index:
                rows = db.execute(
                    "SELECT r.id, r.upload_id, r.row_no, r.source, u.columns, u.headers FROM records r"
                    " LEFT JOIN uploads u ON u.id = r.upload_id WHERE r.batch_id = ? ORDER BY r.seq",
                    (batch.batch_id,)).fetchall()
                for bi, (rid, upload_id, row_no, source, columns, headers) in enumerate(rows):
                    e = by_index.get(bi)
                    if e is None:
                        continue
                    column = _column_for(columns, headers, e.get("field"))
                    db.execute("UPDATE records SET state = 'rejected' WHERE id = ?", (rid,))
                    self._keep_rejection(db, self._open_rejection_for(db, None, rid, None),
                                         (rid, upload_id, row_no, "server", e.get("code", "?"), e.get("field"),
                                          column, e.get("message", ""), batch.batch_id, source), at)
                    out.append({"row": row_no, "upload_id": upload_id, **e})
            # Accepted records (imported or duplicate) close the rejections they were fixed for.
            if db.execute("SELECT 1 FROM rejections WHERE resolved_at IS NULL LIMIT 1").fetchone():
                db.execute("UPDATE rejections SET resolved_at = ? WHERE resolved_at IS NULL AND record_id IN"
                           " (SELECT id FROM records WHERE batch_id = ? AND state = 'queued')",
                           (at, batch.batch_id))
            # Accounted for (imported or duplicate): the payload is no longer needed.
            db.execute("UPDATE records SET state = 'sent', payload = '', source = NULL"
                       " WHERE batch_id = ? AND state = 'queued'", (batch.batch_id,))
            db.execute(
                "UPDATE batches SET state = 'done', done_at = ?, status = ?, imported = ?, duplicates = ?,"
                " rejected = ?, watermark = ?, summary = ?, last_error = NULL WHERE batch_id = ?",
                (at, summary.get("status"), summary.get("imported"), summary.get("duplicates"),
                 summary.get("rejected"), summary.get("watermark"), raw, batch.batch_id),
            )
            if summary.get("watermark"):
                db.execute("INSERT INTO meta(key, value) VALUES ('watermark', ?)"
                           " ON CONFLICT(key) DO UPDATE SET value = excluded.value", (summary["watermark"],))
            db.execute("INSERT INTO meta(key, value) VALUES ('last_summary_at', ?)"
                       " ON CONFLICT(key) DO UPDATE SET value = excluded.value", (at,))
        return out

    # -- reading ---------------------------------------------------------------------------
    def counts(self) -> Counts:
        c = Counts()
        for state, batched, n in self.db.execute(
                "SELECT state, batch_id IS NOT NULL, COUNT(*) FROM records GROUP BY state, batch_id IS NOT NULL"):
            if state == "queued":
                c.queued += n
                if batched:
                    c.in_flight += n
            elif state == "sent":
                c.sent += n
        c.rejected = int(self.db.execute("SELECT COUNT(*) FROM rejections WHERE resolved_at IS NULL").fetchone()[0])
        r = self.db.execute("SELECT COUNT(*), COALESCE(SUM(imported), 0), COALESCE(SUM(duplicates), 0)"
                            " FROM batches WHERE state = 'done'").fetchone()
        c.batches_done, c.imported, c.duplicates = int(r[0]), int(r[1]), int(r[2])
        return c

    def queue_rows(self, limit: int = 10_000) -> list[sqlite3.Row]:
        return list(self.db.execute(
            "SELECT r.seq, u.name AS file, r.row_no, r.kind, r.case_no, r.type, r.at, r.batch_id,"
            " b.attempts, b.last_error FROM records r LEFT JOIN uploads u ON u.id = r.upload_id"
            " LEFT JOIN batches b ON b.batch_id = r.batch_id"
            " WHERE r.state = 'queued' ORDER BY r.seq LIMIT ?", (limit,)))

    def recent_batches(self, limit: int = 20) -> list[sqlite3.Row]:
        return list(self.db.execute("SELECT * FROM batches ORDER BY ord DESC LIMIT ?", (limit,)))

    def open_rejections(self, limit: int | None = None) -> list[sqlite3.Row]:
        sql = ("SELECT j.*, u.name AS file, u.mapping, u.headers FROM rejections j"
               " LEFT JOIN uploads u ON u.id = j.upload_id WHERE j.resolved_at IS NULL ORDER BY j.id")
        if limit is not None:
            sql += f" LIMIT {int(limit)}"
        return list(self.db.execute(sql))

    def clear_rejections(self, ids: Iterable[int] | None = None) -> int:
        at = now_iso()
        with self.tx() as db:
            if ids is None:
                cur = db.execute("UPDATE rejections SET resolved_at = ? WHERE resolved_at IS NULL", (at,))
            else:
                cur = db.executemany("UPDATE rejections SET resolved_at = ? WHERE id = ? AND resolved_at IS NULL",
                                     [(at, i) for i in ids])
            return int(cur.rowcount)

    # -- watched folders -------------------------------------------------------------------
    def seen_hash(self, sha256: str) -> bool:
        return self.db.execute("SELECT 1 FROM watched_files WHERE sha256 = ?", (sha256,)).fetchone() is not None

    def remember_file(self, path: Path, sha256: str, size: int, upload_id: int | None) -> None:
        with self.tx() as db:
            db.execute("INSERT OR REPLACE INTO watched_files(path, sha256, size, processed_at, upload_id)"
                       " VALUES (?, ?, ?, ?, ?)", (str(path), sha256, size, now_iso(), upload_id))


def _instant(text: str) -> datetime:
    return datetime.fromisoformat(text)


def _column_for(columns_json: str | None, headers_json: str | None, field: str | None) -> str | None:
    """The export column a server-named field came from (so the clerk knows which cell to fix)."""
    if not columns_json or not field:
        return None
    columns: dict[str, str] = json.loads(columns_json)
    column = columns.get(field) or columns.get(field.split(".")[0])
    headers: list[str] = json.loads(headers_json) if headers_json else []
    if column and column in headers:
        from desktop.township.readers import column_letter

        return f"{column} ({column_letter(headers.index(column))})"
    return column
