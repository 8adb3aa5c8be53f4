"""The sweep of the clock rules works in short transactions (issue 17: sweep without stopping the world).

A midnight sweep over a province's open cases must not hold the write lock for the whole of
it: each chunk of subjects commits on its own, so a township's batch waits behind one chunk
at most. Chunked or not, the sweep must raise exactly the same alerts, each once.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from server import evaluation
from server.alerts.models import Alert
from server.catalogue.models import SweepRun
from server.context import Context
from server.offices.models import Office
from shared.timeutil import DAY
from tests.harness import ServerProcess, event
from tests.server.support import copied_context

CASES = 40
START = "2026-03-02T08:00:00+08:00"


@pytest.fixture(scope="module")
def due_tomorrow(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data directory with ``CASES`` accepted cases in two offices, the clock before their warnings."""
    data = tmp_path_factory.mktemp("sweep") / "data"
    server = ServerProcess(data, simulated_clock=START)
    server.init()
    server.start()
    try:
        tokens = server.setup_basic(("T01", "T02"))
        for n, office in enumerate(("T01", "T02")):
            records = []
            for i in range(CASES // 2):
                no = f"S{n}-{i:03d}"
                records += [event(no, "received", "2026-03-02T07:10:00+08:00", seq=1),
                            event(no, "accepted", "2026-03-02T07:20:00+08:00", seq=2)]
            assert server.post_batch(office, tokens[office], records).status == 200
    finally:
        server.stop()
    return data


def _advance(ctx: Context, days: int) -> None:
    """Move the clock (and every office's watermark, as their heartbeats would) ``days`` on."""
    with ctx.db.writing() as s:
        to = ctx.now(s) + days * DAY
        ctx.clock.set(s, to)
        s.query(Office).update({Office.watermark: to})


def _alerts(ctx: Context) -> Counter[tuple[str, str, str]]:
    with ctx.db.reading() as s:
        return Counter((a.subject_type, a.subject_id, a.rule) for a in s.scalars(select(Alert)))


def test_a_chunked_sweep_commits_as_it_goes_and_raises_what_one_transaction_raises(
        due_tomorrow: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    whole = copied_context(due_tomorrow, tmp_path / "whole", START)
    chunked = copied_context(due_tomorrow, tmp_path / "chunked", START)
    for ctx in (whole, chunked):
        _advance(ctx, 10)  # every case is late now: a warning and an overdue each

    reference = evaluation.sweep(whole, wait=True, chunk=10**9)
    assert reference.transactions == 1

    # While the chunked sweep runs, others see each chunk's alerts as soon as it commits.
    seen_between: list[int] = []
    real_chunk = evaluation._sweep_chunk

    def watched(ev: Any, cursor: Any, budget: int) -> bool:
        with chunked.db.reading() as s:
            seen_between.append(int(s.scalar(select(func.count()).select_from(Alert)) or 0))
        return real_chunk(ev, cursor, budget)

    monkeypatch.setattr(evaluation, "_sweep_chunk", watched)
    report = evaluation.sweep(chunked, wait=True, chunk=7)

    assert report.transactions >= CASES // 7
    assert report.evaluated == reference.evaluated
    assert report.raised == reference.raised
    assert _alerts(chunked) == _alerts(whole)
    assert set(_alerts(chunked).values()) == {1}  # each alert once
    assert {rule for _, _, rule in _alerts(chunked)} >= {"OVERDUE"}
    # Alerts of the first chunks were committed, readable, before the sweep ended.
    assert seen_between[0] < seen_between[-1] < sum(_alerts(chunked).values())
    with chunked.db.reading() as s:
        runs = [(r.now, r.evaluated) for r in s.scalars(select(SweepRun).order_by(SweepRun.id))]
    assert [n for now, n in runs if now == runs[-1][0]] == [report.evaluated]  # one record of the sweep


def test_a_sweep_broken_off_by_another_process_leaves_the_rest_to_it(
        due_tomorrow: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The periodic sweep gives way when another process holds the sweep lock; between the two
    every due case is evaluated once and every alert raised once."""
    ctx = copied_context(due_tomorrow, tmp_path / "d", START)
    _advance(ctx, 10)
    calls = {"n": 0}

    def lock_free_once(session: Any, key: int) -> bool:
        calls["n"] += 1
        return calls["n"] == 1  # the second chunk finds another process sweeping

    monkeypatch.setattr(evaluation, "try_advisory_xact_lock", lock_free_once)
    first = evaluation.sweep(ctx, chunk=7)
    assert first.ran
    assert first.transactions == 1
    assert first.evaluated == 7
    monkeypatch.undo()
    rest = evaluation.sweep(ctx, wait=True, chunk=7)
    assert first.evaluated + rest.evaluated == CASES
    assert set(_alerts(ctx).values()) == {1}
    with ctx.db.reading() as s:
        assert sum(r.evaluated for r in s.scalars(select(SweepRun))) >= CASES


def test_a_sweep_that_runs_slow_takes_smaller_chunks_and_raises_the_same(
        due_tomorrow: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Chunks are sized by how long a subject takes, so a slow database holds the lock no
    longer than a fast one; the alerts are the same whatever the chunks."""
    whole = copied_context(due_tomorrow, tmp_path / "whole", START)
    slow = copied_context(due_tomorrow, tmp_path / "slow", START)
    for ctx in (whole, slow):
        _advance(ctx, 10)
    reference = evaluation.sweep(whole, wait=True, chunk=10**9)
    monkeypatch.setattr(evaluation, "SWEEP_MIN_CHUNK", 3)
    # Nothing is fast enough for a hold of zero: after the first chunk of 10, every chunk is
    # the smallest.
    report = evaluation.sweep(slow, wait=True, chunk=10, hold=0.0)
    assert report.transactions >= 1 + (CASES - 10) // 3
    assert report.evaluated == reference.evaluated == CASES
    assert _alerts(slow) == _alerts(whole)
    assert set(_alerts(slow).values()) == {1}


def test_a_sweep_leaves_an_office_whose_watermark_lags_alone_until_it_catches_up(
        due_tomorrow: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Cases due by the server's clock but not by their office's watermark are not judged
    (spec 02 §3), and the sweep does not ask that office for them at every run: with a
    province's offices offline for a weekend, that was two queries per office per sweep."""
    ctx = copied_context(due_tomorrow, tmp_path / "d", START)
    with ctx.db.writing() as s:
        to = ctx.now(s) + 10 * DAY
        ctx.clock.set(s, to)
        s.query(Office).where(Office.code == "T01").update({Office.watermark: to})  # T02 stays behind
        lagging = s.scalar(select(Office.id).where(Office.code == "T02"))
    asked: list[int] = []
    real_due = evaluation.Evaluator.due

    def recorded(self: Any, kind: str, office_id: int, **kw: Any) -> Any:
        asked.append(office_id)
        return real_due(self, kind, office_id, **kw)

    monkeypatch.setattr(evaluation.Evaluator, "due", recorded)
    report = evaluation.sweep(ctx, wait=True)
    assert report.evaluated == CASES // 2
    assert _offices_alerted(ctx) == {"T01"}
    assert lagging not in asked
    # Once it catches up, its cases are judged at the next sweep.
    with ctx.db.writing() as s:
        s.query(Office).where(Office.id == lagging).update({Office.watermark: to})
    assert evaluation.sweep(ctx, wait=True).evaluated == CASES // 2
    assert lagging in asked
    assert _offices_alerted(ctx) == {"T01", "T02"}


def _offices_alerted(ctx: Context) -> set[str]:
    """The codes of the offices whose cases have alerts."""
    with ctx.db.reading() as s:
        return set(s.scalars(select(Office.code).join(Alert, Alert.office_id == Office.id)
                             .where(Alert.subject_type == "case")))
