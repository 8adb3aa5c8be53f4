"""Instants as integer microseconds since the Unix epoch, and China local time (UTC+08:00).

The clock and the rules run on plain integers: exact (no float rounding), fast to compare
and to store in SQLite and PostgreSQL alike. Conversion to and from ISO 8601 happens only
at the edges (the API, the database, the UI).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from functools import lru_cache
from typing import overload

CHINA_TZ = timezone(timedelta(hours=8), "CST")
SECOND = 1_000_000
MINUTE = 60 * SECOND
HOUR = 3600 * SECOND
DAY = 24 * HOUR
_OFFSET = 8 * HOUR
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_EPOCH_ORDINAL = date(1970, 1, 1).toordinal()

Instant = int
"""Microseconds since 1970-01-01T00:00:00Z."""


def to_instant(moment: datetime) -> Instant:
    """An aware datetime as an instant; naive datetimes are refused (their zone is unknown)."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("timestamp has no UTC offset")
    delta = moment - _EPOCH
    return (delta.days * 86_400 + delta.seconds) * SECOND + delta.microseconds


def parse_instant(text: str) -> Instant:
    """Parse an ISO 8601 timestamp that carries an offset (``Z`` or ``+08:00``)."""
    return to_instant(datetime.fromisoformat(text))


def parse_instant_or_none(text: object) -> Instant | None:
    """A timestamp from stored or received data, or None when it is missing or unreadable."""
    if not text:
        return None
    try:
        return parse_instant(str(text))
    except ValueError:
        return None


def to_datetime(instant: Instant) -> datetime:
    """The instant in China local time."""
    return (_EPOCH + timedelta(microseconds=instant)).astimezone(CHINA_TZ)


@overload
def format_instant(instant: Instant) -> str: ...
@overload
def format_instant(instant: Instant | None) -> str | None: ...


def format_instant(instant: Instant | None) -> str | None:
    """ISO 8601 with the +08:00 offset, as the API writes every timestamp."""
    if instant is None:
        return None
    return _format(instant)


@lru_cache(maxsize=65_536)
def _format(instant: Instant) -> str:
    # Clock instants repeat (midnights, due times shared by many cases): formatting them once
    # matters when a sweep writes the evidence of tens of thousands of alerts.
    return to_datetime(instant).isoformat()


def local_day(instant: Instant) -> int:
    """The local (UTC+08:00) calendar day of an instant, as days since 1970-01-01."""
    return (instant + _OFFSET) // DAY


def day_start(day: int) -> Instant:
    """00:00 local time of a day number."""
    return day * DAY - _OFFSET


def day_to_date(day: int) -> date:
    return date.fromordinal(_EPOCH_ORDINAL + day)


def date_to_day(value: date) -> int:
    return value.toordinal() - _EPOCH_ORDINAL
