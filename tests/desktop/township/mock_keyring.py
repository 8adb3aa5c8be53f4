"""A mock of the OS keyring for tests: a keyring backend that keeps passwords in a JSON file.

This machine (and CI) has no Secret Service daemon. Tests point ``PYTHON_KEYRING_BACKEND``
at ``tests.desktop.township.mock_keyring.MockOSKeyring`` and ``YINGYAN_TEST_KEYRING`` at a
file in the test's tmp dir, so the agent — in process or as a subprocess — goes through the
real ``keyring`` API. Production code never writes tokens to files; only this test double does.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from keyring.backend import KeyringBackend
from keyring.errors import PasswordDeleteError

FILE_ENV = "YINGYAN_TEST_KEYRING"
BACKEND = "tests.desktop.township.mock_keyring.MockOSKeyring"


class MockOSKeyring(KeyringBackend):
    priority = 1

    def _path(self) -> Path:
        return Path(os.environ[FILE_ENV])

    def _load(self) -> dict[str, str]:
        p = self._path()
        return json.loads(p.read_text()) if p.exists() else {}

    def get_password(self, service: str, username: str) -> str | None:
        return self._load().get(f"{service}\x1f{username}")

    def set_password(self, service: str, username: str, password: str) -> None:
        data = self._load()
        data[f"{service}\x1f{username}"] = password
        self._path().write_text(json.dumps(data))

    def delete_password(self, service: str, username: str) -> None:
        data = self._load()
        if data.pop(f"{service}\x1f{username}", None) is None:
            raise PasswordDeleteError(username)
        self._path().write_text(json.dumps(data))
