"""The working-day clock of spec 02 §2, exactly.

A clock has a start instant ``s`` and a limit of ``N`` days. Counting begins at ``c``,
00:00 local of the day after the local date of ``s``. Working time ``W(c, t)`` is the
length of ``[c, t)`` that lies on working days and outside every suspension interval.
``due`` is the earliest ``t ≥ c`` with ``W(c, t) = N × 24 h``; ``warn_at`` likewise for
``max(0, N − w)`` days. A calendar-day clock counts every day and never suspends.

Everything is in integer microseconds (see ``shared.timeutil``); the functions are pure.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from shared.calendar import WorkCalendar
from shared.timeutil import DAY, Instant, day_start, local_day

Interval = tuple[Instant, Instant]
"""A half-open interval ``[start, end)``."""

#: A clock that never reaches its limit within this many days is a configuration error
#: (for example a calendar with no working days at all); stop instead of looping forever.
MAX_SCAN_DAYS = 366 * 20


class ClockError(ValueError):
    """The clock cannot be computed (e.g. no working days in the next twenty years)."""


def counting_start(start: Instant) -> Instant:
    """``c``: 00:00 of the day after the local date of ``start`` (that day never counts)."""
    return day_start(local_day(start) + 1)


def default_warn_days(limit_days: int, warn_days: int | None = None) -> int:
    """``w`` for approval clocks: the item's ``warn_days``, else ``max(1, ceil(N / 5))``."""
    if warn_days is not None:
        return warn_days
    return max(1, math.ceil(limit_days / 5))


def suspension_intervals(events: Sequence[tuple[str, Instant]], as_of: Instant) -> list[Interval]:
    """Suspension intervals from ``(type, at)`` pairs sorted by ``(at, seq)``.

    Each ``suspended`` opens an interval and the next ``resumed`` closes it; a
    ``suspended`` while suspended, or a ``resumed`` while not, changes nothing. An interval
    still open runs to ``as_of``. Only events at or before ``as_of`` count.
    """
    intervals: list[Interval] = []
    opened: Instant | None = None
    for kind, at in events:
        if at > as_of:
            break
        if kind == "suspended" and opened is None:
            opened = at
        elif kind == "resumed" and opened is not None:
            if at > opened:
                intervals.append((opened, at))
            opened = None
    if opened is not None and as_of > opened:
        intervals.append((opened, as_of))
    return intervals


def working_instant(
    c: Instant,
    amount: int,
    calendar: WorkCalendar,
    suspensions: Sequence[Interval] = (),
) -> Instant:
    """The earliest ``t ≥ c`` with ``W(c, t) = amount`` (microseconds of working time)."""
    if amount <= 0:
        return c
    if not suspensions and c == day_start(local_day(c)):
        try:
            return _working_instant_fast(c, amount, calendar)
        except IndexError:
            pass  # outside the precomputed range: walk the days
    remaining = amount
    for start, end in _counting_segments(c, calendar, suspensions):
        if remaining <= end - start:
            return start + remaining
        remaining -= end - start
    raise ClockError("no working time in the next twenty years: check the calendar")


def _counting_segments(
    c: Instant, calendar: WorkCalendar, suspensions: Sequence[Interval], until: Instant | None = None
) -> Iterator[Interval]:
    """The pieces of ``[c, until)`` that count: on working days, outside every suspension,
    in order (at most twenty years ahead when ``until`` is open)."""
    day = local_day(c)
    last = local_day(until - 1) if until is not None else day + MAX_SCAN_DAYS
    si = 0
    n_susp = len(suspensions)
    while day <= last:
        if calendar.is_working_day(day):
            seg_end = day_start(day) + DAY if until is None else min(day_start(day) + DAY, until)
            cur = max(day_start(day), c)
            while cur < seg_end:
                while si < n_susp and suspensions[si][1] <= cur:
                    si += 1
                if si < n_susp and suspensions[si][0] <= cur:
                    cur = min(seg_end, suspensions[si][1])
                    continue
                nxt = seg_end if si >= n_susp else min(seg_end, suspensions[si][0])
                yield cur, nxt
                cur = nxt
        day += 1


def _working_instant_fast(c: Instant, amount: int, calendar: WorkCalendar) -> Instant:
    whole, rest = divmod(amount, DAY)
    first = local_day(c)
    if rest == 0:
        # The end (24:00) of the whole-th working day.
        return day_start(calendar.nth_working_day(first, whole)) + DAY
    return day_start(calendar.nth_working_day(first, whole + 1)) + rest


def working_time(
    c: Instant,
    t: Instant,
    calendar: WorkCalendar,
    suspensions: Sequence[Interval] = (),
) -> int:
    """``W(c, t)``: microseconds of ``[c, t)`` on working days outside suspensions."""
    if t <= c:
        return 0
    if not suspensions and c == day_start(local_day(c)):
        try:
            last_day = local_day(t)
            full = calendar.cumulative(last_day) - calendar.cumulative(local_day(c))
            partial = t - day_start(last_day) if calendar.is_working_day(last_day) else 0
            return full * DAY + partial
        except IndexError:
            pass
    return sum(end - start for start, end in _counting_segments(c, calendar, suspensions, until=t))


@dataclass(slots=True, unsafe_hash=True)  # not frozen: see shared.rules.approval.CaseEvent
class ClockState:
    """A computed clock: where counting began, when it warns and when it is due."""

    start: Instant
    limit_days: int
    warn_days: int
    counting_from: Instant
    warn_at: Instant
    due: Instant
    working: bool

    def late(self, t: Instant) -> bool:
        return t >= self.due


def working_clock(
    start: Instant,
    limit_days: int,
    calendar: WorkCalendar,
    *,
    warn_days: int | None = None,
    suspensions: Sequence[Interval] = (),
) -> ClockState:
    """A working-day clock (approval limits, 行政许可法 第82条)."""
    w = default_warn_days(limit_days, warn_days)
    c = counting_start(start)
    due = working_instant(c, limit_days * DAY, calendar, suspensions)
    warn_at = working_instant(c, max(0, limit_days - w) * DAY, calendar, suspensions)
    return ClockState(start, limit_days, w, c, warn_at, due, True)


def calendar_clock(start: Instant, limit_days: int, *, warn_days: int) -> ClockState:
    """A calendar-day clock (petition limits, 信访工作条例): every day counts, no suspension."""
    c = counting_start(start)
    return ClockState(
        start, limit_days, warn_days, c, c + max(0, limit_days - warn_days) * DAY, c + limit_days * DAY, False
    )
