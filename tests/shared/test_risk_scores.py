"""The risk index's and the evaluation's arithmetic (spec 07 §1–2), on small hand-made inputs."""

from __future__ import annotations

import pytest

from shared.risk import Charge, evidence_actor, index_rows, level_of, local_month, month_bounds, parse_month
from shared.scores import UnitCounts, component_scores, evaluation_rows, ranked, total_of
from shared.settings import EvaluationSettings, RiskIndexSettings
from shared.timeutil import format_instant, parse_instant

RISK = RiskIndexSettings()


def charge(item: str, office: str = "T01", staff: str | None = None, n: int = 1) -> Charge:
    return Charge(item, office, staff, {"type": "alert", "id": n}, n)


def test_levels_at_their_thresholds() -> None:
    assert [level_of(i, RISK) for i in (100, 85, 84, 70, 69, 0)] == ["green", "green", "yellow", "yellow", "red",
                                                                     "red"]


def test_index_is_clamped_and_rows_come_worst_first() -> None:
    charges = [charge("red_card", n=i) for i in range(8)] + [charge("yellow_alert", "T02", "S1")]
    rows = index_rows(charges, by="office", settings=RISK, everyone=["T03"])
    assert [(r["key"], r["index"], r["level"]) for r in rows] == [("T01", 0, "red"), ("T02", 97, "green"),
                                                                  ("T03", 100, "green")]
    assert len(rows[0]["points"]) == 8, "every point is listed even past zero"
    people = index_rows(charges, by="staff", settings=RISK)
    assert [(r["key"], r["index"]) for r in people] == [("S1", 97)], "a charge without a person counts for none"


def test_the_person_behind_an_alert() -> None:
    assert evidence_actor({"events": [{"actor": "S1"}, {"actor": "S2"}]}) == "S2", "the event that tipped it"
    assert evidence_actor({"clashes": [{"actor": "S3", "steps": ["a", "b"]}]}) == "S3"
    assert evidence_actor({"closed": {"actor": "S4"}}) == "S4"
    assert evidence_actor({"due": "x"}) is None
    assert evidence_actor(None) is None


def test_months_in_china_time() -> None:
    start, end = month_bounds(2026, 3)
    assert (format_instant(start), format_instant(end)) == ("2026-03-01T00:00:00+08:00", "2026-04-01T00:00:00+08:00")
    assert local_month(parse_instant("2026-02-28T16:30:00Z")) == (2026, 3), "00:30 on 1 March in Beijing"
    assert month_bounds(2026, 12)[1] == parse_instant("2027-01-01T00:00:00+08:00")
    for bad in ("2026-13", "2026-3", "26-03", "", "1969-12", "2026-03-01"):
        assert parse_month(bad) is None, bad


def test_ties_share_a_rank() -> None:
    assert ranked({"a": 90.0, "b": 95.0, "c": 90.0, "d": 80.0}) == {"b": 1, "a": 2, "c": 2, "d": 4}


def test_no_ratings_renormalises_the_weights() -> None:
    weights = EvaluationSettings()
    counts = UnitCounts(decided=40, early=20, timed=40, used_fraction_sum=20.0, red_alerts=1)
    scores = component_scores(counts, RISK)
    assert scores == {"efficiency": 50.0, "anomalies": 75.0, "supervision": 100.0, "public": None}
    assert total_of(scores, weights) == pytest.approx((40 * 50 + 25 * 75 + 15 * 100) / 80, abs=0.05)
    rated = UnitCounts(decided=40, early=20, timed=40, used_fraction_sum=20.0, red_alerts=1, ratings=4, satisfied=3)
    assert total_of(component_scores(rated, RISK), weights) == pytest.approx(
        (40 * 50 + 25 * 75 + 15 * 100 + 20 * 75) / 100, abs=0.05)


def test_changed_weights_change_the_ranking() -> None:
    fast = UnitCounts(decided=10, early=10, timed=10, ratings=10, satisfied=2)
    liked = UnitCounts(decided=10, early=0, timed=10, used_fraction_sum=10.0, ratings=10, satisfied=10)
    counts = {"fast": fast, "liked": liked}
    default = evaluation_rows(counts, names={}, before={}, weights=EvaluationSettings(), risk=RISK)
    assert [r["key"] for r in default] == ["fast", "liked"]
    public = EvaluationSettings(efficiency=10, anomalies=10, supervision=10, public=70)
    assert [r["key"] for r in evaluation_rows(counts, names={}, before={}, weights=public, risk=RISK)] == \
        ["liked", "fast"]
