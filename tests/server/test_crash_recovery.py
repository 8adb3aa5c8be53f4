"""A server killed (SIGKILL) in the middle of a 10,000-record batch loses the batch cleanly;
one stopped with SIGTERM finishes it or rolls it back.

Spec 03 §1: a batch is atomic and idempotent. The test sends a full-size batch from a
thread, waits until the server has demonstrably written part of it without committing
(SQLite: while the server holds the write lock, its transaction's pages spill into the WAL
file; PostgreSQL: the server's open transaction holds row locks on ``approval_events``,
i.e. it has inserted rows), kills the process with SIGKILL,
and checks through the API that nothing of the batch is visible. After a restart on the
same data directory, resending the batch imports every record exactly once, and sending it
yet again returns the stored summary byte for byte.
"""

from __future__ import annotations

import signal
import sqlite3
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

from tests.harness import ServerProcess, event
from tests.server.support import list_all, ok_batch, run_cli, send_in_background, server_from_template, wait_for

CASES = 2500  # x 4 events = 10,000 records, the protocol's maximum


def big_batch() -> list[dict[str, Any]]:
    records = []
    for i in range(CASES):
        no = f"K-{i:06d}"
        records += [
            event(no, "received", "2026-02-26T09:00:00+08:00", seq=1, actor="S01", applicant_id=f"A{i:08d}"),
            event(no, "accepted", "2026-02-26T09:10:00+08:00", seq=2, actor="S01"),
            event(no, "node_completed", "2026-02-26T10:00:00+08:00", seq=3, node="review", actor="S02"),
            event(no, "node_completed", "2026-02-26T11:00:00+08:00", seq=4, node="approve", actor="S02"),
        ]
    assert len(records) == 10_000
    return records


def sqlite_writer_busy(db: Path) -> bool:
    """True while another connection holds the database's write lock."""
    conn = sqlite3.connect(db, timeout=0, isolation_level=None)
    try:
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("ROLLBACK")
        return False
    except sqlite3.OperationalError as exc:
        if "locked" in str(exc) or "busy" in str(exc):
            return True
        raise
    finally:
        conn.close()


def pg_rows_inserted_uncommitted(url: str) -> bool:
    """True while a backend of this database has an open transaction that inserted approval events."""
    import psycopg

    dbname = url.rsplit("/", 1)[1]
    with psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://"), autocommit=True) as conn:
        row = conn.execute(
            "SELECT count(*) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation "
            "JOIN pg_stat_activity a ON a.pid = l.pid "
            "WHERE c.relname = 'approval_events' AND l.mode = 'RowExclusiveLock' AND l.granted "
            "AND a.datname = %s AND a.pid <> pg_backend_pid()", (dbname,)
        ).fetchone()
        return bool(row and row[0])


def run_crash_scenario(server: ServerProcess, busy: Callable[[], bool]) -> None:
    """``busy()`` says when the server has demonstrably written part of the batch, uncommitted."""
    tokens = server.setup_basic()
    token = tokens["T01"]
    # Something stored before, so the counts below are not trivially zero.
    ok_batch(server, "T01", token, [event("BASE-1", "received", "2026-02-26T08:00:00+08:00")])
    before = server.call("GET", "/admin/stats").json()
    records = big_batch()
    batch_id = str(uuid.uuid4())
    body = {"batch_id": batch_id, "office": "T01", "complete_until": "2026-02-27T00:00:00+08:00",
            "records": records}

    flight = send_in_background(server, "POST", "/batches", body, token=token)
    assert flight.sent.wait(60), "the batch was not sent"
    wait_for(lambda: flight.done.is_set() or busy(), timeout=60, interval=0.005,
             what="the server to be busy with the batch")
    assert not flight.done.is_set(), f"the server answered before it could be killed: {flight.response}"
    server.kill()
    flight.join()
    assert flight.response is None, "the killed server still answered the batch"

    server.start()
    # Nothing of the killed batch is visible: no summary, no case, no new row of any kind.
    assert server.call("GET", f"/batches/{batch_id}").status == 404
    assert server.call("GET", "/admin/stats").json() == before
    stored_cases = {c["case_no"] for c in list_all(server, "/approval-cases?office=T01", "cases")}
    assert stored_cases == {"BASE-1"}
    for no in ("K-000000", f"K-{CASES // 2:06d}", f"K-{CASES - 1:06d}"):
        assert server.call("GET", f"/approval-cases/T01/{no}").status == 404
    audit = run_cli("verify-audit", "--data-dir", str(server.data_dir))
    assert audit.returncode == 0, audit.stderr

    # Resending imports each record exactly once; resending again answers byte for byte.
    first = server.call("POST", "/batches", body, token=token)
    assert first.status == 200, first.body[:500]
    summary = first.json()
    assert (summary["received"], summary["imported"], summary["duplicates"], summary["rejected"]) == \
        (10_000, 10_000, 0, 0)
    after = server.call("GET", "/admin/stats").json()
    assert after["events"] == before["events"] + 10_000
    assert after["cases"] == before["cases"] + CASES
    case = server.call("GET", f"/approval-cases/T01/K-{CASES - 1:06d}").json()
    assert [e["type"] for e in case["events"]] == ["received", "accepted", "node_completed", "node_completed"]
    again = server.call("POST", "/batches", body, token=token)
    assert again.status == 200
    assert again.body == first.body
    assert server.call("GET", f"/batches/{batch_id}").body == first.body
    assert server.call("GET", "/admin/stats").json() == after


def test_sigkill_mid_batch_on_sqlite(tmp_path: Path, server_template: Path) -> None:
    server = server_from_template(server_template, tmp_path / "data")
    server.start()
    db = server.data_dir / "yingyan.db"
    wal = server.data_dir / "yingyan.db-wal"
    seen: list[tuple[int, int]] = []

    def wal_state() -> tuple[int, int]:
        st = wal.stat()
        return st.st_size, st.st_mtime_ns

    def busy() -> bool:
        # import_batch holds the write lock from its first query to its commit. While it is held,
        # a change of the WAL file means the server is spilling this transaction's inserted,
        # uncommitted pages: it is in the middle of storing the batch.
        state = wal_state()
        if not sqlite_writer_busy(db):
            seen.clear()
            return False
        if not seen:
            seen.append(state)
            return False
        return wal_state() != seen[0] and sqlite_writer_busy(db)

    try:
        run_crash_scenario(server, busy)
    finally:
        server.stop()


def test_sigkill_mid_batch_on_postgres(tmp_path: Path, pg_database: str) -> None:
    server = ServerProcess(tmp_path / "data")
    server.init(pg_database)
    server.start()
    try:
        run_crash_scenario(server, lambda: pg_rows_inserted_uncommitted(pg_database))
    finally:
        server.stop()


def test_sigterm_mid_batch_finishes_or_rolls_back_the_batch(tmp_path: Path, server_template: Path) -> None:
    """Spec 05: ``serve`` stops cleanly on SIGTERM; the batch in flight is whole or absent."""
    server = server_from_template(server_template, tmp_path / "data")
    server.start()
    try:
        token = server.setup_basic()["T01"]
        before = server.call("GET", "/admin/stats").json()
        body = {"batch_id": str(uuid.uuid4()), "office": "T01", "records": big_batch()}
        flight = send_in_background(server, "POST", "/batches", body, token=token)
        assert flight.sent.wait(60)
        db = server.data_dir / "yingyan.db"
        wait_for(lambda: flight.done.is_set() or sqlite_writer_busy(db), timeout=60, interval=0.005,
                 what="the server to start on the batch")
        assert server.proc is not None
        server.proc.terminate()
        # uvicorn shuts down gracefully, then re-raises the signal: -SIGTERM is a clean exit.
        assert server.proc.wait(60) in (0, -signal.SIGTERM), server.log_tail()
        flight.join()
        server.start()
        stored = server.call("GET", f"/batches/{body['batch_id']}")
        after = server.call("GET", "/admin/stats").json()
        if flight.response is not None and flight.response.status == 200:
            # It finished before the server stopped: the answer the office got is what is stored.
            assert stored.body == flight.response.body
            assert after["events"] == before["events"] + 10_000
        else:
            assert stored.status == 404
            assert after == before
        assert run_cli("verify-audit", "--data-dir", str(server.data_dir)).returncode == 0
    finally:
        server.stop()
