"""Boundary tests of the approval clock rules (spec 02 §2, §5): DEADLINE_NEAR, OVERDUE,
NODE_OVERDUE, ACCEPTANCE_LATE.

Limits are in working days on the project's calendar, so each boundary is checked one
microsecond either side of the computed instant, and across a weekend, the 2026 Spring
Festival holiday and its adjusted working days (调休), including the spec's worked examples.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from shared.rules import RULES
from shared.rules.approval import acceptance_late, deadline_near, node_overdue, overdue

from .support import US, Events, evaluate, item, keys, t, view

# Worked example 1: committed 5 days, accepted Fri 2026-02-13 10:00; counting begins Sat 02-14
# (adjusted working day); 02-15…02-23 are the Spring Festival holiday.
EX1_ACCEPTED = "02-13T10:00"
EX1_DUE = t("02-28T00:00")
EX1_WARN = t("02-27T00:00")


def accepted_ex1() -> Events:
    return Events().add("received", "02-13T09:00").add("accepted", EX1_ACCEPTED, actor="A")


# ---- the spec's worked examples ---------------------------------------------------------

def test_worked_example_1_spring_festival() -> None:
    result = evaluate(accepted_ex1(), "02-14T12:00")
    assert result.clock is not None
    assert (result.clock.due, result.clock.warn_at) == (EX1_DUE, EX1_WARN)


def test_worked_example_2_suspension() -> None:
    events = (Events().add("received", "03-02T08:00").add("accepted", "03-02T09:00")
              .add("suspended", "03-03T12:00", reason_code="supplement").add("resumed", "03-05T15:00"))
    power = item(committed_days=3)
    result = evaluate(events, "03-06T12:00", power=power)
    assert result.clock is not None
    assert (result.clock.due, result.clock.warn_at) == (t("03-10T03:00"), t("03-09T03:00"))
    assert keys(events, t("03-09T03:00") - US, "DEADLINE_NEAR", power=power) == set()
    assert keys(events, "03-09T03:00", "DEADLINE_NEAR", power=power) == {None}
    assert keys(events, t("03-10T03:00") - US, "OVERDUE", power=power) == set()
    assert keys(events, "03-10T03:00", "OVERDUE", power=power) == {None}


# ---- DEADLINE_NEAR ----------------------------------------------------------------------

def test_deadline_near_starts_at_warn_at() -> None:
    assert keys(accepted_ex1(), EX1_WARN - US, "DEADLINE_NEAR") == set()
    assert keys(accepted_ex1(), EX1_WARN, "DEADLINE_NEAR") == {None}


def test_deadline_near_ends_at_due_where_overdue_begins() -> None:
    assert keys(accepted_ex1(), EX1_DUE - US, "DEADLINE_NEAR") == {None}
    assert keys(accepted_ex1(), EX1_DUE - US, "OVERDUE") == set()
    assert keys(accepted_ex1(), EX1_DUE, "DEADLINE_NEAR") == set()
    assert keys(accepted_ex1(), EX1_DUE, "OVERDUE") == {None}


def test_deadline_near_not_for_a_closed_case_or_before_acceptance() -> None:
    closed = accepted_ex1().add("decided", "02-26T10:00", result="approved", actor="B")
    assert keys(closed, "02-27T12:00", "DEADLINE_NEAR") == set()
    received_only = Events().add("received", "02-13T09:00")
    assert keys(received_only, "02-27T12:00", "DEADLINE_NEAR") == set()


def test_deadline_near_evidence_and_direct_call() -> None:
    v = view(accepted_ex1(), EX1_WARN)
    (h,) = RULES["DEADLINE_NEAR"](v)
    assert deadline_near(v) == [h]
    assert h.evidence["due"] == "2026-02-28T00:00:00+08:00"
    assert h.evidence["warn_at"] == "2026-02-27T00:00:00+08:00"
    assert h.evidence["limit_days"] == 5
    assert "2026-02-28 00:00" in h.message
    assert h.message_en.startswith("due 2026-02-28 00:00")


def test_deadline_near_warns_before_a_weekend() -> None:
    # 2 days from Thu 03-05: Fri counts, the weekend does not, Mon counts → due Tue 03-10 00:00;
    # w = 1 day, reached when Friday ends.
    events = Events().add("received", "03-05T09:00").add("accepted", "03-05T10:00")
    power = item(committed_days=2)
    assert keys(events, t("03-07T00:00") - US, "DEADLINE_NEAR", power=power) == set()
    assert keys(events, "03-07T00:00", "DEADLINE_NEAR", power=power) == {None}
    assert keys(events, "03-09T23:00", "DEADLINE_NEAR", power=power) == {None}
    assert keys(events, "03-10T00:00", "OVERDUE", power=power) == {None}


# ---- OVERDUE ----------------------------------------------------------------------------

def test_overdue_closed_just_before_vs_at_due() -> None:
    on_time = accepted_ex1().add("decided", EX1_DUE - US, result="approved", actor="B")
    late = accepted_ex1().add("decided", EX1_DUE, result="approved", actor="B")
    assert keys(on_time, "04-01T00:00", "OVERDUE") == set()
    assert keys(late, "04-01T00:00", "OVERDUE") == {None}
    (h,) = overdue(view(late, "04-01T00:00"))
    assert h.evidence["closed"]["id"] == "e3"
    assert h.message_en == "closed at 2026-02-28 00:00, after its due time 2026-02-28 00:00"


def test_overdue_last_working_day_vs_the_next_working_day() -> None:
    # Fri 02-27 is the last working day of the limit; Sat 02-28 is an adjusted working day.
    last_day = accepted_ex1().add("decided", "02-27T17:00", result="approved", actor="B")
    next_day = accepted_ex1().add("decided", "02-28T09:00", result="approved", actor="B")
    assert keys(last_day, "03-31T00:00", "OVERDUE") == set()
    assert keys(next_day, "03-31T00:00", "OVERDUE") == {None}


def test_overdue_holiday_does_not_count() -> None:
    # Five weekdays from 02-13 would end 02-21; the holiday pushes the due time to 02-28.
    assert keys(accepted_ex1(), "02-23T23:00", "OVERDUE") == set()


def test_overdue_after_a_weekend() -> None:
    events = Events().add("received", "03-05T09:00").add("accepted", "03-05T10:00")
    power = item(committed_days=2)
    friday = Events().add("received", "03-05T09:00").add("accepted", "03-05T10:00").add(
        "decided", "03-09T18:00", result="approved", actor="B")
    tuesday = Events().add("received", "03-05T09:00").add("accepted", "03-05T10:00").add(
        "decided", "03-10T09:00", result="approved", actor="B")
    assert keys(events, "03-09T23:59", "OVERDUE", power=power) == set()
    assert keys(friday, "03-20T00:00", "OVERDUE", power=power) == set()
    assert keys(tuesday, "03-20T00:00", "OVERDUE", power=power) == {None}


def test_overdue_uses_legal_days_without_committed_days() -> None:
    power = item(committed_days=None)
    (h,) = RULES["OVERDUE"](view(accepted_ex1(), "04-30T00:00", power=power))
    assert h.evidence["limit_days"] == 15


def test_overdue_sees_only_records_up_to_as_of() -> None:
    # The decision arrived dated after as_of: at as_of the case is still open and past due.
    late_record = accepted_ex1().add("decided", "03-05T10:00", result="approved", actor="B")
    assert keys(late_record, EX1_DUE, "OVERDUE") == {None}
    assert overdue(view(late_record, EX1_DUE))[0].message_en == "open past its due time 2026-02-28 00:00"


@settings(max_examples=60, deadline=None)
@given(st.integers(min_value=t("02-13T10:00"), max_value=t("03-20T00:00")))
def test_clock_hits_partition_time(as_of: int) -> None:
    """For an open case, at most one of DEADLINE_NEAR and OVERDUE, exactly on their intervals."""
    hits = evaluate(accepted_ex1(), as_of).hits
    assert (("DEADLINE_NEAR", None) in hits) == (EX1_WARN <= as_of < EX1_DUE)
    assert (("OVERDUE", None) in hits) == (as_of >= EX1_DUE)


# ---- NODE_OVERDUE -----------------------------------------------------------------------
# Accepted Mon 03-02 09:00: review (2 days) counts from Tue 03-03 and is due Thu 03-05 00:00.

def node_case() -> Events:
    return Events().add("received", "03-02T08:00").add("accepted", "03-02T09:00", actor="A")


def test_node_overdue_open_node_at_its_due() -> None:
    assert keys(node_case(), t("03-05T00:00") - US, "NODE_OVERDUE") == set()
    assert keys(node_case(), "03-05T00:00", "NODE_OVERDUE") == {"review"}


def test_node_overdue_completed_just_before_vs_at_due() -> None:
    on_time = node_case().add("node_completed", t("03-05T00:00") - US, node="review")
    late = node_case().add("node_completed", "03-05T00:00", node="review")
    assert keys(on_time, "03-05T12:00", "NODE_OVERDUE") == set()
    assert keys(late, "03-05T12:00", "NODE_OVERDUE") == {"review"}
    (h,) = node_overdue(view(late, "03-05T12:00"))
    assert h.node == "review"
    assert h.evidence["due"] == "2026-03-05T00:00:00+08:00"
    assert h.evidence["completed"]["id"] == "e3"


def test_node_overdue_next_node_clock_skips_the_weekend() -> None:
    # review done Fri 03-06 10:00; approve (1 day) counts from Sat 03-07: only Mon 03-09 is
    # a working day, so approve is due Tue 03-10 00:00.
    base = node_case().add("node_completed", "03-06T10:00", node="review")
    monday = node_case().add("node_completed", "03-06T10:00", node="review").add(
        "node_completed", "03-09T23:00", node="approve")
    tuesday = node_case().add("node_completed", "03-06T10:00", node="review").add(
        "node_completed", "03-10T08:00", node="approve")
    assert "approve" not in keys(base, t("03-10T00:00") - US, "NODE_OVERDUE")
    assert "approve" in keys(base, "03-10T00:00", "NODE_OVERDUE")
    assert "approve" not in keys(monday, "03-20T00:00", "NODE_OVERDUE")
    assert "approve" in keys(tuesday, "03-20T00:00", "NODE_OVERDUE")


def test_node_overdue_needs_days_acceptance_and_an_open_case() -> None:
    # check has no limit: never overdue, however late.
    slow_check = (node_case().add("node_completed", "03-03T10:00", node="review")
                  .add("node_completed", "03-03T11:00", node="approve"))
    assert keys(slow_check, "06-01T00:00", "NODE_OVERDUE") == set()
    # no acceptance: no node clock
    unaccepted = Events().add("received", "03-02T08:00").add("node_completed", "03-20T10:00", node="review")
    assert keys(unaccepted, "03-25T00:00", "NODE_OVERDUE") == set()
    # a closed case's open nodes are no longer overdue
    closed = node_case().add("withdrawn", "03-03T10:00")
    assert keys(closed, "03-25T00:00", "NODE_OVERDUE") == set()


# ---- ACCEPTANCE_LATE --------------------------------------------------------------------
# Received Fri 02-13 10:00, 5 working days (02-14, 02-24…02-27): due Sat 02-28 00:00.

def received_ex() -> Events:
    return Events().add("received", "02-13T10:00")


def test_acceptance_late_without_decision_at_due() -> None:
    assert keys(received_ex(), EX1_DUE - US, "ACCEPTANCE_LATE") == set()
    assert keys(received_ex(), EX1_DUE, "ACCEPTANCE_LATE") == {None}
    # the holiday does not count: by weekdays alone the limit would have ended 02-21
    assert keys(received_ex(), "02-23T12:00", "ACCEPTANCE_LATE") == set()


def test_acceptance_late_decision_just_before_vs_at_due() -> None:
    on_time = received_ex().add("accepted", EX1_DUE - US)
    late = received_ex().add("accepted", EX1_DUE)
    refused_late = received_ex().add("not_accepted", EX1_DUE, reason="r", legal_basis="b")
    assert keys(on_time, "04-01T00:00", "ACCEPTANCE_LATE") == set()
    assert keys(late, "04-01T00:00", "ACCEPTANCE_LATE") == {None}
    assert keys(refused_late, "04-01T00:00", "ACCEPTANCE_LATE") == {None}
    (h,) = acceptance_late(view(late, "04-01T00:00"))
    assert h.evidence["decision"]["id"] == "e2"
    assert h.evidence["due"] == "2026-02-28T00:00:00+08:00"


def test_acceptance_late_last_working_day_vs_next() -> None:
    last_day = received_ex().add("accepted", "02-27T17:00")
    next_day = received_ex().add("accepted", "02-28T09:00")
    assert keys(last_day, "04-01T00:00", "ACCEPTANCE_LATE") == set()
    assert keys(next_day, "04-01T00:00", "ACCEPTANCE_LATE") == {None}


def test_acceptance_late_one_day_limit_over_a_weekend() -> None:
    # 1 working day from Fri 03-06: the weekend does not count, Monday does → due Tue 00:00.
    power = item(acceptance_days=1)
    monday = Events().add("received", "03-06T10:00").add("accepted", "03-09T23:00")
    tuesday = Events().add("received", "03-06T10:00").add("accepted", "03-10T00:00")
    assert keys(monday, "03-20T00:00", "ACCEPTANCE_LATE", power=power) == set()
    assert keys(tuesday, "03-20T00:00", "ACCEPTANCE_LATE", power=power) == {None}

