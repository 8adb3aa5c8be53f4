"""Boundary tests of the petition rules (spec 02 §6, 信访工作条例): PETITION_ACCEPT_DUE,
PETITION_ACCEPT_OVERDUE, PETITION_HANDLE_DUE, PETITION_HANDLE_OVERDUE, PETITION_DUPLICATE.

Petition limits are calendar days: weekends and holidays count, nothing suspends them.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from shared.rules import RULES, evaluate_petition, petition_duplicate
from shared.rules.petition import (
    PetitionEventFact,
    PetitionFacts,
    petition_accept_overdue,
    petition_handle_due,
    petition_handle_overdue,
    petition_view,
)
from shared.timeutil import DAY, HOUR

from .support import US, t

# Received Mon 06-01 09:00: counting begins 06-02 00:00; acceptance due 15 days later,
# 06-17 00:00, with the warning 3 days before, 06-14 00:00 (a Sunday: every day counts).
RECEIVED = t("06-01T09:00")
ACCEPT_DUE = t("06-17T00:00")
ACCEPT_WARN = t("06-14T00:00")
# Accepted 06-10 10:00: handling counts from 06-11 00:00, 60 days → 08-10 00:00, warning 10 days before.
ACCEPTED = t("06-10T10:00")
HANDLE_DUE = t("08-10T00:00")
HANDLE_WARN = t("07-31T00:00")


def ev(type_: str, at: int, days: int = 0, *, desk: bool = False) -> PetitionEventFact:
    return PetitionEventFact(f"{type_}@{at}", type_, at, days, desk)


def codes(events: list[PetitionEventFact], as_of: int, *, now: int | None = None,
          duplicate_of: tuple[str, int] | None = None, received: int = RECEIVED) -> set[str]:
    facts = PetitionFacts("P1", received, sorted(events, key=lambda e: e.at), duplicate_of)
    return {rule for rule, _ in evaluate_petition(facts, as_of, now).hits}


def accepted(*more: PetitionEventFact) -> list[PetitionEventFact]:
    return [ev("accepted", ACCEPTED), *more]


# ---- PETITION_ACCEPT_DUE / PETITION_ACCEPT_OVERDUE --------------------------------------

def test_accept_due_from_the_warning_until_the_due_time() -> None:
    assert codes([], ACCEPT_WARN - US) == set()
    assert codes([], ACCEPT_WARN) == {"PETITION_ACCEPT_DUE"}
    assert codes([], ACCEPT_DUE - US) == {"PETITION_ACCEPT_DUE"}
    assert codes([], ACCEPT_DUE) == {"PETITION_ACCEPT_OVERDUE"}


def test_accept_clock_counts_holidays() -> None:
    # Received the day before National Day: the holiday week counts like any other days.
    received = t("09-30T10:00")
    assert codes([], t("10-16T00:00") - US, received=received) == {"PETITION_ACCEPT_DUE"}
    assert codes([], t("10-16T00:00"), received=received) == {"PETITION_ACCEPT_OVERDUE"}


@pytest.mark.parametrize("decision", ["accepted", "not_accepted", "merged"])
def test_accept_overdue_decision_just_before_vs_at_due(decision: str) -> None:
    later = t("12-31T00:00")
    assert "PETITION_ACCEPT_OVERDUE" not in codes([ev(decision, ACCEPT_DUE - US)], later)
    assert "PETITION_ACCEPT_OVERDUE" in codes([ev(decision, ACCEPT_DUE)], later)


def test_accept_due_ends_with_a_decision() -> None:
    assert codes([ev("not_accepted", ACCEPT_WARN)], ACCEPT_WARN) == set()


def test_accept_rules_wait_for_the_receipt_to_be_seen() -> None:
    # The office's as_of lags behind the petition's receipt: nothing is due yet.
    assert codes([], RECEIVED - US) == set()


def test_accept_due_sees_a_desk_decision_once_now_passes_it() -> None:
    # The office's records stop at the warning; the centre's desk decided an hour later.
    # Desk events are complete at once: seen as soon as the server's now passes them.
    decided = ACCEPT_WARN + HOUR
    desk = [ev("accepted", decided, desk=True)]
    office = [ev("accepted", decided)]
    assert codes(desk, ACCEPT_WARN) == {"PETITION_ACCEPT_DUE"}
    assert codes(desk, ACCEPT_WARN, now=decided - US) == {"PETITION_ACCEPT_DUE"}
    assert codes(desk, ACCEPT_WARN, now=decided) == set()
    assert codes(office, ACCEPT_WARN, now=decided) == {"PETITION_ACCEPT_DUE"}


def test_accept_overdue_evidence() -> None:
    facts = PetitionFacts("P1", RECEIVED, [ev("accepted", ACCEPT_DUE + DAY)])
    (h,) = petition_accept_overdue(petition_view(facts, t("12-31T00:00")))
    assert h.evidence == {"due": "2026-06-17T00:00:00+08:00", "decided_at": "2026-06-18T00:00:00+08:00"}
    assert h.message_en == "not decided on acceptance by 2026-06-17 00:00 (decided 2026-06-18 00:00)"


@settings(max_examples=60, deadline=None)
@given(st.integers(min_value=RECEIVED - DAY, max_value=RECEIVED + 40 * DAY))
def test_accept_due_and_overdue_never_together(as_of: int) -> None:
    found = codes([], as_of)
    assert ("PETITION_ACCEPT_DUE" in found) == (ACCEPT_WARN <= as_of < ACCEPT_DUE)
    assert ("PETITION_ACCEPT_OVERDUE" in found) == (as_of >= ACCEPT_DUE)


# ---- PETITION_HANDLE_DUE / PETITION_HANDLE_OVERDUE --------------------------------------

def test_handle_due_from_the_warning_until_the_due_time() -> None:
    assert "PETITION_HANDLE_DUE" not in codes(accepted(), HANDLE_WARN - US)
    assert "PETITION_HANDLE_DUE" in codes(accepted(), HANDLE_WARN)
    assert "PETITION_HANDLE_DUE" in codes(accepted(), HANDLE_DUE - US)
    assert "PETITION_HANDLE_OVERDUE" not in codes(accepted(), HANDLE_DUE - US)
    assert codes(accepted(), HANDLE_DUE) == {"PETITION_HANDLE_OVERDUE"}


@pytest.mark.parametrize("finish", ["replied", "closed", "merged"])
def test_handle_overdue_finish_just_before_vs_at_due(finish: str) -> None:
    later = t("12-31T00:00")
    assert "PETITION_HANDLE_OVERDUE" not in codes(accepted(ev(finish, HANDLE_DUE - US)), later)
    assert "PETITION_HANDLE_OVERDUE" in codes(accepted(ev(finish, HANDLE_DUE)), later)


def test_handle_due_ends_with_the_reply() -> None:
    assert "PETITION_HANDLE_DUE" not in codes(accepted(ev("replied", HANDLE_WARN)), HANDLE_WARN)


def test_handle_clock_needs_acceptance() -> None:
    assert codes([ev("not_accepted", ACCEPTED)], t("12-31T00:00")) == set()


@pytest.mark.parametrize(("extensions", "due"), [
    ([10], "08-20T00:00"),
    ([30], "09-09T00:00"),
    ([31], "09-09T00:00"),
    ([20, 25], "09-09T00:00"),
])
def test_handle_extensions_add_days_up_to_30(extensions: list[int], due: str) -> None:
    events = accepted(*(ev("extended", ACCEPTED + DAY + i, days) for i, days in enumerate(extensions)))
    assert "PETITION_HANDLE_OVERDUE" not in codes(events, t(due) - US)
    assert "PETITION_HANDLE_OVERDUE" in codes(events, t(due))
    facts = PetitionFacts("P1", RECEIVED, events)
    (h,) = petition_handle_due(petition_view(facts, t(due) - US))
    assert h.evidence["limit_days"] == 60 + min(30, sum(extensions))


def test_handle_extension_counts_only_once_seen() -> None:
    # Extended by 10 days on 08-05: from then on the limit is 70 days (due 08-20), before it 60.
    events = accepted(ev("extended", t("08-05T10:00"), 10))
    facts = PetitionFacts("P1", RECEIVED, events)
    assert petition_view(facts, t("08-05T10:00") - US).extension == 0
    assert petition_view(facts, t("08-05T10:00")).extension == 10
    assert "PETITION_HANDLE_OVERDUE" not in codes(events, HANDLE_DUE)


def test_handle_overdue_evidence_after_the_reply() -> None:
    facts = PetitionFacts("P1", RECEIVED, accepted(ev("replied", HANDLE_DUE + DAY)))
    (h,) = petition_handle_overdue(petition_view(facts, t("12-31T00:00")))
    assert h.evidence == {"due": "2026-08-10T00:00:00+08:00", "limit_days": 60, "extension_days": 0,
                          "finished_at": "2026-08-11T00:00:00+08:00"}


# ---- PETITION_DUPLICATE -----------------------------------------------------------------

def test_petition_duplicate_hits_when_the_server_found_an_earlier_petition() -> None:
    assert "PETITION_DUPLICATE" not in codes([], RECEIVED)
    assert "PETITION_DUPLICATE" in codes([], RECEIVED, duplicate_of=("P0", RECEIVED - DAY))
    facts = PetitionFacts("P1", RECEIVED, [], ("P0", RECEIVED - DAY))
    (h,) = RULES["PETITION_DUPLICATE"](petition_view(facts, RECEIVED))
    assert h.evidence == {"earlier": {"petition_id": "P0", "received_at": "2026-05-31T09:00:00+08:00"}}


def test_petition_duplicate_window_is_90_days_of_24_hours() -> None:
    at = t("09-20T09:00")
    assert petition_duplicate((at, "b"), [(at - 90 * DAY, "a")]) == (at - 90 * DAY, "a")
    assert petition_duplicate((at, "b"), [(at - 90 * DAY - US, "a")]) is None
    assert petition_duplicate((at, "b"), [(at + US, "a")]) is None
    # ties: the later id is the duplicate
    assert petition_duplicate((at, "b"), [(at, "a")]) == (at, "a")
    assert petition_duplicate((at, "a"), [(at, "b")]) is None
