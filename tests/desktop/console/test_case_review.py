"""Case review: a case across the Spring Festival 2026, opened from the wall like an operator does."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from PySide6.QtCore import Qt

from desktop.console.case_pane import CasePane
from desktop.console.timeline import ADJUSTED, HOLIDAY, WORKDAY
from desktop.replica import queries
from shared.timeutil import format_instant
from tests.desktop.console.operator import look, settled
from tests.harness import event

CASE = "2026-0000215"


def spring_festival_case(case_no: str = CASE) -> list[dict[str, Any]]:
    return [
        event(case_no, "received", "2026-02-12T09:00:00+08:00", actor="S01", applicant_id="350505198001011234"),
        event(case_no, "accepted", "2026-02-13T10:00:00+08:00", actor="S01"),
        event(case_no, "node_completed", "2026-02-14T16:00:00+08:00", node="review", actor="S01", opinion="材料齐全"),
        event(case_no, "suspended", "2026-02-24T10:00:00+08:00", reason_code="supplement", actor="S02",
              note="补正施工图"),
        event(case_no, "resumed", "2026-02-25T15:00:00+08:00", actor="S02"),
        event(case_no, "node_completed", "2026-02-27T11:00:00+08:00", node="approve", actor="S02", opinion="同意"),
        event(case_no, "decided", "2026-03-02T07:00:00+08:00", result="approved", actor="S02"),
        {"kind": "evaluation", "id": str(uuid.uuid4()), "case_no": case_no, "rating": "dissatisfied",
         "at": "2026-03-02T07:30:00+08:00", "comment": "等待时间长"},
    ]


def test_open_case_from_wall_shows_timeline_against_calendar(console: Any, live_server: Any, qtbot: Any) -> None:
    window = console
    assert live_server.post_batch("T01", live_server.tokens["T01"], spring_festival_case()).status == 200
    qtbot.waitUntil(lambda: window.wall.model.rowCount() >= 1, timeout=5000)
    window.wall.set_filter(text=CASE)
    settled(qtbot, window.wall.model)
    assert window.wall.model.rowCount() >= 1
    overdue = next(r for r in range(window.wall.model.rowCount())
                   if window.wall.model.row_info(r)["rule"] == "OVERDUE")
    window.wall.table.setFocus()
    window.wall.table.selectRow(overdue)
    qtbot.keyClick(window.wall.table, Qt.Key.Key_Return)

    pane = window.case_pane
    qtbot.waitUntil(lambda: pane.source == "server", timeout=5000)
    assert window.case_dock.isVisible()
    assert CASE in pane.title.text()
    assert "建筑工程施工许可" in pane.title.text()
    tl = pane.timeline
    assert tl is not None
    # The time axis knows the Spring Festival: holidays shaded, adjusted working days marked.
    for d in range(15, 24):
        assert tl.day_kind(date(2026, 2, d)) == HOLIDAY
    assert tl.day_kind(date(2026, 2, 14)) == ADJUSTED
    assert tl.day_kind(date(2026, 2, 28)) == ADJUSTED
    assert tl.day_kind(date(2026, 2, 27)) == WORKDAY
    # The clocks computed here offline agree with the server's.
    server = live_server.call("GET", f"/approval-cases/T01/{CASE}").json()["clocks"]
    assert abs(tl.used_hours - server["used_hours"]) < 0.01
    assert tl.due is not None
    assert format_instant(tl.due) == server["due"]
    assert len(tl.suspensions) == 1
    assert len(tl.nodes) == 2
    assert "超期" in pane.summary.text() or "/ 5 个工作日" in pane.summary.text()
    # Events with actor and opinion; the alerts with why they fired; the rating.
    events = [pane.events.index(r, 4).data() for r in range(pane.events.rowCount())]
    assert "材料齐全" in events
    assert "同意" in events
    actors = {pane.events.index(r, 3).data() for r in range(pane.events.rowCount())}
    assert {"S01", "S02"} <= actors
    rules = {pane.alerts.index(r, 1).data() for r in range(pane.alerts.rowCount())}
    assert "超时办理" in rules
    assert "群众评价差" in rules
    assert pane.ratings.index(0, 1).data() == "不满意"
    pane.tabs.setCurrentIndex(1)
    pane.alerts_view.setCurrentIndex(pane.alerts_view.model().index(0, 0))
    assert pane.evidence.toPlainText().strip()
    qtbot.waitUntil(lambda: pane.timeline_view.isVisible(), timeout=2000)
    image = pane.timeline_view.grab().toImage()
    assert image.width() > 300
    assert not image.isNull()


def test_case_opens_offline_from_the_replica(console: Any, live_server: Any, qtbot: Any) -> None:
    window = console
    live_server.post_batch("T01", live_server.tokens["T01"], spring_festival_case())
    window.open_case("T01", CASE)
    qtbot.waitUntil(lambda: window.case_pane.source == "server", timeout=5000)
    # Another pane without a server connection (an investigator offline): the cached copy, read
    # from the replica in the background.
    offline = CasePane(window.session.replica, window.session.tasks, None)
    qtbot.addWidget(offline)
    offline.open_case("T01", CASE)
    qtbot.waitUntil(lambda: offline.source == "cache", timeout=5000)
    assert "离线副本" in offline.summary.text()
    assert offline.timeline is not None
    assert len(offline.timeline.nodes) == 2


def test_show_camera_asks_the_video_wall(console: Any, live_server: Any, qtbot: Any) -> None:
    window = console
    r = live_server.call("PUT", "/cameras/CAM-T01-1", {"name": "T01 综合窗口", "office": "T01", "window": "1",
                                                      "main_url": "http://127.0.0.1:9/none.ts", "enabled": True})
    assert r.status in (200, 201), r.body
    live_server.post_batch("T01", live_server.tokens["T01"], spring_festival_case())
    qtbot.waitUntil(lambda: len(look(window.session.replica, queries.camera_configs)) == 1,
                    timeout=5000)
    window.open_case("T01", CASE)
    pane = window.case_pane
    qtbot.waitUntil(pane.camera_button.isEnabled, timeout=5000)
    with qtbot.waitSignal(pane.show_camera, timeout=2000) as blocker:
        pane.camera_button.click()
    assert blocker.args == ["CAM-T01-1"]
