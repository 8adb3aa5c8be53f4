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
from tests.desktop.console.operator import red_batch


def test_token_in_keyring_opens_the_console_live(qapp: Any, qtbot: Any, live_server: Any, keyring_file: Path,
                                                 settings_dir: Path) -> None:
    url = f"https://127.0.0.1:{live_server.port}"
    login = ApiClient(url, str(live_server.ca_file)).login(*OPERATOR)
    credentials.save_token(url, OPERATOR[0], login["token"])
    QSettings().setValue("session/user", OPERATOR[0])
    QSettings().setValue("session/role", "operator")

    # Red signals raised while the console was closed: shown at start, but not as news.
    live_server.post_batch("T01", live_server.tokens["T01"], red_batch("2026-0000777"))
    client = ApiClient(url, str(live_server.ca_file))
    controller = Controller(qapp, client, BackgroundTasks())
    assert controller.start()  # no sign-in dialog: the keyring had the token
    controller.session.engine.wait = 2.0  # short long-polls, so the test server stops quickly
    window = controller.window
    qtbot.addWidget(window)
    assert window.isVisible()
    qtbot.waitUntil(lambda: controller.session.engine.state == sync.LIVE, timeout=15000)
    assert "在线" in window.conn_label.text()
    qtbot.waitUntil(lambda: window.wall.model.rowCount() >= 2, timeout=5000)
    assert window.alarm.played == 0
    assert not any(window.wall.model.is_flashing(i) for i in window.wall.model.loaded_ids())
    # The replica lives in the per-user data folder, never beside the program.
    assert str(controller.session.replica.path).startswith(str(settings_dir.parent / "userdata"))
    window.close()
    controller.shutdown()


def test_yingyan_console_process_signs_in_from_keyring_and_syncs(qtbot: Any, live_server: Any, tmp_path: Path,
                                                                 keyring_file: Path) -> None:
    """``python -m desktop --server … --ca …`` as an administrator's shortcut starts it: a real process."""
    import os
    import sqlite3
    import subprocess
    import sys

    url = f"https://127.0.0.1:{live_server.port}"
    token = ApiClient(url, str(live_server.ca_file)).login(*OPERATOR)["token"]
    credentials.save_token(url, OPERATOR[0], token)  # the mock OS keyring file, shared with the child
    config = tmp_path / "xdg-config"
    (config / "Yingyan").mkdir(parents=True)
    (config / "Yingyan" / "console.conf").write_text(f"[session]\nuser={OPERATOR[0]}\nrole=operator\n")
    data = tmp_path / "console-data"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "XDG_CONFIG_HOME": str(config),
           "YINGYAN_DATA_DIR": str(data), "YINGYAN_CONFIG_DIR": str(tmp_path / "yy-config")}
    live_server.post_batch("T01", live_server.tokens["T01"], red_batch("2026-0000901"))
    proc = subprocess.Popen([sys.executable, "-m", "desktop", "--server", url, "--ca", str(live_server.ca_file)],
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        def synced() -> bool:
            files = list((data / "replica").glob("*.sqlite3")) if (data / "replica").exists() else []
            if not files:
                return False
            try:
                with sqlite3.connect(files[0]) as conn:
                    return conn.execute("SELECT COUNT(*) FROM alerts WHERE case_no = '2026-0000901'").fetchone()[0] > 0
            except sqlite3.Error:
                return False

        qtbot.waitUntil(synced, timeout=30000)
        assert proc.poll() is None  # still running: the window is up
    finally:
        proc.terminate()
        out = proc.communicate(timeout=30)[0].decode(errors="replace")
    assert "Traceback" not in out, out
