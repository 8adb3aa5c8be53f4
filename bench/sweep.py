"""A sweep of the clock rules over 1,000,000 open cases, and a township's batch during it.

The database is seeded directly (Core executemany) with open, accepted cases spread over
100 offices, each case's ``next_check`` being its real next clock instant. The sweep is
then timed as the simulated clock advances by an hour (a routine sweep) and by a day (the
midnight sweep). During the midnight sweep a township posts one-record batches, one every
50 ms (in this process, on another thread and connection, as the server's request threads
do beside its sweep thread); each batch's answer time is recorded. Baseline: the same
batches with no sweep running, in the same run. On SQLite, a second baseline: the midnight
sweep's own writes (the alerts it raised, the change-log rows it wrote, its cases' updated
rows) replayed straight through the driver into a fresh database of the same schema, in as
many transactions: the floor under any sweep that writes what this one writes.

By default about 42 % of the cases pass a clock instant at the midnight (acceptances uniform
over a week, nobody acting on any case: a stress, bounded by its own writes). ``--due-share``
sets that share; the seeds give a province's usual midnight: Renqiu sent 2,388 efficiency
warnings over 500,000 items in a year (seeds/000), far under 1 % of the open cases a night.

    .venv/bin/python bench/sweep.py --cases 1000000
    .venv/bin/python bench/sweep.py --cases 1000000 --postgres
    .venv/bin/python bench/sweep.py --cases 1000000 --due-share 0.01
    .venv/bin/python bench/sweep.py --cases 1000000 --floor-variants
"""

from __future__ import annotations

import argparse
import random
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import text

from bench.common import fresh_sqlite, percentile, postgres_database
from server.batches.service import import_batch
from server.cases.models import ApprovalCase, ApprovalEvent
from server.catalogue.models import PowerItemVersion
from server.context import Context, Settings, bump_meta
from server.db import table_of
from server.evaluation import CASE_COLUMNS, SWEEP_CHUNK, SWEEP_HOLD, sweep
from server.offices.models import Office
from shared.catalogue import parse_catalogue
from shared.rules import evaluate_case
from shared.rules.approval import CaseEvent, CaseFacts
from shared.rules.case_state import build
from shared.timeutil import HOUR, MINUTE, format_instant, parse_instant
from tests.harness import CATALOGUE

START = parse_instant("2026-03-02T08:00:00+08:00")


#: The midnight the bench's day-later sweep stands at: its two hourly sweeps come first.
MIDNIGHT_SWEEP_AT = START + 26 * HOUR


def seed(ctx: Context, n_cases: int, offices: int, *, states: bool = True, due_share: float | None = None) -> None:
    """Seed the cases and their events; with ``states`` each case also gets the rule state a
    batch would have left it (without, the first sweep builds each from its history, as on a
    database upgraded from before the state).

    Each case is accepted at a minute of the week before ``START``. Without ``due_share`` the
    minute is uniform over the week, and about 42 % of the cases pass a clock instant at the
    midnight (every case in every office untouched for days). With it, that share of the cases
    is drawn from the minutes whose next instant passes by ``MIDNIGHT_SWEEP_AT`` and the rest
    from the minutes whose next instant is later."""
    items = parse_catalogue(CATALOGUE)
    item = items[0]
    cal = ctx.calendar_for_bench  # type: ignore[attr-defined]
    with ctx.db.writing() as s:
        v = bump_meta(s, "catalogue.version")
        for it in items:
            s.add(PowerItemVersion(code=it.code, version=v, valid_from=0, name=it.name, department=it.department,
                                   data=it.model_dump(mode="json")))
        for o in range(offices):
            s.add(Office(code=f"T{o:03d}", name=f"T{o:03d}", kind="township", created_at=START, watermark=START,
                         version=1))
    rng = random.Random(5)
    # One representative next-check instant and due time per acceptance minute, from the real rules.
    next_by_minute: dict[int, tuple[int | None, int | None]] = {}
    for minute in range(7 * 24 * 60 + 1):
        accepted = START - minute * MINUTE
        facts = CaseFacts("T", "x", item, [CaseEvent("r", "received", accepted - 10 * MINUTE, 1),
                                           CaseEvent("a", "accepted", accepted, 2)])
        res = evaluate_case(facts, cal, START)
        next_by_minute[accepted] = (res.next_instant, res.clock.due if res.clock else None)
    crossing = [a for a, (nxt, _due) in next_by_minute.items() if nxt is not None and nxt <= MIDNIGHT_SWEEP_AT]
    later = [a for a, (nxt, _due) in next_by_minute.items() if nxt is None or nxt > MIDNIGHT_SWEEP_AT]
    if due_share is not None and not (crossing and later):
        raise SystemExit("the catalogue's first item gives no choice of minutes for --due-share")
    batch = 20_000
    case_rows: list[dict] = []
    event_rows: list[dict] = []
    case_id = 0
    with ctx.db.writing() as s:
        for n in range(n_cases):
            case_id += 1
            if due_share is None:
                accepted = START - rng.randint(0, 7 * 24 * 60) * MINUTE
            else:
                accepted = rng.choice(crossing if rng.random() < due_share else later)
            pair = (("received", accepted - 10 * MINUTE), ("accepted", accepted))
            state = build([CaseEvent(f"{n:08d}-{k}", typ, at, k + 1, actor="S1", arrived_at=START)
                           for k, (typ, at) in enumerate(pair)]).pruned(START).to_json() if states else None
            case_rows.append({"id": case_id, "office_id": 1 + n % offices, "case_no": f"C{n:08d}",
                              "power_code": item.code, "applicant_key": None, "received_at": accepted - 10 * MINUTE,
                              "state": "in_progress", "due": next_by_minute[accepted][1],
                              "next_check": next_by_minute[accepted][0],
                              "version": 1, "rule_state": state})
            for k, (typ, at) in enumerate(pair):
                event_rows.append({"id": f"{n:08d}-{k}", "case_id": case_id, "seq": k + 1, "type": typ, "at": at,
                                   "actor": "S1", "node": None, "data": {}, "digest": "", "backdated": False,
                                   "batch_id": "seed", "arrived_at": START})
            if len(case_rows) >= batch:
                s.execute(table_of(ApprovalCase).insert(), case_rows)
                s.execute(table_of(ApprovalEvent).insert(), event_rows)
                case_rows, event_rows = [], []
        if case_rows:
            s.execute(table_of(ApprovalCase).insert(), case_rows)
            s.execute(table_of(ApprovalEvent).insert(), event_rows)
        if ctx.db.is_postgres:
            # The ids were given: the sequence must move past them for the township's new cases.
            s.execute(text("SELECT setval(pg_get_serial_sequence('approval_cases', 'id'), :n)"), {"n": case_id})


def advance(ctx: Context, to: int) -> None:
    with ctx.db.writing() as s:
        ctx.clock.set(s, to)
        s.query(Office).update({Office.watermark: to})


class Township:
    """Office 1 posting one-record batches one after another; each answer's time in ms."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.times: list[float] = []
        self.stop = threading.Event()
        self.n = 0

    def post(self) -> None:
        self.n += 1
        now = ctx_now(self.ctx)
        record = {"kind": "approval_event", "id": str(uuid.uuid4()), "case_no": f"LIVE-{self.n:06d}",
                  "power_code": "QG-D07-001", "type": "received", "at": format_instant(now - MINUTE),
                  "actor": "S1"}
        t = time.perf_counter()
        import_batch(self.ctx, office_id=1, batch_id=str(uuid.uuid4()), records=[record],
                     complete_until=format_instant(now), dry_run=False)
        self.times.append((time.perf_counter() - t) * 1000)

    def run(self, interval: float) -> None:
        # Paced: back to back, the poster's share of the process (and of the GIL) varied from run
        # to run, and so did the sweep's time beside it.
        while not self.stop.is_set():
            self.post()
            self.stop.wait(interval)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--cases", type=int, default=1_000_000)
    ap.add_argument("--offices", type=int, default=100)
    ap.add_argument("--chunk", type=int, default=SWEEP_CHUNK, help="subjects per sweep transaction, at most")
    ap.add_argument("--hold", type=float, default=SWEEP_HOLD, help="seconds a sweep transaction should hold the lock")
    ap.add_argument("--postgres", action="store_true")
    ap.add_argument("--post-interval", type=float, default=0.05,
                    help="seconds between a township's batches during a sweep")
    ap.add_argument("--due-share", type=float, default=None,
                    help="the share of the cases whose next clock instant passes at the midnight "
                         "(default: acceptances uniform over a week, about 0.42)")
    ap.add_argument("--floor-variants", action="store_true",
                    help="SQLite: also replay the midnight's writes with the alerts' change-log rows naming "
                         "the alert, and without them (what those designs would leave to write)")
    ap.add_argument("--without-states", action="store_true",
                    help="seed no rule states: the midnight sweep builds each from the case's history")
    args = ap.parse_args()
    root = Path(tempfile.mkdtemp(prefix="yy-sweep-"))
    init = [sys.executable, "-m", "shared.cli", "server", "init", "--data-dir", str(root / "d")]
    if args.postgres:
        with postgres_database("yy_sweep") as url:
            return run(args, root, [*init, "--db", url])
    return run(args, root, init)


def run(args: argparse.Namespace, root: Path, init: list[str]) -> int:
    subprocess.run(init, check=True, capture_output=True)
    ctx = Context(Settings.from_data_dir(root / "d", simulated_clock=START))
    with ctx.db.writing() as s:
        ctx.clock.start(s, START, 0)
        ctx.calendar_for_bench = ctx.calendar(s)  # type: ignore[attr-defined]
    t = time.perf_counter()
    if args.due_share is not None and not 0 <= args.due_share <= 1:
        raise SystemExit("--due-share is a share: between 0 and 1")
    seed(ctx, args.cases, args.offices, states=not args.without_states, due_share=args.due_share)
    print(f"seeded {args.cases:,} open cases in {args.offices} offices "
          f"({'without' if args.without_states else 'with'} rule states) in {time.perf_counter() - t:.1f} s")
    first = sweep(ctx, wait=True, chunk=args.chunk, hold=args.hold)
    print(f"baseline sweep at {format_instant(START)}: evaluated {first.evaluated}, {first.seconds:.2f} s")
    alone = Township(ctx)
    for _ in range(50):
        alone.post()
    print(f"a township's one-record batch, no sweep running: p50 {statistics.median(alone.times):.0f} ms, "
          f"p99 {percentile(alone.times, 0.99):.0f} ms ({len(alone.times)} batches)")
    for label, target in (("+1 hour", START + HOUR), ("+1 hour again", START + 2 * HOUR),
                          ("+1 day", MIDNIGHT_SWEEP_AT)):
        advance(ctx, target)
        before = high_marks(ctx, target)
        wal = wal_marks(ctx)
        township = Township(ctx)
        poster = threading.Thread(target=township.run, args=(args.post_interval,), daemon=True)
        poster.start()
        report = sweep(ctx, wait=True, chunk=args.chunk, hold=args.hold)
        township.stop.set()
        poster.join()
        during = township.times
        print(f"sweep {label:14} ({format_instant(target)}): evaluated {report.evaluated:,} cases, "
              f"raised {report.raised:,} alerts, {report.seconds:.2f} s in {report.transactions:,} transactions; "
              f"batches during it: {len(during)}, p50 {statistics.median(during):.0f} ms, "
              f"p99 {percentile(during, 0.99):.0f} ms, max {max(during):.0f} ms")
        print(f"  rule states built from history {report.states_built:,}, "
              f"late events a state could not take {report.folds_fallen_back:,}")
        if wal is not None:
            after = wal_marks(ctx)
            assert after is not None
            records, fpi, volume, timed, requested = (y - x for x, y in zip(wal, after, strict=True))
            print(f"  PostgreSQL's write-ahead log during it (the whole cluster): {volume / 2**20:,.0f} MiB in "
                  f"{records:,} records, {fpi:,} of them full-page images; checkpoints {timed} timed, "
                  f"{requested} requested (the log outgrew max_wal_size)")
        if report.evaluated and not args.postgres:
            writes = sweep_writes(ctx, before)
            written, seconds = raw_floor(writes, root, report.transactions)
            print(f"  the same writes replayed raw ({written}) in {report.transactions:,} transactions: "
                  f"{seconds:.2f} s = {seconds / report.seconds:.2f} of the sweep's time")
            for variant in FLOOR_VARIANTS[1:] if args.floor_variants else ():
                written, seconds = raw_floor(writes, root, report.transactions, variant)
                print(f"  replayed raw with {variant} ({written}): {seconds:.2f} s")
    return 0


def wal_marks(ctx: Context) -> tuple[int, ...] | None:
    """On PostgreSQL, the cluster's write-ahead log so far (records, full-page images, bytes)
    and its checkpoints (timed, requested): a sweep that outgrows ``max_wal_size`` forces
    checkpoints, after each of which the first change to a page logs all of it. The bytes are
    the log's position, exact; records and images are ``pg_stat_wal``'s, which each backend
    reports when it is next idle (up to about 10 s late: a short sweep may show none)."""
    if not ctx.db.is_postgres:
        return None
    with ctx.db.reading() as s:
        wal = s.execute(text(
            "SELECT wal_records, wal_fpi, pg_current_wal_lsn() - '0/0'::pg_lsn FROM pg_stat_wal")).one()
        checkpoints = s.execute(text("SELECT checkpoints_timed, checkpoints_req FROM pg_stat_bgwriter")).one()
    return (int(wal[0]), int(wal[1]), int(wal[2]), int(checkpoints[0]), int(checkpoints[1]))


def high_marks(ctx: Context, as_of: int) -> tuple[int, int, list[int]]:
    """Before a sweep: the last alert id and change-log seq, and the cases it will evaluate."""
    with ctx.db.reading() as s:
        alert = s.execute(text("SELECT coalesce(max(id), 0) FROM alerts")).scalar_one()
        change = s.execute(text("SELECT coalesce(max(seq), 0) FROM changes")).scalar_one()
        due = list(s.execute(text("SELECT id FROM approval_cases WHERE next_check <= :t"), {"t": as_of}).scalars())
    return alert, change, due


@dataclass
class SweepWrites:
    """What a SQLite sweep wrote, read back once: its new alerts and change-log rows, its cases'
    rows as it left them, and the offices they point at."""

    alerts: list[tuple]
    changes: list[tuple]
    change_cols: list[str]
    cases: list[tuple]
    case_cols: list[str]
    offices: list[tuple]


def sweep_writes(ctx: Context, before: tuple[int, int, list[int]]) -> SweepWrites:
    alert_after, change_after, case_ids = before
    source = sqlite3.connect(ctx.settings.db_url.removeprefix("sqlite:///"))
    cases: list[tuple] = []
    for start in range(0, len(case_ids), 900):
        ids = case_ids[start : start + 900]
        cases += source.execute(f"SELECT * FROM approval_cases WHERE id IN ({','.join('?' * len(ids))})",
                                ids).fetchall()
    written = SweepWrites(
        alerts=source.execute("SELECT * FROM alerts WHERE id > ? ORDER BY id", (alert_after,)).fetchall(),
        changes=source.execute("SELECT * FROM changes WHERE seq > ? ORDER BY seq", (change_after,)).fetchall(),
        change_cols=[r[1] for r in source.execute("PRAGMA table_info(changes)")],
        cases=cases, case_cols=[r[1] for r in source.execute("PRAGMA table_info(approval_cases)")],
        offices=source.execute("SELECT * FROM offices").fetchall())
    source.close()
    return written


#: How a floor replays the alerts' change-log rows: as written; each naming its alert instead
#: of carrying it (the feed would read the alert when asked); none (no change row per alert,
#: e.g. clock alerts a console derives from its cases); none and no case rows either (what the
#: alert rows alone cost).
AS_WRITTEN = "the change log as written"
NAMING = "each alert's change-log row naming the alert"
NO_ALERT_CHANGES = "no change-log row per alert"
ALERTS_ALONE = "the alert rows alone"
FLOOR_VARIANTS = (AS_WRITTEN, NAMING, NO_ALERT_CHANGES, ALERTS_ALONE)


def raw_floor(written: SweepWrites, root: Path, transactions: int,
              variant: str = AS_WRITTEN) -> tuple[str, float]:
    """Replay a SQLite sweep's writes through the driver into a fresh database made by the same
    ``server init`` (same tables, indexes and pragmas), split into the sweep's number of
    transactions: its new alerts and change-log rows inserted, its cases' rows updated.
    ``variant`` (one of ``FLOOR_VARIANTS``) changes what the alerts' change-log rows hold."""
    entity, data = written.change_cols.index("entity"), written.change_cols.index("data")
    changes = written.changes
    if variant == NAMING:
        changes = [(*r[:data], "{}", *r[data + 1 :]) if r[entity] == "alert" else r for r in changes]
    elif variant == NO_ALERT_CHANGES:
        changes = [r for r in changes if r[entity] != "alert"]
    elif variant == ALERTS_ALONE:
        changes = []
    # The columns the sweep writes, as it left them (a case's rule state is not among them: the
    # sweep adds no event to it).
    at = [written.case_cols.index(c) for c in (*CASE_COLUMNS, "id")]
    update = f"UPDATE approval_cases SET {', '.join(c + ' = ?' for c in CASE_COLUMNS)} WHERE id = ?"
    case_rows = [] if variant == ALERTS_ALONE else [tuple(r[i] for i in at) for r in written.cases]
    alerts, cases, offices = written.alerts, written.cases, written.offices
    floor_dir = root / f"floor-{FLOOR_VARIANTS.index(variant)}"
    conn = fresh_sqlite(floor_dir, foreign_keys=True)

    def marks(n: int) -> str:
        return ",".join("?" * n)

    # Untimed: the offices the rows point at, and the cases as they stood (their rows are updated below).
    conn.execute("BEGIN")
    conn.executemany(f"INSERT INTO offices VALUES ({marks(len(offices[0]))})", offices)
    if cases:
        conn.executemany(f"INSERT INTO approval_cases VALUES ({marks(len(cases[0]))})", cases)
    conn.execute("COMMIT")
    n = max(1, transactions)
    t = time.perf_counter()
    for k in range(n):
        conn.execute("BEGIN IMMEDIATE")
        for rows, sql in ((alerts, f"INSERT INTO alerts VALUES ({marks(len(alerts[0]) if alerts else 0)})"),
                          (changes, f"INSERT INTO changes VALUES ({marks(len(changes[0]) if changes else 0)})"),
                          (case_rows, update)):
            part = rows[k * len(rows) // n : (k + 1) * len(rows) // n]
            if part:
                conn.executemany(sql, part)
        conn.execute("COMMIT")
    seconds = time.perf_counter() - t
    conn.close()
    shutil.rmtree(floor_dir)  # a million-case midnight's copy is gigabytes
    return f"{len(alerts):,} alerts, {len(changes):,} change-log rows, {len(case_rows):,} cases", seconds


def ctx_now(ctx: Context) -> int:
    with ctx.db.reading() as s:
        return ctx.now(s)


if __name__ == "__main__":
    sys.exit(main())
