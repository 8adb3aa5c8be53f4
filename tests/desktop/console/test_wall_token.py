"""``yingyan wall --server`` finds the token the console's sign-in keeps in the OS keyring.

One definition of the keyring entries (``desktop.common.credentials``) serves both: the
console signs in through its dialog, the wall is given only the server (spelled any way an
administrator might) and reads the cameras with that token. The keyring here is the file
mock of the OS keyring; nothing is written anywhere else, and no token is printed.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from desktop.common import credentials
from desktop.common.api import ApiClient
from desktop.common.tasks import BackgroundTasks
from desktop.console.signin import SignInDialog
from desktop.video import cli as wall_cli
from desktop.video.api import cameras, wall_client
from tests.desktop.console.conftest import OPERATOR
from tests.harness import ROOT


def _wall_token(*argv: str) -> str | None:
    return wall_cli._token(wall_cli.build_parser().parse_args(list(argv)))


def test_token_from_the_console_sign_in_is_found_by_the_wall(qtbot: Any, live_server: Any, keyring_file: Path,
                                                             settings_dir: Path, monkeypatch: Any) -> None:
    monkeypatch.delenv("YINGYAN_TOKEN", raising=False)
    url = f"https://127.0.0.1:{live_server.port}"
    ca = str(live_server.ca_file)
    assert _wall_token("--server", url, "--ca", ca) is None  # nobody signed in yet

    r = live_server.call("PUT", "/cameras/CAM-T01-1", {"name": "T01 综合窗口", "office": "T01", "window": "1",
                                                      "main_url": "http://127.0.0.1:9/none.ts", "enabled": True})
    assert r.status in (200, 201), r.body
    client = ApiClient(url, ca)
    dialog = SignInDialog(client, BackgroundTasks())
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClicks(dialog.user, OPERATOR[0])
    qtbot.keyClicks(dialog.password, OPERATOR[1])
    with qtbot.waitSignal(dialog.signed_in, timeout=10000):
        dialog.submit()
    token = client.token
    assert token

    # The wall, given only the server, however it is spelled.
    for server in (url, url + "/", url + "/api/v1", f"HTTPS://127.0.0.1:{live_server.port}/API/V1/"):
        assert _wall_token("--server", server, "--ca", ca) == token, server
    assert _wall_token("--server", url, "--user", OPERATOR[0]) == token
    assert _wall_token("--server", url, "--user", "someone-else") is None
    assert _wall_token("--server", "https://127.0.0.1:1") is None  # another server: not this token
    assert credentials.find_token(url) == (OPERATOR[0], token)

    # And the token works for what the wall does with it.
    assert [c.name for c in cameras(wall_client(url, token, ca))] == ["T01 综合窗口"]
    # Kept in the (mock) OS keyring only: not in the settings folder.
    assert token in keyring_file.read_text()
    assert all(token not in p.read_text(errors="ignore") for p in settings_dir.rglob("*") if p.is_file())
    client.close()


def test_wall_without_a_sign_in_says_how_to_get_one(live_server: Any, keyring_file: Path) -> None:
    """A real ``yingyan wall`` process with an empty keyring: a clear message, exit 2, no window."""
    env = {k: v for k, v in os.environ.items() if k != "YINGYAN_TOKEN"}
    out = subprocess.run(
        [sys.executable, "-m", "shared.cli", "wall", "--server", f"https://127.0.0.1:{live_server.port}",
         "--ca", str(live_server.ca_file)],
        env=env, cwd=ROOT, capture_output=True, text=True, timeout=60, check=False)
    assert out.returncode == 2, out.stderr
    assert "sign in with the console" in out.stderr
    assert "Traceback" not in out.stderr
