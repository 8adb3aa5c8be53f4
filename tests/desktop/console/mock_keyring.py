"""A mock of the OS keyring for tests: a JSON file named by ``YINGYAN_TEST_KEYRING_FILE``.

Selected with ``PYTHON_KEYRING_BACKEND=tests.desktop.console.mock_keyring.MockOSKeyring``,
so the console's code path (``keyring.get_password`` …) is the real one; only the store
behind it is a file the test can inspect, instead of the user's real keyring.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from keyring.backend import KeyringBackend
from keyring.errors import PasswordDeleteError


class MockOSKeyring(KeyringBackend):
    priority = 1

    @staticmethod
    def _path() -> Path:
        return Path(os.environ.get("YINGYAN_TEST_KEYRING_FILE", "/tmp/yingyan-test-keyring.json"))

    def _load(self) -> dict[str, str]:
        try:
            return dict(json.loads(self._path().read_text()))
        except (FileNotFoundError, ValueError):
            return {}

    def _save(self, data: dict[str, str]) -> None:
        self._path().write_text(json.dumps(data))

    def get_password(self, service: str, username: str) -> str | None:
        return self._load().get(f"{service}\x00{username}")

    def set_password(self, service: str, username: str, password: str) -> None:
        data = self._load()
        data[f"{service}\x00{username}"] = password
        self._save(data)

    def delete_password(self, service: str, username: str) -> None:
        data = self._load()
        if data.pop(f"{service}\x00{username}", None) is None:
            raise PasswordDeleteError("not stored")
        self._save(data)
