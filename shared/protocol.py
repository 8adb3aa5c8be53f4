"""Protocol version 1 (spec 03): record schemas, validation codes, the import summary.

The server and the township agent validate records with the same code here, so most
mistakes are caught on the township's machine, with the same code and message the
server would give.
"""

from __future__ import annotations

import uuid
from typing import Annotated, Any, Literal

from pydantic import (
    AwareDatetime,
    BaseModel,
    ConfigDict,
    Field,
    StrictBool,
    StrictInt,
    StrictStr,
    TypeAdapter,
    ValidationError,
)

PROTOCOL_VERSION = 1
MAX_BATCH_RECORDS = 10_000
MAX_BATCH_BYTES = 20 * 1024 * 1024
FUTURE_TOLERANCE_SECONDS = 600

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
RECORD_KINDS = ("approval_event", "evaluation", "petition", "petition_event")


class _Record(BaseModel):
    # Unknown fields are ignored, not stored: an exporter that adds a column must not get
    # every record rejected, and nothing unvalidated reaches the database.
    model_config = ConfigDict(extra="ignore", frozen=True)


class _ApprovalEventBase(_Record):
    kind: Literal["approval_event"]
    id: uuid.UUID
    case_no: Ident
    power_code: Ident
    at: AwareDatetime
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
    at: AwareDatetime
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
    received_at: AwareDatetime
    petitioner: Petitioner | None = None
    anonymous: StrictBool = False
    subject: Subject
    category: Literal["land", "approval", "conduct", "fees", "other"] = "other"
    content: Annotated[StrictStr, Field(max_length=100_000)] = ""
    receipt_code: Annotated[StrictStr, Field(pattern=r"^[0-9]{16}$")] | None = None
    query_password: Annotated[StrictStr, Field(min_length=6, max_length=200)] | None = None


class PetitionEvent(_Record):
    kind: Literal["petition_event"]
    id: uuid.UUID
    petition_id: uuid.UUID
    type: Literal["accepted", "not_accepted", "assigned", "extended", "replied", "closed", "merged"]
    at: AwareDatetime
    actor: Short | None = None
    days: Annotated[StrictInt, Field(ge=1, le=30)] | None = None
    text: Text | None = None
    substantiated: StrictBool | None = None
    """On ``closed``: the complaint proved founded (it counts in the risk index, spec 07 §1)."""


KIND_MODELS: dict[str, type[_Record]] = {
    "evaluation": Evaluation,
    "petition": Petition,
    "petition_event": PetitionEvent,
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


#: Fields whose values an error message never repeats: who petitioned, and their password.
UNECHOED_FIELDS = frozenset({"petitioner", "query_password"})


def _describe(err: Any) -> tuple[str, str | None, str]:
    loc = [str(p) for p in err["loc"]]
    field = ".".join(loc) if loc else None
    if err["type"] == "missing":
        return "MISSING_FIELD", field, f"{field} is required"
    if loc and loc[0] in UNECHOED_FIELDS:
        return "INVALID_FIELD", field, f"{field}: {err['msg']}"
    got = err.get("input")
    shown = repr(got) if not isinstance(got, dict | list) else type(got).__name__
    if len(shown) > 60:
        shown = shown[:57] + "..."
    return "INVALID_FIELD", field, f"{field}: {err['msg']} (got {shown})"


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
        code, field, message = _describe(exc.errors(include_url=False)[0])
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
