"""The API's one error shape, ``{"error": {"code", "message"}}``, and its handlers."""

from __future__ import annotations

import functools
import logging
import re
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.routing import iter_route_contexts
from sqlalchemy.exc import OperationalError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import compile_path

log = logging.getLogger(__name__)

_DEFAULT_CODES = {
    400: "BAD_REQUEST",
    401: "UNAUTHENTICATED",
    403: "FORBIDDEN",
    404: "NOT_FOUND",
    405: "METHOD_NOT_ALLOWED",
    409: "CONFLICT",
    410: "GONE",
    413: "TOO_LARGE",
    415: "UNSUPPORTED_MEDIA_TYPE",
    429: "RATE_LIMITED",
    503: "UNAVAILABLE",
}


ERROR_TEXT = {
    400: "malformed request (the code and message say what is wrong)",
    401: "no token, or a bad or expired one",
    403: "this role or office may not do this",
    404: "unknown, or not visible to this caller",
    409: "conflicts with what is stored",
    410: "gone (a cursor the server can no longer serve)",
    413: "the body is too large",
    415: "the body is not JSON (or not in an encoding the server reads)",
    429: "rate limited; see Retry-After",
    503: "overloaded or shutting down; see Retry-After",
}


def errors(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """``responses=`` for a route: the error statuses it answers beyond those every route of its
    kind has (the OpenAPI document adds 400, 401/403, 413/415 and 503 from the route itself)."""
    from shared.protocol import ErrorResponse

    return {s: {"model": ErrorResponse, "description": ERROR_TEXT[s]} for s in statuses}


class ApiError(Exception):
    def __init__(self, status: int, code: str, message: str, *, details: list[Any] | None = None,
                 headers: dict[str, str] | None = None):
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.details = details
        self.headers = headers


def error_response(status: int, code: str, message: str, details: list[Any] | None = None,
                   headers: dict[str, str] | None = None) -> JSONResponse:
    body: dict[str, Any] = {"code": code, "message": message}
    if details:
        body["details"] = details
    return JSONResponse({"error": body}, status_code=status, headers=headers)


def _validation_details(exc: RequestValidationError) -> list[dict[str, Any]]:
    out = []
    for err in exc.errors()[:20]:
        loc = [str(x) for x in err.get("loc", ()) if x != "body"]
        out.append({"field": ".".join(loc) or None, "message": str(err.get("msg", ""))[:300]})
    return out


class RefuseNul:
    """ASGI middleware: a path or query string with U+0000 (%00) is 400, on every endpoint.

    PostgreSQL cannot compare text with U+0000, so such a value would fail deep inside a query."""

    def __init__(self, app: Any):
        self.app = app

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] == "http" and ("\x00" in scope.get("path", "") or b"%00" in scope.get("query_string", b"")):
            response = error_response(400, "INVALID_REQUEST", "the address contains a NUL character (%00)")
            await response(scope, receive, send)
            return
        await self.app(scope, receive, send)


@functools.lru_cache(maxsize=256)
def _route_patterns(app: FastAPI) -> tuple[tuple[re.Pattern[str], frozenset[str]], ...]:
    out = []
    for route in iter_route_contexts(app.routes):
        methods = getattr(route, "methods", None)
        if methods and route.path:
            out.append((compile_path(route.path)[0], frozenset(methods)))
    return tuple(out)


def allowed_methods(app: FastAPI, path: str) -> list[str]:
    """Every method some route serves at ``path``, in a stable order."""
    found: set[str] = set()
    for pattern, methods in _route_patterns(app):
        if pattern.match(path):
            found |= methods
    return sorted(found)


def install(app: FastAPI) -> None:
    app.add_middleware(RefuseNul)

    @app.exception_handler(ApiError)
    async def _api_error(_: Request, exc: ApiError) -> JSONResponse:
        return error_response(exc.status, exc.code, exc.message, exc.details, exc.headers)

    @app.exception_handler(RequestValidationError)
    async def _invalid(_: Request, exc: RequestValidationError) -> JSONResponse:
        details = _validation_details(exc)
        first = details[0] if details else {"field": None, "message": "invalid request"}
        where = f"{first['field']}: " if first["field"] else ""
        return error_response(400, "INVALID_REQUEST", f"{where}{first['message']}", details)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        code = _DEFAULT_CODES.get(exc.status_code, "ERROR")
        message = exc.detail if isinstance(exc.detail, str) else code.lower()
        headers = dict(getattr(exc, "headers", None) or {})
        if exc.status_code == 404 and message == "Not Found":
            message = "no such resource"
        if exc.status_code == 405:
            # The router answers for the first route whose path matched; a path has one route per
            # method, so the Allow header is rebuilt from all of them (RFC 9110 §15.5.6).
            allowed = allowed_methods(request.app, request.url.path)
            headers["Allow"] = ", ".join(allowed)
            message = f"{request.method[:16]} is not allowed here; use {' or '.join(allowed)}"
        return error_response(exc.status_code, code, message, headers=headers or None)

    @app.exception_handler(OperationalError)
    async def _database_unavailable(request: Request, exc: OperationalError) -> JSONResponse:
        # The database is locked past its timeout, restarting or unreachable: the transaction was
        # rolled back, nothing is half-written, and the client may simply try again.
        log.warning("database unavailable on %s %s: %s", request.method, request.url.path, type(exc.orig).__name__)
        return error_response(503, "UNAVAILABLE", "the database is busy or unreachable; nothing was stored. "
                              "Try again shortly.", headers={"Retry-After": "5"})

    @app.exception_handler(RecursionError)
    async def _deep(_: Request, __: RecursionError) -> JSONResponse:
        return error_response(400, "INVALID_JSON", "the JSON document is nested too deeply")

    @app.exception_handler(Exception)
    async def _crash(request: Request, exc: Exception) -> JSONResponse:
        log.exception("unhandled error on %s %s", request.method, request.url.path)
        return error_response(500, "INTERNAL", "the server failed; nothing was stored. Try again later.")
