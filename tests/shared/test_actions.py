"""The shared action table: the order of checks, conflicts, follow-ups, and what is never echoed."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated, Any, ClassVar

import pytest
from pydantic import Field, StrictStr

from shared import actions
from shared.actions import Actor, Conflict, Plan, Refusal, plan
from shared.actions.base import ActionData, ActionSpec, Applied, EntityKind, FollowUp, redacted, roles, uuid_id


class World:
    """A world of dicts, as a replica or a test holds it."""

    def __init__(self, **entities: dict[str, Any]):
        self.entities = {(e.split(":")[0], e.split(":")[1]): s for e, s in entities.items()}

    def now(self) -> str:
        return "2026-03-02T09:00:00+08:00"

    def get(self, entity: str, entity_id: str) -> dict[str, Any] | None:
        return self.entities.get((entity, entity_id))

    def user_role(self, username: str) -> str | None:
        return {"li": "investigator"}.get(username)

    def blob_stored(self, sha256: str) -> bool:
        return False

    def office_exists(self, code: str) -> bool:
        return code == "T01"

    def unique_taken(self, entity: str, field: str, value: str) -> bool:
        return False


def alert(status: str = "open", subject: str = "case", version: int = 3, **extra: Any) -> dict[str, Any]:
    return {"id": 7, "rule": "OVERDUE", "severity": "yellow", "status": status, "version": version,
            "subject": {"type": subject, "office": "T01", "case_no": "C-1"}, **extra}


OPERATOR = Actor("op", "operator")
LEADER = Actor("boss", "leader")


def run(action: str, state: dict[str, Any] | None, data: dict[str, Any] | None = None, *, actor: Actor = OPERATOR,
        base_version: int | None = None) -> actions.Outcome:
    world = World(**({"alert:7": state} if state else {}))
    return plan("alert", action, entity_id=7, data=data, base_version=base_version, actor=actor, world=world)


def code(outcome: actions.Outcome) -> str:
    if isinstance(outcome, Refusal):
        return outcome.code
    return "conflict" if isinstance(outcome, Conflict) else "applied"


def test_checks_run_in_the_spec_order() -> None:
    # What the caller may not see does not exist for them, whatever else is wrong.
    assert code(run("dismiss", alert(subject="petition"), {}, base_version=1)) == "NOT_FOUND"
    # A role that may not act is told so before its stale version is looked at.
    assert code(run("ack", alert(), actor=LEADER, base_version=1)) == "FORBIDDEN"
    # A stale version is a conflict even when the data is also wrong.
    assert code(run("dismiss", alert(), {}, base_version=1)) == "conflict"
    # Fields before state: a dismissal without a reason of an alert already dismissed.
    assert code(run("dismiss", alert("dismissed"), {})) == "MISSING_FIELD"
    assert code(run("ack", alert("dismissed"))) == "INVALID_TRANSITION"
    assert code(run("ack", alert(), base_version=3)) == "applied"
    assert code(run("ack", alert(), base_version=4)) == "applied", "a newer base is not a conflict"


def test_unknown_entity_action_and_id() -> None:
    world = World()
    assert code(plan("case", "ack", entity_id=1, data={}, base_version=None, actor=OPERATOR,
                     world=world)) == "UNKNOWN_ENTITY"
    assert code(run("delete", alert())) == "UNKNOWN_ACTION"
    assert code(run("link", alert(), {"investigation": "x"})) == "UNKNOWN_ACTION", "internal actions are not sent"
    for bad in ("abc", -1, 2**64, None, 1.5, True):
        assert code(plan("alert", "ack", entity_id=bad, data={}, base_version=None, actor=OPERATOR,
                         world=World(**{"alert:7": alert()}))) == "NOT_FOUND", bad


def test_versions_move_only_for_actions_that_conflict() -> None:
    acked = run("ack", alert(version=3))
    assert isinstance(acked, Plan)
    assert acked.version == 4
    commented = run("comment", alert(version=3), {"text": "核实中"}, base_version=1)
    assert isinstance(commented, Plan)
    assert commented.version == 3, "a comment never conflicts"
    annotated = run("annotate", alert(version=3), {"text": "阅"}, actor=LEADER)
    assert isinstance(annotated, Plan)
    assert annotated.version == 3


def test_escalation_hardens_yellow_to_red_and_dismissal_keeps_the_reason() -> None:
    escalated = run("escalate", alert())
    assert isinstance(escalated, Plan)
    assert (escalated.steps[0].after["status"], escalated.steps[0].after["severity"]) == ("escalated", "red")
    dismissed = run("dismiss", alert(), {"reason": " 误报 "})
    assert isinstance(dismissed, Plan)
    assert dismissed.steps[0].after["resolution"] == "误报"


def test_refusals_are_said_in_chinese_too() -> None:
    for outcome in (run("ack", alert("dismissed")), run("ack", alert(), actor=LEADER), run("dismiss", alert(), {})):
        assert isinstance(outcome, Refusal)
        assert outcome.message
        assert outcome.message_zh
        assert outcome.message_zh != outcome.message


# --- a toy entity, to test follow-ups, creates and secrets without a real domain -------------------


class PinData(ActionData):
    secret_fields: ClassVar[frozenset[str]] = frozenset({"password"})
    title: Annotated[StrictStr, Field(min_length=1, max_length=20)]
    password: Annotated[StrictStr, Field(min_length=6)] | None = None
    target: int | None = None


def _pin(state: dict[str, Any] | None, data: PinData, actor: Actor, world: Any) -> Applied:
    follow = () if data.target is None else (FollowUp("alert", str(data.target), "ack", {}),)
    return Applied({"id": "p", "title": data.title, "by": actor.name, "version": 1}, follow=follow,
                   result={"made": True})


@pytest.fixture
def toy() -> Iterator[None]:
    actions.kind_of("alert")  # load the real ones first
    spec = ActionSpec("create", PinData, roles("operator"), _pin, creates=True, identity=("title",))
    actions.register(EntityKind("toy", lambda a, s, w: True, {"create": spec}, uuid_id))
    try:
        yield
    finally:
        del actions.ENTITIES["toy"]


TOY_ID = "8d4f0a1e-3c52-4e5b-9a0b-1f6c0d2e3a4b"


def make_toy(data: dict[str, Any], **entities: dict[str, Any]) -> actions.Outcome:
    return plan("toy", "create", entity_id=TOY_ID, data=data, base_version=None, actor=OPERATOR,
                world=World(**entities))


@pytest.mark.usefixtures("toy")
def test_a_follow_up_that_cannot_apply_refuses_the_whole_action() -> None:
    done = make_toy({"title": "甲", "target": 7}, **{"alert:7": alert()})
    assert isinstance(done, Plan)
    assert [(s.entity, s.spec.name) for s in done.steps] == [("toy", "create"), ("alert", "ack")]
    assert done.result == {"made": True}
    refused = make_toy({"title": "甲", "target": 7}, **{"alert:7": alert("dismissed")})
    assert code(refused) == "INVALID_TRANSITION"
    assert code(make_toy({"title": "甲", "target": 8})) == "NOT_FOUND"


@pytest.mark.usefixtures("toy")
def test_a_repeated_create_is_the_same_or_already_exists() -> None:
    stored = {"id": TOY_ID, "title": "甲", "version": 2}
    same = make_toy({"title": "甲"}, **{f"toy:{TOY_ID}": stored})
    assert isinstance(same, Plan)
    assert same.steps == ()
    assert same.version == 2
    assert code(make_toy({"title": "乙"}, **{f"toy:{TOY_ID}": stored})) == "ALREADY_EXISTS"


@pytest.mark.usefixtures("toy")
def test_invalid_data_is_never_echoed_and_secrets_are_redacted() -> None:
    refused = make_toy({"title": "甲", "password": "Sec12"})
    assert isinstance(refused, Refusal)
    assert refused.code == "INVALID_FIELD"
    assert refused.field == "password"
    assert "Sec12" not in repr(refused.as_error())
    too_long = make_toy({"title": "秘" * 21})
    assert isinstance(too_long, Refusal)
    assert "秘秘" not in repr(too_long.as_error())
    assert code(make_toy({"title": "甲", "nickname": "x"})) == "INVALID_FIELD"
    assert code(make_toy({})) == "MISSING_FIELD"
    assert redacted({"title": "甲", "password": "Sec12345"}, PinData) == {"title": "甲", "password": "[secret]"}
