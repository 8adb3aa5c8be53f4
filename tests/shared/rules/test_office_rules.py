"""Boundary tests of the office rule OFFICE_SILENT (spec 02 §3, §5): server now − watermark
above the configured hours (24 by default); an office without a batch counts from its creation."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from shared.rules import RULES, office_silent
from shared.rules.office import OfficeView, office_silent_rule
from shared.timeutil import DAY, HOUR

from .support import US, t

WATERMARK = t("03-02T09:00")


def test_silent_exactly_at_the_limit_is_not_silent_one_microsecond_more_is() -> None:
    hit, next_check = office_silent(now=WATERMARK + 24 * HOUR, watermark=WATERMARK, created_at=0)
    assert hit is None
    assert next_check == WATERMARK + 24 * HOUR + US  # checked again at the first instant of silence
    hit, _ = office_silent(now=WATERMARK + 24 * HOUR + US, watermark=WATERMARK, created_at=0)
    assert hit is not None
    assert hit.key == ("OFFICE_SILENT", None)


def test_silent_counts_wall_hours_across_a_weekend() -> None:
    # Not a working-day clock: a Friday watermark is silent by Saturday.
    friday = t("03-06T18:00")
    hit, _ = office_silent(now=t("03-07T19:00"), watermark=friday, created_at=0)
    assert hit is not None
    assert hit.message == "已 25 小时未报送数据（规定 24 小时内）"
    assert hit.evidence["watermark"] == "2026-03-06T18:00:00+08:00"


def test_an_office_without_a_batch_counts_from_its_creation() -> None:
    created = t("03-01T12:00")
    assert office_silent(now=created + 24 * HOUR, watermark=None, created_at=created)[0] is None
    hit, next_check = office_silent(now=created + 24 * HOUR + US, watermark=None, created_at=created)
    assert hit is not None
    assert hit.evidence["watermark"] is None
    assert hit.evidence["counted_from"] == "2026-03-01T12:00:00+08:00"
    assert next_check == created + 25 * HOUR  # when its message would say 25 hours


@pytest.mark.parametrize(("hours", "silent"), [(47, False), (48, False), (49, True)])
def test_silent_hours_are_configurable(hours: int, silent: bool) -> None:
    v = OfficeView(now=WATERMARK + hours * HOUR, watermark=WATERMARK, created_at=0, silent_hours=48)
    assert bool(office_silent_rule(v)) is silent
    assert bool(RULES["OFFICE_SILENT"](v)) is silent
    assert v.silent_at == WATERMARK + 48 * HOUR


@given(since=st.integers(0, 400 * DAY), elapsed=st.integers(0, 90 * DAY), later=st.floats(0, 1),
       silent_hours=st.integers(1, 24 * 90))
def test_nothing_reads_differently_before_the_next_check_and_something_does_at_it(
    since: int, elapsed: int, later: float, silent_hours: int
) -> None:
    # The sweep checks an office again only at this instant: any sooner would find the same
    # alert (and a province's 1,516 offices would be re-read every sweep), any later would
    # leave the wall's hour count or a new silence behind.
    now = since + elapsed

    def answer(at: int) -> tuple[str, str] | None:
        found = office_silent(now=at, watermark=since, created_at=0, silent_hours=silent_hours)[0]
        return (found.message, found.message_en) if found else None

    _, next_check = office_silent(now=now, watermark=since, created_at=0, silent_hours=silent_hours)
    assert next_check > now
    between = now + int((next_check - 1 - now) * later)
    assert answer(between) == answer(now) == answer(next_check - 1)
    assert answer(next_check) != answer(now)
