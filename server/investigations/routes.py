"""``GET /investigations`` and ``GET /investigations/{id}``. Changes are mutations
(``POST /mutations``, entity ``investigation``); what the caller may not see is 404, never 403."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query

from server.deps import CallerDep, ContextDep, ReadSession, RowCursor, keyset_page
from server.errors import ApiError
from server.investigations import service
from server.investigations.models import Investigation, InvestigationOut, InvestigationPage
from server.mutations.stores import read_world
from shared.actions import Actor
from shared.actions.base import uuid_id
from shared.actions.investigation import visible

router = APIRouter(tags=["investigations"])


def get_current_investigation(investigation_id: str, caller: CallerDep, ctx: ContextDep,
                              session: ReadSession) -> dict[str, Any]:
    """The case file the path names, if the caller may see it: the one place a case is found
    (or, whether it is missing or hidden from the caller, 404)."""
    iid = uuid_id(investigation_id)
    case = None if iid is None or caller.is_office else service.load(session, investigation_id=iid)
    if case is None or not visible(Actor(caller.name, caller.role), case, read_world(ctx, session)):
        raise ApiError(404, "NOT_FOUND", "no such investigation")
    return case


CurrentInvestigation = Annotated[dict[str, Any], Depends(get_current_investigation)]


@router.get("/investigations", response_model=InvestigationPage, summary="The investigations the caller may see")
def list_investigations(
    caller: CallerDep,
    session: ReadSession,
    stage: str | None = Query(None, max_length=200, description="stages, comma-separated"),
    status: str | None = Query(None, max_length=100, description="open, concluded, closed (comma-separated)"),
    assigned: str | None = Query(None, pattern="^me$", description="`me`: only cases the caller is assigned to"),
    limit: int = Query(100, ge=1, le=1000),
    cursor: RowCursor = None,
) -> dict[str, Any]:
    if caller.is_office:
        raise ApiError(403, "FORBIDDEN", "office tokens may only post batches and read their summaries")
    q = service.list_query(actor=Actor(caller.name, caller.role), stage=stage, status=status,
                           assigned_to_me=assigned == "me")
    rows, after = keyset_page(session, q, Investigation.pk, cursor=cursor, limit=limit, newest_first=True)
    return {"investigations": service.summaries(session, rows), "next": after}


@router.get("/investigations/{investigation_id}", response_model=InvestigationOut,
            summary="One investigation: stage, evidence, opinions, timeline")
def get_investigation(case: CurrentInvestigation) -> dict[str, Any]:
    return case
