"""Petition endpoints: the petition desk's views and the public status check."""

from __future__ import annotations

import hashlib
import math
import time
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request
from fastapi.concurrency import run_in_threadpool
from sqlalchemy import select
from sqlalchemy.orm import Session

from server.audit import service as audit
from server.auth import service as auth
from server.deps import CallerDep, ContextDep, ReadSession, json_body, require
from server.errors import ApiError, errors
from server.offices.models import Office
from server.petitions import service
from server.petitions.models import Petition, PetitionEvent
from server.security import DUMMY_QUERY_HASH, verify_password
from shared import protocol as pr
from shared.rules.petition import evaluate_petition
from shared.timeutil import format_instant

router = APIRouter(tags=["petitions"])
READERS = require("admin", "leader", "petition_officer")
CODE_WINDOW = 15 * 60
CODE_FAILURES = 5
ADDRESS_FAILURES = 30


@router.get("/petitions", response_model=pr.PetitionList, dependencies=[READERS],
            summary="Petitions (identity protected)")
def list_petitions(
    session: ReadSession, limit: int = Query(500, ge=1, le=5000),
    cursor: Annotated[str | None, Query(max_length=64)] = None,
) -> dict[str, Any]:
    q = select(Petition, Office.code).join(Office, Office.id == Petition.office_id)
    if cursor:
        q = q.where(Petition.id > cursor)
    rows = session.execute(q.order_by(Petition.id).limit(limit + 1)).all()
    more = len(rows) > limit
    rows = rows[:limit]
    return {"petitions": [service.petition_json(p, code) for p, code in rows],
            "next": rows[-1][0].id if more else None}


@router.get("/petitions/{petition_id}", response_model=pr.PetitionDetail, dependencies=[READERS],
            summary="A petition with its events (the identity only for the petition desk, audited)")
def get_petition(petition_id: Annotated[str, Path(max_length=64)], ctx: ContextDep, caller: CallerDep
                 ) -> dict[str, Any]:
    reveal = caller.role == "petition_officer"
    with ctx.db.writing() as session:
        row = session.execute(
            select(Petition, Office.code)
            .join(Office, Office.id == Petition.office_id)
            .where(Petition.id == petition_id)
        ).first()
        if row is None:
            raise ApiError(404, "NOT_FOUND", f"no petition {petition_id[:64]}")
        p, code = row
        petitioner = None
        if reveal:
            petitioner = service.decrypt_petitioner(ctx.key, p)
            # Every view of a petitioner's identity is itself on the record.
            audit.append(session, at=ctx.now(session), actor=caller.name, action="petition.identity_viewed",
                         entity="petition", entity_id=p.id)
        events = session.scalars(select(PetitionEvent).where(PetitionEvent.petition_id == p.id)
                                 .order_by(PetitionEvent.at))
        out = service.petition_json(p, code, petitioner=petitioner, reveal=reveal)
        out["events"] = [service.petition_event_json(e) for e in events]
        return out


@router.post("/public/petition-status", response_model=pr.PetitionStatus, responses=errors(404, 429),
             summary="A petitioner checks the status with receipt code and password")
async def petition_status(request: Request, ctx: ContextDep,
                          body: Annotated[pr.StatusIn, json_body(pr.StatusIn, max_bytes=16 * 1024)]
                          ) -> dict[str, Any]:
    address = request.client.host if request.client else "unknown"
    code_key = hashlib.sha256(body.receipt_code.encode()).hexdigest()

    def check_limits(session: Session) -> None:
        for scope, key, limit in (("status-code", code_key, CODE_FAILURES), ("status-addr", address, ADDRESS_FAILURES)):
            if auth.failures_since(session, scope, key, CODE_WINDOW) >= limit:
                oldest = auth.oldest_failure(session, scope, key, CODE_WINDOW) or time.time()
                retry = max(1, math.ceil(oldest + CODE_WINDOW - time.time()))
                raise ApiError(429, "RATE_LIMITED", f"too many failed attempts; try again in {retry} s",
                               headers={"Retry-After": str(retry)})

    def run() -> dict[str, Any]:
        with ctx.db.reading() as session:
            check_limits(session)
            stored_hash = session.scalar(
                select(Petition.password_hash).where(Petition.receipt_code == body.receipt_code)
            )
        # Unknown codes verify against a dummy hash too, so both failures take the same time; and
        # Argon2 runs outside any write transaction (it would hold every writer back on SQLite).
        ok = verify_password(stored_hash, body.password, dummy=DUMMY_QUERY_HASH)
        with ctx.db.writing() as session:
            check_limits(session)
            p = session.scalars(select(Petition).where(Petition.receipt_code == body.receipt_code)).one_or_none()
            if p is None or not ok or p.password_hash != stored_hash:
                auth.record_failure(session, "status-code", code_key)
                auth.record_failure(session, "status-addr", address)
                session.commit()
                raise ApiError(404, "NOT_FOUND", "no petition matches this receipt code and password")
            events = list(session.scalars(select(PetitionEvent).where(PetitionEvent.petition_id == p.id)))
            events.sort(key=lambda e: (e.at, e.id))
            office = session.get(Office, p.office_id)
            assert office is not None
            now = ctx.now(session)
            result = evaluate_petition(service.build_facts(p, events, None), office.as_of(now))
            reply = next((e.text for e in events if e.type == "replied"), None)
            return {
                "receipt_code": p.receipt_code,
                "status": result.status,
                "received_at": format_instant(p.received_at),
                "deadlines": result.clocks_json(),
                "reply": reply,
            }

    return await run_in_threadpool(run)
