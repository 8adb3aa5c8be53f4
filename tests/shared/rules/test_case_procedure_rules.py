"""Boundary tests of the approval rules that see every stored record (spec 02 §5):
SKIPPED_NODE, CHANGED_AFTER_CLOSE, NO_REASON, FEE_EXCESS, DUPLICATE_CASE, SUSPENSION_ABUSE,
SEGREGATION, POOR_RATING, BACKDATED."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from shared.protocol import SUSPENSION_REASONS
from shared.rules import RULES, find_duplicate
from shared.rules.approval import (
    DuplicateRef,
    Rating,
    fee_excess,
    is_backdated,
    no_reason,
    segregation,
    skipped_node,
    suspension_abuse,
)
from shared.timeutil import DAY

from .support import US, Events, evaluate, item, keys, t, view

AS_OF = "06-01T00:00"


def accepted(actor: str | None = "A") -> Events:
    return Events().add("received", "03-02T08:00").add("accepted", "03-02T09:00", actor=actor)


def full(decider: str | None = "D", **decided: object) -> Events:
    """A clean case: accepted, every node in order, decided (approved unless told otherwise)."""
    kw = {"result": "approved"} | decided
    return (accepted().add("node_completed", "03-02T10:00", node="review", actor="R")
            .add("node_completed", "03-02T11:00", node="approve", actor="P")
            .add("node_completed", "03-02T12:00", node="check", actor="C")
            .add("decided", "03-02T13:00", actor=decider, **kw))


def test_a_clean_case_hits_nothing() -> None:
    v = view(full(), AS_OF)
    assert {code: RULES[code](v) for code in RULES if RULES[code].subject == "case" and RULES[code](v)} == {}


# ---- SKIPPED_NODE -----------------------------------------------------------------------

def test_skipped_node_same_instant_is_in_order_one_microsecond_later_is_not() -> None:
    same = accepted().add("node_completed", "03-02T10:00", node="review").add(
        "node_completed", "03-02T10:00", node="approve")
    later = accepted().add("node_completed", t("03-02T10:00") + US, node="review").add(
        "node_completed", "03-02T10:00", node="approve")
    assert keys(same, AS_OF, "SKIPPED_NODE") == set()
    assert keys(later, AS_OF, "SKIPPED_NODE") == {"review"}


def test_skipped_node_accept_needed_by_any_node_or_decision() -> None:
    at_acceptance = accepted().add("node_completed", "03-02T09:00", node="review")
    before_acceptance = (Events().add("received", "03-02T08:00").add("node_completed", "03-02T09:00", node="review")
                         .add("accepted", t("03-02T09:00") + US))
    assert keys(at_acceptance, AS_OF, "SKIPPED_NODE") == set()
    assert keys(before_acceptance, AS_OF, "SKIPPED_NODE") == {"accept"}


def test_skipped_node_decision_needs_every_node() -> None:
    no_check = (accepted().add("node_completed", "03-02T10:00", node="review")
                .add("node_completed", "03-02T11:00", node="approve").add("decided", "03-02T13:00", result="approved"))
    assert keys(no_check, AS_OF, "SKIPPED_NODE") == {"check"}
    unaccepted = Events().add("received", "03-02T08:00").add("decided", "03-02T13:00", result="approved")
    assert keys(unaccepted, AS_OF, "SKIPPED_NODE") == {"accept", "review", "approve", "check"}


def test_skipped_node_sees_records_beyond_as_of_and_ignores_unknown_nodes() -> None:
    jump = accepted().add("node_completed", "05-01T10:00", node="approve").add(
        "node_completed", "03-02T10:00", node="elsewhere")
    assert keys(jump, "03-03T00:00", "SKIPPED_NODE") == {"review"}


def test_skipped_node_evidence_names_the_first_event_that_needed_it() -> None:
    twice = accepted().add("node_completed", "03-02T10:00", node="approve").add(
        "node_completed", "03-02T11:00", node="check")
    hits = [h for h in skipped_node(view(twice, AS_OF)) if h.node == "review"]
    assert [h.evidence["needed_by"]["id"] for h in hits] == ["e3", "e4"]
    # approve was done before check needed it; the case keeps one review hit, the first cause
    hits_by_key = evaluate(twice, AS_OF).hits
    assert {node for rule, node in hits_by_key if rule == "SKIPPED_NODE"} == {"review"}
    assert hits_by_key[("SKIPPED_NODE", "review")].evidence["needed_by"]["id"] == "e3"


# ---- CHANGED_AFTER_CLOSE ----------------------------------------------------------------

@pytest.mark.parametrize("closing", ["decided", "not_accepted", "withdrawn"])
def test_changed_after_close_at_vs_after_close(closing: str) -> None:
    def case(change_at: int) -> Events:
        return (accepted().add(closing, "03-05T10:00", result="approved", reason="r", legal_basis="b")
                .add("node_completed", change_at, node="review"))

    assert keys(case(t("03-05T10:00")), AS_OF, "CHANGED_AFTER_CLOSE") == set()
    assert keys(case(t("03-05T10:00") + US), AS_OF, "CHANGED_AFTER_CLOSE") == {None}


@pytest.mark.parametrize(("change", "counts"), [
    ("accepted", True), ("node_completed", True), ("suspended", True), ("resumed", True), ("decided", True),
    ("not_accepted", True), ("fee_charged", False), ("delivered", False), ("received", False),
])
def test_changed_after_close_which_events_are_changes(change: str, counts: bool) -> None:
    events = full().add(change, "03-09T10:00", node="review", reason_code="supplement", result="approved",
                        reason="r", legal_basis="b")
    assert keys(events, AS_OF, "CHANGED_AFTER_CLOSE") == ({None} if counts else set())


# ---- NO_REASON --------------------------------------------------------------------------

@pytest.mark.parametrize(("reason", "basis", "missing"), [
    ("不符合条件", "《行政许可法》第38条", None),
    ("不符合条件", "", ["legal_basis"]),
    ("  ", "《行政许可法》第38条", ["reason"]),
    (None, None, ["reason", "legal_basis"]),
])
def test_no_reason_on_a_refusal(reason: str | None, basis: str | None, missing: list[str] | None) -> None:
    events = full(result="refused", reason=reason, legal_basis=basis)
    hits = no_reason(view(events, AS_OF))
    assert [h.evidence["missing"] for h in hits] == ([missing] if missing else [])


def test_no_reason_not_for_an_approval_but_for_not_accepted() -> None:
    assert keys(full(result="approved"), AS_OF, "NO_REASON") == set()
    refused_entry = accepted().add("not_accepted", "03-02T10:00", reason="r", legal_basis=" ")
    assert keys(refused_entry, AS_OF, "NO_REASON") == {None}


# ---- FEE_EXCESS -------------------------------------------------------------------------

@pytest.mark.parametrize(("amounts", "excess"), [
    ([5000], False), ([5001], True), ([2500, 2500], False), ([2500, 2501], True), ([], False),
])
def test_fee_excess_at_the_standard_vs_one_fen_over(amounts: list[int], excess: bool) -> None:
    events = accepted()
    for i, amount in enumerate(amounts):
        events.add("fee_charged", t("03-02T10:00") + i, amount_fen=amount)
    assert keys(events, AS_OF, "FEE_EXCESS") == ({None} if excess else set())


def test_fee_excess_free_item_and_evidence() -> None:
    free = item(fee_fen=0)
    one_fen = accepted().add("fee_charged", "03-02T10:00", amount_fen=1)
    (h,) = fee_excess(view(one_fen, AS_OF, power=free))
    assert (h.evidence["charged_fen"], h.evidence["standard_fen"]) == (1, 0)
    assert h.message_en == "charged 0.01 yuan, the standard allows 0.00"
    assert keys(accepted().add("fee_charged", "03-02T10:00", amount_fen=0), AS_OF, "FEE_EXCESS", power=free) == set()


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(min_value=0, max_value=4000), max_size=5), st.integers(min_value=0, max_value=10000))
def test_fee_excess_is_the_sum_above_the_standard(amounts: list[int], standard: int) -> None:
    events = accepted()
    for i, amount in enumerate(amounts):
        events.add("fee_charged", t("03-02T10:00") + i, amount_fen=amount)
    hits = fee_excess(view(events, AS_OF, power=item(fee_fen=standard)))
    assert bool(hits) == (sum(amounts) > standard)


# ---- DUPLICATE_CASE ---------------------------------------------------------------------

def test_duplicate_case_hits_when_the_server_found_an_earlier_case() -> None:
    earlier = DuplicateRef("T02", "X9", t("02-20T09:00"))
    assert keys(accepted(), AS_OF, "DUPLICATE_CASE") == set()
    assert keys(accepted(), AS_OF, "DUPLICATE_CASE", duplicate_of=earlier) == {None}
    (h,) = RULES["DUPLICATE_CASE"](view(accepted(), AS_OF, duplicate_of=earlier))
    assert h.evidence["earlier"] == {"office": "T02", "case_no": "X9", "received_at": "2026-02-20T09:00:00+08:00"}


def test_duplicate_window_is_30_days_of_24_hours() -> None:
    at = t("05-12T09:00")
    assert find_duplicate((at, "T02", "X1"), [(at - 30 * DAY, "T01", "D1")]) == (at - 30 * DAY, "T01", "D1")
    assert find_duplicate((at, "T02", "X1"), [(at - 30 * DAY - US, "T01", "D1")]) is None
    # a later case is never the earlier one; at the same instant the later (office, case_no) is the duplicate
    assert find_duplicate((at, "T02", "X1"), [(at + US, "T01", "D1")]) is None
    assert find_duplicate((at, "T02", "X1"), [(at, "T01", "D1")]) == (at, "T01", "D1")
    assert find_duplicate((at, "T01", "D1"), [(at, "T02", "X1")]) is None


# ---- SUSPENSION_ABUSE -------------------------------------------------------------------

def suspended(*reasons: str | None) -> Events:
    events = accepted()
    for i, reason in enumerate(reasons):
        events.add("suspended", t("03-03T10:00") + i * DAY, reason_code=reason).add(
            "resumed", t("03-03T12:00") + i * DAY)
    return events


@pytest.mark.parametrize("reason", SUSPENSION_REASONS)
def test_suspension_abuse_lawful_reasons(reason: str) -> None:
    assert keys(suspended(reason), AS_OF, "SUSPENSION_ABUSE") == set()


@pytest.mark.parametrize("reason", ["leader_away", "", None, "SUPPLEMENT"])
def test_suspension_abuse_unlawful_reason(reason: str | None) -> None:
    assert keys(suspended(reason), AS_OF, "SUSPENSION_ABUSE") == {None}


def test_suspension_abuse_two_suspensions_vs_three() -> None:
    assert keys(suspended("supplement", "hearing"), AS_OF, "SUSPENSION_ABUSE") == set()
    (h,) = suspension_abuse(view(suspended("supplement", "hearing", "inspection"), AS_OF))
    assert h.message_en == "suspended 3 times (at most 2)"
    assert len(h.evidence["suspensions"]) == 3


# ---- SEGREGATION ------------------------------------------------------------------------

@pytest.mark.parametrize(("accepter", "decider", "clash"), [
    ("S9", "S9", True),
    ("S9", " S9 ", True),
    ("S9", "S8", False),
    ("", "", False),
    ("  ", "  ", False),
    (None, None, False),
    ("S9", None, False),
])
def test_segregation_same_actor_on_separated_duties(accepter: str | None, decider: str | None, clash: bool) -> None:
    events = (accepted(actor=accepter).add("node_completed", "03-02T10:00", node="review")
              .add("node_completed", "03-02T11:00", node="approve")
              .add("node_completed", "03-02T12:00", node="check")
              .add("decided", "03-02T13:00", result="approved", actor=decider))
    assert keys(events, AS_OF, "SEGREGATION") == ({None} if clash else set())


def test_segregation_between_nodes_and_only_for_declared_pairs() -> None:
    power = item(separate_duties=[["review", "approve"]])
    same = (accepted(actor="X").add("node_completed", "03-02T10:00", node="review", actor="R")
            .add("node_completed", "03-02T11:00", node="approve", actor="R").add("decided", "03-02T13:00", actor="X"))
    (h,) = segregation(view(same, AS_OF, power=power))
    assert h.evidence["pairs"][0]["steps"] == ["review", "approve"]
    assert h.message == "R 同时办理了“初审”和“审批”"
    # accept and decide by the same person are allowed when the item does not separate them
    assert all(p["steps"] != ["accept", "decide"] for p in h.evidence["pairs"])


# ---- POOR_RATING ------------------------------------------------------------------------

@pytest.mark.parametrize(("rating", "poor"), [
    ("satisfied", False), ("basically_satisfied", False), ("dissatisfied", True), ("very_poor", True),
])
def test_poor_rating(rating: str, poor: bool) -> None:
    ratings = [Rating("r1", rating, t("03-03T09:00"))]
    assert keys(full(), AS_OF, "POOR_RATING", ratings=ratings) == ({None} if poor else set())


# ---- BACKDATED --------------------------------------------------------------------------

def test_backdated_at_vs_before_the_watermark() -> None:
    watermark = t("03-05T00:00")
    assert is_backdated(watermark, watermark) is False
    assert is_backdated(watermark - US, watermark) is True
    assert is_backdated(t("01-01T00:00"), None) is False  # an office's first batch


def test_backdated_hits_for_a_back_filled_event() -> None:
    assert keys(accepted(), AS_OF, "BACKDATED") == set()
    late = accepted().add("node_completed", "03-02T10:00", node="review", backdated=True)
    (h,) = RULES["BACKDATED"](view(late, AS_OF))
    assert [e["id"] for e in h.evidence["events"]] == ["e3"]
