"""Statistics, big screen, grouping, sign-in: what the user does with each, on a replica."""

from __future__ import annotations

import json
import os
import zipfile
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import QSettings, Qt

from desktop.common import credentials
from desktop.common.api import ApiClient
from desktop.common.tasks import BackgroundTasks
from desktop.console.bigscreen import BigScreen
from desktop.console.groups import GroupModel
from desktop.console.stats import StatisticsPane
from desktop.console.wall import AlertWall, DismissDialog
from desktop.replica import queries
from desktop.replica.queries import AlertFilter
from desktop.replica.store import Replica
from tests.desktop.console import fakes
from tests.desktop.console.conftest import OPERATOR
from tests.desktop.console.operator import settled


@pytest.fixture
def replica(tmp_path: Path) -> Replica:
    """Three offices: T01 with an overdue decided case, T02 clean, T03 with only yellow signals."""
    r = Replica(tmp_path / "replica.sqlite3")
    r.apply_changes(fakes.page(offices=("T01", "T02", "T03")))
    r.apply_changes(fakes.entities("power_item", [
        ("QG-D07-001", {"code": "QG-D07-001", "name": "建筑工程施工许可", "department": "D07"}),
        ("QG-D03-002", {"code": "QG-D03-002", "name": "食品经营许可", "department": "D03"})]))
    cases = [("T01", "A1", "decided_approved", "QG-D07-001"), ("T01", "A2", "decided_approved", "QG-D07-001"),
             ("T02", "B1", "decided_approved", "QG-D03-002"), ("T02", "B2", "in_progress", "QG-D03-002"),
             ("T03", "C1", "decided_refused", "QG-D03-002")]
    r.apply_changes(fakes.entities("case", [(f"{o}/{n}", fakes.case(o, n, state=s, power=p))
                                            for o, n, s, p in cases]))
    r.apply_changes(fakes.page(
        fakes.alert(1, severity="red", rule="OVERDUE", office="T01", case_no="A1"),
        fakes.alert(2, severity="yellow", rule="NODE_OVERDUE", office="T01", case_no="A1"),
        fakes.alert(3, severity="yellow", rule="POOR_RATING", office="T03", case_no="C1"),
    ))
    for office, case_no, hours, rating in (("T01", "A1", 130.0, "dissatisfied"), ("T02", "B1", 50.0, "satisfied")):
        r.store_case_detail(office, case_no, {"office": office, "case_no": case_no, "state": "decided_approved",
                                              "clocks": {"used_hours": hours},
                                              "evaluations": [{"id": "e", "rating": rating, "at": "2026-03-01"}]})
    return r


def test_statistics_rank_offices_and_export(qtbot: Any, replica: Replica, tmp_path: Path) -> None:
    tasks = BackgroundTasks()
    pane = StatisticsPane(replica, tasks)
    qtbot.addWidget(pane)
    pane.show()
    pane.refresh()
    qtbot.waitUntil(lambda: pane.stats is not None, timeout=5000)
    table = pane.offices
    rows = {table.index(r, 1).data(): [table.index(r, c).data() for c in range(table.columnCount())]
            for r in range(table.rowCount())}
    assert set(rows) == {"T01 便民服务中心", "T02 便民服务中心", "T03 便民服务中心"}
    # T01 decided 2 cases, one overdue: 50 % on time, ranked below the offices with none overdue.
    assert rows["T01 便民服务中心"][4] == "50.0%"
    assert rows["T01 便民服务中心"][0] == 3
    assert rows["T02 便民服务中心"][5] == f"{50 / 24:.2f}"
    assert rows["T02 便民服务中心"][9] == "100.0%"
    assert "监察" in pane.headline.text() or "办件" in pane.headline.text()

    done: list[Path] = []
    pane.export(tmp_path / "stats.xlsx", "xlsx", done.append)
    qtbot.waitUntil(lambda: bool(done), timeout=10000)
    wb = load_workbook(done[0])
    offices = wb[wb.sheetnames[1]]
    sheet_rows = {row[1]: row for row in offices.iter_rows(min_row=2, values_only=True)}
    assert sheet_rows["T01 便民服务中心"][4] == pytest.approx(0.5)
    assert wb[wb.sheetnames[0]].cell(2, 2).value == 5  # cases supervised

    pane.export(tmp_path / "stats.pdf", "pdf", done.append)
    qtbot.waitUntil(lambda: len(done) == 2, timeout=20000)
    data = done[1].read_bytes()
    assert data.startswith(b"%PDF")
    assert len(data) > 5000  # text, a table and the chart picture


def test_big_screen_tiles_coloured_by_worst_signal(qtbot: Any, replica: Replica) -> None:
    screen = BigScreen(replica, cycle_seconds=3600)
    qtbot.addWidget(screen)
    screen.resize(1920, 1080)
    screen.show()
    screen.refresh()
    qtbot.waitUntil(lambda: screen.summary is not None, timeout=5000)
    summary = screen.summary
    assert summary is not None
    tiles = {t.code: t.worst for t in summary.tiles}
    assert tiles == {"T01": "red", "T02": "clear", "T03": "yellow"}
    assert summary.active_red == 1
    assert summary.latest_red[0]["case_no"] == "A1"
    # A new red signal arrives: the totals follow.
    res = replica.apply_changes(fakes.page(fakes.alert(9, severity="red", rule="FEE_EXCESS", office="T02",
                                                       case_no="B2", minutes=999)))
    screen.data_changed(res.new_red)
    qtbot.waitUntil(lambda: screen.summary is not None and screen.summary.active_red == 2, timeout=5000)
    summary = screen.summary
    assert summary is not None
    assert {t.code: t.worst for t in summary.tiles}["T02"] == "red"
    # Without a video wall the cycle stays on the summary; Esc leaves.
    screen.swap()
    assert not screen.showing_video()
    qtbot.keyClick(screen, Qt.Key.Key_Escape)
    assert not screen.isVisible()


def test_grouping_by_office_narrows_the_wall(qtbot: Any, qtmodeltester: Any, replica: Replica) -> None:
    conn = replica.connect(readonly=True)
    groups = queries.group_counts(conn, "office", AlertFilter())
    assert [g.key for g in groups] == ["T01", "T03"]
    model = GroupModel()
    model.set_groups("office", groups)
    qtmodeltester.check(model, force_py=False)

    wall = AlertWall(replica, BackgroundTasks(), None)
    qtbot.addWidget(wall)
    wall.show()
    wall.group_combo.setCurrentIndex(wall.group_combo.findData("office"))
    qtbot.waitUntil(lambda: wall.groups.rowCount() == 2, timeout=5000)
    assert wall.groups.index(0, 1).data() == 1  # T01: one red
    wall.group_view.clicked.emit(wall.groups.index(1, 0))  # the operator clicks T03
    settled(qtbot, wall.model)
    assert {(wall.model.row_info(r) or {}).get("office") for r in range(wall.model.rowCount())} == {"T03"}
    wall.set_filter(severities={"red"})
    qtbot.waitUntil(lambda: wall.model.rowCount() == 0, timeout=3000)
    # Free text searches office names too.
    wall.group_view.clicked.emit(wall.groups.index(1, 0))
    wall.set_filter(severities=set(), text="T01 便民")
    qtbot.waitUntil(lambda: wall.model.rowCount() == 2, timeout=3000)
    qtbot.waitUntil(lambda: "2" in wall.total_label.text(), timeout=3000)


def test_dismiss_needs_a_reason(qtbot: Any, replica: Replica) -> None:
    calls: list[tuple[list[int], str, dict[str, Any]]] = []
    wall = AlertWall(replica, BackgroundTasks(), lambda ids, action, data, done: calls.append((ids, action, data)))
    qtbot.addWidget(wall)
    wall.show()
    settled(qtbot, wall.model)
    wall.table.setFocus()
    wall.table.selectRow(0)
    qtbot.keyClick(wall.table, Qt.Key.Key_D)
    dialog = wall.dialog
    assert isinstance(dialog, DismissDialog)
    ok = dialog.buttons.buttons()[0]
    assert not ok.isEnabled()  # no reason yet
    dialog.reason.setCurrentIndex(1)
    assert ok.isEnabled()
    ok.click()
    assert calls
    assert calls[0][1] == "dismiss"
    assert calls[0][2]["reason"]
    # Multi-select bulk action: two rows, one key.
    wall.table.selectAll()
    qtbot.keyClick(wall.table, Qt.Key.Key_E)
    assert calls[-1][1] == "escalate"
    assert len(calls[-1][0]) == wall.model.rowCount()


def test_sign_in_keeps_the_token_in_the_keyring(qtbot: Any, live_server: Any, keyring_file: Path,
                                                settings_dir: Path) -> None:
    from desktop.console.signin import SignInDialog

    client = ApiClient(f"https://127.0.0.1:{live_server.port}", str(live_server.ca_file))
    dialog = SignInDialog(client, BackgroundTasks())
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClicks(dialog.user, OPERATOR[0])
    qtbot.keyClicks(dialog.password, "wrong password")
    dialog.submit()
    qtbot.waitUntil(lambda: (dialog.buttons.isEnabled() and "错误" in dialog.error.text()) or "wrong" in
                    dialog.error.text(), timeout=10000)
    dialog.password.setText(OPERATOR[1])
    with qtbot.waitSignal(dialog.signed_in, timeout=10000):
        dialog.submit()
    token = credentials.load_token(client.server_url, OPERATOR[0])
    assert token
    assert token == client.token
    stored = json.loads(keyring_file.read_text())
    assert any(token == v for v in stored.values())  # in the (mock) OS keyring, not in QSettings
    QSettings().sync()
    assert all(token not in p.read_text(errors="ignore") for p in settings_dir.rglob("*") if p.is_file())
    client.close()


def test_xlsx_is_a_real_workbook(replica: Replica, tmp_path: Path) -> None:
    from desktop.console.stats import compute, export_xlsx

    path = export_xlsx(compute(queries.statistics_inputs(replica.connect(readonly=True))), tmp_path / "s.xlsx")
    assert zipfile.is_zipfile(path)


def test_layout_columns_and_mute_are_remembered(qtbot: Any, replica: Replica, settings_dir: Path) -> None:
    from desktop.console.session import open_session
    from desktop.console.wall_model import COL
    from desktop.console.window import ConsoleWindow

    def window() -> ConsoleWindow:
        client = ApiClient("https://127.0.0.1:9", None)
        w = ConsoleWindow(open_session(client, "op", replica_file=replica.path))
        qtbot.addWidget(w)
        w.show()
        return w

    first = window()
    header = first.wall.table.horizontalHeader()
    header.actions()[COL["as_of"]].trigger()  # the operator hides "As of" from the header's menu
    assert first.wall.table.isColumnHidden(COL["as_of"])
    first.wall.mute_button.click()
    first.close()
    second = window()
    assert second.wall.table.isColumnHidden(COL["as_of"])
    assert not second.wall.table.horizontalHeader().actions()[COL["as_of"]].isChecked()
    assert second.wall.mute_button.isChecked()
    assert second.alarm.muted
    second.close()


def _unit(key: str, name: str, total: float, rank: int, before: int | None, received: int = 10) -> dict[str, Any]:
    return {"key": key, "name": name, "total": total, "rank": rank,
            "counts": {"received": received, "decided": received},
            "before": {"total": 0.0, "rank": before, "components": {}} if before else None}


def test_big_screen_shows_the_month_ranking_and_the_red_units(qtbot: Any, replica: Replica) -> None:
    """Issue 14: the hall sees the month's ranking (with moves since last month) and the red units."""
    from desktop.console.bigscreen import month_figures

    evaluation = {"month": "2026-03", "rows": [
        _unit("C00", "县电子监察中心", 100.0, 1, None, received=0),
        _unit("T01", "城关镇便民服务中心", 91.5, 2, 4),
        _unit("T02", "山腰街道便民服务中心", 88.0, 3, 2),
        _unit("T03", "南埔镇便民服务中心", 70.2, 4, None)]}
    risk = {"month": "2026-03", "rows": [
        {"key": "T03", "name": "南埔镇便民服务中心", "index": 40, "level": "red", "points": [
            {"item": "red_alert", "weight": -10, "ref": {"type": "alert", "id": 1}},
            {"item": "red_alert", "weight": -10, "ref": {"type": "alert", "id": 2}},
            {"item": "yellow_card", "weight": -5, "ref": {"type": "card", "id": "c"}}]},
        {"key": "T01", "name": "城关镇便民服务中心", "index": 95, "level": "green", "points": []}]}
    band = month_figures(evaluation, risk)
    assert [(u.rank, u.name, u.moved) for u in band.ranking] == [
        (2, "城关镇", 2), (3, "山腰街道", -1), (4, "南埔镇", None)]
    assert [(u.name, u.index, u.causes) for u in band.red_units] == [
        ("南埔镇", 40, [("red_alert", 2), ("yellow_card", 1)])]

    screen = BigScreen(replica, cycle_seconds=3600, figures=lambda: band)
    qtbot.addWidget(screen)
    screen.resize(1600, 900)
    screen.show()
    screen.refresh()
    qtbot.waitUntil(lambda: screen.summary is not None and screen.month is not None, timeout=5000)
    view = screen.summary_view
    picture = view.grab().toImage()
    # The band along the bottom: its panel colour where, without figures, the screen's background was.
    unit = max(8.0, view.height() / 60)
    corner = (int(unit * 1.3), int(view.height() - unit * 1.3))
    assert picture.pixelColor(*corner).name() == "#0d1117"
    if os.environ.get("YINGYAN_TEST_SCREENSHOTS"):
        picture.save(str(Path(os.environ["YINGYAN_TEST_SCREENSHOTS"]) / "yingyan-bigscreen-month.png"))
    without = BigScreen(replica, cycle_seconds=3600)
    qtbot.addWidget(without)
    without.resize(1600, 900)
    without.show()
    without.refresh()
    qtbot.waitUntil(lambda: without.summary is not None, timeout=5000)
    assert without.month is None
    assert without.summary_view.grab().toImage().pixelColor(*corner).name() != "#0d1117"
