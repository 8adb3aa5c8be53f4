"""``GET /calendar-status``: which years are loaded and what the server warns about."""

from __future__ import annotations

from fastapi import APIRouter

from server.calendars import service
from server.deps import CallerDep, ContextDep, ReadSession
from server.errors import ApiError
from shared.admin import CalendarStatus

router = APIRouter(tags=["admin"])


@router.get("/calendar-status", response_model=CalendarStatus,
            summary="Years with and without loaded holidays, and the warnings shown to operators")
def calendar_status(ctx: ContextDep, caller: CallerDep, session: ReadSession) -> CalendarStatus:
    if caller.is_office:
        raise ApiError(403, "FORBIDDEN", "not allowed")
    return service.status(ctx, session)
