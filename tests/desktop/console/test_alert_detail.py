"""The alert detail under the wall shows the history it holds: several lines at once, and a
scroll bar for the rest (it used to show one line of 处理记录 and nothing to scroll with).

Measured on the shown wall (Xvfb): the detail pane's visible height in text lines, the scroll
bar, and that scrolling to the end brings the last history line into view.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtGui import QTextCursor

from desktop.common.tasks import BackgroundTasks
from desktop.console.wall import AlertWall
from desktop.replica.store import Replica
from tests.desktop.console import fakes
from tests.desktop.console.operator import settled

HISTORY = [{"at": f"2026-03-02T09:{i:02d}:00+08:00", "actor": "值班员", "action": "comment",
            "data": {"text": f"第 {i} 条批注：已电话联系窗口负责人核实"}} for i in range(25)]


def test_alert_detail_shows_lines_of_history_and_scrolls_to_the_rest(qtbot: Any, tmp_path: Path) -> None:
    replica = Replica(tmp_path / "replica.sqlite3")
    replica.apply_changes(fakes.page(offices=("T01",)))
    replica.apply_changes(fakes.page(fakes.alert(1, severity="red", rule="OVERDUE", office="T01", case_no="A1")))
    wall = AlertWall(replica, BackgroundTasks(), None, history=lambda _id: {"history": HISTORY})
    qtbot.addWidget(wall)
    wall.resize(880, 600)  # the wall beside the case pane on a 1366×768 console
    wall.show()
    qtbot.waitExposed(wall)
    settled(qtbot, wall.model)
    wall.table.selectRow(0)
    qtbot.waitUntil(lambda: "第 24 条批注" in wall.detail.toPlainText(), timeout=5_000)
    detail = wall.detail
    line = detail.fontMetrics().lineSpacing()
    assert detail.viewport().height() >= 8 * line, \
        f"the detail shows {detail.viewport().height() / line:.1f} lines"
    bar = detail.verticalScrollBar()
    assert bar.maximum() > 0
    assert bar.isVisible(), "the rest of the history can be scrolled to"
    assert bar.width() > 4
    bar.setValue(bar.maximum())
    cursor = detail.document().find("第 24 条批注")
    assert not cursor.isNull()
    cursor.movePosition(QTextCursor.MoveOperation.StartOfBlock)
    rect = detail.cursorRect(cursor)
    assert detail.viewport().rect().contains(rect.center()), "scrolled to the end, the last entry is in view"


def test_video_tiles_get_the_rules_names_from_the_replica(tmp_path: Path) -> None:
    """The console feeds the wall's tiles from the replica with the server's rule names."""
    from desktop.replica import queries

    replica = Replica(tmp_path / "replica.sqlite3")
    alert = fakes.alert(5, severity="red", rule="SKIPPED_NODE", office="T01")
    alert["rule_name"] = {"zh_CN": "跳过办理环节（服务器）", "en": "skipped node (server)"}
    replica.apply_changes(fakes.page(alert, offices=("T01",)))
    rows = replica.read(queries.active_red_alerts, 10)
    assert [(r["rule"], r["rule_zh"], r["rule_en"]) for r in rows] == [
        ("SKIPPED_NODE", "跳过办理环节（服务器）", "skipped node (server)")]
