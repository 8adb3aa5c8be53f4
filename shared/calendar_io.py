"""The State Council's holiday arrangement as an administrator types it, and a year laid out to check it.

Every December the State Council (国务院办公厅) announces next year's holidays and the
weekend days that become working days (调休). An administrator copies them into a small
text file, one line per holiday period or adjusted working day::

    # 国务院办公厅关于2027年部分节假日安排的通知
    2027-01-01..2027-01-03  holiday  元旦
    2027-02-06 ~ 2027-02-13 休       春节
    2027-02-14              workday  春节调休

A line is a date or a range (``..``, ``~``, ``至``), a kind (``holiday``/``休``/``放假`` or
``workday``/``班``/``上班``) and an optional name; commas and tabs separate as well as spaces,
so the same lines saved from a spreadsheet as CSV read the same. A JSON file in the shape
``PUT /calendar/{year}`` takes (``{"holidays": […], "workdays": […]}``) is read too.
``parse_arrangement`` reports every problem with its line; nothing half-read reaches the server.

``periods`` and ``show_lines`` lay a year out around each holiday, with the working days
just before and after it, so the administrator sees at a glance whether the 调休 is right
(``yingyan admin calendar show 2027``, the console's year view).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import date, timedelta

from shared.calendar import validate_year_upload

MAX_FILE_BYTES = 256 * 1024
MAX_RANGE_DAYS = 31
HOLIDAY_WORDS = {"holiday", "holidays", "休", "放假", "假"}
WORKDAY_WORDS = {"workday", "workdays", "班", "上班", "调休上班"}
_RANGE = re.compile(r"^(\d{4}-\d{1,2}-\d{1,2})\s*(?:\.\.|~|～|至|–|—)\s*(\d{4}-\d{1,2}-\d{1,2})$")
WEEKDAYS_EN = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


@dataclass(frozen=True)
class Problem:
    line: int
    """1-based line of the file (0: the file as a whole)."""
    message: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}" if self.line else self.message


class ArrangementError(ValueError):
    """The file has problems; ``problems`` lists every one with its line."""

    def __init__(self, problems: list[Problem]):
        super().__init__("; ".join(str(p) for p in problems[:20]))
        self.problems = problems


@dataclass
class Arrangement:
    """One year's holidays and adjusted working days, with the names the file gave them."""

    year: int
    holidays: set[date] = field(default_factory=set)
    workdays: set[date] = field(default_factory=set)
    names: dict[date, str] = field(default_factory=dict)

    def body(self) -> dict[str, list[str]]:
        """The ``PUT /calendar/{year}`` body."""
        return {"holidays": sorted(d.isoformat() for d in self.holidays),
                "workdays": sorted(d.isoformat() for d in self.workdays)}


def _date(text: str) -> date:
    y, m, d = (int(p) for p in text.split("-"))
    return date(y, m, d)


def _kind(word: str) -> str | None:
    w = word.strip().lower()
    if w in HOLIDAY_WORDS:
        return "holiday"
    if w in WORKDAY_WORDS:
        return "workday"
    return None


def parse_arrangement(data: bytes | str, *, year: int | None = None) -> Arrangement:
    """Read an arrangement file (text lines or JSON); raises ``ArrangementError`` with every problem."""
    if isinstance(data, bytes):
        if len(data) > MAX_FILE_BYTES:
            raise ArrangementError([Problem(0, f"the file is larger than {MAX_FILE_BYTES // 1024} KiB; "
                                               "a year's arrangement is a few lines")])
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            try:
                text = data.decode("gb18030")
            except UnicodeDecodeError:
                raise ArrangementError([Problem(0, "the file is not text (UTF-8 or GB18030)")]) from None
    else:
        text = data
    if "\x00" in text:
        raise ArrangementError([Problem(0, "the file is not text (it contains NUL characters)")])
    stripped = text.lstrip()
    if stripped.startswith("{"):
        return _parse_json(stripped, year)
    return _parse_lines(text, year)


def _parse_json(text: str, year: int | None) -> Arrangement:
    try:
        doc = json.loads(text)
    except ValueError as exc:
        raise ArrangementError([Problem(0, f"not valid JSON: {exc}")]) from None
    if not isinstance(doc, dict) or set(doc) - {"year", "holidays", "workdays"}:
        raise ArrangementError([Problem(0, 'JSON must be {"holidays": [dates], "workdays": [dates]}')])
    problems: list[Problem] = []
    out: dict[str, set[date]] = {"holidays": set(), "workdays": set()}
    for key in ("holidays", "workdays"):
        values = doc.get(key, [])
        if not isinstance(values, list):
            problems.append(Problem(0, f"{key}: must be a list of dates"))
            continue
        for i, v in enumerate(values):
            try:
                out[key].add(_date(str(v)))
            except ValueError:
                problems.append(Problem(0, f"{key}[{i}]: {str(v)[:40]!r} is not a date (YYYY-MM-DD)"))
    years = {d.year for s in out.values() for d in s}
    if isinstance(doc.get("year"), int):
        years.add(doc["year"])
    return _finish(out["holidays"], out["workdays"], {}, years, year, problems)


def _parse_lines(text: str, year: int | None) -> Arrangement:
    problems: list[Problem] = []
    holidays: set[date] = set()
    workdays: set[date] = set()
    names: dict[date, str] = {}
    seen: dict[date, int] = {}
    years: set[int] = set()
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        if len(line) > 500:
            problems.append(Problem(number, "the line is longer than 500 characters"))
            continue
        line = re.sub(r"[,\t，;；]", " ", line)
        # A range may have been written with spaces around its separator.
        words = re.sub(r"\s*(\.\.|~|～|至|–|—)\s*", r"\1", line).split()
        if len(words) < 2:
            problems.append(Problem(number, "write a date or a range, then holiday or workday (休/班)"))
            continue
        when, kind_word, name = words[0], words[1], " ".join(words[2:])
        kind = _kind(kind_word)
        if kind is None:
            problems.append(Problem(number, f"{kind_word[:20]!r} is neither holiday (休, 放假) nor workday (班, 上班)"))
            continue
        try:
            m = _RANGE.match(when)
            first, last = (_date(m.group(1)), _date(m.group(2))) if m else (_date(when), _date(when))
        except ValueError:
            problems.append(Problem(number, f"{when[:30]!r} is not a date (YYYY-MM-DD) or a range (A..B)"))
            continue
        if last < first:
            problems.append(Problem(number, f"the range ends ({last}) before it begins ({first})"))
            continue
        if (last - first).days + 1 > MAX_RANGE_DAYS:
            problems.append(Problem(number, f"a holiday of {(last - first).days + 1} days is longer than "
                                            f"{MAX_RANGE_DAYS}: check the dates"))
            continue
        if kind == "workday" and first != last:
            problems.append(Problem(number, "adjusted working days are single dates; write one line for each"))
            continue
        day = first
        while day <= last:
            if day in seen:
                problems.append(Problem(number, f"{day} is already given on line {seen[day]}"))
            else:
                seen[day] = number
                (holidays if kind == "holiday" else workdays).add(day)
                if name:
                    names[day] = name[:50]
                if kind == "workday" and day.weekday() < 5:
                    problems.append(Problem(number, f"{day} is a {WEEKDAYS_EN[day.weekday()]}, a working day "
                                                    "already: an adjusted working day (调休) falls on a weekend"))
            years.add(day.year)
            day += timedelta(days=1)
    if not holidays and not workdays and not problems:
        problems.append(Problem(0, "the file lists no dates"))
    return _finish(holidays, workdays, names, years, year, problems)


def _finish(holidays: set[date], workdays: set[date], names: dict[date, str], years: set[int],
            year: int | None, problems: list[Problem]) -> Arrangement:
    if year is None:
        if len(years) > 1:
            problems.append(Problem(0, f"the dates fall in {len(years)} years ({', '.join(map(str, sorted(years)))});"
                                       " a file holds one year's arrangement"))
        year = min(years) if years else 0
    for text in validate_year_upload(year, holidays, workdays):
        problems.append(Problem(0, text))
    if problems:
        raise ArrangementError(problems)
    return Arrangement(year, holidays, workdays, names)


# ---- laying a year out -----------------------------------------------------------------------
@dataclass
class Period:
    """A run of consecutive holidays and the adjusted working days that belong to it."""

    first: date
    last: date
    workdays: list[date]
    name: str = ""

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1


def periods(holidays: set[date] | frozenset[date], workdays: set[date] | frozenset[date],
            names: dict[date, str] | None = None) -> list[Period]:
    """Holiday runs in order, each with the adjusted working days nearest to it (within 14 days)."""
    names = names or {}
    runs: list[Period] = []
    for d in sorted(holidays):
        if runs and d - runs[-1].last == timedelta(days=1):
            runs[-1].last = d
        else:
            runs.append(Period(d, d, [], names.get(d, "")))
    for w in sorted(workdays):
        if not runs:
            break
        nearest = min(runs, key=lambda p: min(abs((w - p.first).days), abs((w - p.last).days)))
        if min(abs((w - nearest.first).days), abs((w - nearest.last).days)) <= 14:
            nearest.workdays.append(w)
    return runs


def day_mark(d: date, holidays: set[date] | frozenset[date], workdays: set[date] | frozenset[date]) -> str:
    """``休`` a holiday or weekend, ``班`` an adjusted working day, ``·`` an ordinary working day."""
    if d in workdays:
        return "班"
    if d in holidays or d.weekday() >= 5:
        return "休"
    return "·"


def show_lines(year: int, holidays: set[date] | frozenset[date], workdays: set[date] | frozenset[date],
               names: dict[date, str] | None = None) -> list[str]:
    """Text lines: each holiday with the days around it (from two days before the first adjusted
    working day or the holiday, to two days after), marked 休 / 班 / ·."""
    lines: list[str] = []
    found = periods(holidays, workdays, names)
    if not found:
        return [f"{year}: no holidays listed"]
    for p in found:
        span = [p.first, p.last, *p.workdays]
        start, end = min(span) - timedelta(days=2), max(span) + timedelta(days=2)
        label = f" {p.name}" if p.name else ""
        work = ", ".join(f"{w.isoformat()} {WEEKDAYS_EN[w.weekday()]}" for w in p.workdays) or "none"
        lines.append(f"{p.first.isoformat()} {WEEKDAYS_EN[p.first.weekday()]} – {p.last.isoformat()} "
                     f"{WEEKDAYS_EN[p.last.weekday()]}: {p.days} days off{label}; adjusted working days: {work}")
        days: list[str] = []
        d = start
        while d <= end:
            days.append(f"{d.month:02d}-{d.day:02d} {WEEKDAYS_EN[d.weekday()]} {day_mark(d, holidays, workdays)}")
            d += timedelta(days=1)
        for i in range(0, len(days), 7):
            lines.append("    " + " | ".join(days[i : i + 7]))
    return lines
