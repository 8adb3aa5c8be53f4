"""A new kind of entity plugs into the replica with one registration: its table, its rows, its local actions.

The next families (investigations, the petition desk, cards and notices) reach the console
through the same change feed and outbox as alerts. Here a notice kind, declared in the test the
way ``desktop/replica/alerts.py`` declares alerts, goes through everything the replica does for
alerts without a line of alert code: the feed, an action applied at once, a rebase on a newer
server state, a conflict decided, a re-snapshot that keeps what still waits for the server.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest

from desktop.replica import entities, local, queries
from desktop.replica.kind import MUTABLE_COLUMNS, Kind, LocalActions
from desktop.replica.store import Replica

NOTICE_DDL = f"""
CREATE TABLE IF NOT EXISTS notices (id TEXT PRIMARY KEY, office TEXT, status TEXT, title TEXT,
                                    version INTEGER NOT NULL DEFAULT 1, {", ".join(MUTABLE_COLUMNS)},
                                    gen INTEGER NOT NULL DEFAULT 0);
"""
STATE = ("id", "office", "status", "title", "version")


def check(notice: dict[str, Any], action: str, data: dict[str, Any]) -> None:
    if action == "acknowledge":
        if notice.get("status") != "sent":
            raise local.ActionRefused(f"cannot acknowledge a notice that is {notice.get('status')}")
    elif action == "note":
        if not str(data.get("text") or "").strip():
            raise local.ActionRefused("a note needs text")
    else:
        raise local.ActionRefused(f"unknown action {action!r}")


def apply(notice: dict[str, Any], action: str, data: dict[str, Any]) -> dict[str, Any]:
    try:
        check(notice, action, data)
    except local.ActionRefused:
        return dict(notice)
    return notice | {"status": "acknowledged"} if action == "acknowledge" else dict(notice)


NOTICE = Kind(
    entity="notice", table="notices", keys=("id",), columns=STATE, ddl=NOTICE_DDL,
    row=lambda feed_id, data: {"id": feed_id, "office": data.get("office"), "status": data.get("status"),
                               "title": data.get("title"), "version": int(data.get("version") or 1)},
    local=LocalActions(check=check, apply=apply, versionless=frozenset({"note"})), state=STATE,
)


def page(*notices: dict[str, Any], deleted: tuple[str, ...] = (), cursor: str = "c1.1") -> dict[str, Any]:
    changes = [{"seq": 1, "entity": "notice", "id": n["id"], "op": "upsert", "data": n} for n in notices]
    changes += [{"seq": 1, "entity": "notice", "id": i, "op": "delete", "data": None} for i in deleted]
    return {"changes": changes, "cursor": cursor, "more": False}


def notice(notice_id: str, *, status: str = "sent", title: str = "整改通知", version: int = 1) -> dict[str, Any]:
    return {"id": notice_id, "office": "T01", "status": status, "title": title, "version": version}


def row(replica: Replica, notice_id: str) -> dict[str, Any] | None:
    conn = replica.connect(readonly=True)
    try:
        found = conn.execute("SELECT status, title, version, pending, conflict FROM notices WHERE id = ?",
                             (notice_id,)).fetchone()
        return None if found is None else dict(found)
    finally:
        conn.close()


@pytest.fixture
def replica(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Replica:
    monkeypatch.setitem(entities.KINDS, "notice", NOTICE)
    return Replica(tmp_path / "replica.sqlite3")


def test_a_registered_kind_is_fed_acted_on_rebased_and_decided(replica: Replica) -> None:
    fed = replica.apply_changes(page(notice("N1"), notice("N2")))
    assert fed.changed["notice"] == [("N1",), ("N2",)]
    assert row(replica, "N1") == {"status": "sent", "title": "整改通知", "version": 1, "pending": 0, "conflict": 0}

    # Acted on offline: shown at once, queued against the version the server has.
    assert replica.enqueue(["N1"], "acknowledge", {}, entity="notice") == (["N1"], [])
    assert replica.enqueue(["N1"], "note", {"text": "已电话通知"}, entity="notice") == (["N1"], [])
    changed, refused = replica.enqueue(["N2"], "note", {"text": " "}, entity="notice")
    assert changed == []
    assert [(entity_id, str(why)) for entity_id, why in refused] == [("N2", "a note needs text")]
    assert row(replica, "N1") == {"status": "acknowledged", "title": "整改通知", "version": 1, "pending": 2,
                                  "conflict": 0}
    sent = replica.pending_mutations()
    assert [(m["entity"], m["entity_id"], m["action"], m["base_version"]) for m in sent] == [
        ("notice", "N1", "acknowledge", 1), ("notice", "N1", "note", 2)]

    # The server's newer state arrives meanwhile: shown with my actions replayed on top.
    replica.apply_changes(page(notice("N1", title="整改通知（修订）", version=2), cursor="c1.2"))
    assert row(replica, "N1") == {"status": "acknowledged", "title": "整改通知（修订）", "version": 2, "pending": 2,
                                  "conflict": 0}

    # The server answers: the note applied, the acknowledgement in conflict with a withdrawal.
    answered = replica.record_results([
        {"id": sent[0]["id"], "status": "conflict", "current": notice("N1", status="withdrawn", version=3)},
        {"id": sent[1]["id"], "status": "applied", "version": 3},
    ])
    assert answered.changed == {"notice": [("N1",)]}
    assert answered.alert_ids == []
    assert row(replica, "N1") == {"status": "withdrawn", "title": "整改通知", "version": 3, "pending": 0,
                                  "conflict": 1}
    [conflict] = [e for e in queries.outbox_entries(replica.connect()) if e["state"] == "conflict"]
    with pytest.raises(local.ActionRefused, match="withdrawn"):
        replica.resolve(conflict["id"], retry=True)
    assert replica.resolve(conflict["id"], retry=False) == "N1"
    assert row(replica, "N1")["conflict"] == 0  # type: ignore[index]


def test_a_re_snapshot_keeps_what_still_waits_for_the_server(replica: Replica) -> None:
    replica.apply_changes(page(notice("N1"), notice("N2"), notice("N3")))
    replica.enqueue(["N1"], "acknowledge", {}, entity="notice")
    replica.begin_resnapshot()
    finished = replica.apply_changes(page(notice("N3", version=2), cursor="c1.9"))
    assert finished.snapshot_finished
    assert row(replica, "N1") is not None  # my acknowledgement still waits: the server will answer for it
    assert row(replica, "N2") is None  # gone from the server's snapshot
    assert row(replica, "N3") == {"status": "sent", "title": "整改通知", "version": 2, "pending": 0, "conflict": 0}
    replica.apply_changes(page(deleted=("N3",), cursor="c1.10"))
    assert row(replica, "N3") is None


def test_each_worker_reads_through_its_own_connection(replica: Replica) -> None:
    replica.apply_changes(page(notice("N1")))
    seen: dict[str, int] = {}
    together = threading.Barrier(3, timeout=10)

    def reading(conn: Any) -> int:
        assert conn.execute("SELECT COUNT(*) FROM notices").fetchone()[0] == 1
        together.wait()  # all three connections open at once
        return id(conn)

    def read(name: str) -> None:
        seen[name] = replica.read(reading)

    threads = [threading.Thread(target=read, args=(f"w{i}",)) for i in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(10)
    assert len(set(seen.values())) == 3
    replica.close()
    # Closed with the session; a later read opens a fresh one.
    assert replica.read(lambda conn: conn.execute("SELECT COUNT(*) FROM notices").fetchone()[0]) == 1
