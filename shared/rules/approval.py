"""Approval-case rules (spec 02 §5) and the case's clocks.

``evaluate_case`` takes everything it needs as plain data (``CaseFacts``): the case's
events in ``(at, seq)`` order, its ratings, the catalogue item in force, and what the
server found about duplicates; it returns the hits and the clocks.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from shared.calendar import WorkCalendar
from shared.catalogue import PowerItem
from shared.clock import (
    ClockState,
    Interval,
    counting_start,
    suspension_intervals,
    working_clock,
    working_instant,
    working_time,
)
from shared.protocol import SUSPENSION_REASONS
from shared.rules.common import (
    EVENT_NAMES_EN,
    EVENT_NAMES_ZH,
    RATING_NAMES_EN,
    RATING_NAMES_ZH,
    Hit,
    Text,
    earliest_after,
    short,
)
from shared.timeutil import DAY, HOUR, Instant, format_instant

CLOSING_TYPES = frozenset({"decided", "not_accepted", "withdrawn"})
CHANGE_TYPES = frozenset({"accepted", "node_completed", "suspended", "resumed", "decided", "not_accepted"})
POOR_RATINGS = frozenset({"dissatisfied", "very_poor"})
DUPLICATE_WINDOW = 30 * DAY


@dataclass(frozen=True, slots=True)
class CaseEvent:
    """One stored approval event, reduced to what the rules read."""

    id: str
    type: str
    at: Instant
    seq: int = 0
    actor: str | None = None
    node: str | None = None
    reason_code: str | None = None
    amount_fen: int = 0
    result: str | None = None
    reason: str | None = None
    legal_basis: str | None = None
    backdated: bool = False


@dataclass(frozen=True, slots=True)
class Rating:
    id: str
    rating: str
    at: Instant


@dataclass(frozen=True, slots=True)
class DuplicateRef:
    """The earlier case that makes this one a duplicate (DUPLICATE_CASE)."""

    office: str
    case_no: str
    received_at: Instant


@dataclass
class CaseFacts:
    office: str
    case_no: str
    item: PowerItem
    events: Sequence[CaseEvent]
    """Sorted by ``(at, seq)``."""
    ratings: Sequence[Rating] = ()
    duplicate_of: DuplicateRef | None = None


@dataclass(frozen=True, slots=True)
class NodeClock:
    code: str
    name: str
    days: int | None
    started_at: Instant | None
    due: Instant | None
    completed_at: Instant | None
    risk_level: int | None


@dataclass
class CaseResult:
    hits: dict[tuple[str, str | None], Hit]
    state: str
    clock: ClockState | None
    acceptance: ClockState | None
    nodes: list[NodeClock]
    used: int
    """Working microseconds used by ``as_of`` (or by the close)."""
    suspended: bool
    current_node: str | None
    next_instant: Instant | None
    suspensions: list[Interval] = field(default_factory=list)
    closed_at: Instant | None = None
    """When the case closed (decided, not accepted or withdrawn), as seen at ``as_of``."""

    def clocks_json(self) -> dict[str, Any]:
        c = self.clock
        a = self.acceptance
        return {
            "due": format_instant(c.due) if c else None,
            "warn_at": format_instant(c.warn_at) if c else None,
            "counting_from": format_instant(c.counting_from) if c else None,
            "limit_days": c.limit_days if c else None,
            "warn_days": c.warn_days if c else None,
            "used_hours": round(self.used / HOUR, 3),
            "acceptance_due": format_instant(a.due) if a else None,
            "suspended": self.suspended,
            "suspensions": [
                {"from": format_instant(s), "to": format_instant(e)} for s, e in self.suspensions
            ],
            "nodes": [
                {
                    "code": n.code,
                    "name": n.name,
                    "days": n.days,
                    "started_at": format_instant(n.started_at),
                    "due": format_instant(n.due),
                    "completed_at": format_instant(n.completed_at),
                    "risk_level": n.risk_level,
                }
                for n in self.nodes
            ],
            "next_check": format_instant(self.next_instant),
            "closed_at": format_instant(self.closed_at),
        }


def _blank(text: str | None) -> bool:
    return text is None or not text.strip()


def _ev(e: CaseEvent) -> dict[str, Any]:
    out: dict[str, Any] = {"id": e.id, "type": e.type, "at": format_instant(e.at)}
    if e.node:
        out["node"] = e.node
    if e.actor:
        out["actor"] = e.actor
    return out


def evaluate_case(facts: CaseFacts, calendar: WorkCalendar, as_of: Instant) -> CaseResult:
    """Every approval rule for one case, as of ``as_of``."""
    item = facts.item
    events = facts.events
    hits: dict[tuple[str, str | None], Hit] = {}

    def hit(rule: str, node: str | None, text: Text, **evidence: Any) -> None:
        hits.setdefault((rule, node), Hit(rule, node, text[0], evidence, text[1]))

    # ---- clock rules: the case as it stood at as_of ------------------------------------
    view = [e for e in events if e.at <= as_of]
    received = accepted = closing = decision = None
    node_done: dict[str, CaseEvent] = {}
    for e in view:
        t = e.type
        if t == "received" and received is None:
            received = e
        elif t == "accepted" and accepted is None:
            accepted = e
        elif t == "node_completed" and e.node is not None and e.node not in node_done:
            node_done[e.node] = e
        if t in CLOSING_TYPES and closing is None:
            closing = e
        if t in ("accepted", "not_accepted") and decision is None:
            decision = e
    is_open = closing is None
    suspensions = suspension_intervals([(e.type, e.at) for e in view], as_of)
    suspended_now = _open_suspension(view)
    candidates: list[int | None] = [next((e.at for e in events if e.at > as_of), None)]

    clock: ClockState | None = None
    used = 0
    if accepted is not None:
        limit = item.limit_days
        clock = working_clock(accepted.at, limit, calendar, warn_days=item.warn_days, suspensions=suspensions)
        end = closing.at if closing is not None else as_of
        used = working_time(clock.counting_from, end, calendar, suspensions)
        limit_ev = {"limit_days": limit, "due": format_instant(clock.due), "accepted": _ev(accepted)}
        if is_open:
            if clock.warn_at <= as_of < clock.due:
                hit(
                    "DEADLINE_NEAR",
                    None,
                    (f"将于 {short(clock.due)} 到期（承诺时限 {limit} 个工作日）",
                     f"due {short(clock.due)} ({limit} working days from acceptance)"),
                    warn_at=format_instant(clock.warn_at),
                    **limit_ev,
                )
            elif as_of >= clock.due:
                hit("OVERDUE", None, (f"已于 {short(clock.due)} 到期仍未办结（时限 {limit} 个工作日）",
                                      f"open past its due time {short(clock.due)}"), **limit_ev)
            if not suspended_now:
                candidates += [clock.warn_at, clock.due]
        elif closing is not None and closing.at >= clock.due:
            hit(
                "OVERDUE",
                None,
                (f"{short(closing.at)} 才办结，超过到期时间 {short(clock.due)}",
                 f"closed at {short(closing.at)}, after its due time {short(clock.due)}"),
                closed=_ev(closing),
                **limit_ev,
            )

    # Node clocks run only in an accepted case (a node completed before acceptance is a
    # procedure fault, SKIPPED_NODE, not the start of a clock).
    nodes: list[NodeClock] = []
    previous_done: Instant | None = accepted.at if accepted is not None else None
    current_node: str | None = None
    for node in item.nodes:
        done = node_done.get(node.code)
        start = previous_done if accepted is not None else None
        due: Instant | None = None
        if start is not None and node.days:
            due = working_instant(counting_start(start), node.days * DAY, calendar, suspensions)
            late_open = done is None and is_open and as_of >= due
            late_done = done is not None and done.at >= due
            if late_open or late_done:
                hit(
                    "NODE_OVERDUE",
                    node.code,
                    (f"“{node.name}”环节（{node.days} 个工作日）应于 {short(due)} 前办结，"
                     + (f"实际 {short(done.at)} 办结" if done else "至今未办结"),
                     f"node {node.name} ({node.days} working days) due {short(due)}"
                     + (f", completed {short(done.at)}" if done else ", not completed")),
                    node_days=node.days,
                    started_at=format_instant(start),
                    due=format_instant(due),
                    completed=_ev(done) if done else None,
                )
            if done is None and is_open and not suspended_now:
                candidates.append(due)
        if start is not None and done is None and current_node is None and is_open:
            current_node = node.code
        nodes.append(
            NodeClock(
                node.code,
                node.name,
                node.days,
                start,
                due,
                done.at if done else None,
                node.risk.level if node.risk else None,
            )
        )
        previous_done = done.at if done else None

    acceptance: ClockState | None = None
    if received is not None:
        acceptance = working_clock(received.at, item.acceptance_days, calendar, warn_days=0)
        if (decision is None and as_of >= acceptance.due) or (decision is not None and decision.at >= acceptance.due):
            hit(
                "ACCEPTANCE_LATE",
                None,
                (f"收件后 {item.acceptance_days} 个工作日内（{short(acceptance.due)} 前）未作出受理决定",
                 f"not decided on acceptance within {item.acceptance_days} working days "
                 f"(due {short(acceptance.due)})"),
                received=_ev(received),
                due=format_instant(acceptance.due),
                decision=_ev(decision) if decision else None,
            )
        if decision is None:
            candidates.append(acceptance.due)

    # ---- the other rules see every stored record ----------------------------------------
    _procedure_rules(facts, hit)

    if any(r.rating in POOR_RATINGS for r in facts.ratings):
        poor = [r for r in facts.ratings if r.rating in POOR_RATINGS]
        hit(
            "POOR_RATING",
            None,
            (f"{len(poor)} 条差评：{'、'.join(RATING_NAMES_ZH.get(r.rating, r.rating) for r in poor[:5])}",
             f"{len(poor)} poor rating(s): {', '.join(RATING_NAMES_EN.get(r.rating, r.rating) for r in poor[:5])}"),
            ratings=[{"id": r.id, "rating": r.rating, "at": format_instant(r.at)} for r in poor[:20]],
        )
    backdated = [e for e in events if e.backdated]
    if backdated:
        hit(
            "BACKDATED",
            None,
            (f"{len(backdated)} 条记录在单位已声明报送完毕后补录",
             f"{len(backdated)} event(s) arrived dated before the period the office had declared complete"),
            events=[_ev(e) for e in backdated[:20]],
        )
    if facts.duplicate_of is not None:
        d = facts.duplicate_of
        hit(
            "DUPLICATE_CASE",
            None,
            (f"与 {d.office}/{d.case_no}（{short(d.received_at)} 收件）为同一申请人、同一事项",
             f"same applicant and power item as {d.office}/{d.case_no}, received {short(d.received_at)}"),
            earlier={"office": d.office, "case_no": d.case_no, "received_at": format_instant(d.received_at)},
        )

    state = _state(received, accepted, closing, suspended_now)
    return CaseResult(
        hits=hits,
        state=state,
        clock=clock,
        acceptance=acceptance,
        nodes=nodes,
        used=used,
        suspended=suspended_now,
        current_node=current_node,
        next_instant=earliest_after(candidates, as_of),
        suspensions=suspensions,
        closed_at=closing.at if closing is not None else None,
    )


def _open_suspension(view: Sequence[CaseEvent]) -> bool:
    opened = False
    for e in view:
        if e.type == "suspended":
            opened = True
        elif e.type == "resumed":
            opened = False
    return opened


def _state(
    received: CaseEvent | None, accepted: CaseEvent | None, closing: CaseEvent | None, suspended: bool
) -> str:
    if closing is not None:
        if closing.type == "decided":
            return "decided_" + (closing.result or "approved")
        return closing.type
    if suspended:
        return "suspended"
    if accepted is not None:
        return "in_progress"
    if received is not None:
        return "received"
    return "unknown"


def _procedure_rules(facts: CaseFacts, hit: Any) -> None:
    item = facts.item
    events = facts.events
    order = item.node_index()
    names = {n.code: n.name for n in item.nodes}
    first_done: dict[str, CaseEvent] = {}
    first_accepted: CaseEvent | None = None
    first_decided: CaseEvent | None = None
    closing: CaseEvent | None = None
    fees = 0
    fee_events: list[CaseEvent] = []
    suspensions: list[CaseEvent] = []
    for e in events:
        if e.type == "node_completed" and e.node is not None and e.node not in first_done:
            first_done[e.node] = e
        elif e.type == "accepted" and first_accepted is None:
            first_accepted = e
        elif e.type == "decided" and first_decided is None:
            first_decided = e
        elif e.type == "fee_charged":
            fees += e.amount_fen
            fee_events.append(e)
        elif e.type == "suspended":
            suspensions.append(e)
        if e.type in CLOSING_TYPES and closing is None:
            closing = e

    # SKIPPED_NODE: an event that needs a node (or the acceptance) before it.
    for e in events:
        if e.type == "node_completed" and e.node in order:
            needed = [n.code for n in item.nodes[: order[e.node]]]
        elif e.type == "decided":
            needed = [n.code for n in item.nodes]
        else:
            continue
        if first_accepted is None or first_accepted.at > e.at:
            hit("SKIPPED_NODE", "accept",
                (f"未受理即{EVENT_NAMES_ZH.get(e.type, e.type)}（{short(e.at)}）",
                 f"{EVENT_NAMES_EN.get(e.type, e.type)} at {short(e.at)} without acceptance"), needed_by=_ev(e))
        for code in needed:
            done = first_done.get(code)
            if done is None or done.at > e.at:
                hit(
                    "SKIPPED_NODE",
                    code,
                    (f"“{names.get(code, code)}”环节未办结即{EVENT_NAMES_ZH.get(e.type, e.type)}"
                     + (f"“{names.get(e.node, e.node)}”" if e.node else "") + f"（{short(e.at)}）",
                     f"node {code} was not completed before {EVENT_NAMES_EN.get(e.type, e.type)}"
                     + (f" of {e.node}" if e.node else "")
                     + f" at {short(e.at)}"),
                    needed_by=_ev(e),
                    completed=_ev(done) if done else None,
                )

    if closing is not None:
        later = [e for e in events if e.at > closing.at and e.type in CHANGE_TYPES]
        if later:
            hit(
                "CHANGED_AFTER_CLOSE",
                None,
                (f"办结（{short(closing.at)}）后仍有 {len(later)} 处变更",
                 f"{len(later)} change(s) after the case closed at {short(closing.at)}"),
                closed=_ev(closing),
                changes=[_ev(e) for e in later[:20]],
            )

    for e in events:
        needs_reason = e.type == "not_accepted" or (e.type == "decided" and e.result == "refused")
        if needs_reason and (_blank(e.reason) or _blank(e.legal_basis)):
            missing = [n for n, v in (("reason", e.reason), ("legal_basis", e.legal_basis)) if _blank(v)]
            zh_missing = "、".join({"reason": "理由", "legal_basis": "法律依据"}[m] for m in missing)
            en_missing = " and ".join(m.replace("_", " ") for m in missing)
            hit("NO_REASON", None, (f"{EVENT_NAMES_ZH.get(e.type, e.type)}未说明{zh_missing}",
                                    f"{EVENT_NAMES_EN.get(e.type, e.type)} without {en_missing}"),
                event=_ev(e), missing=missing)
            break

    if fees > item.fee_fen:
        hit(
            "FEE_EXCESS",
            None,
            (f"收费 {fees / 100:.2f} 元，超过标准 {item.fee_fen / 100:.2f} 元",
             f"charged {fees / 100:.2f} yuan, the standard allows {item.fee_fen / 100:.2f}"),
            charged_fen=fees,
            standard_fen=item.fee_fen,
            events=[_ev(e) | {"amount_fen": e.amount_fen} for e in fee_events[:20]],
        )

    bad_reasons = [e for e in suspensions if e.reason_code not in SUSPENSION_REASONS]
    if bad_reasons or len(suspensions) > 2:
        why: list[str] = []
        why_zh: list[str] = []
        if bad_reasons:
            why.append(f"reason {bad_reasons[0].reason_code!r} is not a lawful suspension")
            why_zh.append(f"暂停理由“{bad_reasons[0].reason_code}”不属于法定暂停情形")
        if len(suspensions) > 2:
            why.append(f"suspended {len(suspensions)} times (at most 2)")
            why_zh.append(f"暂停计时 {len(suspensions)} 次（最多 2 次）")
        hit(
            "SUSPENSION_ABUSE",
            None,
            ("；".join(why_zh), "; ".join(why)),
            suspensions=[_ev(e) | {"reason_code": e.reason_code} for e in suspensions[:20]],
        )

    def doer(step: str) -> CaseEvent | None:
        if step == "accept":
            return first_accepted
        if step == "decide":
            return first_decided
        return first_done.get(step)

    clashes: list[dict[str, Any]] = []
    for a, b in item.separate_duties:
        ea, eb = doer(a), doer(b)
        if ea is None or eb is None or _blank(ea.actor) or _blank(eb.actor):
            continue
        assert ea.actor is not None
        assert eb.actor is not None
        if ea.actor.strip() == eb.actor.strip():
            clashes.append({"steps": [a, b], "actor": ea.actor.strip(), "events": [_ev(ea), _ev(eb)]})
    if clashes:
        hit(
            "SEGREGATION",
            None,
            ("；".join(f"{c['actor']} 同时办理了“{_step_zh(c['steps'][0], names)}”和“{_step_zh(c['steps'][1], names)}”"
                      for c in clashes),
             "; ".join(f"{c['actor']} did both {c['steps'][0]} and {c['steps'][1]}" for c in clashes)),
            pairs=clashes,
        )


def _step_zh(step: str, names: dict[str, str]) -> str:
    return {"accept": "受理", "decide": "审批决定"}.get(step) or names.get(step, step)


def normalize_applicant(applicant_id: str | None) -> str | None:
    """Applicant ids compare trimmed and upper-cased (身份证 check letter X)."""
    if applicant_id is None:
        return None
    key = applicant_id.strip().upper()
    return key or None


def find_duplicate(
    this: tuple[Instant, str, str], others: Sequence[tuple[Instant, str, str]]
) -> tuple[Instant, str, str] | None:
    """The earliest-received case that makes ``this`` a duplicate, if any.

    Tuples are ``(received_at, office, case_no)`` of cases with the same power item and
    applicant. Another case counts if it was received in the 30 × 24 h before this one;
    at the same instant the later ``(office, case_no)`` is the duplicate.
    """
    at, office, case_no = this
    best: tuple[Instant, str, str] | None = None
    for other in others:
        o_at, o_office, o_case = other
        if (o_office, o_case) == (office, case_no):
            continue
        earlier = (o_at < at and at - o_at <= DUPLICATE_WINDOW) or (
            o_at == at and (o_office, o_case) < (office, case_no)
        )
        if earlier and (best is None or other < best):
            best = other
    return best


__all__ = [
    "CaseEvent",
    "CaseFacts",
    "CaseResult",
    "DuplicateRef",
    "NodeClock",
    "Rating",
    "counting_start",
    "evaluate_case",
    "find_duplicate",
    "normalize_applicant",
]
