"""``GET/PATCH /users/{username}``, ``PUT /users/{username}/password`` (admin only).

Creating and listing users are ``POST/GET /users`` (``server.auth.routes``).
"""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.concurrency import run_in_threadpool

from server.context import real_now
from server.deps import PEOPLE, CallerDep, ContextDep, ReadSession, json_body, require
from server.security import hash_password
from server.users import service
from shared.admin import PasswordIn, PasswordSet, People, User, UserPatch

router = APIRouter(tags=["users"])
ADMIN = require("admin")


@router.get("/people", dependencies=[require(*PEOPLE)], response_model=People,
            summary="The active users (name, display name, role), for choosing whom to assign work to")
def list_people(session: ReadSession) -> People:
    return service.people(session)


@router.get("/users/{username}", dependencies=[ADMIN], response_model=User, summary="One user")
def get_user(username: str, session: ReadSession) -> User:
    return service.get_user(session, username=username)


@router.patch("/users/{username}", dependencies=[ADMIN], response_model=User,
              summary="Change a user's role, offices, name; disable or enable (disabling ends their sessions)")
async def patch_user(username: str, ctx: ContextDep, caller: CallerDep,
                     body: UserPatch = json_body(UserPatch)) -> User:
    def run() -> User:
        with ctx.db.writing() as session:
            return service.update_user(session, username=username, patch=body, actor=caller.name, now=real_now())

    return await run_in_threadpool(run)


@router.put("/users/{username}/password", dependencies=[ADMIN], response_model=PasswordSet,
            summary="Set a new password for a user; their sessions end")
async def put_password(username: str, ctx: ContextDep, caller: CallerDep,
                       body: PasswordIn = json_body(PasswordIn)) -> PasswordSet:
    def run() -> PasswordSet:
        # Argon2 takes tens of milliseconds on purpose: never inside a write transaction.
        digest = hash_password(body.password)
        with ctx.db.writing() as session:
            ended = service.set_password(session, username=username, password_hash=digest, actor=caller.name,
                                         now=real_now())
        return PasswordSet(username=username, sessions_ended=ended)

    return await run_in_threadpool(run)
