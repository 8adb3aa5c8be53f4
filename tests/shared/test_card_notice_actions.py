"""The card and notice action tables (spec 06 §4–5), as the server and the console both run them
(``NOTICE_REPLY_OVERDUE`` is tested with the other rules, in ``tests/shared/rules``)."""

from __future__ import annotations

from typing import Any

import pytest

from shared.actions import Actor, Conflict, Plan, Refusal, plan

CID = "56cc0377-c576-52ff-a9a4-5496b74eb920"
NID = "151610b0-723f-5cc1-b4e1-67870a12f0a5"
NOW = "2026-04-13T10:00:00+08:00"
PEOPLE = {role: Actor(f"{role}-1", role) for role in
          ("admin", "operator", "leader", "investigator", "petition_officer")}


class World:
    def __init__(self, *entities: tuple[str, dict[str, Any]]):
        self.entities = {(kind, str(e["id"])): e for kind, e in entities}

    def now(self) -> str:
        return NOW

    def get(self, entity: str, entity_id: str) -> dict[str, Any] | None:
        return self.entities.get((entity, entity_id))

    def user_role(self, username: str) -> str | None:
        return None

    def blob_stored(self, sha256: str) -> bool:
        return False

    def office_exists(self, code: str) -> bool:
        return code == "T01"

    def unique_taken(self, entity: str, field: str, value: str) -> bool:
        return False


ALERT = {"id": 7, "subject": {"type": "case", "office": "T01", "case_no": "A-1"}, "status": "open", "version": 1}


def act(entity: str, eid: str, action: str, data: dict[str, Any], role: str, world: World,
        base_version: int | None = None) -> Plan | Refusal | Conflict:
    return plan(entity, action, entity_id=eid, data=data, base_version=base_version, actor=PEOPLE[role],
                world=world)


def issued_card(world: World) -> dict[str, Any]:
    done = act("card", CID, "issue", {"kind": "yellow", "office": "T01", "reason": "超标准收费", "alerts": [7]},
               "operator", world)
    assert isinstance(done, Plan)
    return done.steps[0].after


@pytest.mark.parametrize(("role", "allowed"), [("operator", True), ("admin", True), ("leader", False),
                                               ("investigator", False), ("petition_officer", False)])
def test_who_issues(role: str, allowed: bool) -> None:
    world = World(("alert", ALERT))
    for entity, data in (("card", {"kind": "red", "office": "T01", "reason": "r"}),
                         ("notice", {"office": "T01", "subject": "s"})):
        out = act(entity, CID, "issue", data, role, world)
        assert isinstance(out, Plan) == allowed, (entity, role, out)
        if not allowed:
            assert isinstance(out, Refusal)
            assert out.code == "FORBIDDEN"


def test_a_card_as_issued_revoked_and_annotated() -> None:
    world = World(("alert", ALERT))
    card = issued_card(world)
    assert {k: card[k] for k in ("kind", "office", "staff", "alerts", "status", "issued_at", "version")} == {
        "kind": "yellow", "office": "T01", "staff": None, "alerts": [7], "status": "active", "issued_at": NOW,
        "version": 1}
    world.entities[("card", CID)] = card
    noted = act("card", CID, "annotate", {"text": "阅"}, "leader", world)
    assert isinstance(noted, Plan)
    assert noted.version == 1, "an annotation never conflicts and keeps the version"
    stale = act("card", CID, "revoke", {"reason": "复核"}, "leader", World(("card", card | {"version": 2})),
                base_version=1)
    assert isinstance(stale, Conflict)
    revoked = act("card", CID, "revoke", {"reason": "复核"}, "leader", world)
    assert isinstance(revoked, Plan)
    after = revoked.steps[0].after
    assert (after["status"], after["revoked_by"], after["revoke_reason"], after["version"]) == \
        ("revoked", "leader-1", "复核", 2)
    assert [t["action"] for t in after["timeline"]] == ["issue", "revoke"]
    again = act("card", CID, "revoke", {"reason": "x"}, "admin", World(("card", after)))
    assert isinstance(again, Refusal)
    assert again.code == "STAGE_ORDER"


def test_what_an_issue_checks() -> None:
    world = World(("alert", ALERT), ("alert", {**ALERT, "id": 8, "subject": {"type": "petition", "office": "T01"}}))
    for data, code, where in (
        ({"kind": "red", "office": "T02", "reason": "r"}, "INVALID_FIELD", "office"),
        ({"kind": "red", "office": "T01", "reason": "r", "alerts": [9]}, "INVALID_FIELD", "alerts"),
        # An operator does not see petition alerts: they do not exist for them.
        ({"kind": "red", "office": "T01", "reason": "r", "alerts": [8]}, "INVALID_FIELD", "alerts"),
        ({"kind": "red", "office": "T01", "reason": "r", "alerts": [True]}, "INVALID_FIELD", "alerts.0"),
        ({"kind": "red", "office": "T01"}, "MISSING_FIELD", "reason"),
    ):
        out = act("card", CID, "issue", data, "operator", world)
        assert isinstance(out, Refusal), data
        assert (out.code, out.field) == (code, where), data
    assert isinstance(act("card", CID, "issue", {"kind": "red", "office": "T01", "reason": "r", "alerts": [8]},
                          "admin", world), Plan), "the administrator sees petition alerts"


def test_a_notice_and_its_reply() -> None:
    world = World()
    done = act("notice", NID, "issue", {"office": "T01", "subject": "督办", "body": "请回复"}, "operator", world)
    assert isinstance(done, Plan)
    notice = done.steps[0].after
    assert (notice["reply_days"], notice["status"], notice["reply_due"]) == (5, "awaiting", None), \
        "reply_due is the server's to fill in from its calendar"
    world.entities[("notice", NID)] = notice
    assert isinstance(act("notice", NID, "reply", {"text": "x"}, "leader", world), Refusal)
    replied = act("notice", NID, "reply", {"text": "已整改"}, "operator", world)
    assert isinstance(replied, Plan)
    after = replied.steps[0].after
    assert (after["status"], after["reply"], after["replied_at"], after["version"]) == ("replied", "已整改", NOW, 2)
    again = act("notice", NID, "reply", {"text": "x"}, "operator", World(("notice", after)))
    assert isinstance(again, Refusal)
    assert again.code == "STAGE_ORDER"
    hidden = act("notice", NID, "annotate", {"text": "x"}, "investigator", World(("notice", after)))
    assert isinstance(hidden, Refusal)
    assert hidden.code == "NOT_FOUND", "what a role may not see does not exist for it"

