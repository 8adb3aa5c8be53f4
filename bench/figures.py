"""The month's risk index, evaluation and statistics at a county of Renqiu's scale.

513,000 approvals a year is about 43,000 cases and 260,000 events a month; 60 offices and 600
staff. The database is seeded directly (Core executemany / COPY) with March 2026 — every case
received, accepted, through two nodes, decided and delivered, 2 % suspended for a supplement,
3 % with an alert (a tenth of them dismissed, some after an escalation), a rating for one case
in ten, 60 cards and 40 notices — plus a February of the same shape for the "month before".
A real server (its clock in April, so March is closed) then answers, over one keep-alive
HTTPS connection:

* the first read of each figure for March (cold: computed from the records and stored), in the
  order a leader's overview asks for them;
* the same read again (cached), 50 times;
* ``GET /health`` in the same run, the baseline of what any request costs.

    .venv/bin/python bench/figures.py
    .venv/bin/python bench/figures.py --postgres
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import Client
from server.alerts.models import Alert, AlertAction
from server.cards.models import Card
from server.cases.models import ApprovalCase, ApprovalEvent, Evaluation
from server.context import Context, Settings
from server.db import bulk_insert, table_of
from server.notices.models import Notice
from server.offices.models import Office
from shared.timeutil import DAY, HOUR, MINUTE, parse_instant
from tests.harness import CATALOGUE, ServerProcess

OFFICES = 60
STAFF = [f"S{i:04d}" for i in range(600)]
RATINGS = ("satisfied", "satisfied", "satisfied", "basically_satisfied", "dissatisfied", "very_poor")


def seed_month(ctx: Context, month_start: int, n_cases: int, office_ids: list[int], rng: random.Random,
               first_case: int) -> None:
    powers = [str(item["code"]) for item in CATALOGUE]
    chunk = 5_000
    case_id = first_case
    alert_rows_total = 0
    for start in range(0, n_cases, chunk):
        cases, events, ratings, alerts = [], [], [], []
        for _ in range(min(chunk, n_cases - start)):
            case_id += 1
            office = rng.choice(office_ids)
            power = rng.choice(powers)
            # Working hours of the month: a case arrives on one of 21 working days.
            at = month_start + rng.randrange(28) * DAY + 9 * HOUR + rng.randrange(8 * 60) * MINUTE
            closed = at + rng.randrange(1, 5) * DAY
            due = at + 5 * DAY
            no = f"{case_id:08d}"
            cases.append({"id": case_id, "office_id": office, "case_no": no, "power_code": power,
                          "applicant_key": f"k{case_id}", "received_at": at, "state": "decided_approved",
                          "due": due, "closed_at": closed, "used_hours": rng.randrange(1, 72) * 1.0,
                          "ratings": None, "next_check": None, "version": 3})
            actor = rng.choice(STAFF)
            steps = [("received", at, None), ("accepted", at + MINUTE, None), ("node_completed", at + HOUR, "n1"),
                     ("node_completed", at + 2 * HOUR, "n2"), ("decided", closed, None),
                     ("delivered", closed + HOUR, None)]
            if rng.random() < 0.02:
                steps.insert(2, ("suspended", at + 30 * MINUTE, None))
            for seq, (typ, t, node) in enumerate(steps, 1):
                data = {"reason_code": "supplement"} if typ == "suspended" else {}
                events.append({"id": str(uuid.UUID(int=rng.getrandbits(128), version=4)), "case_id": case_id,
                               "seq": seq, "type": typ, "at": t, "actor": actor, "node": node, "data": data,
                               "digest": "0" * 64, "backdated": False, "batch_id": "bench", "arrived_at": t})
            if rng.random() < 0.10:
                ratings.append({"id": str(uuid.UUID(int=rng.getrandbits(128), version=4)), "office_id": office,
                                "case_no": no, "rating": rng.choice(RATINGS), "at": closed + DAY, "comment": None,
                                "channel": None, "digest": "0" * 64, "batch_id": "bench"})
            if rng.random() < 0.03:
                alert_rows_total += 1
                red = rng.random() < 0.4
                status = "dismissed" if rng.random() < 0.1 else "open"
                alerts.append({"subject_type": "case", "subject_id": str(case_id), "subject_ref": no,
                               "office_id": office, "rule": "FEE_EXCESS" if red else "NODE_OVERDUE",
                               "node": "" if red else "n1", "severity": "red" if red else "yellow",
                               "status": status, "condition_cleared": False, "raised_at": closed,
                               "as_of": closed, "updated_at": closed, "message": "bench", "message_en": "bench",
                               "evidence": {"events": [{"actor": actor, "type": "fee_charged"}]}, "assignee": None,
                               "resolution": None, "version": 1, "links": None})
        with ctx.db.writing() as s:
            for model, rows in ((ApprovalCase, cases), (ApprovalEvent, events), (Evaluation, ratings),
                                (Alert, alerts)):
                if rows:
                    bulk_insert(s, table_of(model), rows)
    with ctx.db.writing() as s:
        from sqlalchemy import select

        dismissed = list(s.scalars(select(Alert.id).where(Alert.status == "dismissed")))
        bulk_insert(s, table_of(AlertAction), [
            {"alert_id": a, "action": "escalate", "actor": "op", "at": month_start, "data": {}}
            for a in dismissed[::2]])
        bulk_insert(s, table_of(Card), [
            {"id": str(uuid.UUID(int=rng.getrandbits(128), version=4)), "kind": rng.choice(("yellow", "red")),
             "office_id": rng.choice(office_ids), "staff": rng.choice(STAFF), "reason": "bench", "alerts": [],
             "issued_by": "op", "issued_at": month_start + rng.randrange(27) * DAY, "status": "active",
             "revoked_by": None, "revoke_reason": None, "version": 1} for _ in range(60)])
        bulk_insert(s, table_of(Notice), [
            {"id": str(uuid.UUID(int=rng.getrandbits(128), version=4)), "office_id": rng.choice(office_ids),
             "subject": "bench", "body": "", "alerts": [], "issued_by": "op", "issued_at": month_start + d * DAY,
             "reply_days": 5, "reply_due": month_start + (d + 7) * DAY, "status": "awaiting", "replied_at": None,
             "reply": None, "replied_by": None, "reply_at_centre": False, "next_check": None, "version": 1}
            for d in (rng.randrange(20) for _ in range(40))])
    if ctx.db.is_postgres:
        with ctx.db.writing() as s:
            from sqlalchemy import text

            s.execute(text("SELECT setval(pg_get_serial_sequence('approval_cases', 'id'), "
                           "(SELECT max(id) FROM approval_cases))"))
            s.execute(text("SELECT setval(pg_get_serial_sequence('alerts', 'id'), (SELECT max(id) FROM alerts))"))
            s.execute(text("ANALYZE"))


def timed(client: Client, path: str, n: int) -> list[float]:
    out = []
    for _ in range(n):
        t0 = time.perf_counter()
        status, _ = client.call("GET", path)
        out.append((time.perf_counter() - t0) * 1000)
        assert status == 200, (path, status)
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--cases", type=int, default=43_000, help="cases in the month (and in the month before)")
    ap.add_argument("--requests", type=int, default=50)
    ap.add_argument("--postgres", action="store_true")
    args = ap.parse_args()
    load = os.getloadavg()[0]
    root = Path(tempfile.mkdtemp(prefix="yy-bench-fig-"))
    db_url = pg_db = None
    if args.postgres:
        pg_db = f"yybench_{uuid.uuid4().hex[:10]}"
        subprocess.run(["psql", "postgresql://postgres@127.0.0.1:5432/postgres", "-qc", f"CREATE DATABASE {pg_db}"],
                       check=True)
        db_url = f"postgresql+psycopg://postgres@127.0.0.1:5432/{pg_db}"
    server = ServerProcess(root / "data", simulated_clock="2026-01-15T08:00:00+08:00")
    try:
        server.init(db_url)
        server.start()
        admin = Client(server, server.admin_token)
        assert admin.call("PUT", "/catalogue", {"items": CATALOGUE})[0] == 200
        for i in range(OFFICES):
            status, body = admin.call("POST", "/offices", {"code": f"T{i:02d}", "name": f"第{i}镇便民服务中心",
                                                           "kind": "township"})
            assert status == 201, body
        assert admin.call("PUT", "/admin/clock", {"now": "2026-04-02T09:00:00+08:00"})[0] == 200
        ctx = Context(Settings.from_data_dir(server.data_dir))
        with ctx.db.reading() as s:
            from sqlalchemy import select

            office_ids = list(s.scalars(select(Office.id).where(Office.kind == "township")))
        rng = random.Random(14)
        t0 = time.perf_counter()
        seed_month(ctx, parse_instant("2026-02-01T00:00:00+08:00"), args.cases, office_ids, rng, 0)
        seed_month(ctx, parse_instant("2026-03-01T00:00:00+08:00"), args.cases, office_ids, rng, args.cases)
        seeded = time.perf_counter() - t0
        with ctx.db.reading() as s:
            from sqlalchemy import func

            n_cases = s.scalar(select(func.count()).select_from(ApprovalCase))
            n_events = s.scalar(select(func.count()).select_from(ApprovalEvent))
            n_alerts = s.scalar(select(func.count()).select_from(Alert))
        ctx.db.dispose()
        leader = Client(server, server.admin_token)
        leader.call("GET", "/health")
        rows: list[tuple[str, float, float, float]] = []
        health = statistics.median(timed(leader, "/health", args.requests))
        # In the order a leader's overview asks: the statistics count March (cold); the evaluation
        # then counts February as its month before and reuses March's counts; by department
        # counts both months again (its units differ); the risk index reads its own records.
        for path in ("/statistics?month=2026-03&by=office", "/evaluation?month=2026-03&by=office",
                     "/evaluation?month=2026-03&by=department", "/risk-index?month=2026-03&by=office",
                     "/risk-index?month=2026-03&by=staff"):
            cold = timed(leader, path, 1)[0]
            cached = timed(leader, path, args.requests)
            rows.append((path, cold, statistics.median(cached), sorted(cached)[int(0.99 * (len(cached) - 1))]))
        backend = "PostgreSQL" if args.postgres else "SQLite"
        print(f"{backend}: {n_cases:,} cases, {n_events:,} events, {n_alerts:,} alerts over two months, "
              f"{OFFICES} offices, {len(STAFF)} staff (seeded in {seeded:.0f} s); load average {load:.1f} at start")
        print(f"GET /health (baseline) p50 {health:.1f} ms")
        print("| request (March 2026, closed) | cold | cached p50 | cached p99 | cached p50 / health p50 |")
        print("|---|---|---|---|---|")
        for path, cold, p50, p99 in rows:
            print(f"| `{path}` | {cold / 1000:.2f} s | {p50:.1f} ms | {p99:.1f} ms | {p50 / health:.1f} |")
    finally:
        server.stop()
        if pg_db:
            subprocess.run(["psql", "postgresql://postgres@127.0.0.1:5432/postgres", "-qc",
                            f"DROP DATABASE IF EXISTS {pg_db} WITH (FORCE)"], check=False)
        subprocess.run(["rm", "-rf", str(root)], check=False)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
