"""Petition rules (spec 02 §6): statutory clocks in calendar days and repeated petitions.

Each rule is one function over a ``PetitionView``, declared with its ``RuleInfo`` by
``@rule``; ``evaluate_petition`` runs every registered petition rule.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from shared.clock import ClockState, calendar_clock
from shared.rules.common import Hit, earliest_after, hit, rule_family, run_rules, short
from shared.timeutil import DAY, Instant, format_instant

ACCEPT_DAYS = 15
ACCEPT_WARN = 3
HANDLE_DAYS = 60
HANDLE_WARN = 10
MAX_EXTENSION = 30
DUPLICATE_WINDOW = 90 * DAY


@dataclass(frozen=True, slots=True)
class PetitionEventFact:
    id: str
    type: str
    at: Instant
    days: int = 0
    desk: bool = False
    """Made at the centre (the petition desk): complete at once, seen as soon as ``at`` has passed."""


@dataclass
class PetitionFacts:
    id: str
    received_at: Instant
    events: Sequence[PetitionEventFact]
    """Sorted by ``at``."""
    duplicate_of: tuple[str, Instant] | None = None
    """``(petition id, received_at)`` of the earlier petition this one repeats."""


@dataclass
class PetitionResult:
    hits: dict[tuple[str, str | None], Hit]
    status: str
    accept_clock: ClockState
    handle_clock: ClockState | None
    extension_days: int
    next_instant: Instant | None

    def clocks_json(self) -> dict[str, Any]:
        a, h = self.accept_clock, self.handle_clock
        return {
            "accept_due": format_instant(a.due),
            "accept_warn_at": format_instant(a.warn_at),
            "handle_due": format_instant(h.due) if h else None,
            "handle_warn_at": format_instant(h.warn_at) if h else None,
            "extension_days": self.extension_days,
        }

    def open_due(self) -> Instant | None:
        """The statutory deadline the petition still waits on: acceptance before a decision,
        handling once accepted until the reply; None when nothing is pending."""
        if self.status == "registered":
            return self.accept_clock.due
        if self.status == "accepted" and self.handle_clock is not None:
            return self.handle_clock.due
        return None


#: What a petition can be, from registration to the end of its handling.
PETITION_STATES = ("registered", "accepted", "not_accepted", "replied", "closed", "merged")


def petition_state(types: Iterable[str]) -> str:
    """The state of a petition after events of these types (spec 04, 06 §3).

    The furthest step reached counts, whatever order an office's records came in: merged
    (into another petition) ends it; then closed, replied; then the first decision
    (accepted or not accepted); before any of them the petition is registered."""
    seen: list[str] = list(types)
    for final in ("merged", "closed", "replied"):
        if final in seen:
            return final
    return next((t for t in seen if t in ("accepted", "not_accepted")), "registered")


def extension_days(events: Iterable[tuple[str, int | None]]) -> int:
    """Days the handling limit was extended by, in all, from ``(type, days)`` pairs (uncapped)."""
    return sum(days or 0 for typ, days in events if typ == "extended")


def seen_events(events: Sequence[PetitionEventFact], as_of: Instant, now: Instant | None = None
                ) -> list[PetitionEventFact]:
    """The events the rules see: an office's own records up to its ``as_of``, and those the
    centre made (desk events, complete at once) as soon as their ``at`` has passed ``now``."""
    return [e for e in events if e.at <= as_of or (e.desk and now is not None and e.at <= now)]


@dataclass(slots=True)
class PetitionView:
    """What the petition rules read about one petition, computed once per evaluation."""

    facts: PetitionFacts
    as_of: Instant
    events: list[PetitionEventFact]
    """The events the rules see (:func:`seen_events`)."""
    received: bool
    """The petition's receipt is at or before ``as_of``."""
    decision: PetitionEventFact | None
    """The first ``accepted``, ``not_accepted`` or ``merged`` seen."""
    accepted: PetitionEventFact | None
    finish: PetitionEventFact | None
    """The first ``replied``, ``closed`` or ``merged`` seen."""
    extension: int
    """Days of extension, capped at ``MAX_EXTENSION``."""
    accept: ClockState
    handle: ClockState | None
    """The handling clock, once accepted: ``HANDLE_DAYS`` + the extension."""


def petition_view(facts: PetitionFacts, as_of: Instant, now: Instant | None = None) -> PetitionView:
    view = seen_events(facts.events, as_of, now)
    accepted = next((e for e in view if e.type == "accepted"), None)
    extension = min(MAX_EXTENSION, extension_days((e.type, e.days) for e in view))
    handle = None
    if accepted is not None:
        handle = calendar_clock(accepted.at, HANDLE_DAYS + extension, warn_days=HANDLE_WARN)
    return PetitionView(
        facts=facts,
        as_of=as_of,
        events=view,
        received=facts.received_at <= as_of,
        decision=next((e for e in view if e.type in ("accepted", "not_accepted", "merged")), None),
        accepted=accepted,
        finish=next((e for e in view if e.type in ("replied", "closed", "merged")), None),
        extension=extension,
        accept=calendar_clock(facts.received_at, ACCEPT_DAYS, warn_days=ACCEPT_WARN),
        handle=handle,
    )


def evaluate_petition(facts: PetitionFacts, as_of: Instant, now: Instant | None = None) -> PetitionResult:
    """Every registered petition rule over the petition's view, its clocks and the next
    instant a clock could change the result."""
    v = petition_view(facts, as_of, now)
    hits = run_rules("petition", v)
    candidates: list[int | None] = [min((e.at for e in facts.events if e.at > as_of and e not in v.events),
                                        default=None)]
    if v.received and v.decision is None:
        candidates += [v.accept.warn_at, v.accept.due]
    if v.handle is not None and v.finish is None:
        candidates += [v.handle.warn_at, v.handle.due]
    status = petition_state(e.type for e in v.events)
    return PetitionResult(hits, status, v.accept, v.handle, v.extension, earliest_after(candidates, as_of))


# ---- the rules (spec 02 §6), in the order the product lists them ------------------------
rule = rule_family("petition")


@rule("PETITION_ACCEPT_DUE", "yellow", "信访临近受理时限", "petition acceptance due", clock=True)
def petition_accept_due(v: PetitionView) -> list[Hit]:
    """No decision, and ``warn_at ≤ as_of < due`` on the 15-day clock from receipt (warning 3 days before)."""
    a = v.accept
    if not v.received or v.decision is not None or not a.warn_at <= v.as_of < a.due:
        return []
    return [hit("PETITION_ACCEPT_DUE",
                (f"应于 {short(a.due)} 前作出是否受理的决定（收到之日起 {ACCEPT_DAYS} 日）",
                 f"acceptance due {short(a.due)} ({ACCEPT_DAYS} days from receipt)"),
                due=format_instant(a.due), warn_at=format_instant(a.warn_at))]


@rule("PETITION_ACCEPT_OVERDUE", "red", "信访受理超期", "petition acceptance overdue", clock=True)
def petition_accept_overdue(v: PetitionView) -> list[Hit]:
    """On the 15-day clock from receipt: no decision and ``as_of ≥ due``, or the decision at ``≥ due``."""
    a, decision = v.accept, v.decision
    if not v.received or (decision is None and v.as_of < a.due) or (decision is not None and decision.at < a.due):
        return []
    return [hit("PETITION_ACCEPT_OVERDUE",
                (f"未在 {short(a.due)} 前作出是否受理的决定" + (f"（{short(decision.at)} 才决定）" if decision else ""),
                 f"not decided on acceptance by {short(a.due)}"
                 + (f" (decided {short(decision.at)})" if decision else "")),
                due=format_instant(a.due), decided_at=format_instant(decision.at) if decision else None)]


def _handle_evidence(v: PetitionView, handle: ClockState) -> dict[str, Any]:
    return {"due": format_instant(handle.due), "limit_days": handle.limit_days, "extension_days": v.extension}


@rule("PETITION_HANDLE_DUE", "yellow", "信访临近办理时限", "petition handling due", clock=True)
def petition_handle_due(v: PetitionView) -> list[Hit]:
    """Accepted, not finished, and ``warn_at ≤ as_of < due`` on the handling clock (warning 10 days before)."""
    h = v.handle
    if h is None or v.finish is not None or not h.warn_at <= v.as_of < h.due:
        return []
    return [hit("PETITION_HANDLE_DUE", (f"应于 {short(h.due)} 前办结答复（{h.limit_days} 日）",
                                        f"handling due {short(h.due)}"), **_handle_evidence(v, h))]


@rule("PETITION_HANDLE_OVERDUE", "red", "信访办理超期", "petition handling overdue", clock=True)
def petition_handle_overdue(v: PetitionView) -> list[Hit]:
    """On the handling clock: not finished and ``as_of ≥ due``, or finished at ``≥ due``."""
    h, finish = v.handle, v.finish
    if h is None:
        return []
    if finish is None:
        if v.as_of < h.due:
            return []
        return [hit("PETITION_HANDLE_OVERDUE", (f"超过 {short(h.due)} 仍未答复", f"not answered by {short(h.due)}"),
                    **_handle_evidence(v, h))]
    if finish.at < h.due:
        return []
    return [hit("PETITION_HANDLE_OVERDUE",
                (f"{short(finish.at)} 才答复，超过期限 {short(h.due)}",
                 f"answered {short(finish.at)}, after {short(h.due)}"),
                **_handle_evidence(v, h), finished_at=format_instant(finish.at))]


@rule("PETITION_DUPLICATE", "yellow", "重复信访", "repeated petition", clock=False)
def petition_duplicate_rule(v: PetitionView) -> list[Hit]:
    """The server found an earlier petition it repeats (:func:`petition_duplicate`)."""
    if v.facts.duplicate_of is None:
        return []
    other, other_at = v.facts.duplicate_of
    return [hit("PETITION_DUPLICATE",
                (f"同一信访人就同一被反映人已于 {short(other_at)} 信访（{other}）",
                 f"the same petitioner raised the same subject in petition {other} ({short(other_at)})"),
                earlier={"petition_id": other, "received_at": format_instant(other_at)})]


def petition_duplicate(
    this: tuple[Instant, str], others: Sequence[tuple[Instant, str]]
) -> tuple[Instant, str] | None:
    """The earliest petition ``(received_at, id)`` that ``this`` repeats, if any.

    ``others`` share the petitioner's id number and the subject's name. Another petition
    counts if it was received in the 90 × 24 h before this one; at the same instant the
    later id is the duplicate.
    """
    at, pid = this
    best: tuple[Instant, str] | None = None
    for other in others:
        o_at, o_id = other
        if o_id == pid:
            continue
        earlier = (o_at < at and at - o_at <= DUPLICATE_WINDOW) or (o_at == at and o_id < pid)
        if earlier and (best is None or other < best):
            best = other
    return best
