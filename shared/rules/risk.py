"""Risk-level rule (spec 07 §1): ``RISK_LEVEL``, raised at a month's end on an office whose
risk-index level worsened against the month before (yellow for yellow, red for red).

One function, like every rule; the server's month-end judgement calls it with the levels the
index computed. Its severity is the level reached, so the hit carries it itself."""

from __future__ import annotations

from dataclasses import dataclass

from shared.rules.common import Hit, Severity

LEVEL_ZH = {"green": "绿色", "yellow": "黄色", "red": "红色"}


@dataclass(frozen=True, slots=True)
class LevelHit(Hit):
    """A hit whose severity is the risk level reached (the rule has two)."""

    level: Severity = "yellow"

    @property
    def severity(self) -> Severity:
        return self.level


def risk_level_hit(*, office: str, month: str, index: int, level: str, before: str) -> LevelHit:
    """The ``RISK_LEVEL`` hit for an office whose level went from ``before`` to ``level`` in
    ``month`` (the node is the month: each month's verdict is its own alert)."""
    severity: Severity = "red" if level == "red" else "yellow"
    return LevelHit(
        "RISK_LEVEL",
        month,
        f"{month} 勤廉风险综合评价指数 {index}，等级由{LEVEL_ZH.get(before, before)}降为{LEVEL_ZH.get(level, level)}",
        {"office": office, "month": month, "index": index, "level": level, "before": before},
        f"{month} risk index {index}: level worsened from {before} to {level}",
        severity,
    )
