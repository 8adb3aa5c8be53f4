"""Boundary tests of ``NOTICE_REPLY_OVERDUE`` (spec 06 §4) and ``RISK_LEVEL`` (spec 07 §1)."""

from __future__ import annotations

import pytest

from shared.rules import RULES
from shared.rules.notice import NoticeFacts, NoticeView, notice_reply_overdue
from shared.rules.risk import RiskMonthView
from shared.timeutil import HOUR, parse_instant

from .support import US

NID = "151610b0-723f-5cc1-b4e1-67870a12f0a5"
DUE = parse_instant("2026-04-21T00:00:00+08:00")


def test_notice_reply_overdue_from_the_due_instant_on_the_office_as_of() -> None:
    facts = NoticeFacts(id=NID, office="T01", reply_due=DUE)
    assert notice_reply_overdue(facts, DUE - US) == (None, DUE), "not yet due: judged again at the due instant"
    found, nxt = notice_reply_overdue(facts, DUE)
    assert found is not None
    assert (found.rule, found.severity, found.evidence["notice_id"], nxt) == ("NOTICE_REPLY_OVERDUE", "red", NID,
                                                                               None)
    assert RULES["NOTICE_REPLY_OVERDUE"](NoticeView(facts, DUE))[0].rule == "NOTICE_REPLY_OVERDUE"


def test_a_reply_resolves_it_once_seen_late_or_not() -> None:
    late = NoticeFacts(id=NID, office="T01", reply_due=DUE, replied_at=DUE + HOUR)
    assert notice_reply_overdue(late, DUE + HOUR - US)[0] is not None, "the office's as_of has not reached it"
    assert notice_reply_overdue(late, DUE + HOUR) == (None, None)
    on_time = NoticeFacts(id=NID, office="T01", reply_due=DUE, replied_at=DUE - US)
    assert notice_reply_overdue(on_time, DUE) == (None, None)
    centre = NoticeFacts(id=NID, office="T01", reply_due=DUE, replied_at=DUE + 2 * HOUR, reply_at_centre=True)
    assert notice_reply_overdue(centre, DUE) == (None, None), "a reply recorded at the centre counts at once"


@pytest.mark.parametrize(("before", "level", "severity"), [
    ("green", "yellow", "yellow"), ("green", "red", "red"), ("yellow", "red", "red"),
    ("green", "green", None), ("yellow", "yellow", None), ("red", "yellow", None), ("red", "red", None),
])
def test_risk_level_when_the_level_worsens(before: str, level: str, severity: str | None) -> None:
    hits = RULES["RISK_LEVEL"](RiskMonthView("T01", "2026-03", 60, level, before))
    if severity is None:
        assert hits == []
        return
    [found] = hits
    assert (found.rule, found.node, found.severity) == ("RISK_LEVEL", "2026-03", severity)
    assert found.evidence == {"office": "T01", "month": "2026-03", "index": 60, "level": level, "before": before}
