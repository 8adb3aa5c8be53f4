"""The petition desk in the replica: a registration queued offline (a create, its secrets sealed),
the desk's actions checked by the shared table, the feed's petitions, and the desk's list with
the statutory clocks of the rules, overdue first."""

from __future__ import annotations

import json
import uuid
from pathlib import Path
from typing import Any

import pytest

from desktop.replica import petitions, sealed
from desktop.replica.store import Replica
from shared.timeutil import DAY, parse_instant

NAME, PHONE, ID_NUMBER, PASSWORD = "王秀兰", "13905957788", "350521196502281234", "counter-pw-7"


@pytest.fixture
def replica(tmp_path: Path, keyring_file: Path) -> Replica:
    sealed.reset()
    return Replica(tmp_path / "replica.sqlite3")


def registration(**extra: Any) -> dict[str, Any]:
    data = {"office": "CENTRE", "channel": "visit", "received_at": "2026-03-02T09:30:00+08:00",
            "petitioner": {"name": NAME, "phone": PHONE, "id_number": ID_NUMBER}, "anonymous": False,
            "subject": {"name": "张某", "unit": "某镇国土所", "title": "所长"}, "category": "land",
            "content": "反映宅基地审批中收取好处费", "receipt_code": "4821937561028374", "query_password": PASSWORD}
    return data | extra


def feed_petition(pid: str, *, received: str, events: list[dict[str, Any]] | None = None, version: int = 1,
                  **extra: Any) -> dict[str, Any]:
    return {"id": pid, "office": "T01", "channel": "letter", "received_at": received, "anonymous": False,
            "petitioner": "[protected]", "subject": {"name": "李某", "unit": "某村委会"}, "category": "fees",
            "content": "反映村委会乱收费", "receipt_code": extra.pop("receipt_code", None), "status": "registered",
            "merged_into": None, "duplicates": [], "investigations": [], "attachments": [],
            "events": events or [], "version": version, **extra}


def test_a_registration_queued_offline_shows_at_once_and_never_holds_the_identity_in_clear(
        replica: Replica, tmp_path: Path) -> None:
    pid = str(uuid.uuid4())
    changed, refused = replica.enqueue([pid], "register", registration(), entity="petition")
    assert (changed, refused) == ([pid], [])
    now = parse_instant("2026-03-03T09:00:00+08:00")
    listed = replica.read(petitions.desk_list, now)
    assert [p["receipt_code"] for p in listed] == ["4821937561028374"]
    assert listed[0]["status"] == "registered"
    assert listed[0]["pending"] == 1
    detail = replica.read(petitions.petition_detail, pid, now)
    assert detail is not None
    assert detail["petitioner"] == "[protected]"
    raw = b"".join(p.read_bytes() for p in tmp_path.glob("replica.sqlite3*"))
    for secret in (NAME, PHONE, ID_NUMBER, PASSWORD):
        assert secret.encode() not in raw, f"{secret} in clear in the replica file"
    # ... but what is sent is whole.
    [sent] = replica.pending_mutations()
    assert sent["data"]["petitioner"]["name"] == NAME
    assert sent["data"]["query_password"] == PASSWORD
    # Once the server has it, the outbox forgets even the sealed copy.
    replica.record_results([{"id": sent["id"], "status": "applied", "version": 1}])
    stored = json.loads(replica.read(lambda c: c.execute("SELECT data FROM outbox").fetchone()[0]))
    assert stored["petitioner"] == sealed.FORGOTTEN
    assert stored["query_password"] == sealed.FORGOTTEN


def test_garbage_registrations_are_refused_whole_and_nothing_is_queued(replica: Replica) -> None:
    for bad in (registration(channel="pigeon"), registration(received_at="not a time"),
                registration(content="x" * 200_000), registration(subject="张某"),
                registration(query_password="123"), registration(receipt_code="12ab")):
        pid = str(uuid.uuid4())
        changed, refused = replica.enqueue([pid], "register", bad, entity="petition")
        assert changed == [], bad
        assert len(refused) == 1, bad
        assert refused[0][1].refusal.message_zh
    assert replica.read(petitions.desk_list, parse_instant("2026-03-03T09:00:00+08:00")) == []
    assert replica.pending_mutations() == []


def test_actions_follow_the_shared_rules_and_a_refused_registration_leaves_no_ghost(replica: Replica) -> None:
    pid = str(uuid.uuid4())
    replica.enqueue([pid], "register", registration(), entity="petition")
    _changed, refused = replica.enqueue([pid], "reply", {"text": "已查实"}, entity="petition")
    assert refused
    assert refused[0][1].refusal.code == "PETITION_STATE"
    assert replica.enqueue([pid], "accept", {}, entity="petition")[1] == []
    assert replica.enqueue([pid], "extend", {"days": 20}, entity="petition")[1] == []
    _, refused = replica.enqueue([pid], "extend", {"days": 15}, entity="petition")
    assert refused[0][1].refusal.code == "EXTENSION_LIMIT"
    assert "最多还可延期 10 日" in refused[0][1].refusal.message_zh
    # (The desk's events are stamped with this machine's clock: counted from then on.)
    item = replica.read(petitions.desk_list, parse_instant("2030-01-01T00:00:00+08:00"))[0]
    assert item["status"] == "accepted"
    assert item["extension_days"] == 20
    assert item["pending"] == 3
    # The server refuses the registration: the row stays, marked, while the refusal waits in the
    # outbox; once the person has read and dropped the refusals, no ghost is left.
    sent = replica.pending_mutations()
    replica.record_results([{"id": sent[0]["id"], "status": "rejected",
                             "error": {"code": "INVALID_FIELD", "message": "x", "message_zh": "x"}}]
                           + [{"id": m["id"], "status": "rejected", "error": {"code": "NOT_FOUND"}}
                              for m in sent[1:]])
    [marked] = replica.read(petitions.desk_list, parse_instant("2026-03-03T09:00:00+08:00"))
    assert marked["conflict"]
    assert marked["pending"] == 0
    for m in sent:
        replica.resolve(m["id"], retry=False)
    assert replica.read(petitions.desk_list, parse_instant("2026-03-03T09:00:00+08:00")) == []


def test_the_desk_list_has_the_rules_clocks_overdue_first_and_filters(replica: Replica) -> None:
    late, soon, handled = (str(uuid.UUID(int=i)) for i in (1, 2, 3))
    page = {"changes": [
        {"seq": 1, "entity": "petition", "id": soon, "op": "upsert",
         "data": feed_petition(soon, received="2026-03-01T10:00:00+08:00", receipt_code="1000000000000002")},
        {"seq": 2, "entity": "petition", "id": late, "op": "upsert",
         "data": feed_petition(late, received="2026-02-01T10:00:00+08:00", receipt_code="1000000000000001")},
        {"seq": 3, "entity": "petition", "id": handled, "op": "upsert",
         "data": feed_petition(handled, received="2026-02-10T10:00:00+08:00", status="accepted",
                               events=[{"id": "e1", "type": "accepted", "at": "2026-02-11T10:00:00+08:00",
                                        "days": None, "text": None},
                                       {"id": "e2", "type": "extended", "at": "2026-02-12T10:00:00+08:00",
                                        "days": 10, "text": None}])},
    ], "cursor": "c1", "more": False}
    replica.apply_changes(page)
    now = parse_instant("2026-03-05T09:00:00+08:00")
    listed = replica.read(petitions.desk_list, now)
    assert [p["id"] for p in listed] == [late, soon, handled]
    assert listed[0]["overdue"]
    assert not listed[1]["overdue"]
    # 15 calendar days from the day after receipt (the rules' clock), handling 60 + 10 from acceptance.
    assert listed[1]["accept_due"] == parse_instant("2026-03-17T00:00:00+08:00")
    assert listed[2]["handle_due"] == parse_instant("2026-02-12T00:00:00+08:00") + 70 * DAY
    assert [p["id"] for p in replica.read(petitions.desk_list, now, overdue=True)] == [late]
    assert [p["id"] for p in replica.read(petitions.desk_list, now, statuses=["accepted"])] == [handled]
    assert [p["id"] for p in replica.read(petitions.desk_list, now, text="1000000000000002")] == [soon]
    assert replica.read(petitions.desk_list, now, text="%_\\") == []


def test_the_desk_is_offered_only_what_the_state_rules_allow(replica: Replica) -> None:
    pid = str(uuid.uuid4())
    later = parse_instant("2030-01-01T00:00:00+08:00")

    def offered() -> frozenset[str]:
        detail = replica.read(petitions.petition_detail, pid, later)
        assert detail is not None
        return petitions.possible_actions(detail)

    replica.enqueue([pid], "register", registration(), entity="petition")
    assert offered() == {"accept", "not_accept", "convert"}
    replica.enqueue([pid], "accept", {}, entity="petition")
    replica.enqueue([pid], "extend", {"days": 30}, entity="petition")
    assert offered() == {"assign", "reply", "convert"}, "no extension left"
    replica.enqueue([pid], "reply", {"text": "已核实并答复"}, entity="petition")
    assert "close" in offered()


def test_a_replica_from_before_the_desk_keeps_its_petitions(tmp_path: Path, keyring_file: Path) -> None:
    import sqlite3

    path = tmp_path / "old.sqlite3"
    old = sqlite3.connect(path)
    old.execute("CREATE TABLE petitions (id TEXT PRIMARY KEY, office TEXT, data TEXT, gen INTEGER NOT NULL DEFAULT 0)")
    pid = str(uuid.UUID(int=7))
    old.execute("INSERT INTO petitions VALUES (?, 'T01', ?, 0)",
                (pid, json.dumps(feed_petition(pid, received="2026-03-01T10:00:00+08:00",
                                               receipt_code="1000000000000007"))))
    old.commit()
    old.close()
    replica = Replica(path)
    listed = replica.read(petitions.desk_list, parse_instant("2026-03-05T09:00:00+08:00"), text="1000000000000007")
    assert [p["id"] for p in listed] == [pid]
    assert listed[0]["status"] == "registered"


def test_a_waiting_registration_survives_a_restart_of_the_console(tmp_path: Path, keyring_file: Path) -> None:
    sealed.reset()
    pid = str(uuid.uuid4())
    Replica(tmp_path / "r.sqlite3").enqueue([pid], "register", registration(), entity="petition")
    sealed.reset()  # the console quits; the key stays in the OS keyring
    [sent] = Replica(tmp_path / "r.sqlite3").pending_mutations()
    assert sent["data"]["petitioner"]["phone"] == PHONE
    assert sealed.durable


def test_a_refused_registration_dropped_forgets_its_sealed_identity(replica: Replica) -> None:
    pid = str(uuid.uuid4())
    replica.enqueue([pid], "register", registration(), entity="petition")
    [sent] = replica.pending_mutations()
    replica.record_results([{"id": sent["id"], "status": "rejected",
                             "error": {"code": "INVALID_FIELD", "message": "office", "message_zh": "登记单位不存在"}}])
    replica.resolve(sent["id"], retry=False)
    conn = replica.connect(readonly=True)
    try:
        data = json.loads(conn.execute("SELECT data FROM outbox WHERE id = ?", (sent["id"],)).fetchone()[0])
    finally:
        conn.close()
    assert data["petitioner"] == sealed.FORGOTTEN
    assert data["query_password"] == sealed.FORGOTTEN
