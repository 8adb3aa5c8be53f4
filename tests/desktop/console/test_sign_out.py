"""File → Sign out and File → Quit (issue 15 #10: there was neither; switching user meant
deleting keyring entries by hand)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QDialogButtonBox, QMessageBox

from desktop.replica import sync
from tests.desktop.console.conftest import OPERATOR
from tests.desktop.console.operator import press, red_batch

LEADER = ("lead", "leader-pass-1")


@pytest.fixture
def controller(qapp: Any, qtbot: Any, live_server: Any, settings_dir: Path, keyring_file: Path) -> Iterator[Any]:
    """The application's controller started as the operator whose token the keyring keeps."""
    from desktop.app import Controller
    from desktop.common import credentials
    from desktop.common.api import ApiClient
    from desktop.common.tasks import BackgroundTasks

    assert live_server.call("POST", "/users", {"username": LEADER[0], "password": LEADER[1],
                                               "role": "leader"}).status == 201
    client = ApiClient(f"https://127.0.0.1:{live_server.port}", str(live_server.ca_file))
    client.login(*OPERATOR)
    assert credentials.save_token(client.server_url, OPERATOR[0], str(client.token))
    QSettings().setValue("session/user", OPERATOR[0])
    QSettings().setValue("session/role", "operator")
    tasks = BackgroundTasks()
    ctl = Controller(qapp, client, tasks)
    assert ctl.start()
    qtbot.waitUntil(lambda: ctl.session.engine.state == sync.LIVE, timeout=15000)
    yield ctl
    if ctl.window is not None:
        ctl.window.close()
    if ctl.signin_dialog is not None:
        ctl.signin_dialog.close()
    ctl.shutdown()


def test_sign_out_revokes_the_token_and_another_user_signs_in(controller: Any, live_server: Any, qtbot: Any) -> None:
    from desktop.common import credentials

    window = controller.window
    url = controller.client.server_url
    old_token = controller.client.token
    assert window.wall.act_ack.isVisible()

    closed: list[bool] = []
    window.destroyed.connect(lambda: closed.append(True))
    window.act_sign_out.trigger()  # nothing waits to be sent: no question
    qtbot.waitUntil(lambda: controller.signin_dialog is not None and controller.signin_dialog.isVisible(),
                    timeout=15000)
    qtbot.waitUntil(lambda: closed == [True], timeout=5000)  # the operator's window is gone
    assert live_server.call("GET", "/auth/me", token=old_token).status == 401, "the server revoked the token"
    assert credentials.load_token(url, OPERATOR[0]) is None, "the keyring forgot it"
    audit = live_server.call("GET", "/audit?action=auth.logout").json()["entries"]
    assert [e["actor"] for e in audit] == [OPERATOR[0]]

    dialog = controller.signin_dialog
    assert dialog.user.text() == OPERATOR[0]
    assert not dialog.user.isReadOnly(), "another person may sign in"
    dialog.user.setText(LEADER[0])
    dialog.password.setText(LEADER[1])
    dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    qtbot.waitUntil(lambda: controller.window is not None and controller.window.isVisible(), timeout=15000)
    leader = controller.window
    assert leader.user_label.text() == "lead (领导)"
    assert not leader.wall.act_ack.isVisible(), "the wall is the leader's now"
    assert QSettings().value("session/user") == LEADER[0]
    assert credentials.load_token(url, LEADER[0]) == controller.client.token


def test_quit_asks_first_when_changes_are_not_yet_sent(controller: Any, live_server: Any, qtbot: Any) -> None:
    window = controller.window
    assert window.act_quit.shortcut().toString() == "Ctrl+Q"
    assert live_server.post_batch("T01", live_server.tokens["T01"], red_batch("2026-0000711")).status == 200
    qtbot.waitUntil(lambda: window.wall.model.rowCount() >= 1, timeout=10000)
    window.act_offline.setChecked(True)
    press(qtbot, window, window.wall.model.loaded_ids()[0], Qt.Key.Key_A)
    qtbot.waitUntil(lambda: window.conflicts.counts.get("pending") == 1, timeout=5000)

    window.act_quit.trigger()
    box = window.pending_question
    assert isinstance(box, QMessageBox)
    qtbot.waitUntil(box.isVisible, timeout=5000)
    assert "您有 1 项操作尚未送达服务器" in box.text()
    shots = os.environ.get("YINGYAN_TEST_SCREENSHOTS")
    if shots:
        box.grab().save(str(Path(shots) / "yingyan-console-quit-pending.png"))
    box.button(QMessageBox.StandardButton.Cancel).click()
    assert window.isVisible(), "cancelled: the console stays"

    window.act_quit.trigger()
    box = window.pending_question
    qtbot.waitUntil(box.isVisible, timeout=5000)
    quit_button = next(b for b in box.buttons() if box.buttonRole(b) == QMessageBox.ButtonRole.AcceptRole)
    quit_button.click()
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=5000)
