"""Boundary tests of the office rule OFFICE_SILENT (spec 02 §3, §5): server now − watermark
above the configured hours (24 by default); an office without a batch counts from its creation."""

from __future__ import annotations

import pytest

from shared.rules import RULES, office_silent
from shared.rules.office import OfficeView, office_silent_rule
from shared.timeutil import HOUR

from .support import US, t

WATERMARK = t("03-02T09:00")


def test_silent_exactly_at_the_limit_is_not_silent_one_microsecond_more_is() -> None:
    hit, silent_at = office_silent(now=WATERMARK + 24 * HOUR, watermark=WATERMARK, created_at=0)
    assert hit is None
    assert silent_at == WATERMARK + 24 * HOUR
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
    hit, silent_at = office_silent(now=created + 24 * HOUR + US, watermark=None, created_at=created)
    assert hit is not None
    assert hit.evidence["watermark"] is None
    assert hit.evidence["counted_from"] == "2026-03-01T12:00:00+08:00"
    assert silent_at == created + 24 * HOUR


@pytest.mark.parametrize(("hours", "silent"), [(47, False), (48, False), (49, True)])
def test_silent_hours_are_configurable(hours: int, silent: bool) -> None:
    v = OfficeView(now=WATERMARK + hours * HOUR, watermark=WATERMARK, created_at=0, silent_hours=48)
    assert bool(office_silent_rule(v)) is silent
    assert bool(RULES["OFFICE_SILENT"](v)) is silent
    assert v.silent_at == WATERMARK + 48 * HOUR
