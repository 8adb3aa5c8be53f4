"""The sync engine against a scripted server: re-snapshot on 410, offline and back, rebase of local actions."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt

from desktop.common.api import ApiError, Unreachable
from desktop.common.tasks import BackgroundTasks
from desktop.console.records import Column, RecordTableModel
from desktop.replica import sync
from desktop.replica.store import Replica
from desktop.replica.sync import SyncEngine
from tests.desktop.console import fakes


class ScriptedServer:
    """Answers ``changes`` from a script of pages or exceptions; records mutations."""

    server_url = "https://scripted.example"
    token = "t"

    def __init__(self, script: list[Any]) -> None:
        self.script = script
        self.since: list[str | None] = []
        self.mutations_seen: list[list[dict[str, Any]]] = []
        self.results: list[dict[str, Any]] | None = None

    def changes(self, since: str | None, *, wait: float = 0, limit: int = 1000) -> dict[str, Any]:
        self.since.append(since)
        if not self.script:
            # Nothing new: a real server would hold the long-poll; answer after a moment.
            time.sleep(0.02)
        step = self.script.pop(0) if self.script else {"changes": [], "cursor": since, "more": False}
        if isinstance(step, BaseException):
            raise step
        return step

    def mutations(self, batch: list[dict[str, Any]]) -> list[dict[str, Any]]:
        self.mutations_seen.append(batch)
        if self.results is None:
            raise Unreachable("down")
        # Each answer once, in order, as the server applies them.
        answers = self.results[: len(batch)]
        del self.results[: len(batch)]
        return [r | {"id": m["id"]} for m, r in zip(batch, answers, strict=False)]

    def close(self) -> None:
        pass


@pytest.fixture
def replica(tmp_path: Path) -> Replica:
    return Replica(tmp_path / "r.sqlite3")


def ids(replica: Replica) -> set[int]:
    return {r[0] for r in replica.connect().execute("SELECT id FROM alerts")}


def test_cursor_expired_re_reads_a_snapshot_and_drops_what_is_gone(qtbot: Any, replica: Replica) -> None:
    replica.apply_changes(fakes.page(fakes.alert(1), fakes.alert(2), fakes.alert(3)))
    old_cursor = replica.cursor()
    server = ScriptedServer([
        ApiError(410, "CURSOR_EXPIRED", "read a fresh snapshot"),
        fakes.page(fakes.alert(2), more=True),
        fakes.page(fakes.alert(3, status="acknowledged", version=2), fakes.alert(4)),
    ])
    engine = SyncEngine(replica, server, BackgroundTasks(), wait=0)  # type: ignore[arg-type]
    engine.start()
    qtbot.waitUntil(lambda: engine.state == sync.LIVE and not server.script, timeout=5000)
    assert server.since[0] == old_cursor
    assert server.since[1] is None  # from the beginning, never silently restarted from zero
    assert ids(replica) == {2, 3, 4}  # 1 was not in the snapshot: gone
    engine.stop()


def test_offline_then_back_replays_and_rebases(qtbot: Any, replica: Replica) -> None:
    replica.apply_changes(fakes.page(fakes.alert(1), fakes.alert(2)))
    server = ScriptedServer([Unreachable("down"), Unreachable("down")])
    engine = SyncEngine(replica, server, BackgroundTasks(), wait=0, max_backoff=0.2)  # type: ignore[arg-type]
    states: list[str] = []
    engine.state_changed.connect(lambda s, _since, _d: states.append(s))
    engine.start()
    qtbot.waitUntil(lambda: sync.OFFLINE in states, timeout=5000)
    # Two actions on one alert while offline: the second is based on the version the first makes.
    engine.enqueue([1], "ack", {})
    engine.enqueue([1], "escalate", {})
    qtbot.waitUntil(lambda: replica.outbox_counts().get("pending") == 2, timeout=5000)
    shown = replica.connect().execute("SELECT status, severity, pending FROM alerts WHERE id = 1").fetchone()
    assert tuple(shown) == ("escalated", "red", 2)  # yellow hardened to red locally, at once
    bases = [m["base_version"] for m in replica.pending_mutations()]
    assert bases == [1, 2]
    # The server comes back and applies both.
    server.results = [{"status": "applied", "version": 2, "error": None},
                      {"status": "applied", "version": 3, "error": None}]
    qtbot.waitUntil(lambda: replica.outbox_counts().get("applied") == 2, timeout=10000)
    qtbot.waitUntil(lambda: engine.state == sync.LIVE, timeout=5000)
    row = replica.connect().execute("SELECT status, severity, pending, server, version FROM alerts WHERE id = 1"
                                    ).fetchone()
    assert tuple(row) == ("escalated", "red", 0, None, 3)
    engine.stop()


def test_record_model_passes_the_model_tester(qtmodeltester: Any) -> None:
    model = RecordTableModel([Column("A", lambda r: r["a"]), Column("B", lambda r: r["b"], numeric=True)], "T")
    model.set_records([{"a": "x", "b": 1}, {"a": "y", "b": 2}])
    qtmodeltester.check(model, force_py=False)
    assert model.data(model.index(1, 1), Qt.ItemDataRole.DisplayRole) == 2
