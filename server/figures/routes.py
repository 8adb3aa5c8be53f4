"""``GET /risk-index``, ``GET /evaluation`` and ``GET /statistics`` for a month (spec 07).

Read by leaders, operators and the administrator: the console, a leader's overview and the
big screen all show these answers, so they agree. ``month`` defaults to the server's current
month (Asia/Shanghai)."""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter, Query

from server.deps import ContextDep, ReadSession, require
from server.errors import ApiError
from server.figures import service
from shared.protocol import EvaluationOut, RiskIndexOut, StatisticsOut
from shared.risk import local_month, parse_month

router = APIRouter(tags=["figures"])
READERS = require("admin", "leader", "operator")
MONTH = Query(None, max_length=7, description="YYYY-MM (Asia/Shanghai); the current month when absent")


def _month(ctx: Any, session: Any, text: str | None) -> tuple[tuple[int, int], int]:
    now = ctx.now(session)
    if text is None:
        return local_month(now), now
    month = parse_month(text)
    if month is None:
        raise ApiError(400, "INVALID_FIELD", "month must be YYYY-MM, e.g. 2026-03")
    return month, now


@router.get("/risk-index", response_model=RiskIndexOut, dependencies=[READERS],
            summary="The diligence-integrity risk index per office or person, worst first")
def get_risk_index(ctx: ContextDep, session: ReadSession, month: str | None = MONTH,
                   by: Literal["office", "staff"] = "office") -> dict[str, Any]:
    m, now = _month(ctx, session, month)
    return service.risk_index(ctx, session, month=m, by=by, now=now)


@router.get("/evaluation", response_model=EvaluationOut, dependencies=[READERS],
            summary="The monthly efficiency evaluation, ranked best first")
def get_evaluation(ctx: ContextDep, session: ReadSession, month: str | None = MONTH,
                   by: Literal["office", "department"] = "office") -> dict[str, Any]:
    m, now = _month(ctx, session, month)
    return service.evaluation(ctx, session, month=m, by=by, now=now)


@router.get("/statistics", response_model=StatisticsOut, dependencies=[READERS],
            summary="The month's headline statistics per office or department")
def get_statistics(ctx: ContextDep, session: ReadSession, month: str | None = MONTH,
                   by: Literal["office", "department"] = "office") -> dict[str, Any]:
    m, now = _month(ctx, session, month)
    return service.statistics(ctx, session, month=m, by=by, now=now)
