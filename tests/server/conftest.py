"""Fixtures shared by the server tests: one ``yingyan server init`` per session, copied per server."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.harness import ServerProcess


@pytest.fixture(scope="session")
def server_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data directory made by ``yingyan server init`` (SQLite), never served itself."""
    server = ServerProcess(tmp_path_factory.mktemp("template") / "data")
    server.init()
    return server.data_dir
