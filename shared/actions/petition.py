"""Petition desk actions (spec 06 §3): register, accept, not accept, assign, extend, reply,
close, merge, convert, attach — and the links other entities make to a petition.

A petition is the JSON of ``GET /api/v1/petitions/{id}``: the petitioner only ever as
``"[protected]"`` (or null when anonymous), its ``events`` (those an office sent and those the
desk made, sorted by ``at``), ``merged_into``, ``duplicates`` (the petitions merged into it),
``investigations`` and ``attachments``. Each desk action adds the petition event a batch could
carry (actor: the user, ``at``: the server's now), so the rules of spec 02 §6 see one history;
its state is :func:`shared.rules.petition.petition_state` of those events, the same function
the rules use.

Only ``petition_officer`` and ``admin`` act (everyone else ``FORBIDDEN``: a petition's existence
is not a secret, its petitioner is). ``accept``, ``not_accept``, ``merge`` and ``close`` conflict
on a stale ``base_version``; every applied desk action bumps ``version``.
"""

from __future__ import annotations

import secrets
import uuid
from datetime import datetime
from typing import Annotated, Any, ClassVar

from pydantic import AfterValidator, Field, StrictBool, StrictInt, StrictStr

from shared import protocol
from shared.actions import register
from shared.actions.base import (
    ActionData,
    ActionSpec,
    Actor,
    Applied,
    EntityKind,
    FollowUp,
    NoData,
    Refusal,
    State,
    World,
    refuse,
    roles,
    uuid_id,
)
from shared.rules.petition import MAX_EXTENSION, extension_days, petition_state
from shared.timeutil import SECOND, format_instant, parse_instant, to_instant

PROTECTED = "[protected]"
#: Desk events get ids derived from the petition and their position, so the console's replica
#: names an event it predicts offline as the server will.
EVENT_NAMESPACE = uuid.UUID("3b8e1f0c-6a55-4d0e-9f4e-2c7d9a1b5e60")
#: ``convert`` without an ``investigation_id`` opens the case under an id derived from the petition.
CONVERT_NAMESPACE = uuid.UUID("a4c2d8e6-1b3f-4e5a-8c7d-9e0f1a2b3c4d")
EARLIEST = parse_instant("1970-01-01T00:00:00+08:00")

DESK = roles("petition_officer", "admin")

STATE_ZH = {"registered": "已登记", "accepted": "已受理", "not_accepted": "不予受理", "replied": "已答复",
            "closed": "已办结", "merged": "已合并"}


def _not_blank(value: str) -> str:
    if not value.strip():
        raise ValueError("must not be blank")
    return value


NonBlank = Annotated[StrictStr, AfterValidator(_not_blank)]


class RegisterData(ActionData):
    """A petition record of spec 04 without ``kind`` and ``id`` (the mutation's ``entity_id``),
    plus the registering ``office``. The record's fields are validated by
    :func:`shared.protocol.parse_record`, exactly as in a batch; a name that is no field of
    the record is refused."""

    secret_fields: ClassVar[frozenset[str]] = frozenset({"query_password"})
    protected_fields: ClassVar[frozenset[str]] = frozenset({"petitioner"})

    office: Annotated[StrictStr, Field(min_length=1, max_length=64)]
    channel: Any = None
    received_at: Any = None
    petitioner: Any = None
    anonymous: Any = None
    subject: Any = None
    category: Any = None
    content: Any = None
    receipt_code: Any = None
    query_password: Any = None

    def record(self, petition_id: str, receipt_code: str | None = None) -> dict[str, Any]:
        """The batch record this registration stands for (with a generated receipt code)."""
        out: dict[str, Any] = {"kind": "petition", "id": petition_id}
        for name in sorted(self.model_fields_set - {"office"}):
            out[name] = getattr(self, name)
        if receipt_code is not None:
            out["receipt_code"] = receipt_code
        return out

    def wants_generated_code(self) -> bool:
        """No receipt code sent, and a status query wanted (spec 04: both are required unless
        the petition is anonymous and nobody will ask about it)."""
        return self.receipt_code is None and (self.anonymous is not True or self.query_password is not None)


class ReasonData(ActionData):
    reason: Annotated[NonBlank, Field(max_length=2_000)]


class UnitData(ActionData):
    unit: Annotated[NonBlank, Field(max_length=200)]


class ExtendData(ActionData):
    days: Annotated[StrictInt, Field(ge=1, le=MAX_EXTENSION)]


class ReplyData(ActionData):
    text: Annotated[NonBlank, Field(max_length=10_000)]


class CloseData(ActionData):
    text: Annotated[StrictStr, Field(max_length=10_000)] | None = None
    substantiated: StrictBool | None = None


class MergeData(ActionData):
    into: Annotated[StrictStr, Field(min_length=1, max_length=64)]


class ConvertData(ActionData):
    investigation_id: Annotated[StrictStr, Field(max_length=64)] | None = None
    title: Annotated[NonBlank, Field(max_length=200)]


class AttachData(ActionData):
    #: A scan's file name often names who wrote (张三来信.pdf): it is kept like the identity.
    protected_fields: ClassVar[frozenset[str]] = frozenset({"filename"})

    sha256: Annotated[StrictStr, Field(pattern=r"^[0-9a-f]{64}$")]
    filename: Annotated[NonBlank, Field(max_length=255)]


class LinkData(ActionData):
    investigation: Annotated[StrictStr, Field(max_length=64)]


class AbsorbData(ActionData):
    duplicate: Annotated[StrictStr, Field(max_length=64)]


# --- what a petition is in -----------------------------------------------------------------


def events_of(petition: State) -> list[dict[str, Any]]:
    return list(petition.get("events") or ())


def state_of(petition: State) -> str:
    """The petition's state from its events (the rules' own function)."""
    return petition_state(str(e.get("type")) for e in events_of(petition))


def decision_of(petition: State) -> str | None:
    """The first decision on acceptance (``accepted`` or ``not_accepted``), if any."""
    return next((str(e["type"]) for e in events_of(petition) if e.get("type") in ("accepted", "not_accepted")),
                None)


def extended_days(petition: State) -> int:
    return extension_days((str(e.get("type")), e.get("days")) for e in events_of(petition))


def _state_refusal(petition: State, en: str, zh: str) -> Refusal:
    state = state_of(petition)
    return refuse("PETITION_STATE", f"{en} (the petition is {state.replace('_', ' ')})",
                  f"{zh}（信访件当前状态：{STATE_ZH.get(state, state)}）")


def _ended(petition: State) -> Refusal | None:
    """Nothing but ``attach`` happens to a merged or closed petition."""
    state = state_of(petition)
    if state == "merged":
        return _state_refusal(petition, "the petition was merged into another; work on that one",
                              "该信访件已合并，请在主件上办理")
    if state == "closed":
        return _state_refusal(petition, "the petition is closed", "该信访件已办结")
    return None


def _undecided(petition: State, _data: Any, _actor: Actor, _world: World) -> Refusal | None:
    ended = _ended(petition)
    if ended is not None:
        return ended
    if decision_of(petition) is not None or state_of(petition) != "registered":
        return _state_refusal(petition, "acceptance was already decided", "已作出是否受理的决定，不能再次决定")
    return None


def _accepted(petition: State, _data: Any, _actor: Actor, _world: World) -> Refusal | None:
    ended = _ended(petition)
    if ended is not None:
        return ended
    if decision_of(petition) != "accepted":
        return _state_refusal(petition, "the petition must be accepted first", "信访件尚未受理，请先受理")
    return None


def _extend_check(petition: State, data: ExtendData, actor: Actor, world: World) -> Refusal | None:
    refusal = _accepted(petition, data, actor, world)
    if refusal is not None:
        return refusal
    used = extended_days(petition)
    if used + data.days > MAX_EXTENSION:
        return refuse("EXTENSION_LIMIT",
                      f"extensions may add at most {MAX_EXTENSION} days in all; {used} already granted, "
                      f"{MAX_EXTENSION - used} left",
                      f"延期累计不得超过 {MAX_EXTENSION} 日：已延期 {used} 日，最多还可延期 {MAX_EXTENSION - used} 日")
    return None


def _close_check(petition: State, _data: Any, _actor: Actor, _world: World) -> Refusal | None:
    ended = _ended(petition)
    if ended is not None:
        return ended
    if state_of(petition) != "replied" and decision_of(petition) != "not_accepted":
        return _state_refusal(petition, "a petition is closed after its reply or a refusal to accept it",
                              "须在答复或不予受理后才能办结")
    return None


def _merge_check(petition: State, data: MergeData, _actor: Actor, world: World) -> Refusal | None:
    into = uuid_id(data.into)
    target = None if into is None else world.get("petition", into)
    if target is None:
        return refuse("INVALID_FIELD", "into: no such petition", "into：找不到要合并到的信访件", field="into")
    if into == petition["id"]:
        return _state_refusal(petition, "a petition cannot be merged into itself", "不能合并到自身")
    ended = _ended(petition)
    if ended is not None:
        return ended
    if petition.get("duplicates"):
        return _state_refusal(petition, "other petitions were merged into this one: merge them into the primary, "
                              "not this one into another", "已有其他信访件合并到此件，不能再将此件合并")
    if state_of(target) == "merged":
        return refuse("PETITION_STATE", "the target was itself merged into another petition; merge into that one",
                      "目标信访件本身已合并，请合并到其主件", field="into")
    return None


def _convert_check(petition: State, data: ConvertData, _actor: Actor, _world: World) -> Refusal | None:
    from shared.actions import kind_of

    if data.investigation_id is not None and uuid_id(data.investigation_id) is None:
        return refuse("INVALID_FIELD", "investigation_id must be a UUID", "investigation_id 须为 UUID",
                      field="investigation_id")
    if kind_of("investigation") is None:
        return refuse("INVALID_FIELD", "investigations are not available on this server",
                      "本服务器尚不能立案调查", field="investigation_id")
    return _ended(petition)


def _attach_check(_petition: State, data: AttachData, _actor: Actor, world: World) -> Refusal | None:
    if not world.blob_stored(data.sha256):
        return refuse("EVIDENCE_MISSING", f"no stored file has SHA-256 {data.sha256}; upload it first",
                      "文件尚未上传，请先上传再附加")
    return None


def _register_check(_state: State | None, data: RegisterData, _actor: Actor, world: World) -> Refusal | None:
    placeholder = "0" * 16 if data.wants_generated_code() else None
    try:
        record = protocol.parse_record(data.record(str(uuid.UUID(int=0)), placeholder))
    except protocol.Rejection as r:
        return refuse(r.code, r.message, _FIELD_ZH.get(r.code, "登记信息有误") + (f"：{r.field}" if r.field else ""),
                      field=r.field)
    assert isinstance(record, protocol.Petition)
    refusal = _instant_refusal("received_at", record.received_at, world)
    if refusal is not None:
        return refusal
    if not world.office_exists(data.office):
        return refuse("INVALID_FIELD", f"office {data.office[:64]!r} is not registered", "登记单位不存在",
                      field="office")
    if record.receipt_code and placeholder is None and world.unique_taken("petition", "receipt_code",
                                                                          record.receipt_code):
        return refuse("INVALID_FIELD", "receipt_code is already used by another petition", "查询码已被其他信访件使用",
                      field="receipt_code")
    return None


def _instant_refusal(name: str, at: datetime, world: World) -> Refusal | None:
    """As a batch judges a record's time: before 1970 is a typo, after now + 10 min is FUTURE_TIMESTAMP."""
    try:
        instant = to_instant(at)
    except OverflowError:
        instant = EARLIEST - 1
    if instant < EARLIEST:
        return refuse("INVALID_FIELD", f"{name} {at.isoformat()} is before 1970; check the year",
                      f"{name} 早于 1970 年，请检查年份", field=name)
    now = world.now()
    if instant > parse_instant(now) + protocol.FUTURE_TOLERANCE_SECONDS * SECOND:
        return refuse("FUTURE_TIMESTAMP", f"{name} {at.isoformat()} is more than 10 minutes after the server's time "
                      f"{now}", f"{name} 晚于服务器时间 10 分钟以上", field=name)
    return None


_FIELD_ZH = {"MISSING_FIELD": "缺少必填项", "INVALID_FIELD": "字段值无效"}


# --- what the actions do -------------------------------------------------------------------


def new_receipt_code(world: World) -> str:
    """16 random digits (no leading zero, so spreadsheets keep them) that no petition holds."""
    while True:
        code = str(10**15 + secrets.randbelow(9 * 10**15))
        if not world.unique_taken("petition", "receipt_code", code):
            return code


def _register(_state: State | None, data: RegisterData, _actor: Actor, world: World) -> Applied:
    code = new_receipt_code(world) if data.wants_generated_code() else None
    petition_id = str(uuid.UUID(int=0))
    record = protocol.parse_record(data.record(petition_id, code))
    assert isinstance(record, protocol.Petition)
    state: State = {
        "office": data.office,
        "channel": record.channel,
        "received_at": format_instant(to_instant(record.received_at)),
        "anonymous": record.anonymous,
        "petitioner": None if record.petitioner is None else PROTECTED,
        "subject": record.subject.model_dump(exclude_none=True),
        "category": record.category,
        "content": record.content,
        "receipt_code": record.receipt_code,
        "status": "registered",
        "merged_into": None,
        "duplicates": [],
        "investigations": [],
        "attachments": [],
        "events": [],
    }
    return Applied(state, result={"receipt_code": code} if code else {})


def desk_event(petition: State, typ: str, actor: Actor, world: World, *, days: int | None = None,
               text: str | None = None, substantiated: bool | None = None) -> dict[str, Any]:
    """The petition event a desk action adds (the one a batch would carry)."""
    n = len(events_of(petition))
    event: dict[str, Any] = {"id": str(uuid.uuid5(EVENT_NAMESPACE, f"{petition['id']}/{n}")), "type": typ,
                             "at": world.now(), "actor": actor.name, "days": days, "text": text}
    if substantiated is not None:
        event["substantiated"] = substantiated
    return event


def _with_event(petition: State, event: dict[str, Any]) -> State:
    out = dict(petition)
    out["events"] = [*events_of(petition), event]
    out["status"] = state_of(out)
    return out


def _eventful(typ: str) -> Any:
    """An action whose whole effect is one petition event."""

    def apply(petition: State | None, data: Any, actor: Actor, world: World) -> Applied:
        assert petition is not None
        fields: dict[str, Any] = {}
        if isinstance(data, ReasonData):
            fields["text"] = data.reason.strip()
        elif isinstance(data, UnitData):
            fields["text"] = data.unit.strip()
        elif isinstance(data, ExtendData):
            fields["days"] = data.days
        elif isinstance(data, ReplyData):
            fields["text"] = data.text.strip()
        elif isinstance(data, CloseData):
            fields["text"] = (data.text or "").strip() or None
            fields["substantiated"] = data.substantiated
        return Applied(_with_event(petition, desk_event(petition, typ, actor, world, **fields)))

    return apply


def _merge(petition: State | None, data: MergeData, actor: Actor, world: World) -> Applied:
    assert petition is not None
    into = uuid_id(data.into)
    assert into is not None
    out = _with_event(petition, desk_event(petition, "merged", actor, world, text=into))
    out["merged_into"] = into
    return Applied(out, follow=(FollowUp("petition", into, "absorb", {"duplicate": petition["id"]}),))


def _absorb(petition: State | None, data: AbsorbData, _actor: Actor, _world: World) -> Applied:
    assert petition is not None
    out = dict(petition)
    out["duplicates"] = [*(x for x in petition.get("duplicates") or () if x != data.duplicate), data.duplicate]
    return Applied(out)


def convert_investigation_id(petition_id: str, n: int) -> str:
    """The id of the ``n``-th investigation converted from a petition, unless the client chose one."""
    return str(uuid.uuid5(CONVERT_NAMESPACE, f"petition/{petition_id}/{n}"))


def _convert(petition: State | None, data: ConvertData, _actor: Actor, _world: World) -> Applied:
    assert petition is not None
    have = list(petition.get("investigations") or ())
    inv_id = uuid_id(data.investigation_id) if data.investigation_id else None
    inv_id = inv_id or convert_investigation_id(petition["id"], len(have))
    out = dict(petition)
    out["investigations"] = have if inv_id in have else [*have, inv_id]
    subject = petition.get("subject") or {}
    create = FollowUp("investigation", inv_id, "create", {
        "title": data.title.strip(),
        "subject": {k: v for k, v in subject.items() if k in ("name", "unit", "title") and v},
        "source": {"type": "petition", "id": petition["id"]},
    })
    return Applied(out, follow=(create,), result={"investigation_id": inv_id})


def _link(petition: State | None, data: LinkData, _actor: Actor, _world: World) -> Applied:
    assert petition is not None
    have = list(petition.get("investigations") or ())
    out = dict(petition)
    out["investigations"] = have if data.investigation in have else [*have, data.investigation]
    return Applied(out)


def _attach(petition: State | None, data: AttachData, actor: Actor, world: World) -> Applied:
    assert petition is not None
    have = list(petition.get("attachments") or ())
    out = dict(petition)
    if not any(a.get("sha256") == data.sha256 for a in have):
        # The name is the desk's to read (GET /petitions/{id}); everyone else sees it protected.
        have.append({"sha256": data.sha256, "filename": PROTECTED, "attached_by": actor.name,
                     "attached_at": world.now()})
    out["attachments"] = have
    return Applied(out)


def visible(_actor: Actor, _petition: State, _world: World) -> bool:
    """Every person may know a petition exists (its petitioner is what is protected), so a
    role that may not act on it is told FORBIDDEN, not NOT_FOUND (spec 06 §3)."""
    return True


ACTIONS: dict[str, ActionSpec] = {
    "register": ActionSpec("register", RegisterData, DESK, _register, _register_check, creates=True, bumps=True,
                           identity=("office", "channel", "content"),
                           summary="register a petition received at the desk (receipt code generated if none)"),
    "accept": ActionSpec("accept", NoData, DESK, _eventful("accepted"), _undecided, conflicts=True,
                         summary="accept the petition (受理)"),
    "not_accept": ActionSpec("not_accept", ReasonData, DESK, _eventful("not_accepted"), _undecided,
                             conflicts=True, summary="refuse to accept it, with the reason (不予受理)"),
    "assign": ActionSpec("assign", UnitData, DESK, _eventful("assigned"), _accepted, bumps=True,
                         summary="hand it to a unit to handle (交办)"),
    "extend": ActionSpec("extend", ExtendData, DESK, _eventful("extended"), _extend_check, bumps=True,
                         summary="extend the handling limit (at most 30 days in all)"),
    "reply": ActionSpec("reply", ReplyData, DESK, _eventful("replied"), _accepted, bumps=True,
                        summary="the reply the petitioner reads (答复)"),
    "close": ActionSpec("close", CloseData, DESK, _eventful("closed"), _close_check, conflicts=True,
                        summary="close it after the reply or refusal; substantiated when founded (办结)"),
    "merge": ActionSpec("merge", MergeData, DESK, _merge, _merge_check, conflicts=True,
                        summary="merge a duplicate into its primary (一信多投)"),
    "convert": ActionSpec("convert", ConvertData, DESK, _convert, _convert_check, bumps=True,
                          summary="open an investigation from the petition (转立案)"),
    "attach": ActionSpec("attach", AttachData, DESK, _attach, _attach_check, bumps=True,
                         summary="attach a scanned letter or a recording"),
    "absorb": ActionSpec("absorb", AbsorbData, roles(), _absorb, internal=True,
                         summary="another petition was merged into this one"),
    "link": ActionSpec("link", LinkData, roles(), _link, internal=True,
                       summary="an investigation was opened from the petition"),
}

KIND = register(EntityKind("petition", visible, ACTIONS, uuid_id))
