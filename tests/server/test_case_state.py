"""Each case keeps its rule state in its row; batches fold into it and the sweep reads it (issue 17).

Late events (a node completed earlier than one already stored, a withdrawal dated before
changes already stored) arrive in later batches; what the server stored must be what the full
evaluation over each case's history gives. A database from before the state (cases without
one) builds each state from the history on its first evaluation and raises the same alerts.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson
import pytest
from sqlalchemy import select, update

from server import evaluation
from server.alerts.models import Alert
from server.cases import service
from server.cases.models import ApprovalCase
from server.context import Context
from server.offices.models import Office
from server.offices.watermark import correct_watermark
from shared.rules.approval import CaseFacts, Rating, evaluate_case
from shared.rules.case_state import CaseState, evaluate_state
from shared.timeutil import DAY, parse_instant
from tests.harness import ServerProcess, event
from tests.server.support import copied_context

START = "2026-03-02T08:00:00+08:00"


def at(day: int, hour: int) -> str:
    return f"2026-03-{day:02d}T{hour:02d}:00:00+08:00"


@pytest.fixture(scope="module")
def late_events(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Cases whose events arrive over three batches, some dated before events already stored."""
    data = tmp_path_factory.mktemp("state") / "data"
    server = ServerProcess(data, simulated_clock="2026-03-06T08:00:00+08:00")
    server.init()
    server.start()
    fee = {"power": "QG-D03-002"}
    try:
        tokens = server.setup_basic(("T01",))
        batches = [
            [event("A", "received", at(2, 7), seq=1), event("A", "accepted", at(2, 8), seq=2, actor="X"),
             event("A", "node_completed", at(3, 10), seq=4, node="approve", actor="P"),
             event("B", "accepted", at(2, 9), seq=1), event("B", "node_completed", at(4, 9), seq=2, node="review"),
             event("C", "accepted", at(2, 9), seq=1, **fee),
             event("C", "fee_charged", at(2, 10), seq=2, amount_fen=3000, **fee),
             event("D", "accepted", at(2, 9), seq=1),
             event("D", "suspended", at(2, 12), seq=2, reason_code="lunch")],
            [event("A", "node_completed", at(2, 12), seq=3, node="review", actor="X"),
             event("B", "withdrawn", at(3, 9), seq=3),
             event("C", "fee_charged", at(2, 11), seq=3, amount_fen=3000, **fee),
             event("D", "resumed", at(3, 12), seq=3)],
            [event("A", "decided", at(4, 10), seq=5, result="refused", actor="X"),
             event("D", "suspended", at(2, 8), seq=0, reason_code="hearing")],
        ]
        for records in batches:
            assert server.post_batch("T01", tokens["T01"], records, complete_until=at(5, 0)).status == 200
    finally:
        server.stop()
    return data


def _alerts(ctx: Context) -> list[tuple[Any, ...]]:
    with ctx.db.reading() as s:
        return sorted((a.subject_id, a.rule, a.node, a.status, a.condition_cleared, a.message, str(a.evidence))
                      for a in s.scalars(select(Alert)))


def _states_agree_with_full_evaluation(ctx: Context) -> set[str]:
    """Every case's stored state evaluates as the full history does; the rules that hit."""
    rules_seen: set[str] = set()
    with ctx.db.reading() as s:
        office = s.scalars(select(Office).where(Office.code == "T01")).one()
        as_of = office.as_of(ctx.now(s))
        catalogue, calendar = ctx.catalogue(s), ctx.calendar(s)
        rows = service.load_cases(s, list(s.scalars(select(ApprovalCase.id))))
        history = service.load_case_events(s, [c.id for c in rows])
        ratings = service.load_ratings(s, rows)
        for c in rows:
            state = CaseState.from_json(orjson.loads(c.rule_state) if c.rule_state else None)
            assert state is not None, c.case_no
            assert state.events == len(history[c.id])
            item = service.item_for_case(catalogue, c.power_code, history[c.id])
            assert item is not None
            rs = [Rating(r.id, r.rating, r.at) for r in ratings.get((c.office_id, c.case_no), [])]
            want = evaluate_case(CaseFacts("T01", c.case_no, item, history[c.id], rs), calendar, as_of)
            got = evaluate_state(state, item, calendar, as_of, ratings=rs, office="T01", case_no=c.case_no)
            assert list(got.hits.items()) == list(want.hits.items())
            assert got.clocks_json() == want.clocks_json()
            rules_seen |= {rule for rule, _ in want.hits}
    return rules_seen


def test_the_stored_states_give_what_the_full_evaluation_gives(late_events: Path, tmp_path: Path) -> None:
    rules_seen = _states_agree_with_full_evaluation(copied_context(late_events, tmp_path / "d", START))
    # The late events mattered: the fee sum, the late withdrawal, the second suspension, the refusal.
    assert {"FEE_EXCESS", "CHANGED_AFTER_CLOSE", "SUSPENSION_ABUSE", "NO_REASON", "BACKDATED"} <= rules_seen


def test_a_watermark_corrected_back_clears_the_flags_the_states_counted(late_events: Path, tmp_path: Path) -> None:
    """The correction takes the back-dated flag off events; the states that counted them are
    built again (the correction drops them, and its earlier as_of is before their horizon
    anyway), so BACKDATED goes with the flags."""
    ctx = copied_context(late_events, tmp_path / "d", START)
    correct_watermark(ctx, code="T01", watermark=parse_instant(at(2, 0)), reason="typo", actor="admin")
    assert "BACKDATED" not in _states_agree_with_full_evaluation(ctx)


def test_a_database_without_states_builds_them_once_and_raises_the_same_alerts(
        late_events: Path, tmp_path: Path) -> None:
    kept = copied_context(late_events, tmp_path / "kept", START)
    upgraded = copied_context(late_events, tmp_path / "upgraded", START)
    with upgraded.db.writing() as s:
        s.execute(update(ApprovalCase).values(rule_state=None))
    for ctx in (kept, upgraded):
        with ctx.db.writing() as s:
            to = ctx.now(s) + 10 * DAY
            ctx.clock.set(s, to)
            s.query(Office).update({Office.watermark: to})
        assert evaluation.sweep(ctx, wait=True).evaluated > 0
    assert _alerts(upgraded) == _alerts(kept)
    assert any(rule == "OVERDUE" for _, rule, *_ in _alerts(kept))
    with upgraded.db.reading() as s:
        # The open cases the sweep evaluated have their states again; closed ones wait for a batch.
        states: dict[str, Any] = dict(s.execute(select(ApprovalCase.case_no, ApprovalCase.rule_state)).all())
    assert states["C"] is not None
    assert states["D"] is not None
