"""Where a batch's time goes: one 5,000-event batch imported in-process under cProfile.

The import runs exactly as the HTTPS endpoint runs it (``import_batch``), on a fresh
SQLite data directory (``--postgres``: a fresh PostgreSQL database), after four earlier
batches so that the cases span batches as they do in an ordinary day's sync. Prints the
phases' cumulative times and the top functions.

    .venv/bin/python bench/ingest_profile.py [--postgres]
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import event

from bench.common import in_process_context, postgres_database
from server.app import tune_collector
from server.batches.service import import_batch
from server.demo_data import bulk_events
from shared.timeutil import parse_instant

#: (label, file, function): the phases of an import, each timed cumulatively.
PHASES = [
    ("whole import", "server/batches/service.py", "_import"),
    ("parse and validate records", "shared/protocol.py", "parse_record"),
    ("store records", "server/batches/service.py", "_store"),
    ("evaluate touched cases (all of it)", "server/evaluation.py", "cases"),
    ("  fold new events into rule states", "shared/rules/case_state.py", "fold"),
    ("  build states from history", "shared/rules/case_state.py", "build"),
    ("  load events (states built)", "server/cases/service.py", "load_case_events"),
    ("  run the rules", "shared/rules/case_state.py", "evaluate_state"),
    ("  sync their alerts", "server/alerts/service.py", "apply"),
    ("write alerts", "server/alerts/service.py", "flush"),
    ("write the change log", "server/changes/service.py", "flush"),
]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--postgres", action="store_true")
    args = ap.parse_args()
    if args.postgres:
        with postgres_database("yy_prof") as url:
            return profile_batch(url)
    return profile_batch(None)


def profile_batch(db_url: str | None) -> int:
    start = parse_instant("2026-12-31T00:00:00+08:00")
    ctx, office_id = in_process_context("yy-prof-", start, db_url)
    events = sorted(bulk_events(10_000, start=parse_instant("2026-03-02T08:00:00+08:00")), key=lambda e: e["at"])
    for k in range(4):
        chunk = events[k * 5000 : (k + 1) * 5000]
        import_batch(ctx, office_id=office_id, batch_id=f"warm{k}", records=chunk, complete_until=chunk[-1]["at"],
                     dry_run=False)
    tune_collector()  # as the server process does once it is loaded
    t = time.perf_counter()
    import_batch(ctx, office_id=office_id, batch_id="plain", records=events[25000:30000],
                 complete_until=events[29999]["at"], dry_run=False)
    plain = time.perf_counter() - t
    profile = cProfile.Profile()
    profile.enable()
    import_batch(ctx, office_id=office_id, batch_id="profiled", records=events[30000:35000],
                 complete_until=events[34999]["at"], dry_run=False)
    profile.disable()
    stats = pstats.Stats(profile)
    table = stats.stats  # type: ignore[attr-defined]
    print(f"one batch of 5,000 events: {plain:.2f} s without the profiler; under it, cumulative per phase:")
    for label, file, name in PHASES:
        cumulative = sum(v[3] for (f, _, n), v in table.items() if f.endswith(file) and n == name)
        calls = sum(v[1] for (f, _, n), v in table.items() if f.endswith(file) and n == name)
        print(f"  {label:40} {cumulative:6.2f} s  ({calls} calls)")
    stats.sort_stats("tottime").print_stats(12)
    t = time.perf_counter()
    statements = time_statements(ctx, lambda: import_batch(
        ctx, office_id=office_id, batch_id="timed", records=events[35000:40000], complete_until=events[39999]["at"],
        dry_run=False))
    whole = time.perf_counter() - t
    spent = sum(seconds for _, seconds in statements.values())
    sent = sum(count for count, _ in statements.values())
    print(f"the next batch's statements, without the profiler: {sent} sent, {spent:.2f} s from sending each to its "
          f"result in all, of {whole:.2f} s for the batch; the costliest:")
    for text, (count, seconds) in sorted(statements.items(), key=lambda kv: -kv[1][1])[:12]:
        print(f"  {seconds:6.3f} s {count:5d}x  {text}")
    return 0


def time_statements(ctx: Any, work: Callable[[], object]) -> dict[str, tuple[int, float]]:
    """Run ``work`` timing each SQL statement it sends (by its first words), as the database
    and the driver see it: the Python around the statements is not counted. COPY goes to the
    driver directly and is not listed."""
    engines = {ctx.db.writer, ctx.db.reader}
    totals: dict[str, tuple[int, float]] = {}

    def before(conn: Any, cursor: Any, statement: str, *_: Any) -> None:
        conn.info["yy_t"] = time.perf_counter()

    def after(conn: Any, cursor: Any, statement: str, *_: Any) -> None:
        key = " ".join(statement.split())[:110]
        count, seconds = totals.get(key, (0, 0.0))
        totals[key] = (count + 1, seconds + time.perf_counter() - conn.info.pop("yy_t"))

    for engine in engines:
        event.listen(engine, "before_cursor_execute", before)
        event.listen(engine, "after_cursor_execute", after)
    try:
        work()
    finally:
        for engine in engines:
            event.remove(engine, "before_cursor_execute", before)
            event.remove(engine, "after_cursor_execute", after)
    return totals


if __name__ == "__main__":
    sys.exit(main())
