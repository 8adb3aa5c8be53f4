"""How long another office's heartbeat (and a sign-in) waits while a batch of petitions imports.

Issue 11 #5: Argon2id hashing of query passwords ran inside the write transaction, so a batch of
240 petitions held every other writer back for 30 s. Now the passwords are hashed before the
write lock. This posts one batch of ``--petitions`` valid petitions (each with a query password)
from office T01 and, for as long as it is in flight, sends heartbeats (empty batches) from T02
one after another, and signs a user in now and then. Baseline: the same heartbeats and sign-ins
with nothing else running, in the same run.

    .venv/bin/python bench/petition_lock.py --petitions 1000
    .venv/bin/python bench/petition_lock.py --petitions 1000 --postgres
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import threading
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import Client, setup, start_server
from tests.harness import ServerProcess
from tests.server.support import petition


def timed(client: Client, method: str, path: str, body: object) -> float:
    started = time.perf_counter()
    status, answer = client.call(method, path, body)
    assert status == 200, answer
    return time.perf_counter() - started


def heartbeat(client: Client) -> float:
    return timed(client, "POST", "/batches", {"batch_id": str(uuid.uuid4()), "office": "T02", "records": []})


def sign_in(server: ServerProcess) -> float:
    # A new connection each time, as a console signing in has (an idle kept-alive one may be closed).
    return timed(Client(server, ""), "POST", "/auth/token", {"username": "bench-op", "password": "bench password 1"})


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--petitions", type=int, default=1000)
    ap.add_argument("--baseline", type=int, default=20, help="heartbeats measured with nothing else running")
    ap.add_argument("--postgres", action="store_true")
    args = ap.parse_args()
    db_url = pg_db = None
    if args.postgres:
        import psycopg

        pg_db = f"yybench_{uuid.uuid4().hex[:10]}"
        with psycopg.connect("postgresql://postgres@127.0.0.1:5432/test", autocommit=True) as c:
            c.execute(f"CREATE DATABASE {pg_db}")
        db_url = f"postgresql+psycopg://postgres@127.0.0.1:5432/{pg_db}"
    load = os.getloadavg()[0]
    server = start_server(db_url, clock="2026-03-02T12:00:00+08:00")
    try:
        tokens = setup(server, ["T01", "T02"])
        admin = Client(server, server.admin_token)
        status, _ = admin.call("POST", "/users", {"username": "bench-op", "password": "bench password 1",
                                                 "role": "operator"})
        assert status == 201
        beats_client = Client(server, tokens["T02"])
        base_beats = [heartbeat(beats_client) for _ in range(args.baseline)]
        base_logins = [sign_in(server) for _ in range(3)]

        records = [petition(receipt_code=f"{7_100_000_000_000_000 + i:016d}", password=f"pw-{i:06d}",
                            name=f"信访人{i}", id_number=f"ID{i:08d}") for i in range(args.petitions)]
        done = threading.Event()
        result: dict[str, float] = {}

        def post() -> None:
            client = Client(server, tokens["T01"])
            started = time.perf_counter()
            status, summary = client.call("POST", "/batches", {"batch_id": str(uuid.uuid4()), "office": "T01",
                                                               "records": records})
            result["seconds"] = time.perf_counter() - started
            result["imported"] = summary["imported"] if status == 200 else -status
            done.set()

        thread = threading.Thread(target=post)
        thread.start()
        beats: list[float] = []
        logins: list[float] = []
        while not done.is_set():
            beats.append(heartbeat(beats_client))
            if len(beats) % 20 == 0:
                logins.append(sign_in(server))
        thread.join()
    finally:
        server.stop()
        if pg_db:
            import psycopg

            with psycopg.connect("postgresql://postgres@127.0.0.1:5432/test", autocommit=True) as c:
                c.execute(f"DROP DATABASE IF EXISTS {pg_db} WITH (FORCE)")
    backend = "PostgreSQL" if args.postgres else "SQLite"
    assert result["imported"] == args.petitions, result
    print(f"{backend}, load {load:.1f}: batch of {args.petitions} petitions imported in {result['seconds']:.1f} s")
    slow = sorted(beats)[int(len(beats) * 0.99)] if beats else 0.0
    print(f"  heartbeats during it: {len(beats)}, median {statistics.median(beats) * 1000:.0f} ms, "
          f"99th percentile {slow * 1000:.0f} ms, worst {max(beats) * 1000:.0f} ms, "
          f"over 0.5 s: {sum(b > 0.5 for b in beats)}")
    print(f"  heartbeats alone:     {len(base_beats)}, median {statistics.median(base_beats) * 1000:.0f} ms, "
          f"worst {max(base_beats) * 1000:.0f} ms")
    print(f"  worst heartbeat / median alone: {max(beats) / statistics.median(base_beats):.1f}")
    if logins:
        print(f"  sign-ins during it: {len(logins)}, worst {max(logins) * 1000:.0f} ms "
              f"(alone: median {statistics.median(base_logins) * 1000:.0f} ms)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
