"""Petition endpoints: the desk's list (filters), one petition, merge suggestions, and the
public status check. Changes go through ``POST /mutations`` (``shared.actions.petition``)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import FileResponse
from pydantic import BaseModel, Field
from sqlalchemy import ColumnElement, Select, case, or_, select
from sqlalchemy.orm import Session

from server.audit import service as audit
from server.deps import CallerDep, ContextDep, ReadSession, json_body, require
from server.errors import ApiError, errors
from server.mutations.stores import evidence_path
from server.offices.models import Office
from server.petitions import public, service, similar
from server.petitions.models import Petition
from shared import protocol as pr
from shared.actions.base import uuid_id
from shared.rules.petition import PETITION_STATES, evaluate_petition

router = APIRouter(tags=["petitions"])
READERS = require("admin", "leader", "petition_officer")
DESK = require("admin", "petition_officer")


def _as_of(now: int) -> ColumnElement[int]:
    """Each office's evaluation time (spec 02 §3) in SQL: the centre's is now."""
    return case(
        (Office.kind == "centre", now),
        (Office.watermark.is_(None), Office.created_at),
        (Office.watermark < now, Office.watermark),
        else_=now,
    )


def _with_clocks(out: dict[str, Any], p: Petition, office: Office, events: list[Any], now: int) -> dict[str, Any]:
    """The petition's statutory deadlines as of its office's evaluation time, and whether one passed."""
    as_of = office.as_of(now)
    result = evaluate_petition(service.build_facts(p, events, None), as_of, now)
    due = result.open_due()
    out["deadlines"] = result.clocks_json()
    out["overdue"] = due is not None and as_of >= due
    return out


#: the ``status`` filter: petition states, comma-separated (the schema says which, so a client
#: generating requests from it sends only states that exist)
STATUS_LIST = "^({0})(,({0}))*$".format("|".join(PETITION_STATES))


@router.get("/petitions", response_model=pr.PetitionList, dependencies=[READERS],
            summary="Petitions, filtered (identity protected)")
def list_petitions(
    session: ReadSession,
    ctx: ContextDep,
    status: str | None = Query(None, max_length=200, pattern=STATUS_LIST,
                               description="comma-separated: registered, accepted, not_accepted, replied, "
                                           "closed, merged"),
    overdue: bool | None = Query(None, description="true: a statutory deadline has passed with nothing done"),
    q: str | None = Query(None, max_length=200, description="text in the content, subject or unit; a receipt code"),
    office: Annotated[str | None, Query(max_length=64)] = None,
    limit: int = Query(500, ge=1, le=5000),
    cursor: Annotated[str | None, Query(max_length=64)] = None,
) -> dict[str, Any]:
    now = ctx.now(session)
    query: Select[Petition, Office] = select(Petition, Office).join(Office, Office.id == Petition.office_id)
    if status:
        wanted = [s.strip() for s in status.split(",") if s.strip()]
        unknown = [s for s in wanted if s not in PETITION_STATES]
        if unknown:
            raise ApiError(400, "INVALID_REQUEST", f"status {unknown[0][:40]!r} is not one of "
                                                   f"{', '.join(PETITION_STATES)}")
        query = query.where(Petition.status.in_(wanted))
    if overdue is True:
        query = query.where(Petition.deadline.is_not(None), Petition.deadline <= _as_of(now))
    elif overdue is False:
        query = query.where(or_(Petition.deadline.is_(None), Petition.deadline > _as_of(now)))
    if q and q.strip():
        text = q.strip()
        query = query.where(or_(
            Petition.content.contains(text, autoescape=True),
            Petition.subject_name.contains(text, autoescape=True),
            Petition.subject_unit.contains(text, autoescape=True),
            Petition.receipt_code == public.normalize_code(text),
            Petition.id == text,
        ))
    if office:
        query = query.where(Office.code == office)
    if cursor:
        query = query.where(Petition.id > cursor)
    rows = session.execute(query.order_by(Petition.id).limit(limit + 1)).all()
    more = len(rows) > limit
    rows = rows[:limit]
    ids = [p.id for p, _ in rows]
    events = service.load_events(session, ids)
    merged = service.load_merged(session, ids)
    out = [_with_clocks(service.petition_json(p, o.code, events=events.get(p.id, []), duplicates=merged.get(p.id, [])),
                        p, o, events.get(p.id, []), now)
           for p, o in rows]
    return {"petitions": out, "next": rows[-1][0].id if more else None}


def _one(session: Session, petition_id: str) -> tuple[Petition, Office]:
    pid = uuid_id(petition_id)
    row = None if pid is None else session.execute(
        select(Petition, Office).join(Office, Office.id == Petition.office_id).where(Petition.id == pid)
    ).first()
    if row is None:
        raise ApiError(404, "NOT_FOUND", "no such petition")
    return row[0], row[1]


@router.get("/petitions/{petition_id}", response_model=pr.PetitionDetail, dependencies=[READERS],
            summary="A petition with its events and deadlines (the identity only for the petition desk, audited)")
def get_petition(petition_id: Annotated[str, Path(max_length=64)], ctx: ContextDep, caller: CallerDep
                 ) -> dict[str, Any]:
    with ctx.db.writing() as session:
        p, office = _one(session, petition_id)
        now = ctx.now(session)
        events = service.load_events(session, [p.id]).get(p.id, [])
        out = service.petition_json(p, office.code, events=events,
                                    duplicates=service.load_merged(session, [p.id]).get(p.id, []))
        if caller.role in service.IDENTITY_ROLES:
            # The desk sees who petitioned; the read itself goes on the record.
            out["petitioner"] = service.reveal_petitioner(session, ctx.key, p, actor=caller.name, role=caller.role,
                                                          at=now)
            out["attachments"] = service.attachments_json(p, ctx.key)
        return _with_clocks(out, p, office, events, now)


class SuggestionOut(BaseModel):
    petition_id: str
    score: int = Field(ge=0, le=100)
    why: list[str]
    parts: dict[str, int]


class SimilarOut(BaseModel):
    """Other unmerged petitions that may be the same complaint, best first."""

    suggestions: list[SuggestionOut]


@router.get("/petitions/{petition_id}/similar", dependencies=[DESK], response_model=SimilarOut,
            summary="Merge suggestions: unmerged petitions about the same subject or with similar content")
def similar_petitions(petition_id: Annotated[str, Path(max_length=64)], session: ReadSession,
                      limit: int = Query(5, ge=1, le=50)) -> dict[str, Any]:
    p, _office = _one(session, petition_id)
    return {"suggestions": [s.as_json() for s in similar.suggest(session, p, limit=limit)]}


@router.get("/petitions/{petition_id}/attachments/{sha256}", response_class=FileResponse, response_model=None,
            responses={200: {"content": {"application/octet-stream": {}},
                             "description": "the bytes; X-Content-SHA256 repeats the hash"}, **errors(403)},
            summary="A scanned letter or recording attached to a petition (the desk only; every read audited)")
def get_attachment(petition_id: Annotated[str, Path(max_length=64)], sha256: Annotated[str, Path(max_length=64)],
                   ctx: ContextDep, caller: CallerDep) -> FileResponse:
    # A letter names who wrote it: it is identity, read by the petition desk alone and audited.
    if caller.role not in service.IDENTITY_ROLES:
        raise ApiError(403, "FORBIDDEN", f"the {caller.role} role may not read a petition's attachments")
    with ctx.db.writing() as session:
        p, _office = _one(session, petition_id)
        attached = next((a for a in p.attachments or () if a.get("sha256") == sha256), None)
        path = evidence_path(ctx.settings.data_dir, sha256) if attached is not None else None
        if attached is None or path is None or not path.is_file():
            raise ApiError(404, "NOT_FOUND", "no such attachment")
        audit.append(session, at=ctx.now(session), actor=caller.name, action="petition.attachment_viewed",
                     entity="petition", entity_id=p.id, detail={"sha256": sha256})
    return FileResponse(path, media_type="application/octet-stream", headers={"X-Content-SHA256": sha256})


@router.post("/public/petition-status", response_model=pr.PetitionStatus, responses=errors(404, 429),
             summary="A petitioner checks the status with receipt code and password")
async def petition_status(request: Request, ctx: ContextDep,
                          body: Annotated[pr.StatusIn, json_body(pr.StatusIn, max_bytes=16 * 1024)]
                          ) -> dict[str, Any]:
    address = request.client.host if request.client else "unknown"
    return await run_in_threadpool(public.status_answer, ctx, receipt_code=body.receipt_code,
                                   password=body.password, address=address)
