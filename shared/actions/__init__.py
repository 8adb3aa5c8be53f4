"""What every person-made change means, for the server and the offline console alike.

``ENTITIES`` maps an entity name (``alert``, ``investigation``, ``petition``, ``card``,
``notice``) to its :class:`~shared.actions.base.EntityKind`; :func:`plan` runs one action
through the checks in the spec's order (06 §"Order of checks"), the first that fails answering:

1. the entity exists and the actor may see it (else ``NOT_FOUND``, never ``FORBIDDEN``: what
   a person may not see does not exist for them);
2. the role or person may do the action (``FORBIDDEN``);
3. ``base_version`` is not older than the stored version, for actions that conflict
   (a :class:`Conflict` carrying the entity as stored);
4. the data is valid (``MISSING_FIELD`` / ``INVALID_FIELD`` with the field);
5. the state allows it and its gate holds (``STAGE_ORDER``, ``PETITION_STATE``, ``GATE_UNMET``…);

and then applies it, with the follow-ups it causes on other entities, into a :class:`Plan`
that the caller persists all or nothing. Nothing here touches a database or Qt.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from shared.actions.base import (
    ActionData,
    ActionSpec,
    Actor,
    Applied,
    EntityKind,
    FollowUp,
    Refusal,
    State,
    World,
    data_refusal,
    redacted,
    refuse,
)

ENTITIES: dict[str, EntityKind] = {}


def register(kind: EntityKind) -> EntityKind:
    ENTITIES[kind.name] = kind
    return kind


@dataclass(frozen=True)
class Conflict:
    """``base_version`` is older than the stored version: nothing is overwritten, and the
    person sees the entity as it is now beside what they wanted."""

    current: State
    version: int


@dataclass(frozen=True)
class Step:
    """One entity changed by an accepted action: what it was, what it becomes, and why."""

    entity: str
    entity_id: str
    spec: ActionSpec
    data: ActionData
    before: State | None
    after: State


@dataclass(frozen=True)
class Plan:
    """Everything an accepted action changes: its own entity first, then its follow-ups."""

    steps: tuple[Step, ...]
    result: Mapping[str, Any]
    #: The acted-on entity's version afterwards.
    version: int | None


Outcome = Refusal | Conflict | Plan


def kind_of(entity: str) -> EntityKind | None:
    _load()
    return ENTITIES.get(entity)


def spec_of(entity: str, action: str) -> ActionSpec | None:
    kind = kind_of(entity)
    return None if kind is None else kind.actions.get(action)


def parse_entity_id(entity: str, entity_id: object) -> str | None:
    kind = kind_of(entity)
    return None if kind is None else kind.parse_id(entity_id)


def plan(entity: str, action: str, *, entity_id: object, data: Mapping[str, Any] | None,
         base_version: int | None, actor: Actor, world: World) -> Outcome:
    """Decide ``action`` on the entity ``world`` holds under ``entity_id``, and its follow-ups.

    Nothing is changed: the caller (the server's engine, the console's replica) persists the
    plan's steps in order, all or nothing. A follow-up that cannot apply refuses the whole
    action with its reason."""
    kind = kind_of(entity)
    if kind is None:
        known = ", ".join(sorted(ENTITIES))
        return refuse("UNKNOWN_ENTITY", f"cannot change {str(entity)[:40]!r}; entities: {known}",
                      f"无法修改「{str(entity)[:40]}」")
    spec = kind.actions.get(action)
    if spec is None or spec.internal:
        names = ", ".join(kind.client_actions())
        return refuse("UNKNOWN_ACTION", f"action must be one of {names}", f"操作必须是以下之一：{names}")
    eid = kind.parse_id(entity_id)
    if eid is None:
        return _not_found(entity)
    state = world.get(entity, eid)
    if spec.creates:
        if state is not None:
            return _exists(kind, spec, eid, state, data, actor, world)
    elif state is None or not kind.visible(actor, state, world):
        return _not_found(entity)
    if not spec.may(actor, state):
        return refuse("FORBIDDEN", f"the {actor.role} role may not {action} this {entity}",
                      f"{_ROLE_ZH.get(actor.role, actor.role)}无权{_ACTION_ZH.get(action, '执行此操作')}")
    if spec.conflicts and state is not None and base_version is not None and base_version < state["version"]:
        return Conflict(current=state, version=int(state["version"]))
    first = _check_and_apply(entity, eid, spec, state, data, actor, world)
    if not isinstance(first, tuple):
        return first
    step, applied = first
    steps = [step]
    overlay = _Overlay(world, {(entity, eid): step.after})
    pending = list(applied.follow)
    result = dict(applied.result)
    while pending:
        follow = pending.pop(0)
        fkind = kind_of(follow.entity)
        fspec = None if fkind is None else fkind.actions.get(follow.action)
        if fkind is None or fspec is None:
            raise KeyError(f"no action {follow.entity}.{follow.action}")
        fstate = overlay.get(follow.entity, follow.entity_id)
        if fspec.creates and fstate is not None:
            same = _exists(fkind, fspec, follow.entity_id, fstate, follow.data, actor, overlay)
            if isinstance(same, Refusal):
                return same
            continue
        if fstate is None and not fspec.creates:
            return _not_found(follow.entity)
        out = _check_and_apply(follow.entity, follow.entity_id, fspec, fstate, follow.data, actor, overlay)
        if not isinstance(out, tuple):
            return out
        fstep, fapplied = out
        steps.append(fstep)
        overlay.states[(follow.entity, follow.entity_id)] = fstep.after
        pending.extend(fapplied.follow)
        for key, value in fapplied.result.items():
            result.setdefault(key, value)
    return Plan(tuple(steps), result, _version(step.after))


class _Overlay:
    """A world in which the plan's earlier steps have already happened."""

    def __init__(self, world: World, states: dict[tuple[str, str], State]):
        self.world = world
        self.states = states

    def now(self) -> str:
        return self.world.now()

    def get(self, entity: str, entity_id: str) -> State | None:
        found = self.states.get((entity, entity_id))
        return found if found is not None else self.world.get(entity, entity_id)

    def user_role(self, username: str) -> str | None:
        return self.world.user_role(username)

    def blob_stored(self, sha256: str) -> bool:
        return self.world.blob_stored(sha256)

    def office_exists(self, code: str) -> bool:
        return self.world.office_exists(code)

    def unique_taken(self, entity: str, field: str, value: str) -> bool:
        mine = any(e == entity and s.get(field) == value for (e, _), s in self.states.items())
        return mine or self.world.unique_taken(entity, field, value)


def _check_and_apply(entity: str, eid: str, spec: ActionSpec, state: State | None, data: Mapping[str, Any] | None,
                     actor: Actor, world: World) -> tuple[Step, Applied] | Refusal:
    try:
        parsed = spec.data.model_validate(dict(data or {}))
    except ValidationError as exc:
        return data_refusal(exc, spec.data)
    # A create's check and apply see the new entity as ``{"id": …}``: it names itself in what it
    # makes (its links, the follow-ups pointing back at it).
    seen = state if state is not None else {"id": eid}
    refusal = spec.check(seen, parsed, actor, world)
    if refusal is not None:
        return refusal
    applied = spec.apply(seen, parsed, actor, world)
    after = applied.state
    if state is None:
        # A created entity carries the id it was created under (chosen by the client).
        after.setdefault("id", eid)
        after.setdefault("version", 1)
    elif spec.bumps_version:
        after["version"] = int(state["version"]) + 1
    return Step(entity, eid, spec, parsed, state, after), applied


def _exists(kind: EntityKind, spec: ActionSpec, _eid: str, state: State, data: Mapping[str, Any] | None,
            actor: Actor, world: World) -> Plan | Refusal:
    """A create whose id exists: the same content again changes nothing; other content is refused."""
    try:
        parsed = spec.data.model_validate(dict(data or {}))
    except ValidationError as exc:
        return data_refusal(exc, spec.data)
    sent = parsed.model_dump(mode="json")
    if kind.visible(actor, state, world) and all(state.get(k) == sent.get(k) for k in spec.identity):
        return Plan((), {}, _version(state))
    return refuse("ALREADY_EXISTS", f"a {kind.name} with this id already exists with other content",
                  "已存在相同编号但内容不同的记录")


def _version(state: State) -> int | None:
    v = state.get("version")
    return int(v) if v is not None else None


def _not_found(entity: str) -> Refusal:
    return refuse("NOT_FOUND", f"no such {entity}", f"找不到该{_ENTITY_ZH.get(entity, entity)}")


_ENTITY_ZH = {"alert": "预警", "investigation": "案件", "petition": "信访件", "card": "黄红牌", "notice": "督办通知"}
_ROLE_ZH = {"admin": "管理员", "operator": "值班员", "investigator": "调查人员", "petition_officer": "信访干部",
            "leader": "领导"}
_ACTION_ZH = {
    "ack": "确认", "escalate": "升级", "dismiss": "排除", "promote": "转立案", "assign": "指派", "comment": "批注",
    "annotate": "批阅", "create": "立案", "transition": "推进阶段", "approve_filing": "批准立案", "attach": "附加证据",
    "note": "记录", "request_review": "提请会审", "opinion": "会审意见", "register": "登记", "accept": "受理",
    "not_accept": "不予受理", "extend": "延期", "reply": "答复", "close": "办结", "merge": "合并", "convert": "转立案",
    "issue": "签发", "revoke": "撤销",
}


def role_may(entity: str, action: str, actor: Actor, state: State | None = None) -> bool:
    """Whether the actor's role may take the action at all (the console offers only these)."""
    spec = spec_of(entity, action)
    return spec is not None and not spec.internal and spec.may(actor, state)


_loaded = False


def _load() -> None:
    """Import the entity modules (each registers itself) on first use."""
    global _loaded
    if not _loaded:
        _loaded = True
        from shared.actions import alert, card, investigation, notice, petition  # noqa: F401


__all__ = [
    "ENTITIES",
    "ActionSpec",
    "Actor",
    "Applied",
    "Conflict",
    "EntityKind",
    "FollowUp",
    "Outcome",
    "Plan",
    "Refusal",
    "State",
    "Step",
    "World",
    "kind_of",
    "parse_entity_id",
    "plan",
    "redacted",
    "register",
    "role_may",
    "spec_of",
]
