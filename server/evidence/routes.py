"""``PUT /evidence/{sha256}`` (streamed, hash-checked) and ``GET /evidence/{sha256}``."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, JSONResponse
from pydantic import BaseModel

from server.deps import CallerDep, ContextDep, PersonDep, ReadSession, require
from server.errors import ApiError, errors
from server.evidence import service
from server.mutations.stores import evidence_path
from shared.actions import Actor

router = APIRouter(tags=["evidence"])
UPLOADERS = ("investigator", "petition_officer", "operator", "admin")


class BlobStored(BaseModel):
    sha256: str
    size: int
    created: bool


@router.put("/evidence/{sha256}", response_model=BlobStored, status_code=201, dependencies=[require(*UPLOADERS)],
            responses={200: {"model": BlobStored, "description": "already stored: nothing changed"},
                       **errors(413)},
            openapi_extra={"requestBody": {"required": True, "content": {"application/octet-stream": {
                "schema": {"type": "string", "format": "binary"}}}}},
            summary="Store a file by its SHA-256 (the raw bytes as the body, at most 100 MiB)")
async def put_evidence(sha256: str, request: Request, ctx: ContextDep, caller: PersonDep) -> JSONResponse:
    claimed = service.parse_sha256(sha256)
    if claimed is None:
        raise ApiError(400, "INVALID_REQUEST", "the address must end in the file's SHA-256 (64 hexadecimal digits)")
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > service.DRAIN_LIMIT:
        raise ApiError(413, "TOO_LARGE", f"evidence files are at most {service.MAX_BLOB // (1024 * 1024)} MiB")
    blob = await service.receive(ctx=ctx, claimed=claimed, body=request.stream(), uploader=caller.name)
    return JSONResponse(BlobStored(sha256=blob.sha256, size=blob.size, created=blob.created).model_dump(),
                        status_code=201 if blob.created else 200)


@router.get("/evidence/{sha256}", response_class=FileResponse, response_model=None,
            responses={200: {"content": {"application/octet-stream": {}},
                             "description": "the bytes; X-Content-SHA256 repeats the hash"}},
            summary="A stored file, for its uploader or whoever may see a case or petition it is attached to")
def get_evidence(sha256: str, ctx: ContextDep, caller: CallerDep, session: ReadSession) -> FileResponse:
    digest = service.parse_sha256(sha256)
    path = None if digest is None else evidence_path(ctx.settings.data_dir, digest)
    if (digest is None or path is None or caller.is_office
            or not service.may_read(ctx=ctx, session=session, actor=Actor(caller.name, caller.role), sha256=digest)
            or not path.is_file()):
        raise ApiError(404, "NOT_FOUND", "no such evidence")
    return FileResponse(path, media_type="application/octet-stream", headers={"X-Content-SHA256": digest})
