"""The investigations list and a case file, over 100,000 cases with 1,000,000 timeline entries.

The database is seeded directly (Core executemany / COPY): 100,000 cases spread over the seven
stages, each with two of 200 investigators, a reviewer, an alert link, two pieces of evidence,
an opinion and ten timeline entries. A real server then answers, over one keep-alive HTTPS
connection per reader:

* ``GET /investigations`` (first page of 100, as the administrator; by stage; following the
  cursor; ``assigned=me`` as an investigator);
* ``GET /investigations/{id}`` (a random case file, as the administrator and as its investigator);

and ``GET /health`` in the same run, as the baseline of what any request costs.

    .venv/bin/python bench/investigations.py --cases 100000
    .venv/bin/python bench/investigations.py --cases 100000 --postgres
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
from server.context import Context, Settings
from server.db import bulk_insert, table_of
from server.investigations.models import (
    INVESTIGATOR,
    REVIEWER,
    Investigation,
    InvestigationEntry,
    InvestigationEvidence,
    InvestigationLink,
    InvestigationOpinion,
    InvestigationPerson,
)
from shared.actions.investigation import STAGES
from shared.timeutil import MINUTE, parse_instant
from tests.harness import ServerProcess
from tests.server.support import create_user

START = parse_instant("2026-03-02T08:00:00+08:00")
INVESTIGATORS = [f"inv{i:03d}" for i in range(200)]
ENTRIES_PER_CASE = 10


def seed(ctx: Context, n_cases: int) -> None:
    rng = random.Random(12)
    chunk = 5_000
    pk = 0
    entry_id = 0
    opinion_id = 0
    for start in range(0, n_cases, chunk):
        cases, people, links, evidence, opinions, entries = [], [], [], [], [], []
        for _ in range(min(chunk, n_cases - start)):
            pk += 1
            at = START + pk * MINUTE
            stage = rng.choice(STAGES)
            a, b = rng.sample(INVESTIGATORS, 2)
            reviewer = rng.choice(INVESTIGATORS)
            subject = {"name": f"某{pk % 997}", "unit": "某镇国土所", "title": None}
            cases.append({"pk": pk, "id": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
                          "title": f"案件 {pk}", "subject": subject,
                          "stage": stage, "status": "open", "version": 1 + STAGES.index(stage), "joint_review": True,
                          "created_by": "op", "created_at": at, "updated_at": at, "filing_approved_by": "lead"})
            people += [{"investigation_pk": pk, "relation": INVESTIGATOR, "username": a, "position": 0},
                       {"investigation_pk": pk, "relation": INVESTIGATOR, "username": b, "position": 1}]
            if reviewer not in (a, b):
                people.append({"investigation_pk": pk, "relation": REVIEWER, "username": reviewer, "position": 0})
            links.append({"investigation_pk": pk, "type": "alert", "ref": str(pk), "position": 0})
            for i, kind in enumerate(("preliminary_report", "other")):
                evidence.append({"investigation_pk": pk, "sha256": f"{pk:032x}{i:032x}", "filename": f"{kind}.pdf",
                                 "kind": kind, "size": 48_213, "attached_by": a, "attached_at": at,
                                 "supersedes": None, "position": i})
            opinion_id += 1
            opinions.append({"id": opinion_id, "investigation_pk": pk, "reviewer": reviewer, "opinion": "disagree",
                             "text": "证据不足，建议补充调查", "at": at})
            for n in range(ENTRIES_PER_CASE):
                entry_id += 1
                entries.append({"id": entry_id, "investigation_pk": pk, "at": at + n * MINUTE, "actor": a,
                                "action": "note", "data": {"text": f"第{n}次走访记录，已核实相关情况。"}})
        with ctx.db.writing() as s:
            for model, rows in ((Investigation, cases), (InvestigationPerson, people), (InvestigationLink, links),
                                (InvestigationEvidence, evidence), (InvestigationOpinion, opinions),
                                (InvestigationEntry, entries)):
                bulk_insert(s, table_of(model), rows)
    if ctx.db.is_postgres:
        with ctx.db.writing() as s:
            from sqlalchemy import text

            for table in ("investigations", "investigation_timeline", "investigation_opinions"):
                key = "pk" if table == "investigations" else "id"
                s.execute(text(f"SELECT setval(pg_get_serial_sequence('{table}', '{key}'), (SELECT max({key}) "
                               f"FROM {table}))"))
            s.execute(text("ANALYZE"))


def timed(server: ServerProcess, token: str, paths: list[str]) -> list[float]:
    """Milliseconds per request over a fresh keep-alive connection (its handshake not counted)."""
    client = Client(server, token)
    client.call("GET", "/health")
    out = []
    for path in paths:
        t0 = time.perf_counter()
        status, _ = client.call("GET", path)
        out.append((time.perf_counter() - t0) * 1000)
        assert status == 200, (path, status)
    return out


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--cases", type=int, default=100_000)
    ap.add_argument("--requests", type=int, default=300)
    ap.add_argument("--postgres", action="store_true")
    args = ap.parse_args()
    load = os.getloadavg()[0]
    root = Path(tempfile.mkdtemp(prefix="yy-bench-inv-"))
    db_url = None
    pg_db = None
    if args.postgres:
        pg_db = f"yybench_{uuid.uuid4().hex[:10]}"
        subprocess.run(["psql", "postgresql://postgres@127.0.0.1:5432/postgres", "-qc", f"CREATE DATABASE {pg_db}"],
                       check=True)
        db_url = f"postgresql+psycopg://postgres@127.0.0.1:5432/{pg_db}"
    server = ServerProcess(root / "data", simulated_clock="2026-12-31T00:00:00+08:00")
    try:
        server.init(db_url)
        ctx = Context(Settings.from_data_dir(server.data_dir))
        t0 = time.perf_counter()
        seed(ctx, args.cases)
        with ctx.db.reading() as s:
            from sqlalchemy import func, select

            n_cases = s.scalar(select(func.count()).select_from(Investigation))
            n_entries = s.scalar(select(func.count()).select_from(InvestigationEntry))
            ids = list(s.scalars(select(Investigation.id).order_by(func.random()).limit(args.requests)))
            mine = {i: list(s.execute(select(Investigation.id).join(
                InvestigationPerson, InvestigationPerson.investigation_pk == Investigation.pk).where(
                InvestigationPerson.username == "inv007", InvestigationPerson.relation == INVESTIGATOR)).scalars())
                for i in (0,)}[0]
        ctx.db.dispose()
        seeded = time.perf_counter() - t0
        server.start()
        admin_token = server.admin_token
        admin = Client(server, admin_token)
        inv = create_user(server, "investigator", username="inv007")
        # Follow the cursor from the first page, as a console scrolling down would.
        cursors: list[str] = []
        _, page = admin.call("GET", "/investigations?limit=100")
        while page["next"] and len(cursors) < args.requests:
            cursors.append(page["next"])
            _, page = admin.call("GET", f"/investigations?limit=100&cursor={page['next']}")
        rng = random.Random(3)
        runs: dict[str, list[float]] = {}
        for _round in range(2):  # the first round warms caches; the second is reported
            everyone, theirs = ["/investigations?limit=100"], ["/investigations?assigned=me&limit=100"]
            runs = {
                "GET /health (baseline)": timed(server, admin_token, ["/health"] * args.requests),
                "list, first page of 100 (admin)": timed(server, admin_token, everyone * args.requests),
                "list by stage, 100 (admin)": timed(server, admin_token, [
                    f"/investigations?limit=100&stage={rng.choice(STAGES)}" for _ in range(args.requests)]),
                "list, a page deep down the cursor (admin)": timed(server, admin_token, [
                    f"/investigations?limit=100&cursor={c}" for c in rng.choices(cursors, k=args.requests)]),
                "list assigned=me, 100 (investigator)": timed(server, inv, theirs * args.requests),
                "case file (admin)": timed(server, admin_token, [f"/investigations/{i}" for i in ids]),
                "case file (its investigator)": timed(server, inv, [
                    f"/investigations/{i}" for i in rng.choices(mine, k=args.requests)]),
            }
        backend = "PostgreSQL" if args.postgres else "SQLite"
        print(f"{backend}: {n_cases:,} investigations, {n_entries:,} timeline entries (seeded in {seeded:.0f} s); "
              f"load average {load:.1f} at start; {args.requests} requests each")
        base = statistics.median(runs["GET /health (baseline)"])
        print("| request | p50 | p99 | p50 / health p50 |")
        print("|---|---|---|---|")
        for name, values in runs.items():
            print(f"| {name} | {pct(values, 50):.1f} ms | {pct(values, 99):.1f} ms | {pct(values, 50) / base:.1f} |")
    finally:
        server.stop()
        if pg_db:
            subprocess.run(["psql", "postgresql://postgres@127.0.0.1:5432/postgres", "-qc",
                            f"DROP DATABASE IF EXISTS {pg_db} WITH (FORCE)"], check=False)
        subprocess.run(["rm", "-rf", str(root)], check=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
