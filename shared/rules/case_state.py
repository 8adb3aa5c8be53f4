"""Incremental rule state of one approval case (issue 17).

``evaluate_case`` reads a case's whole event history. A ``CaseState`` keeps only what the
approval rules read of it, so a batch folds its new events into the stored state and the
sweep evaluates the clocks from the state, neither reading the history back:

* the first event (by the case order, :func:`order_key`) of each type the clocks and the
  procedure rules look at: ``received``, ``accepted``, ``not_accepted``, ``decided``,
  ``withdrawn``, and each node's first ``node_completed``;
* every ``suspended`` and ``resumed`` (the suspension intervals and SUSPENSION_ABUSE);
* the first refusal without a reason or legal basis (NO_REASON);
* the fee sum, the back-dated count and the count of changes after the close, each with
  its first ``EVIDENCE_HEAD`` events (the hits' evidence);
* the earliest instant (the catalogue anchor) and the instants of events after the last
  ``as_of`` the state was pruned to (the next instant an event changes the clocks).

The rules then run over a ``CaseView`` of the *kept* events (every first the view picks is
among them, so it picks the same ones); the three rules that count over the whole history
(FEE_EXCESS, BACKDATED, CHANGED_AFTER_CLOSE) read the state's counts instead.

Folding is exact in any order except one: a closing event dated before changes already
folded (or before the close already known), whose set of changes-after-close the state did
not keep. :func:`fold` then answers ``None`` and the caller builds the state again from the
full history (:func:`build`, which folds in order and never needs to). Evaluating at an
``as_of`` before the state's pruning horizon raises :class:`StateBehind` for the same reason.

``evaluate_case`` stays the reference; tests/shared/test_case_state.py checks that both give
the same hits and clocks for random histories, orders and batch splits.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from shared.calendar import WorkCalendar
from shared.catalogue import PowerItem
from shared.rules.approval import (
    CHANGE_TYPES,
    CLOSING_TYPES,
    EVIDENCE_HEAD,
    CaseEvent,
    CaseFacts,
    CaseResult,
    CaseView,
    DuplicateRef,
    Rating,
    _blank,
    backdated_hit,
    case_result,
    case_view,
    catalogue_anchor,
    changed_after_close_hit,
    fee_excess_hit,
    order_key,
)
from shared.rules.common import RULES, Hit
from shared.timeutil import Instant

STATE_VERSION = 1
"""Bumped whenever the stored form or its meaning changes: an older state is built again."""

FIRST_TYPES = ("received", "accepted", "not_accepted", "decided", "withdrawn")

Rec = list[Any]
"""One kept event: ``[at, seq, arrived_at, id, type, node, actor, extra]``; ``extra`` is
``[result, reason blank, legal basis blank]`` for ``decided``, ``[reason blank, legal basis
blank]`` for ``not_accepted``, the reason code for ``suspended``, the amount for
``fee_charged``, else None."""


class StateBehind(Exception):
    """The state was pruned past the ``as_of`` asked for: build it again from the history."""


def _key(r: Rec) -> tuple[Instant, int, Instant, str]:
    return (r[0], r[1], r[2], r[3])


def _rec(e: CaseEvent) -> Rec:
    extra: Any = None
    if e.type == "decided":
        extra = [e.result, _blank(e.reason), _blank(e.legal_basis)]
    elif e.type == "not_accepted":
        extra = [_blank(e.reason), _blank(e.legal_basis)]
    elif e.type == "suspended":
        extra = e.reason_code
    elif e.type == "fee_charged":
        extra = e.amount_fen
    return [e.at, e.seq, e.arrived_at, e.id, e.type, e.node, e.actor, extra]


# A kept refusal's reason and legal basis are only ever tested for blankness.
_PRESENT = "·"


def _event(r: Rec) -> CaseEvent:
    at, seq, arrived, eid, typ, node, actor, extra = r
    result = reason = legal = reason_code = None
    amount = 0
    if typ == "decided":
        result = extra[0]
        reason, legal = (None if extra[1] else _PRESENT), (None if extra[2] else _PRESENT)
    elif typ == "not_accepted":
        reason, legal = (None if extra[0] else _PRESENT), (None if extra[1] else _PRESENT)
    elif typ == "suspended":
        reason_code = extra
    elif typ == "fee_charged":
        amount = extra
    return CaseEvent(id=eid, type=typ, at=at, seq=seq, actor=actor, node=node, reason_code=reason_code,
                     amount_fen=amount, result=result, reason=reason, legal_basis=legal, arrived_at=arrived)


def _insert_head(head: list[Rec], r: Rec) -> None:
    """Insert into a list of at most ``EVIDENCE_HEAD`` records kept in case order."""
    keys = [_key(x) for x in head]
    i = bisect.bisect(keys, _key(r))
    if i < EVIDENCE_HEAD:
        head.insert(i, r)
        del head[EVIDENCE_HEAD:]


def _needs_reason(r: Rec) -> bool:
    """A refusal (``not_accepted`` or a refused ``decided``) missing its reason or legal basis."""
    if r[4] == "not_accepted":
        return bool(r[7][0] or r[7][1])
    return r[4] == "decided" and r[7][0] == "refused" and bool(r[7][1] or r[7][2])


@dataclass(slots=True)
class CaseState:
    """What the approval rules read of one case's events (see the module docstring)."""

    first: dict[str, Rec] = field(default_factory=dict)
    done: dict[str, Rec] = field(default_factory=dict)
    suspensions: list[Rec] = field(default_factory=list)
    no_reason: Rec | None = None
    fee_sum: int = 0
    fees: list[Rec] = field(default_factory=list)
    backdated_n: int = 0
    backdated: list[Rec] = field(default_factory=list)
    after_close_n: int = 0
    after_close: list[Rec] = field(default_factory=list)
    change_max: Instant | None = None
    """The latest ``at`` of a change-type event folded."""
    min_at: Instant | None = None
    future: list[Instant] = field(default_factory=list)
    """Distinct event instants after ``horizon`` (all of them while ``horizon`` is None)."""
    horizon: Instant | None = None
    events: int = 0

    # ---- reading --------------------------------------------------------------------
    def closing(self) -> Rec | None:
        found = [self.first[t] for t in ("decided", "not_accepted", "withdrawn") if t in self.first]
        return min(found, key=_key) if found else None

    def anchor(self) -> Instant | None:
        """The instant that picks the catalogue version: the first acceptance, else the first event."""
        accepted = self.first.get("accepted")
        return catalogue_anchor(accepted[0] if accepted is not None else None, self.min_at)

    def kept_events(self) -> list[CaseEvent]:
        """The kept events in case order: every first a ``CaseView`` picks is among them."""
        kept: dict[str, Rec] = {}
        for r in (*self.first.values(), *self.done.values(), *self.suspensions):
            kept[r[3]] = r
        if self.no_reason is not None:
            kept[self.no_reason[3]] = self.no_reason
        return [_event(r) for r in sorted(kept.values(), key=_key)]

    def next_event_after(self, as_of: Instant) -> Instant | None:
        if self.horizon is not None and as_of < self.horizon:
            raise StateBehind(as_of)
        i = bisect.bisect_right(self.future, as_of)
        return self.future[i] if i < len(self.future) else None

    # ---- changing (on a copy: see fold) ---------------------------------------------
    def copy(self) -> CaseState:
        # Records are never changed in place, so copying the containers is enough.
        return CaseState(
            first=dict(self.first), done=dict(self.done), suspensions=list(self.suspensions),
            no_reason=self.no_reason, fee_sum=self.fee_sum, fees=list(self.fees), backdated_n=self.backdated_n,
            backdated=list(self.backdated), after_close_n=self.after_close_n, after_close=list(self.after_close),
            change_max=self.change_max, min_at=self.min_at, future=list(self.future), horizon=self.horizon,
            events=self.events,
        )

    def _absorb(self, e: CaseEvent) -> bool:
        """Fold one event in; False when the state cannot take it exactly."""
        r = _rec(e)
        k = _key(r)
        t = e.type
        self.events += 1
        if self.min_at is None or e.at < self.min_at:
            self.min_at = e.at
        if self.horizon is None or e.at > self.horizon:
            i = bisect.bisect_left(self.future, e.at)
            if i == len(self.future) or self.future[i] != e.at:
                self.future.insert(i, e.at)
        if t in FIRST_TYPES:
            closing = self.closing()
            current = self.first.get(t)
            if current is None or k < _key(current):
                self.first[t] = r
            new_close = t in CLOSING_TYPES and (closing is None or (k < _key(closing) and e.at != closing[0]))
            # A new (earlier) close: the changes after it are those folded after e.at, which
            # the state did not keep unless there are none.
            if new_close and self.change_max is not None and self.change_max > e.at:
                return False
        elif t == "node_completed" and e.node is not None:
            current = self.done.get(e.node)
            if current is None or k < _key(current):
                self.done[e.node] = r
        elif t in ("suspended", "resumed"):
            bisect.insort(self.suspensions, r, key=_key)
        elif t == "fee_charged":
            self.fee_sum += e.amount_fen
            _insert_head(self.fees, r)
        if e.backdated:
            self.backdated_n += 1
            _insert_head(self.backdated, r)
        if t in ("decided", "not_accepted") and _needs_reason(r) and (
            self.no_reason is None or k < _key(self.no_reason)
        ):
            self.no_reason = r
        if t in CHANGE_TYPES:
            closing = self.closing()
            if closing is not None and e.at > closing[0]:
                self.after_close_n += 1
                _insert_head(self.after_close, r)
            if self.change_max is None or e.at > self.change_max:
                self.change_max = e.at
        return True

    def pruned(self, as_of: Instant) -> CaseState:
        """The state that only answers for ``as_of`` and later (drops the event instants passed)."""
        if self.horizon is not None and as_of <= self.horizon:
            return self
        # Containers are shared, not copied: a fold copies them before it changes any.
        return CaseState(self.first, self.done, self.suspensions, self.no_reason, self.fee_sum, self.fees,
                         self.backdated_n, self.backdated, self.after_close_n, self.after_close, self.change_max,
                         self.min_at, [t for t in self.future if t > as_of], as_of, self.events)

    # ---- stored form ------------------------------------------------------------------
    def to_json(self) -> dict[str, Any]:
        return {
            "v": STATE_VERSION, "first": self.first, "done": self.done, "susp": self.suspensions,
            "no_reason": self.no_reason, "fee": [self.fee_sum, self.fees],
            "backdated": [self.backdated_n, self.backdated], "after_close": [self.after_close_n, self.after_close],
            "change_max": self.change_max, "min_at": self.min_at, "future": self.future, "horizon": self.horizon,
            "n": self.events,
        }

    @classmethod
    def from_json(cls, data: Any) -> CaseState | None:
        """The state stored as ``data``; None when there is none or it is of another version."""
        if not isinstance(data, dict) or data.get("v") != STATE_VERSION:
            return None
        return cls(
            first=data["first"], done=data["done"], suspensions=data["susp"], no_reason=data["no_reason"],
            fee_sum=data["fee"][0], fees=data["fee"][1], backdated_n=data["backdated"][0],
            backdated=data["backdated"][1], after_close_n=data["after_close"][0], after_close=data["after_close"][1],
            change_max=data["change_max"], min_at=data["min_at"], future=data["future"], horizon=data["horizon"],
            events=data["n"],
        )


def fold(state: CaseState | None, events: Iterable[CaseEvent]) -> CaseState | None:
    """``state`` with ``events`` (not yet folded) folded in, as a new state; None when a late
    event cannot be absorbed exactly (build the state from the full history instead)."""
    out = state.copy() if state is not None else CaseState()
    for e in sorted(events, key=order_key):
        if not out._absorb(e):
            return None
    return out


def build(events: Iterable[CaseEvent]) -> CaseState:
    """The state of a case from its full history (folding in order never falls back)."""
    state = fold(None, events)
    assert state is not None, "an in-order fold absorbs every event"
    return state


# The rules that count over the whole history read the state's counts; every other case rule
# reads only the firsts, the suspensions and the first refusal without reason, all kept.
_COUNTED: dict[str, Callable[[CaseState, CaseView], list[Hit]]] = {
    # The evidence's events are rebuilt only when the rule holds (the sums decide it).
    "FEE_EXCESS": lambda s, v: fee_excess_hit(v.item, s.fee_sum, [_event(r) for r in s.fees])
    if s.fee_sum > v.item.fee_fen else [],
    "BACKDATED": lambda s, v: backdated_hit(s.backdated_n, [_event(r) for r in s.backdated])
    if s.backdated_n else [],
    "CHANGED_AFTER_CLOSE": lambda s, v: (
        changed_after_close_hit(v.stored_closing, s.after_close_n, [_event(r) for r in s.after_close])
        if v.stored_closing is not None and s.after_close_n else []
    ),
}
_ON_KEPT_EVENTS = frozenset({
    "DEADLINE_NEAR", "OVERDUE", "NODE_OVERDUE", "ACCEPTANCE_LATE", "SKIPPED_NODE", "NO_REASON", "DUPLICATE_CASE",
    "SUSPENSION_ABUSE", "SEGREGATION", "POOR_RATING",
})


_Check = Callable[[CaseState, CaseView], list[Hit]]


def _on_view(check: Callable[[CaseView], list[Hit]]) -> _Check:
    return lambda _state, v: check(v)


_CHECKS: tuple[int, tuple[_Check, ...]] | None = None


def _checks() -> tuple[_Check, ...]:
    """The case rules in ``RULES`` order, each as it reads the state (looked up once)."""
    global _CHECKS
    if _CHECKS is None or _CHECKS[0] != len(RULES):
        out: list[_Check] = []
        for code, info in RULES.items():
            if info.subject != "case":
                continue
            counted = _COUNTED.get(code)
            if counted is not None:
                out.append(counted)
            elif code in _ON_KEPT_EVENTS:
                out.append(_on_view(info.check))
            else:
                # A new case rule must say here how it reads the state, or it would see only the kept events.
                raise NotImplementedError(f"case rule {code} has no incremental form")
        _CHECKS = (len(RULES), tuple(out))
    return _CHECKS[1]


def evaluate_state(
    state: CaseState, item: PowerItem, calendar: WorkCalendar, as_of: Instant, *, ratings: Sequence[Rating] = (),
    duplicate_of: DuplicateRef | None = None, office: str = "", case_no: str = "",
) -> CaseResult:
    """The same result as ``evaluate_case`` over the case's full history, from its state."""
    next_event = state.next_event_after(as_of)
    facts = CaseFacts(office=office, case_no=case_no, item=item, events=state.kept_events(), ratings=ratings,
                      duplicate_of=duplicate_of)
    v = case_view(facts, calendar, as_of)
    hits: dict[tuple[str, str | None], Hit] = {}
    for check in _checks():
        for h in check(state, v):
            hits.setdefault(h.key, h)
    return case_result(v, hits, next_event)


__all__ = ["STATE_VERSION", "CaseState", "StateBehind", "build", "evaluate_state", "fold"]
