"""Change-feed long-poll wake-up latency: how soon a waiting console hears of a batch.

A reader long-polls ``GET /changes?wait=30``; a writer posts a one-record batch. The latency
is from just before the writer sends the batch to the moment the reader's poll returns
with it. With ``--postgres`` the reader and writer talk to two server processes sharing
one PostgreSQL database (the wake-up crosses processes through LISTEN/NOTIFY).

    .venv/bin/python bench/longpoll.py --rounds 200
    .venv/bin/python bench/longpoll.py --rounds 200 --postgres
"""

from __future__ import annotations

import argparse
import statistics
import sys
import threading
import time
import uuid
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import Client, setup, start_server
from tests.harness import ServerProcess, event


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=200)
    ap.add_argument("--postgres", action="store_true")
    args = ap.parse_args()
    pg_db = None
    db_url = None
    if args.postgres:
        import psycopg

        pg_db = f"yybench_{uuid.uuid4().hex[:10]}"
        with psycopg.connect("postgresql://postgres@127.0.0.1:5432/test", autocommit=True) as c:
            c.execute(f"CREATE DATABASE {pg_db}")
        db_url = f"postgresql+psycopg://postgres@127.0.0.1:5432/{pg_db}"
    writer_srv = start_server(db_url, clock="2026-03-02T12:00:00+08:00")
    reader_srv = writer_srv
    if args.postgres:
        reader_srv = ServerProcess(writer_srv.data_dir, simulated_clock="2026-03-02T12:00:00+08:00")
        reader_srv.start()
    latencies: list[float] = []
    try:
        tokens = setup(writer_srv, ["T01"])
        writer = Client(writer_srv, tokens["T01"])
        reader = Client(reader_srv, reader_srv.admin_token)
        status, page = reader.call("GET", "/changes?limit=5000")
        cursor = page["cursor"]
        while page["more"]:
            status, page = reader.call("GET", f"/changes?since={cursor}&limit=5000")
            cursor = page["cursor"]
        for n in range(args.rounds):
            result: dict[str, Any] = {}

            def poll(since: str = cursor, result: dict[str, Any] = result) -> None:
                _, p = reader.call("GET", f"/changes?since={since}&wait=30&limit=5000")
                result["t"] = time.perf_counter()
                result["cursor"] = p["cursor"]

            t = threading.Thread(target=poll)
            t.start()
            time.sleep(0.05)  # let the poll reach the server and wait; not part of the measurement
            sent = time.perf_counter()
            rec = event(f"L{n}", "received", "2026-03-02T09:00:00+08:00")
            status, _ = writer.call("POST", "/batches", {"batch_id": str(uuid.uuid4()), "office": "T01",
                                                        "complete_until": "2026-03-02T12:00:00+08:00",
                                                        "records": [rec]})
            assert status == 200
            t.join(35)
            latencies.append(result["t"] - sent)
            cursor = result["cursor"]
    finally:
        if reader_srv is not writer_srv:
            reader_srv.stop()
        writer_srv.stop()
        if pg_db:
            import psycopg

            with psycopg.connect("postgresql://postgres@127.0.0.1:5432/test", autocommit=True) as c:
                c.execute(f"DROP DATABASE IF EXISTS {pg_db} WITH (FORCE)")
    latencies.sort()
    p50 = statistics.median(latencies)
    p99 = latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))]
    mode = "two processes on PostgreSQL" if args.postgres else "one process on SQLite"
    print(f"long-poll wake-up, {mode}, {len(latencies)} rounds (batch post → poll returns, includes the batch's "
          f"own import): p50 {p50 * 1000:.0f} ms, p99 {p99 * 1000:.0f} ms, max {latencies[-1] * 1000:.0f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
