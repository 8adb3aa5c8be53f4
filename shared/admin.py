"""Request and response bodies of the administration API (spec 03 §3), shared by the server,
``yingyan admin`` and the console's administration pane.

The server declares them on its routes (so the OpenAPI document describes every body an
integrator sends or reads); the clients parse answers with the same models, so a field the
server renames fails loudly in a test instead of showing an empty column.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictStr

Role = Literal["admin", "operator", "investigator", "petition_officer", "leader"]
ROLES: tuple[str, ...] = ("admin", "operator", "investigator", "petition_officer", "leader")

__all__ = [
    "ROLES",
    "AuditEntry",
    "AuditPage",
    "AuditVerify",
    "CalendarStatus",
    "CalendarYearState",
    "CatalogueCheck",
    "CatalogueCheckIn",
    "CatalogueProblem",
    "OfficeToken",
    "PasswordIn",
    "PasswordSet",
    "Role",
    "Setting",
    "SettingList",
    "User",
    "UserList",
    "UserPatch",
]

Username = Annotated[StrictStr, Field(min_length=1, max_length=100)]
OfficeCode = Annotated[StrictStr, Field(min_length=1, max_length=64)]


class _In(BaseModel):
    # What an administrator sends is checked strictly: an unknown key is a mistake, not ignored.
    model_config = ConfigDict(extra="forbid")


# ---- users ---------------------------------------------------------------------------------
class User(BaseModel):
    username: str
    display_name: str = ""
    role: str
    offices: list[str] = []
    disabled: bool = False
    created_at: str | None = None


class Person(BaseModel):
    """Someone work can be assigned to: what every staff member may know of a colleague."""

    username: str
    display_name: str = ""
    role: str


class People(BaseModel):
    """The active users, for choosing an assignee (``GET /people``)."""

    people: list[Person]


class UserList(BaseModel):
    users: list[User]
    next: str | None = None


class UserPatch(_In):
    """Fields to change; those left out stay as they are. Disabling signs the user out everywhere."""

    role: Role | None = None
    offices: Annotated[list[OfficeCode], Field(max_length=5000)] | None = None
    display_name: Annotated[StrictStr, Field(max_length=200)] | None = None
    disabled: StrictBool | None = None


class PasswordIn(_In):
    """A new password set by an administrator; the user's sessions end."""

    password: Annotated[StrictStr, Field(min_length=8, max_length=1000)]


class PasswordSet(BaseModel):
    username: str
    sessions_ended: int


# ---- offices -------------------------------------------------------------------------------
class OfficeToken(BaseModel):
    code: str
    token: str


# ---- settings ------------------------------------------------------------------------------
class Setting(BaseModel):
    name: str
    title: str
    value: dict[str, Any]
    default: dict[str, Any]
    fields: dict[str, str]
    """Field name → what it means."""
    version: int = 0
    """0 while the defaults are in force; each change adds one."""
    updated_at: str | None = None
    updated_by: str | None = None


class SettingList(BaseModel):
    settings: list[Setting]


# ---- audit ---------------------------------------------------------------------------------
class AuditEntry(BaseModel):
    seq: int
    at: str
    actor: str
    action: str
    entity: str
    entity_id: str
    before_digest: str | None = None
    after_digest: str | None = None
    detail: dict[str, Any] = {}
    """What the entry records beyond the digests; changes of settings, users and re-evaluated
    alerts carry ``before`` and ``after`` values here."""


class AuditPage(BaseModel):
    entries: list[AuditEntry]
    next: str | None = None


class AuditVerify(BaseModel):
    intact: bool
    entries: int
    broken_seq: int | None = None
    reason: str | None = None


# ---- catalogue -----------------------------------------------------------------------------
class CatalogueCheckIn(_In):
    """Power items to check without storing anything (each as ``PUT /catalogue`` takes them)."""

    items: Annotated[list[dict[str, Any]], Field(max_length=50_000)]


class CatalogueProblem(BaseModel):
    index: int | None = None
    """Position of the item in ``items``."""
    code: str | None = None
    field: str | None = None
    """Where in the item, e.g. ``nodes[1].days``."""
    message: str


class CatalogueCheck(BaseModel):
    """What importing ``items`` would do; nothing is stored."""

    items: int
    added: list[str] = []
    changed: list[str] = []
    unchanged: int = 0
    problems: list[CatalogueProblem] = []
    version: int
    """The catalogue version in force now; an import would create the next."""


# ---- calendar ------------------------------------------------------------------------------
class CalendarYearState(BaseModel):
    year: int
    source: Literal["admin", "builtin", "weekdays"]
    loaded: bool


class CalendarStatus(BaseModel):
    """Which years' holidays the server knows, and which it warns about now."""

    now: str
    year: int
    warn_from: str
    """Month and day (``11-01``) from which next year's missing holidays are warned about."""
    years: list[CalendarYearState]
    missing: list[int]
    """Years without holidays that matter now: this year, and next year from ``warn_from``."""
    warnings: list[str]
