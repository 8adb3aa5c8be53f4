"""``GET /changes``: the change feed with long-poll."""

from __future__ import annotations

import asyncio
import time
from typing import Annotated, Any

from fastapi import APIRouter, Query
from fastapi.concurrency import run_in_threadpool

from server.changes.service import ROLE_TOPICS, latest_seq, oldest_seq, read_changes
from server.deps import CallerDep, ContextDep, require
from server.errors import ApiError, errors
from shared.protocol import ChangeFeed

router = APIRouter(tags=["changes"])
CURSOR_PREFIX = "c1."


def parse_cursor(text: str | None) -> int:
    if text is None or text == "":
        return 0
    if not text.startswith(CURSOR_PREFIX):
        raise ApiError(400, "INVALID_CURSOR", "the cursor is not one this server gave")
    try:
        value = int(text[len(CURSOR_PREFIX):])
    except ValueError:
        raise ApiError(400, "INVALID_CURSOR", "the cursor is not one this server gave") from None
    if value < 0:
        raise ApiError(400, "INVALID_CURSOR", "the cursor is not one this server gave")
    return value


@router.get("/changes", response_model=ChangeFeed, responses=errors(410), dependencies=[require(*ROLE_TOPICS)],
            summary="Every change the caller may see, in order; long-poll with wait")
async def get_changes(
    ctx: ContextDep,
    caller: CallerDep,
    since: Annotated[str | None, Query(max_length=200, json_schema_extra={"pattern": r"^(c1\.[0-9]+)?$"},
                                       description="the `cursor` of the previous answer; none: from the start")
                     ] = None,
    limit: int = Query(500, ge=1, le=5000),
    wait: float = Query(0, ge=0, le=30),
) -> dict[str, Any]:
    position = parse_cursor(since)

    def read() -> tuple[list[dict[str, Any]], int, bool]:
        with ctx.db.reading() as session:
            if position:
                head = latest_seq(session)
                if position > head or (position < oldest_seq(session) - 1):
                    raise ApiError(410, "CURSOR_EXPIRED",
                                   "this cursor can no longer be served; read a fresh snapshot (no since)")
            return read_changes(session, role=caller.role, since=position, limit=limit,
                                username=None if caller.is_office else caller.name)

    changes, cursor, more = await run_in_threadpool(read)
    deadline = time.monotonic() + wait
    while not changes and wait > 0 and not ctx.stopping:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            break
        notifier = ctx.notifier
        if notifier is None:
            await asyncio.sleep(min(0.25, remaining))
        else:
            await notifier.wait(min(remaining, 5.0))
        changes, cursor, more = await run_in_threadpool(read)
    return {"changes": changes, "cursor": f"{CURSOR_PREFIX}{cursor}", "more": more}
