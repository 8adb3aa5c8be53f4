"""The alert life cycle through operators' mutations and the passing of time (spec 02 §4, 03 §2).

Acknowledge → escalate turns a yellow signal red (人机结合); dismissing needs a reason;
roles limit who may move alerts; a mutation based on a stale version is a conflict that
returns both versions and overwrites nothing; replaying a mutation id returns the same
result and changes nothing. As time passes an open alert resolves itself when its
condition clears and reopens (the same alert) when it holds again, while an alert a person
handled keeps its status and only shows ``condition_cleared``.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from shared.timeutil import HOUR, format_instant, parse_instant
from tests.harness import ServerProcess, event
from tests.server.support import (
    assert_error,
    create_user,
    evaluation,
    new_id,
    ok_batch,
    read_feed,
    server_from_template,
    sqlite_connect,
)


@pytest.fixture(scope="module")
def ops(tmp_path_factory: pytest.TempPathFactory, server_template: Path) -> Iterator[dict[str, Any]]:
    server = server_from_template(server_template, tmp_path_factory.mktemp("alerts") / "data")
    server.start()
    try:
        tokens = server.setup_basic(("T01",))
        tokens["operator"] = create_user(server, "operator", username="op-wang")
        tokens["operator2"] = create_user(server, "operator", username="op-li")
        tokens["leader"] = create_user(server, "leader", username="leader-zhao")
        yield {"server": server, "tokens": tokens}
    finally:
        server.stop()


_cases = iter(range(1, 1000))


def poor_rating_alert(ops: dict[str, Any]) -> dict[str, Any]:
    """A fresh yellow POOR_RATING alert on a case of its own."""
    server: ServerProcess = ops["server"]
    no = f"L-{next(_cases)}"
    ok_batch(server, "T01", ops["tokens"]["T01"], [event(no, "received", "2026-02-26T09:00:00+08:00"),
                                                 evaluation(no, "dissatisfied", "2026-02-26T10:00:00+08:00")])
    alerts = server.call("GET", f"/alerts?case_no={no}&rule=POOR_RATING").json()["alerts"]
    assert [(a["severity"], a["status"]) for a in alerts] == [("yellow", "open")]
    return alerts[0]


def mutate(ops: dict[str, Any], who: str, alert: dict[str, Any] | int, action: str, *,
           base_version: int | None = None, data: dict[str, Any] | None = None,
           mid: str | None = None) -> dict[str, Any]:
    m: dict[str, Any] = {"id": mid or new_id(), "entity": "alert",
                         "entity_id": alert if isinstance(alert, int) else alert["id"], "action": action,
                         "data": data or {}}
    if base_version is not None:
        m["base_version"] = base_version
    r = ops["server"].call("POST", "/mutations", {"mutations": [m]}, token=ops["tokens"].get(who, who))
    assert r.status == 200, r.body
    results = r.json()["results"]
    assert len(results) == 1
    return results[0]


def get_alert(ops: dict[str, Any], alert_id: int) -> dict[str, Any]:
    r = ops["server"].call("GET", f"/alerts/{alert_id}")
    assert r.status == 200
    return r.json()


def test_ack_then_escalate_turns_yellow_red_and_is_audited(ops: dict[str, Any]) -> None:
    server: ServerProcess = ops["server"]
    alert = poor_rating_alert(ops)
    _, cursor = read_feed(server)
    ack = mutate(ops, "operator", alert, "ack", base_version=alert["version"])
    assert (ack["status"], ack["version"]) == ("applied", alert["version"] + 1)
    assert (get_alert(ops, alert["id"])["status"], get_alert(ops, alert["id"])["severity"]) == \
        ("acknowledged", "yellow")
    esc = mutate(ops, "operator", alert, "escalate", base_version=ack["version"])
    assert esc["status"] == "applied"
    now = get_alert(ops, alert["id"])
    assert (now["status"], now["severity"]) == ("escalated", "red")
    assert [(h["action"], h["actor"]) for h in now["history"]] == [("ack", "op-wang"), ("escalate", "op-wang")]
    reds = server.call("GET", "/alerts?severity=red&status=escalated").json()["alerts"]
    assert alert["id"] in {a["id"] for a in reds}
    # The wall learns of it through the feed.
    feed = [c for c in read_feed(server, cursor)[0] if c["entity"] == "alert" and c["id"] == str(alert["id"])]
    assert (feed[-1]["data"]["status"], feed[-1]["data"]["severity"]) == ("escalated", "red")
    # Every move is in the audit log, with who did it.
    with sqlite_connect(server) as conn:
        audited = conn.execute("SELECT actor, action FROM audit_log WHERE entity = 'alert' AND entity_id = ? "
                               "ORDER BY seq", (str(alert["id"]),)).fetchall()
    assert audited == [("op-wang", "alert.ack"), ("op-wang", "alert.escalate")]
    # An escalated alert cannot be acknowledged again.
    again = mutate(ops, "operator", alert, "ack")
    assert again["status"] == "rejected"
    assert again["error"]["code"] == "INVALID_TRANSITION"


def test_promote_and_who_may_move_alerts(ops: dict[str, Any]) -> None:
    alert = poor_rating_alert(ops)
    denied = mutate(ops, "leader", alert, "ack")
    assert (denied["status"], denied["error"]["code"]) == ("rejected", "FORBIDDEN")
    note = mutate(ops, "leader", alert, "comment", data={"text": "请核实 (批阅)"})
    assert note["status"] == "applied"
    assert get_alert(ops, alert["id"])["status"] == "open"
    r = ops["server"].call("POST", "/mutations", {"mutations": []}, token=ops["tokens"]["T01"])
    assert_error(r, 403, "FORBIDDEN")
    assert mutate(ops, "operator", alert, "ack")["status"] == "applied"
    assert mutate(ops, "operator", alert, "promote")["status"] == "applied"
    promoted = get_alert(ops, alert["id"])
    assert promoted["status"] == "promoted"
    active = ops["server"].call("GET", "/alerts?active=true&rule=POOR_RATING").json()["alerts"]
    assert alert["id"] in {a["id"] for a in active}


def test_dismiss_needs_a_reason(ops: dict[str, Any]) -> None:
    alert = poor_rating_alert(ops)
    for data, code in (({}, "MISSING_FIELD"), ({"reason": ""}, "INVALID_FIELD"), ({"reason": "   "}, "INVALID_FIELD"),
                       ({"reason": 42}, "INVALID_FIELD")):
        r = mutate(ops, "operator", alert, "dismiss", data=data)
        assert (r["status"], r["error"]["code"], r["error"]["field"]) == ("rejected", code, "reason"), data
        assert r["error"]["message_zh"], "the console shows the refusal in Chinese"
        assert get_alert(ops, alert["id"])["status"] == "open"
    ok = mutate(ops, "operator", alert, "dismiss", data={"reason": "评价人已撤回，经核实为误评"})
    assert ok["status"] == "applied"
    dismissed = get_alert(ops, alert["id"])
    assert (dismissed["status"], dismissed["resolution"]) == ("dismissed", "评价人已撤回，经核实为误评")
    active = ops["server"].call("GET", "/alerts?active=true").json()["alerts"]
    assert alert["id"] not in {a["id"] for a in active}


def test_stale_base_version_is_a_conflict_with_both_versions(ops: dict[str, Any]) -> None:
    alert = poor_rating_alert(ops)
    seen = alert["version"]
    # Two consoles saw the same version; the first acknowledges, the second (offline) dismissed.
    first = mutate(ops, "operator", alert, "ack", base_version=seen)
    assert first["status"] == "applied"
    late = mutate(ops, "operator2", alert, "dismiss", base_version=seen, data={"reason": "重复"})
    assert late["status"] == "conflict"
    assert late["version"] == first["version"]
    assert late["current"]["status"] == "acknowledged"
    assert late["current"]["version"] == first["version"]
    assert late["yours"] == {"action": "dismiss", "data": {"reason": "重复"}, "base_version": seen}
    after = get_alert(ops, alert["id"])
    assert (after["status"], after["version"]) == ("acknowledged", first["version"])
    # A comment changes nothing anyone decided: a stale base is fine.
    assert mutate(ops, "operator2", alert, "comment", base_version=seen, data={"text": "已电话联系"})["status"] == \
        "applied"


def test_replaying_a_mutation_id_returns_the_same_result(ops: dict[str, Any]) -> None:
    server: ServerProcess = ops["server"]
    alert = poor_rating_alert(ops)
    ack_id, stale_id = new_id(), new_id()
    ack = mutate(ops, "operator", alert, "ack", base_version=alert["version"], mid=ack_id)
    stale = mutate(ops, "operator2", alert, "escalate", base_version=alert["version"], mid=stale_id)
    assert (ack["status"], stale["status"]) == ("applied", "conflict")
    assert mutate(ops, "operator", alert, "escalate")["status"] == "applied"
    state = get_alert(ops, alert["id"])
    # Each console replays its queue after a lost connection: same answers, nothing changes.
    sent = {
        "operator": {"id": ack_id, "entity": "alert", "entity_id": alert["id"], "action": "ack",
                     "base_version": alert["version"], "data": {}},
        "operator2": {"id": stale_id, "entity": "alert", "entity_id": alert["id"], "action": "escalate",
                      "base_version": alert["version"], "data": {}},
    }
    for _ in range(2):
        for who, first in (("operator", ack), ("operator2", stale)):
            r = server.call("POST", "/mutations", {"mutations": [sent[who]]}, token=ops["tokens"][who])
            assert r.json()["results"] == [first]
    assert get_alert(ops, alert["id"]) == state


def test_a_mutation_id_reused_for_other_content_or_by_another_user_is_refused(ops: dict[str, Any]) -> None:
    server: ServerProcess = ops["server"]
    alert = poor_rating_alert(ops)
    mid = new_id()
    first = mutate(ops, "operator", alert, "comment", data={"text": "现场核实中"}, mid=mid)
    assert first["status"] == "applied"
    other_content = {"id": mid, "entity": "alert", "entity_id": alert["id"], "action": "comment",
                     "data": {"text": "另一条批注"}}
    same_content = {"id": mid, "entity": "alert", "entity_id": alert["id"], "action": "comment",
                    "data": {"text": "现场核实中"}}
    for who, m in (("operator", other_content), ("operator2", same_content)):
        [r] = server.call("POST", "/mutations", {"mutations": [m]}, token=ops["tokens"][who]).json()["results"]
        assert (r["status"], r["error"]["code"]) == ("rejected", "MUTATION_ID_REUSED"), who
    # The first answer stays the answer, and only one comment was made.
    [again] = server.call("POST", "/mutations", {"mutations": [same_content]},
                          token=ops["tokens"]["operator"]).json()["results"]
    assert again == first
    history = get_alert(ops, alert["id"])["history"]
    assert [h["data"] for h in history if h["action"] == "comment"] == [{"text": "现场核实中"}]


def test_unknown_entities_actions_and_alerts_are_rejected(ops: dict[str, Any]) -> None:
    alert = poor_rating_alert(ops)
    r = ops["server"].call("POST", "/mutations", {"mutations": [
        {"id": new_id(), "entity": "case", "entity_id": 1, "action": "ack"},
        {"id": new_id(), "entity": "alert", "entity_id": alert["id"], "action": "delete"},
        {"id": new_id(), "entity": "alert", "entity_id": 10**9, "action": "ack"},
        {"id": new_id(), "entity": "alert", "entity_id": "abc", "action": "ack"},
        {"id": new_id(), "entity": "alert", "entity_id": alert["id"], "action": "assign", "data": {"assignee": 5}},
        {"id": new_id(), "entity": "alert", "entity_id": alert["id"], "action": "assign",
         "data": {"assignee": "op-li"}},
    ]}, token=ops["tokens"]["operator"])
    assert r.status == 200
    got = [(x["status"], (x["error"] or {}).get("code")) for x in r.json()["results"]]
    assert got == [("rejected", "UNKNOWN_ENTITY"), ("rejected", "UNKNOWN_ACTION"), ("rejected", "NOT_FOUND"),
                   ("rejected", "NOT_FOUND"), ("rejected", "INVALID_FIELD"), ("applied", None)]
    assert get_alert(ops, alert["id"])["assignee"] == "op-li"


def test_alerts_resolve_reopen_and_keep_what_a_person_decided(ops: dict[str, Any]) -> None:
    server: ServerProcess = ops["server"]
    token = ops["tokens"]["T01"]
    now = server.call("GET", "/admin/clock").json()["now"]
    day = now[:10]
    cases = ("LC-OPEN", "LC-ACKED")
    records = []
    for no in cases:
        records += [event(no, "received", f"{day}T07:00:00+08:00", seq=1),
                    event(no, "accepted", f"{day}T07:10:00+08:00", seq=2)]
    ok_batch(server, "T01", token, records)
    due = parse_instant(server.call("GET", f"/approval-cases/T01/{cases[0]}").json()["clocks"]["due"])

    def time_passes(to: str) -> None:
        # The office's clock view (as_of) follows its watermark, which only its own batches move
        # (never ahead of the server's time): a heartbeat right after the clock moves.
        assert server.call("PUT", "/admin/clock", {"now": to}).status == 200
        ok_batch(server, "T01", token, [])

    def overdue(no: str) -> dict[str, Any] | None:
        found = [a for a in server.call("GET", f"/alerts?case_no={no}&rule=OVERDUE").json()["alerts"]
                 if a["subject"]["office"] == "T01"]
        assert len(found) <= 1
        return found[0] if found else None

    assert overdue(cases[0]) is None
    time_passes(format_instant(due + HOUR))
    first = overdue(cases[0])
    acked = overdue(cases[1])
    assert first is not None
    assert acked is not None
    assert (first["status"], first["severity"]) == ("open", "red")
    assert mutate(ops, "operator", acked, "ack")["status"] == "applied"

    # A back-filled suspension moves both deadlines past now: the condition clears.
    susp = []
    for no in cases:
        susp += [event(no, "suspended", f"{day}T08:00:00+08:00", seq=3, reason_code="supplement"),
                 event(no, "resumed", format_instant(parse_instant(f"{day}T08:00:00+08:00") + 72 * HOUR), seq=4)]
    ok_batch(server, "T01", token, susp)
    new_due = parse_instant(server.call("GET", f"/approval-cases/T01/{cases[0]}").json()["clocks"]["due"])
    assert new_due > due + HOUR, "the suspension should have moved the deadline past now"
    resolved = overdue(cases[0])
    kept = overdue(cases[1])
    assert resolved is not None
    assert kept is not None
    assert (resolved["id"], resolved["status"], resolved["condition_cleared"]) == (first["id"], "resolved", False)
    assert (kept["status"], kept["condition_cleared"]) == ("acknowledged", True)

    # Time passes the new deadline: the same alert reopens; the handled one is just no longer cleared.
    time_passes(format_instant(new_due + HOUR))
    reopened = overdue(cases[0])
    still = overdue(cases[1])
    assert reopened is not None
    assert still is not None
    assert (reopened["id"], reopened["status"], reopened["condition_cleared"]) == (first["id"], "open", False)
    assert parse_instant(reopened["raised_at"]) > parse_instant(first["raised_at"])
    assert (still["id"], still["status"], still["condition_cleared"]) == (acked["id"], "acknowledged", False)
    # Exactly one OVERDUE alert per case, whatever happened in between.
    listed = server.call("GET", "/alerts?rule=OVERDUE").json()["alerts"]
    assert sorted(a["subject"]["case_no"] for a in listed if a["subject"]["case_no"] in cases) == sorted(cases)
