"""The console's background tasks: offline reads never queue behind stalled network calls."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from desktop.common.api import ApiClient
from desktop.common.tasks import BackgroundTasks
from desktop.console.wall import AlertWall
from desktop.replica.store import Replica
from tests.desktop.console import fakes


@pytest.fixture
def stalled_server() -> Iterator[str]:
    """A server that takes connections and never answers (a hung process, a link that drops
    packets): each call to it holds its worker until the client's read timeout."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)  # the kernel completes the handshakes; nobody ever reads the requests
    try:
        yield f"https://127.0.0.1:{listener.getsockname()[1]}"
    finally:
        listener.close()  # the waiting connections are reset: the calls fail and free their workers


def test_the_wall_reads_the_replica_while_the_server_holds_every_network_worker(
        qtbot: Any, tmp_path: Path, stalled_server: str) -> None:
    replica = Replica(tmp_path / "replica.sqlite3")
    replica.apply_changes(fakes.page(offices=("T01",)))
    replica.apply_changes(fakes.page(fakes.alert(1, severity="red", rule="OVERDUE", office="T01", case_no="A1")))
    tasks = BackgroundTasks(max_threads=2)
    client = ApiClient(stalled_server, timeout=600)
    failures: list[BaseException] = []
    for _ in range(4):  # more calls than network workers: every one of them is held
        tasks.run(client.me, on_error=failures.append, label="me")

    wall = AlertWall(replica, tasks, None)
    qtbot.addWidget(wall)
    wall.show()
    # Without a pool of its own the wall's read would wait for a worker for ten minutes.
    qtbot.waitUntil(lambda: wall.model.rowCount() == 1, timeout=30_000)
    assert tasks.pool.activeThreadCount() == 2, "the server's calls were still held while the wall read"
    assert not failures

    client.close()
    # The stalled_server fixture resets the connections when the test ends; the calls then fail.


def test_waiting_for_the_workers_includes_the_local_ones(qtbot: Any) -> None:
    tasks = BackgroundTasks()
    release = threading.Event()
    done: list[str] = []
    tasks.run(lambda: release.wait(60) and "written", done.append, label="replica write", local=True)
    assert not tasks.wait_idle(50), "a local task still running is not idle"
    release.set()
    assert tasks.wait_idle(30_000)
    qtbot.waitUntil(lambda: done == ["written"], timeout=10_000)


def test_a_local_task_failing_is_reported_like_any_other(qtbot: Any) -> None:
    tasks = BackgroundTasks()
    errors: list[BaseException] = []

    def broken() -> None:
        raise OSError("the replica's disk is full")

    tasks.run(broken, on_error=errors.append, label="broken", local=True)
    qtbot.waitUntil(lambda: len(errors) == 1, timeout=10_000)
    assert isinstance(errors[0], OSError)
