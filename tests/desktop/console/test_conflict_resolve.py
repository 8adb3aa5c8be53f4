"""Deciding a conflict in the outbox pane, against the real server.

The operator worked offline while another operator changed the same alerts. Each of the
operator's actions comes back as a conflict with both versions; "apply mine again" queues
it anew on the server's current version and the server applies it exactly once; "keep the
server's" drops it and the server never sees it. An action that can no longer follow the
server's version (acknowledging an escalated alert) cannot be applied again. Afterwards the
conflict list is empty.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt

from desktop.replica import sync
from tests.desktop.console.operator import history, press, red_batch, server_alert, status


def _conflict_for(window: Any, alert_id: int) -> dict[str, Any]:
    return next(m for m in window.conflicts.model.records()
                if m["state"] == "conflict" and int(m["entity_id"]) == alert_id)


def _outbox(window: Any, alert_id: int) -> list[tuple[str, str]]:
    conn = window.session.replica.connect(readonly=True)
    try:
        return [(r[0], r[1]) for r in conn.execute(
            "SELECT action, state FROM outbox WHERE entity_id = ? ORDER BY seq", (str(alert_id),))]
    finally:
        conn.close()


def test_apply_mine_again_once_and_keep_the_servers(console: Any, live_server: Any, qtbot: Any) -> None:
    window = console
    engine = window.session.engine
    pane = window.conflicts
    for case_no in ("2026-0000401", "2026-0000402"):
        assert live_server.post_batch("T01", live_server.tokens["T01"], red_batch(case_no)).status == 200
    qtbot.waitUntil(lambda: window.wall.model.rowCount() >= 4, timeout=5000)
    a, b, c = window.wall.model.loaded_ids()[:3]
    for name in ("张三", "李四"):  # assignees must be people the server knows
        r = live_server.call("POST", "/users", {"username": name, "password": "investigator-1",
                                                "role": "investigator"})
        assert r.status == 201, r.body

    # Offline, the operator assigns a, escalates b and acknowledges c.
    window.act_offline.setChecked(True)
    press(qtbot, window, a, Qt.Key.Key_G)
    qtbot.waitUntil(lambda: window.wall.dialog is not None, timeout=2000)
    window.wall.dialog.person.setEditText("张三")
    window.wall.dialog.accept()
    press(qtbot, window, b, Qt.Key.Key_E)
    press(qtbot, window, c, Qt.Key.Key_A)
    qtbot.waitUntil(lambda: pane.counts.get("pending") == 3, timeout=3000)

    # Meanwhile another operator acts on the same three alerts on the server.
    r = live_server.call("POST", "/mutations", {"mutations": [
        {"id": "other-1", "entity": "alert", "entity_id": a, "action": "ack", "base_version": 1, "data": {}},
        {"id": "other-2", "entity": "alert", "entity_id": b, "action": "assign", "base_version": 1,
         "data": {"assignee": "李四"}},
        {"id": "other-3", "entity": "alert", "entity_id": c, "action": "escalate", "base_version": 1, "data": {}},
    ]})
    assert [x["status"] for x in r.json()["results"]] == ["applied"] * 3

    window.act_offline.setChecked(False)
    qtbot.waitUntil(lambda: pane.counts.get("conflict") == 3 and pane.counts.get("pending") == 0, timeout=15000)
    assert window.conflicts_dock.isVisible()
    assert history(live_server, a) == ["ack"]
    assert history(live_server, b) == ["assign"]
    assert history(live_server, c) == ["escalate"]

    # a: mine (assign to 张三) again, on top of the other operator's acknowledgement.
    assert pane.select_mutation(_conflict_for(window, a)["id"])
    assert "张三" in pane.compare.toHtml()
    assert pane.retry_button.isEnabled()
    assert pane.keep_button.isEnabled()
    with qtbot.waitSignal(engine.replayed, timeout=10000,
                          check_params_cb=lambda result: result.applied == 1):
        pane.retry_button.click()
    qtbot.waitUntil(lambda: pane.counts.get("conflict") == 2 and pane.counts.get("pending") == 0, timeout=5000)
    assert history(live_server, a) == ["ack", "assign"]
    server_a = server_alert(live_server, a)
    assert server_a["assignee"] == "张三"
    assert server_a["status"] == "acknowledged"
    assert _outbox(window, a) == [("assign", "superseded"), ("assign", "applied")]

    # c: acknowledging can no longer follow the escalation: not offered, only keeping the server's.
    assert pane.select_mutation(_conflict_for(window, c)["id"])
    assert not pane.retry_button.isEnabled()
    assert "已升级" in pane.retry_button.toolTip()
    assert "已升级" in pane.compare.toHtml()
    pane.retry_button.click()  # disabled: nothing happens
    assert pane.counts.get("conflict") == 2
    pane.keep_button.click()
    qtbot.waitUntil(lambda: pane.counts.get("conflict") == 1, timeout=5000)

    # b: the operator keeps the server's version; the escalation is dropped.
    assert pane.select_mutation(_conflict_for(window, b)["id"])
    assert pane.retry_button.isEnabled()
    pane.keep_button.click()
    qtbot.waitUntil(lambda: pane.counts.get("conflict") == 0, timeout=5000)

    # The list is empty; the rows show the server's state without a conflict mark.
    assert pane.counts == {"pending": 0, "conflict": 0, "rejected": 0}
    assert pane.model.rowCount() == 0
    assert not pane.keep_button.isEnabled()
    assert not pane.retry_button.isEnabled()
    qtbot.waitUntil(lambda: not any(status(window, i).startswith("⚠") for i in (a, b, c)), timeout=5000)
    assert _outbox(window, b) == [("escalate", "discarded")]
    assert _outbox(window, c) == [("ack", "discarded")]

    # Exactly once, also after more sync rounds: the server's histories stay as they are.
    engine.flush()
    qtbot.waitUntil(lambda: engine.state == sync.LIVE, timeout=5000)
    with qtbot.waitSignal(engine.applied, timeout=10000):
        # Something new on the server: the change feed goes round at least once more.
        assert live_server.post_batch("T02", live_server.tokens["T02"], red_batch("2026-0000403")).status == 200
    assert history(live_server, a) == ["ack", "assign"]
    assert history(live_server, b) == ["assign"]
    assert history(live_server, c) == ["escalate"]
    assert server_alert(live_server, b)["status"] == "open"
    assert server_alert(live_server, b)["assignee"] == "李四"
    assert "outbox" in window.outbox_label.objectName()
    assert "0" in window.outbox_label.text()
