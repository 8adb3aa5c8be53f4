"""``GET /approval-cases/{office}/{case_no}`` and the case list."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query
from sqlalchemy import select

from server.alerts.models import Alert
from server.alerts.service import alert_json
from server.calendars import service as calendars
from server.cases import service
from server.cases.models import ApprovalCase
from server.deps import ContextDep, ReadSession, RowCursor, keyset_page, require
from server.errors import ApiError
from server.offices.models import Office
from shared import protocol as p
from shared.rules import evaluate_case
from shared.rules.common import RULES
from shared.timeutil import format_instant

router = APIRouter(tags=["cases"])
# Investigators see their investigations and linked alerts, "nothing else in detail" (spec 01 Roles).
READERS = require("admin", "operator", "leader")


# ``:path`` because office case numbers may contain "/" (e.g. "2026/0001"), sent as %2F.
@router.get("/approval-cases/{office}/{case_no:path}", response_model=p.CaseDetail, response_model_exclude_unset=True,
            dependencies=[READERS], summary="A case with its clocks")
def get_case(office: Annotated[str, Path(max_length=64)], case_no: Annotated[str, Path(max_length=200)],
             ctx: ContextDep, session: ReadSession) -> dict[str, Any]:
    o = session.scalars(select(Office).where(Office.code == office)).one_or_none()
    case = None
    if o is not None:
        case_id = session.scalar(
            select(ApprovalCase.id).where(ApprovalCase.office_id == o.id, ApprovalCase.case_no == case_no)
        )
        case = service.load_cases(session, [case_id])[0] if case_id is not None else None
    if o is None or case is None:
        raise ApiError(404, "NOT_FOUND", f"no case {office[:64]}/{case_no[:64]}")
    now = ctx.now(session)
    as_of = o.as_of(now)
    events = service.load_events(session, [case.id]).get(case.id, [])
    ratings = service.load_ratings(session, [case]).get((o.id, case.case_no), [])
    codes: dict[int, str] = dict(session.execute(select(Office.id, Office.code)).tuples().all())
    dup = service.load_duplicates(session, [case], codes).get(case.id)
    catalogue = ctx.catalogue(session)
    item = service.item_for_case(catalogue, case.power_code, events)
    clocks: dict[str, Any] = {}
    state = case.state
    if item is not None:
        calendar = ctx.calendar(session)
        result = evaluate_case(service.build_facts(case, o.code, item, events, ratings, dup), calendar, as_of)
        clocks = result.clocks_json() | calendars.provisional(calendar, result)
        state = result.state
        clocks["current_node"] = result.current_node
    alerts = session.scalars(
        select(Alert).where(Alert.subject_type == "case", Alert.subject_id == str(case.id)).order_by(Alert.id)
    )
    return {
        "office": o.code,
        "case_no": case.case_no,
        "power_code": case.power_code,
        "item": item.model_dump() if item else None,
        "catalogue_version": service.catalogue_version_for_case(catalogue, case.power_code, events),
        "state": state,
        "as_of": format_instant(as_of),
        "clocks": clocks,
        "events": [service.event_json(e) for e in events],
        "evaluations": [
            {"id": r.id, "rating": r.rating, "at": format_instant(r.at), "comment": r.comment} for r in ratings
        ],
        "alerts": [alert_json(a, o.code) for a in alerts],
        "version": case.version,
    }


@router.get("/approval-cases", response_model=p.CaseList, dependencies=[READERS], summary="Cases, newest first")
def list_cases(
    session: ReadSession,
    office: Annotated[str | None, Query(max_length=64)] = None,
    state: Annotated[str | None, Query(max_length=32)] = None,
    limit: int = Query(500, ge=1, le=5000),
    cursor: RowCursor = None,
) -> dict[str, Any]:
    q = select(ApprovalCase, Office.code).join(Office, Office.id == ApprovalCase.office_id)
    if office:
        q = q.where(Office.code == office)
    if state:
        q = q.where(ApprovalCase.state == state)
    rows, after = keyset_page(session, q, ApprovalCase.id, cursor=cursor, limit=limit, newest_first=True)
    return {"cases": [service.case_summary(c, code) for c, code in rows], "next": after}


@router.get("/rules", response_model=p.RuleList, summary="The supervision rules with their names and severities")
def list_rules() -> dict[str, Any]:
    return {
        "rules": [
            {"code": r.code, "severity": r.severity, "name": {"zh_CN": r.name_zh, "en": r.name_en}, "clock": r.clock}
            for r in RULES.values()
        ]
    }
