"""The mutation engine (spec 03 §2, 06): one function applies every person-made change.

For each mutation, in order:

* **idempotency** — a mutation id already stored answers its stored result, byte for byte,
  when the same person sends the same content; anything else under that id is
  ``MUTATION_ID_REUSED`` (and is not stored: the first result stays the answer);
* **meaning** — :func:`shared.actions.plan` decides the action against the entity as stored
  (visibility, role, ``base_version``, data, state, gates) and what it changes, follow-ups
  included; the console's replica runs the same function offline;
* **persistence** — each step of the plan is saved by its entity's store, audited (before and
  after digests, the mutation id, the data with secrets redacted) and written to the change
  log for the people who may see it;
* the result, whatever it is, is stored under the mutation id.

Everything runs inside the caller's unit of work: a request's mutations commit together.
"""

from __future__ import annotations

import hashlib
from typing import Any

import orjson

from server.figures import service as figures
from server.mutations.models import Mutation
from server.mutations.stores import STORES, ServerWorld, load_stores
from server.uow import Work
from shared.actions import Actor, Conflict, Plan, Refusal, kind_of, parse_entity_id, plan, redacted, spec_of
from shared.protocol import MutationIn
from shared.timeutil import parse_instant_or_none


def mutation_digest(m: MutationIn) -> str:
    """SHA-256 of the mutation's content as canonical JSON (keys sorted, no whitespace)."""
    body = {"entity": m.entity, "entity_id": m.entity_id, "action": m.action, "base_version": m.base_version,
            "data": m.data}
    return hashlib.sha256(orjson.dumps(body, option=orjson.OPT_SORT_KEYS)).hexdigest()


def apply_mutations(work: Work, mutations: list[MutationIn], *, actor: Actor) -> list[dict[str, Any]]:
    """Apply ``mutations`` in order inside ``work``; one result each."""
    load_stores()
    world = ServerWorld(work)
    return [_apply_one(work, world, m, actor) for m in mutations]


def _apply_one(work: Work, world: ServerWorld, m: MutationIn, actor: Actor) -> dict[str, Any]:
    digest = mutation_digest(m)
    stored = work.session.get(Mutation, m.id)
    if stored is not None:
        if stored.actor == actor.name and stored.digest in (digest, None):
            return stored.result
        return _result(m, "rejected", None, {
            "code": "MUTATION_ID_REUSED",
            "message": "this mutation id was already used for another change; send a new id",
            "message_zh": "该操作编号已用于另一项修改，请使用新的编号",
        })
    result = _decide_and_save(work, world, m, actor)
    work.session.add(Mutation(id=m.id, actor=actor.name, result=result, at=work.now, digest=digest))
    return result


def _decide_and_save(work: Work, world: ServerWorld, m: MutationIn, actor: Actor) -> dict[str, Any]:
    outcome = plan(m.entity, m.action, entity_id=m.entity_id, data=m.data, base_version=m.base_version,
                   actor=actor, world=world)
    if isinstance(outcome, Refusal):
        return _result(m, "rejected", _visible_version(world, m, actor, outcome), outcome.as_error())
    if isinstance(outcome, Conflict):
        spec = spec_of(m.entity, m.action)
        yours_data = redacted(m.data, spec.data) if spec is not None else m.data
        return _result(m, "conflict", outcome.version, {
            "code": "CONFLICT",
            "message": f"the {m.entity} changed since version {m.base_version} (now {outcome.version}); "
                       "review it and decide again",
            "message_zh": f"该记录在版本 {m.base_version} 之后已被修改（现为版本 {outcome.version}），请查看后重新决定",
        }, current=outcome.current, yours={"action": m.action, "data": yours_data, "base_version": m.base_version})
    _save(work, outcome, m, actor)
    return _result(m, "applied", outcome.version, None, **outcome.result)


def _save(work: Work, done: Plan, m: MutationIn, actor: Actor) -> None:
    for step in done.steps:
        store = STORES[step.entity]
        store.save(work, step, actor, m.id)
        # A change to a record of a closed month (an alert dismissed, a card revoked, a late reply)
        # changes that month's figures: they are computed again on the next read.
        figures.invalidate(work.session, (parse_instant_or_none(step.after.get(k)) for k in _DATED), now=work.now)
        topic, data, people = store.feed(work, step.after)
        work.changes.add(topic=topic, entity=step.entity, entity_id=step.entity_id, data=data, at=work.now,
                         audience=people)
        work.audit(actor=actor.name, action=f"{step.entity}.{step.spec.name}", entity=step.entity,
                   entity_id=step.entity_id, before=step.before, after=step.after,
                   detail={"mutation": m.id, "data": redacted(step.data.model_dump(mode="json"), type(step.data))})


#: The fields naming the instant that puts an entity in a month's figures.
_DATED = ("raised_at", "issued_at", "reply_due", "received_at", "created_at")


def _visible_version(world: ServerWorld, m: MutationIn, actor: Actor, refusal: Refusal) -> int | None:
    """The entity's version for a refusal, unless the refusal is that the caller cannot see it."""
    if refusal.code in ("NOT_FOUND", "UNKNOWN_ENTITY", "UNKNOWN_ACTION", "ALREADY_EXISTS"):
        return None
    kind = kind_of(m.entity)
    eid = parse_entity_id(m.entity, m.entity_id)
    state = None if kind is None or eid is None else world.get(m.entity, eid)
    if state is None or kind is None or not kind.visible(actor, state, world):
        return None
    version = state.get("version")
    return int(version) if version is not None else None


def _result(m: MutationIn, status: str, version: int | None, error: dict[str, Any] | None,
            **extra: Any) -> dict[str, Any]:
    return {"id": m.id, "status": status, "version": version, "error": error, **extra}
