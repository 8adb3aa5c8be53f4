"""The statistics pane over change-feed case rows: working time, ratings and close times for
every case (not only the few whose detail was opened), departments by name, garbage ignored."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt

from desktop.common.tasks import BackgroundTasks
from desktop.console.stats import StatisticsPane, compute
from desktop.replica import queries
from desktop.replica.store import Replica
from shared.timeutil import HOUR, format_instant
from tests.desktop.console import fakes

DAY_US = 24 * HOUR
RECEIVED = fakes.BASE - 10 * DAY_US
DUE = RECEIVED + 5 * DAY_US
TOOLTIP = Qt.ItemDataRole.ToolTipRole


def feed_case(office: str, case_no: str, power: str, state: str, *, closed: int | None, used: Any,
              ratings: Any, due: int | None = DUE) -> dict[str, Any]:
    """A case row as the server's change feed sends it (``server.cases.service.case_summary``)."""
    return {"office": office, "case_no": case_no, "power_code": power, "state": state,
            "received_at": format_instant(RECEIVED), "due": format_instant(due) if due is not None else None,
            "closed_at": format_instant(closed) if closed is not None else None,
            "used_hours": used, "ratings": ratings, "version": 3}


def old_case(office: str, case_no: str, power: str, state: str) -> dict[str, Any]:
    """A case row from a server before closed_at, used_hours and ratings."""
    return {"office": office, "case_no": case_no, "power_code": power, "state": state,
            "received_at": format_instant(RECEIVED), "due": format_instant(DUE), "version": 1}


def power_item(code: str, department: str, department_name: Any = None) -> tuple[str, dict[str, Any]]:
    data: dict[str, Any] = {"code": code, "name": f"事项 {code}", "department": department}
    if department_name is not None:
        data["department_name"] = department_name
    return code, data


def cases_page(*rows: dict[str, Any]) -> dict[str, Any]:
    return fakes.entities("case", [(f"{r['office']}/{r['case_no']}", r) for r in rows])


def detail(office: str, case_no: str, hours: float, ratings: list[str]) -> dict[str, Any]:
    return {"office": office, "case_no": case_no, "state": "decided_approved", "clocks": {"used_hours": hours},
            "evaluations": [{"id": f"e{i}", "rating": r, "at": "2026-03-01T10:00:00+08:00"}
                            for i, r in enumerate(ratings)]}


def pct(v: float) -> str:
    return f"{v * 100:.1f}%"


def days(hours: list[float]) -> str:
    return f"{sum(hours) / len(hours) / 24:.2f}"


def shown(model: Any) -> dict[str, list[Any]]:
    """The table as the user sees it: each row's cells by the row's name."""
    return {model.index(r, 1).data(): [model.index(r, c).data() for c in range(model.columnCount())]
            for r in range(model.rowCount())}


def open_pane(qtbot: Any, replica: Replica) -> StatisticsPane:
    pane = StatisticsPane(replica, BackgroundTasks())
    qtbot.addWidget(pane)
    pane.show()
    pane.refresh()
    qtbot.waitUntil(lambda: pane.stats is not None, timeout=10000)
    return pane


def test_the_chart_says_it_is_computing_until_the_figures_arrive(qtbot: Any, replica: Replica) -> None:
    """Issue 15 #6: empty 0–1 axes for seconds with no sign of loading."""
    pane = StatisticsPane(replica, BackgroundTasks())
    qtbot.addWidget(pane)
    pane.show()
    assert pane.chart.currentWidget() is pane.loading, "no empty axes before the first figures"
    assert pane.loading.text() == "正在计算统计数据…"
    pane.refresh()
    qtbot.waitUntil(lambda: pane.stats is not None, timeout=10000)
    assert pane.chart.currentWidget() is pane.plot
    assert not pane.busy
    pane.refresh()  # a later refresh keeps the figures on screen and says they are being updated
    assert pane.chart.currentWidget() is pane.plot
    assert pane.headline.text().count("正在更新…") == 1
    pane.refresh()
    assert pane.headline.text().count("正在更新…") == 1
    qtbot.waitUntil(lambda: not pane.busy, timeout=10000)
    assert "正在更新" not in pane.headline.text()


# Column positions of the tables (UNIT_COLUMNS).
RANK, NAME, CASES, DECIDED, ON_TIME, AVG_DAYS, ALERTS, RED, PER_100, SATISFACTION = range(10)


@pytest.fixture
def replica(tmp_path: Path) -> Replica:
    r = Replica(tmp_path / "replica.sqlite3")
    r.apply_changes(fakes.page(offices=("T01", "T02")))
    r.apply_changes(fakes.entities("power_item", [
        power_item("QG-D07-001", "D07", "住房和城乡建设局"),
        power_item("QG-D07-002", "D07", ""),  # the department's name comes from its other item
        power_item("QG-D03-001", "D03"),      # no name in the catalogue: the code is shown
    ]))
    r.apply_changes(cases_page(
        # T01: on time (2 h before due); late (closed exactly at due); open but already rated.
        feed_case("T01", "A1", "QG-D07-001", "decided_approved", closed=DUE - 2 * HOUR, used=30.5,
                  ratings={"satisfied": 2, "dissatisfied": 1}),
        feed_case("T01", "A2", "QG-D07-002", "decided_refused", closed=DUE, used=60.0,
                  ratings={"basically_satisfied": 1}),
        feed_case("T01", "A3", "QG-D03-001", "in_progress", closed=None, used=None, ratings={"very_poor": 1}),
        # T02: on time; withdrawn before acceptance (no due, no working time); a row from an
        # older server whose detail was opened here; a feed row whose stale cached detail must not count.
        feed_case("T02", "B1", "QG-D03-001", "decided_approved", closed=DUE - DAY_US, used=12.0, ratings={}),
        feed_case("T02", "B2", "QG-D03-001", "withdrawn", closed=RECEIVED + HOUR, used=None, ratings={}, due=None),
        old_case("T02", "B3", "QG-D03-001", "decided_approved"),
        feed_case("T02", "B4", "QG-D03-001", "decided_approved", closed=DUE - HOUR, used=24.0, ratings={}),
    ))
    r.apply_changes(fakes.page(
        # A1's OVERDUE signal cleared (its due moved with a later suspension): it closed before
        # the due its row carries, so it counts as on time.
        fakes.alert(1, severity="red", rule="OVERDUE", office="T01", case_no="A1", status="resolved"),
        # B3's row has no close time: its OVERDUE alert makes it late.
        fakes.alert(2, severity="red", rule="OVERDUE", office="T02", case_no="B3"),
    ))
    r.store_case_detail("T02", "B3", detail("T02", "B3", 48.0, ["satisfied"]))
    r.store_case_detail("T02", "B4", detail("T02", "B4", 999.0, ["very_poor", "very_poor"]))
    return r


def test_statistics_use_every_feed_case_row(qtbot: Any, replica: Replica) -> None:
    pane = open_pane(qtbot, replica)
    offices = shown(pane.offices)
    t01, t02 = offices["T01 便民服务中心"], offices["T02 便民服务中心"]

    # T01: A1 on time, A2 late (closed at its due); A3 still open.
    assert t01[CASES] == 3
    assert t01[DECIDED] == 2
    assert t01[ON_TIME] == pct(1 / 2)
    assert t01[AVG_DAYS] == days([30.5, 60.0])
    # satisfied ×2 + basically satisfied, over those and dissatisfied + very poor (A3's).
    assert t01[SATISFACTION] == pct((2 + 1) / (2 + 1 + 1 + 1))
    # T02: B1, B2 (withdrawn) and B4 on time, B3 late by its OVERDUE alert.
    assert t02[CASES] == 4
    assert t02[DECIDED] == 4
    assert t02[ON_TIME] == pct(3 / 4)
    # B1 and B4 from the feed, B3 from its cached detail; B2 has no working time; B4's stale
    # detail (999 h) is not used.
    assert t02[AVG_DAYS] == days([12.0, 24.0, 48.0])
    assert t02[SATISFACTION] == pct(1 / 1)  # B3's one "satisfied"; B4's detail ratings are not counted
    assert t02[ALERTS] == 1
    assert t02[PER_100] == f"{1 * 100 / 4:.1f}"

    # Departments by name from the catalogue; the code where it gives none.
    depts = shown(pane.departments)
    assert set(depts) == {"住房和城乡建设局", "D03"}
    housing, d03 = depts["住房和城乡建设局"], depts["D03"]
    assert housing[CASES] == 2  # A1, A2 (one item named, one not: the same department)
    assert housing[ON_TIME] == pct(1 / 2)
    assert housing[AVG_DAYS] == days([30.5, 60.0])
    assert housing[SATISFACTION] == pct((2 + 1) / (2 + 1 + 1))
    assert d03[CASES] == 5  # A3, B1…B4
    assert d03[DECIDED] == 4
    assert d03[ON_TIME] == pct(3 / 4)
    assert d03[AVG_DAYS] == days([12.0, 24.0, 48.0])
    assert d03[SATISFACTION] == pct(1 / (1 + 1))  # B3's satisfied, A3's very poor
    row = next(r for r in range(pane.departments.rowCount()) if pane.departments.index(r, NAME).data() == "D03")
    assert pane.departments.index(1 - row, NAME).data(TOOLTIP) == "D07"  # the code behind the name

    # The headline: every case of both offices.
    text = pane.headline.text()
    assert "<b>7</b>" in text
    assert f"<b>{pct((6 - 2) / 6)}</b>" in text
    assert f"<b>{days([30.5, 60.0, 12.0, 48.0, 24.0])} 个工作日</b>" in text  # with its unit
    assert f"<b>{pct((2 + 1 + 1) / (2 + 1 + 1 + 1 + 1))}</b>" in text
    # Its tooltip says over how many cases and ratings, in the interface's language.
    tip = pane.headline.toolTip().splitlines()
    assert " 5 " in tip[2]
    assert " 6 " in tip[3]
    assert "办结" in tip[1]
    # The column headers say how each figure is computed, translated.
    for model in (pane.offices, pane.departments):
        for col in (ON_TIME, AVG_DAYS, SATISFACTION):
            header_tip = model.headerData(col, Qt.Orientation.Horizontal, TOOLTIP)
            assert header_tip
            assert any("\u4e00" <= ch <= "\u9fff" for ch in header_tip)
    assert "目录" in pane.departments.headerData(NAME, Qt.Orientation.Horizontal, TOOLTIP)


def test_garbage_in_the_feed_is_neither_counted_nor_fatal(qtbot: Any, tmp_path: Path) -> None:
    r = Replica(tmp_path / "replica.sqlite3")
    r.apply_changes(fakes.page(offices=("T05",)))
    r.apply_changes(fakes.entities("power_item", [
        power_item("QG-D05-001", "D05", {"zh_CN": "不是文本"}),
        power_item("QG-D06-001", "D06", "   "),
    ]))
    garbage = [
        ("H1", "12", ["satisfied"], "yesterday"),
        ("H2", -5, {"satisfied": -3, "dissatisfied": "2", "very_poor": True, "basically_satisfied": 1.5,
                    "excellent": 4}, None),
        ("H3", True, "lots", 12345),
        ("H4", float("nan"), None, {"at": "2026-03-01"}),
        ("H5", float("inf"), {"satisfied": 10**30}, None),
        ("H6", 10**400, {"": 1, "satisfied": None}, None),
        ("H7", [24.0], 7, None),
    ]
    rows = []
    for case_no, used, ratings, closed in garbage:
        row = feed_case("T05", case_no, "QG-D05-001", "decided_approved", closed=None, used=used, ratings=ratings)
        row["closed_at"] = closed
        rows.append(row)
    # One sound case among them: only its figures count (and of its ratings, only the valid one).
    rows.append(feed_case("T05", "OK", "QG-D06-001", "decided_approved", closed=DUE - HOUR, used=36.0,
                          ratings={"satisfied": 1, "very_poor": -1}))
    r.apply_changes(cases_page(*rows))
    # An older server's row with a cached detail that is garbage too.
    r.apply_changes(cases_page(old_case("T05", "OLD", "QG-D06-001", "decided_approved")))
    r.store_case_detail("T05", "OLD", {"state": "decided_approved", "clocks": "x", "evaluations": "y"})
    conn = r.connect()
    conn.execute("INSERT INTO case_details VALUES ('T05', 'RAW', 'not json', 0)")
    conn.close()

    conn = r.connect(readonly=True)
    stored = {row[0]: row[1:] for row in conn.execute("SELECT case_no, used_hours, ratings, closed_at FROM cases")}
    conn.close()
    assert {k: v for k, v in stored.items() if any(x is not None for x in v)} == {
        "OK": (36.0, json.dumps({"satisfied": 1}), DUE - HOUR)}

    pane = open_pane(qtbot, r)
    t05 = shown(pane.offices)["T05 便民服务中心"]
    assert t05[CASES] == len(garbage) + 2
    assert t05[DECIDED] == len(garbage) + 2
    assert t05[ON_TIME] == pct(1.0)  # no close time, no OVERDUE alert: none is late
    assert t05[AVG_DAYS] == days([36.0])
    assert t05[SATISFACTION] == pct(1 / 1)
    assert pane.stats is not None
    assert pane.stats.totals["used_cases"] == 1
    assert pane.stats.totals["ratings"] == 1
    # A department name that is not text, or blank, is not shown: the code is.
    assert set(shown(pane.departments)) == {"D05", "D06"}


def test_old_replica_gains_the_case_columns_from_its_stored_feed_rows(tmp_path: Path) -> None:
    path = tmp_path / "replica.sqlite3"
    r = Replica(path)
    r.apply_changes(fakes.page(offices=("T01",)))
    r.apply_changes(cases_page(
        feed_case("T01", "N1", "QG-D07-001", "decided_approved", closed=DUE + HOUR, used=50.0,
                  ratings={"satisfied": 1, "dissatisfied": 1}),
        feed_case("T01", "N2", "QG-D07-001", "decided_approved", closed=DUE - HOUR, used="bad", ratings=[1]),
        old_case("T01", "O1", "QG-D07-001", "decided_approved"),
    ))
    # Make it a replica from before the columns (their indexes first, then the columns).
    conn = r.connect()
    for index in ("cases_stats", "cases_rated"):
        conn.execute(f"DROP INDEX {index}")
    for column in ("has_closing", "closed_at", "used_hours", "ratings"):
        conn.execute(f"ALTER TABLE cases DROP COLUMN {column}")
    conn.close()

    upgraded = Replica(path)
    conn = upgraded.connect(readonly=True)
    rows = {row[0]: tuple(row[1:]) for row in conn.execute(
        "SELECT case_no, has_closing, closed_at, used_hours, ratings FROM cases")}
    indexes = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
    stats = compute(queries.statistics_inputs(conn))
    conn.close()
    assert rows == {
        "N1": (1, DUE + HOUR, 50.0, json.dumps({"satisfied": 1, "dissatisfied": 1})),
        "N2": (1, DUE - HOUR, None, None),
        "O1": (0, None, None, None),
    }
    assert {"cases_stats", "cases_power", "cases_rated"} <= indexes
    assert stats.totals["decided"] == 3
    assert stats.totals["on_time_rate"] == pytest.approx(2 / 3)  # N1 closed an hour after its due
    assert stats.totals["avg_days"] == pytest.approx(50.0 / 24)
    assert stats.totals["satisfaction"] == pytest.approx(1 / 2)
