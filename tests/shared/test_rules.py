"""Approval, petition and office rules as pure functions: each rule's predicate and evidence."""

from __future__ import annotations

import pytest

from shared.calendar import WorkCalendar
from shared.catalogue import PowerItem
from shared.rules import evaluate_case, evaluate_petition, find_duplicate, office_silent, petition_duplicate
from shared.rules.approval import CaseEvent, CaseFacts, Rating
from shared.rules.petition import PetitionEventFact, PetitionFacts
from shared.timeutil import DAY, HOUR, parse_instant

CAL = WorkCalendar()
ITEM = PowerItem.model_validate({
    "code": "X-1", "name": "建筑工程施工许可", "department": "D07", "legal_days": 15, "committed_days": 5,
    "fee_fen": 5000, "nodes": [{"code": "review", "name": "初审", "days": 2}, {"code": "approve", "name": "审批",
                                                                               "days": 1}],
    "separate_duties": [["accept", "decide"]],
})


def t(text: str) -> int:
    return parse_instant(f"2026-{text}:00+08:00")


def ev(type_: str, at: str, n: int, **kw: object) -> CaseEvent:
    return CaseEvent(id=f"e{n}", type=type_, at=t(at), seq=n, **kw)  # type: ignore[arg-type]


def run(events: list[CaseEvent], as_of: str, **kw: object) -> set[tuple[str, str | None]]:
    facts = CaseFacts(office="T01", case_no="C1", item=ITEM, events=events, **kw)  # type: ignore[arg-type]
    return set(evaluate_case(facts, CAL, t(as_of)).hits)


def test_clean_case_has_no_hits() -> None:
    events = [ev("received", "04-13T09:00", 1), ev("accepted", "04-13T09:10", 2, actor="A"),
              ev("node_completed", "04-13T15:00", 3, node="review", actor="B"),
              ev("node_completed", "04-14T10:00", 4, node="approve", actor="C"),
              ev("decided", "04-14T15:00", 5, result="approved", actor="C")]
    assert run(events, "04-30T00:00") == set()


def test_clock_rules_only_see_records_up_to_as_of() -> None:
    events = [ev("received", "04-13T09:00", 1), ev("accepted", "04-13T09:10", 2),
              ev("decided", "04-30T09:00", 3, result="approved")]
    # At 04-21 the decision is not visible yet: the case is open and past due.
    hits = run(events, "04-21T09:00")
    assert ("OVERDUE", None) in hits
    # SKIPPED_NODE sees every stored record, even the future decision.
    assert ("SKIPPED_NODE", "review") in hits


def test_next_instant_points_at_the_warning() -> None:
    facts = CaseFacts(office="T01", case_no="C1", item=ITEM,
                      events=[ev("received", "04-13T09:00", 1), ev("accepted", "04-13T09:10", 2)])
    result = evaluate_case(facts, CAL, t("04-14T09:00"))
    # node review due 04-16 00:00 comes before the case warning (04-20 00:00)
    assert result.next_instant == t("04-16T00:00")
    later = evaluate_case(facts, CAL, result.next_instant)
    assert ("NODE_OVERDUE", "review") in later.hits


def test_fee_excess_reason_segregation_and_suspension() -> None:
    events = [ev("received", "04-13T09:00", 1), ev("accepted", "04-13T09:10", 2, actor="S9"),
              ev("fee_charged", "04-13T09:20", 3, amount_fen=6000),
              ev("suspended", "04-13T10:00", 4, reason_code="leader_away"),
              ev("resumed", "04-13T11:00", 5),
              ev("node_completed", "04-13T12:00", 6, node="review"),
              ev("node_completed", "04-13T13:00", 7, node="approve"),
              ev("decided", "04-13T14:00", 8, result="refused", reason="不符合条件", actor=" S9 ")]
    hits = run(events, "04-14T00:00")
    assert {("FEE_EXCESS", None), ("SUSPENSION_ABUSE", None), ("SEGREGATION", None), ("NO_REASON", None)} <= hits


def test_duplicate_ratings_and_backdated() -> None:
    from shared.rules.approval import DuplicateRef

    events = [ev("received", "04-13T09:00", 1, backdated=True)]
    hits = run(events, "04-13T10:00", ratings=[Rating("r1", "very_poor", t("04-13T09:30"))],
               duplicate_of=DuplicateRef("T02", "X1", t("04-12T09:00")))
    assert {("POOR_RATING", None), ("BACKDATED", None), ("DUPLICATE_CASE", None)} <= hits


def test_find_duplicate_window_and_ties() -> None:
    at = t("05-12T09:00")
    assert find_duplicate((at, "T02", "X1"), [(at - DAY, "T01", "D1")]) == (at - DAY, "T01", "D1")
    assert find_duplicate((at, "T02", "X1"), [(at - 31 * DAY, "T01", "D1")]) is None
    assert find_duplicate((at, "T02", "X1"), [(at, "T01", "D1")]) == (at, "T01", "D1")
    assert find_duplicate((at, "T01", "D1"), [(at, "T02", "X1")]) is None


def test_petition_clocks_and_extension() -> None:
    received = t("06-01T09:00")
    facts = PetitionFacts("P", received, [PetitionEventFact("a", "accepted", t("06-17T10:00"))])
    res = evaluate_petition(facts, t("06-20T10:00"))
    assert ("PETITION_ACCEPT_OVERDUE", None) in res.hits
    ext = PetitionFacts("P", received, [*facts.events, PetitionEventFact("x", "extended", t("08-01T10:00"), 45)])
    assert evaluate_petition(ext, t("08-10T10:00")).extension_days == 30  # capped


def test_petition_duplicate_window() -> None:
    at = t("06-20T09:00")
    assert petition_duplicate((at, "b"), [(t("06-01T09:00"), "a")]) == (t("06-01T09:00"), "a")
    assert petition_duplicate((at, "b"), [(at - 91 * DAY, "a")]) is None


@pytest.mark.parametrize(("hours", "silent"), [(24, False), (25, True)])
def test_office_silent(hours: int, silent: bool) -> None:
    hit, _ = office_silent(now=100 * DAY + hours * HOUR, watermark=100 * DAY, created_at=0)
    assert (hit is not None) is silent
