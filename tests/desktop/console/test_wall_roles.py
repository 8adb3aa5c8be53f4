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

from tests.desktop.console.operator import console_as as _console_as
from tests.desktop.console.operator import history, press, red_batch, status

LEADER = ("lead", "leader-pass-1")
TRIAGE = ("ack", "escalate", "dismiss", "assign", "promote")


@pytest.fixture
def leader_console(qtbot: Any, live_server: Any, tmp_path: Path, settings_dir: Path,
                   keyring_file: Path) -> Iterator[Any]:
    window = _console_as(qtbot, live_server, tmp_path, LEADER, "leader", "主任")
    yield window
    window.close()
    window.session.shutdown(15000)


def test_a_petition_officer_has_no_empty_case_pane(qtbot: Any, live_server: Any, tmp_path: Path,
                                                    settings_dir: Path, keyring_file: Path) -> None:
    window = _console_as(qtbot, live_server, tmp_path, ("desk", "desk-pass-1"), "petition_officer", "信访员")
    try:
        assert not window.case_dock.isVisible(), "a petition officer reads no approval case"
        assert not window.case_dock.toggleViewAction().isEnabled()
        assert not any(getattr(window.wall, f"act_{name}").isVisible() for name in (*TRIAGE, "comment"))
    finally:
        window.close()
        window.session.shutdown(15000)


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


def test_a_petition_alert_reads_as_a_petition(leader_console: Any, live_server: Any, qtbot: Any) -> None:
    """Issue 15 #12: a petition alert showed the petition's UUID as its subject, Enter said only
    "not an approval case", its evidence was raw JSON labelled "earlier case", and a node column
    showed the code ``accept``."""
    from desktop.console import evidence
    from desktop.console.wall_model import COL
    from tests.harness import event
    from tests.server.support import petition

    window = leader_console
    first = petition(receipt_code="4821937561028374", subject="张某某", received_at="2026-02-20T09:00:00+08:00")
    again = petition(receipt_code="4821937561028375", subject="张某某", received_at="2026-02-27T09:00:00+08:00")
    assert live_server.post_batch("T01", live_server.tokens["T01"], [first, again]).status == 200
    unaccepted = [event("2026-0000614", "received", "2026-02-26T09:00:00+08:00"),
                  event("2026-0000614", "decided", "2026-02-27T09:00:00+08:00", result="approved")]
    assert live_server.post_batch("T01", live_server.tokens["T01"], unaccepted).status == 200
    alerts = live_server.call("GET", "/alerts?limit=100").json()["alerts"]
    duplicate = next(a for a in alerts if a["rule"] == "PETITION_DUPLICATE")
    skipped = next(a for a in alerts if a["rule"] == "SKIPPED_NODE" and a["node"] == "accept")
    model = window.wall.model
    qtbot.waitUntil(lambda: model.row_of(duplicate["id"]) is not None and model.row_of(skipped["id"]) is not None,
                    timeout=15000)

    def cell(alert_id: int, column: str) -> str:
        row = model.row_of(alert_id)
        assert row is not None
        return str(model.index(row, COL[column]).data())

    assert cell(duplicate["id"], "subject") == "信访件 4821937561028375 · 张某某"
    assert "信访件 4821937561028374" in duplicate["message"], "the earlier petition by its receipt code"
    assert first["id"] not in duplicate["message"]
    assert cell(skipped["id"], "node") == "受理"

    shown = dict(evidence.rows(duplicate["evidence"]))
    assert "此前信访件" in shown
    assert shown["此前信访件"].startswith(f"信访件 {first['id'][:8]}…，")
    assert "{" not in shown["此前信访件"]

    with qtbot.waitSignal(window.wall.message, timeout=5000) as said:
        assert window.wall.select_alert(duplicate["id"])
        window.wall.table.setFocus()
        qtbot.keyClick(window.wall.table, Qt.Key.Key_Return)
    assert said.args[0].startswith("信访件 4821937561028375 · 张某某 是信访件，不是审批办件")
