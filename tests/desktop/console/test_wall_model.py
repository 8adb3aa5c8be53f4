"""The alert wall model over a replica: paging, SQL filters and order, live placement, flashing."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt

from desktop.common.tasks import BackgroundTasks
from desktop.console.wall_model import COL, AlertWallModel
from desktop.replica import queries
from desktop.replica.queries import AlertFilter
from desktop.replica.store import Replica
from tests.desktop.console import fakes
from tests.desktop.console.operator import settled


@pytest.fixture
def replica(tmp_path: Path) -> Replica:
    r = Replica(tmp_path / "replica.sqlite3")
    alerts = [fakes.alert(i, severity="red" if i % 3 == 0 else "yellow", office=f"T0{i % 4}") for i in range(1, 501)]
    r.apply_changes(fakes.page(*alerts, offices=("T00", "T01", "T02", "T03")))
    return r


def shown_ids(model: AlertWallModel) -> list[int]:
    return [model.data(model.index(r, 0), Qt.ItemDataRole.UserRole + 1) for r in range(model.rowCount())]


@pytest.fixture
def wall_model(qtbot: Any, replica: Replica) -> Callable[..., AlertWallModel]:
    """A wall model over the replica, its first page read."""

    def make(**kwargs: Any) -> AlertWallModel:
        model = AlertWallModel(replica, BackgroundTasks(), **kwargs)
        settled(qtbot, model)
        return model

    return make


def fetch_all(qtbot: Any, model: AlertWallModel) -> None:
    """Scroll to the end: every page, each read in the background."""
    while model.canFetchMore():
        model.fetchMore()
        settled(qtbot, model)


def refilter(qtbot: Any, model: AlertWallModel, flt: AlertFilter) -> None:
    model.set_filter(flt)
    settled(qtbot, model)


def test_pages_newest_first_and_fetches_more(qapp: Any, qtbot: Any, wall_model: Any) -> None:
    model = wall_model(page_size=100)
    assert model.rowCount() == 100
    assert shown_ids(model)[:3] == [500, 499, 498]
    assert model.canFetchMore()
    fetch_all(qtbot, model)
    assert model.rowCount() == 500
    assert shown_ids(model) == list(range(500, 0, -1))


def test_filter_and_sort_in_sql(qapp: Any, qtbot: Any, wall_model: Any) -> None:
    model = wall_model(page_size=50)
    refilter(qtbot, model, AlertFilter(severities=frozenset({"red"}), offices=frozenset({"T03"})))
    fetch_all(qtbot, model)
    ids = shown_ids(model)
    assert ids
    assert all(i % 3 == 0 and i % 4 == 3 for i in ids)
    qtbot.waitUntil(lambda: model.total == len(ids), timeout=5000)
    model.sort(COL["office"], Qt.SortOrder.AscendingOrder)
    refilter(qtbot, model, AlertFilter())
    fetch_all(qtbot, model)
    offices = [model.row_info(r)["office"] for r in range(model.rowCount())]
    assert offices == sorted(offices)


def test_free_text_matches_office_name(qapp: Any, qtbot: Any, wall_model: Any) -> None:
    model = wall_model(page_size=1000)
    refilter(qtbot, model, AlertFilter(text="T02 便民"))
    assert model.rowCount() > 0
    assert {model.row_info(r)["office"] for r in range(model.rowCount())} == {"T02"}


def test_new_alerts_take_their_place_and_red_flashes(qapp: Any, qtbot: Any, replica: Replica, wall_model: Any) -> None:
    model = wall_model(page_size=100)
    res = replica.apply_changes(fakes.page(fakes.alert(1000, severity="red", minutes=10_000),
                                           fakes.alert(1001, severity="yellow", minutes=450)))
    with qtbot.waitSignal(model.red_arrived) as blocker:
        model.alerts_changed(res.alert_ids, res.new_red)
    assert blocker.args == [[1000]]
    ids = shown_ids(model)
    assert ids[0] == 1000
    assert ids.index(1001) == ids.index(450) + 1 or ids.index(1001) == ids.index(450) - 1
    assert model.is_flashing(1000)
    # A closed alert leaves the default (active) view.
    res = replica.apply_changes(fakes.page(fakes.alert(1000, severity="red", minutes=10_000, status="resolved",
                                                       version=2)))
    model.alerts_changed(res.alert_ids, res.new_red)
    settled(qtbot, model)
    assert 1000 not in shown_ids(model)


def test_models_pass_the_model_tester(qapp: Any, qtbot: Any, qtmodeltester: Any, replica: Replica,
                                      wall_model: Any) -> None:
    model = wall_model(page_size=64)
    qtmodeltester.check(model, force_py=False)
    res = replica.apply_changes(fakes.page(fakes.alert(2000, severity="red", minutes=20_000)))
    model.alerts_changed(res.alert_ids, res.new_red)
    model.fetchMore()
    settled(qtbot, model)
    assert model.rowCount() == 129  # the first page, the new alert, the next page
    qtmodeltester.check(model, force_py=False)


def test_rare_phrase_found_through_the_trigram_index(qapp: Any, qtbot: Any, replica: Replica, monkeypatch: Any,
                                                     wall_model: Any) -> None:
    res = replica.apply_changes(fakes.page(fakes.alert(7777, message="窗口人员擅自离岗 T-77")))
    assert res.alert_ids == [7777]
    model = wall_model(page_size=50)
    refilter(qtbot, model, AlertFilter(text="擅自离岗"))
    scanned = shown_ids(model)
    # Force the index path (as when the scan along the order runs out of time).
    monkeypatch.setattr(queries, "SCAN_BUDGET", 1)
    refilter(qtbot, model, AlertFilter(text="人员擅自离"))
    assert shown_ids(model) == scanned == [7777]
    # The index follows updates and deletes of the replica.
    replica.apply_changes({"changes": [{"seq": 1, "entity": "alert", "id": "7777", "op": "delete", "data": None}],
                           "cursor": "c1.9", "more": False})
    model.reload()
    settled(qtbot, model)
    assert shown_ids(model) == []


def test_message_in_the_consoles_language(qapp: Any, replica: Replica, wall_model: Any) -> None:
    from desktop import i18n

    replica.apply_changes(fakes.page(fakes.alert(9000, minutes=99_999, message="办结时间晚于到期时间",
                                                 message_en="closed after its due time")))
    model = wall_model(page_size=10)
    assert model.index(0, COL["message"]).data() == "办结时间晚于到期时间"
    try:
        i18n.install(qapp, "en")
        english = wall_model(page_size=10)
        assert english.index(0, COL["message"]).data() == "closed after its due time"
    finally:
        i18n.install(qapp, "zh_CN")


@pytest.mark.parametrize("text", ["擅自离岗", "case 1", "OVERDUE", "离岗", "T-7", '"离岗" OR x', "100%", "a_b",
                                  "'; DROP", "x" * 500])
def test_free_text_finds_the_same_rows_whichever_way_it_searches(qapp: Any, qtbot: Any, replica: Replica,
                                                                  monkeypatch: Any, wall_model: Any,
                                                                  text: str) -> None:
    """The trigram index and the scan along the order are two routes to one answer."""
    replica.apply_changes(fakes.page(fakes.alert(7777, message="窗口人员擅自离岗 T-77 100% a_b"),
                                     fakes.alert(7778, message='"离岗" OR x'),
                                     fakes.alert(7779, message="'; DROP TABLE alerts; --")))

    def everything() -> list[int]:
        model = wall_model(page_size=7)
        refilter(qtbot, model, AlertFilter(text=text, statuses=frozenset()))
        fetch_all(qtbot, model)
        return shown_ids(model)

    chosen = everything()
    monkeypatch.setattr(queries, "FTS_PROBE_BUDGET", 1)
    monkeypatch.setattr(queries, "SCAN_BUDGET", 10**12)
    scanned = everything()
    monkeypatch.setattr(queries, "SCAN_BUDGET", 1)
    indexed = everything()
    assert chosen == scanned == indexed
    messages = {i: f"case {i} {'OVERDUE' if i % 3 == 0 else 'DEADLINE_NEAR'}" for i in range(1, 501)}
    expected = {i for i, m in messages.items() if text.casefold() in m.casefold()}
    if text in ("擅自离岗", "T-7", "100%", "a_b"):
        assert chosen == [7777]
    elif text == "离岗":
        assert chosen == [7778, 7777]
    elif text in ('"离岗" OR x',):
        assert chosen == [7778]
    elif text == "'; DROP":
        assert chosen == [7779]
    elif text == "x" * 500:
        assert chosen == []
    else:
        assert expected
        assert expected <= set(chosen)
    assert replica.connect(readonly=True).execute("SELECT COUNT(*) FROM alerts").fetchone()[0] == 503


def test_a_count_no_longer_wanted_stops_and_frees_its_worker(replica: Replica) -> None:
    """A filter changed while a million alerts were being counted: the stale count stops early."""
    conn = replica.connect(readonly=True)
    everything = AlertFilter(statuses=frozenset(), text="case")  # read row by row, not from the index's size
    assert queries.count_alerts(conn, everything, still_wanted=lambda: True) == 500
    asked: list[bool] = []

    def wanted() -> bool:
        asked.append(True)
        return False

    with pytest.raises(queries.Superseded):
        queries.count_alerts(conn, everything, still_wanted=wanted)
    assert asked
    # The connection is left as it was: the next query runs to the end.
    assert queries.count_alerts(conn, everything) == 500
    with pytest.raises(queries.Superseded):
        queries.group_counts(conn, "office", everything, still_wanted=wanted)
