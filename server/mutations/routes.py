"""``POST /mutations``: the console's and the investigator's queued changes, replayed."""

from __future__ import annotations

import orjson
from fastapi import APIRouter, Response
from fastapi.concurrency import run_in_threadpool

from server.deps import MAX_BODY, ContextDep, PersonDep, json_body
from server.mutations.service import apply_mutations
from server.uow import unit_of_work
from shared.actions import Actor
from shared.protocol import MutationResults, MutationsIn

router = APIRouter(tags=["mutations"])


@router.post("/mutations", response_model=MutationResults, summary="Replay queued changes (idempotent by id)")
async def post_mutations(ctx: ContextDep, caller: PersonDep,
                         body: MutationsIn = json_body(MutationsIn, max_bytes=MAX_BODY)) -> Response:
    actor = Actor(caller.name, caller.role)

    def run() -> bytes:
        with unit_of_work(ctx) as work:
            results = apply_mutations(work, body.mutations, actor=actor)
        # Stored results go back exactly as stored: a replay answers byte for byte.
        return orjson.dumps({"results": results})

    return Response(await run_in_threadpool(run), media_type="application/json")
