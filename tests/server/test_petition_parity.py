"""The console predicts exactly what the server answers for petitions: one table of
(role × state × action and data).

Every desk action, with good, missing, blank, oversized and wrongly typed data, is sent to a
real server by every role, on petitions in every state; the same action is decided by
``shared.actions.plan`` on the petition exactly as ``GET /petitions/{id}`` returns it (what
the console's replica holds). Both must accept or refuse alike, with the same code.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from desktop.replica import local
from desktop.replica import petitions as replica_petitions
from shared.actions import Actor, Conflict, Refusal, plan
from tests.harness import ServerProcess
from tests.server.support import create_user, new_id, server_from_template, upload

#: The desk, the administrator, and one role that may not act (the others are refused alike, before
#: anything else is looked at: tests/shared/test_petition_actions.py).
ROLES = ("admin", "petition_officer", "leader")
STATES: dict[str, list[tuple[str, dict[str, Any]]]] = {
    "registered": [],
    "accepted": [("accept", {})],
    "not_accepted": [("not_accept", {"reason": "不属于受理范围"})],
    "replied": [("accept", {}), ("reply", {"text": "已答复"})],
    "closed": [("accept", {}), ("reply", {"text": "已答复"}), ("close", {})],
    "merged": [("merge", {"into": "{primary}"})],
    "extended_25": [("accept", {}), ("extend", {"days": 25})],
}
VARIANTS: list[tuple[str, dict[str, Any]]] = [
    ("accept", {}),
    ("accept", {"note": "x"}),
    ("not_accept", {"reason": "重复信访"}),
    ("not_accept", {"reason": " "}),
    ("assign", {"unit": "城关镇纪委"}),
    ("assign", {"unit": "纪" * 201}),
    ("extend", {"days": 5}),
    ("extend", {"days": 6}),
    ("extend", {"days": "5"}),
    ("reply", {"text": "经核查，已处理。"}),
    ("reply", {}),
    ("close", {"substantiated": True}),
    ("close", {"substantiated": "yes"}),
    ("merge", {"into": "{primary}"}),
    ("merge", {"into": "{self}"}),
    ("convert", {"title": "信访转立案"}),
    ("attach", {"sha256": "{blob}", "filename": "来信.pdf"}),
    ("attach", {"sha256": "0" * 64, "filename": "来信.pdf"}),
    ("withdraw", {}),
]


class Snapshot:
    """The world as the console holds it: petitions as GET returns them."""

    def __init__(self, petitions: dict[str, dict[str, Any]], blob: str, now: str):
        self.petitions = petitions
        self.blob = blob
        self._now = now

    def now(self) -> str:
        return self._now

    def get(self, entity: str, entity_id: str) -> dict[str, Any] | None:
        return self.petitions.get(entity_id) if entity == "petition" else None

    def user_role(self, username: str) -> str | None:
        return None

    def blob_stored(self, sha256: str) -> bool:
        return sha256 == self.blob

    def office_exists(self, code: str) -> bool:
        return code == "C00"

    def unique_taken(self, entity: str, field: str, value: str) -> bool:
        return False


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory, server_template: Path) -> Iterator[dict[str, Any]]:
    server = server_from_template(server_template, tmp_path_factory.mktemp("petition-parity") / "data",
                                  simulated_clock="2026-04-13T10:00:00+08:00")
    server.start()
    try:
        server.setup_basic(("T01",))
        centre = {"code": "C00", "name": "县电子监察中心", "kind": "centre"}
        assert server.call("POST", "/offices", centre).status == 201
        tokens = {role: create_user(server, role, username=f"{role}-pp") for role in ROLES if role != "admin"}
        tokens["admin"] = server.admin_token
        yield {"server": server, "tokens": tokens}
    finally:
        server.stop()


def send(server: ServerProcess, token: str, mutations: list[dict[str, Any]]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for start in range(0, len(mutations), 500):
        r = server.call("POST", "/mutations", {"mutations": mutations[start : start + 500]}, token=token)
        assert r.status == 200, r.body[:500]
        out += r.json()["results"]
    return out


def fill(data: dict[str, Any], names: dict[str, str]) -> dict[str, Any]:
    return {k: names.get(v[1:-1], v) if isinstance(v, str) and v.startswith("{") else v for k, v in data.items()}


def test_server_and_console_decide_petition_actions_alike(world: dict[str, Any]) -> None:
    server: ServerProcess = world["server"]
    tokens: dict[str, str] = world["tokens"]
    blob = upload(server, tokens["petition_officer"], "来信扫描件".encode())
    primary = new_id()
    table = [(role, state, action, data) for role in ROLES for state in STATES for action, data in VARIANTS]
    ids = [new_id() for _ in table]
    register = {"office": "C00", "channel": "letter", "received_at": "2026-04-13T09:00:00+08:00",
                "petitioner": None, "anonymous": True, "subject": {"name": "赵某", "unit": "城关镇市场监管所"},
                "category": "fees", "content": "反映超标准收费"}
    setup = [{"id": new_id(), "entity": "petition", "entity_id": pid, "action": "register", "data": register}
             for pid in [primary, *ids]]
    for pid, (_role, state, _a, _d) in zip(ids, table, strict=True):
        setup += [{"id": new_id(), "entity": "petition", "entity_id": pid, "action": action,
                   "data": fill(data, {"primary": primary})} for action, data in STATES[state]]
    assert {r["status"] for r in send(server, "admin", setup)} == {"applied"}

    def state_of(pid: str) -> dict[str, Any]:
        r = server.call("GET", f"/petitions/{pid}")
        assert r.status == 200
        return r.json()

    primary_state = state_of(primary)
    now = server.call("GET", "/admin/clock").json()["now"]
    expected: dict[str, str] = {}
    before: dict[str, dict[str, Any]] = {}
    for pid, (role, _state, action, data) in zip(ids, table, strict=True):
        before[pid] = state_of(pid)
        snapshot = Snapshot({pid: before[pid], primary: primary_state}, blob, now)
        outcome = plan("petition", action, entity_id=pid, base_version=None, actor=Actor(f"{role}-pp", role),
                       data=fill(data, {"primary": primary, "self": pid, "blob": blob}), world=snapshot)
        expected[pid] = (outcome.code if isinstance(outcome, Refusal)
                         else "conflict" if isinstance(outcome, Conflict) else "applied")

    got: dict[str, str] = {}
    for role in ROLES:
        mine = [(pid, action, data) for pid, (r, _s, action, data) in zip(ids, table, strict=True) if r == role]
        results = send(server, tokens[role], [
            {"id": new_id(), "entity": "petition", "entity_id": pid, "action": action,
             "data": fill(data, {"primary": primary, "self": pid, "blob": blob})} for pid, action, data in mine])
        for (pid, _action, _data), res in zip(mine, results, strict=True):
            got[pid] = "applied" if res["status"] == "applied" else res["error"]["code"]

    differ = [(role, state, action, str(data)[:30], expected[pid], got[pid])
              for pid, (role, state, action, data) in zip(ids, table, strict=True) if expected[pid] != got[pid]]
    assert not differ, differ
    # The console's replica decides the desk's actions alike, on the petition as its row holds it
    # (the JSON of the change feed); only whether another user's file is stored it cannot know.
    replica: dict[str, str] = {}
    for pid, (role, _state, action, data) in zip(ids, table, strict=True):
        if role != "petition_officer" or (action == "attach" and data["sha256"] != "{blob}"):
            continue
        row = replica_petitions.KIND.state_of(replica_petitions.petition_row(pid, before[pid]))
        try:
            replica_petitions.check(row, action, fill(data, {"primary": primary, "self": pid, "blob": blob}))
            replica[pid] = "applied"
        except local.ActionRefused as exc:
            replica[pid] = exc.refusal.code
    unlike = [(state, action, str(data)[:30], replica[pid], got[pid])
              for pid, (_role, state, action, data) in zip(ids, table, strict=True)
              if pid in replica and replica[pid] != got[pid]]
    assert not unlike, unlike
    assert len(replica) == len(STATES) * (len(VARIANTS) - 1)
    codes = set(got.values())
    assert {"applied", "FORBIDDEN", "PETITION_STATE", "EXTENSION_LIMIT", "EVIDENCE_MISSING", "MISSING_FIELD",
            "INVALID_FIELD", "UNKNOWN_ACTION"} <= codes, codes
