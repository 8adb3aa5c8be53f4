"""Administrator endpoints: offices, catalogue, calendar, clock (spec 03 §3)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path
from fastapi.concurrency import run_in_threadpool
from sqlalchemy import func, select

from server.audit import service as audit
from server.auth.models import Token
from server.calendars import service as calendars
from server.catalogue.models import CalendarYear, PowerItemVersion
from server.changes.service import ChangeWriter, lock_for_commit_order
from server.context import (
    CLOCK_EARLIEST,
    CLOCK_LATEST,
    CLOCK_YEARS,
    ClockMovedBack,
    bump_meta,
    instant_in_range,
    real_now,
)
from server.deps import PEOPLE, Admin, CallerDep, ContextDep, ReadSession, json_body, require
from server.errors import ApiError, errors
from server.evaluation import Evaluator, office_json, sweep
from server.offices import watermark as watermarks
from server.offices.models import Office
from server.security import new_token, token_digest
from shared import protocol as p
from shared.calendar import validate_year_upload
from shared.catalogue import CatalogueError, PowerItem, parse_catalogue
from shared.timeutil import format_instant

router = APIRouter(tags=["admin"])
OfficeCode = Annotated[str, Path(min_length=1, max_length=64)]
Year = Annotated[int, Path(ge=1990, le=2200)]


@router.post("/offices", status_code=201, response_model=p.OfficeToken, responses=errors(409),
             summary="Register an office; returns its token once")
async def create_office(ctx: ContextDep, caller: Admin,
                        body: Annotated[p.OfficeIn, json_body(p.OfficeIn, max_bytes=64 * 1024)]) -> dict[str, Any]:
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


@router.post("/offices/{code}/token", response_model=p.OfficeToken, responses=errors(404),
             summary="Issue a new office token (old ones stop working)")
def rotate_office_token(code: OfficeCode, ctx: ContextDep, caller: Admin) -> dict[str, Any]:
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


@router.put("/offices/{code}/watermark", response_model=p.OfficeOut, responses=errors(404),
            summary="Correct an office's watermark (it may move back); audited with the reason")
async def put_watermark(code: OfficeCode, ctx: ContextDep, caller: Admin,
                        body: Annotated[p.WatermarkIn, json_body(p.WatermarkIn, max_bytes=16 * 1024)],
                        ) -> dict[str, Any]:
    target = instant_in_range(body.watermark)
    if target is None:
        raise ApiError(400, "INVALID_REQUEST", "watermark must lie between 1970 and 9000")

    def run() -> dict[str, Any]:
        with ctx.db.reading() as session:
            now = ctx.now(session)
        if target > p.latest_complete_until(now):
            raise ApiError(400, "FUTURE_TIMESTAMP", f"watermark lies after the end of the server's day "
                           f"({format_instant(now)}); an office cannot have declared that complete")
        try:
            return watermarks.correct_watermark(ctx, code=code, watermark=target, reason=body.reason,
                                                actor=caller.name)
        except watermarks.UnknownOffice:
            raise ApiError(404, "NOT_FOUND", f"no office {code[:64]}") from None

    return await run_in_threadpool(run)


@router.get("/offices", response_model=p.OfficeList, dependencies=[require(*PEOPLE)],
            summary="Offices with their watermarks")
def list_offices(ctx: ContextDep, session: ReadSession) -> dict[str, Any]:
    now = ctx.now(session)
    return {"offices": [office_json(o, now) for o in session.scalars(select(Office).order_by(Office.code))],
            "next": None}


def _catalogue_body(data: Any) -> p.CatalogueIn:
    if not isinstance(data, dict) or "items" not in data:
        raise ApiError(400, "INVALID_REQUEST", "send {\"items\": [PowerItem, …]}")
    if set(data) != {"items"}:
        raise ApiError(400, "INVALID_REQUEST", f"unknown field {sorted(set(data) - {'items'})[0][:64]!r}; "
                       "send {\"items\": [PowerItem, …]}")
    try:
        items = parse_catalogue(data["items"])
    except CatalogueError as exc:
        raise ApiError(400, "INVALID_CATALOGUE", exc.problems[0] if len(exc.problems) == 1 else
                       f"{len(exc.problems)} problems; first: {exc.problems[0]}",
                       details=exc.problems[:200]) from None
    return p.CatalogueIn.model_construct(items=items)


@router.put("/catalogue", response_model=p.CatalogueStored,
            summary="Upsert power items; creates a catalogue version")
async def put_catalogue(
    ctx: ContextDep, caller: Admin,
    body: Annotated[p.CatalogueIn, json_body(p.CatalogueIn, max_bytes=64 * 1024 * 1024, parse=_catalogue_body)],
) -> dict[str, Any]:
    items: list[PowerItem] = body.items

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


@router.get("/catalogue", response_model=p.CatalogueOut, dependencies=[require(*PEOPLE)],
            summary="The power items in force")
def get_catalogue(ctx: ContextDep, session: ReadSession) -> dict[str, Any]:
    snap = ctx.catalogue(session)
    return {"version": snap.version,
            "items": [entries[-1][2].model_dump(mode="json") for _, entries in sorted(snap.versions.items())]}


@router.put("/calendar/{year}", response_model=p.CalendarStored,
            summary="Upload a year's holidays and adjusted working days")
async def put_calendar(year: Year, ctx: ContextDep, caller: Admin,
                       body: Annotated[p.CalendarIn, json_body(p.CalendarIn, max_bytes=256 * 1024)]) -> dict[str, Any]:
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
            entry = audit.append(session, at=now, actor=caller.name, action="calendar.put", entity="calendar",
                                 entity_id=str(year), before=before, after=data)
            # Clocks that count through the year move: evaluate them again now, audited as its effect.
            try:
                report = calendars.reevaluate_year(ctx, session, year=year, now=now, actor=caller.name,
                                                   changes=changes, cause_seq=entry.seq)
            except BaseException:
                ctx.forget_calendar()
                raise
            changes.flush(session)
        ctx.committed()
        return {"year": year, "holidays": len(data["holidays"]), "workdays": len(data["workdays"]),
                "reevaluated": report.cases, "alerts_changed": report.alerts_changed, "dues_moved": report.dues_moved}

    return await run_in_threadpool(run)


@router.get("/calendar/{year}", response_model=p.CalendarOut,
            summary="A year's working-day calendar and where it came from")
def get_calendar(year: Year, ctx: ContextDep, caller: CallerDep, session: ReadSession) -> dict[str, Any]:
    cal = ctx.calendar(session)
    days, source = cal.year_days(year)
    return {"year": year, "source": source.value, "warning": cal.warning(year),
            "holidays": sorted(d.isoformat() for d in days.holidays),
            "workdays": sorted(d.isoformat() for d in days.workdays)}


@router.get("/admin/clock", response_model=p.ClockOut, summary="The server's current instant")
def get_clock(ctx: ContextDep, caller: CallerDep, session: ReadSession) -> dict[str, Any]:
    return {"now": format_instant(ctx.now(session)), "simulated": ctx.clock.simulated}


@router.put("/admin/clock", response_model=p.ClockMoved, responses=errors(409),
            summary="Move the simulated clock forward and evaluate")
async def put_clock(ctx: ContextDep, caller: Admin,
                    body: Annotated[p.ClockIn, json_body(p.ClockIn, max_bytes=4096)]) -> dict[str, Any]:
    if not ctx.clock.simulated:
        raise ApiError(409, "CLOCK_NOT_SIMULATED", "the server runs on real time; start it with --simulated-clock")
    target = instant_in_range(body.now)
    if target is None or not CLOCK_EARLIEST <= target < CLOCK_LATEST:
        raise ApiError(400, "INVALID_REQUEST", f"now must lie between {CLOCK_YEARS[0]} and {CLOCK_YEARS[1]}; "
                       "check the year")

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


@router.get("/admin/stats", response_model=p.Stats, dependencies=[require("admin")],
            summary="Row counts, for operations")
def stats(session: ReadSession) -> dict[str, Any]:
    from server import models as m

    return {
        name: session.scalar(select(func.count()).select_from(model))
        for name, model in (("offices", m.Office), ("cases", m.ApprovalCase), ("events", m.ApprovalEvent),
                            ("alerts", m.Alert), ("petitions", m.Petition), ("changes", m.Change))
    }
