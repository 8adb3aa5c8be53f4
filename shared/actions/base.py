"""The vocabulary of person-made changes: actors, refusals, action specs, entity kinds.

Every change a person makes (an operator acknowledging an alert, an investigator moving a
case, the petition desk accepting a petition, …) is a *mutation*: an action on one entity
with some data. What an action means is written once, here and in the entity modules beside
this one, as an :class:`ActionSpec`: who may do it, what data it needs (a pydantic model),
whether it conflicts on a stale ``base_version``, which states it may start from, and what it
changes. The server's mutation engine and the console's offline replica both run the same
specs through :func:`shared.actions.decide`, so an offline console predicts exactly what the
server will answer.

Entities are plain JSON dicts, the shape the API returns and the change feed carries. An
action's ``apply`` returns the entity as it is after the action; lists in it (timelines,
evidence, opinions, events) only ever grow, which lets the server's stores persist what was
appended and the replica show the new state as it is.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar, Protocol

from pydantic import BaseModel, ConfigDict, ValidationError

State = dict[str, Any]

ROLES = ("admin", "operator", "investigator", "petition_officer", "leader")


@dataclass(frozen=True)
class Actor:
    """A person acting: their user name and role."""

    name: str
    role: str


@dataclass(frozen=True)
class Refusal:
    """Why an action was refused: the spec's code, a message in English and in Chinese,
    and, where it helps, the field at fault or the gate items still missing."""

    code: str
    message: str
    message_zh: str
    field: str | None = None
    missing: tuple[str, ...] | None = None

    def as_error(self) -> dict[str, Any]:
        """The ``error`` object of a mutation result."""
        out: dict[str, Any] = {"code": self.code, "message": self.message, "message_zh": self.message_zh}
        if self.field is not None:
            out["field"] = self.field
        if self.missing is not None:
            out["missing"] = list(self.missing)
        return out


def refuse(code: str, en: str, zh: str, *, field: str | None = None,
           missing: tuple[str, ...] | None = None) -> Refusal:
    return Refusal(code, en, zh, field, missing)


class World(Protocol):
    """What a check may need to know beyond the entity itself.

    The server answers from its database; the console's replica from what it holds (and
    says "I don't know" by answering optimistically where it cannot know, e.g. whether a
    blob another user uploaded is stored: the server decides on replay)."""

    def now(self) -> str:
        """The current instant, ISO 8601 (the server's clock; simulated in demos)."""

    def get(self, entity: str, entity_id: str) -> State | None:
        """Another entity as stored, whoever may see it (None when unknown)."""

    def user_role(self, username: str) -> str | None:
        """The role of an active user, or None when there is no such user."""

    def blob_stored(self, sha256: str) -> bool:
        """Whether an evidence blob with this hash is stored."""

    def office_exists(self, code: str) -> bool:
        """Whether an office with this code is registered."""

    def unique_taken(self, entity: str, field: str, value: str) -> bool:
        """Whether a stored entity of this kind already holds ``value`` in a field that must be
        unique (a petition's receipt code); a replica that cannot know answers False."""


class ActionData(BaseModel):
    """Base of every action's data model: unknown keys are refused, so a typo in a field
    name is an error the person sees instead of a silently ignored value."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    #: Fields whose values never appear in a message, an audit entry or a log (passwords).
    secret_fields: ClassVar[frozenset[str]] = frozenset()
    #: Fields shown only to the petition desk (petitioner identity): redacted elsewhere.
    protected_fields: ClassVar[frozenset[str]] = frozenset()

    def __repr_args__(self) -> Any:
        # A repr reaches logs and tracebacks: it never shows a secret or protected value.
        for name, value in super().__repr_args__():
            if name in self.secret_fields and value is not None:
                yield name, "[secret]"
            elif name in self.protected_fields and value is not None:
                yield name, "[protected]"
            else:
                yield name, value


class NoData(ActionData):
    """An action that takes no data."""


@dataclass(frozen=True)
class FollowUp:
    """A change the action makes to another entity in the same transaction (the alert a
    new investigation was promoted from, the investigation a petition is converted into).
    Follow-ups skip the role and visibility checks (the action that caused them passed its
    own) but not the target's state rules."""

    entity: str
    entity_id: str
    action: str
    data: Mapping[str, Any]


@dataclass(frozen=True)
class Applied:
    """What an accepted action does: the entity after it, follow-ups, and extra fields for
    the mutation's result (e.g. a generated receipt code)."""

    state: State
    follow: tuple[FollowUp, ...] = ()
    result: Mapping[str, Any] = field(default_factory=dict)


Check = Callable[[State, Any, Actor, World], Refusal | None]
Apply = Callable[[State | None, Any, Actor, World], Applied]
May = Callable[[Actor, State | None], bool]


def roles(*names: str) -> May:
    """The action is open to these roles."""
    allowed = frozenset(names)

    def may(actor: Actor, _state: State | None) -> bool:
        return actor.role in allowed

    may.__doc__ = f"roles: {', '.join(sorted(allowed))}"
    return may


def _no_check(_state: State, _data: Any, _actor: Actor, _world: World) -> Refusal | None:
    return None


@dataclass(frozen=True)
class ActionSpec:
    """What one action on one kind of entity means."""

    name: str
    data: type[ActionData]
    may: May
    apply: Apply
    #: State rules and gates, checked after the data is valid (codes STAGE_ORDER, GATE_UNMET, …).
    check: Check = _no_check
    #: Refused as a ``conflict`` when ``base_version`` is older than the stored version.
    conflicts: bool = False
    #: Increments ``version`` when applied (defaults to ``conflicts``).
    bumps: bool | None = None
    #: Makes a new entity: it need not exist (and must not, with other content). Its ``check``
    #: and ``apply`` receive ``{"id": entity_id}`` as the state.
    creates: bool = False
    #: For a create: the data fields that must equal the stored entity's for a repeated create
    #: (a retry under a new mutation id) to count as the same, not ``ALREADY_EXISTS``.
    identity: tuple[str, ...] = ()
    #: Only reachable as a follow-up of another action, never sent by a client.
    internal: bool = False
    #: What the action does, for people reading the table (docs and the console's menus).
    summary: str = ""

    @property
    def bumps_version(self) -> bool:
        return self.conflicts if self.bumps is None else self.bumps


@dataclass(frozen=True)
class EntityKind:
    """One kind of entity that people change through mutations."""

    name: str
    #: Whether the actor may see the entity at all; what they may not see is NOT_FOUND.
    visible: Callable[[Actor, State, World], bool]
    actions: Mapping[str, ActionSpec]
    #: Parses a client-given id (alerts have integers, the rest UUIDs); None when it cannot name one.
    parse_id: Callable[[object], str | None]

    def client_actions(self) -> tuple[str, ...]:
        return tuple(name for name, spec in self.actions.items() if not spec.internal)


def data_refusal(exc: ValidationError, model: type[ActionData]) -> Refusal:
    """A refusal for invalid action data that never echoes a value (a password too short
    must not come back in the message, nor be stored in a result anyone can read)."""
    err = exc.errors(include_url=False)[0]
    where = ".".join(str(p) for p in err["loc"]) or None
    if err["type"] == "missing":
        return refuse("MISSING_FIELD", f"{where} is required", f"缺少 {where}", field=where)
    if err["type"] == "extra_forbidden":
        return refuse("INVALID_FIELD", f"{where} is not a field of this action", f"{where} 不是此操作的字段",
                      field=where)
    # pydantic's own messages describe the constraint, not the value ("String should have at
    # least 6 characters"); the input itself is never included.
    return refuse("INVALID_FIELD", f"{where}: {err['msg']}", f"{where} 的值无效：{err['msg']}", field=where)


def redacted(data: Mapping[str, Any], model: type[ActionData]) -> dict[str, Any]:
    """``data`` for an audit entry or a log: secret values replaced, protected ones hidden."""
    out = dict(data)
    for name in model.secret_fields:
        if out.get(name) is not None:
            out[name] = "[secret]"
    for name in model.protected_fields:
        if out.get(name) is not None:
            out[name] = "[protected]"
    return out


def uuid_id(value: object) -> str | None:
    """A client-chosen UUID id in its canonical form, or None."""
    import uuid

    if not isinstance(value, str) or len(value) > 64:
        return None
    try:
        return str(uuid.UUID(value))
    except ValueError:
        return None


MAX_ROW_ID = 2**63 - 1


def row_id(value: object) -> str | None:
    """A client-given integer row id (as text), or None when it cannot name a row."""
    if isinstance(value, bool):
        return None
    try:
        n = int(value)  # type: ignore[call-overload]
    except (TypeError, ValueError):
        return None
    return str(n) if 0 <= n <= MAX_ROW_ID else None
