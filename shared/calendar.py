"""The working-day calendar (spec 02 §1): which local dates are working days.

A date is a working day if it is an adjusted working day (调休上班), or Monday–Friday and
not a holiday. A year's lists come from, in order: the administrator's upload, the
``chinese-calendar`` package (years the State Council has announced), otherwise
Monday–Friday only, in which case ``warning()`` says the year's holidays are not loaded.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from shared.timeutil import Instant, date_to_day, day_to_date, local_day

#: The range of days the fast clock arithmetic covers; outside it the clock walks day by day.
FIRST_DAY = date_to_day(date(2000, 1, 1))
LAST_DAY = date_to_day(date(2061, 1, 1))


class CalendarSource(StrEnum):
    ADMIN = "admin"
    BUILTIN = "builtin"
    WEEKDAYS = "weekdays"


@dataclass(frozen=True)
class YearDays:
    """A year's holidays and adjusted working days."""

    holidays: frozenset[date] = frozenset()
    workdays: frozenset[date] = frozenset()


def _builtin_years() -> dict[int, YearDays]:
    try:
        from chinese_calendar import constants
    except ImportError:  # pragma: no cover - the package is a dependency
        return {}
    holidays: dict[int, set[date]] = {}
    workdays: dict[int, set[date]] = {}
    for d in constants.holidays:
        holidays.setdefault(d.year, set()).add(d)
    for d in constants.workdays:
        workdays.setdefault(d.year, set()).add(d)
    return {
        year: YearDays(frozenset(holidays.get(year, ())), frozenset(workdays.get(year, ())))
        for year in set(holidays) | set(workdays)
    }


_BUILTIN: dict[int, YearDays] | None = None


def builtin_years() -> Mapping[int, YearDays]:
    global _BUILTIN
    if _BUILTIN is None:
        _BUILTIN = _builtin_years()
    return _BUILTIN


@dataclass
class WorkCalendar:
    """Working days, with administrator overrides per year taking precedence."""

    overrides: dict[int, YearDays] = field(default_factory=dict)
    use_builtin: bool = True
    _cache: dict[int, bool] = field(default_factory=dict, repr=False)
    _cum: list[int] | None = field(default=None, repr=False)
    _nth: dict[tuple[int, int], int] = field(default_factory=dict, repr=False)

    def year_days(self, year: int) -> tuple[YearDays, CalendarSource]:
        if year in self.overrides:
            return self.overrides[year], CalendarSource.ADMIN
        if self.use_builtin and year in builtin_years():
            return builtin_years()[year], CalendarSource.BUILTIN
        return YearDays(), CalendarSource.WEEKDAYS

    def source(self, year: int) -> CalendarSource:
        return self.year_days(year)[1]

    def is_working_date(self, value: date) -> bool:
        days, _ = self.year_days(value.year)
        if value in days.workdays:
            return True
        return value.weekday() < 5 and value not in days.holidays

    def is_working_day(self, day: int) -> bool:
        """Whether a day number (days since 1970-01-01, local) is a working day."""
        cached = self._cache.get(day)
        if cached is None:
            cached = self._cache[day] = self.is_working_date(day_to_date(day))
        return cached

    def cumulative(self, day: int) -> int:
        """Working days in ``[FIRST_DAY, day)``; built once per calendar for fast clock arithmetic."""
        if self._cum is None:
            counts = [0]
            total = 0
            for d in range(FIRST_DAY, LAST_DAY):
                total += self.is_working_day(d)
                counts.append(total)
            self._cum = counts
        if not FIRST_DAY <= day <= LAST_DAY:
            raise IndexError(day)
        return self._cum[day - FIRST_DAY]

    def nth_working_day(self, from_day: int, k: int) -> int:
        """The ``k``-th working day (1-based) on or after ``from_day``."""
        key = (from_day, k)
        found = self._nth.get(key)
        if found is None:
            found = self._nth[key] = self._nth_working_day(from_day, k)
        return found

    def _nth_working_day(self, from_day: int, k: int) -> int:
        base = self.cumulative(from_day)
        lo, hi = from_day, LAST_DAY - 1
        if self.cumulative(LAST_DAY) - base < k:
            raise IndexError(k)
        while lo < hi:
            mid = (lo + hi) // 2
            if self.cumulative(mid + 1) - base >= k:
                hi = mid
            else:
                lo = mid + 1
        return lo

    def warning(self, year: int) -> str | None:
        """A warning when the year's holidays are not loaded (Monday–Friday only)."""
        if self.source(year) is CalendarSource.WEEKDAYS:
            return (
                f"the holidays of {year} are not loaded: working days are counted as "
                "Monday–Friday only; upload the year's calendar"
            )
        return None

    def unloaded_years(self, start: date, end: date) -> list[int]:
        """Years from ``start`` to ``end`` (inclusive) counted Monday–Friday only, for want of holidays.

        A clock whose counting crosses such a year has a provisional due instant: it moves when
        the year's arrangement is loaded.
        """
        return [y for y in range(start.year, end.year + 1) if self.source(y) is CalendarSource.WEEKDAYS]

    def provisional_years(self, spans: Iterable[tuple[Instant | None, Instant | None]]) -> list[int]:
        """Years without loaded holidays that the clocks ``(counting from, due)`` count through:
        their due instants are provisional (Monday–Friday there) until those years are loaded."""
        years: set[int] = set()
        for start, end in spans:
            if start is None or end is None or end <= start:
                continue
            years.update(self.unloaded_years(day_to_date(local_day(start)), day_to_date(local_day(end - 1))))
        return sorted(years)

    def missing_years(self, today: date, warn_from: tuple[int, int] = (11, 1)) -> list[int]:
        """Years whose missing holidays matter on ``today``: this year, and next year once
        ``today`` reaches ``warn_from`` (month, day) — the State Council announces next year's
        arrangement around then, and clocks started in December already count into it."""
        years = [today.year]
        if (today.month, today.day) >= warn_from:
            years.append(today.year + 1)
        return [y for y in years if self.source(y) is CalendarSource.WEEKDAYS]

    def with_year(self, year: int, holidays: Iterable[date], workdays: Iterable[date]) -> WorkCalendar:
        """A new calendar with one year's administrator upload."""
        overrides = dict(self.overrides)
        overrides[year] = YearDays(frozenset(holidays), frozenset(workdays))
        return WorkCalendar(overrides=overrides, use_builtin=self.use_builtin)


def validate_year_upload(year: int, holidays: Iterable[date], workdays: Iterable[date]) -> list[str]:
    """Problems with an administrator's calendar upload for ``year`` (empty when fine)."""
    problems: list[str] = []
    hol = list(holidays)
    work = list(workdays)
    for name, values in (("holidays", hol), ("workdays", work)):
        for value in values:
            if value.year != year:
                problems.append(f"{name}: {value.isoformat()} is not in {year}")
    both = sorted(set(hol) & set(work))
    if both:
        problems.append("a date cannot be both a holiday and a working day: " + ", ".join(d.isoformat() for d in both))
    return problems
