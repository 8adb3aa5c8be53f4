"""Typed FastAPI dependencies: the context, sessions, the caller and the request body.

Request bodies are read here rather than by FastAPI's model binding where the protocol
needs exact control: gzip bodies, size limits with the spec's codes, 415 for non-JSON,
and parse errors that never turn into a 500.
"""

from __future__ import annotations

import gzip
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Annotated, Any, TypeVar

import orjson
from fastapi import Depends, Query, Request
from pydantic import BaseModel, ValidationError
from sqlalchemy import Select
from sqlalchemy.orm import Session

from server.auth.models import Token
from server.context import Context
from server.errors import ApiError
from server.offices.models import Office
from server.security import token_digest
from shared.protocol import validation_problems

MAX_BODY = 20 * 1024 * 1024
M = TypeVar("M", bound=BaseModel)


def get_context(request: Request) -> Context:
    ctx: Context = request.app.state.ctx
    return ctx


ContextDep = Annotated[Context, Depends(get_context)]


def read_session(ctx: ContextDep) -> Iterator[Session]:
    with ctx.db.reading() as session:
        yield session


ReadSession = Annotated[Session, Depends(read_session)]


@dataclass(frozen=True)
class Caller:
    """Who is calling: a person (with a role) or an office machine."""

    role: str
    name: str
    user_id: int | None = None
    office_id: int | None = None
    office_code: str | None = None
    office_name: str | None = None
    offices: tuple[str, ...] = ()

    @property
    def is_office(self) -> bool:
        return self.role == "office"


def bearer_token(request: Request) -> str:
    """The token of ``Authorization: Bearer <token>`` (401 without one)."""
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise ApiError(401, "UNAUTHENTICATED", "send Authorization: Bearer <token>",
                       headers={"WWW-Authenticate": "Bearer"})
    return token.strip()


def get_caller(request: Request, ctx: ContextDep) -> Caller:
    token = bearer_token(request)
    if len(token) > 500:
        raise ApiError(401, "UNAUTHENTICATED", "the token is not valid", headers={"WWW-Authenticate": "Bearer"})
    with ctx.db.reading() as session:
        row = session.get(Token, token_digest(token))
        if row is None:
            raise ApiError(401, "UNAUTHENTICATED", "the token is not valid", headers={"WWW-Authenticate": "Bearer"})
        if row.expires_at is not None and row.expires_at <= _real_now():
            raise ApiError(401, "TOKEN_EXPIRED", "the token has expired; sign in again",
                           headers={"WWW-Authenticate": "Bearer"})
        if row.office_id is not None:
            office = session.get(Office, row.office_id)
            assert office is not None
            return Caller(role="office", name=f"office:{office.code}", office_id=office.id, office_code=office.code,
                          office_name=office.name)
        from server.auth.models import User

        user = session.get(User, row.user_id) if row.user_id is not None else None
        if user is None or user.disabled:
            raise ApiError(401, "UNAUTHENTICATED", "the account is disabled")
        return Caller(role=user.role, name=user.username, user_id=user.id, offices=tuple(user.offices or ()))


def _real_now() -> int:
    from server.context import real_now

    return real_now()


CallerDep = Annotated[Caller, Depends(get_caller)]


PEOPLE = ("admin", "operator", "investigator", "petition_officer", "leader")
"""Every role a person signs in with (an office token is role ``office``)."""


def get_person(caller: CallerDep) -> Caller:
    """The caller, who must be a person (office machine tokens only post batches)."""
    if caller.is_office:
        raise ApiError(403, "FORBIDDEN", "office tokens may only post batches and read their summaries")
    return caller


PersonDep = Annotated[Caller, Depends(get_person)]


def require(*roles: str) -> Any:
    """A dependency: the caller, if its role is one of ``roles``; else 403. The one way routes
    authorize (the OpenAPI document reads ``roles`` from it to document 403)."""

    def check(caller: CallerDep) -> Caller:
        if caller.role not in roles:
            raise ApiError(403, "FORBIDDEN", f"the {caller.role} role may not do this")
        return caller

    check.roles = roles  # type: ignore[attr-defined]
    return Depends(check)


Admin = Annotated[Caller, require("admin")]
Person = Annotated[Caller, require(*PEOPLE)]


MAX_ROW_ID = 2**63 - 1

#: A list endpoint's ``cursor``: the ``next`` of the previous page. The pattern is documentation
#: (the OpenAPI document); ``keyset_page`` checks it itself and answers 400 ``INVALID_CURSOR``.
RowCursor = Annotated[str | None, Query(max_length=32, json_schema_extra={"pattern": r"^([0-9]{1,18})?$"},
                                        description="the `next` of the previous page")]


def row_id(value: object) -> int | None:
    """A client-given row id or cursor as an int, or None if it cannot name a row
    (not an integer, or beyond 64 bits, which the databases refuse with an error)."""
    try:
        n = int(value)  # type: ignore[call-overload]
    except (TypeError, ValueError):
        return None
    return n if 0 <= n <= MAX_ROW_ID else None


def _size(n: int) -> str:
    return f"{n // (1024 * 1024)} MiB" if n >= 1024 * 1024 else f"{n // 1024} KiB"


#: How much of an over-long body is still read (and thrown away) before answering 413, so that
#: a client that writes its whole body before reading (urllib, requests) gets the 413 instead of
#: a connection reset (what nginx calls a lingering close).
DRAIN_LIMIT = 128 * 1024 * 1024


def nul_path(value: Any, path: str = "") -> str | None:
    """Where the first U+0000 is in a JSON value (a dotted path, "" for the value itself), or None.

    PostgreSQL text cannot hold U+0000 at all, so the server refuses it everywhere (SQLite would
    store it): the same input gets the same answer on both databases.
    """
    if isinstance(value, str):
        return path if "\x00" in value else None
    if isinstance(value, dict):
        for key, item in value.items():
            where = f"{path}.{key}" if path else str(key)
            if "\x00" in key:
                return where
            found = nul_path(item, where)
            if found is not None:
                return found
    elif isinstance(value, list):
        for i, item in enumerate(value):
            found = nul_path(item, f"{path}[{i}]")
            if found is not None:
                return found
    return None


def _check_content_type(header: str | None) -> None:
    """JSON in UTF-8 or 415 (spec 03): no Content-Type at all, or another charset, is not JSON."""
    if header is None or not header.strip():
        raise ApiError(415, "UNSUPPORTED_MEDIA_TYPE", "send JSON with Content-Type: application/json")
    ctype, _, params = header.partition(";")
    ctype = ctype.strip().lower()
    if ctype != "application/json" and not (ctype.startswith("application/") and ctype.endswith("+json")):
        raise ApiError(415, "UNSUPPORTED_MEDIA_TYPE",
                       f"send JSON (Content-Type: application/json), not {ctype[:100]}")
    for param in params.split(";"):
        name, _, value = param.partition("=")
        if name.strip().lower() == "charset" and value.strip().strip('"').lower() not in ("utf-8", "utf8"):
            raise ApiError(415, "UNSUPPORTED_MEDIA_TYPE",
                           f"JSON is read as UTF-8; charset {value.strip()[:40]!r} is not supported")


async def read_json(request: Request, *, max_bytes: int = MAX_BODY, too_large_code: str = "TOO_LARGE",
                    nul_ok: bool = False) -> Any:
    """The request body as JSON: gunzipped if sent so, within ``max_bytes`` uncompressed.

    A string containing U+0000 is refused (400) unless ``nul_ok`` (batches reject such records
    one by one instead)."""
    _check_content_type(request.headers.get("content-type"))
    chunks: list[bytes] = []
    size = 0
    too_large = False
    async for chunk in request.stream():
        size += len(chunk)
        if size > max_bytes:
            too_large = True
            chunks.clear()
            if size > DRAIN_LIMIT:
                break
            continue
        chunks.append(chunk)
    if too_large:
        raise ApiError(413, too_large_code, f"the request body exceeds {_size(max_bytes)}")
    body = b"".join(chunks)
    encoding = request.headers.get("content-encoding", "").strip().lower()
    if encoding == "gzip":
        try:
            d = zlib.decompressobj(16 + zlib.MAX_WBITS)
            body = d.decompress(body, max_bytes + 1)
            if len(body) > max_bytes or d.unconsumed_tail:
                raise ApiError(413, too_large_code, f"the request body exceeds {_size(max_bytes)} uncompressed")
            if not d.eof:
                raise ApiError(400, "INVALID_GZIP", "the gzip body is truncated")
        except (zlib.error, gzip.BadGzipFile, EOFError):
            raise ApiError(400, "INVALID_GZIP", "the body is not valid gzip") from None
    elif encoding not in ("", "identity"):
        raise ApiError(415, "UNSUPPORTED_ENCODING", f"Content-Encoding {encoding!r} is not supported; use gzip")
    if not body:
        raise ApiError(400, "INVALID_JSON", "the request body is empty; send a JSON document")
    try:
        data = orjson.loads(body)
    except orjson.JSONDecodeError as exc:
        raise ApiError(400, "INVALID_JSON", f"the body is not valid JSON: {str(exc)[:200]}") from None
    # JSON can only carry U+0000 as the escape \u0000: look closer only when that is in the body.
    if not nul_ok and b"\\u0000" in body:
        where = nul_path(data)
        if where is not None:
            raise ApiError(400, "INVALID_REQUEST", f"{where[:100] or 'the body'} contains a NUL character (U+0000)")
    return data


def parse_model(model: type[M], data: Any) -> M:
    """``data`` validated as ``model``, or 400 ``INVALID_REQUEST`` naming what is wrong.

    Messages come from the one error builder (``shared.protocol.validation_problems``): a value
    sent in a ``PROTECTED`` field (a password, a stream URL) is never echoed back.
    """
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        problems = validation_problems(model, exc, data)
        details = [{"field": field, "message": message} for _, field, message in problems]
        raise ApiError(400, "INVALID_REQUEST", problems[0][2], details=details) from None


def json_body(model: type[M], *, max_bytes: int = 64 * 1024, too_large_code: str = "TOO_LARGE",
              parse: Callable[[Any], M] | None = None) -> Any:
    """A dependency: the request body read by ``read_json`` (gzip, size limit, 415, no 500s) and
    validated as ``model`` (or by ``parse``, which must accept what ``model`` describes).

    FastAPI never reads the body itself, so the route keeps this exact control; the OpenAPI
    document still names ``model`` as the request body (``server.openapi`` finds it here).
    """

    async def body(request: Request) -> M:
        data = await read_json(request, max_bytes=max_bytes, too_large_code=too_large_code)
        return parse(data) if parse is not None else parse_model(model, data)

    body.body_model = model  # type: ignore[attr-defined]
    body.max_bytes = max_bytes  # type: ignore[attr-defined]
    return Depends(body)


def keyset_page(
    session: Session, query: Select[Any, Any], key: Any, *, cursor: str | None, limit: int, newest_first: bool = False
) -> tuple[list[Any], str | None]:
    """One page of a list endpoint ordered by an integer column: the rows and the next cursor.

    The cursor is the page's last value of ``key``: the first selected column itself, or that
    attribute of the first selected entity; a cursor this server could not have given is 400.
    """
    if cursor:
        last = row_id(cursor)
        if last is None:
            raise ApiError(400, "INVALID_CURSOR", "the cursor is not one this server gave")
        query = query.where(key < last if newest_first else key > last)
    order = key.desc() if newest_first else key
    rows = list(session.execute(query.order_by(order).limit(limit + 1)).all())
    more = len(rows) > limit
    rows = rows[:limit]
    if not more:
        return rows, None
    last = rows[-1][0]
    return rows, str(last if isinstance(last, int) else getattr(last, key.key))
