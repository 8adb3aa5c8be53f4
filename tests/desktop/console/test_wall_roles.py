"""The wall offers each role only the actions it may take, and says why an action was refused
whole, in the console's language (issue 15 #11: a leader pressed A, it was queued and came
back refused with a cut-off English reason)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QToolBar

from tests.desktop.console.operator import history, press, red_batch, status

LEADER = ("lead", "leader-pass-1")
TRIAGE = ("ack", "escalate", "dismiss", "assign", "promote")


@pytest.fixture
def leader_console(qtbot: Any, live_server: Any, tmp_path: Path, settings_dir: Path,
                   keyring_file: Path) -> Iterator[Any]:
    from desktop.common.api import ApiClient
    from desktop.console.session import open_session
    from desktop.console.window import ConsoleWindow
    from desktop.replica import sync

    r = live_server.call("POST", "/users", {"username": LEADER[0], "password": LEADER[1], "role": "leader",
                                            "display_name": "主任"})
    assert r.status == 201, r.body
    client = ApiClient(f"https://127.0.0.1:{live_server.port}", str(live_server.ca_file))
    info = client.login(*LEADER)
    session = open_session(client, LEADER[0], role=info["role"], replica_file=tmp_path / "leader.sqlite3", wait=2.0)
    window = ConsoleWindow(session)
    qtbot.addWidget(window)
    window.resize(1600, 900)
    window.show()
    session.engine.start()
    qtbot.waitUntil(lambda: session.engine.state == sync.LIVE, timeout=15000)
    yield window
    window.close()
    session.shutdown(15000)


def _toolbar_texts(window: Any) -> list[str]:
    bar = window.findChild(QToolBar, "toolbar_triage")
    return [a.text() for a in bar.actions() if a.isVisible()]


def test_a_leader_is_not_offered_triage_and_a_key_press_queues_nothing(leader_console: Any, live_server: Any,
                                                                       qtbot: Any) -> None:
    window = leader_console
    assert live_server.post_batch("T01", live_server.tokens["T01"], red_batch("2026-0000611")).status == 200
    qtbot.waitUntil(lambda: window.wall.model.rowCount() >= 1, timeout=10000)
    alert = window.wall.model.loaded_ids()[0]

    for name in TRIAGE:
        act = getattr(window.wall, f"act_{name}")
        assert not act.isEnabled(), name
        assert not act.isVisible(), name
    assert window.wall.act_comment.isEnabled()  # a leader may comment (批示 on the alert)
    shown = _toolbar_texts(window)
    assert shown[:2] == ["批注…", "查看办件"], shown  # comment and open case; no triage

    before = status(window, alert)
    for key in (Qt.Key.Key_A, Qt.Key.Key_E, Qt.Key.Key_P):
        press(qtbot, window, alert, key)
    # A disabled action never reaches the outbox: nothing is queued, nothing changes on the wall.
    assert window.session.engine._actions == []
    assert status(window, alert) == before
    assert window.session.replica.pending_mutations() == []
    assert history(live_server, alert) == []
    # The status bar names the role in words, not its code.
    assert window.user_label.text() == "lead (领导)"


def test_an_operator_sees_a_refusal_whole_and_in_chinese(console: Any, live_server: Any, qtbot: Any) -> None:
    window = console
    assert all(getattr(window.wall, f"act_{name}").isVisible() for name in TRIAGE)
    assert live_server.post_batch("T01", live_server.tokens["T01"], red_batch("2026-0000612")).status == 200
    qtbot.waitUntil(lambda: window.wall.model.rowCount() >= 1, timeout=10000)
    alert = window.wall.model.loaded_ids()[0]
    press(qtbot, window, alert, Qt.Key.Key_A)
    qtbot.waitUntil(lambda: history(live_server, alert) == ["ack"], timeout=15000)

    # Acknowledging it again is refused on the console itself, before anything is sent.
    with qtbot.waitSignal(window.wall.message, timeout=10000) as said:
        press(qtbot, window, alert, Qt.Key.Key_A)
    changed, refused = window.session.replica.enqueue([alert], "ack", {})
    assert changed == []
    why = refused[0][1].refusal
    assert why.message_zh
    assert said.args[0] == f"未执行：#{alert} {why.message_zh}"
    assert qtbot.waitUntil(lambda: window.statusBar().currentMessage() == said.args[0], timeout=5000) is None


def test_assign_offers_the_users_and_refuses_a_name_that_is_no_one(console: Any, live_server: Any, qtbot: Any,
                                                                   tmp_path: Path) -> None:
    from PySide6.QtWidgets import QDialogButtonBox

    from desktop.console.wall import AssignDialog

    window = console
    for name, role, shown in (("inv-li", "investigator", "李调查"), ("gone", "investigator", "已离职")):
        r = live_server.call("POST", "/users", {"username": name, "password": "investigator-1", "role": role,
                                                "display_name": shown})
        assert r.status == 201, r.body
    assert live_server.call("PATCH", "/users/gone", {"disabled": True}).status == 200
    assert live_server.post_batch("T01", live_server.tokens["T01"], red_batch("2026-0000613")).status == 200
    qtbot.waitUntil(lambda: window.wall.model.rowCount() >= 1, timeout=10000)
    alert = window.wall.model.loaded_ids()[0]

    press(qtbot, window, alert, Qt.Key.Key_G)
    dialog = window.wall.dialog
    assert isinstance(dialog, AssignDialog)
    qtbot.waitUntil(lambda: dialog.names is not None, timeout=10000)
    offered = [dialog.person.itemText(i) for i in range(dialog.person.count())]
    assert "李调查 (inv-li) · 调查员" in offered
    assert not any("gone" in text for text in offered), "a disabled user is not offered"
    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)

    dialog.person.setEditText("inv-lee")  # a typo
    assert not ok.isEnabled()
    assert dialog.problem.text() == "没有名为 inv-lee 的在职用户。"
    picture = Path(os.environ.get("YINGYAN_TEST_SCREENSHOTS") or tmp_path) / "yingyan-console-assign-unknown.png"
    assert dialog.grab().save(str(picture))
    dialog.person.setEditText("gone")
    assert not ok.isEnabled()

    dialog.person.setCurrentIndex(dialog.person.findData("inv-li"))
    assert ok.isEnabled()
    assert dialog.problem.text() == ""
    ok.click()
    qtbot.waitUntil(lambda: history(live_server, alert) == ["assign"], timeout=15000)
    assert live_server.call("GET", f"/alerts/{alert}").json()["assignee"] == "inv-li"

    # The server refuses a name that is no active user, whoever sends it.
    r = live_server.call("POST", "/mutations", {"mutations": [
        {"id": "assign-gone-1", "entity": "alert", "entity_id": alert, "action": "assign",
         "data": {"assignee": "gone"}}]})
    assert r.json()["results"][0]["error"]["code"] == "INVALID_FIELD"
    # Colleagues' names are for staff: an office's token does not read them.
    assert live_server.call("GET", "/people", token=live_server.tokens["T01"]).status == 403
