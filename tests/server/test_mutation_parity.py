"""The console predicts exactly what the server answers: one table of (role × state × data).

Every alert action is sent to a real server by every role, on alerts in every status and of
two kinds of subject (an approval case, and a petition the operator may not see), with good,
missing, blank, oversized and wrongly typed data; and the same action is checked by the
console's offline replica (``desktop.replica.local``) on the alert as the server holds it.
Both must accept or refuse alike, with the same code: an action the console shows as done
must not come back refused, and one it refuses must be one the server would refuse.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from desktop.replica import local
from shared.actions import Actor
from tests.harness import ServerProcess, event
from tests.server.support import create_user, evaluation, new_id, ok_batch, petition, server_from_template

ROLES = ("admin", "operator", "leader", "investigator", "petition_officer")
STATES: dict[str, list[tuple[str, dict[str, Any]]]] = {
    "open": [],
    "acknowledged": [("ack", {})],
    "escalated": [("escalate", {})],
    "dismissed": [("dismiss", {"reason": "经核实为误报"})],
    "promoted": [("promote", {})],
}
VARIANTS: list[tuple[str, dict[str, Any]]] = [
    ("ack", {}),
    ("escalate", {}),
    ("dismiss", {"reason": "经核实为误报"}),
    ("dismiss", {}),
    ("dismiss", {"reason": "   "}),
    ("promote", {}),
    ("assign", {"assignee": "operator-p"}),
    ("assign", {"assignee": "nobody-here"}),
    ("assign", {"assignee": None}),
    ("assign", {"assignee": 5}),
    ("comment", {"text": "甲" * 10_000}),
    ("comment", {"text": "甲" * 10_001}),
    ("comment", {"text": " "}),
    ("comment", {"text": "现场核实", "extra": 1}),
    ("annotate", {"text": "阅，请督促整改"}),
    ("delete", {}),
]
PETITION_VARIANTS = [("ack", {}), ("dismiss", {"reason": "重复信访已合并"}), ("comment", {"text": "跟进"}),
                     ("annotate", {"text": "阅"})]


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory, server_template: Path) -> Iterator[dict[str, Any]]:
    server = server_from_template(server_template, tmp_path_factory.mktemp("parity") / "data")
    server.start()
    try:
        tokens = server.setup_basic(("T01",))
        users = {role: f"{role}-p" for role in ROLES if role != "admin"}
        for role, name in users.items():
            tokens[role] = create_user(server, role, username=name)
        tokens["admin"] = "admin"
        users["admin"] = "admin"
        yield {"server": server, "tokens": tokens, "users": users}
    finally:
        server.stop()


def _case_alerts(server: ServerProcess, token: str, n: int) -> list[dict[str, Any]]:
    """``n`` fresh yellow POOR_RATING alerts, each on a case of its own."""
    tag = new_id()[:8]
    records: list[dict[str, Any]] = []
    for i in range(n):
        no = f"P-{tag}-{i}"
        records += [event(no, "received", "2026-02-26T09:00:00+08:00"),
                    evaluation(no, "dissatisfied", "2026-02-26T10:00:00+08:00")]
    ok_batch(server, "T01", token, records)
    alerts = [a for a in server.call("GET", "/alerts?rule=POOR_RATING&limit=5000").json()["alerts"]
              if a["subject"]["case_no"].startswith(f"P-{tag}-")]
    assert len(alerts) == n
    return sorted(alerts, key=lambda a: a["id"])


def _petition_alerts(server: ServerProcess, token: str, n: int) -> list[dict[str, Any]]:
    """``n`` PETITION_DUPLICATE alerts (the same petitioner about the same person, twice)."""
    records = []
    for i in range(n):
        person = {"name": f"申某{i}", "id_number": f"35052119700315{i:04d}"}
        for day in ("20", "21"):
            records.append(petition(receipt_code=f"{random.randrange(10**15, 10**16)}", name=person["name"],
                                    id_number=person["id_number"], subject=f"对象{i}",
                                    received_at=f"2026-02-{day}T09:00:00+08:00"))
    assert ok_batch(server, "T01", token, records)["imported"] == len(records)
    alerts = server.call("GET", "/alerts?rule=PETITION_DUPLICATE&limit=5000").json()["alerts"]
    assert len(alerts) >= n
    return alerts[-n:]


def _send(server: ServerProcess, token: str, mutations: list[dict[str, Any]]) -> list[dict[str, Any]]:
    r = server.call("POST", "/mutations", {"mutations": mutations}, token=token)
    assert r.status == 200, r.body[:500]
    return r.json()["results"]


def _verdict_local(alert: dict[str, Any], action: str, data: dict[str, Any], actor: Actor,
                   directory: dict[str, str]) -> str:
    try:
        local.check(alert, action, data, actor=actor, world=local.ReplicaWorld(users=directory))
    except local.ActionRefused as exc:
        return exc.refusal.code
    return "applied"


def test_server_and_replica_accept_and_refuse_alike(world: dict[str, Any]) -> None:
    server: ServerProcess = world["server"]
    tokens, users = world["tokens"], world["users"]
    # The replica knows the server's people (the console fetches them): assignees are checked alike.
    directory = {name: role for role, name in users.items() if role != "admin"}
    table = [(role, state, action, data) for role in ROLES for state in STATES for action, data in VARIANTS]
    alerts = _case_alerts(server, tokens["T01"], len(table))
    petition_table = [(role, action, data) for role in ROLES for action, data in PETITION_VARIANTS]
    pet_alerts = _petition_alerts(server, tokens["T01"], len(petition_table))

    # Put each case alert into its starting state (as the administrator).
    setup = [{"id": new_id(), "entity": "alert", "entity_id": alert["id"], "action": action, "data": data}
             for (_role, state, _a, _d), alert in zip(table, alerts, strict=True)
             for action, data in STATES[state]]
    assert {r["status"] for r in _send(server, "admin", setup)} == {"applied"}

    rows = [(role, action, data, alert["id"]) for (role, _s, action, data), alert in zip(table, alerts, strict=True)]
    rows += [(role, action, data, alert["id"])
             for (role, action, data), alert in zip(petition_table, pet_alerts, strict=True)]
    expected: dict[int, str] = {}
    for role, action, data, alert_id in rows:
        alert = server.call("GET", f"/alerts/{alert_id}").json()
        alert.pop("history")
        expected[alert_id] = _verdict_local(alert, action, data, Actor(users[role], role), directory)

    got: dict[int, str] = {}
    for role in ROLES:
        mine = [(action, data, alert_id) for r, action, data, alert_id in rows if r == role]
        results = _send(server, tokens[role], [
            {"id": new_id(), "entity": "alert", "entity_id": alert_id, "action": action, "data": data}
            for action, data, alert_id in mine])
        for (_action, _data, alert_id), res in zip(mine, results, strict=True):
            got[alert_id] = "applied" if res["status"] == "applied" else res["error"]["code"]

    differ = [(role, action, str(data)[:40], expected[a], got[a]) for role, action, data, a in rows
              if expected[a] != got[a]]
    assert not differ, differ
    # The table exercises what it claims to: acceptances, and every kind of refusal.
    codes = set(got.values())
    assert {"applied", "FORBIDDEN", "NOT_FOUND", "INVALID_TRANSITION", "MISSING_FIELD", "INVALID_FIELD",
            "UNKNOWN_ACTION"} <= codes, codes


def test_an_operator_cannot_act_on_a_petition_alert_it_cannot_read(world: dict[str, Any]) -> None:
    """Issue 11 break 2: visibility of a mutation is the read's, answered NOT_FOUND."""
    server: ServerProcess = world["server"]
    [alert] = _petition_alerts(server, world["tokens"]["T01"], 1)
    assert server.call("GET", f"/alerts/{alert['id']}", token=world["tokens"]["operator"]).status == 404
    [res] = _send(server, world["tokens"]["operator"], [
        {"id": new_id(), "entity": "alert", "entity_id": alert["id"], "action": "dismiss",
         "data": {"reason": "walked the ids"}}])
    assert (res["status"], res["error"]["code"], res["version"]) == ("rejected", "NOT_FOUND", None)
    after = server.call("GET", f"/alerts/{alert['id']}", token=world["tokens"]["petition_officer"]).json()
    assert (after["status"], after["history"]) == ("open", [])
