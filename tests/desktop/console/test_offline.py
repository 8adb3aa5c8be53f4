"""Offline: the server goes away, the operator keeps working, every action reaches the server once.

A change made on the server meanwhile by someone else comes back as a visible conflict with
both versions, and the operator decides; nothing is overwritten silently.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox

from desktop.replica import sync
from tests.desktop.console.operator import history, press, red_batch, status


def test_offline_actions_replay_exactly_once_and_conflicts_show(console: Any, live_server: Any, qtbot: Any) -> None:
    window = console
    engine = window.session.engine
    for case_no in ("2026-0000101", "2026-0000102"):
        assert live_server.post_batch("T01", live_server.tokens["T01"], red_batch(case_no)).status == 200
    qtbot.waitUntil(lambda: window.wall.model.rowCount() >= 4, timeout=5000)
    a, b, c, d = window.wall.model.loaded_ids()[:4]

    # Stopped hard, as a power cut or a crashed host would: a graceful SIGTERM currently waits the
    # server's full 30 s grace period whenever a client holds an idle keep-alive connection.
    live_server.kill()
    qtbot.waitUntil(lambda: engine.state == sync.OFFLINE, timeout=10000)
    assert "●" in window.conn_label.text()
    assert "离线" in window.conn_label.text()
    # Why, in Chinese; the network's own (English) words only in the tooltip.
    assert "无法连接服务器" in window.conn_label.text()
    assert window.conn_label.toolTip()
    assert window.conn_label.toolTip() not in window.conn_label.text()

    press(qtbot, window, a, Qt.Key.Key_A)
    press(qtbot, window, b, Qt.Key.Key_E)
    press(qtbot, window, d, Qt.Key.Key_A)
    press(qtbot, window, c, Qt.Key.Key_C)
    qtbot.waitUntil(lambda: window.wall.dialog is not None, timeout=2000)
    window.wall.dialog.edit.setPlainText("已电话核实，等待补正材料")
    window.wall.dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    # Applied locally at once, marked as waiting to be sent.
    qtbot.waitUntil(lambda: window.conflicts.counts.get("pending") == 4, timeout=3000)
    qtbot.waitUntil(lambda: status(window, a).startswith("⟳") and "已升级" in status(window, b), timeout=3000)
    assert "已确认" in status(window, a)
    assert "等待" in window.outbox_label.text() or "4" in window.outbox_label.text()

    # Hold the console offline while the server comes back and another operator acts on d.
    window.act_offline.setChecked(True)
    live_server.start()
    r = live_server.call("POST", "/mutations", {"mutations": [
        {"id": "other-operator-1", "entity": "alert", "entity_id": d, "action": "escalate", "base_version": 1,
         "data": {}}]})
    assert r.json()["results"][0]["status"] == "applied"

    window.act_offline.setChecked(False)
    qtbot.waitUntil(lambda: engine.state == sync.LIVE and window.conflicts.counts.get("pending") == 0,
                    timeout=15000)
    assert window.conflicts.counts.get("conflict") == 1
    assert history(live_server, a) == ["ack"]
    assert history(live_server, b) == ["escalate"]
    assert history(live_server, c) == ["comment"]
    assert history(live_server, d) == ["escalate"]  # the other operator's only: mine did not overwrite it

    # The conflict is on screen with both versions.
    assert window.conflicts_dock.isVisible()
    qtbot.waitUntil(lambda: status(window, d).startswith("⚠"), timeout=3000)
    conflict = next(m for m in window.conflicts.model.records() if m["state"] == "conflict")
    assert int(conflict["entity_id"]) == d
    assert window.conflicts.select_mutation(conflict["id"])
    html = window.conflicts.compare.toHtml()
    assert "已升级" in html
    assert "确认" in html

    # Replaying the same mutations again (an answer lost on the way) changes nothing.
    sent = window.session.replica.connect().execute(
        "SELECT id, entity, entity_id, action, base_version, data FROM outbox WHERE state = 'applied'").fetchall()
    import json

    again = live_server.call("POST", "/mutations", {"mutations": [
        {"id": m[0], "entity": m[1], "entity_id": m[2], "action": m[3], "base_version": m[4],
         "data": json.loads(m[5])} for m in sent]}, token=window.session.client.token).json()["results"]
    assert {x["status"] for x in again} == {"applied"}
    assert history(live_server, a) == ["ack"]
    assert history(live_server, c) == ["comment"]

    # The operator keeps the server's version: the conflict is closed, the row is the server's.
    window.conflicts.keep_button.click()
    qtbot.waitUntil(lambda: window.conflicts.counts.get("conflict") == 0, timeout=3000)
    qtbot.waitUntil(lambda: not status(window, d).startswith("⚠"), timeout=3000)
    assert "已升级" in status(window, d)


def test_working_offline_never_says_live_and_queue_times_are_the_servers(console: Any, live_server: Any,
                                                                          qtbot: Any) -> None:
    """Issue 15 #5: "● 在线 … · 脱机工作" with a green dot while working offline; the queue time on
    this machine's date while everything else showed the (simulated) server's; the request to
    decide a conflict stayed on the status bar after it was decided."""
    window = console
    engine = window.session.engine
    assert live_server.post_batch("T01", live_server.tokens["T01"], red_batch("2026-0000121")).status == 200
    qtbot.waitUntil(lambda: window.wall.model.rowCount() >= 1, timeout=10000)
    a = window.wall.model.loaded_ids()[0]
    qtbot.waitUntil(lambda: engine.server_offset != 0.0, timeout=10000)  # the server runs in March 2026

    # Switched offline while a long-poll waits on the server; then the server has news for it.
    window.act_offline.setChecked(True)
    assert live_server.post_batch("T01", live_server.tokens["T01"], red_batch("2026-0000122")).status == 200
    qtbot.waitUntil(lambda: window.wall.model.rowCount() >= 2, timeout=10000)  # the page in flight is kept
    label = window.conn_label.text()
    assert engine.state == sync.OFFLINE
    assert "脱机工作" in label
    assert "在线" not in label
    assert "#3fb950" not in label, "no green dot while working offline"

    press(qtbot, window, a, Qt.Key.Key_A)
    qtbot.waitUntil(lambda: window.conflicts.counts.get("pending") == 1, timeout=5000)
    queued = next(m for m in window.conflicts.model.records() if m["state"] == "pending")["queued"]
    assert queued.startswith("03-0"), f"queued at {queued}: the server's March, not this machine's date"

    # Someone else escalates it meanwhile; back online, my acknowledgement conflicts and is decided.
    other = live_server.call("POST", "/mutations", {"mutations": [
        {"id": "other-operator-121", "entity": "alert", "entity_id": a, "action": "escalate", "base_version": 1,
         "data": {}}]})
    assert other.json()["results"][0]["status"] == "applied"
    window.act_offline.setChecked(False)
    qtbot.waitUntil(lambda: engine.state == sync.LIVE and window.conflicts.counts.get("conflict") == 1,
                    timeout=15000)
    assert "#3fb950" in window.conn_label.text()
    qtbot.waitUntil(lambda: "冲突" in window.statusBar().currentMessage(), timeout=5000)
    conflict = next(m for m in window.conflicts.model.records() if m["state"] == "conflict")
    window.session.engine.resolve(conflict["id"], retry=False)
    qtbot.waitUntil(lambda: window.conflicts.counts.get("conflict") == 0, timeout=10000)
    qtbot.waitUntil(lambda: window.statusBar().currentMessage() == "", timeout=5000)
