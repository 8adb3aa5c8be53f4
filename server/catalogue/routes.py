"""``POST /catalogue/dry-run``: check a catalogue import and say what it would change (admin only).

Storing it is ``PUT /catalogue`` (``server.admin.routes``); reading it, ``GET /catalogue``.
"""

from __future__ import annotations

from server.bodies import checked_router
from server.catalogue import service
from server.deps import ContextDep, ReadSession, require
from shared.admin import CatalogueCheck, CatalogueCheckIn

router = checked_router(max_bytes=64 * 1024 * 1024, tags=["admin"])


@router.post("/catalogue/dry-run", dependencies=[require("admin")], response_model=CatalogueCheck,
             summary="Check power items as PUT /catalogue would, and list what is new or changed; stores nothing")
def dry_run(body: CatalogueCheckIn, ctx: ContextDep, session: ReadSession) -> CatalogueCheck:
    return service.check_catalogue(ctx.catalogue(session), items=body.items)
