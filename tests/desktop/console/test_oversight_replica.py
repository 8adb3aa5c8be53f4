"""Cards and notices in the replica: issued offline and shown at once, confirmed by the change
feed, refused locally as the server would refuse them; the notices tracker's states and its
countdown on the working-day clock."""

from __future__ import annotations

import json
import uuid
from pathlib import Path
from typing import Any

import pytest

from desktop.replica import oversight
from desktop.replica.store import Replica
from shared.calendar import WorkCalendar
from shared.timeutil import DAY, parse_instant


@pytest.fixture
def replica(tmp_path: Path) -> Replica:
    r = Replica(tmp_path / "replica.sqlite3")
    r.apply_changes({"changes": [{"seq": 1, "entity": "office", "id": "T01", "op": "upsert",
                                  "data": {"code": "T01", "name": "城关镇便民服务中心"}}],
                     "cursor": "c1", "more": False})
    return r


def read(replica: Replica, query: Any, *args: Any) -> Any:
    conn = replica.connect(readonly=True)
    try:
        return query(conn, *args)
    finally:
        conn.close()


def feed(replica: Replica, entity: str, data: dict[str, Any], cursor: str) -> None:
    replica.apply_changes({"changes": [{"seq": 2, "entity": entity, "id": data["id"], "op": "upsert", "data": data}],
                           "cursor": cursor, "more": False})


def test_a_card_issued_offline_shows_at_once_and_the_feed_confirms_it(replica: Replica) -> None:
    cid = str(uuid.uuid4())
    data = {"kind": "red", "office": "T01", "reason": "多次超期办理", "alerts": [7, 9]}
    assert replica.enqueue([cid], "issue", data, entity="card") == ([cid], [])
    [card] = read(replica, oversight.cards_register)
    assert (card["kind"], card["office_name"], card["alerts"], card["status"], card["pending"]) == (
        "red", "城关镇便民服务中心", [7, 9], "active", 1)
    [sent] = replica.pending_mutations()
    assert (sent["entity"], sent["entity_id"], sent["action"], sent["base_version"]) == ("card", cid, "issue", None)

    server = {**data, "id": cid, "staff": None, "issued_by": "op", "issued_at": "2026-03-02T09:00:00+08:00",
              "status": "active", "revoked_by": None, "revoke_reason": None, "version": 1,
              "timeline": [{"at": "2026-03-02T09:00:00+08:00", "actor": "op", "action": "issue", "data": data}]}
    replica.record_results([{"id": sent["id"], "status": "applied", "version": 1}])
    feed(replica, "card", server, "c2")
    [card] = read(replica, oversight.cards_register)
    assert (card["issued_at"], card["pending"], card["conflict"]) == ("2026-03-02T09:00:00+08:00", 0, 0)


def test_the_feed_may_come_before_the_answer(replica: Replica) -> None:
    nid = str(uuid.uuid4())
    replica.enqueue([nid], "issue", {"office": "T01", "subject": "督办", "reply_days": 3}, entity="notice")
    [sent] = replica.pending_mutations()
    feed(replica, "notice", {"id": nid, "office": "T01", "subject": "督办", "body": "", "alerts": [],
                             "issued_by": "op", "issued_at": "2026-03-02T09:00:00+08:00", "reply_days": 3,
                             "reply_due": "2026-03-06T00:00:00+08:00", "status": "awaiting", "version": 1,
                             "timeline": []}, "c2")
    [shown] = read(replica, oversight.notices_tracker, parse_instant("2026-03-02T10:00:00+08:00"), WorkCalendar())
    assert (shown["reply_due"], shown["estimated"], shown["pending"]) == ("2026-03-06T00:00:00+08:00", False, 1)
    replica.record_results([{"id": sent["id"], "status": "applied", "version": 1}])
    [shown] = read(replica, oversight.notices_tracker, parse_instant("2026-03-02T10:00:00+08:00"), WorkCalendar())
    assert shown["pending"] == 0


@pytest.mark.parametrize(("data", "code"), [
    ({"kind": "green", "office": "T01", "reason": "x"}, "INVALID_FIELD"),
    ({"kind": "red", "office": "T01", "reason": "   "}, "INVALID_FIELD"),
    ({"kind": "red", "office": "T01", "reason": "x" * 100_000}, "INVALID_FIELD"),
    ({"kind": "red", "office": "T01", "reason": "x", "alerts": ["1; DROP TABLE alerts"]}, "INVALID_FIELD"),
    ({"kind": "red", "reason": "x"}, "MISSING_FIELD"),
])
def test_bad_cards_are_refused_locally_and_nothing_is_queued(replica: Replica, data: dict[str, Any],
                                                             code: str) -> None:
    changed, refused = replica.enqueue([str(uuid.uuid4())], "issue", data, entity="card")
    assert changed == []
    assert [why.refusal.code for _id, why in refused] == [code]
    assert replica.pending_mutations() == []
    assert read(replica, oversight.cards_register) == []


def test_the_tracker_counts_working_days_and_goes_late(replica: Replica) -> None:
    nid = str(uuid.uuid4())
    base = {"id": nid, "office": "T01", "subject": "关于窗口纪律的督办通知", "body": "", "alerts": [1],
            "issued_by": "op", "issued_at": "2026-03-06T10:00:00+08:00", "reply_days": 2,
            "reply_due": "2026-03-11T00:00:00+08:00", "status": "awaiting", "version": 1, "timeline": []}
    feed(replica, "notice", base, "c2")
    cal = WorkCalendar()
    # Friday 10:00 → due Wednesday 00:00: Monday and Tuesday are the two working days left.
    [n] = read(replica, oversight.notices_tracker, parse_instant("2026-03-07T12:00:00+08:00"), cal)
    assert (n["state"], n["working_days_left"]) == ("awaiting", 2.0)
    [n] = read(replica, oversight.notices_tracker, parse_instant("2026-03-11T12:00:00+08:00"), cal)
    assert (n["state"], n["working_days_left"]) == ("late", -0.5)
    feed(replica, "notice", base | {"status": "replied", "replied_at": "2026-03-12T09:00:00+08:00",
                                    "reply": "已整改", "version": 2}, "c3")
    [n] = read(replica, oversight.notices_tracker, parse_instant("2026-03-12T12:00:00+08:00"), cal)
    assert n["state"] == "replied_late"
    assert n["due"] == parse_instant("2026-03-11T00:00:00+08:00")
    assert n["due"] - parse_instant("2026-03-06T00:00:00+08:00") == 5 * DAY


def test_garbage_from_the_feed_is_kept_harmless(replica: Replica) -> None:
    feed(replica, "notice", {"id": "n-1", "alerts": "not a list", "timeline": {"x": 1}, "reply_days": "5",
                             "reply_due": "someday", "issued_at": None}, "c2")
    [n] = read(replica, oversight.notices_tracker, parse_instant("2026-03-12T12:00:00+08:00"), WorkCalendar())
    assert (n["alerts"], n["timeline"], n["reply_days"], n["state"], n["due"]) == ([], [], 5, "awaiting", None)
    assert json.loads(json.dumps(n, default=str))


def test_a_replica_from_before_cards_and_notices_reads_the_feed_again(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    old = Replica(path)
    old.apply_changes({"changes": [], "cursor": "c9.99", "more": False})
    with old.writing() as conn:
        conn.execute("DROP TABLE cards")
        conn.execute("DROP TABLE notices")
    assert old.meta("cursor") == "c9.99"
    reopened = Replica(path)
    assert (reopened.meta("cursor"), reopened.meta("resnapshot")) == (None, "1")
    assert read(reopened, oversight.cards_register) == []
    # A file that has every table keeps its place in the feed.
    again = Replica(path)
    again.apply_changes({"changes": [], "cursor": "c1.1", "more": False})
    assert Replica(path).meta("cursor") == "c1.1"


def test_a_card_the_server_refused_to_create_goes_when_the_refusal_is_accepted(replica: Replica) -> None:
    cid = str(uuid.uuid4())
    replica.enqueue([cid], "issue", {"kind": "yellow", "office": "T09", "reason": "超期"}, entity="card")
    [sent] = replica.pending_mutations()
    replica.record_results([{"id": sent["id"], "status": "rejected", "error": {
        "code": "INVALID_FIELD", "field": "office", "message": "office: no office 'T09' is registered",
        "message_zh": "单位「T09」未登记"}}])
    [card] = read(replica, oversight.cards_register)
    assert (card["id"], card["conflict"]) == (cid, 1), "kept, marked, until the operator decides"
    assert replica.resolve(sent["id"], retry=False) == cid
    assert read(replica, oversight.cards_register) == []
