"""Rule names, severities and the hit type shared by every rule family."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

Severity = Literal["yellow", "red"]


@dataclass(frozen=True, slots=True)
class RuleInfo:
    code: str
    severity: Severity
    name_zh: str
    name_en: str
    clock: bool
    """Clock rules see only the records with ``at ≤ as_of``."""


RULES: dict[str, RuleInfo] = {
    r.code: r
    for r in (
        RuleInfo("DEADLINE_NEAR", "yellow", "临近办理时限", "deadline near", True),
        RuleInfo("OVERDUE", "red", "超时办理", "overdue", True),
        RuleInfo("NODE_OVERDUE", "yellow", "环节超时", "node overdue", True),
        RuleInfo("ACCEPTANCE_LATE", "yellow", "受理超时", "acceptance late", True),
        RuleInfo("SKIPPED_NODE", "red", "跳过办理环节", "skipped procedure node", False),
        RuleInfo("CHANGED_AFTER_CLOSE", "red", "办结后变更", "changed after close", False),
        RuleInfo("NO_REASON", "red", "不予许可未说明理由", "refusal without reason", False),
        RuleInfo("FEE_EXCESS", "red", "超标准收费", "fee above the standard", False),
        RuleInfo("DUPLICATE_CASE", "yellow", "重复办件", "duplicate case", False),
        RuleInfo("SUSPENSION_ABUSE", "yellow", "违规暂停计时", "suspension abuse", False),
        RuleInfo("SEGREGATION", "red", "不相容岗位未分离", "segregation of duties", False),
        RuleInfo("POOR_RATING", "yellow", "群众评价差", "poor citizen rating", False),
        RuleInfo("BACKDATED", "yellow", "补录数据", "back-dated record", False),
        RuleInfo("OFFICE_SILENT", "yellow", "单位未按时报送", "office silent", True),
        RuleInfo("PETITION_ACCEPT_DUE", "yellow", "信访临近受理时限", "petition acceptance due", True),
        RuleInfo("PETITION_ACCEPT_OVERDUE", "red", "信访受理超期", "petition acceptance overdue", True),
        RuleInfo("PETITION_HANDLE_DUE", "yellow", "信访临近办理时限", "petition handling due", True),
        RuleInfo("PETITION_HANDLE_OVERDUE", "red", "信访办理超期", "petition handling overdue", True),
        RuleInfo("PETITION_DUPLICATE", "yellow", "重复信访", "repeated petition", False),
        RuleInfo("NOTICE_REPLY_OVERDUE", "red", "督办通知逾期未回复", "supervision notice reply overdue", True),
        RuleInfo("RISK_LEVEL", "yellow", "勤廉风险等级上升", "risk level worsened", False),
    )
}


@dataclass(frozen=True, slots=True)
class Hit:
    """One rule whose predicate is true for a subject (and node).

    ``message`` is in Chinese (the product's language for its users); ``message_en`` is
    the same sentence in English for the English interface.
    """

    rule: str
    node: str | None
    message: str
    evidence: dict[str, Any] = field(default_factory=dict)
    message_en: str = ""

    @property
    def severity(self) -> Severity:
        return RULES[self.rule].severity

    @property
    def key(self) -> tuple[str, str | None]:
        return (self.rule, self.node)


Text = tuple[str, str]
"""A message as (Chinese, English)."""

EVENT_NAMES_ZH = {
    "received": "收件", "accepted": "受理", "not_accepted": "不予受理", "node_completed": "环节办结",
    "suspended": "暂停计时", "resumed": "恢复计时", "fee_charged": "收费", "decided": "办结", "delivered": "送达",
    "withdrawn": "撤回",
}
#: English names for ``message_en`` (codes such as ``node_completed`` read as words).
EVENT_NAMES_EN = {code: code.replace("_", " ") for code in EVENT_NAMES_ZH}
RATING_NAMES_EN = {"satisfied": "satisfied", "basically_satisfied": "basically satisfied",
                   "dissatisfied": "dissatisfied", "very_poor": "very poor"}
RATING_NAMES_ZH = {
    "satisfied": "满意", "basically_satisfied": "基本满意", "dissatisfied": "不满意", "very_poor": "很差",
}


def short(instant: int | None) -> str:
    """An instant as people read it: ``2026-03-07 00:00`` (local time)."""
    from shared.timeutil import format_instant

    text = format_instant(instant)
    return text[:16].replace("T", " ") if text else "—"


def earliest_after(candidates: list[int | None], as_of: int) -> int | None:
    """The smallest candidate instant strictly after ``as_of`` (None when there is none)."""
    later = [c for c in candidates if c is not None and c > as_of]
    return min(later) if later else None
