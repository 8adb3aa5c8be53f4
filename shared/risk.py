"""The diligence-integrity risk index (勤廉风险综合评价指数, spec 07 §1), as pure functions.

The server gathers one :class:`Charge` per record that costs points in a month (an alert
raised, a card, a notice answered late, a poor rating, a substantiated petition), already
reduced to its most specific item; :func:`index_rows` turns them into rows per office or per
person with the configured weights and levels. Every point keeps the ``ref`` of the record
behind it, so a person can follow a number down to the record (an alert, a card, a notice,
a case, a petition) through the API. The console computes nothing here itself: it shows the
server's rows, so the wall, a leader's overview and the big screen agree.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from shared.settings import RiskIndexSettings
from shared.timeutil import Instant, date_to_day, day_start, day_to_date, local_day

#: The items of the spec's table, in its order, with the settings field holding each weight.
ITEMS = ("red_alert", "yellow_alert", "red_card", "yellow_card", "notice_overdue", "dissatisfied", "very_poor",
         "substantiated_petition")
ITEM_NAMES: dict[str, tuple[str, str]] = {
    "red_alert": ("红色预警", "red alert raised"),
    "yellow_alert": ("黄色预警", "yellow alert raised"),
    "red_card": ("红牌", "red card"),
    "yellow_card": ("黄牌", "yellow card"),
    "notice_overdue": ("督办通知逾期回复", "supervision notice answered late or not at all"),
    "dissatisfied": ("不满意评价", "dissatisfied rating"),
    "very_poor": ("很差评价", "very poor rating"),
    "substantiated_petition": ("信访反映属实", "petition closed as substantiated"),
}
#: Rules whose alerts never count as alerts: their record counts under a more specific item
#: (the rating, the notice), or the alert is the index's own verdict.
NOT_COUNTED_AS_ALERTS = frozenset({"POOR_RATING", "NOTICE_REPLY_OVERDUE", "RISK_LEVEL"})
LEVELS = ("green", "yellow", "red")
MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")


@dataclass(frozen=True, slots=True)
class Charge:
    """One record that costs points: its item, whom it counts against, and where to find it."""

    item: str
    office: str
    staff: str | None
    ref: Mapping[str, Any]
    at: Instant


@dataclass
class Row:
    key: str
    name: str
    points: list[dict[str, Any]] = field(default_factory=list)

    def total(self) -> int:
        return sum(int(p["weight"]) for p in self.points)


def parse_month(text: str) -> tuple[int, int] | None:
    m = MONTH.match(text or "")
    if m is None:
        return None
    year, month = int(m.group(1)), int(m.group(2))
    return (year, month) if 1970 <= year <= 8999 else None


def month_bounds(year: int, month: int) -> tuple[Instant, Instant]:
    """``[start, end)`` of a calendar month in Asia/Shanghai."""
    nxt = (year + 1, 1) if month == 12 else (year, month + 1)
    return day_start(date_to_day(date(year, month, 1))), day_start(date_to_day(date(nxt[0], nxt[1], 1)))


def local_month(instant: Instant) -> tuple[int, int]:
    """The (year, month) an instant falls in, in Asia/Shanghai."""
    d = day_to_date(local_day(instant))
    return d.year, d.month


def previous_month(year: int, month: int) -> tuple[int, int]:
    return (year - 1, 12) if month == 1 else (year, month - 1)


def month_text(year: int, month: int) -> str:
    return f"{year:04d}-{month:02d}"


def level_of(index: int, settings: RiskIndexSettings) -> str:
    if index >= settings.green_from:
        return "green"
    if index >= settings.yellow_from:
        return "yellow"
    return "red"


def weight_of(item: str, settings: RiskIndexSettings) -> int:
    return int(getattr(settings, item))


def alert_item(rule: str, severity: str) -> str | None:
    """The item an alert counts under, or None when it does not count as an alert."""
    if rule in NOT_COUNTED_AS_ALERTS:
        return None
    return "red_alert" if severity == "red" else "yellow_alert"


def alert_counts(status: str, escalated: bool) -> bool:
    """A dismissed alert (unfounded) does not count, unless a person had confirmed it before."""
    return status != "dismissed" or escalated


def evidence_actor(evidence: Mapping[str, Any] | None) -> str | None:
    """The person named by a rule's evidence: the actor of the event that broke the rule, when
    the evidence names one (the last of the listed events: the one that tipped the rule)."""
    if not evidence:
        return None
    actor = evidence.get("actor")
    if isinstance(actor, str) and actor.strip():
        return actor.strip()
    for key in ("clashes", "events", "changes", "suspensions"):
        items = evidence.get(key)
        if isinstance(items, list):
            for item in reversed(items):
                if isinstance(item, Mapping) and isinstance(item.get("actor"), str) and item["actor"].strip():
                    return str(item["actor"]).strip()
    for key in ("event", "needed_by", "closed", "decision"):
        item = evidence.get(key)
        if isinstance(item, Mapping) and isinstance(item.get("actor"), str) and item["actor"].strip():
            return str(item["actor"]).strip()
    return None


def index_rows(charges: Iterable[Charge], *, by: str, settings: RiskIndexSettings,
               names: Mapping[str, str] | None = None, everyone: Iterable[str] = ()) -> list[dict[str, Any]]:
    """Rows ``{"key","name","index","level","points"}``, worst first (ties by key).

    ``by`` is ``office`` or ``staff``; a charge without a person does not count per person.
    ``everyone`` are keys shown even without points (every registered office, at 100)."""
    rows: dict[str, Row] = {}
    names = names or {}
    for key in everyone:
        rows[key] = Row(key, names.get(key, key))
    for c in sorted(charges, key=lambda c: (c.at, c.item, str(c.ref.get("id")))):
        who = c.office if by == "office" else c.staff
        if not who:
            continue
        row = rows.setdefault(who, Row(who, names.get(who, who)))
        row.points.append({"item": c.item, "weight": weight_of(c.item, settings), "ref": dict(c.ref)})
    out = []
    for row in rows.values():
        index = max(0, min(100, 100 + row.total()))
        out.append({"key": row.key, "name": row.name, "index": index, "level": level_of(index, settings),
                    "points": row.points})
    out.sort(key=lambda r: (r["index"], r["key"]))
    return out

