"""The working-day clock: the spec's worked examples and properties that must always hold."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from shared.calendar import WorkCalendar
from shared.clock import (
    calendar_clock,
    counting_start,
    default_warn_days,
    suspension_intervals,
    working_clock,
    working_instant,
    working_time,
)
from shared.timeutil import DAY, HOUR, day_start, format_instant, local_day, parse_instant

CAL = WorkCalendar()


def iso(text: str) -> int:
    return parse_instant(text)


def test_worked_example_spring_festival() -> None:
    clock = working_clock(iso("2026-02-13T10:00:00+08:00"), 5, CAL)
    assert format_instant(clock.counting_from) == "2026-02-14T00:00:00+08:00"
    assert format_instant(clock.due) == "2026-02-28T00:00:00+08:00"
    assert format_instant(clock.warn_at) == "2026-02-27T00:00:00+08:00"


def test_worked_example_suspension() -> None:
    events = [("suspended", iso("2026-03-03T12:00:00+08:00")), ("resumed", iso("2026-03-05T15:00:00+08:00"))]
    susp = suspension_intervals(events, iso("2026-03-20T00:00:00+08:00"))
    clock = working_clock(iso("2026-03-02T09:00:00+08:00"), 3, CAL, suspensions=susp)
    assert format_instant(clock.due) == "2026-03-10T03:00:00+08:00"
    assert format_instant(clock.warn_at) == "2026-03-09T03:00:00+08:00"
    c = clock.counting_from
    assert working_time(c, iso("2026-03-03T12:00:00+08:00"), CAL, susp) == 12 * HOUR
    assert working_time(c, iso("2026-03-06T00:00:00+08:00"), CAL, susp) == 21 * HOUR
    assert working_time(c, iso("2026-03-10T00:00:00+08:00"), CAL, susp) == 69 * HOUR


def test_redundant_suspend_and_resume_change_nothing() -> None:
    a = iso("2026-03-03T12:00:00+08:00")
    events = [("resumed", a - HOUR), ("suspended", a), ("suspended", a + HOUR), ("resumed", a + 5 * HOUR),
              ("resumed", a + 6 * HOUR)]
    assert suspension_intervals(events, a + 100 * HOUR) == [(a, a + 5 * HOUR)]


def test_open_suspension_runs_to_as_of() -> None:
    a = iso("2026-03-03T12:00:00+08:00")
    assert suspension_intervals([("suspended", a)], a + 7 * HOUR) == [(a, a + 7 * HOUR)]


def test_warn_days_default() -> None:
    assert default_warn_days(3) == 1
    assert default_warn_days(10) == 2
    assert default_warn_days(11) == 3
    assert default_warn_days(10, 4) == 4


def test_calendar_clock_counts_every_day() -> None:
    clock = calendar_clock(iso("2026-06-01T09:00:00+08:00"), 15, warn_days=3)
    assert format_instant(clock.due) == "2026-06-17T00:00:00+08:00"
    assert format_instant(clock.warn_at) == "2026-06-14T00:00:00+08:00"


def test_unannounced_year_falls_back_to_weekdays_with_warning() -> None:
    cal = WorkCalendar()
    assert cal.warning(2040) is not None
    assert cal.warning(2026) is None
    assert cal.is_working_date(date(2040, 10, 1)) is (date(2040, 10, 1).weekday() < 5)


def test_admin_upload_overrides_builtin_year() -> None:
    cal = CAL.with_year(2026, holidays=[date(2026, 3, 2)], workdays=[date(2026, 3, 7)])
    assert not cal.is_working_date(date(2026, 3, 2))
    assert cal.is_working_date(date(2026, 3, 7))
    # The upload replaces the year: the built-in Spring Festival is no longer a holiday.
    assert cal.is_working_date(date(2026, 2, 16))


starts = st.integers(min_value=local_day(iso("2025-01-01T00:00:00+08:00")) * 24 * 60,
                     max_value=local_day(iso("2027-06-01T00:00:00+08:00")) * 24 * 60).map(
    lambda minutes: day_start(0) + minutes * 60_000_000)
limits = st.integers(min_value=0, max_value=40)


@settings(max_examples=200, deadline=None)
@given(start=starts, n=limits)
def test_due_is_on_a_working_day_or_midnight_after_one(start: int, n: int) -> None:
    clock = working_clock(start, n, CAL)
    day = local_day(clock.due)
    at_midnight = clock.due == day_start(day)
    assert CAL.is_working_day(day) or (at_midnight and CAL.is_working_day(day - 1)) or n == 0
    assert clock.warn_at <= clock.due
    assert working_time(clock.counting_from, clock.due, CAL) == n * DAY


@settings(max_examples=200, deadline=None)
@given(start=starts, n=limits, minutes=st.integers(min_value=0, max_value=24 * 60 - 1))
def test_time_of_day_of_the_start_does_not_matter(start: int, n: int, minutes: int) -> None:
    midnight = day_start(local_day(start))
    a = working_clock(midnight, n, CAL)
    b = working_clock(midnight + minutes * 60_000_000, n, CAL)
    assert (a.due, a.warn_at) == (b.due, b.warn_at)


@settings(max_examples=200, deadline=None)
@given(start=starts, n=st.integers(min_value=1, max_value=30), offset_h=st.integers(min_value=0, max_value=200),
       length_h=st.integers(min_value=1, max_value=100))
def test_suspension_moves_due_by_exactly_its_working_hours(start: int, n: int, offset_h: int, length_h: int) -> None:
    plain = working_clock(start, n, CAL)
    s = counting_start(start) + offset_h * HOUR
    e = s + length_h * HOUR
    if e > plain.due:
        return  # only suspensions inside the counting window are the property's subject
    h = working_time(counting_start(start), e, CAL) - working_time(counting_start(start), s, CAL)
    suspended = working_clock(start, n, CAL, suspensions=[(s, e)])
    assert working_time(plain.counting_from, suspended.due, CAL) == n * DAY + h
    assert suspended.due >= plain.due


@settings(max_examples=100, deadline=None)
@given(start=starts, amount_h=st.integers(min_value=0, max_value=24 * 40))
def test_working_instant_inverts_working_time(start: int, amount_h: int) -> None:
    c = counting_start(start)
    t = working_instant(c, amount_h * HOUR, CAL)
    assert working_time(c, t, CAL) == amount_h * HOUR
    if amount_h:
        assert working_time(c, t - 1, CAL) < amount_h * HOUR


def test_dates_helpers_round_trip() -> None:
    d = date(2026, 2, 14)
    day = local_day(iso("2026-02-14T23:59:59+08:00"))
    assert day == local_day(iso("2026-02-14T00:00:00+08:00"))
    assert format_instant(day_start(day)) == "2026-02-14T00:00:00+08:00"
    assert d + timedelta(days=1) == date(2026, 2, 15)


@settings(max_examples=300, deadline=None)
@given(start=starts, amount_h=st.integers(min_value=0, max_value=24 * 60), t_h=st.integers(min_value=0, max_value=2000))
def test_fast_path_agrees_with_walking_the_days(start: int, amount_h: int, t_h: int) -> None:
    c = counting_start(start)
    # A suspension long before the clock starts forces the day-by-day walk without changing anything.
    walk = [(0, 1)]
    assert working_instant(c, amount_h * HOUR, CAL) == working_instant(c, amount_h * HOUR, CAL, walk)
    t = c + t_h * HOUR
    assert working_time(c, t, CAL) == working_time(c, t, CAL, walk)
