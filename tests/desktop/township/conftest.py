"""Fixtures for the township agent tests: a private sync home, the mock OS keyring, a server."""

from __future__ import annotations

import itertools
import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import keyring
import pytest

from tests.desktop.township.mock_keyring import BACKEND, FILE_ENV, MockOSKeyring
from tests.harness import CATALOGUE, ROOT, ServerProcess, running_server

_office_numbers = itertools.count(10)


@dataclass
class SyncEnv:
    """Where the agent under test keeps its outbox, and how to run it as a subprocess."""

    home: Path
    env: dict[str, str]

    def run(self, *args: str, stdin: str | None = None, timeout: float = 120) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "shared.cli", "sync", *args], input=stdin, text=True,
                              capture_output=True, cwd=ROOT, env=self.env, timeout=timeout)

    def popen(self, *args: str) -> subprocess.Popen[str]:
        return subprocess.Popen([sys.executable, "-m", "shared.cli", "sync", *args], text=True, cwd=ROOT,
                                env=self.env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)


@pytest.fixture
def sync_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[SyncEnv]:
    home = tmp_path / "sync-home"
    ring = tmp_path / "mock-os-keyring.json"
    monkeypatch.setenv("YINGYAN_SYNC_HOME", str(home))
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", BACKEND)
    monkeypatch.setenv(FILE_ENV, str(ring))
    previous = keyring.get_keyring()
    keyring.set_keyring(MockOSKeyring())
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT)
    env["PYTHONFAULTHANDLER"] = "1"  # a hung agent killed with SIGABRT says where it was
    try:
        yield SyncEnv(home, env)
    finally:
        keyring.set_keyring(previous)


@pytest.fixture(scope="session")
def shared_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    """One server for the whole session (starting one costs seconds); each test gets its own office."""
    with running_server(tmp_path_factory.mktemp("township-server")) as s:
        assert s.call("PUT", "/catalogue", {"items": CATALOGUE}).status == 200
        yield s


@pytest.fixture
def server(shared_server: ServerProcess) -> ServerProcess:
    # A fault test kills the server; whatever happened, the next test finds it running.
    if shared_server.proc is None or shared_server.proc.poll() is not None:
        shared_server.start()
    return shared_server


@dataclass
class Office:
    code: str
    token: str


@pytest.fixture
def office(server: ServerProcess) -> Office:
    """A new township office on the shared server, so tests never see each other's records."""
    code = f"T{next(_office_numbers):02d}"
    r = server.call("POST", "/offices", {"code": code, "name": f"{code} 便民服务中心", "kind": "township"})
    assert r.status == 201, r.body
    return Office(code, r.json()["token"])


@pytest.fixture
def logged_in(sync_env: SyncEnv, server: ServerProcess, office: Office) -> tuple[SyncEnv, ServerProcess, str]:
    """The agent logged in as a fresh office (token piped on stdin, as a scheduled-task setup does)."""
    r = sync_env.run("login", "--server", f"https://127.0.0.1:{server.port}", "--office", office.code,
                     "--ca", str(server.ca_file), stdin=office.token + "\n")
    assert r.returncode == 0, r.stderr
    return sync_env, server, office.code


@pytest.fixture(scope="session")
def township_display() -> Iterator[str]:
    """A private Xvfb with Qt on xcb — the platform the video and console tests need too.

    One QApplication serves the whole pytest process, so the GUI tests must agree on the
    platform; if another test created it already, it is used as it is.
    """
    from PySide6.QtWidgets import QApplication

    from tests.xvfb import xvfb_display

    if QApplication.instance() is not None:
        yield os.environ.get("DISPLAY", "")
        return
    with xvfb_display(1600, 1000) as display:
        os.environ["QT_QPA_PLATFORM"] = "xcb"
        yield display


@pytest.fixture(scope="session")
def qapp(township_display: str, qapp_args: list[str], qapp_cls: Any) -> Any:
    """pytest-qt's application with the sync window's Chinese translation installed."""
    from desktop.township.i18n import install_translation

    app = qapp_cls.instance() or qapp_cls(qapp_args)
    install_translation(app, "zh_CN")
    return app
