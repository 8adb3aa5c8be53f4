"""``POST /batches`` and ``GET /batches/{id}``."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request, Response
from fastapi.concurrency import run_in_threadpool
from sqlalchemy import select

from server.batches import service
from server.batches.models import Batch
from server.deps import CallerDep, ContextDep, ReadSession, read_json, require
from server.errors import ApiError, errors
from server.offices.models import Office
from shared import protocol as p

router = APIRouter(tags=["batches"])


def _batch_body(data: Any) -> p.BatchIn:
    """The batch's envelope, checked with the spec's codes; each record is judged on its own later."""
    if not isinstance(data, dict):
        raise ApiError(400, "INVALID_REQUEST", "a batch is a JSON object with batch_id, office and records")
    batch_id = data.get("batch_id")
    if not isinstance(batch_id, str) or not (1 <= len(batch_id) <= 64) or "\x00" in batch_id:
        raise ApiError(400, "INVALID_REQUEST", "batch_id must be a string of 1 to 64 characters (a UUID)")
    office_code = data.get("office")
    if not isinstance(office_code, str) or not (1 <= len(office_code) <= 64) or "\x00" in office_code:
        raise ApiError(400, "INVALID_REQUEST", "office must be the office code, e.g. \"T03\"")
    records = data.get("records")
    if not isinstance(records, list):
        raise ApiError(400, "INVALID_REQUEST", "records must be a list (empty for a heartbeat)")
    complete_until = data.get("complete_until")
    if complete_until is not None and (not isinstance(complete_until, str) or len(complete_until) > 64
                                       or "\x00" in complete_until):
        raise ApiError(400, "INVALID_REQUEST", "complete_until must be an ISO 8601 timestamp with an offset")
    if complete_until is not None:
        try:
            service.parse_until(complete_until)  # before anything else, a resend included
        except service.BadCompleteUntil as exc:
            raise ApiError(400, exc.code, str(exc)) from None
    return p.BatchIn.model_construct(batch_id=batch_id, office=office_code, records=records,
                                     complete_until=complete_until)


async def batch_body(request: Request) -> p.BatchIn:
    # U+0000 inside records is rejected record by record (nul_ok), not for the whole batch.
    return _batch_body(await read_json(request, max_bytes=p.MAX_BATCH_BYTES, too_large_code="BATCH_TOO_LARGE",
                                       nul_ok=True))


batch_body.body_model = p.BatchIn  # type: ignore[attr-defined]


@router.post("/batches", response_model=p.ImportSummary, responses=errors(404, 409),
             dependencies=[require("office", "admin")], summary="Import a batch of an office's records")
async def post_batch(ctx: ContextDep, caller: CallerDep, body: Annotated[p.BatchIn, Depends(batch_body)],
                     dry_run: bool = False) -> Response:
    if caller.is_office and body.office != caller.office_code:
        raise ApiError(403, "FOREIGN_OFFICE", f"this token belongs to office {caller.office_code}, not "
                       f"{body.office[:64]!r}")
    records = body.records
    if len(records) > p.MAX_BATCH_RECORDS:
        raise ApiError(413, "BATCH_TOO_LARGE",
                       f"a batch holds at most {p.MAX_BATCH_RECORDS} records; this one has {len(records)}")
    passwords = sum(1 for r in records if p.query_password_of(r) is not None)
    if passwords > p.MAX_BATCH_QUERY_PASSWORDS:
        raise ApiError(413, "BATCH_TOO_LARGE",
                       f"a batch holds at most {p.MAX_BATCH_QUERY_PASSWORDS} petitions with a query password "
                       f"(each is hashed with Argon2id, slow on purpose); this one has {passwords}")

    def run() -> bytes:
        with ctx.db.reading() as s:
            office_id = s.scalar(select(Office.id).where(Office.code == body.office))
        if office_id is None:
            raise ApiError(404, "UNKNOWN_OFFICE", f"office {body.office[:64]!r} is not registered")
        try:
            return service.import_batch(ctx, office_id=office_id, batch_id=body.batch_id, records=records,
                                        complete_until=body.complete_until, dry_run=dry_run)
        except service.BatchIdReused:
            raise ApiError(409, "BATCH_ID_REUSED", f"batch {body.batch_id} was already imported with other "
                           "records; use a new batch_id") from None
        except service.BadCompleteUntil as exc:
            raise ApiError(400, exc.code, str(exc)) from None

    # The summary's stored bytes: a resend answers byte for byte what the first send did.
    return Response(await run_in_threadpool(run), media_type="application/json")


@router.get("/batches/{batch_id}", response_model=p.ImportSummary,
            dependencies=[require("office", "admin", "operator", "leader")], summary="The stored summary of a batch")
def get_batch(batch_id: Annotated[str, Path(max_length=64)], caller: CallerDep, session: ReadSession,
              office: Annotated[str | None, Query(max_length=64, description="the office that sent it (a batch id "
                                                 "is its office's own; without it, the first office's)")] = None,
              ) -> Response:
    q = select(Batch).where(Batch.batch_id == batch_id)
    if caller.is_office:
        q = q.where(Batch.office_id == caller.office_id)
    elif office is not None:
        q = q.join(Office, Office.id == Batch.office_id).where(Office.code == office)
    row = session.scalars(q.order_by(Batch.processed_at, Batch.office_id).limit(1)).first()
    if row is None:
        raise ApiError(404, "NOT_FOUND", f"no batch {batch_id[:64]}")
    return Response(row.summary, media_type="application/json")
