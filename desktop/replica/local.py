"""What a person's action does to an entity, applied locally before the server confirms it.

The meaning of every action is ``shared.actions``, the same table the server's mutation
engine runs: the replica asks it whether the action applies to the entity as the replica
holds it and what the entity becomes. What the replica cannot know (whether another user's
evidence blob is stored, every user's role) it answers optimistically: the server decides
on replay, and a refusal then comes back as a rejection the person sees.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any

from shared.actions import Actor, Conflict, Refusal, State, plan, spec_of
from shared.alerts import ACTIONS, ACTIVE_STATUSES, COMMUTATIVE, INACTIVE_STATUSES, TRANSITIONS

#: Actions that do not change the alert's version on the server.
VERSIONLESS = COMMUTATIVE | frozenset({"annotate"})

__all__ = [
    "ACTIONS",
    "ACTIVE_STATUSES",
    "INACTIVE_STATUSES",
    "TRANSITIONS",
    "VERSIONLESS",
    "ActionRefused",
    "apply",
    "apply_entity",
    "bumps_version",
    "check",
    "check_entity",
    "creates",
]

#: Who acts when the replica does not say: the checks of role are then left to the server.
_ANYONE = Actor("", "admin")


class ActionRefused(ValueError):
    """The action cannot apply to the entity as it stands; ``refusal`` says why, in English
    (``str(exc)``) and in Chinese (``refusal.message_zh``)."""

    def __init__(self, refusal: Refusal | str):
        if isinstance(refusal, str):
            refusal = Refusal("REFUSED", refusal, refusal)
        super().__init__(refusal.message)
        self.refusal = refusal


#: an entity id and why an action was refused there (what ``Replica.enqueue`` reports)
Refused = tuple[Any, ActionRefused]


class ReplicaWorld:
    """What the replica knows beyond the entity: optimistic where it cannot know."""

    def __init__(self, entities: Mapping[tuple[str, str], State] | None = None,
                 users: Mapping[str, str] | None = None):
        self.entities = dict(entities or {})
        self.users = users

    def now(self) -> str:
        return datetime.datetime.now(datetime.UTC).astimezone(datetime.timezone(datetime.timedelta(hours=8))) \
            .isoformat(timespec="seconds")

    def get(self, entity: str, entity_id: str) -> State | None:
        return self.entities.get((entity, entity_id))

    def user_role(self, username: str) -> str | None:
        if self.users is None:
            return "investigator"  # unknown directory: the server decides
        return self.users.get(username)

    def blob_stored(self, sha256: str) -> bool:
        return True  # a blob attached offline is uploaded before its mutation is replayed

    def office_exists(self, code: str) -> bool:
        return True

    def unique_taken(self, entity: str, field: str, value: str) -> bool:
        return False  # the server decides on replay


def _alert_state(alert: Mapping[str, Any]) -> State:
    """The alert as the shared actions read it (the replica keeps subjects as columns)."""
    state = dict(alert)
    if "subject" not in state:
        state["subject"] = {"type": state.get("subject_type") or "case", "office": state.get("office"),
                            "case_no": state.get("case_no"), "petition_id": state.get("petition_id")}
    state.setdefault("version", 1)
    return state


def _decide(entity: str, state: State, action: str, data: Mapping[str, Any], actor: Actor | None,
            world: ReplicaWorld | None) -> State:
    w = world or ReplicaWorld()
    spec = spec_of(entity, action)
    if spec is None or not spec.creates:  # a create names an entity that does not exist yet
        w.entities.setdefault((entity, str(state.get("id"))), state)
    outcome = plan(entity, action, entity_id=state.get("id"), data=data, base_version=None,
                   actor=actor or _ANYONE, world=w)
    if isinstance(outcome, Refusal):
        raise ActionRefused(outcome)
    assert not isinstance(outcome, Conflict)  # no base_version given: nothing to conflict with
    return outcome.steps[0].after if outcome.steps else state


def check(alert: Mapping[str, Any], action: str, data: Mapping[str, Any], actor: Actor | None = None,
          world: ReplicaWorld | None = None) -> None:
    """Raise ``ActionRefused`` when the server would refuse this action on this alert."""
    _decide("alert", _alert_state(alert), action, data, actor, world)


def apply(alert: Mapping[str, Any], action: str, data: Mapping[str, Any]) -> dict[str, Any]:
    """The alert after ``action`` (a new dict); unchanged when the action does not apply."""
    state = _alert_state(alert)
    try:
        after = _decide("alert", state, action, data, None, None)
    except ActionRefused:
        return dict(alert)
    out = dict(alert)
    for key in ("status", "severity", "resolution", "assignee", "links"):
        if key in after and (key in out or after.get(key) is not None):
            out[key] = after[key]
    return out


def check_entity(entity: str, state: Mapping[str, Any], action: str, data: Mapping[str, Any],
                 actor: Actor | None = None, world: ReplicaWorld | None = None) -> None:
    """Raise ``ActionRefused`` when the server would refuse this action on this entity (any kind)."""
    _decide(entity, dict(state), action, data, actor, world)


def apply_entity(entity: str, state: Mapping[str, Any], action: str, data: Mapping[str, Any],
                 actor: Actor | None = None, world: ReplicaWorld | None = None) -> State:
    """The entity as the server will hold it after ``action`` (raises ``ActionRefused``)."""
    return _decide(entity, dict(state), action, data, actor, world)


def creates(entity: str, action: str) -> bool:
    """Whether the action creates the entity it names (a card issued, an investigation opened)."""
    spec = spec_of(entity, action)
    return spec is not None and spec.creates


def bumps_version(entity: str, action: str) -> bool:
    """Whether the server increments the entity's version when it applies this action."""
    spec = spec_of(entity, action)
    return spec is not None and spec.bumps_version
