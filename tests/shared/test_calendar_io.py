"""The State Council's arrangement as a file, the year laid out around each holiday, and the
calendar's view of which years are missing."""

from __future__ import annotations

import json
from datetime import date

import pytest

from shared.calendar import WorkCalendar
from shared.calendar_io import ArrangementError, parse_arrangement, periods, show_lines
from shared.timeutil import parse_instant
from tests.admin_data import ARRANGEMENT_2027


def test_reads_the_fixture_arrangement() -> None:
    a = parse_arrangement(ARRANGEMENT_2027.encode())
    assert a.year == 2027
    assert date(2027, 1, 1) in a.holidays
    assert date(2027, 2, 12) in a.holidays
    assert len(a.holidays) == 10
    assert a.workdays == {date(2027, 2, 13), date(2027, 2, 20)}
    assert a.names[date(2027, 2, 6)] == "春节"
    assert a.body()["workdays"] == ["2027-02-13", "2027-02-20"]


def test_chinese_words_commas_and_gb18030() -> None:
    text = "2027-10-01 至 2027-10-07，休，国庆\n2027-10-09，班\n"
    a = parse_arrangement(text.encode("gb18030"))
    assert len(a.holidays) == 7
    assert a.workdays == {date(2027, 10, 9)}


def test_json_in_the_upload_shape() -> None:
    a = parse_arrangement(json.dumps({"holidays": ["2027-01-01"], "workdays": []}).encode())
    assert a.year == 2027
    assert a.holidays == {date(2027, 1, 1)}


@pytest.mark.parametrize(("text", "words"), [
    ("2027-13-01 holiday", "not a date"),
    ("2027-01-05 vacation", "neither holiday"),
    ("2027-01-05", "write a date or a range"),
    ("2027-01-09..2027-01-05 休", "ends"),
    ("2027-01-01..2027-03-01 休", "longer than 31"),
    ("2027-01-04 班", "working day already"),
    ("2027-01-01 休\n2027-01-01 休", "already given on line 1"),
    ("2027-01-01 休\n2026-12-31 休", "2 years"),
    ("2027-02-13..2027-02-14 班", "single dates"),
    ("# nothing\n", "lists no dates"),
    ("2027-01-01 休\x00", "NUL"),
    ("{\"holidays\": 5}", "must be a list"),
    ("{\"holidays\": [\"soon\"]}", "not a date"),
    ("{broken", "not valid JSON"),
])
def test_every_problem_has_its_line(text: str, words: str) -> None:
    with pytest.raises(ArrangementError) as exc:
        parse_arrangement(text.encode())
    assert any(words in str(p) for p in exc.value.problems), [str(p) for p in exc.value.problems]


def test_not_text_and_too_large() -> None:
    with pytest.raises(ArrangementError, match="not text"):
        parse_arrangement(bytes([0xFF, 0xFE, 0x81]) * 10)
    with pytest.raises(ArrangementError, match="larger than"):
        parse_arrangement(b"#" * (300 * 1024))


def test_periods_and_the_days_around_them() -> None:
    a = parse_arrangement(ARRANGEMENT_2027.encode())
    found = periods(a.holidays, a.workdays, a.names)
    assert [(p.first, p.last, p.workdays) for p in found] == [
        (date(2027, 1, 1), date(2027, 1, 3), []),
        (date(2027, 2, 6), date(2027, 2, 12), [date(2027, 2, 13), date(2027, 2, 20)]),
    ]
    lines = show_lines(2027, a.holidays, a.workdays, a.names)
    assert lines[0].startswith("2027-01-01 Fri – 2027-01-03 Sun: 3 days off 元旦")
    assert any("02-13 Sat 班" in line for line in lines)
    assert any("02-21 Sun 休" in line for line in lines)


def test_missing_and_provisional_years() -> None:
    cal = WorkCalendar()
    assert cal.missing_years(date(2026, 10, 31)) == []
    assert cal.missing_years(date(2026, 11, 1)) == [2027]
    assert cal.missing_years(date(2026, 12, 1), (12, 15)) == []
    loaded = cal.with_year(2027, [date(2027, 1, 1)], [])
    assert loaded.missing_years(date(2026, 12, 20)) == []
    start, due = parse_instant("2026-12-21T00:00:00+08:00"), parse_instant("2027-01-02T00:00:00+08:00")
    assert cal.provisional_years([(start, due)]) == [2027]
    assert cal.provisional_years([(start, parse_instant("2027-01-01T00:00:00+08:00"))]) == []
    assert loaded.provisional_years([(start, due)]) == []
