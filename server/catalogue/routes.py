"""``POST /catalogue/dry-run``: check a catalogue import and say what it would change (admin only).

Storing it is ``PUT /catalogue`` (``server.admin.routes``); reading it, ``GET /catalogue``.
"""

from __future__ import annotations

from fastapi import APIRouter

from server.catalogue import service
from server.deps import ContextDep, ReadSession, json_body, require
from shared.admin import CatalogueCheck, CatalogueCheckIn

router = APIRouter(tags=["admin"])
#: a 7,500-item catalogue with its nodes is a few MiB; room for a province's
MAX_CATALOGUE_BYTES = 64 * 1024 * 1024


@router.post("/catalogue/dry-run", dependencies=[require("admin")], response_model=CatalogueCheck,
             summary="Check power items as PUT /catalogue would, and list what is new or changed; stores nothing")
def dry_run(ctx: ContextDep, session: ReadSession,
            body: CatalogueCheckIn = json_body(CatalogueCheckIn, max_bytes=MAX_CATALOGUE_BYTES)) -> CatalogueCheck:
    return service.check_catalogue(ctx.catalogue(session), items=body.items)
