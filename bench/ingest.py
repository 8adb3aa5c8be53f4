"""End-to-end ingest over HTTPS (batches of 5,000 approval events, rules evaluated) beside the
raw insert rate of the same rows into the same database in the same run.

With ``--preload N`` the same ingest runs twice, on an empty database and then on one that
already holds N approval events (issue 17: a batch's cost must not grow with the history
stored), and the ratio of the two rates is printed. The preload goes in directly, before the
server starts: a template of 20,000 cases (100,000 events of ``bulk_events``, a year before
the timed ones, all decided) is imported in-process by the server's own ``import_batch``, so
its cases, rule states, alerts and change log are what the server leaves; then SQL copies of
it (``INSERT … SELECT``) fill the tables to N events, each copy under new case numbers and
applicants, new random event ids and in another of ``--preload-offices`` townships (T01, the
timed office, among them).

    .venv/bin/python bench/ingest.py --events 100000
    .venv/bin/python bench/ingest.py --events 100000 --postgres
    .venv/bin/python bench/ingest.py --events 100000 --preload 10000000

On PostgreSQL the raw rate is measured twice: by ``executemany`` and by ``COPY``, the baseline
issue 17 names for PostgreSQL; the ratio printed last is against ``COPY``.

On SQLite a third figure: the floor. Every row the timed ingest left in the server's
database (its events, cases with their rule states, alerts, change log, batches, …) inserted
once, straight through the driver, into a fresh database made by the same ``server init``
(same tables, indexes and pragmas), in as many transactions as there were batches. It leaves
out the updates (a case that spans batches is written again by the later one), so it is a
lower bound on what any server that stores what this one stores must spend; set beside the
raw rate, it says how much of issue 17's "≥ 0.4 of raw" is left for everything else.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sqlite3
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from contextlib import closing
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import Client, fresh_sqlite, open_context, postgres_database, setup, start_server
from server.demo_data import bulk_events
from server.models import Base
from shared.timeutil import parse_instant

BATCH = 5000
#: the server's simulated clock during the timed ingest (``start_server``'s default)
CLOCK = "2026-12-31T00:00:00+08:00"
#: cases of the preload's template (five events each)
TEMPLATE_CASES = 20_000


def raw_rows(events: list[dict]) -> list[tuple]:
    case_ids: dict[str, int] = {}
    rows = []
    for e in events:
        cid = case_ids.setdefault(e["case_no"], len(case_ids) + 1)
        extra = {k: v for k, v in e.items() if k not in ("kind", "id", "case_no", "power_code", "type", "at", "seq",
                                                       "actor", "node")}
        rows.append((e["id"], cid, e["seq"], e["type"], parse_instant(e["at"]), e.get("actor"), e.get("node"),
                     json.dumps(extra), "0" * 64, False, "b", 0))
    return rows


DDL = """CREATE TABLE approval_events (id VARCHAR(36) PRIMARY KEY, case_id INTEGER NOT NULL, seq BIGINT,
 type VARCHAR(32) NOT NULL, at BIGINT NOT NULL, actor VARCHAR(200), node VARCHAR(64), data TEXT NOT NULL,
 digest VARCHAR(64) NOT NULL, backdated BOOLEAN NOT NULL, batch_id VARCHAR(64) NOT NULL, arrived_at BIGINT NOT NULL)"""
INSERT = "INSERT INTO approval_events VALUES (?,?,?,?,?,?,?,?,?,?,?,?)"


def raw_sqlite(rows: list[tuple]) -> float:
    path = Path(tempfile.mkdtemp()) / "raw.db"
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=NORMAL")
    conn.execute(DDL)
    conn.execute("CREATE INDEX ix_case ON approval_events (case_id)")
    start = time.perf_counter()
    for i in range(0, len(rows), BATCH):
        with conn:
            conn.executemany(INSERT, rows[i : i + BATCH])
    elapsed = time.perf_counter() - start
    conn.close()
    return elapsed


def raw_postgres(rows: list[tuple], url: str, *, copy: bool) -> float:
    """The rows stored in transactions of ``BATCH``: by ``COPY`` (the baseline issue 17 names for
    PostgreSQL) or by psycopg's ``executemany`` (the one reported before stop 25)."""
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("DROP TABLE IF EXISTS approval_events")
        conn.execute(DDL)
        conn.execute("CREATE INDEX ix_case ON approval_events (case_id)")
        start = time.perf_counter()
        with conn.cursor() as cur:
            for i in range(0, len(rows), BATCH):
                with conn.transaction():
                    if copy:
                        with cur.copy("COPY approval_events FROM STDIN") as out:
                            for row in rows[i : i + BATCH]:
                                out.write_row(row)
                    else:
                        cur.executemany(INSERT.replace("?", "%s"), rows[i : i + BATCH])
        elapsed = time.perf_counter() - start
        conn.execute("DROP TABLE approval_events")
    return elapsed


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--events", type=int, default=100_000)
    ap.add_argument("--postgres", action="store_true")
    ap.add_argument("--preload", type=int, default=0,
                    help="also time the ingest on a database already holding this many approval events")
    ap.add_argument("--preload-offices", type=int, default=100, help="townships the preloaded cases belong to")
    args = ap.parse_args()
    n_cases = args.events // 5
    # An ordinary day's sync: records in time order, each batch declaring the period up to its last
    # record complete (so nothing is back-dated and the rules judge the cases as of that instant).
    events = sorted(bulk_events(n_cases, start=parse_instant("2026-03-02T08:00:00+08:00")), key=lambda e: e["at"])
    backend = "postgresql" if args.postgres else "sqlite"
    n = len(events)
    load = Path("/proc/loadavg").read_text().split()[0]
    written: dict[str, list[tuple]] = {}
    if args.postgres:
        with postgres_database("yybench") as url:
            served, alerts = ingest(events, url)
    else:
        served, alerts = ingest(events, None, written=written)
    print(f"backend {backend}, {n} events in {n // BATCH} batches of {BATCH}, {n_cases} cases, "
          f"{alerts} alerts raised (load {load} at start)", flush=True)
    print(f"  server ingest over HTTPS: {served:.2f} s = {n / served:,.0f} events/s", flush=True)
    if args.preload:
        def prepare(data_dir: Path) -> None:
            nonlocal load
            t = time.perf_counter()
            held = preload(data_dir, args.preload, args.preload_offices)
            load = Path("/proc/loadavg").read_text().split()[0]
            print(f"  preloaded {held:,} approval events in {args.preload_offices} offices in "
                  f"{time.perf_counter() - t:.0f} s", flush=True)

        if args.postgres:
            with postgres_database("yybench") as url:
                full, full_alerts = ingest(events, url, prepare)
        else:
            full, full_alerts = ingest(events, None, prepare)
        print(f"  the same ingest with {args.preload:,} events stored: {full:.2f} s = {n / full:,.0f} events/s "
              f"({full_alerts} alerts raised; load {load} after the preload)", flush=True)
        print(f"  ratio stored/empty: {served / full:.2f}", flush=True)
    rows = raw_rows(events)
    if args.postgres:
        with postgres_database("yybench") as url:
            many = raw_postgres(rows, url.replace("+psycopg", ""), copy=False)
            raw = raw_postgres(rows, url.replace("+psycopg", ""), copy=True)
        print(f"  raw executemany, same rows: {many:.2f} s = {n / many:,.0f} rows/s (ratio server/executemany "
              f"{many / served:.2f})")
        print(f"  raw COPY, same rows: {raw:.2f} s = {n / raw:,.0f} rows/s")
        print(f"  ratio server/COPY: {raw / served:.2f}")
    else:
        raw = raw_sqlite(rows)
        print(f"  raw executemany, same rows: {raw:.2f} s = {n / raw:,.0f} rows/s")
        print(f"  ratio server/raw: {raw / served:.2f}")
        what, floor = raw_floor(written, -(-n // BATCH))
        print(f"  floor: the rows the server left ({what}) inserted once, raw, in {-(-n // BATCH)} transactions: "
              f"{floor:.2f} s = {n / floor:,.0f} events/s; ratio floor/raw {raw / floor:.2f} "
              f"(a server that stores what this one stores reaches at most this)")
    return 0


def ingest(events: list[dict], db_url: str | None, prepare: Callable[[Path], None] | None = None,
           written: dict[str, list[tuple]] | None = None) -> tuple[float, int]:
    """Post ``events`` in batches to a fresh server as office T01; the seconds it took and the
    alerts raised. Given ``written`` (SQLite), it is filled with the rows each table gained
    during the timed ingest, as they stand at its end."""
    server = start_server(db_url, clock=CLOCK, prepare=prepare)
    try:
        if prepare is None:
            token = setup(server, ["T01"])["T01"]
        else:
            # The preload registered T01 directly; the administrator issues it a token, as for
            # an office whose agent is reinstalled.
            setup(server, [])
            status, body = Client(server, server.admin_token).call("POST", "/offices/T01/token")
            assert status == 200, body
            token = body["token"]
        client = Client(server, token)
        database = server.data_dir / "yingyan.db"
        marks = table_marks(database) if written is not None else {}
        start = time.perf_counter()
        alerts = 0
        for i in range(0, len(events), BATCH):
            chunk = events[i : i + BATCH]
            status, summary = client.call("POST", "/batches", {"batch_id": str(uuid.uuid4()), "office": "T01",
                                                              "complete_until": chunk[-1]["at"], "records": chunk})
            assert status == 200, summary
            assert summary["imported"] == len(chunk), summary
            alerts += summary["alerts_raised"]
        elapsed = time.perf_counter() - start
        if written is not None:
            written.update(rows_since(database, marks))
        return elapsed, alerts
    finally:
        server.stop()
        # A preloaded SQLite file is ~9 GB at 10,000,000 events: not left behind in /tmp.
        shutil.rmtree(server.data_dir.parent, ignore_errors=True)


def table_marks(database: Path) -> dict[str, int]:
    """Each of the server's tables' last rowid."""
    with closing(sqlite3.connect(database)) as conn:
        return {t.name: conn.execute(f"SELECT coalesce(max(rowid), 0) FROM {t.name}").fetchone()[0]
                for t in Base.metadata.sorted_tables}


def rows_since(database: Path, marks: dict[str, int]) -> dict[str, list[tuple]]:
    """Each table's rows after its mark (in parents-first order), and under the key ``""`` the
    rows before the marks that those point at (the offices, the catalogue, …), as a list of
    ``(table, row)``."""
    with closing(sqlite3.connect(database)) as conn:
        out: dict[str, list[tuple]] = {"": []}
        for name, mark in marks.items():
            out[""] += [(name, row) for row in conn.execute(f"SELECT * FROM {name} WHERE rowid <= ?", (mark,))]
            out[name] = conn.execute(f"SELECT * FROM {name} WHERE rowid > ? ORDER BY rowid", (mark,)).fetchall()
    return out


def raw_floor(written: dict[str, list[tuple]], transactions: int) -> tuple[str, float]:
    """Insert ``written`` (:func:`rows_since`) straight through the driver into a fresh database
    made by ``server init``, the new rows split into ``transactions`` transactions; what was
    inserted and the seconds it took. Foreign keys are not checked: a case's events can come
    in an earlier slice than its row (the server checks them; the floor is the lower for it)."""
    root = Path(tempfile.mkdtemp(prefix="yy-floor-"))
    try:
        conn = fresh_sqlite(root / "d", foreign_keys=False)

        def insert(name: str, width: int, *, ignore: bool = False) -> str:
            return f"INSERT {'OR IGNORE ' if ignore else ''}INTO {name} VALUES ({','.join('?' * width)})"

        # Untimed: what the ingest found there (``server init``'s own rows are kept).
        conn.execute("BEGIN")
        for name, row in written[""]:
            conn.execute(insert(name, len(row), ignore=True), row)
        conn.execute("COMMIT")
        tables = [(name, rows) for name, rows in written.items() if name and rows]
        start = time.perf_counter()
        for k in range(transactions):
            conn.execute("BEGIN IMMEDIATE")
            for name, rows in tables:
                part = rows[k * len(rows) // transactions : (k + 1) * len(rows) // transactions]
                if part:
                    conn.executemany(insert(name, len(part[0])), part)
            conn.execute("COMMIT")
        elapsed = time.perf_counter() - start
        conn.close()
    finally:
        shutil.rmtree(root, ignore_errors=True)
    return ", ".join(f"{name} {len(rows):,}" for name, rows in tables), elapsed


def preload(data_dir: Path, n_events: int, n_offices: int) -> int:
    """Fill the initialised, not yet served ``data_dir``'s database with about ``n_events``
    approval events as the server stores them (see the module docstring); returns how many."""
    import orjson
    from sqlalchemy import func, select, text

    from server.alerts.models import Alert
    from server.batches.service import import_batch
    from server.cases.models import ApprovalCase, ApprovalEvent
    from server.changes.models import Change
    from server.db import table_of
    from server.offices.models import Office

    started = time.perf_counter()
    start = parse_instant("2025-03-03T08:00:00+08:00")
    ctx = open_context(data_dir, parse_instant(CLOCK))
    pg = ctx.db.is_postgres
    with ctx.db.writing() as s:
        for k in range(n_offices):
            code = "T01" if k == 0 else f"P{k:03d}"
            s.add(Office(code=code, name=code, kind="township", created_at=start, version=1))
    with ctx.db.reading() as s:
        office_ids = list(s.scalars(select(Office.id).order_by(Office.id)))
    template = sorted(bulk_events(min(TEMPLATE_CASES, max(1, n_events // 5)), start=start, seed=11),
                      key=lambda e: e["at"])
    for i in range(0, len(template), BATCH):
        chunk = template[i : i + BATCH]
        out = orjson.loads(import_batch(ctx, office_id=office_ids[0], batch_id=f"preload-{i}", records=chunk,
                                        complete_until=chunk[-1]["at"], dry_run=False))
        assert out["imported"] == len(chunk), out["errors"][:1]
    print(f"    template of {len(template):,} events imported, {time.perf_counter() - started:.0f} s", file=sys.stderr,
          flush=True)
    with ctx.db.reading() as s:
        cases = s.scalar(select(func.max(ApprovalCase.id)))
        held = s.scalar(select(func.count()).select_from(ApprovalEvent))
        last_alert = s.scalar(select(func.max(Alert.id))) or 0
        last_change = s.scalar(select(func.max(Change.seq))) or 0
    per_copy = held
    # A random UUID as text, like the ids the offices choose.
    new_id = "gen_random_uuid()::text" if pg else (
        "lower(hex(randomblob(4)) || '-' || hex(randomblob(2)) || '-' || hex(randomblob(2)) || '-' || "
        "hex(randomblob(2)) || '-' || hex(randomblob(6)))")

    def copy(model: Any, overrides: dict[str, str], where: str) -> str:
        table = table_of(model)
        names = [c.name for c in table.c if c.name not in overrides or overrides[c.name]]
        values = [overrides.get(n) or n for n in names]
        return f"INSERT INTO {table.name} ({', '.join(names)}) SELECT {', '.join(values)} FROM {table.name} " \
               f"WHERE {where}"

    statements = [
        copy(ApprovalCase, {"id": "id + :shift", "office_id": ":office", "case_no": "case_no || :suffix",
                            "applicant_key": "applicant_key || :suffix"}, "id <= :cases"),
        copy(ApprovalEvent, {"id": new_id, "case_id": "case_id + :shift"}, "case_id <= :cases"),
        # Alert ids and change sequence numbers come from the tables' own counters.
        copy(Alert, {"id": "", "office_id": ":office", "subject_ref": "subject_ref || :suffix",
                     "subject_id": "CAST(CAST(subject_id AS INTEGER) + :shift AS VARCHAR(64))"},
             "subject_type = 'case' AND id <= :last_alert"),
        copy(Change, {"seq": ""}, "seq <= :last_change"),
    ]
    copies = max(0, n_events // per_copy - 1)
    for k in range(1, copies + 1):
        with ctx.db.writing() as s:
            if not pg:
                # Only this seeding connection: a cache large enough that the copies do not
                # re-read the growing indexes from the file at every random key.
                s.execute(text("PRAGMA cache_size=-1000000"))
            params = {"shift": k * cases, "office": office_ids[k % len(office_ids)], "suffix": f"-{k}",
                      "cases": cases, "last_alert": last_alert, "last_change": last_change}
            for statement in statements:
                s.execute(text(statement), params)
        held += per_copy
        if k % 10 == 0:
            print(f"    {held:,} events stored, {time.perf_counter() - started:.0f} s", file=sys.stderr, flush=True)
    with ctx.db.writing() as s:
        if pg:
            s.execute(text("SELECT setval(pg_get_serial_sequence('approval_cases', 'id'), :n)"),
                      {"n": (copies + 1) * cases})
    if pg:
        # A database that has grown over months has been analysed by autovacuum long since.
        with ctx.db.writer.connect() as conn:
            conn.execution_options(isolation_level="AUTOCOMMIT").execute(text("VACUUM ANALYZE"))
    # The preload's log is written back before the timed run, so that it does not pay for the
    # seeding's checkpoint (stop 24's PostgreSQL pair may have).
    if pg:
        with ctx.db.writer.connect() as conn:
            conn.execution_options(isolation_level="AUTOCOMMIT").execute(text("CHECKPOINT"))
    ctx.db.dispose()
    if not pg:
        # On a connection of its own once the context's are closed: through the context's
        # engine SQLite answered "database table is locked".
        with sqlite3.connect(ctx.db.writer.url.database) as raw:
            busy, _, _ = raw.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
            assert busy == 0, "the seeded database's log could not be written back"
    return held


if __name__ == "__main__":
    sys.exit(main())
