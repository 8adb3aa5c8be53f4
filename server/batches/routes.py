"""``POST /batches`` and ``GET /batches/{id}``."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request, Response
from fastapi.concurrency import run_in_threadpool
from sqlalchemy import select

from server.batches import service
from server.batches.models import Batch
from server.deps import CallerDep, ContextDep, ReadSession, read_json
from server.errors import ApiError
from server.offices.models import Office
from shared.protocol import MAX_BATCH_BYTES, MAX_BATCH_RECORDS

router = APIRouter(tags=["batches"])


@router.post("/batches", summary="Import a batch of an office's records")
async def post_batch(request: Request, ctx: ContextDep, caller: CallerDep, dry_run: bool = False) -> Response:
    if not caller.is_office and caller.role != "admin":
        raise ApiError(403, "FORBIDDEN", "only an office token may send batches")
    body: Any = await read_json(request, max_bytes=MAX_BATCH_BYTES, too_large_code="BATCH_TOO_LARGE", nul_ok=True)
    if not isinstance(body, dict):
        raise ApiError(400, "INVALID_REQUEST", "a batch is a JSON object with batch_id, office and records")
    batch_id = body.get("batch_id")
    if not isinstance(batch_id, str) or not (1 <= len(batch_id) <= 64) or "\x00" in batch_id:
        raise ApiError(400, "INVALID_REQUEST", "batch_id must be a string of 1 to 64 characters (a UUID)")
    office_code = body.get("office")
    if not isinstance(office_code, str) or "\x00" in office_code:
        raise ApiError(400, "INVALID_REQUEST", "office must be the office code, e.g. \"T03\"")
    if caller.is_office and office_code != caller.office_code:
        raise ApiError(403, "FOREIGN_OFFICE", f"this token belongs to office {caller.office_code}, not "
                       f"{office_code[:64]!r}")
    records = body.get("records")
    if not isinstance(records, list):
        raise ApiError(400, "INVALID_REQUEST", "records must be a list (empty for a heartbeat)")
    if len(records) > MAX_BATCH_RECORDS:
        raise ApiError(413, "BATCH_TOO_LARGE",
                       f"a batch holds at most {MAX_BATCH_RECORDS} records; this one has {len(records)}")
    complete_until = body.get("complete_until")
    if complete_until is not None and (not isinstance(complete_until, str) or "\x00" in complete_until):
        raise ApiError(400, "INVALID_REQUEST", "complete_until must be an ISO 8601 timestamp with an offset")

    def run() -> bytes:
        with ctx.db.reading() as s:
            office_id = s.scalar(select(Office.id).where(Office.code == office_code))
        if office_id is None:
            raise ApiError(404, "UNKNOWN_OFFICE", f"office {office_code[:64]!r} is not registered")
        try:
            return service.import_batch(ctx, office_id=office_id, batch_id=batch_id, records=records,
                                        complete_until=complete_until, dry_run=dry_run)
        except service.BatchIdReused:
            raise ApiError(409, "BATCH_ID_REUSED",
                           f"batch {batch_id} was already imported with other records; use a new batch_id") from None
        except service.BadCompleteUntil as exc:
            raise ApiError(400, "INVALID_REQUEST", str(exc)) from None

    summary = await run_in_threadpool(run)
    return Response(summary, media_type="application/json")


@router.get("/batches/{batch_id}", summary="The stored summary of a batch")
def get_batch(batch_id: str, caller: CallerDep, session: ReadSession) -> Response:
    row = session.get(Batch, batch_id)
    if row is None or (caller.is_office and row.office_id != caller.office_id):
        raise ApiError(404, "NOT_FOUND", f"no batch {batch_id[:64]}")
    if not caller.is_office and caller.role not in ("admin", "operator", "leader"):
        raise ApiError(403, "FORBIDDEN", "not allowed")
    return Response(row.summary, media_type="application/json")
