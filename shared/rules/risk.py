"""Risk-level rule (spec 07 §1): ``RISK_LEVEL``, raised at a month's end on an office whose
risk-index level worsened against the month before (yellow for yellow, red for red).

One function over a view of one office's month, like every rule; the server's month-end
judgement (``server/figures``) builds the view from the levels the index computed. The rule
has two severities, so its hit carries the level it reached (``LevelHit``)."""

from __future__ import annotations

from dataclasses import dataclass

from shared.rules.common import Hit, Severity, rule_family

LEVEL_ZH = {"green": "绿色", "yellow": "黄色", "red": "红色"}
LEVELS = ("green", "yellow", "red")


@dataclass(slots=True, unsafe_hash=True)  # not frozen, as Hit is not
class LevelHit(Hit):
    """A hit whose severity is the risk level reached."""

    level: Severity = "yellow"

    @property
    def severity(self) -> Severity:
        return self.level


@dataclass(frozen=True, slots=True)
class RiskMonthView:
    """An office's month as the index judged it, and its level the month before."""

    office: str
    month: str
    index: int
    level: str
    before: str


rule = rule_family("risk")


@rule("RISK_LEVEL", "yellow", "勤廉风险等级上升", "risk level worsened", clock=False)
def risk_level(v: RiskMonthView) -> list[Hit]:
    """The level is worse than the month before's; the node is the month (each month's verdict
    is its own alert)."""
    if LEVELS.index(v.level) <= LEVELS.index(v.before):
        return []
    severity: Severity = "red" if v.level == "red" else "yellow"
    return [LevelHit(
        "RISK_LEVEL",
        v.month,
        f"{v.month} 勤廉风险综合评价指数 {v.index}，等级由{LEVEL_ZH.get(v.before, v.before)}降为"
        f"{LEVEL_ZH.get(v.level, v.level)}",
        {"office": v.office, "month": v.month, "index": v.index, "level": v.level, "before": v.before},
        f"{v.month} risk index {v.index}: level worsened from {v.before} to {v.level}",
        severity,
    )]
