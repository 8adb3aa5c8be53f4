"""Administrator endpoints: offices, catalogue, calendar, clock (spec 03 §3)."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, StrictStr
from sqlalchemy import func, select

from server.audit import service as audit
from server.auth.models import Token
from server.catalogue.models import CalendarYear, PowerItemVersion
from server.changes.service import ChangeWriter, lock_for_commit_order
from server.context import ClockMovedBack, bump_meta, instant_in_range, real_now
from server.deps import CallerDep, ContextDep, ReadSession, parse_model, read_json, require
from server.errors import ApiError
from server.evaluation import Evaluator, office_json, sweep
from server.offices.models import Office
from server.security import new_token, token_digest
from shared.calendar import validate_year_upload
from shared.catalogue import CatalogueError, parse_catalogue
from shared.timeutil import format_instant

router = APIRouter(tags=["admin"])
ADMIN = require("admin")


class OfficeIn(BaseModel):
    code: Annotated[StrictStr, Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_.\-]+$")]
    name: Annotated[StrictStr, Field(min_length=1, max_length=200)]
    kind: Literal["township", "department", "centre"] = "township"
    parent: Annotated[StrictStr, Field(max_length=64)] | None = None
    silent_hours: int = Field(24, ge=1, le=24 * 90)


@router.post("/offices", status_code=201, dependencies=[ADMIN], summary="Register an office; returns its token once")
async def create_office(request: Request, ctx: ContextDep, caller: CallerDep) -> dict[str, Any]:
    body = parse_model(OfficeIn, await read_json(request, max_bytes=64 * 1024))

    def run() -> dict[str, Any]:
        changes = ChangeWriter()
        with ctx.db.writing() as session:
            lock_for_commit_order(session)
            if session.scalars(select(Office).where(Office.code == body.code)).first() is not None:
                raise ApiError(409, "OFFICE_EXISTS", f"office {body.code} already exists")
            now = ctx.now(session)
            office = Office(code=body.code, name=body.name, kind=body.kind, parent=body.parent, created_at=now,
                            silent_hours=body.silent_hours, version=1)
            session.add(office)
            session.flush()
            token = new_token()
            session.add(Token(digest=token_digest(token), role="office", office_id=office.id, created_at=real_now()))
            ev = Evaluator(ctx, session, now, changes)
            ev.office(office)
            ev.finish()
            changes.add(topic="office", entity="office", entity_id=office.code, data=office_json(office, now), at=now)
            audit.append(session, at=now, actor=caller.name, action="office.create", entity="office",
                         entity_id=office.code, after=body.model_dump())
            changes.flush(session)
        ctx.committed()
        return {"code": body.code, "token": token}

    return await run_in_threadpool(run)


@router.post("/offices/{code}/token", dependencies=[ADMIN], summary="Issue a new office token (old ones stop working)")
def rotate_office_token(code: str, ctx: ContextDep, caller: CallerDep) -> dict[str, Any]:
    with ctx.db.writing() as session:
        office = session.scalars(select(Office).where(Office.code == code)).one_or_none()
        if office is None:
            raise ApiError(404, "NOT_FOUND", f"no office {code[:64]}")
        for t in session.scalars(select(Token).where(Token.office_id == office.id)):
            session.delete(t)
        token = new_token()
        session.add(Token(digest=token_digest(token), role="office", office_id=office.id, created_at=real_now()))
        audit.append(session, at=real_now(), actor=caller.name, action="office.token", entity="office",
                     entity_id=code)
    return {"code": code, "token": token}


@router.get("/offices", summary="Offices with their watermarks")
def list_offices(ctx: ContextDep, caller: CallerDep, session: ReadSession) -> dict[str, Any]:
    if caller.is_office:
        raise ApiError(403, "FORBIDDEN", "not allowed")
    now = ctx.now(session)
    return {"offices": [office_json(o, now) for o in session.scalars(select(Office).order_by(Office.code))],
            "next": None}


@router.put("/catalogue", dependencies=[ADMIN], summary="Upsert power items; creates a catalogue version")
async def put_catalogue(request: Request, ctx: ContextDep, caller: CallerDep) -> dict[str, Any]:
    body = await read_json(request, max_bytes=64 * 1024 * 1024)
    if not isinstance(body, dict) or "items" not in body:
        raise ApiError(400, "INVALID_REQUEST", "send {\"items\": [PowerItem, …]}")
    try:
        items = parse_catalogue(body["items"])
    except CatalogueError as exc:
        raise ApiError(400, "INVALID_CATALOGUE", exc.problems[0] if len(exc.problems) == 1 else
                       f"{len(exc.problems)} problems; first: {exc.problems[0]}",
                       details=exc.problems[:200]) from None

    def run() -> dict[str, Any]:
        changes = ChangeWriter()
        with ctx.db.writing() as session:
            now = ctx.now(session)
            version = bump_meta(session, "catalogue.version")
            rows = []
            for item in items:
                data = item.model_dump(mode="json")
                rows.append(PowerItemVersion(code=item.code, version=version, valid_from=now, name=item.name,
                                             department=item.department, data=data))
                changes.add(topic="catalogue", entity="power_item", entity_id=item.code,
                            data=data | {"version": version}, at=now)
            session.add_all(rows)
            audit.append(session, at=now, actor=caller.name, action="catalogue.put", entity="catalogue",
                         entity_id=str(version), after=[r.data for r in rows], detail={"items": len(rows)})
            changes.flush(session)
        ctx.committed()
        return {"items": len(items), "version": version}

    return await run_in_threadpool(run)


@router.get("/catalogue", summary="The power items in force")
def get_catalogue(ctx: ContextDep, caller: CallerDep, session: ReadSession) -> dict[str, Any]:
    if caller.is_office:
        raise ApiError(403, "FORBIDDEN", "not allowed")
    snap = ctx.catalogue(session)
    return {"version": snap.version,
            "items": [entries[-1][2].model_dump(mode="json") for _, entries in sorted(snap.versions.items())]}


class CalendarIn(BaseModel):
    # Both lists are required and nothing else is accepted: a misspelt key ("holiday") must not
    # replace a year's calendar with an empty one.
    model_config = ConfigDict(extra="forbid")
    holidays: list[date] = Field(max_length=366)
    workdays: list[date] = Field(max_length=366)


@router.put("/calendar/{year}", dependencies=[ADMIN], summary="Upload a year's holidays and adjusted working days")
async def put_calendar(year: int, request: Request, ctx: ContextDep, caller: CallerDep) -> dict[str, Any]:
    if not 1990 <= year <= 2200:
        raise ApiError(400, "INVALID_REQUEST", "year must be between 1990 and 2200")
    body = parse_model(CalendarIn, await read_json(request, max_bytes=256 * 1024))
    problems = validate_year_upload(year, body.holidays, body.workdays)
    if problems:
        raise ApiError(400, "INVALID_CALENDAR", problems[0], details=problems)

    def run() -> dict[str, Any]:
        changes = ChangeWriter()
        with ctx.db.writing() as session:
            now = ctx.now(session)
            row = session.get(CalendarYear, year)
            data = {"holidays": sorted(d.isoformat() for d in set(body.holidays)),
                    "workdays": sorted(d.isoformat() for d in set(body.workdays))}
            before = {"holidays": row.holidays, "workdays": row.workdays} if row else None
            if row is None:
                session.add(CalendarYear(year=year, uploaded_at=now, **data))
            else:
                row.holidays, row.workdays, row.uploaded_at = data["holidays"], data["workdays"], now
            bump_meta(session, "calendar.revision")
            changes.add(topic="calendar", entity="calendar", entity_id=str(year), data={"year": year, **data}, at=now)
            audit.append(session, at=now, actor=caller.name, action="calendar.put", entity="calendar",
                         entity_id=str(year), before=before, after=data)
            changes.flush(session)
        ctx.committed()
        return {"year": year, "holidays": len(data["holidays"]), "workdays": len(data["workdays"])}

    return await run_in_threadpool(run)


@router.get("/calendar/{year}", summary="A year's working-day calendar and where it came from")
def get_calendar(year: int, ctx: ContextDep, caller: CallerDep, session: ReadSession) -> dict[str, Any]:
    cal = ctx.calendar(session)
    days, source = cal.year_days(year)
    return {"year": year, "source": source.value, "warning": cal.warning(year),
            "holidays": sorted(d.isoformat() for d in days.holidays),
            "workdays": sorted(d.isoformat() for d in days.workdays)}


class ClockIn(BaseModel):
    now: AwareDatetime


@router.get("/admin/clock", summary="The server's current instant")
def get_clock(ctx: ContextDep, caller: CallerDep, session: ReadSession) -> dict[str, Any]:
    return {"now": format_instant(ctx.now(session)), "simulated": ctx.clock.simulated}


@router.put("/admin/clock", dependencies=[ADMIN], summary="Move the simulated clock forward and evaluate")
async def put_clock(request: Request, ctx: ContextDep, caller: CallerDep) -> dict[str, Any]:
    if not ctx.clock.simulated:
        raise ApiError(409, "CLOCK_NOT_SIMULATED", "the server runs on real time; start it with --simulated-clock")
    body = parse_model(ClockIn, await read_json(request, max_bytes=4096))
    in_range = instant_in_range(body.now)
    if in_range is None:
        raise ApiError(400, "INVALID_REQUEST", "now must lie between 1970 and 9000")
    target = in_range

    def run() -> dict[str, Any]:
        with ctx.db.writing() as session:
            try:
                ctx.clock.set(session, target)
            except ClockMovedBack:
                raise ApiError(409, "CLOCK_BACKWARDS",
                               f"the clock is at {format_instant(ctx.now(session))}; it only moves forward") from None
            audit.append(session, at=target, actor=caller.name, action="clock.set", entity="clock",
                         entity_id="sim", after={"now": format_instant(target)})
        report = sweep(ctx, wait=True)
        return {"now": format_instant(target), "evaluated": report.evaluated, "alerts_raised": report.raised}

    return await run_in_threadpool(run)


@router.get("/admin/stats", dependencies=[ADMIN], summary="Row counts, for operations")
def stats(session: ReadSession) -> dict[str, Any]:
    from server import models as m

    return {
        name: session.scalar(select(func.count()).select_from(model))
        for name, model in (("offices", m.Office), ("cases", m.ApprovalCase), ("events", m.ApprovalEvent),
                            ("alerts", m.Alert), ("petitions", m.Petition), ("changes", m.Change))
    }
