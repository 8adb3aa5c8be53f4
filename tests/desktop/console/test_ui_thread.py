"""The UI thread never waits on the replica file: the console's reads run on its workers."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from desktop.common.api import ApiClient
from desktop.console.session import open_session
from desktop.replica import queries
from desktop.replica.store import UIThreadRead
from tests.desktop.console import fakes


def test_a_read_on_the_ui_thread_is_refused_and_the_workers_read(qtbot: Any, tmp_path: Path) -> None:
    session = open_session(ApiClient("https://127.0.0.1:9", None), "op", replica_file=tmp_path / "r.sqlite3")
    try:
        session.replica.apply_changes(fakes.page(fakes.alert(1), offices=("T01", "T02")))
        with pytest.raises(UIThreadRead, match="offices"):
            session.replica.read(queries.offices)
        seen: list[list[tuple[str, str]]] = []
        session.tasks.run(lambda: session.replica.read(queries.offices), seen.append)
        qtbot.waitUntil(lambda: bool(seen), timeout=5000)
        assert seen[0] == [("T01", "T01 便民服务中心"), ("T02", "T02 便民服务中心")]
    finally:
        session.shutdown()
