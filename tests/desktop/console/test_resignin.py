"""Signing in again when the server refuses the token (revoked, expired).

The console keeps its window, replica and outbox; a banner says why nothing is synchronised
and leads to the sign-in dialog for the same user. Actions taken meanwhile wait in the outbox
and reach the server exactly once after the new sign-in; the change feed goes on from the
stored cursor. The engine part is also checked against a scripted server: one ``auth_failed``
however many requests were refused, nothing sent with a refused token, and a 401 answering a
token that has since been replaced is not taken for a refusal.
"""

from __future__ import annotations

import json
import os
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox

from desktop.common import credentials
from desktop.common.api import ApiError
from desktop.common.tasks import BackgroundTasks
from desktop.replica import sync
from desktop.replica.store import Replica
from desktop.replica.sync import SyncEngine
from server.security import token_digest
from tests.desktop.console import fakes
from tests.desktop.console.conftest import OPERATOR
from tests.desktop.console.operator import history, press, red_batch
from tests.desktop.console.test_sync import ScriptedServer

#: Set to a folder to keep a picture of the signed-out window with its dialog (to look at).
SCREENSHOTS = os.environ.get("YINGYAN_TEST_SCREENSHOTS")




def _server_db(server: Any) -> sqlite3.Connection:
    return sqlite3.connect(server.data_dir / "yingyan.db", timeout=30)


def _revoke(server: Any, token: str) -> None:
    """What an administrator revoking the token does to the server's token table."""
    with _server_db(server) as db:
        assert db.execute("DELETE FROM tokens WHERE digest = ?", (token_digest(token),)).rowcount == 1


def _expire(server: Any, token: str) -> None:
    with _server_db(server) as db:
        assert db.execute("UPDATE tokens SET expires_at = 1 WHERE digest = ?", (token_digest(token),)).rowcount == 1


def _sign_in(qtbot: Any, window: Any, password: str) -> None:
    dialog = window.signin_dialog
    assert dialog is not None
    assert dialog.isVisible()
    dialog.password.setText(password)
    dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()


def test_revoked_token_signs_in_again_and_replays_the_outbox_once(console: Any, live_server: Any, qtbot: Any,
                                                                 keyring_file: Path, tmp_path: Path) -> None:
    window = console
    session = window.session
    engine = session.engine
    refusals: list[str] = []
    engine.auth_failed.connect(refusals.append)
    assert live_server.post_batch("T01", live_server.tokens["T01"], red_batch("2026-0000301")).status == 200
    qtbot.waitUntil(lambda: window.wall.model.rowCount() >= 2, timeout=5000)
    a, b = window.wall.model.loaded_ids()[:2]
    replica_file = session.replica.path
    old_token = session.client.token
    credentials.save_token(session.client.server_url, OPERATOR[0], old_token)
    assert not window.signin_banner.isVisible()

    _revoke(live_server, old_token)
    # The next long-poll (2 s in tests) is refused: banner, and the dialog for the same user.
    qtbot.waitUntil(lambda: engine.state == sync.SIGNED_OUT, timeout=10000)
    qtbot.waitUntil(lambda: window.signin_dialog is not None and window.signin_dialog.isVisible(), timeout=3000)
    assert window.signin_banner.isVisible()
    assert "已退出登录" in window.conn_label.text()
    dialog = window.signin_dialog
    assert dialog.user.text() == OPERATOR[0]
    assert dialog.user.isReadOnly()
    # Why, in Chinese; the server's own words are the detail.
    assert "服务器不再接受您的登录" in dialog.error.text()
    assert "the token is not valid" not in dialog.error.text()
    assert "the token is not valid" in dialog.error.toolTip()
    assert "服务器不再接受您的登录" in window.signin_label.text()
    # The refused token is not kept for the next start (nor for the video wall).
    qtbot.waitUntil(lambda: old_token not in keyring_file.read_text(), timeout=3000)
    assert credentials.load_token(session.client.server_url, OPERATOR[0]) is None

    # The operator dismisses the dialog for now and keeps working on the replica.
    dialog.reject()
    qtbot.waitUntil(lambda: window.signin_dialog is None, timeout=2000)
    press(qtbot, window, a, Qt.Key.Key_A)
    press(qtbot, window, b, Qt.Key.Key_C)
    qtbot.waitUntil(lambda: window.wall.dialog is not None, timeout=2000)
    window.wall.dialog.edit.setPlainText("令牌失效期间的批注")
    window.wall.dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    qtbot.waitUntil(lambda: window.conflicts.counts.get("pending") == 2, timeout=3000)
    qtbot.waitUntil(lambda: "2" in window.signin_label.text(), timeout=2000)
    assert window.signin_banner.isVisible()
    # Meanwhile the township sends more: it arrives after the new sign-in.
    assert live_server.post_batch("T02", live_server.tokens["T02"], red_batch("2026-0000302")).status == 200
    # Nothing went out with the refused token, and the refusal was reported once.
    assert history(live_server, a) == []
    assert history(live_server, b) == []
    assert refusals == ["the token is not valid"]
    assert engine.state == sync.SIGNED_OUT

    window.signin_button.click()
    qtbot.waitUntil(lambda: window.signin_dialog is not None and window.signin_dialog.isVisible(), timeout=3000)
    qtbot.waitUntil(lambda: window.signin_dialog.windowHandle().isExposed(), timeout=3000)
    # The whole (Xvfb) screen: the window with its banner, and the dialog over it.
    picture = Path(SCREENSHOTS or tmp_path) / "yingyan-console-signed-out.png"
    assert window.screen().grabWindow(0).save(str(picture))
    with qtbot.waitSignal(window.signed_in_again, timeout=15000) as signed:
        _sign_in(qtbot, window, OPERATOR[1])
    assert "token" not in signed.args[0]
    assert signed.args[0]["username"] == OPERATOR[0]

    qtbot.waitUntil(lambda: engine.state == sync.LIVE and window.conflicts.counts.get("pending") == 0,
                    timeout=15000)
    assert not window.signin_banner.isVisible()
    assert window.signin_dialog is None
    assert history(live_server, a) == ["ack"]
    assert history(live_server, b) == ["comment"]
    qtbot.waitUntil(lambda: any(window.wall.model.row_info(window.wall.model.row_of(i))["office"] == "T02"
                                for i in window.wall.model.loaded_ids()), timeout=10000)
    # Same session, same replica file; the new token replaced the refused one in the keyring.
    assert window.session is session
    assert session.replica.path == replica_file
    assert session.client.token != old_token
    assert credentials.load_token(session.client.server_url, OPERATOR[0]) == session.client.token
    assert old_token not in keyring_file.read_text()
    assert refusals == ["the token is not valid"]

    # The outbox says each action was applied once; sending them again changes nothing.
    conn = session.replica.connect(readonly=True)
    sent = conn.execute("SELECT id, entity, entity_id, action, base_version, data FROM outbox"
                        " WHERE state = 'applied'").fetchall()
    assert sorted(m[3] for m in sent) == ["ack", "comment"]
    again = live_server.call("POST", "/mutations", {"mutations": [
        {"id": m[0], "entity": m[1], "entity_id": m[2], "action": m[3], "base_version": m[4],
         "data": json.loads(m[5])} for m in sent]}, token=session.client.token).json()["results"]
    assert {x["status"] for x in again} == {"applied"}
    assert history(live_server, a) == ["ack"]
    assert history(live_server, b) == ["comment"]


def test_expired_token_asks_at_once_and_a_wrong_password_keeps_the_outbox(console: Any, live_server: Any,
                                                                         qtbot: Any) -> None:
    window = console
    engine = window.session.engine
    assert live_server.post_batch("T01", live_server.tokens["T01"], red_batch("2026-0000311")).status == 200
    qtbot.waitUntil(lambda: window.wall.model.rowCount() >= 2, timeout=5000)
    a = window.wall.model.loaded_ids()[0]

    _expire(live_server, window.session.client.token)
    # An action is replayed at once: its 401 is what signs the console out here.
    press(qtbot, window, a, Qt.Key.Key_E)
    qtbot.waitUntil(lambda: window.signin_dialog is not None and window.signin_dialog.isVisible(), timeout=10000)
    assert window.signin_dialog.error.text() == "您的登录已过期。"
    assert "the token has expired" in window.signin_dialog.error.toolTip()
    assert window.signin_label.text().startswith("您的登录已过期。")
    # The pane counts the outbox in the background; the dialog can come first.
    qtbot.waitUntil(lambda: window.conflicts.counts.get("pending") == 1, timeout=5000)
    assert history(live_server, a) == []

    _sign_in(qtbot, window, "not the password")
    qtbot.waitUntil(lambda: window.signin_dialog.buttons.isEnabled() and "正在登录" not in
                    window.signin_dialog.error.text(), timeout=10000)
    assert window.signin_dialog.isVisible()
    assert window.signin_dialog.error.text() == "用户名或密码错误。"
    assert engine.signed_out
    assert window.conflicts.counts.get("pending") == 1

    with qtbot.waitSignal(window.signed_in_again, timeout=15000):
        _sign_in(qtbot, window, OPERATOR[1])
    qtbot.waitUntil(lambda: engine.state == sync.LIVE and window.conflicts.counts.get("pending") == 0,
                    timeout=15000)
    assert history(live_server, a) == ["escalate"]
    assert not window.signin_banner.isVisible()


# ---------------------------------------------------------------------------- the engine alone
class RefusingServer(ScriptedServer):
    """A scripted server that refuses a revoked token with 401, as the real one does."""

    def __init__(self, script: list[Any]) -> None:
        super().__init__(script)
        self.revoked: set[str] = set()
        self.refused = 0

    def _check(self) -> None:
        if self.token in self.revoked:
            self.refused += 1
            raise ApiError(401, "UNAUTHENTICATED", "the token is not valid")

    def changes(self, since: str | None, *, wait: float = 0, limit: int = 1000) -> dict[str, Any]:
        self._check()
        return super().changes(since, wait=wait, limit=limit)

    def mutations(self, batch: list[dict[str, Any]]) -> list[dict[str, Any]]:
        self._check()
        return super().mutations(batch)


@pytest.fixture
def replica(tmp_path: Path) -> Replica:
    return Replica(tmp_path / "r.sqlite3")


def test_engine_reports_a_refused_token_once_and_sends_nothing_until_resumed(qtbot: Any, replica: Replica) -> None:
    server = RefusingServer([fakes.page(fakes.alert(1), fakes.alert(2))])
    engine = SyncEngine(replica, server, BackgroundTasks(), wait=0.05)  # type: ignore[arg-type]
    refusals: list[str] = []
    engine.auth_failed.connect(refusals.append)
    engine.start()
    qtbot.waitUntil(lambda: engine.state == sync.LIVE, timeout=5000)

    server.revoked.add("t")
    qtbot.waitUntil(lambda: engine.state == sync.SIGNED_OUT, timeout=5000)
    # Actions while signed out: applied locally, not sent.
    engine.enqueue([1], "ack", {})
    engine.enqueue([2], "escalate", {})
    qtbot.waitUntil(lambda: replica.outbox_counts().get("pending") == 2, timeout=3000)
    refused_then = server.refused
    with qtbot.assertNotEmitted(engine.auth_failed, wait=300):
        engine.flush()
        engine.set_paused(True)
        engine.set_paused(False)
    assert engine.state == sync.SIGNED_OUT
    assert server.refused == refused_then
    assert refusals == ["the token is not valid"]
    assert server.mutations_seen == []

    server.token = "t2"
    server.results = [{"status": "applied", "version": 2}, {"status": "applied", "version": 2}]
    engine.resume()
    qtbot.waitUntil(lambda: engine.state == sync.LIVE and replica.outbox_counts().get("pending", 0) == 0,
                    timeout=5000)
    assert [m["action"] for batch in server.mutations_seen for m in batch] == ["ack", "escalate"]
    assert refusals == ["the token is not valid"]
    engine.stop()


def test_a_401_to_a_replaced_token_is_retried_not_a_sign_out(qtbot: Any, replica: Replica) -> None:
    server = RefusingServer([])
    engine = SyncEngine(replica, server, BackgroundTasks(), wait=0.05)  # type: ignore[arg-type]
    refusals: list[str] = []
    engine.auth_failed.connect(refusals.append)
    # The request was sent with the old token "t"; by the time its 401 arrives the client holds "t2".
    server.token = "t2"
    engine._running = True
    engine._polling = True
    engine._on_poll_error(ApiError(401, "UNAUTHENTICATED", "the token is not valid"), "t")
    assert not engine.signed_out
    qtbot.waitUntil(lambda: engine.state == sync.LIVE, timeout=5000)
    assert refusals == []
    engine.stop()
