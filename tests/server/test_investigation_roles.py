"""Every investigation action by every role answers as spec 06 §2 says, and so do the reads
and the change feed: admin, the operator who opened the case and another operator, the
assigned investigator, an investigator not assigned, a requested reviewer, a leader, a
petition officer and an office token.

What a person may not see does not exist for them (NOT_FOUND, never FORBIDDEN); what they
may see but not do is FORBIDDEN; an unassigned investigator's feed never mentions the case.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.harness import ServerProcess, event
from tests.server.support import (
    HOSTILE_TEXTS,
    create_user,
    evaluation,
    mutate,
    new_id,
    ok_batch,
    read_feed,
    server_from_template,
    upload,
)

#: actor -> (role, user name)
PEOPLE = {
    "admin": ("admin", "admin"),
    "creator": ("operator", "op-creator"),
    "operator": ("operator", "op-other"),
    "assigned": ("investigator", "li-inv"),
    "unassigned": ("investigator", "zhao-inv"),
    "reviewer": ("investigator", "wang-rev"),
    "leader": ("leader", "chen-lead"),
    "petition_officer": ("petition_officer", "xf-po"),
}
HIDDEN = {"operator": "NOT_FOUND", "unassigned": "NOT_FOUND", "petition_officer": "NOT_FOUND"}

#: action, data, and who may (everyone else who sees the case: FORBIDDEN). The case is at
#: preliminary_check, opened by "creator", assigned to "assigned", "reviewer" asked to review.
TABLE: list[tuple[str, dict[str, Any], set[str]]] = [
    ("transition", {"to": "concluded", "reason": "反映问题不属实"}, {"admin", "assigned"}),
    ("approve_filing", {"text": "同意立案"}, {"admin", "leader"}),
    ("attach", {"sha256": "<blob>", "filename": "初核报告.pdf", "kind": "preliminary_report"}, {"admin", "assigned"}),
    ("note", {"text": "已约谈"}, {"admin", "assigned", "reviewer", "leader"}),
    ("assign", {"investigators": ["li-inv", "sun-inv"]}, {"admin", "leader"}),
    ("request_review", {"reviewers": ["sun-inv"]}, {"admin", "assigned", "leader"}),
    ("opinion", {"opinion": "disagree", "text": "证据不足"}, {"reviewer"}),
    ("annotate", {"text": "阅"}, {"admin", "leader"}),
]
CREATORS = {"admin", "creator", "operator", "assigned", "unassigned", "reviewer", "petition_officer"}


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory, server_template: Path) -> Iterator[dict[str, Any]]:
    server = server_from_template(server_template, tmp_path_factory.mktemp("inv-roles") / "data")
    server.start()
    try:
        tokens: dict[str, str] = {"admin": "admin"}
        tokens.update(server.setup_basic(("T01",)))
        for actor, (role, name) in PEOPLE.items():
            if actor != "admin":
                tokens[actor] = create_user(server, role, username=name)
        tokens["sun"] = create_user(server, "investigator", username="sun-inv")
        blob = upload(server, "admin", "初核报告 — 角色测试".encode() * 50)
        yield {"server": server, "tokens": tokens, "blob": blob}
    finally:
        server.stop()


def _case(w: dict[str, Any], *, source: dict[str, Any] | None = None, stage: str = "preliminary_check") -> str:
    """A case opened by "creator", assigned to "assigned", "reviewer" asked, at ``stage``."""
    server, tokens = w["server"], w["tokens"]
    cid = new_id()
    data: dict[str, Any] = {"title": "某镇超标准收费", "subject": {"name": "赵某", "unit": "城关镇市场监管所"},
                            "investigators": ["li-inv"]}
    if source:
        data["source"] = source
    assert mutate(server, tokens["creator"], "investigation", cid, "create", data)["status"] == "applied"
    if stage != "acceptance":
        assert mutate(server, "admin", "investigation", cid, "transition", {"to": stage})["status"] == "applied"
    assert mutate(server, "admin", "investigation", cid, "request_review",
                  {"reviewers": ["wang-rev"]})["status"] == "applied"
    return cid


def _expected(actor: str, allowed: set[str]) -> str:
    if actor in HIDDEN:
        return HIDDEN[actor]
    return "applied" if actor in allowed else "FORBIDDEN"


def _verdict(res: dict[str, Any]) -> str:
    return "applied" if res["status"] == "applied" else str(res["error"]["code"])


def test_every_action_by_every_role(world: dict[str, Any]) -> None:
    server, tokens = world["server"], world["tokens"]
    differ = []
    for action, data, allowed in TABLE:
        data = {k: (world["blob"] if v == "<blob>" else v) for k, v in data.items()}
        for actor in PEOPLE:
            cid = _case(world)
            before = server.call("GET", f"/investigations/{cid}").json()
            res = mutate(server, tokens[actor], "investigation", cid, action, data)
            want = _expected(actor, allowed)
            if _verdict(res) != want:
                differ.append((action, actor, want, _verdict(res), res.get("error")))
                continue
            after = server.call("GET", f"/investigations/{cid}").json()
            if want == "applied":
                assert after["timeline"][-1]["action"] == action
                assert after["timeline"][-1]["actor"] == PEOPLE[actor][1]
                bumps = action in ("transition", "approve_filing", "assign")
                assert res["version"] == after["version"] == before["version"] + bumps, (action, actor)
            else:
                assert after == before, f"a refused {action} by {actor} changed the case"
                # A refusal never tells someone who may not see the case its version.
                assert res["version"] == (None if want == "NOT_FOUND" else before["version"])
    assert not differ, differ


def test_who_may_open_a_case(world: dict[str, Any]) -> None:
    server, tokens = world["server"], world["tokens"]
    for actor in PEOPLE:
        cid = new_id()
        res = mutate(server, tokens[actor], "investigation", cid, "create",
                     {"title": "手工立案", "subject": {"name": "钱某"}})
        want = "applied" if actor in CREATORS else "FORBIDDEN"
        assert _verdict(res) == want, (actor, res)
        if want == "applied":
            # The one who opened it sees it; an investigator who opens a case is on it.
            case = server.call("GET", f"/investigations/{cid}", token=tokens[actor]).json()
            assert case["created_by"] == PEOPLE[actor][1]
            if PEOPLE[actor][0] == "investigator":
                assert case["investigators"] == [PEOPLE[actor][1]]
    office = server.call("POST", "/mutations", {"mutations": [
        {"id": new_id(), "entity": "investigation", "entity_id": new_id(), "action": "create",
         "data": {"title": "x", "subject": {"name": "y"}}}]}, token=tokens["T01"])
    assert office.status == 403


def test_reads_follow_the_same_rule(world: dict[str, Any]) -> None:
    server, tokens = world["server"], world["tokens"]
    cid = _case(world)
    sees = {"admin", "creator", "assigned", "reviewer", "leader"}
    for actor in PEOPLE:
        r = server.call("GET", f"/investigations/{cid}", token=tokens[actor])
        assert r.status == (200 if actor in sees else 404), (actor, r.status)
        if r.status == 404:
            assert r.json()["error"]["code"] == "NOT_FOUND"
        listed = _list_ids(server, tokens[actor])
        assert (cid in listed) == (actor in sees), actor
    assert server.call("GET", f"/investigations/{cid}", token=tokens["T01"]).status == 404
    assert server.call("GET", "/investigations", token=tokens["T01"]).status == 403
    # An unknown id and a hidden one answer alike.
    hidden = server.call("GET", f"/investigations/{cid}", token=tokens["unassigned"])
    unknown = server.call("GET", f"/investigations/{new_id()}", token=tokens["unassigned"])
    assert (hidden.status, hidden.json()) == (unknown.status, unknown.json())
    assert server.call("GET", "/investigations/not-a-uuid").status == 404


def _list_ids(server: ServerProcess, token: str, query: str = "") -> list[str]:
    out: list[str] = []
    cursor = None
    while True:
        sep = "&" if query else ""
        r = server.call("GET", f"/investigations?{query}{sep}limit=1000" + (f"&cursor={cursor}" if cursor else ""),
                        token=token)
        assert r.status == 200, r.body[:300]
        body = r.json()
        out += [c["id"] for c in body["investigations"]]
        cursor = body["next"]
        if not cursor:
            return out


def test_list_filters_and_pages(world: dict[str, Any]) -> None:
    server, tokens = world["server"], world["tokens"]
    ids = [_case(world, stage="acceptance") for _ in range(3)]
    mine = _list_ids(server, tokens["assigned"], "assigned=me")
    assert set(ids) <= set(mine)
    assert not set(ids) & set(_list_ids(server, tokens["reviewer"], "assigned=me")), "a reviewer is not assigned"
    at_acceptance = _list_ids(server, "admin", "stage=acceptance&status=open")
    assert set(ids) <= set(at_acceptance)
    for cid in _list_ids(server, "admin", "stage=acceptance"):
        assert server.call("GET", f"/investigations/{cid}").json()["stage"] == "acceptance"
    # Pages of one, newest first, end to end without repeats.
    seen, cursor = [], None
    while True:
        r = server.call("GET", "/investigations?stage=acceptance&limit=1" + (f"&cursor={cursor}" if cursor else ""))
        body = r.json()
        seen += [c["id"] for c in body["investigations"]]
        cursor = body["next"]
        if not cursor:
            break
    assert seen == at_acceptance
    assert len(set(seen)) == len(seen)
    assert seen.index(ids[2]) < seen.index(ids[0]), "newest first"
    assert server.call("GET", "/investigations?cursor=abc").status == 400
    assert server.call("GET", "/investigations?assigned=you").status == 400


def _alert(w: dict[str, Any]) -> dict[str, Any]:
    """A fresh POOR_RATING alert on a case of its own."""
    server = w["server"]
    no = f"INV-{new_id()[:8]}"
    ok_batch(server, "T01", w["tokens"]["T01"], [event(no, "received", "2026-02-26T09:00:00+08:00"),
                                                 evaluation(no, "dissatisfied", "2026-02-26T10:00:00+08:00")])
    [alert] = [a for a in server.call("GET", "/alerts?rule=POOR_RATING&limit=5000").json()["alerts"]
               if a["subject"].get("case_no") == no]
    return alert


def test_promote_and_create_from_an_alert_are_one_operation(world: dict[str, Any]) -> None:
    server, tokens = world["server"], world["tokens"]
    # Promoting from the wall opens the case.
    alert = _alert(world)
    res = mutate(server, tokens["creator"], "alert", alert["id"], "promote", {}, base_version=alert["version"])
    assert res["status"] == "applied"
    promoted = server.call("GET", f"/alerts/{alert['id']}").json()
    assert (promoted["status"], promoted["version"]) == ("promoted", alert["version"] + 1), "one bump, not two"
    case = server.call("GET", f"/investigations/{res['investigation_id']}", token=tokens["creator"]).json()
    assert case["links"] == [{"type": "alert", "id": alert["id"]}]
    assert promoted["links"] == [{"type": "investigation", "id": case["id"]}]
    assert (case["stage"], case["version"], case["created_by"]) == ("acceptance", 1, "op-creator")
    # Opening a case with the alert as its source promotes the alert.
    alert = _alert(world)
    cid = _case(world, source={"type": "alert", "id": alert["id"]}, stage="acceptance")
    linked = server.call("GET", f"/alerts/{alert['id']}").json()
    assert (linked["status"], linked["version"]) == ("promoted", alert["version"] + 1)
    assert linked["links"] == [{"type": "investigation", "id": cid}]
    assert [h["action"] for h in linked["history"]] == ["link"]
    # A source the caller may not see, or that does not exist, is refused and changes nothing.
    for src in ({"type": "alert", "id": 10**12}, {"type": "alert", "id": "x"}):
        res = mutate(server, tokens["creator"], "investigation", new_id(), "create",
                     {"title": "t", "subject": {"name": "n"}, "source": src})
        assert (res["status"], res["error"]["code"]) == ("rejected", "INVALID_FIELD")
    other = _alert(world)
    res = mutate(server, tokens["assigned"], "investigation", new_id(), "create",
                 {"title": "t", "subject": {"name": "n"}, "source": {"type": "alert", "id": other["id"]}})
    assert res["error"]["code"] == "INVALID_FIELD", "an investigator cannot open a case from an alert it cannot see"
    assert server.call("GET", f"/alerts/{other['id']}").json()["status"] == "open"
    # A petition source links both ways: the case names it, the petition lists the case.
    pid, cid = new_id(), new_id()
    registered = mutate(server, tokens["petition_officer"], "petition", pid, "register", {
        "office": "T01", "channel": "letter", "received_at": "2026-03-01T09:00:00+08:00", "petitioner": None,
        "anonymous": True, "subject": {"name": "张某"}, "category": "other", "content": "反映张某问题"})
    assert registered["status"] == "applied", registered
    res = mutate(server, tokens["petition_officer"], "investigation", cid, "create",
                 {"title": "信访转立案", "subject": {"name": "张某"}, "source": {"type": "petition", "id": pid}})
    assert res["status"] == "applied", res
    petition = server.call("GET", f"/petitions/{pid}", token=tokens["petition_officer"]).json()
    assert petition["investigations"] == [cid]
    res = mutate(server, tokens["petition_officer"], "investigation", new_id(), "create",
                 {"title": "t", "subject": {"name": "n"}, "source": {"type": "petition", "id": new_id()}})
    assert (res["status"], res["error"]["code"]) == ("rejected", "INVALID_FIELD"), "no such petition"


def test_an_investigator_reads_only_the_alerts_of_their_cases(world: dict[str, Any]) -> None:
    server, tokens = world["server"], world["tokens"]
    linked, unlinked = _alert(world), _alert(world)
    _case(world, source={"type": "alert", "id": linked["id"]})
    mine = [a["id"] for a in server.call("GET", "/alerts?limit=5000", token=tokens["assigned"]).json()["alerts"]]
    assert linked["id"] in mine
    assert unlinked["id"] not in mine
    assert server.call("GET", f"/alerts/{linked['id']}", token=tokens["assigned"]).status == 200
    assert server.call("GET", f"/alerts/{linked['id']}", token=tokens["reviewer"]).status == 200
    assert server.call("GET", f"/alerts/{unlinked['id']}", token=tokens["assigned"]).status == 404
    assert server.call("GET", f"/alerts/{linked['id']}", token=tokens["unassigned"]).status == 404
    assert linked["id"] not in [a["id"] for a in server.call(
        "GET", "/alerts?limit=5000", token=tokens["unassigned"]).json()["alerts"]]
    # Acting on it: the investigator may see it, but alert actions are the operators'.
    res = mutate(server, tokens["assigned"], "alert", linked["id"], "ack")
    assert res["error"]["code"] == "FORBIDDEN"
    res = mutate(server, tokens["unassigned"], "alert", unlinked["id"], "ack")
    assert res["error"]["code"] == "NOT_FOUND"


def _mentions(changes: list[dict[str, Any]], cid: str) -> bool:
    import json

    return any(cid in json.dumps(c, ensure_ascii=False) for c in changes)


def test_the_change_feed_per_caller(world: dict[str, Any]) -> None:
    server, tokens = world["server"], world["tokens"]
    heads = {actor: read_feed(server, token=tokens[actor])[1] for actor in PEOPLE}
    alert = _alert(world)
    cid = _case(world, source={"type": "alert", "id": alert["id"]})
    assert mutate(server, tokens["assigned"], "investigation", cid, "attach",
                  {"sha256": world["blob"], "filename": "初核报告.pdf", "kind": "preliminary_report"}
                  )["status"] == "applied"
    assert mutate(server, tokens["assigned"], "investigation", cid, "note", {"text": "走访"})["status"] == "applied"
    sees = {"admin", "creator", "assigned", "reviewer", "leader"}
    feeds = {actor: read_feed(server, heads[actor], token=tokens[actor])[0] for actor in PEOPLE}
    for actor, changes in feeds.items():
        got_case = any(c["entity"] == "investigation" and c["id"] == cid for c in changes)
        assert got_case == (actor in sees), actor
    # Operators watch the wall: the promoted alert names its case (both sides link), which
    # they still cannot open. Nobody else who may not see the case reads a word of it.
    for actor in ("unassigned", "petition_officer"):
        assert not _mentions(feeds[actor], cid), actor
    # The investigator's laptop gets the case with its evidence metadata, and the linked alert.
    mine = [c for c in feeds["assigned"] if c["entity"] == "investigation" and c["id"] == cid]
    assert mine[-1]["data"]["evidence"][0]["sha256"] == world["blob"]
    assert mine[-1]["data"]["evidence"][0]["size"] > 0
    assert any(c["entity"] == "alert" and c["id"] == str(alert["id"]) for c in feeds["assigned"])
    assert not any(c["entity"] == "alert" and c["id"] == str(alert["id"]) for c in feeds["unassigned"])
    # Newly assigned: the case and its linked alert reach them; the feed still never shows the
    # case to an investigator who is not on it.
    head = read_feed(server, token=tokens["unassigned"])[1]
    heads = {actor: read_feed(server, token=tokens[actor])[1] for actor in PEOPLE}
    case = server.call("GET", f"/investigations/{cid}").json()
    assert mutate(server, tokens["leader"], "investigation", cid, "assign", {"investigators": ["zhao-inv"]},
                  base_version=case["version"])["status"] == "applied"
    got = read_feed(server, head, token=tokens["unassigned"])[0]
    assert any(c["entity"] == "investigation" and c["id"] == cid for c in got)
    assert any(c["entity"] == "alert" and c["id"] == str(alert["id"]) for c in got)
    # Assignment replaces: the investigator taken off the case no longer sees it, and their
    # laptop is told to drop it and the alert it linked (a delete with no data, for them alone).
    assert server.call("GET", f"/investigations/{cid}", token=tokens["assigned"]).status == 404, "unassigned now"
    after = {actor: read_feed(server, heads[actor], token=tokens[actor])[0] for actor in PEOPLE}
    dropped = {(c["entity"], c["id"]) for c in after["assigned"] if c["op"] == "delete"}
    assert dropped == {("investigation", cid), ("alert", str(alert["id"]))}
    assert all(c["data"] is None for c in after["assigned"] if c["op"] == "delete")
    for actor in set(PEOPLE) - {"assigned"}:
        assert not [c for c in after[actor] if c["op"] == "delete"], actor
    # Everyone who still may read the case still receives it.
    for actor in ("admin", "leader", "unassigned"):
        assert any(c["entity"] == "investigation" and c["id"] == cid and c["op"] == "upsert"
                   for c in after[actor]), actor


def test_an_investigation_leaves_an_audit_trail(world: dict[str, Any]) -> None:
    server = world["server"]
    cid = _case(world)
    import sqlite3

    db = sqlite3.connect(server.data_dir / "yingyan.db")
    try:
        actions = [r[0] for r in db.execute("SELECT action FROM audit_log WHERE entity = 'investigation' "
                                            "AND entity_id = ? ORDER BY seq", (cid,))]
    finally:
        db.close()
    assert actions == ["investigation.create", "investigation.transition", "investigation.request_review"]


def test_hostile_text_is_kept_verbatim(world: dict[str, Any]) -> None:
    server = world["server"]
    for text in HOSTILE_TEXTS:
        cid = new_id()
        res = mutate(server, "admin", "investigation", cid, "create",
                     {"title": text, "subject": {"name": text, "unit": text, "title": text}})
        assert res["status"] == "applied", (text, res)
        assert mutate(server, "admin", "investigation", cid, "note", {"text": text})["status"] == "applied"
        case = server.call("GET", f"/investigations/{cid}").json()
        assert case["title"] == text
        assert case["subject"] == {"name": text, "unit": text, "title": text}
        assert case["timeline"][-1]["data"] == {"text": text}
    # Wrong types and oversized values are refused by name, never echoed.
    for data, field in (({"title": 5, "subject": {"name": "x"}}, "title"),
                        ({"title": "x" * 201, "subject": {"name": "x"}}, "title"),
                        ({"title": "x", "subject": "张某"}, "subject"),
                        ({"title": "x", "subject": {"name": "x", "age": 3}}, "subject.age"),
                        ({"title": "x", "subject": {"name": "x"}, "investigators": "li-inv"}, "investigators"),
                        ({"title": "x", "subject": {"name": "x"}, "source": {"type": "case", "id": 1}}, "source.type")):
        res = mutate(server, "admin", "investigation", new_id(), "create", data)
        assert res["status"] == "rejected", data
        assert res["error"]["field"] == field, (data, res["error"])
        assert "x" * 201 not in str(res)
