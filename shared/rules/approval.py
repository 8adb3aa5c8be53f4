"""Approval-case rules (spec 02 §5) and the case's clocks.

``evaluate_case`` takes everything it needs as plain data (``CaseFacts``): the case's
events in ``(at, seq)`` order, its ratings, the catalogue item in force, and what the
server found about duplicates; it returns the hits and the clocks.

Each rule is one function over a ``CaseView`` (the case's clocks and first events,
computed once), declared with its ``RuleInfo`` by ``@rule`` and registered in
``shared.rules.RULES``; ``evaluate_case`` runs every registered case rule.
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
    earliest_after,
    hit,
    rule_family,
    run_rules,
    short,
)
from shared.timeutil import DAY, HOUR, Instant, format_instant

CLOSING_TYPES = frozenset({"decided", "not_accepted", "withdrawn"})
CHANGE_TYPES = frozenset({"accepted", "node_completed", "suspended", "resumed", "decided", "not_accepted"})
POOR_RATINGS = frozenset({"dissatisfied", "very_poor"})
DUPLICATE_WINDOW = 30 * DAY
MAX_SUSPENSIONS = 2
EVIDENCE_HEAD = 20
"""A hit's evidence lists at most this many events (the first ones)."""


# Not frozen: a frozen dataclass sets each field through object.__setattr__, four times the
# cost of building one, and rule evaluation builds these by the hundred thousand. Nothing
# changes one once built; unsafe_hash keeps them hashable as frozen ones were.
@dataclass(slots=True, unsafe_hash=True)
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
    arrived_at: Instant = 0
    """When the server stored it: orders events with the same ``(at, seq)`` (then ``id``)."""


def order_key(e: CaseEvent) -> tuple[Instant, int, Instant, str]:
    """The order of a case's events: ``(at, seq)``, then arrival, then id (as the server reads them)."""
    return (e.at, e.seq, e.arrived_at, e.id)


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


@dataclass(slots=True, unsafe_hash=True)  # not frozen: see CaseEvent
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


@dataclass(slots=True)
class CaseView:
    """What the approval rules read about one case, computed once per evaluation.

    The clock part (``seen`` and what follows from it) is the case as it stood at ``as_of``;
    the ``stored_*`` part is every stored record, which the non-clock rules see at once.
    """

    facts: CaseFacts
    item: PowerItem
    calendar: WorkCalendar
    as_of: Instant
    seen: list[CaseEvent]
    """The events with ``at ≤ as_of``."""
    received: CaseEvent | None
    accepted: CaseEvent | None
    closing: CaseEvent | None
    decision: CaseEvent | None
    """The first ``accepted`` or ``not_accepted`` seen."""
    node_done: dict[str, CaseEvent]
    """Each node's first ``node_completed`` seen."""
    suspensions: list[Interval]
    suspended_now: bool
    clock: ClockState | None
    """The case clock, once accepted."""
    acceptance: ClockState | None
    """The acceptance clock, once received."""
    nodes: list[NodeClock]
    stored_accepted: CaseEvent | None
    stored_decided: CaseEvent | None
    stored_closing: CaseEvent | None
    stored_done: dict[str, CaseEvent]

    @property
    def is_open(self) -> bool:
        return self.closing is None

    def limit_evidence(self) -> dict[str, Any]:
        assert self.clock is not None
        assert self.accepted is not None
        return {"limit_days": self.item.limit_days, "due": format_instant(self.clock.due),
                "accepted": _ev(self.accepted)}


def case_view(facts: CaseFacts, calendar: WorkCalendar, as_of: Instant) -> CaseView:
    """Everything the approval rules share, computed once: the case's clocks at ``as_of``
    and the first events of each kind among all stored records."""
    item = facts.item
    seen = [e for e in facts.events if e.at <= as_of]
    received = accepted = closing = decision = None
    node_done: dict[str, CaseEvent] = {}
    for e in seen:
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
    suspensions = suspension_intervals([(e.type, e.at) for e in seen], as_of)
    clock = None
    if accepted is not None:
        clock = working_clock(accepted.at, item.limit_days, calendar, warn_days=item.warn_days,
                              suspensions=suspensions)
    acceptance = None
    if received is not None:
        acceptance = working_clock(received.at, item.acceptance_days, calendar, warn_days=0)

    # Node clocks run only in an accepted case (a node completed before acceptance is a
    # procedure fault, SKIPPED_NODE, not the start of a clock).
    nodes: list[NodeClock] = []
    previous_done: Instant | None = accepted.at if accepted is not None else None
    for node in item.nodes:
        done = node_done.get(node.code)
        start = previous_done if accepted is not None else None
        due: Instant | None = None
        if start is not None and node.days:
            due = working_instant(counting_start(start), node.days * DAY, calendar, suspensions)
        nodes.append(NodeClock(node.code, node.name, node.days, start, due, done.at if done else None,
                               node.risk.level if node.risk else None))
        previous_done = done.at if done else None

    stored_done: dict[str, CaseEvent] = {}
    stored_accepted = stored_decided = stored_closing = None
    for e in facts.events:
        if e.type == "node_completed" and e.node is not None and e.node not in stored_done:
            stored_done[e.node] = e
        elif e.type == "accepted" and stored_accepted is None:
            stored_accepted = e
        elif e.type == "decided" and stored_decided is None:
            stored_decided = e
        if e.type in CLOSING_TYPES and stored_closing is None:
            stored_closing = e

    return CaseView(
        facts=facts, item=item, calendar=calendar, as_of=as_of, seen=seen, received=received, accepted=accepted,
        closing=closing, decision=decision, node_done=node_done, suspensions=suspensions,
        suspended_now=_open_suspension(seen), clock=clock, acceptance=acceptance, nodes=nodes,
        stored_accepted=stored_accepted, stored_decided=stored_decided, stored_closing=stored_closing,
        stored_done=stored_done,
    )


def evaluate_case(facts: CaseFacts, calendar: WorkCalendar, as_of: Instant) -> CaseResult:
    """Every approval rule for one case, as of ``as_of``: the hits of each registered case
    rule over the case's view, its clocks and the next instant a clock could change them."""
    v = case_view(facts, calendar, as_of)
    hits = run_rules("case", v)
    return case_result(v, hits, next((e.at for e in facts.events if e.at > as_of), None))


def case_result(v: CaseView, hits: dict[tuple[str, str | None], Hit], next_event: Instant | None) -> CaseResult:
    """The result of one evaluation from its view and hits; ``next_event`` is the instant of
    the case's first event after ``as_of`` (it changes what the clocks see)."""
    as_of, calendar = v.as_of, v.calendar
    used = 0
    if v.clock is not None:
        end = v.closing.at if v.closing is not None else as_of
        used = working_time(v.clock.counting_from, end, calendar, v.suspensions)
    # A clock instant can change the result only while its clock runs: not once the case
    # (or node, or acceptance) is done, and not during a suspension (its due moves on).
    candidates: list[int | None] = [next_event]
    if v.clock is not None and v.is_open and not v.suspended_now:
        candidates += [v.clock.warn_at, v.clock.due]
    current_node: str | None = None
    for n in v.nodes:
        running = n.started_at is not None and n.completed_at is None and v.is_open
        if running and n.due is not None and not v.suspended_now:
            candidates.append(n.due)
        if running and current_node is None:
            current_node = n.code
    if v.acceptance is not None and v.decision is None:
        candidates.append(v.acceptance.due)

    return CaseResult(
        hits=hits,
        state=_state(v.received, v.accepted, v.closing, v.suspended_now),
        clock=v.clock,
        acceptance=v.acceptance,
        nodes=v.nodes,
        used=used,
        suspended=v.suspended_now,
        current_node=current_node,
        next_instant=earliest_after(candidates, as_of),
        suspensions=v.suspensions,
        closed_at=v.closing.at if v.closing is not None else None,
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


# ---- the rules (spec 02 §5), in the order the product lists them ------------------------
rule = rule_family("case")


@rule("DEADLINE_NEAR", "yellow", "临近办理时限", "deadline near", clock=True)
def deadline_near(v: CaseView) -> list[Hit]:
    """Case clock started, case open, ``warn_at ≤ as_of < due``."""
    c = v.clock
    if c is None or not v.is_open or not c.warn_at <= v.as_of < c.due:
        return []
    limit = v.item.limit_days
    return [hit("DEADLINE_NEAR",
                (f"将于 {short(c.due)} 到期（承诺时限 {limit} 个工作日）",
                 f"due {short(c.due)} ({limit} working days from acceptance)"),
                warn_at=format_instant(c.warn_at), **v.limit_evidence())]


@rule("OVERDUE", "red", "超时办理", "overdue", clock=True)
def overdue(v: CaseView) -> list[Hit]:
    """Case clock started and (open with ``as_of ≥ due``, or ``close_at ≥ due``)."""
    c = v.clock
    if c is None:
        return []
    limit = v.item.limit_days
    if v.closing is None:
        if v.as_of < c.due:
            return []
        return [hit("OVERDUE", (f"已于 {short(c.due)} 到期仍未办结（时限 {limit} 个工作日）",
                                f"open past its due time {short(c.due)}"), **v.limit_evidence())]
    if v.closing.at < c.due:
        return []
    return [hit("OVERDUE",
                (f"{short(v.closing.at)} 才办结，超过到期时间 {short(c.due)}",
                 f"closed at {short(v.closing.at)}, after its due time {short(c.due)}"),
                closed=_ev(v.closing), **v.limit_evidence())]


@rule("NODE_OVERDUE", "yellow", "环节超时", "node overdue", clock=True)
def node_overdue(v: CaseView) -> list[Hit]:
    """Node clock started and (not completed, case open, ``as_of ≥ node due``; or completed at ``≥ node due``)."""
    out: list[Hit] = []
    for node, n in zip(v.item.nodes, v.nodes, strict=True):
        if n.due is None or n.started_at is None:
            continue
        done = v.node_done.get(node.code)
        late_open = done is None and v.is_open and v.as_of >= n.due
        late_done = done is not None and done.at >= n.due
        if late_open or late_done:
            out.append(hit(
                "NODE_OVERDUE",
                (f"“{node.name}”环节（{node.days} 个工作日）应于 {short(n.due)} 前办结，"
                 + (f"实际 {short(done.at)} 办结" if done else "至今未办结"),
                 f"node {node.name} ({node.days} working days) due {short(n.due)}"
                 + (f", completed {short(done.at)}" if done else ", not completed")),
                node=node.code,
                node_days=node.days,
                started_at=format_instant(n.started_at),
                due=format_instant(n.due),
                completed=_ev(done) if done else None,
            ))
    return out


@rule("ACCEPTANCE_LATE", "yellow", "受理超时", "acceptance late", clock=True)
def acceptance_late(v: CaseView) -> list[Hit]:
    """Clock from ``received``: no decision on acceptance and ``as_of ≥ due``, or the decision at ``≥ due``."""
    a, received, decision = v.acceptance, v.received, v.decision
    if a is None or received is None:
        return []
    if (decision is None and v.as_of < a.due) or (decision is not None and decision.at < a.due):
        return []
    days = v.item.acceptance_days
    return [hit("ACCEPTANCE_LATE",
                (f"收件后 {days} 个工作日内（{short(a.due)} 前）未作出受理决定",
                 f"not decided on acceptance within {days} working days (due {short(a.due)})"),
                received=_ev(received), due=format_instant(a.due), decision=_ev(decision) if decision else None)]


@rule("SKIPPED_NODE", "red", "跳过办理环节", "skipped procedure node", clock=False)
def skipped_node(v: CaseView) -> list[Hit]:
    """An event that needed a node (or the acceptance) first, at an instant when it was not completed."""
    item = v.item
    order = item.node_index()
    names = {n.code: n.name for n in item.nodes}
    out: list[Hit] = []
    for e in v.facts.events:
        if e.type == "node_completed" and e.node in order:
            needed = [n.code for n in item.nodes[: order[e.node]]]
        elif e.type == "decided":
            needed = [n.code for n in item.nodes]
        else:
            continue
        zh_type, en_type = EVENT_NAMES_ZH.get(e.type, e.type), EVENT_NAMES_EN.get(e.type, e.type)
        if v.stored_accepted is None or v.stored_accepted.at > e.at:
            out.append(hit("SKIPPED_NODE", (f"未受理即{zh_type}（{short(e.at)}）",
                                            f"{en_type} at {short(e.at)} without acceptance"),
                           node="accept", needed_by=_ev(e)))
        for code in needed:
            done = v.stored_done.get(code)
            if done is None or done.at > e.at:
                out.append(hit(
                    "SKIPPED_NODE",
                    (f"“{names.get(code, code)}”环节未办结即{zh_type}"
                     + (f"“{names.get(e.node, e.node)}”" if e.node else "") + f"（{short(e.at)}）",
                     f"node {code} was not completed before {en_type}"
                     + (f" of {e.node}" if e.node else "")
                     + f" at {short(e.at)}"),
                    node=code,
                    needed_by=_ev(e),
                    completed=_ev(done) if done else None,
                ))
    return out


@rule("CHANGED_AFTER_CLOSE", "red", "办结后变更", "changed after close", clock=False)
def changed_after_close(v: CaseView) -> list[Hit]:
    """A change-type event with ``at > close_at``."""
    closing = v.stored_closing
    if closing is None:
        return []
    later = [e for e in v.facts.events if e.at > closing.at and e.type in CHANGE_TYPES]
    return changed_after_close_hit(closing, len(later), later[:EVIDENCE_HEAD])


def changed_after_close_hit(closing: CaseEvent, count: int, head: Sequence[CaseEvent]) -> list[Hit]:
    """CHANGED_AFTER_CLOSE from the close, the number of changes after it and the first of them."""
    if not count:
        return []
    return [hit("CHANGED_AFTER_CLOSE",
                (f"办结（{short(closing.at)}）后仍有 {count} 处变更",
                 f"{count} change(s) after the case closed at {short(closing.at)}"),
                closed=_ev(closing), changes=[_ev(e) for e in head])]


@rule("NO_REASON", "red", "不予许可未说明理由", "refusal without reason", clock=False)
def no_reason(v: CaseView) -> list[Hit]:
    """A ``not_accepted``, or a ``decided`` refusal, whose reason or legal basis is blank (the first one)."""
    for e in v.facts.events:
        needs_reason = e.type == "not_accepted" or (e.type == "decided" and e.result == "refused")
        if needs_reason and (_blank(e.reason) or _blank(e.legal_basis)):
            missing = [n for n, val in (("reason", e.reason), ("legal_basis", e.legal_basis)) if _blank(val)]
            zh_missing = "、".join({"reason": "理由", "legal_basis": "法律依据"}[m] for m in missing)
            en_missing = " and ".join(m.replace("_", " ") for m in missing)
            return [hit("NO_REASON", (f"{EVENT_NAMES_ZH.get(e.type, e.type)}未说明{zh_missing}",
                                      f"{EVENT_NAMES_EN.get(e.type, e.type)} without {en_missing}"),
                        event=_ev(e), missing=missing)]
    return []


@rule("FEE_EXCESS", "red", "超标准收费", "fee above the standard", clock=False)
def fee_excess(v: CaseView) -> list[Hit]:
    """The fees charged add up to more than the item's ``fee_fen``."""
    fee_events = [e for e in v.facts.events if e.type == "fee_charged"]
    return fee_excess_hit(v.item, sum(e.amount_fen for e in fee_events), fee_events[:EVIDENCE_HEAD])


def fee_excess_hit(item: PowerItem, fees: int, head: Sequence[CaseEvent]) -> list[Hit]:
    """FEE_EXCESS from the fees' sum and the first fee events."""
    standard = item.fee_fen
    if fees <= standard:
        return []
    return [hit("FEE_EXCESS",
                (f"收费 {fees / 100:.2f} 元，超过标准 {standard / 100:.2f} 元",
                 f"charged {fees / 100:.2f} yuan, the standard allows {standard / 100:.2f}"),
                charged_fen=fees, standard_fen=standard,
                events=[_ev(e) | {"amount_fen": e.amount_fen} for e in head])]


@rule("DUPLICATE_CASE", "yellow", "重复办件", "duplicate case", clock=False)
def duplicate_case(v: CaseView) -> list[Hit]:
    """The server found an earlier case of the same item and applicant (:func:`find_duplicate`)."""
    d = v.facts.duplicate_of
    if d is None:
        return []
    return [hit("DUPLICATE_CASE",
                (f"与 {d.office}/{d.case_no}（{short(d.received_at)} 收件）为同一申请人、同一事项",
                 f"same applicant and power item as {d.office}/{d.case_no}, received {short(d.received_at)}"),
                earlier={"office": d.office, "case_no": d.case_no, "received_at": format_instant(d.received_at)})]


@rule("SUSPENSION_ABUSE", "yellow", "违规暂停计时", "suspension abuse", clock=False)
def suspension_abuse(v: CaseView) -> list[Hit]:
    """A suspension for a reason the law does not allow, or more than two suspensions."""
    suspensions = [e for e in v.facts.events if e.type == "suspended"]
    bad_reasons = [e for e in suspensions if e.reason_code not in SUSPENSION_REASONS]
    if not bad_reasons and len(suspensions) <= MAX_SUSPENSIONS:
        return []
    why: list[str] = []
    why_zh: list[str] = []
    if bad_reasons:
        why.append(f"reason {bad_reasons[0].reason_code!r} is not a lawful suspension")
        why_zh.append(f"暂停理由“{bad_reasons[0].reason_code}”不属于法定暂停情形")
    if len(suspensions) > MAX_SUSPENSIONS:
        why.append(f"suspended {len(suspensions)} times (at most {MAX_SUSPENSIONS})")
        why_zh.append(f"暂停计时 {len(suspensions)} 次（最多 {MAX_SUSPENSIONS} 次）")
    return [hit("SUSPENSION_ABUSE", ("；".join(why_zh), "; ".join(why)),
                suspensions=[_ev(e) | {"reason_code": e.reason_code} for e in suspensions[:20]])]


@rule("SEGREGATION", "red", "不相容岗位未分离", "segregation of duties", clock=False)
def segregation(v: CaseView) -> list[Hit]:
    """The same non-blank actor did both steps of a pair in the item's ``separate_duties``."""
    names = {n.code: n.name for n in v.item.nodes}

    def doer(step: str) -> CaseEvent | None:
        if step == "accept":
            return v.stored_accepted
        if step == "decide":
            return v.stored_decided
        return v.stored_done.get(step)

    clashes: list[dict[str, Any]] = []
    for a, b in v.item.separate_duties:
        ea, eb = doer(a), doer(b)
        if ea is None or eb is None or _blank(ea.actor) or _blank(eb.actor):
            continue
        actor = (ea.actor or "").strip()
        if actor == (eb.actor or "").strip():
            clashes.append({"steps": [a, b], "actor": actor, "events": [_ev(ea), _ev(eb)]})
    if not clashes:
        return []
    zh = "；".join(f"{c['actor']} 同时办理了“{_step_zh(c['steps'][0], names)}”和“{_step_zh(c['steps'][1], names)}”"
                  for c in clashes)
    return [hit("SEGREGATION",
                (zh,
                 "; ".join(f"{c['actor']} did both {c['steps'][0]} and {c['steps'][1]}" for c in clashes)),
                pairs=clashes)]


@rule("POOR_RATING", "yellow", "群众评价差", "poor citizen rating", clock=False)
def poor_rating(v: CaseView) -> list[Hit]:
    """A citizen rated the case ``dissatisfied`` or ``very_poor``."""
    poor = [r for r in v.facts.ratings if r.rating in POOR_RATINGS]
    if not poor:
        return []
    return [hit("POOR_RATING",
                (f"{len(poor)} 条差评：{'、'.join(RATING_NAMES_ZH.get(r.rating, r.rating) for r in poor[:5])}",
                 f"{len(poor)} poor rating(s): {', '.join(RATING_NAMES_EN.get(r.rating, r.rating) for r in poor[:5])}"),
                ratings=[{"id": r.id, "rating": r.rating, "at": format_instant(r.at)} for r in poor[:20]])]


def catalogue_anchor(first_accepted: Instant | None, earliest: Instant | None) -> Instant | None:
    """The instant that picks the catalogue version a case is judged by: its first acceptance,
    else its earliest event (the server over a case's events, ``CaseState`` over its state)."""
    return first_accepted if first_accepted is not None else earliest


def is_backdated(at: Instant, watermark: Instant | None) -> bool:
    """Whether an event arriving now is back-filled (补录): dated before the watermark its
    office had before this batch. An office's first batch has no watermark, so nothing in it is."""
    return watermark is not None and at < watermark


@rule("BACKDATED", "yellow", "补录数据", "back-dated record", clock=False)
def backdated(v: CaseView) -> list[Hit]:
    """An event arrived dated before the period its office had already declared complete
    (:func:`is_backdated`, decided by the server when the event arrives)."""
    late = [e for e in v.facts.events if e.backdated]
    return backdated_hit(len(late), late[:EVIDENCE_HEAD])


def backdated_hit(count: int, head: Sequence[CaseEvent]) -> list[Hit]:
    """BACKDATED from the number of back-dated events and the first of them."""
    if not count:
        return []
    return [hit("BACKDATED",
                (f"{count} 条记录在单位已声明报送完毕后补录",
                 f"{count} event(s) arrived dated before the period the office had declared complete"),
                events=[_ev(e) for e in head])]


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
    "CaseView",
    "DuplicateRef",
    "NodeClock",
    "Rating",
    "backdated_hit",
    "case_result",
    "case_view",
    "changed_after_close_hit",
    "counting_start",
    "evaluate_case",
    "fee_excess_hit",
    "find_duplicate",
    "is_backdated",
    "normalize_applicant",
    "order_key",
]
