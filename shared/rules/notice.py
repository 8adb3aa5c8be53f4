"""Notice rule (spec 06 §4): ``NOTICE_REPLY_OVERDUE``.

One function over a view of one notice, on the addressed office's ``as_of`` (spec 02 §3): an
office that is only offline is not accused before its records arrive. A reply recorded at
the centre is complete at once; an office's own reply is seen once its ``as_of`` has reached
it. The alert resolves when a reply is seen, late or not: the lateness stays on record in
the notice itself (``replied_at`` after ``reply_due``) and in the alert that was raised.
"""

from __future__ import annotations

from dataclasses import dataclass

from shared.rules.common import Hit, hit, rule_family, run_rules, short
from shared.timeutil import Instant, format_instant


@dataclass(frozen=True, slots=True)
class NoticeFacts:
    id: str
    office: str
    reply_due: Instant
    replied_at: Instant | None = None
    reply_at_centre: bool = False
    """The reply was recorded at the centre (complete at once, whatever the office's ``as_of``)."""


@dataclass(frozen=True, slots=True)
class NoticeView:
    """What the notice rule reads: the notice and the addressed office's ``as_of``."""

    facts: NoticeFacts
    as_of: Instant

    @property
    def reply_seen(self) -> bool:
        f = self.facts
        return f.replied_at is not None and (f.reply_at_centre or f.replied_at <= self.as_of)


rule = rule_family("notice")


@rule("NOTICE_REPLY_OVERDUE", "red", "督办通知逾期未回复", "supervision notice reply overdue", clock=True)
def notice_reply_overdue_rule(v: NoticeView) -> list[Hit]:
    """No reply seen and ``as_of ≥ reply_due``."""
    f = v.facts
    if v.reply_seen or v.as_of < f.reply_due:
        return []
    return [hit("NOTICE_REPLY_OVERDUE",
                (f"督办通知应于 {short(f.reply_due)} 前书面回复，至今未回复",
                 f"the supervision notice was due for a written reply by {short(f.reply_due)} and has none"),
                notice_id=f.id, office=f.office, reply_due=format_instant(f.reply_due), as_of=format_instant(v.as_of))]


def notice_reply_overdue(facts: NoticeFacts, as_of: Instant) -> tuple[Hit | None, Instant | None]:
    """The hit of every registered notice rule (only ``NOTICE_REPLY_OVERDUE``) and the next
    instant at which the verdict could change without new records (None once a reply is seen
    or the notice is already late)."""
    view = NoticeView(facts, as_of)
    found = next(iter(run_rules("notice", view).values()), None)
    return found, None if view.reply_seen or as_of >= facts.reply_due else facts.reply_due
