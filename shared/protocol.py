"""Protocol version 1 (spec 03): record schemas, validation codes, the import summary.

The server and the township agent validate records with the same code here, so most
mistakes are caught on the township's machine, with the same code and message the
server would give.
"""

from __future__ import annotations

import re
import types
import typing
import uuid
from collections.abc import Iterable
from datetime import date
from typing import Annotated, Any, Literal

from pydantic import (
    AwareDatetime,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StrictBool,
    StrictInt,
    StrictStr,
    TypeAdapter,
    ValidationError,
    field_validator,
)
from pydantic_core import PydanticCustomError

from shared.catalogue import PowerItem
from shared.timeutil import SECOND, Instant, day_start, local_day

PROTOCOL_VERSION = 1
MAX_BATCH_RECORDS = 10_000
MAX_BATCH_BYTES = 20 * 1024 * 1024
FUTURE_TOLERANCE_SECONDS = 600


def latest_complete_until(now: Instant) -> Instant:
    """The latest ``complete_until`` (or corrected watermark) the server accepts at ``now``.

    An office may declare the current local day complete before it ends (a service centre
    closing its books at 17:00 up to 18:00, as conformance scenario 03 does), and clocks may
    differ by ten minutes; anything later is refused ``FUTURE_TIMESTAMP`` — a watermark moved
    into next week or 2030 would make every genuine record after it ``BACKDATED`` (issue 11 #4).
    """
    return max(now + FUTURE_TOLERANCE_SECONDS * SECOND, day_start(local_day(now) + 1))




class Protected:
    """Marks a field whose value is secret or protected (a password, the petitioner's identity, a
    stream URL with a camera password): no error message ever shows it, nor any string under it.

    Put it in the field's ``Annotated`` metadata; ``validation_problems`` and ``redact`` find it by
    walking the model, so a new protected field needs no list to be kept up to date elsewhere.
    """

    def __repr__(self) -> str:
        return "PROTECTED"


PROTECTED = Protected()
#: A secret string (a password): protected, and marked write-only in the OpenAPI document.
Secret = Annotated[StrictStr, PROTECTED, Field(json_schema_extra={"format": "password", "writeOnly": True})]
REDACTED = "[protected]"

def _text_only(value: object) -> object:
    # Pydantic would also read a number as a Unix time: the protocol's instants and days are text.
    if not isinstance(value, str):
        raise PydanticCustomError("text_type", "Input should be ISO 8601 text")
    return value


def _json_integer(value: object) -> object:
    # JSON Schema's "integer" is any number without a fraction (220.0 too); never text or a boolean.
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


#: An integer as JSON Schema reads one: 220 or 220.0, never "220" or true.
JsonInt = Annotated[StrictInt, BeforeValidator(_json_integer)]

#: An instant: ISO 8601 text with a UTC offset (never a number).
Timestamp = Annotated[AwareDatetime, BeforeValidator(_text_only)]
#: A calendar day: ISO 8601 text (YYYY-MM-DD).
Day = Annotated[date, BeforeValidator(_text_only)]

Short = Annotated[StrictStr, Field(max_length=200)]
Ident = Annotated[StrictStr, Field(min_length=1, max_length=64)]
Text = Annotated[StrictStr, Field(max_length=10_000)]

APPROVAL_EVENT_TYPES = (
    "received",
    "accepted",
    "not_accepted",
    "node_completed",
    "suspended",
    "resumed",
    "fee_charged",
    "decided",
    "delivered",
    "withdrawn",
)
SUSPENSION_REASONS = ("supplement", "hearing", "inspection", "expert_review", "public_notice", "bidding")
RATINGS = ("satisfied", "basically_satisfied", "dissatisfied", "very_poor")
PETITION_CHANNELS = ("letter", "visit", "phone", "online", "hotline")
PETITION_CATEGORIES = ("land", "approval", "conduct", "fees", "other")
PETITION_EVENT_TYPES = ("accepted", "not_accepted", "assigned", "extended", "replied", "closed", "merged")
RECORD_KINDS = ("approval_event", "evaluation", "petition", "petition_event", "notice_reply")


class _Record(BaseModel):
    # Unknown fields are ignored, not stored: an exporter that adds a column must not get
    # every record rejected, and nothing unvalidated reaches the database.
    model_config = ConfigDict(extra="ignore", frozen=True)


class _ApprovalEventBase(_Record):
    kind: Literal["approval_event"]
    id: uuid.UUID
    case_no: Ident
    power_code: Ident
    at: Timestamp
    seq: Annotated[StrictInt, Field(ge=-(2**62), le=2**62)] | None = None
    actor: Short | None = None
    note: Text | None = None


class Received(_ApprovalEventBase):
    type: Literal["received"]
    applicant_id: Short | None = None
    applicant_name: Short | None = None
    channel: Literal["window", "online", "township", "mail"] | None = None


class Accepted(_ApprovalEventBase):
    type: Literal["accepted"]


class NotAccepted(_ApprovalEventBase):
    type: Literal["not_accepted"]
    reason: Text | None = None
    legal_basis: Text | None = None


class NodeCompleted(_ApprovalEventBase):
    type: Literal["node_completed"]
    node: Ident
    opinion: Text | None = None


class Suspended(_ApprovalEventBase):
    type: Literal["suspended"]
    reason_code: Ident


class Resumed(_ApprovalEventBase):
    type: Literal["resumed"]


class FeeCharged(_ApprovalEventBase):
    type: Literal["fee_charged"]
    amount_fen: Annotated[StrictInt, Field(gt=0, le=10**13)]


class Decided(_ApprovalEventBase):
    type: Literal["decided"]
    result: Literal["approved", "refused"]
    reason: Text | None = None
    legal_basis: Text | None = None


class Delivered(_ApprovalEventBase):
    type: Literal["delivered"]
    method: Short | None = None


class Withdrawn(_ApprovalEventBase):
    type: Literal["withdrawn"]
    reason: Text | None = None


ApprovalEvent = (
    Received | Accepted | NotAccepted | NodeCompleted | Suspended | Resumed | FeeCharged | Decided | Delivered
    | Withdrawn
)
EVENT_MODELS: dict[str, type[_ApprovalEventBase]] = {
    "received": Received,
    "accepted": Accepted,
    "not_accepted": NotAccepted,
    "node_completed": NodeCompleted,
    "suspended": Suspended,
    "resumed": Resumed,
    "fee_charged": FeeCharged,
    "decided": Decided,
    "delivered": Delivered,
    "withdrawn": Withdrawn,
}


class Evaluation(_Record):
    """A citizen's rating of a case (政风行风评议)."""

    kind: Literal["evaluation"]
    id: uuid.UUID
    case_no: Ident
    rating: Literal["satisfied", "basically_satisfied", "dissatisfied", "very_poor"]
    at: Timestamp
    comment: Text | None = None
    channel: Short | None = None


class Petitioner(_Record):
    name: Annotated[StrictStr, Field(min_length=1, max_length=200)]
    id_number: Short | None = None
    phone: Short | None = None
    address: Annotated[StrictStr, Field(max_length=500)] | None = None


class Subject(_Record):
    name: Annotated[StrictStr, Field(min_length=1, max_length=200)]
    unit: Short | None = None
    title: Short | None = None


class Petition(_Record):
    """A petition (信访) registered at an office; the petitioner block is protected."""

    kind: Literal["petition"]
    id: uuid.UUID
    channel: Literal["letter", "visit", "phone", "online", "hotline"]
    received_at: Timestamp
    petitioner: Annotated[Petitioner | None, PROTECTED] = None
    anonymous: StrictBool = False
    subject: Subject
    category: Literal["land", "approval", "conduct", "fees", "other"] = "other"
    content: Annotated[StrictStr, Field(max_length=100_000)] = ""
    receipt_code: Annotated[StrictStr, Field(pattern=r"^[0-9]{16}$")] | None = None
    query_password: Annotated[Secret, Field(min_length=6, max_length=200)] | None = None


class PetitionEvent(_Record):
    kind: Literal["petition_event"]
    id: uuid.UUID
    petition_id: uuid.UUID
    type: Literal["accepted", "not_accepted", "assigned", "extended", "replied", "closed", "merged"]
    at: Timestamp
    actor: Short | None = None
    days: Annotated[StrictInt, Field(ge=1, le=30)] | None = None
    text: Text | None = None
    substantiated: StrictBool | None = None
    """On ``closed``: the complaint proved founded (it counts in the risk index, spec 07 §1)."""


class NoticeReplyRecord(_Record):
    """An office's written answer to a supervision notice addressed to it (spec 06 §4)."""

    kind: Literal["notice_reply"]
    id: uuid.UUID
    notice_id: uuid.UUID
    at: Timestamp
    text: Annotated[StrictStr, Field(min_length=1, max_length=20_000)]


KIND_MODELS: dict[str, type[_Record]] = {
    "evaluation": Evaluation,
    "petition": Petition,
    "petition_event": PetitionEvent,
    "notice_reply": NoticeReplyRecord,
}


class RecordError(BaseModel):
    """Why one record of a batch was rejected."""

    index: int
    id: str | None = None
    code: str
    field: str | None = None
    message: str


class ImportSummary(BaseModel):
    """The answer to a batch (HTTP 200), stored and returned byte for byte on resend."""

    batch_id: str
    office: str
    status: Literal["ok", "partial", "rejected"]
    received: int
    imported: int
    duplicates: int
    rejected: int
    errors: list[RecordError]
    alerts_raised: int
    watermark: str | None
    processed_at: str
    dry_run: bool = False


class ErrorBody(BaseModel):
    code: str
    message: str
    details: list[Any] | None = None


class ErrorResponse(BaseModel):
    """Every error outside the per-record summary has this shape."""

    error: ErrorBody


class Rejection(Exception):
    """A record fails validation; carries the spec's code, the field and a message."""

    def __init__(self, code: str, message: str, field: str | None = None):
        super().__init__(message)
        self.code = code
        self.field = field
        self.message = message


# -- the error builder: messages that never show a protected value -----------------------------

def _marked(annotation: Any) -> bool:
    """Whether ``PROTECTED`` is in this annotation's metadata, at any depth of ``X | None``."""
    if typing.get_origin(annotation) is Annotated:
        args = typing.get_args(annotation)
        return any(m is PROTECTED for m in annotation.__metadata__) or _marked(args[0])
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        return any(_marked(a) for a in typing.get_args(annotation))
    return False


def _models_in(annotation: Any) -> list[type[BaseModel]]:
    """The models a field's annotation holds (through ``Annotated``, unions and lists)."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    return [m for a in typing.get_args(annotation) for m in _models_in(a)]


def _field(model: type[BaseModel], name: object) -> tuple[bool, list[type[BaseModel]]] | None:
    info = model.model_fields.get(name) if isinstance(name, str) else None
    if info is None:
        return None
    protected = any(m is PROTECTED for m in info.metadata) or _marked(info.annotation)
    return protected, _models_in(info.annotation)


def is_protected(model: type[BaseModel], loc: Iterable[object]) -> bool:
    """Whether a location (as pydantic reports it) lies in or under a protected field of ``model``."""
    models = [model]
    for part in loc:
        if isinstance(part, int):
            continue  # a list index: same models
        found = [f for f in (_field(m, part) for m in models) if f is not None]
        if not found:
            return False
        if any(protected for protected, _ in found):
            return True
        models = [m for _, ms in found for m in ms]
    return False


def _strings(value: Any) -> Iterable[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, bool) or value is None:
        return
    elif isinstance(value, int | float):
        yield str(value)
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def protected_values(model: type[BaseModel], raw: object) -> set[str]:
    """Every string sent under a protected field of ``model`` in the raw input (valid or not)."""
    out: set[str] = set()
    if not isinstance(raw, dict):
        return out
    for name, value in raw.items():
        found = _field(model, name)
        if found is None:
            continue
        protected, models = found
        if protected:
            out.update(_strings(value))
            continue
        for item in value if isinstance(value, list) else [value]:
            for m in models:
                out |= protected_values(m, item)
    return out


def redact(message: str, secrets: Iterable[str]) -> str:
    """``message`` with every occurrence of a protected value (as sent, or as repr shows it) replaced.

    The builder never puts a protected field's value in a message; this is for the same value
    turning up elsewhere (a petitioner's name repeated in the petition's content). One ASCII
    character alone is not searched for: it would mangle every number in the message.
    """
    forms: set[str] = set()
    for value in secrets:
        for form in (value, repr(value)[1:-1]):
            if len(form) > 1 or (form and not form.isascii()):
                forms.add(form)
    for form in sorted(forms, key=len, reverse=True):
        message = message.replace(form, REDACTED)
    return message


def _describe(model: type[BaseModel], err: Any, secrets: set[str]) -> tuple[str, str | None, str]:
    loc = [str(p) for p in err["loc"]]
    field = ".".join(loc) if loc else None
    where = f"{field}: " if field else ""
    if err["type"] == "missing":
        return "MISSING_FIELD", field, f"{field} is required"
    if is_protected(model, err["loc"]):
        # Neither the value nor a message a validator may have built from it: only what was wrong.
        if "error" in (err.get("ctx") or {}):
            return "INVALID_FIELD", field, f"{field} is not valid"
        return "INVALID_FIELD", field, f"{where}{err['msg']}"
    got = err.get("input")
    # Redacted before it is shortened: a cut must not leave half of a protected value behind.
    shown = redact(repr(got), secrets) if not isinstance(got, dict | list) else type(got).__name__
    if len(shown) > 60:
        shown = shown[:57] + "..."
    return "INVALID_FIELD", field, f"{where}{err['msg']} (got {shown})"


def validation_problems(model: type[BaseModel], exc: ValidationError, raw: object,
                        *, limit: int = 20) -> list[tuple[str, str | None, str]]:
    """``(code, field, message)`` for each of the first ``limit`` problems pydantic found in ``raw``.

    This is the one place validation messages are built, for batch records and request bodies
    alike: values under a ``PROTECTED`` field are never shown, and are redacted wherever else
    they turn up.
    """
    secrets = protected_values(model, raw)
    out = []
    for err in exc.errors(include_url=False)[:limit]:
        code, field, message = _describe(model, err, secrets)
        out.append((code, field, redact(message, secrets)))
    return out


def record_model(raw: object) -> type[_Record] | None:
    """The model a raw batch record claims to be (by its ``kind`` and ``type``), if any."""
    if not isinstance(raw, dict):
        return None
    kind = raw.get("kind")
    if kind == "approval_event":
        typ = raw.get("type")
        return EVENT_MODELS.get(typ) if isinstance(typ, str) else None
    return KIND_MODELS.get(kind) if isinstance(kind, str) else None


def record_secrets(raw: object) -> set[str]:
    """The protected values a raw batch record carries (for scrubbing any message about it)."""
    model = record_model(raw)
    return protected_values(model, raw) if model is not None else set()


_ADAPTERS: dict[str, TypeAdapter[Any]] = {
    **{f"approval_event:{t}": TypeAdapter(m) for t, m in EVENT_MODELS.items()},
    **{k: TypeAdapter(m) for k, m in KIND_MODELS.items()},
}


def parse_record(raw: object) -> _Record:
    """Validate one batch record; raises ``Rejection`` with the spec's code.

    Only the structure is checked here (kind, required fields, types, values); checks
    that need the catalogue or stored data (``UNKNOWN_POWER``, ``CASE_MISMATCH``, …)
    belong to the caller.
    """
    if not isinstance(raw, dict):
        raise Rejection("INVALID_FIELD", "a record must be a JSON object", None)
    kind = raw.get("kind")
    if kind is None:
        raise Rejection("MISSING_FIELD", "kind is required", "kind")
    if not isinstance(kind, str) or kind not in RECORD_KINDS:
        shown = repr(kind)[:60]
        raise Rejection("UNKNOWN_KIND", f"record kind {shown} is not one the server knows", "kind")
    key = kind
    if kind == "approval_event":
        typ = raw.get("type")
        if typ is None:
            raise Rejection("MISSING_FIELD", "type is required", "type")
        if not isinstance(typ, str) or typ not in EVENT_MODELS:
            raise Rejection(
                "INVALID_FIELD",
                f"type {str(typ)[:40]!r} is not an approval event type ({', '.join(APPROVAL_EVENT_TYPES)})",
                "type",
            )
        key = f"approval_event:{typ}"
    try:
        record: _Record = _ADAPTERS[key].validate_python(raw)
    except ValidationError as exc:
        model = record_model(raw)
        assert model is not None
        code, field, message = validation_problems(model, exc, raw, limit=1)[0]
        raise Rejection(code, message, field) from None
    if isinstance(record, Petition):
        _check_petition(record)
    if isinstance(record, PetitionEvent) and record.type == "extended" and record.days is None:
        raise Rejection("MISSING_FIELD", "days is required for an extension", "days")
    return record


def _check_petition(p: Petition) -> None:
    if p.anonymous and p.petitioner is not None:
        raise Rejection("INVALID_FIELD", "petitioner must be null when anonymous is true", "petitioner")
    if not p.anonymous and p.petitioner is None:
        raise Rejection("MISSING_FIELD", "petitioner is required unless anonymous is true", "petitioner")
    wants_query = not p.anonymous or p.receipt_code is not None or p.query_password is not None
    if wants_query:
        if p.receipt_code is None:
            raise Rejection("MISSING_FIELD", "receipt_code is required for a status query", "receipt_code")
        if p.query_password is None:
            raise Rejection("MISSING_FIELD", "query_password is required with a receipt code", "query_password")


def record_error(index: int, raw: object, code: str, message: str, field: str | None = None,
                 rid: str | None = None) -> dict[str, Any]:
    """One entry of an import summary's ``errors``, built the one way: whatever the message says,
    the record's protected values (``record_secrets``) are redacted from it."""
    return {"index": index, "id": rid if rid is not None else record_id(raw), "code": code, "field": field,
            "message": redact(message, record_secrets(raw))}


def query_password_of(raw: object) -> str | None:
    """The query password a raw record carries, if it is a petition with one (valid or not)."""
    if isinstance(raw, dict) and raw.get("kind") == "petition":
        value = raw.get("query_password")
        if isinstance(value, str) and value:
            return value
    return None


def record_id(raw: object) -> str | None:
    """The record's ``id`` as sent, if it is a string (for error reports)."""
    if isinstance(raw, dict):
        rid = raw.get("id")
        if isinstance(rid, str):
            return rid[:100]
    return None


# --- Mutations (spec 03 §2, 06): what consoles and investigators' laptops send and get back ---


class MutationIn(BaseModel):
    """One person-made change, chosen offline and replayed: idempotent by ``id``."""

    id: Annotated[StrictStr, Field(min_length=1, max_length=64)]
    entity: Annotated[StrictStr, Field(max_length=32)]
    entity_id: Annotated[StrictStr, Field(max_length=64)] | Annotated[StrictInt, Field(ge=0, le=2**63 - 1)] = Field(
        union_mode="left_to_right")
    action: Annotated[StrictStr, Field(max_length=32)]
    base_version: Annotated[StrictInt, Field(ge=0, le=2**62)] | None = None
    data: dict[str, Any] = Field(default_factory=dict)


class MutationsIn(BaseModel):
    mutations: list[MutationIn] = Field(max_length=1000)


class MutationError(BaseModel):
    """Why a mutation was refused: a stable code, messages, and the field or gate items at fault."""

    model_config = ConfigDict(extra="allow")
    code: str
    message: str
    message_zh: str | None = None
    field: str | None = None
    missing: list[str] | None = None


class MutationResult(BaseModel):
    """The answer to one mutation; a conflict also carries ``current`` and ``yours``, and an
    applied action may add what it made (``receipt_code``, ``investigation_id``)."""

    model_config = ConfigDict(extra="allow")
    id: str
    status: Literal["applied", "conflict", "rejected"]
    version: int | None
    error: MutationError | None


class MutationResults(BaseModel):
    results: list[MutationResult]


# -- API requests and answers (spec 03 §1–4) ----------------------------------------------------
#
# Request bodies are read by the server with its own limits (gzip, size, 415) and then validated
# with these models; answers are declared with them (``response_model``), so the OpenAPI
# document says exactly what goes over the wire. Consoles, the township agent and the tests read
# the same models.

UserRole = Literal["admin", "operator", "investigator", "petition_officer", "leader"]
OfficeKind = Literal["township", "department", "centre"]
STREAM_SCHEMES = ("rtsp://", "rtsps://", "http://", "https://", "rtp://", "udp://", "file://")


def _any_case(text: str) -> str:
    """A regular expression matching ``text`` in any letter case (JSON Schema has no ``(?i)``)."""
    return "".join(f"[{c.lower()}{c.upper()}]" if c.isalpha() else re.escape(c) for c in text)


STREAM_URL = "^(" + "|".join(_any_case(s) for s in STREAM_SCHEMES) + ")"
#: How many query passwords one batch may carry: each costs an Argon2id hash (deliberately slow),
#: so this bounds the CPU one batch can ask for. The township agent splits a batch on 413.
MAX_BATCH_QUERY_PASSWORDS = 1000


class _In(BaseModel):
    """A request body: unknown fields are refused, so a misspelt key is an error, not ignored."""

    model_config = ConfigDict(extra="forbid")


class _Out(BaseModel):
    """An answer: exactly these fields (a field the server adds must be declared here first)."""

    model_config = ConfigDict(extra="forbid")


class BatchIn(BaseModel):
    """``POST /batches``: an office's records (each validated on its own, see ``parse_record``)."""

    batch_id: Annotated[StrictStr, Field(min_length=1, max_length=64)]
    office: Annotated[StrictStr, Field(min_length=1, max_length=64)]
    complete_until: Annotated[StrictStr, Field(max_length=64, json_schema_extra={"format": "date-time"})] | None = (
        None)
    records: Annotated[list[Any], Field(max_length=MAX_BATCH_RECORDS)]


class LoginIn(_In):
    username: Annotated[StrictStr, Field(min_length=1, max_length=100)]
    password: Annotated[Secret, Field(min_length=1, max_length=1000)]


class TokenOut(_Out):
    token: str
    role: UserRole
    expires_at: str
    username: str
    display_name: str
    offices: list[str]


class UserIn(_In):
    username: Annotated[StrictStr, Field(min_length=1, max_length=100, pattern=r"^[\w.\-@]+$")]
    password: Annotated[Secret, Field(min_length=8, max_length=1000)]
    role: UserRole
    offices: Annotated[list[Annotated[StrictStr, Field(max_length=64)]], Field(max_length=5000)] = []
    display_name: Annotated[StrictStr, Field(max_length=200)] = ""


class UserOut(_Out):
    username: str
    role: UserRole
    offices: list[str]
    display_name: str


class UserRow(UserOut):
    disabled: bool


class UserList(_Out):
    users: list[UserRow]
    next: str | None


class SignedOut(_Out):
    """``POST /auth/logout``: the token that made the call works no more."""

    signed_out: bool


class Me(_Out):
    role: str
    name: str
    office: str | None
    #: An office token's office as people call it (the township agent's window shows it).
    office_name: str | None = None
    offices: list[str]


class OfficeIn(_In):
    code: Annotated[StrictStr, Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_.\-]+$")]
    name: Annotated[StrictStr, Field(min_length=1, max_length=200)]
    kind: OfficeKind = "township"
    parent: Annotated[StrictStr, Field(max_length=64)] | None = None
    silent_hours: Annotated[JsonInt, Field(ge=1, le=24 * 90)] | None = None
    """None: the server's ``office-silent`` setting (24 h unless an administrator changed it)."""


class OfficeToken(_Out):
    """A new office token: shown once, only its hash is stored."""

    code: str
    token: str


class OfficeOut(_Out):
    code: str
    name: str
    kind: str
    parent: str | None
    watermark: str | None
    as_of: str | None
    last_batch_at: str | None
    created_at: str | None
    version: int


class OfficeList(_Out):
    offices: list[OfficeOut]
    next: str | None


class WatermarkIn(_In):
    """An administrator corrects an office's watermark (it may move back); the reason is audited."""

    watermark: Timestamp
    reason: Annotated[StrictStr, Field(min_length=1, max_length=2000)]


class CatalogueIn(_In):
    """``PUT /catalogue``; the server checks it item by item (``shared.catalogue.parse_catalogue``)."""

    items: Annotated[list[PowerItem], Field(max_length=50_000)]


class CatalogueOut(_Out):
    version: int
    items: list[PowerItem]


class CatalogueStored(_Out):
    items: int
    version: int


class CalendarIn(_In):
    # Both lists are required and nothing else is accepted: a misspelt key ("holiday") must not
    # replace a year's calendar with an empty one.
    holidays: Annotated[list[Day], Field(max_length=366)]
    workdays: Annotated[list[Day], Field(max_length=366)]


class CalendarStored(_Out):
    year: int
    holidays: int
    workdays: int
    reevaluated: int = 0
    """Open cases whose clocks count through the year, evaluated again."""
    alerts_changed: int = 0
    dues_moved: int = 0


class CalendarOut(_Out):
    year: int
    source: str
    warning: str | None
    holidays: list[str]
    workdays: list[str]


class ClockIn(_In):
    now: Timestamp


class ClockOut(_Out):
    now: str
    simulated: bool


class ClockMoved(_Out):
    now: str
    evaluated: int
    alerts_raised: int


class Stats(_Out):
    offices: int
    cases: int
    events: int
    alerts: int
    petitions: int
    changes: int


class CameraIn(_In):
    name: Annotated[StrictStr, Field(min_length=1, max_length=200)]
    office: Annotated[StrictStr, Field(max_length=64)] | None = None
    window: Annotated[StrictStr, Field(max_length=100)] | None = None
    # Stream URLs may carry the camera's password: protected like one.
    main_url: Annotated[StrictStr, PROTECTED, Field(min_length=1, max_length=2000,
                                                    json_schema_extra={"pattern": STREAM_URL})]
    sub_url: Annotated[StrictStr, PROTECTED, Field(max_length=2000, json_schema_extra={"pattern": STREAM_URL + "|^$"})
                       ] | None = None
    enabled: StrictBool = True

    @field_validator("main_url", "sub_url")
    @classmethod
    def _scheme(cls, value: str | None) -> str | None:
        if value and not value.lower().startswith(STREAM_SCHEMES):
            # A message of its own (no ctx): the builder may show it, the value stays protected.
            raise PydanticCustomError("stream_url", "a stream URL starts with one of " + ", ".join(STREAM_SCHEMES))
        return value


class CameraOut(_Out):
    id: str
    name: str
    office: str | None
    window: str | None
    main_url: str
    sub_url: str | None
    enabled: bool
    version: int


class CameraList(_Out):
    cameras: list[CameraOut]
    next: str | None


class CameraDeleted(_Out):
    id: str
    deleted: bool


class LocalText(_Out):
    zh_CN: str  # noqa: N815 - the locale name, as the API spells it
    en: str


class RuleOut(_Out):
    code: str
    severity: Literal["yellow", "red"]
    name: LocalText
    clock: bool


class RuleList(_Out):
    rules: list[RuleOut]


class Health(_Out):
    status: Literal["ok"]
    version: str
    database: Literal["sqlite", "postgresql"]
    now: str
    simulated_clock: bool
    calendar_warnings: list[str]


class AlertSubject(_Out):
    type: Literal["case", "petition", "office", "notice"]
    office: str
    case_no: str | None = None
    petition_id: str | None = None
    notice_id: str | None = None


class EntityLink(_Out):
    """A link to another entity: ``{"type": "investigation", "id": …}``."""

    type: str
    id: str | int


class AlertOut(_Out):
    id: int
    rule: str
    rule_name: LocalText | None
    severity: Literal["yellow", "red"]
    status: str
    condition_cleared: bool
    subject: AlertSubject
    node: str | None
    raised_at: str
    as_of: str
    updated_at: str
    message: str
    message_en: str
    evidence: dict[str, Any]
    assignee: str | None
    resolution: str | None
    version: int
    links: list[EntityLink] = Field(default_factory=list)
    """Investigations opened from the alert."""


class AlertList(_Out):
    alerts: list[AlertOut]
    next: str | None


class AlertActionOut(_Out):
    action: str
    actor: str
    at: str
    data: dict[str, Any] | None


class AlertDetail(AlertOut):
    history: list[AlertActionOut]


class CaseSummary(_Out):
    """A case as lists and the change feed carry it (the console's replica row)."""

    office: str
    case_no: str
    power_code: str
    state: str
    received_at: str | None
    due: str | None
    closed_at: str | None
    used_hours: float | None
    ratings: dict[str, Any]
    version: int


class CaseList(_Out):
    cases: list[CaseSummary]
    next: str | None


class CaseEvent(_Out):
    """One stored approval event; the type's own fields are present only when sent."""

    id: str
    type: str
    at: str
    seq: int | None
    actor: str | None
    node: str | None = None
    applicant_id: str | None = None
    applicant_name: str | None = None
    channel: str | None = None
    note: str | None = None
    reason: str | None = None
    legal_basis: str | None = None
    opinion: str | None = None
    reason_code: str | None = None
    amount_fen: int | None = None
    result: str | None = None
    method: str | None = None
    backdated: bool
    batch_id: str
    arrived_at: str | None


class CaseRating(_Out):
    id: str
    rating: str
    at: str
    comment: str | None


class CaseSuspension(_Out):
    from_: str | None = Field(alias="from")
    to: str | None


class NodeClock(_Out):
    code: str
    name: str
    days: int | None
    started_at: str | None
    due: str | None
    completed_at: str | None
    risk_level: int | None


class CaseClocks(_Out):
    """The case's clocks as of the office's watermark; empty when its power item is unknown."""

    due: str | None = None
    warn_at: str | None = None
    counting_from: str | None = None
    limit_days: int | None = None
    warn_days: int | None = None
    used_hours: float | None = None
    acceptance_due: str | None = None
    suspended: bool | None = None
    suspensions: list[CaseSuspension] | None = None
    nodes: list[NodeClock] | None = None
    next_check: str | None = None
    closed_at: str | None = None
    current_node: str | None = None
    provisional: bool = False
    """A clock counts into a year whose holidays are not loaded: its due instants may move."""
    provisional_years: list[int] = Field(default_factory=list)


class CaseDetail(_Out):
    office: str
    case_no: str
    power_code: str
    item: PowerItem | None
    catalogue_version: int | None = None
    """The catalogue version the case is judged by (the one in force when it was accepted)."""
    state: str
    as_of: str
    clocks: CaseClocks
    events: list[CaseEvent]
    evaluations: list[CaseRating]
    alerts: list[AlertOut]
    version: int


class Change(_Out):
    seq: int
    entity: str
    id: str
    op: Literal["upsert", "delete"]
    data: Any


class ChangeFeed(_Out):
    changes: list[Change]
    cursor: str
    more: bool


class StatusIn(_In):
    """A petitioner's status check: both values are credentials, protected like passwords."""

    receipt_code: Annotated[StrictStr, PROTECTED, Field(min_length=1, max_length=64)]
    password: Annotated[Secret, Field(min_length=1, max_length=1000)]


class PetitionDeadlines(_Out):
    accept_due: str | None
    accept_warn_at: str | None
    handle_due: str | None
    handle_warn_at: str | None
    extension_days: int


class PetitionStatus(_Out):
    receipt_code: str | None
    status: str
    received_at: str
    deadlines: PetitionDeadlines
    reply: str | None


class PetitionerOut(_Out):
    name: str
    id_number: str | None = None
    phone: str | None = None
    address: str | None = None


class PetitionEventOut(_Out):
    id: str
    type: str
    at: str
    actor: str | None
    days: int | None
    text: str | None
    substantiated: bool | None = None


class PetitionAttachmentOut(_Out):
    """A scanned letter or recording; its file name only for the petition desk."""

    model_config = ConfigDict(extra="allow")
    sha256: str
    filename: str


class PetitionOut(_Out):
    id: str
    office: str
    channel: str
    received_at: str
    anonymous: bool
    petitioner: PetitionerOut | Literal["[protected]"] | None
    """The identity only for the petition desk; ``"[protected]"`` for everyone else."""
    subject: dict[str, Any]
    category: str
    content: str
    receipt_code: str | None
    status: str
    merged_into: str | None
    """The primary this petition was merged into (一信多投), or null."""
    duplicates: list[str]
    """Petitions merged into this one."""
    investigations: list[str]
    """Investigations the petition was converted into."""
    attachments: list[PetitionAttachmentOut]
    events: list[PetitionEventOut]
    version: int
    deadlines: PetitionDeadlines
    overdue: bool
    """A statutory deadline has passed with nothing done."""


class PetitionList(_Out):
    petitions: list[PetitionOut]
    next: str | None


class PetitionDetail(PetitionOut):
    pass


class ReminderOut(_Out):
    id: int
    office: str
    case_no: str
    node: str
    level: int
    point: str
    measure: str
    recipients: list[dict[str, Any]]
    text: str
    status: str
    attempts: int
    last_error: str | None
    created_at: str | None


class ReminderList(_Out):
    reminders: list[ReminderOut]
    next: str | None


class TimelineEntryOut(_Out):
    """One applied action on a card or notice (issue, revoke, reply, annotate), in order."""

    at: str
    actor: str
    action: str
    data: dict[str, Any]


class CardOut(_Out):
    """A 黄牌/红牌 (spec 06 §4)."""

    id: str
    kind: Literal["yellow", "red"]
    office: str
    staff: str | None
    reason: str
    alerts: list[int]
    issued_by: str
    issued_at: str
    status: Literal["active", "revoked"]
    revoked_by: str | None
    revoke_reason: str | None
    version: int
    timeline: list[TimelineEntryOut]


class CardList(_Out):
    cards: list[CardOut]
    next: str | None


class NoticeOut(_Out):
    """A 督办通知书 (spec 06 §4); ``reply_due`` from the working-day clock started at ``issued_at``."""

    id: str
    office: str
    subject: str
    body: str
    alerts: list[int]
    issued_by: str
    issued_at: str
    reply_days: int
    reply_due: str | None
    status: Literal["awaiting", "replied"]
    replied_at: str | None
    reply: str | None
    replied_by: str | None
    version: int
    timeline: list[TimelineEntryOut]


class NoticeList(_Out):
    notices: list[NoticeOut]
    next: str | None


class RiskRef(_Out):
    """The record behind a point: ``alert``, ``card``, ``notice``, ``petition`` (by id) or ``case``
    (``office/case_no``, with the rating's ``record`` id)."""

    type: Literal["alert", "card", "notice", "case", "petition"]
    id: str | int
    record: str | None = None


class RiskPoint(_Out):
    item: str
    weight: int
    ref: RiskRef


class RiskRow(_Out):
    key: str
    name: str
    index: int
    level: Literal["green", "yellow", "red"]
    points: list[RiskPoint]


class RiskIndexOut(_Out):
    """``GET /risk-index``: rows worst first; every point names its record (spec 07 §1)."""

    month: str
    by: Literal["office", "staff"]
    rows: list[RiskRow]


class EvaluationComponents(_Out):
    """Each component's score 0–100; null where it does not apply (no ratings, no cases decided,
    no routine supervision for a department)."""

    efficiency: float | None
    anomalies: float | None
    supervision: float | None
    public: float | None


class UnitCountsOut(_Out):
    """What a unit's month is made of: the counts behind every component and figure."""

    received: int
    decided: int
    early: int
    one_time: int
    used_fraction_sum: float
    working_days_sum: float
    timed: int
    red_alerts: int
    yellow_alerts: int
    alerts_by_rule: dict[str, int]
    red_cards: int
    yellow_cards: int
    notices_issued: int
    notices_due: int
    notices_on_time: int
    notices_late: int
    silent_alerts: int
    reminders: int
    ratings: int
    satisfied: int
    petitions_by_status: dict[str, int]
    petitions_finished: int
    petitions_on_time: int


class EvaluationBefore(_Out):
    total: float
    rank: int
    components: EvaluationComponents


class EvaluationRow(_Out):
    key: str
    name: str
    total: float
    rank: int
    components: EvaluationComponents
    counts: UnitCountsOut
    before: EvaluationBefore | None


class EvaluationOut(_Out):
    """``GET /evaluation``: ranked best first, ties sharing a rank (spec 07 §2)."""

    month: str
    by: Literal["office", "department"]
    weights: dict[str, int]
    rows: list[EvaluationRow]


class StatisticsFigures(_Out):
    cases_received: int
    cases_decided: int
    early_completion_rate: float | None
    one_time_rate: float | None
    average_working_days: float | None
    red_alerts: int
    yellow_alerts: int
    alerts_by_rule: dict[str, int]
    reminders: int
    red_cards: int
    yellow_cards: int
    notices_issued: int
    notices_due: int
    notices_on_time: int
    ratings: int
    satisfaction_rate: float | None
    petitions_by_status: dict[str, int]
    petitions_on_time_rate: float | None


class StatisticsRow(StatisticsFigures):
    key: str
    name: str


class StatisticsOut(_Out):
    """``GET /statistics``: the month's headline figures per unit and in all (spec 07 §3)."""

    month: str
    by: Literal["office", "department"]
    rows: list[StatisticsRow]
    total: StatisticsFigures
