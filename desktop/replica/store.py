"""The replica: one SQLite file per server and user, and what the console does with it.

``Replica`` is the handle the console passes around. Its parts live in their own modules:
``schema`` (the file, its tables and migrations), ``entities`` (the kinds of entity it holds),
``feed`` (change-feed pages, each with its cursor in one transaction), ``outbox`` (the
operator's actions waiting for the server, applied locally at once) and ``queries`` (every
read the widgets need). Writers open their own connection, so any worker may call them;
``read`` lends each worker thread one read-only connection for queries.

The UI thread never waits on the file: once ``forbid_reads_on`` names it, a read from it is
an error (raised in tests, logged in production).
"""

from __future__ import annotations

import logging
import os
import sqlite3
import threading
import time
import traceback
import weakref
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any, Concatenate, ParamSpec, TypeVar

from desktop.replica import alerts, cases, evidence, feed, investigations, outbox, queries
from desktop.replica.feed import ApplyResult
from desktop.replica.local import ActionRefused
from desktop.replica.outbox import OutboxResult
from desktop.replica.schema import ReplicaFile, open_file, set_meta
from shared.calendar import WorkCalendar

__all__ = ["ApplyResult", "OutboxResult", "Replica", "UIThreadRead"]

log = logging.getLogger(__name__)
P = ParamSpec("P")
T = TypeVar("T")


class UIThreadRead(RuntimeError):
    """The UI thread asked the replica file for something: it must go through the background tasks."""


class _Reader:
    """One worker thread's read-only connection; closed with the thread (its thread-local goes) or by ``close``."""

    __slots__ = ("__weakref__", "conn")

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn


class Replica(ReplicaFile):
    """The replica file and its operations."""

    def __init__(self, path: str | Path) -> None:
        super().__init__(path)
        open_file(self.path)
        self._readers = threading.local()
        #: every live reader (weakly: a worker thread that ends takes its connection with it)
        self._opened: weakref.WeakSet[_Reader] = weakref.WeakSet()
        self._lock = threading.Lock()
        self._ui_thread: threading.Thread | None = None
        #: a read from the UI thread raises (tests) instead of being logged (production)
        self.strict = os.environ.get("YINGYAN_STRICT_UI_THREAD") == "1"

    # ------------------------------------------------------------------ reads
    def forbid_reads_on(self, thread: threading.Thread | None) -> None:
        """Treat a ``read`` from ``thread`` (the UI thread) as the bug it is."""
        self._ui_thread = thread

    def read(self, query: Callable[Concatenate[sqlite3.Connection, P], T], *args: P.args, **kwargs: P.kwargs) -> T:
        """Run ``query(conn, …)`` (one of ``queries``) on this thread's read-only connection."""
        if self._ui_thread is not None and threading.current_thread() is self._ui_thread:
            message = f"{getattr(query, '__name__', query)} read the replica on the UI thread"
            if self.strict:
                raise UIThreadRead(message)
            log.error("%s:\n%s", message, "".join(traceback.format_stack(limit=8)))
        reader: _Reader | None = getattr(self._readers, "reader", None)
        if reader is None:
            reader = self._readers.reader = _Reader(self.connect(readonly=True))
            with self._lock:
                self._opened.add(reader)
        return query(reader.conn, *args, **kwargs)

    def close(self) -> None:
        """Close the workers' read connections (at the end of a session, the workers idle)."""
        with self._lock:
            opened = list(self._opened)
            self._opened.clear()
            self._readers = threading.local()
        for reader in opened:
            reader.conn.close()

    def set_actor(self, username: str, role: str) -> None:
        """Who acts through this replica: offline actions are checked and shown as this person's."""
        with self.writing() as conn:
            set_meta(conn, "actor_name", username)
            set_meta(conn, "actor_role", role)

    def cursor(self) -> str | None:
        return self.meta("cursor")

    def case_detail(self, office: str, case_no: str) -> tuple[dict[str, Any], float] | None:
        return self.read(queries.case_detail, office, case_no)

    def work_calendar(self) -> WorkCalendar:
        return self.read(queries.work_calendar)

    def outbox_counts(self) -> dict[str, int]:
        return self.read(queries.outbox_counts)

    # ------------------------------------------------------------------ change feed
    def apply_changes(self, page: dict[str, Any]) -> ApplyResult:
        """Apply one ``GET /changes`` page and store its cursor, in one transaction.

        A case withdrawn from this person (taken off it) takes its kept evidence files with it."""
        result = feed.apply_page(self, page)
        if any(ch.get("entity") == investigations.ENTITY and ch.get("op") == "delete"
               for ch in page.get("changes") or () if isinstance(ch, dict)):
            evidence.forget_unheld(self, investigations.held_evidence)
        return result

    def begin_resnapshot(self) -> None:
        """Start re-reading the feed from the beginning (after 410 CURSOR_EXPIRED)."""
        feed.begin_resnapshot(self)

    def analyze_if_needed(self, min_rows: int = 10_000) -> bool:
        """Give SQLite's planner statistics once the replica is big (run off the UI thread).

        Without them a filtered page may walk the wrong index; with a million alerts the
        difference is milliseconds against seconds.
        """
        conn = self.connect()
        try:
            has = conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'").fetchone()
            analyzed_at = int(self.meta("analyzed_rows") or "0")
            rows = int(conn.execute("SELECT MAX(id) FROM alerts").fetchone()[0] or 0)
            if rows < min_rows or (has and rows < 2 * analyzed_at):
                return False
            conn.execute("ANALYZE")
        finally:
            conn.close()
        self.set_meta("analyzed_rows", str(rows))
        return True

    def bulk_insert_alerts(self, items: Iterable[dict[str, Any]]) -> int:
        """Insert server alerts without change-feed bookkeeping (benchmark and demo fixtures)."""
        with self.writing() as conn:
            return alerts.bulk_insert(conn, items)

    # ------------------------------------------------------------------ outbox
    def enqueue(self, ids: Sequence[Any], action: str, data: dict[str, Any], *,
                entity: str = "alert") -> tuple[list[Any], list[tuple[Any, ActionRefused]]]:
        """Queue an operator's action on entities (alerts by default) and apply it locally at once.

        Returns (ids changed, (id, refusal) for the ones refused locally).
        """
        return outbox.enqueue(self, entity, ids, action, data)

    def pending_mutations(self, limit: int = 200) -> list[dict[str, Any]]:
        return outbox.pending_mutations(self, limit)

    def mark_attempt(self, ids: Sequence[str]) -> None:
        outbox.mark_attempt(self, ids)

    def record_results(self, results: Sequence[dict[str, Any]]) -> OutboxResult:
        """Store the server's answers to replayed mutations and rebuild the rows they touched."""
        return outbox.record_results(self, results)

    def resolve(self, mutation_id: str, *, retry: bool) -> Any:
        """The operator's decision on a conflict or rejection (``outbox.resolve``: one transaction)."""
        return outbox.resolve(self, mutation_id, retry=retry)

    # ------------------------------------------------------------------ evidence files
    def keep_file(self, source: Path, progress: evidence.Progress | None = None) -> tuple[str, int]:
        """Copy a file into the evidence kept here: (sha256, size); ``EvidenceFileError`` when it cannot be."""
        return evidence.keep_file(self, Path(source), progress)

    def keep_fetched(self, sha256: str, content: bytes) -> None:
        """Keep bytes the server sent, only if they hash to ``sha256``."""
        evidence.keep_bytes(self, sha256, content)

    def evidence_path(self, sha256: str) -> Path:
        return evidence.cached_path(self, sha256)

    def verify_evidence(self, sha256: str) -> str:
        """Hash the kept file again: ``verified``, ``mismatch`` or ``missing``."""
        return evidence.verify(self, sha256)

    def blobs_to_upload(self, mutations: Sequence[dict[str, Any]]) -> list[str]:
        conn = self.connect(readonly=True)
        try:
            return evidence.blobs_to_upload(conn, mutations)
        finally:
            conn.close()

    def mark_uploaded(self, sha256: str) -> None:
        evidence.mark_uploaded(self, sha256)

    def bulk_insert_investigations(self, items: list[dict[str, Any]]) -> int:
        """Insert server investigations without change-feed bookkeeping (benchmark and demo fixtures)."""
        with self.writing() as conn:
            return investigations.bulk_insert(conn, items)

    # ------------------------------------------------------------------ case details
    def store_case_detail(self, office: str, case_no: str, data: dict[str, Any]) -> None:
        with self.writing() as conn:
            cases.store_detail(conn, office, case_no, data, time.time())
