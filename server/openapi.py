"""The served OpenAPI document, completed from what the routes declare.

FastAPI documents ``response_model`` and ``responses=`` itself. What it cannot see is added here
from the routes' own dependencies, so the document cannot drift from the code:

* request bodies: ``deps.json_body`` reads the body itself (gzip, limits, 415) and carries its
  model; it becomes the operation's ``requestBody``;
* security: an operation that depends on ``get_caller`` needs the bearer token (401), and one
  behind ``require(...)`` may answer 403;
* the errors every operation of a kind can answer (400; 413 and 415 with a body; 503 when the
  database is unavailable), all in the one error shape, ``ErrorResponse``;
* FastAPI's own 422 is dropped: the server answers 400 for every malformed request.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from fastapi import FastAPI
from fastapi.dependencies.models import Dependant
from fastapi.openapi.utils import get_openapi
from fastapi.routing import APIRoute, iter_route_contexts
from pydantic import BaseModel
from pydantic.json_schema import models_json_schema

from server.deps import get_caller
from server.errors import ERROR_TEXT
from shared.protocol import ErrorResponse

REF = "#/components/schemas/{model}"
BEARER = "bearer"


def _calls(dependant: Dependant) -> Iterator[Callable[..., Any]]:
    for dep in dependant.dependencies:
        if dep.call is not None:
            yield dep.call
        yield from _calls(dep)


def _shape(schema: dict[str, Any]) -> tuple[Any, ...]:
    return (sorted(schema.get("required", ())), sorted(schema.get("properties", {})),
            schema.get("additionalProperties"))


def _key(route: Any) -> tuple[str, tuple[str, ...]]:
    return route.path_format, tuple(sorted(route.methods or ()))


def _error(status: int) -> dict[str, Any]:
    return {"description": ERROR_TEXT[status],
            "content": {"application/json": {"schema": {"$ref": REF.format(model="ErrorResponse")}}}}


def build_openapi(app: FastAPI) -> dict[str, Any]:
    doc = get_openapi(title=app.title, version=app.version, routes=app.routes, description=app.description)
    # Routes as mounted (with their prefixes), however FastAPI nests included routers.
    routes: list[Any] = [c for c in iter_route_contexts(app.routes)
                         if isinstance(c.original_route, APIRoute) and c.original_route.include_in_schema]
    bodies: dict[tuple[str, tuple[str, ...]], type[BaseModel]] = {}
    for route in routes:
        for call in _calls(route.dependant):
            model = getattr(call, "body_model", None)
            if model is not None:
                bodies[_key(route)] = model
    # The body models and ErrorResponse, with every model they refer to, as components.
    models: list[type[BaseModel]] = [ErrorResponse, *dict.fromkeys(bodies.values())]
    _, defs = models_json_schema([(m, "validation") for m in models], ref_template=REF)
    schemas = doc.setdefault("components", {}).setdefault("schemas", {})
    for name, schema in defs.get("$defs", {}).items():
        # A model used in answers and in bodies must read the same both ways (one name, one meaning);
        # FastAPI's rendering differs only cosmetically (it drops ``default: null``).
        if _shape(schemas.setdefault(name, schema)) != _shape(schema):
            raise RuntimeError(f"schema {name} differs between request bodies and answers")
    for name in ("HTTPValidationError", "ValidationError"):
        schemas.pop(name, None)
    doc["components"]["securitySchemes"] = {
        BEARER: {"type": "http", "scheme": "bearer",
                 "description": "a user's token from POST /auth/token, an office's machine token, or the "
                                "administrator's token from the data directory"},
    }
    for route in routes:
        calls = list(_calls(route.dependant))
        authenticated = get_caller in calls
        restricted = any(getattr(c, "roles", None) for c in calls)
        body = bodies.get(_key(route))
        for method in route.methods or ():
            op = doc["paths"][route.path_format][method.lower()]
            responses: dict[str, Any] = op.setdefault("responses", {})
            responses.pop("422", None)
            statuses = {400, 503}
            if body is not None:
                op["requestBody"] = {"required": True, "content": {
                    "application/json": {"schema": {"$ref": REF.format(model=body.__name__)}}}}
                statuses |= {413, 415}
            if authenticated:
                op["security"] = [{BEARER: []}]
                # Every token-taking route may refuse the kind of caller it is not for (an office's
                # token on a person's route, or a role the route's data is not for): 401 and 403.
                statuses |= {401, 403}
            if restricted:
                statuses.add(403)
            if route.path_format.count("{"):
                statuses.add(404)
            for status in sorted(statuses):
                responses.setdefault(str(status), _error(status))
            # FastAPI names the error model by its class; every error points at the one schema.
            for code, answer in responses.items():
                if code.startswith(("4", "5")):
                    answer.setdefault("content", _error(int(code))["content"])
    return doc


def install(app: FastAPI) -> None:
    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = build_openapi(app)
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
