"""A province's day on one server (issue 17, done-when 5): Shandong's 1,516 township centres
each post one day's approval records, in batches of about 300, through 8 concurrent clients
to one server over HTTPS.

Each township is a ``TownshipSimulator`` (``server.demo_data``, what ``yingyan demo`` runs)
over the demo's catalogue of 2,893 powers: cases arrive in office hours, are accepted, pass
their nodes, some are charged a fee, suspended for a missing paper, decided and rated; a few
break a rule (late, a skipped node, an excess fee, one clerk on separated duties, a refusal
without reason) or repeat an applicant (a duplicate case). So that the measured day holds
what a day holds (the nodes and decisions of cases received on earlier days as well as new
cases), the townships first post the previous day (``--warm-days``), untimed apart from a
line of its own. Each township's records are posted in time order; every batch but its last
declares the period up to its last record complete, the last one the end of the day. The
server's simulated clock stands at the end of the measured day.

The 8 clients share a queue of townships; each takes a township and posts its batches one
after another on its own keep-alive connection, as one agent would. A 503 or 429 is retried
after a second (an agent retries too) and counted; any other failure, and any
record the server rejects, is an error. Printed: wall time, records a second, each batch's
latency (p50 / p99 / max, including any wait for the server's write lock), alerts raised.

    .venv/bin/python bench/province_day.py --postgres
    .venv/bin/python bench/province_day.py --postgres --townships 20    # a smoke run
    .venv/bin/python bench/province_day.py --postgres --workers 2       # two server processes
    .venv/bin/python bench/province_day.py                              # SQLite, for comparison
"""

from __future__ import annotations

import argparse
import queue
import statistics
import sys
import threading
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import Client, percentile, postgres_database, setup, start_server
from server.demo_data import TownshipSimulator, demo_catalogue
from shared.timeutil import DAY, HOUR, format_instant, parse_instant
from tests.harness import ServerProcess

#: the measured day (a Tuesday); its warm-up days are the days before it
DAY_START = parse_instant("2026-03-03T00:00:00+08:00")
#: the end of the measured day: the last batch's ``complete_until`` and the server's clock
#: (after the centres close at 18:00; before midnight, whose clock rules are the sweep's bench)
DAY_END = DAY_START + 20 * HOUR


@dataclass
class Township:
    code: str
    token: str
    #: each day's batches: (records, complete_until)
    days: list[list[tuple[list[dict[str, Any]], str]]] = field(default_factory=list)


@dataclass
class Tally:
    """What the clients saw while posting one day (appended to under a lock)."""

    latencies_ms: list[float] = field(default_factory=list)
    records: int = 0
    alerts: int = 0
    retries: int = 0
    errors: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)


def batches(records: list[dict[str, Any]], size: int, day_end: int) -> list[tuple[list[dict[str, Any]], str]]:
    """A day's records cut into batches of ``size``; each but the last declares the period up
    to its last record complete, the last one the whole day."""
    if not records:
        return [([], format_instant(day_end))]  # a quiet day still sends its heartbeat
    out = []
    for i in range(0, len(records), size):
        chunk = records[i : i + size]
        last = i + size >= len(records)
        out.append((chunk, format_instant(day_end) if last else chunk[-1]["at"]))
    return out


def post_day(server: ServerProcess, townships: list[Township], day: int, clients: int) -> tuple[Tally, float]:
    """Every township's batches of ``day`` through ``clients`` concurrent clients; the tally
    and the wall time."""
    work: queue.SimpleQueue[Township] = queue.SimpleQueue()
    for t in townships:
        work.put(t)
    tally = Tally()

    def client() -> None:
        conn = Client(server, "")
        while True:
            try:
                township = work.get_nowait()
            except queue.Empty:
                return
            conn.token = township.token
            for records, complete_until in township.days[day]:
                body = {"batch_id": str(uuid.uuid4()), "office": township.code, "complete_until": complete_until,
                        "records": records}
                t = time.perf_counter()
                retries = 0
                while True:
                    try:
                        status, summary = conn.call("POST", "/batches", body)
                    except Exception as exc:
                        status, summary = -1, repr(exc)
                        conn = Client(server, township.token)
                    if status in (429, 503) and retries < 10:
                        retries += 1
                        time.sleep(1.0)  # the server's Retry-After is 5 s; an agent may try sooner
                        continue
                    break
                elapsed = (time.perf_counter() - t) * 1000
                with tally.lock:
                    tally.latencies_ms.append(elapsed)
                    tally.retries += retries
                    if status != 200:
                        tally.errors.append(f"{township.code}: HTTP {status} {summary}"[:300])
                        continue
                    tally.records += summary["imported"] + summary["duplicates"]
                    tally.alerts += summary["alerts_raised"]
                    if summary["rejected"] or summary["imported"] != len(records):
                        tally.errors.append(f"{township.code}: {summary['errors'][:2]}"[:300])

    threads = [threading.Thread(target=client, name=f"client-{k}") for k in range(clients)]
    start = time.perf_counter()
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    return tally, time.perf_counter() - start


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--townships", type=int, default=1516, help="township centres (Shandong: 1,516)")
    ap.add_argument("--batch-events", type=int, default=300, help="records per batch at most")
    ap.add_argument("--clients", type=int, default=8, help="concurrent client threads")
    ap.add_argument("--cases-per-hour", type=float, default=12.0,
                    help="new cases a township receives per office hour (12: about 80 a day; with one warm-up "
                         "day the measured day holds ~300 records a township)")
    ap.add_argument("--warm-days", type=int, default=1, help="days posted before the measured one")
    ap.add_argument("--postgres", action="store_true")
    ap.add_argument("--workers", type=int, default=1,
                    help="server processes (``yingyan server run --workers``; PostgreSQL only)")
    args = ap.parse_args()
    if args.workers > 1 and not args.postgres:
        ap.error("--workers needs --postgres: on SQLite one process writes at a time")
    if args.postgres:
        with postgres_database("prov_day") as url:
            return run(args, url)
    return run(args, None)


def run(args: argparse.Namespace, db_url: str | None) -> int:
    catalogue = demo_catalogue()
    codes = [f"T{n:04d}" for n in range(1, args.townships + 1)]
    t = time.perf_counter()
    days = args.warm_days + 1
    first = DAY_START - args.warm_days * DAY
    sims = [TownshipSimulator(code, catalogue, seed=n, cases_per_hour=args.cases_per_hour)
            for n, code in enumerate(codes)]
    plans: list[list[list[tuple[list[dict[str, Any]], str]]]] = []
    for sim in sims:
        plan = []
        for d in range(days):
            # Each day runs to its evening (the measured day to the clock's instant).
            since = first + d * DAY - 4 * HOUR if d else first
            until = first + d * DAY + 20 * HOUR
            plan.append(batches(sim.records_between(since, until), args.batch_events, until))
        plans.append(plan)
    mix = Counter(r.get("type", r["kind"]) for plan in plans for records, _ in plan[-1] for r in records)
    print(f"generated {args.townships:,} townships' {days} day(s) in {time.perf_counter() - t:.1f} s; "
          f"the measured day: {sum(mix.values()):,} records in {sum(len(p[-1]) for p in plans):,} batches: "
          + ", ".join(f"{k} {v:,}" for k, v in mix.most_common()), flush=True)
    server = start_server(db_url, clock=format_instant(DAY_END),
                          extra=["--workers", str(args.workers)] if args.workers > 1 else None)
    try:
        t = time.perf_counter()
        tokens = setup(server, codes, catalogue)
        print(f"catalogue of {len(catalogue):,} powers and {len(codes):,} offices registered in "
              f"{time.perf_counter() - t:.1f} s", flush=True)
        townships = [Township(code, tokens[code], plan) for code, plan in zip(codes, plans, strict=True)]
        for d in range(days):
            load = Path("/proc/loadavg").read_text().split()[0]
            began = time.time()
            tally, wall = post_day(server, townships, d, args.clients)
            label = "measured day" if d == days - 1 else f"warm-up day {d + 1}"
            report(label, tally, wall, load)
            report_sweeps(server, began)
    finally:
        server.stop()
    tracebacks = server.log_path.read_text(errors="replace").count("Traceback") if server.log_path else 0
    print(f"tracebacks in the server's log ({server.log_path}): {tracebacks}")
    return 0 if not tally.errors else 1


def report_sweeps(server: ServerProcess, since: float) -> None:
    """The server's periodic sweeps since ``since`` (its ``sweep_runs``): each holds the
    commit-order lock that every batch takes, so their time is time no batch commits."""
    from sqlalchemy import create_engine, text

    from server.context import Settings

    engine = create_engine(Settings.from_data_dir(server.data_dir).db_url)
    with engine.connect() as conn:
        runs = [r for (r,) in conn.execute(text("SELECT seconds FROM sweep_runs WHERE started >= :t"), {"t": since})]
    engine.dispose()
    if runs:
        print(f"  the server's periodic sweeps meanwhile: {len(runs)}, {sum(runs):.0f} s in all, "
              f"mean {statistics.mean(runs):.1f} s, max {max(runs):.1f} s", flush=True)


def report(label: str, tally: Tally, wall: float, load: str) -> None:
    lat = tally.latencies_ms
    print(f"{label} (load {load} at start): {tally.records:,} records in {len(lat):,} batches, "
          f"{wall:.1f} s wall = {tally.records / wall:,.0f} records/s; "
          f"batch latency p50 {statistics.median(lat):.0f} ms, p99 {percentile(lat, 0.99):.0f} ms, "
          f"max {max(lat):.0f} ms; alerts raised {tally.alerts:,}; retried (503/429) {tally.retries}; "
          f"errors {len(tally.errors)}", flush=True)
    for e in tally.errors[:5]:
        print("  error:", e)


if __name__ == "__main__":
    sys.exit(main())
