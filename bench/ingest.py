"""End-to-end ingest over HTTPS (batches of 5,000 approval events, rules evaluated) beside the
raw insert rate of the same rows into the same database in the same run.

    .venv/bin/python bench/ingest.py --events 100000
    .venv/bin/python bench/ingest.py --events 100000 --postgres
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import Client, setup, start_server
from server.demo_data import bulk_events
from shared.timeutil import parse_instant

BATCH = 5000


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


def raw_postgres(rows: list[tuple], url: str) -> float:
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("DROP TABLE IF EXISTS approval_events")
        conn.execute(DDL)
        conn.execute("CREATE INDEX ix_case ON approval_events (case_id)")
        start = time.perf_counter()
        with conn.cursor() as cur:
            for i in range(0, len(rows), BATCH):
                with conn.transaction():
                    cur.executemany(INSERT.replace("?", "%s"), rows[i : i + BATCH])
        elapsed = time.perf_counter() - start
        conn.execute("DROP TABLE approval_events")
    return elapsed


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--events", type=int, default=100_000)
    ap.add_argument("--postgres", action="store_true")
    args = ap.parse_args()
    n_cases = args.events // 5
    # An ordinary day's sync: records in time order, each batch declaring the period up to its last
    # record complete (so nothing is back-dated and the rules judge the cases as of that instant).
    events = sorted(bulk_events(n_cases, start=parse_instant("2026-03-02T08:00:00+08:00")), key=lambda e: e["at"])
    db_url = None
    pg_db = None
    if args.postgres:
        import psycopg

        pg_db = f"yybench_{uuid.uuid4().hex[:10]}"
        with psycopg.connect("postgresql://postgres@127.0.0.1:5432/test", autocommit=True) as c:
            c.execute(f"CREATE DATABASE {pg_db}")
        db_url = f"postgresql+psycopg://postgres@127.0.0.1:5432/{pg_db}"
    server = start_server(db_url)
    try:
        tokens = setup(server, ["T01"])
        client = Client(server, tokens["T01"])
        start = time.perf_counter()
        alerts = 0
        for i in range(0, len(events), BATCH):
            chunk = events[i : i + BATCH]
            status, summary = client.call("POST", "/batches", {"batch_id": str(uuid.uuid4()), "office": "T01",
                                                              "complete_until": chunk[-1]["at"], "records": chunk})
            assert status == 200, summary
            assert summary["imported"] == len(chunk), summary
            alerts += summary["alerts_raised"]
        served = time.perf_counter() - start
    finally:
        server.stop()
    rows = raw_rows(events)
    if args.postgres:
        raw = raw_postgres(rows, f"postgresql://postgres@127.0.0.1:5432/{pg_db}")
    else:
        raw = raw_sqlite(rows)
    if pg_db:
        import psycopg

        with psycopg.connect("postgresql://postgres@127.0.0.1:5432/test", autocommit=True) as c:
            c.execute(f"DROP DATABASE IF EXISTS {pg_db} WITH (FORCE)")
    backend = "postgresql" if args.postgres else "sqlite"
    n = len(events)
    print(f"backend {backend}, {n} events in {n // BATCH} batches of {BATCH}, {n_cases} cases, "
          f"{alerts} alerts raised")
    print(f"  server ingest over HTTPS: {served:.2f} s = {n / served:,.0f} events/s")
    print(f"  raw executemany, same rows: {raw:.2f} s = {n / raw:,.0f} rows/s")
    print(f"  ratio server/raw: {raw / served:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
