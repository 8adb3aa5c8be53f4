"""Start-up as ``yingyan console`` does it: a token in the OS keyring opens the window at once."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QSettings

from desktop.app import Controller
from desktop.common import credentials
from desktop.common.api import ApiClient
from desktop.common.tasks import BackgroundTasks
from desktop.replica import sync
from tests.desktop.console.conftest import OPERATOR


def test_token_in_keyring_opens_the_console_live(qapp: Any, qtbot: Any, live_server: Any, keyring_file: Path,
                                                 settings_dir: Path) -> None:
    url = f"https://127.0.0.1:{live_server.port}"
    login = ApiClient(url, str(live_server.ca_file)).login(*OPERATOR)
    credentials.save_token(url, OPERATOR[0], login["token"])
    QSettings().setValue("session/user", OPERATOR[0])
    QSettings().setValue("session/role", "operator")

    client = ApiClient(url, str(live_server.ca_file))
    controller = Controller(qapp, client, BackgroundTasks())
    assert controller.start()  # no sign-in dialog: the keyring had the token
    controller.session.engine.wait = 2.0  # short long-polls, so the test server stops quickly
    window = controller.window
    qtbot.addWidget(window)
    assert window.isVisible()
    qtbot.waitUntil(lambda: controller.session.engine.state == sync.LIVE, timeout=15000)
    assert "在线" in window.conn_label.text()
    # The replica lives in the per-user data folder, never beside the program.
    assert str(controller.session.replica.path).startswith(str(settings_dir.parent / "userdata"))
    window.close()
    controller.shutdown()
