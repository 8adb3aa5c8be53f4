"""Camera administration; cameras reach consoles through the change feed."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path
from sqlalchemy import select

from server.audit import service as audit
from server.cameras.models import Camera
from server.changes.service import ChangeWriter
from server.context import real_now
from server.deps import Admin, ContextDep, ReadSession, json_body, require
from server.errors import ApiError
from shared import protocol as p

router = APIRouter(tags=["cameras"])
WATCHERS = require("admin", "operator", "leader")
CameraId = Annotated[str, Path(min_length=1, max_length=64)]


def camera_json(c: Camera) -> dict[str, Any]:
    return {"id": c.id, "name": c.name, "office": c.office, "window": c.window, "main_url": c.main_url,
            "sub_url": c.sub_url, "enabled": c.enabled, "version": c.version}


def _redacted(c: Camera) -> dict[str, Any]:
    # Stream URLs may carry camera passwords: the audit log keeps only that they changed.
    out = camera_json(c)
    out["main_url"] = out["sub_url"] = "[redacted]"
    return out


@router.get("/cameras", response_model=p.CameraList, dependencies=[WATCHERS],
            summary="Cameras (with stream URLs: video roles only)")
def list_cameras(session: ReadSession) -> dict[str, Any]:
    return {"cameras": [camera_json(c) for c in session.scalars(select(Camera).order_by(Camera.id))], "next": None}


@router.put("/cameras/{camera_id}", response_model=p.CameraOut, summary="Create or replace a camera")
def put_camera(camera_id: CameraId, ctx: ContextDep, caller: Admin,
               body: Annotated[p.CameraIn, json_body(p.CameraIn, max_bytes=64 * 1024)]) -> dict[str, Any]:
    changes = ChangeWriter()
    with ctx.db.writing() as session:
        cam = session.get(Camera, camera_id)
        before = _redacted(cam) if cam else None
        if cam is None:
            cam = Camera(id=camera_id, version=1, **body.model_dump())
            session.add(cam)
        else:
            for k, v in body.model_dump().items():
                setattr(cam, k, v)
            cam.version += 1
        session.flush()
        now = ctx.now(session)
        changes.add(topic="camera", entity="camera", entity_id=camera_id, data=camera_json(cam), at=now)
        audit.append(session, at=real_now(), actor=caller.name, action="camera.put", entity="camera",
                     entity_id=camera_id, before=before, after=_redacted(cam))
        changes.flush(session)
        out = camera_json(cam)
    ctx.committed()
    return out


@router.delete("/cameras/{camera_id}", response_model=p.CameraDeleted, summary="Remove a camera")
def delete_camera(camera_id: CameraId, ctx: ContextDep, caller: Admin) -> dict[str, Any]:
    changes = ChangeWriter()
    with ctx.db.writing() as session:
        cam = session.get(Camera, camera_id)
        if cam is None:
            raise ApiError(404, "NOT_FOUND", f"no camera {camera_id[:64]}")
        before = _redacted(cam)
        session.delete(cam)
        now = ctx.now(session)
        changes.add(topic="camera", entity="camera", entity_id=camera_id, data=None, at=now, op="delete")
        audit.append(session, at=real_now(), actor=caller.name, action="camera.delete", entity="camera",
                     entity_id=camera_id, before=before)
        changes.flush(session)
    ctx.committed()
    return {"id": camera_id, "deleted": True}
