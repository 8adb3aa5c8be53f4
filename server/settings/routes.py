"""``GET /admin/settings``, ``GET/PUT /admin/settings/{name}`` (admin only).

Each setting of ``shared.settings`` gets its own ``GET`` and ``PUT`` route, the ``PUT`` with the
setting's model as its body, so the OpenAPI document describes every field; a name the
server does not know matches no route (404).
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel

from server.deps import CallerDep, ContextDep, ReadSession, json_body, require
from server.errors import ApiError
from server.settings import service
from shared import settings as registry
from shared.admin import Setting, SettingList

router = APIRouter(tags=["settings"])
ADMIN = require("admin")


@router.get("/admin/settings", dependencies=[ADMIN], response_model=SettingList, summary="Every server setting")
def list_settings(session: ReadSession) -> SettingList:
    return SettingList(settings=service.list_settings(session))


def _get_endpoint(spec: registry.SettingSpec) -> Any:
    def get(session: ReadSession) -> Setting:
        return service.get_setting(session, name=spec.name)

    get.__name__ = f"get_setting_{spec.name.replace('-', '_')}"
    return get


def _put_endpoint(spec: registry.SettingSpec) -> Any:
    async def put(ctx: ContextDep, caller: CallerDep, value: BaseModel = json_body(spec.model)) -> Setting:
        def run() -> Setting:
            with ctx.db.writing() as session:
                try:
                    return service.put_setting(session, name=spec.name, value=value.model_dump(), actor=caller.name,
                                               now=ctx.now(session))
                except registry.SettingError as exc:
                    raise ApiError(400, "INVALID_SETTING", exc.problems[0], details=exc.problems) from None

        return await run_in_threadpool(run)

    put.__name__ = f"put_setting_{spec.name.replace('-', '_')}"
    return put


# One GET and one PUT per setting (a name the server does not know matches no route: 404).
for _spec in registry.SETTINGS.values():
    router.add_api_route(f"/admin/settings/{_spec.name}", _get_endpoint(_spec), methods=["GET"],
                         dependencies=[ADMIN], response_model=Setting, summary=f"The setting: {_spec.title}")
    router.add_api_route(f"/admin/settings/{_spec.name}", _put_endpoint(_spec), methods=["PUT"],
                         dependencies=[ADMIN], response_model=Setting, summary=f"Change: {_spec.title}")
