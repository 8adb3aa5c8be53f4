"""Fixtures for the console tests: Qt on a private Xvfb, a mock OS keyring, a real server.

Qt runs on ``xcb`` under a private Xvfb (like the video wall's tests, which need xcb for
libvlc): one QApplication serves the whole pytest process, so every GUI test in the
process must agree on the platform. Without Xvfb the tests skip (fail on CI).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.xvfb import xvfb_display

# Never the developer's real keyring, even in a test that forgets the keyring_file fixture.
os.environ.setdefault("PYTHON_KEYRING_BACKEND", "tests.desktop.console.mock_keyring.MockOSKeyring")
os.environ.setdefault("YINGYAN_LANG", "zh_CN")


@pytest.fixture(scope="session")
def console_display() -> Iterator[str]:
    from PySide6.QtWidgets import QApplication

    if QApplication.instance() is not None:
        yield os.environ.get("DISPLAY", "")
        return
    with xvfb_display(1920, 1080) as display:
        os.environ["QT_QPA_PLATFORM"] = "xcb"
        yield display


@pytest.fixture(scope="session")
def qapp(console_display: str, qapp_args: list[str], qapp_cls: Any) -> Iterator[Any]:
    """pytest-qt's qapp, created only once the display is up."""
    from PySide6.QtCore import QCoreApplication

    from desktop import i18n

    app = qapp_cls.instance() or qapp_cls(qapp_args)
    QCoreApplication.setOrganizationName("YingyanTest")
    QCoreApplication.setApplicationName("console-tests")
    i18n.install(app, os.environ.get("YINGYAN_LANG"))
    return app


@pytest.fixture(autouse=True)
def _no_task_outlives_a_test() -> Iterator[None]:
    """Stop every sync engine and background worker a test started, even when it failed."""
    yield
    import shiboken6

    from desktop.common.tasks import BackgroundTasks
    from desktop.replica.sync import SyncEngine

    for obj in list(SyncEngine.instances()):
        if shiboken6.isValid(obj):
            obj.stop()
    BackgroundTasks.shutdown_all(15000)


@pytest.fixture
def keyring_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """The mock OS keyring for this test: in this process and in any console process it starts."""
    import keyring

    from tests.desktop.console.mock_keyring import MockOSKeyring

    path = tmp_path / "keyring.json"
    monkeypatch.setenv("YINGYAN_TEST_KEYRING_FILE", str(path))
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "tests.desktop.console.mock_keyring.MockOSKeyring")
    previous = keyring.get_keyring()
    keyring.set_keyring(MockOSKeyring())
    try:
        yield path
    finally:
        keyring.set_keyring(previous)


@pytest.fixture
def settings_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """QSettings and user data in the test's folder, never the developer's own."""
    from PySide6.QtCore import QSettings

    folder = tmp_path / "settings"
    folder.mkdir()
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(folder))
    monkeypatch.setenv("YINGYAN_DATA_DIR", str(tmp_path / "userdata"))
    return folder


OPERATOR = ("op", "operator-pass-1")


@pytest.fixture
def live_server(tmp_path: Path) -> Iterator[Any]:
    """A real server over TLS with the test catalogue, offices T01/T02 and an operator account."""
    from tests.harness import running_server

    with running_server(tmp_path) as server:
        server.tokens = server.setup_basic(("T01", "T02"))
        r = server.call("POST", "/users", {"username": OPERATOR[0], "password": OPERATOR[1], "role": "operator",
                                           "display_name": "值班员"})
        assert r.status == 201, r.body
        yield server


@pytest.fixture
def console(qtbot: Any, live_server: Any, tmp_path: Path, settings_dir: Path, keyring_file: Path) -> Iterator[Any]:
    """The console's main window signed in as the operator against ``live_server``, live."""
    from tests.desktop.console.investigation_support import close_console, open_console

    window = open_console(qtbot, live_server, tmp_path, OPERATOR, "operator", replica_name="replica.sqlite3")
    yield window
    close_console(window)
