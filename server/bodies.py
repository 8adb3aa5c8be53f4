"""Typed request bodies that keep the protocol's limits.

Routes of a router made with ``checked_router`` declare their bodies as pydantic models in
the ordinary FastAPI way, so the OpenAPI document describes each one; before FastAPI reads
the body, the route reads it with ``server.deps.read_json`` — Content-Type JSON (else 415),
gzip allowed, at most ``max_bytes`` (else 413), no U+0000 (else 400) — and hands FastAPI
the checked bytes. A body that fails the model is the API's 400 ``INVALID_REQUEST`` naming
the field (``server.errors``), never a 422.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any

import orjson
from fastapi import APIRouter, Request, Response
from fastapi.routing import APIRoute

from server.deps import read_json

BODY_METHODS = frozenset({"POST", "PUT", "PATCH"})


def checked_route(max_bytes: int) -> type[APIRoute]:
    """An ``APIRoute`` class whose bodies are read through ``read_json`` within ``max_bytes``."""

    class CheckedBodyRoute(APIRoute):
        def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
            handler = super().get_route_handler()
            has_body = self.body_field is not None

            async def checked(request: Request) -> Response:
                if has_body and request.method in BODY_METHODS:
                    data = await read_json(request, max_bytes=max_bytes)
                    # FastAPI reads the body again through Request.body(), which returns this.
                    request._body = orjson.dumps(data)
                return await handler(request)

            return checked

    return CheckedBodyRoute


def checked_router(*, max_bytes: int = 1024 * 1024, **kwargs: Any) -> APIRouter:
    return APIRouter(route_class=checked_route(max_bytes), **kwargs)
