"""A batch's cost against the history its cases already have (issue 17: cost that does not grow
with history).

5,000 cases are received and accepted, then batch after batch adds one more event to every one
of them (a one-fen ``fee_charged``, far below the item's fee standard), so each
batch of 5,000 events touches the same 5,000 cases and their histories grow by one event a
batch. The import runs in-process exactly as the HTTPS endpoint runs it (``import_batch``) on
SQLite. Printed: each batch's time beside the events its cases already held. Baseline: the
first of these batches, in the same run.

    .venv/bin/python bench/ingest_history.py --batches 40
"""

from __future__ import annotations

import argparse
import sys
import time
import uuid
from pathlib import Path

import orjson

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import in_process_context
from server.batches.service import import_batch
from shared.timeutil import MINUTE, format_instant, parse_instant

CASES = 5000


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--batches", type=int, default=40, help="batches of one event per case after the acceptance")
    args = ap.parse_args()
    now = parse_instant("2026-12-31T00:00:00+08:00")
    ctx, office_id = in_process_context("yy-hist-", now)
    start = parse_instant("2026-03-02T08:00:00+08:00")

    def batch(k: int, typ: str, **extra: object) -> float:
        at = format_instant(start + k * MINUTE)
        records = [{"kind": "approval_event", "id": str(uuid.uuid4()), "case_no": f"H{n:06d}", "power_code":
                    "QG-D03-002", "type": typ, "at": at, "seq": k, "actor": "S1", **extra} for n in range(CASES)]
        t = time.perf_counter()
        out = orjson.loads(import_batch(ctx, office_id=office_id, batch_id=f"b{k}", records=records,
                                        complete_until=at, dry_run=False))
        assert out["imported"] == CASES, out["errors"][:1]
        return time.perf_counter() - t

    batch(0, "received")
    batch(1, "accepted")
    times: list[tuple[int, float]] = []
    for k in range(args.batches):
        times.append(((k + 2) * CASES, batch(k + 2, "fee_charged", amount_fen=1)))
    first = sum(t for _, t in times[:3]) / 3
    print(f"{CASES:,} cases, one event each per batch; seconds a batch of {CASES:,} events "
          f"(ratio to the first three batches' mean, {first:.2f} s):")
    for held, t in times[:: max(1, len(times) // 10)] + times[-1:]:
        print(f"  events already held {held:>9,}: {t:5.2f} s  ({t / first:.2f})")
    last = sum(t for _, t in times[-3:]) / 3
    print(f"last three batches' mean / first three's: {last / first:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
