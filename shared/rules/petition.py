"""Petition rules (spec 02 §6): statutory clocks in calendar days and repeated petitions."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from shared.clock import ClockState, calendar_clock
from shared.rules.common import Hit, earliest_after, short
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


def evaluate_petition(facts: PetitionFacts, as_of: Instant, now: Instant | None = None) -> PetitionResult:
    hits: dict[tuple[str, str | None], Hit] = {}
    view = seen_events(facts.events, as_of, now)
    decision = next((e for e in view if e.type in ("accepted", "not_accepted", "merged")), None)
    accepted = next((e for e in view if e.type == "accepted"), None)
    finish = next((e for e in view if e.type in ("replied", "closed", "merged")), None)
    extension = min(MAX_EXTENSION, extension_days((e.type, e.days) for e in view))
    candidates: list[int | None] = [min((e.at for e in facts.events if e.at > as_of and e not in view),
                                        default=None)]

    accept = calendar_clock(facts.received_at, ACCEPT_DAYS, warn_days=ACCEPT_WARN)
    seen = facts.received_at <= as_of
    if seen and decision is None:
        if accept.warn_at <= as_of < accept.due:
            hits[("PETITION_ACCEPT_DUE", None)] = Hit(
                "PETITION_ACCEPT_DUE",
                None,
                f"应于 {short(accept.due)} 前作出是否受理的决定（收到之日起 {ACCEPT_DAYS} 日）",
                {"due": format_instant(accept.due), "warn_at": format_instant(accept.warn_at)},
                f"acceptance due {short(accept.due)} ({ACCEPT_DAYS} days from receipt)",
            )
        candidates += [accept.warn_at, accept.due]
    if seen and ((decision is None and as_of >= accept.due) or (decision is not None and decision.at >= accept.due)):
        hits[("PETITION_ACCEPT_OVERDUE", None)] = Hit(
            "PETITION_ACCEPT_OVERDUE",
            None,
            f"未在 {short(accept.due)} 前作出是否受理的决定" + (f"（{short(decision.at)} 才决定）" if decision else ""),
            {"due": format_instant(accept.due), "decided_at": format_instant(decision.at) if decision else None},
            f"not decided on acceptance by {short(accept.due)}"
            + (f" (decided {short(decision.at)})" if decision else ""),
        )

    handle: ClockState | None = None
    if accepted is not None:
        days = HANDLE_DAYS + extension
        handle = calendar_clock(accepted.at, days, warn_days=HANDLE_WARN)
        ev = {"due": format_instant(handle.due), "limit_days": days, "extension_days": extension}
        if finish is None:
            if handle.warn_at <= as_of < handle.due:
                hits[("PETITION_HANDLE_DUE", None)] = Hit(
                    "PETITION_HANDLE_DUE", None, f"应于 {short(handle.due)} 前办结答复（{days} 日）", ev,
                    f"handling due {short(handle.due)}",
                )
            elif as_of >= handle.due:
                hits[("PETITION_HANDLE_OVERDUE", None)] = Hit(
                    "PETITION_HANDLE_OVERDUE", None, f"超过 {short(handle.due)} 仍未答复", ev,
                    f"not answered by {short(handle.due)}",
                )
            candidates += [handle.warn_at, handle.due]
        elif finish.at >= handle.due:
            hits[("PETITION_HANDLE_OVERDUE", None)] = Hit(
                "PETITION_HANDLE_OVERDUE",
                None,
                f"{short(finish.at)} 才答复，超过期限 {short(handle.due)}",
                ev | {"finished_at": format_instant(finish.at)},
                f"answered {short(finish.at)}, after {short(handle.due)}",
            )

    if facts.duplicate_of is not None:
        other, other_at = facts.duplicate_of
        hits[("PETITION_DUPLICATE", None)] = Hit(
            "PETITION_DUPLICATE",
            None,
            f"同一信访人就同一被反映人已于 {short(other_at)} 信访（{other}）",
            {"earlier": {"petition_id": other, "received_at": format_instant(other_at)}},
            f"the same petitioner raised the same subject in petition {other} ({short(other_at)})",
        )

    status = petition_state(e.type for e in view)
    return PetitionResult(hits, status, accept, handle, extension, earliest_after(candidates, as_of))


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
