"""Notice rule (spec 06 §4): ``NOTICE_REPLY_OVERDUE``.

One function over one notice's facts, on the addressed office's ``as_of`` (spec 02 §3): an
office that is only offline is not accused before its records arrive. A reply recorded at
the centre is complete at once; an office's own reply is seen once its ``as_of`` has reached
it. The alert resolves when a reply is seen, late or not: the lateness stays on record in
the notice itself (``replied_at`` after ``reply_due``) and in the alert that was raised.
"""

from __future__ import annotations

from dataclasses import dataclass

from shared.rules.common import Hit, short
from shared.timeutil import Instant, format_instant


@dataclass(frozen=True, slots=True)
class NoticeFacts:
    id: str
    office: str
    reply_due: Instant
    replied_at: Instant | None = None
    reply_at_centre: bool = False
    """The reply was recorded at the centre (complete at once, whatever the office's ``as_of``)."""


def reply_seen(facts: NoticeFacts, as_of: Instant) -> bool:
    if facts.replied_at is None:
        return False
    return facts.reply_at_centre or facts.replied_at <= as_of


def notice_reply_overdue(facts: NoticeFacts, as_of: Instant) -> tuple[Hit | None, Instant | None]:
    """The hit (or None) and the next instant at which the verdict could change without new
    records (None when nothing more can happen: the reply is seen)."""
    if reply_seen(facts, as_of):
        return None, None
    if as_of < facts.reply_due:
        return None, facts.reply_due
    return Hit(
        "NOTICE_REPLY_OVERDUE",
        None,
        f"督办通知应于 {short(facts.reply_due)} 前书面回复，至今未回复",
        {"notice_id": facts.id, "office": facts.office, "reply_due": format_instant(facts.reply_due),
         "as_of": format_instant(as_of)},
        f"the supervision notice was due for a written reply by {short(facts.reply_due)} and has none",
    ), None
