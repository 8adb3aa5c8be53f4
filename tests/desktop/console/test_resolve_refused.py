"""Deciding a conflict in the replica itself: "apply mine again" never loses the action.

The operator's offline action came back as a conflict: someone else changed the alert on the
server meanwhile. Applying it again must first check that it can follow the server's version;
when it cannot (acknowledging an alert that is now escalated), the conflict stays, nothing is
queued, and the caller is told why. These run on the replica alone, whatever window drives it.
"""

from __future__ import annotations

import subprocess
import sys
import threading
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


def test_a_change_arriving_while_the_decision_is_written_waits_for_it(tmp_path: Path, monkeypatch: Any) -> None:
    """The change feed may bring the alert's newer state while the decision is being written.

    Deciding is one write transaction: the page waits for it, then applies on top, and the
    action applied again is kept (pending, shown on the server's newest state) for the server
    to answer, never lost between the decision and the queueing.
    """
    from desktop.replica import outbox

    replica = Replica(tmp_path / "replica.sqlite3")
    replica.apply_changes(fakes.page(fakes.alert(3), offices=("T01",)))
    replica.enqueue([3], "assign", {"assignee": "李四"})
    [sent] = replica.pending_mutations()
    replica.record_results([{"id": sent["id"], "status": "conflict",
                             "current": fakes.alert(3, status="acknowledged", version=2)}])
    page_applied = threading.Event()
    racing: list[threading.Thread] = []
    queue_one = outbox.queue_one

    def a_page_arrives() -> None:
        # Dismissed on the server by now.
        replica.apply_changes(fakes.page(fakes.alert(3, status="dismissed", version=3)))
        page_applied.set()

    def queue_while_a_page_arrives(*args: Any) -> local.ActionRefused | None:
        # The page's writer must wait for this decision.
        thread = threading.Thread(target=a_page_arrives)
        thread.start()
        racing.append(thread)
        return queue_one(*args)

    monkeypatch.setattr(outbox, "queue_one", queue_while_a_page_arrives)
    assert replica.resolve(sent["id"], retry=True) == 3
    racing[0].join(30)
    assert page_applied.is_set()
    assert _outbox(replica) == [("3", "assign", "superseded"), ("3", "assign", "pending")]
    [queued] = replica.pending_mutations()
    assert queued["base_version"] == 2  # checked and queued against the version it was decided on
    # The row shows the server's newest state; the waiting action is kept for the server to answer.
    assert _alert(replica, 3) == {"status": "dismissed", "assignee": "李四", "conflict": 0, "pending": 1}


CRASHING_DECISION = """
import os, sqlite3, sys
sys.path.insert(0, sys.argv[3])
connect = sqlite3.connect

def crashing(*args, **kwargs):
    conn = connect(*args, **kwargs)
    conn.create_function("crash", 0, lambda: os._exit(9))  # the process dies mid-write, like a kill
    return conn

sqlite3.connect = crashing
from desktop.replica.store import Replica
Replica(sys.argv[1]).resolve(sys.argv[2], retry=True)
"""


def test_a_crash_while_applying_mine_again_keeps_the_conflict(conflicted: Replica) -> None:
    """Killed while queueing the action again: after a restart the conflict is there to decide, as it was.

    Before the decision was one transaction, the conflict was marked decided first and the
    action queued in a second write: a crash between the two lost the operator's action.
    """
    replica = conflicted
    assign = _conflicts(replica)[2]
    conn = replica.connect()
    conn.execute("CREATE TRIGGER crash_on_queue BEFORE INSERT ON outbox BEGIN SELECT crash(); END")
    conn.close()
    done = subprocess.run([sys.executable, "-c", CRASHING_DECISION, str(replica.path), assign,
                           str(Path(__file__).resolve().parents[3])], capture_output=True, text=True, timeout=60)
    assert done.returncode == 9, done.stderr
    conn = replica.connect()
    conn.execute("DROP TRIGGER crash_on_queue")
    conn.close()
    restarted = Replica(replica.path)
    assert _outbox(restarted) == [("1", "ack", "conflict"), ("2", "assign", "conflict")]
    assert restarted.pending_mutations() == []
    assert _alert(restarted, 2) == {"status": "acknowledged", "assignee": None, "conflict": 1, "pending": 0}
    # And the decision can still be taken.
    assert restarted.resolve(assign, retry=True) == 2
    assert _outbox(restarted)[1:] == [("2", "assign", "superseded"), ("2", "assign", "pending")]
