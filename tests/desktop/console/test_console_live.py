"""End to end: a real server over TLS, the console window in-process, what the operator sees.

How soon a batch's alert is on the wall is measured in ``bench/latency.py``, not here.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt

from desktop.replica import sync
from tests.desktop.console.operator import red_batch


def _wall_ids(window: Any) -> list[int]:
    return window.wall.model.loaded_ids()



def test_batch_alert_appears_on_the_wall_flashing_and_sounding(console: Any, live_server: Any, qtbot: Any) -> None:
    window = console
    assert "●" in window.conn_label.text()
    assert window.session.engine.state == sync.LIVE
    before = set(_wall_ids(window))
    sounded = window.alarm.played
    r = live_server.post_batch("T01", live_server.tokens["T01"], red_batch("2026-0000001"))
    assert r.status == 200
    assert r.json()["alerts_raised"] >= 1
    # The live console's long-poll brings it, no refresh asked for.
    qtbot.waitUntil(lambda: len(set(_wall_ids(window)) - before) >= 1, timeout=15_000)
    new = set(_wall_ids(window)) - before
    row = window.wall.model.row_of(next(iter(new)))
    assert row is not None
    text = window.wall.model.index(row, 1).data()
    assert text == "跳过办理环节"  # the rule's Chinese name
    assert window.wall.model.index(row, 2).data().startswith("T01")
    assert window.wall.model.is_flashing(next(iter(new)))
    assert window.alarm.played == sounded + 1


def test_keyboard_triage_reaches_the_server(console: Any, live_server: Any, qtbot: Any) -> None:
    window = console
    live_server.post_batch("T01", live_server.tokens["T01"], red_batch("2026-0000002"))
    qtbot.waitUntil(lambda: window.wall.model.rowCount() >= 2, timeout=5000)
    table = window.wall.table
    table.setFocus()
    table.selectRow(0)
    first = window.wall.model.alert_id(0)
    qtbot.keyClick(table, Qt.Key.Key_A)
    qtbot.waitUntil(lambda: window.wall.model.row_info(window.wall.model.row_of(first))["status"] == "acknowledged",
                    timeout=3000)
    # The server applied it exactly once.
    def server_history() -> list[str]:
        return [h["action"] for h in live_server.call("GET", f"/alerts/{first}").json()["history"]]
    qtbot.waitUntil(lambda: server_history() == ["ack"], timeout=5000)
    qtbot.waitUntil(lambda: window.conflicts.counts.get("pending", 0) == 0, timeout=5000)
    # The detail pane shows who did it, from the server's history of the alert.
    window.wall.select_alert(first)
    qtbot.waitUntil(lambda: "处理记录" in window.wall.detail.toPlainText() and "op" in window.wall.detail.toPlainText(),
                    timeout=5000)
