"""A 401 on a case or an alert's history signs the console out at once, in the operator's language.

The sync engine's long-poll passed the server's token check when it was sent and may wait
25 s for news; a case opened or an alert selected meanwhile is the first request the server
refuses. That refusal leads to the same signed-out state as a refused poll — one banner, at
most one sign-in dialog, one ``auth_failed`` — without waiting for the next poll. Against
the real server: the long-poll is held in the console (as the server holds it) so that only
the case or history request can tell.

The sign-in dialog and the banner say why in Chinese (expired, revoked, wrong password, too
many attempts, no answer); the server's English is the tooltip.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QDialogButtonBox

from desktop.common.api import ApiClient, ApiError
from desktop.common.tasks import BackgroundTasks
from desktop.console.signin import SignInDialog
from desktop.replica import sync
from desktop.replica.store import Replica
from desktop.replica.sync import SyncEngine
from tests.desktop.console import fakes
from tests.desktop.console.conftest import OPERATOR
from tests.desktop.console.operator import red_batch
from tests.desktop.console.test_resignin import RefusingServer, _expire, _revoke, _sign_in
from tests.harness import free_port

REVOKED_ZH = "服务器不再接受您的登录"


class HeldLongPoll:
    """The console's change-feed requests, held once ``hold()`` is called, as the server holds a
    long-poll it has already let in; ``release()`` lets them go on to the server."""

    def __init__(self, client: ApiClient) -> None:
        self.real = client.changes
        self.holding = threading.Event()
        self.held = threading.Event()
        self.released = threading.Event()
        client.changes = self  # type: ignore[method-assign]

    def hold(self) -> None:
        self.holding.set()

    def release(self) -> None:
        self.released.set()

    def __call__(self, since: str | None, *, wait: float = 0, limit: int = 1000) -> dict[str, Any]:
        if self.holding.is_set() and not self.released.is_set():
            self.held.set()
            self.released.wait(60)
        return self.real(since, wait=wait, limit=limit)


def _dialogs(window: Any) -> list[SignInDialog]:
    return [d for d in window.findChildren(SignInDialog) if d.isVisible()]


def _signed_out_at_once(qtbot: Any, window: Any) -> None:
    """Banner and dialog within a few seconds: long before the held long-poll could tell."""
    qtbot.waitUntil(lambda: window.signin_banner.isVisible() and window.signin_dialog is not None
                    and window.signin_dialog.isVisible(), timeout=5000)
    assert window.session.engine.state == sync.SIGNED_OUT
    assert "已退出登录" in window.conn_label.text()
    assert len(_dialogs(window)) == 1


def test_opening_a_case_with_a_revoked_token_asks_to_sign_in_at_once(console: Any, live_server: Any,
                                                                      qtbot: Any) -> None:
    window = console
    engine = window.session.engine
    assert live_server.post_batch("T01", live_server.tokens["T01"], red_batch("2026-0000601")).status == 200
    qtbot.waitUntil(lambda: window.wall.model.rowCount() >= 1, timeout=5000)
    alert_id = window.wall.model.loaded_ids()[0]
    refusals: list[str] = []
    engine.auth_failed.connect(refusals.append)
    # Only the case pane may tell here: the wall does not ask for alert histories.
    window.wall.history = None
    poll = HeldLongPoll(window.session.client)
    poll.hold()
    try:
        qtbot.waitUntil(poll.held.is_set, timeout=10000)
        _revoke(live_server, window.session.client.token)

        window.open_case("T01", "2026-0000601", alert_id)
        _signed_out_at_once(qtbot, window)
        assert refusals == ["the token is not valid"]
        # In Chinese, the server's words kept as the detail.
        dialog = window.signin_dialog
        assert REVOKED_ZH in dialog.error.text()
        assert "the token is not valid" not in dialog.error.text()
        assert "the token is not valid" in dialog.error.toolTip()
        assert REVOKED_ZH in window.signin_label.text()
        assert "the token is not valid" in window.signin_label.toolTip()
        assert "the token is not valid" not in window.conn_label.text()
        assert "the token is not valid" in window.conn_label.toolTip()
        assert "已退出登录" in window.case_pane.summary.text()

        # Asking again while signed out: the same dialog, no second refusal.
        with qtbot.waitSignal(window.case_pane.unauthorized, timeout=5000):
            window.case_pane.refresh_button.click()
        assert window.signin_dialog is dialog
        assert len(_dialogs(window)) == 1
        assert refusals == ["the token is not valid"]

        # Signed in again, the case comes from the server.
        with qtbot.waitSignal(window.signed_in_again, timeout=15000):
            _sign_in(qtbot, window, OPERATOR[1])
        qtbot.waitUntil(lambda: window.case_pane.source == "server", timeout=10000)
        assert window.case_pane.detail is not None
        assert window.case_pane.detail["case_no"] == "2026-0000601"
        assert not window.signin_banner.isVisible()
    finally:
        poll.release()
    qtbot.waitUntil(lambda: engine.state == sync.LIVE, timeout=15000)
    assert refusals == ["the token is not valid"]


def test_an_alerts_history_refused_asks_to_sign_in_at_once(console: Any, live_server: Any, qtbot: Any) -> None:
    window = console
    engine = window.session.engine
    assert live_server.post_batch("T01", live_server.tokens["T01"], red_batch("2026-0000611")).status == 200
    qtbot.waitUntil(lambda: window.wall.model.rowCount() >= 1, timeout=5000)
    alert_id = window.wall.model.loaded_ids()[0]
    refusals: list[str] = []
    engine.auth_failed.connect(refusals.append)
    poll = HeldLongPoll(window.session.client)
    poll.hold()
    try:
        qtbot.waitUntil(poll.held.is_set, timeout=10000)
        _expire(live_server, window.session.client.token)
        # The operator selects an alert: its history is asked for, and refused.
        with qtbot.waitSignal(window.wall.unauthorized, timeout=5000):
            assert window.wall.select_alert(alert_id)
        _signed_out_at_once(qtbot, window)
        assert refusals == ["the token has expired; sign in again"]
        assert "您的登录已过期" in window.signin_dialog.error.text()
        assert "the token has expired" in window.signin_dialog.error.toolTip()
        assert "您的登录已过期" in window.signin_label.text()
        assert window.case_pane.case_no is None
    finally:
        poll.release()


def test_sign_in_failures_are_said_in_chinese(qtbot: Any, live_server: Any, keyring_file: Path) -> None:
    url = f"https://127.0.0.1:{live_server.port}"
    tasks = BackgroundTasks()

    def attempt(dialog: SignInDialog, password: str) -> None:
        dialog.password.setText(password)
        dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
        qtbot.waitUntil(lambda: dialog.buttons.isEnabled(), timeout=15000)

    dialog = SignInDialog(ApiClient(url, str(live_server.ca_file)), tasks, username=OPERATOR[0])
    qtbot.addWidget(dialog)
    dialog.show()
    attempt(dialog, "not the password")
    assert dialog.error.text() == "用户名或密码错误。"
    assert dialog.error.toolTip() == "the user name or password is wrong"

    # Ten failures for this user within 15 minutes: the server stops answering for a while.
    for _ in range(10):
        r = live_server.call("POST", "/auth/token", {"username": OPERATOR[0], "password": "guess"}, token=None)
        if r.status == 429:
            break
        assert r.status == 401
    attempt(dialog, OPERATOR[1])
    assert dialog.error.text().startswith("失败次数过多，请 ")
    assert dialog.error.text().endswith(" 秒后再试。")
    assert "too many failed attempts" in dialog.error.toolTip()
    assert dialog.isVisible()

    nobody = SignInDialog(ApiClient(f"https://127.0.0.1:{free_port()}", str(live_server.ca_file)), tasks,
                          username=OPERATOR[0])
    qtbot.addWidget(nobody)
    nobody.show()
    attempt(nobody, OPERATOR[1])
    assert nobody.error.text() == "无法连接服务器。请检查网络连接后重试。"
    assert "cannot reach" in nobody.error.toolTip()


# ---------------------------------------------------------------------------- the engine alone
class CheckedServer(RefusingServer):
    """Also answers ``GET /auth/me``, refusing a revoked token as the real server does."""

    def __init__(self, script: list[Any]) -> None:
        super().__init__(script)
        self.checked = 0

    def me(self) -> dict[str, Any]:
        self.checked += 1
        self._check()
        return {"username": "op"}


def test_check_token_signs_out_once_and_only_for_a_refused_token(qtbot: Any, tmp_path: Path) -> None:
    replica = Replica(tmp_path / "r.sqlite3")
    server = CheckedServer([fakes.page(fakes.alert(1))])
    engine = SyncEngine(replica, server, BackgroundTasks(), wait=60)  # type: ignore[arg-type]
    refusals: list[str] = []
    engine.auth_failed.connect(refusals.append)
    engine.start()
    qtbot.waitUntil(lambda: engine.state == sync.LIVE, timeout=5000)

    # A 401 that answered a token replaced since: the current one holds, nothing changes.
    with qtbot.assertNotEmitted(engine.auth_failed, wait=300):
        engine.check_token()
        qtbot.waitUntil(lambda: server.checked == 1, timeout=3000)
    assert not engine.signed_out

    server.revoked.add("t")
    with qtbot.waitSignal(engine.auth_failed, timeout=3000):
        engine.check_token()
        engine.check_token()  # a second pane reporting meanwhile: one question to the server
    assert engine.state == sync.SIGNED_OUT
    assert engine.refusal is not None
    assert engine.refusal.code == "UNAUTHENTICATED"
    assert server.checked == 2
    # Signed out: more reports ask nothing and say nothing more.
    with qtbot.assertNotEmitted(engine.auth_failed, wait=300):
        engine.check_token()
    assert server.checked == 2
    assert refusals == ["the token is not valid"]
    engine.stop()


def test_a_resolve_refused_by_the_replica_is_reported(qtbot: Any, tmp_path: Path) -> None:
    replica = Replica(tmp_path / "r.sqlite3")
    replica.apply_changes(fakes.page(fakes.alert(1), offices=("T01",)))
    replica.enqueue([1], "ack", {})
    [sent] = replica.pending_mutations()
    replica.record_results([{"id": sent["id"], "status": "conflict",
                             "current": fakes.alert(1, status="escalated", severity="red", version=2)}])
    engine = SyncEngine(replica, RefusingServer([]), BackgroundTasks())  # type: ignore[arg-type]
    with qtbot.waitSignal(engine.resolve_refused, timeout=3000) as refused:
        engine.resolve(sent["id"], retry=True)
    assert refused.args[0] == sent["id"]
    assert "escalated" in refused.args[1]
    assert replica.outbox_counts() == {"conflict": 1}


def test_unknown_refusals_keep_the_servers_words(qapp: Any) -> None:
    from desktop.console.signin import explain

    text, detail = explain(ApiError(403, "FORBIDDEN", "this token cannot read the change feed"))
    assert "this token cannot read the change feed" in text
    assert detail == "403 FORBIDDEN"
    assert explain(ApiError(0, "TLS_UNTRUSTED", "the server's certificate was not accepted: x"))[0].startswith(
        "服务器证书未被接受")


def test_server_errors_say_the_console_will_try_again(qapp: Any) -> None:
    from desktop.console.signin import explain

    text, detail = explain(ApiError(503, "UNAVAILABLE", "the server is shutting down"))
    assert text == "服务器出现故障（503），正在重试。"
    assert detail == "the server is shutting down"
