"""``GET /risk-index``, ``GET /evaluation`` and ``GET /statistics`` for a month (spec 07).

Read by leaders, operators and the administrator: the console, a leader's overview and the
big screen all show these answers, so they agree. ``month`` defaults to the server's current
month (Asia/Shanghai). The service checks each answer against its model when it computes it;
the routes send it as JSON without checking it again (a closed month is read from its store)."""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter, Query, Response

from server.deps import ContextDep, ReadSession, require
from server.errors import ApiError
from server.figures import service
from shared.protocol import EvaluationOut, RiskIndexOut, StatisticsOut
from shared.risk import local_month, parse_month

router = APIRouter(tags=["figures"])
READERS = require("admin", "leader", "operator")
#: Years 1970–8999: every month the server's instants can hold, with its next month.
MONTH = Query(None, max_length=7, pattern=r"^(19[7-9][0-9]|[2-8][0-9]{3})-(0[1-9]|1[0-2])$",
              description="YYYY-MM (Asia/Shanghai); the current month when absent")


def _json(body: bytes) -> Response:
    return Response(body, media_type="application/json")


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
                   by: Literal["office", "staff"] = "office") -> Response:
    m, now = _month(ctx, session, month)
    return _json(service.risk_index(ctx, session, month=m, by=by, now=now))


@router.get("/evaluation", response_model=EvaluationOut, dependencies=[READERS],
            summary="The monthly efficiency evaluation, ranked best first")
def get_evaluation(ctx: ContextDep, session: ReadSession, month: str | None = MONTH,
                   by: Literal["office", "department"] = "office") -> Response:
    m, now = _month(ctx, session, month)
    return _json(service.evaluation(ctx, session, month=m, by=by, now=now))


@router.get("/statistics", response_model=StatisticsOut, dependencies=[READERS],
            summary="The month's headline statistics per office or department")
def get_statistics(ctx: ContextDep, session: ReadSession, month: str | None = MONTH,
                   by: Literal["office", "department"] = "office") -> Response:
    m, now = _month(ctx, session, month)
    return _json(service.statistics(ctx, session, month=m, by=by, now=now))
