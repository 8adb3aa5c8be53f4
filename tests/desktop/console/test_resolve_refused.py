"""Deciding a conflict in the replica itself: "apply mine again" never loses the action.

The operator's offline action came back as a conflict: someone else changed the alert on the
server meanwhile. Applying it again must first check that it can follow the server's version;
when it cannot (acknowledging an alert that is now escalated), the conflict stays, nothing is
queued, and the caller is told why. These run on the replica alone, whatever window drives it.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from desktop.replica import local
from desktop.replica.store import Replica
from tests.desktop.console import fakes


def _outbox(replica: Replica) -> list[tuple[str, str, str]]:
    conn = replica.connect(readonly=True)
    try:
        return [(r["entity_id"], r["action"], r["state"])
                for r in conn.execute("SELECT entity_id, action, state FROM outbox ORDER BY seq")]
    finally:
        conn.close()


def _alert(replica: Replica, alert_id: int) -> dict[str, Any]:
    conn = replica.connect(readonly=True)
    try:
        row = conn.execute("SELECT status, assignee, conflict, pending FROM alerts WHERE id = ?",
                           (alert_id,)).fetchone()
        return dict(row)
    finally:
        conn.close()


def _conflicts(replica: Replica) -> dict[int, str]:
    """Alert id → mutation id of each open conflict."""
    conn = replica.connect(readonly=True)
    try:
        return {int(r["entity_id"]): r["id"] for r in conn.execute("SELECT id, entity_id FROM outbox"
                                                                    " WHERE state = 'conflict'")}
    finally:
        conn.close()


@pytest.fixture
def conflicted(tmp_path: Path) -> Replica:
    """Offline I acknowledged alert 1 and assigned alert 2; meanwhile another operator escalated
    1 and acknowledged 2 on the server, so both of mine came back as conflicts."""
    replica = Replica(tmp_path / "replica.sqlite3")
    replica.apply_changes(fakes.page(fakes.alert(1), fakes.alert(2), offices=("T01",)))
    assert replica.enqueue([1], "ack", {}) == ([1], [])
    assert replica.enqueue([2], "assign", {"assignee": "张三"}) == ([2], [])
    sent = replica.pending_mutations()
    current = {1: fakes.alert(1, status="escalated", severity="red", version=2),
               2: fakes.alert(2, status="acknowledged", version=2)}
    replica.record_results([{"id": m["id"], "status": "conflict", "current": current[int(m["entity_id"])]}
                            for m in sent])
    assert replica.outbox_counts() == {"conflict": 2}
    return replica


def test_an_action_that_cannot_follow_the_servers_version_stays_a_conflict(conflicted: Replica) -> None:
    replica = conflicted
    ack = _conflicts(replica)[1]
    with pytest.raises(local.ActionRefused, match="escalated"):
        replica.resolve(ack, retry=True)
    # Nothing was decided or queued: the conflict is still there for the operator to see.
    assert _outbox(replica) == [("1", "ack", "conflict"), ("2", "assign", "conflict")]
    assert replica.pending_mutations() == []
    assert _alert(replica, 1) == {"status": "escalated", "assignee": None, "conflict": 1, "pending": 0}
    # Keeping the server's version is still possible.
    assert replica.resolve(ack, retry=False) == 1
    assert _outbox(replica)[0] == ("1", "ack", "discarded")
    assert _alert(replica, 1)["conflict"] == 0


def test_an_action_that_can_follow_is_queued_once_on_the_servers_version(conflicted: Replica) -> None:
    replica = conflicted
    assign = _conflicts(replica)[2]
    assert replica.resolve(assign, retry=True) == 2
    assert _outbox(replica)[1:] == [("2", "assign", "superseded"), ("2", "assign", "pending")]
    [queued] = replica.pending_mutations()
    assert queued["base_version"] == 2  # the server's version it now follows
    assert queued["data"] == {"assignee": "张三"}
    assert _alert(replica, 2) == {"status": "acknowledged", "assignee": "张三", "conflict": 0, "pending": 1}
    # The same decision again (a double click) finds nothing to do and queues nothing more.
    assert replica.resolve(assign, retry=True) is None
    assert len(replica.pending_mutations()) == 1


def test_a_change_arriving_between_the_check_and_the_queueing_keeps_the_conflict(tmp_path: Path) -> None:
    """The change feed may bring the alert's newer state while the decision is being written."""

    class Racing(Replica):
        race = False

        def enqueue(self, alert_ids: Any, action: str, data: dict[str, Any]) -> tuple[list[int], list[str]]:
            if self.race:
                self.race = False
                # Closed on the server by now: nothing can follow.
                self.apply_changes(fakes.page(fakes.alert(3, status="dismissed", version=3)))
            return super().enqueue(alert_ids, action, data)

    replica = Racing(tmp_path / "replica.sqlite3")
    replica.apply_changes(fakes.page(fakes.alert(3), offices=("T01",)))
    replica.enqueue([3], "escalate", {})
    [sent] = replica.pending_mutations()
    replica.record_results([{"id": sent["id"], "status": "conflict",
                             "current": fakes.alert(3, status="acknowledged", version=2)}])
    replica.race = True
    with pytest.raises(local.ActionRefused, match="dismissed"):
        replica.resolve(sent["id"], retry=True)
    assert _outbox(replica) == [("3", "escalate", "conflict")]
    assert replica.pending_mutations() == []
    assert _alert(replica, 3)["conflict"] == 1
    conn = replica.connect(readonly=True)
    try:
        row = conn.execute("SELECT current, decided_at FROM outbox").fetchone()
    finally:
        conn.close()
    assert json.loads(row["current"])["status"] == "acknowledged"
    assert row["decided_at"] is not None
