"""Builders shared by the rule tests: instants in local time, events, a catalogue item, evaluation."""

from __future__ import annotations

from typing import Any

from shared.calendar import WorkCalendar
from shared.catalogue import PowerItem
from shared.rules import evaluate_case
from shared.rules.approval import CaseEvent, CaseFacts, CaseResult, CaseView, DuplicateRef, Rating, case_view
from shared.timeutil import parse_instant

CAL = WorkCalendar()
"""The project's calendar: the built-in 2026 data (Spring Festival 02-15…02-23 off, 02-14 and
02-28 adjusted working days; National Day 10-01…10-07 off)."""

US = 1
"""One microsecond, the resolution of an instant: the smallest step across a boundary."""


def item(**changes: Any) -> PowerItem:
    """A catalogue item: 5 committed working days, acceptance within 5, a 50.00 yuan fee,
    nodes review (2 days), approve (1 day) and check (no limit), accept/decide kept apart."""
    data: dict[str, Any] = {
        "code": "X-1", "name": "建筑工程施工许可", "department": "D07", "legal_days": 15, "committed_days": 5,
        "fee_fen": 5000,
        "nodes": [{"code": "review", "name": "初审", "days": 2}, {"code": "approve", "name": "审批", "days": 1},
                  {"code": "check", "name": "核查"}],
        "separate_duties": [["accept", "decide"]],
    }
    return PowerItem.model_validate(data | changes)


ITEM = item()


def t(text: str) -> int:
    """``"03-02T09:00"`` → that instant in 2026, China time."""
    if text.count(":") == 1:
        text += ":00"
    return parse_instant(f"2026-{text}+08:00")


class Events:
    """Events in order with increasing ``seq`` and ids ``e1``, ``e2``…"""

    def __init__(self) -> None:
        self.items: list[CaseEvent] = []

    def add(self, type_: str, at: str | int, **kw: Any) -> Events:
        n = len(self.items) + 1
        instant = t(at) if isinstance(at, str) else at
        self.items.append(CaseEvent(id=f"e{n}", type=type_, at=instant, seq=n, **kw))
        return self

    def sorted(self) -> list[CaseEvent]:
        return sorted(self.items, key=lambda e: (e.at, e.seq))


def facts(events: Events | list[CaseEvent], *, power: PowerItem = ITEM, ratings: list[Rating] | None = None,
          duplicate_of: DuplicateRef | None = None) -> CaseFacts:
    evs = events.sorted() if isinstance(events, Events) else events
    return CaseFacts(office="T01", case_no="C1", item=power, events=evs, ratings=ratings or [],
                     duplicate_of=duplicate_of)


def evaluate(events: Events | list[CaseEvent], as_of: str | int, **kw: Any) -> CaseResult:
    instant = t(as_of) if isinstance(as_of, str) else as_of
    return evaluate_case(facts(events, **kw), CAL, instant)


def keys(events: Events | list[CaseEvent], as_of: str | int, rule: str, **kw: Any) -> set[str | None]:
    """The nodes for which ``rule`` hits (``{None}`` for a case-wide hit, empty when it does not)."""
    return {node for (code, node) in evaluate(events, as_of, **kw).hits if code == rule}


def view(events: Events | list[CaseEvent], as_of: str | int, **kw: Any) -> CaseView:
    instant = t(as_of) if isinstance(as_of, str) else as_of
    return case_view(facts(events, **kw), CAL, instant)
