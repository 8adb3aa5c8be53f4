"""``POST /auth/token`` (sign-in) and ``POST /users`` (admin)."""

from __future__ import annotations

import hashlib
import math
import time
from typing import Annotated, Any

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from sqlalchemy import select

from server.audit import service as audit
from server.auth import service
from server.auth.models import User
from server.context import real_now
from server.deps import Admin, CallerDep, ContextDep, ReadSession, bearer_token, json_body, require
from server.errors import ApiError, errors
from server.security import hash_password, verify_password
from shared import protocol as p
from shared.timeutil import format_instant

router = APIRouter(tags=["auth"])
WINDOW = 15 * 60
MAX_USER_FAILURES = 10
MAX_ADDRESS_FAILURES = 50


def _limited(session: Any, scope: str, key: str, limit: int) -> None:
    if service.failures_since(session, scope, key, WINDOW) >= limit:
        oldest = service.oldest_failure(session, scope, key, WINDOW) or time.time()
        retry = max(1, math.ceil(oldest + WINDOW - time.time()))
        raise ApiError(429, "RATE_LIMITED", f"too many failed attempts; try again in {retry} s",
                       headers={"Retry-After": str(retry)})


@router.post("/auth/token", response_model=p.TokenOut, responses=errors(401, 429),
             summary="Sign in with a user name and password")
async def login(request: Request, ctx: ContextDep,
                body: Annotated[p.LoginIn, json_body(p.LoginIn, max_bytes=64 * 1024)]) -> dict[str, Any]:
    address = request.client.host if request.client else "unknown"
    user_key = hashlib.sha256(body.username.lower().encode()).hexdigest()

    def run() -> dict[str, Any]:
        with ctx.db.reading() as session:
            _limited(session, "login-user", user_key, MAX_USER_FAILURES)
            _limited(session, "login-addr", address, MAX_ADDRESS_FAILURES)
            stored_hash = session.scalar(select(User.password_hash).where(User.username == body.username))
        # Argon2 takes tens of milliseconds on purpose: never inside a write transaction, where
        # on SQLite it would hold every township's batch back for each guess.
        ok = verify_password(stored_hash, body.password)
        with ctx.db.writing() as session:
            # Checked again: guesses racing in parallel must not slip past the limit.
            _limited(session, "login-user", user_key, MAX_USER_FAILURES)
            _limited(session, "login-addr", address, MAX_ADDRESS_FAILURES)
            user = session.scalars(select(User).where(User.username == body.username)).one_or_none()
            if not ok or user is None or user.disabled or user.password_hash != stored_hash:
                service.record_failure(session, "login-user", user_key)
                service.record_failure(session, "login-addr", address)
                session.commit()
                raise ApiError(401, "BAD_CREDENTIALS", "the user name or password is wrong")
            token, expires = service.issue_token(session, user, real_now())
            audit.append(session, at=real_now(), actor=user.username, action="auth.login", entity="user",
                         entity_id=user.username, detail={"address": address})
            return {"token": token, "role": user.role, "expires_at": format_instant(expires),
                    "username": user.username, "display_name": user.display_name, "offices": user.offices}

    return await run_in_threadpool(run)


@router.post("/users", status_code=201, response_model=p.UserOut, responses=errors(409), summary="Create a user")
async def create_user(ctx: ContextDep, caller: Admin,
                      body: Annotated[p.UserIn, json_body(p.UserIn, max_bytes=1024 * 1024)]) -> dict[str, Any]:
    def run() -> dict[str, Any]:
        # Hashed before the write transaction: Argon2id's deliberate cost must not hold other writers.
        password_hash = hash_password(body.password)
        with ctx.db.writing() as session:
            if session.scalars(select(User).where(User.username == body.username)).first() is not None:
                raise ApiError(409, "USER_EXISTS", f"user {body.username!r} already exists")
            user = User(username=body.username, password_hash=password_hash, role=body.role,
                        offices=body.offices, display_name=body.display_name, created_at=real_now())
            session.add(user)
            session.flush()
            info = {"username": user.username, "role": user.role, "offices": user.offices,
                    "display_name": user.display_name}
            audit.append(session, at=real_now(), actor=caller.name, action="user.create", entity="user",
                         entity_id=user.username, after=info)
            return info

    return await run_in_threadpool(run)


@router.get("/users", response_model=p.UserList, dependencies=[require("admin")], summary="List users")
def list_users(session: ReadSession) -> dict[str, Any]:
    return {"users": [
        {"username": u.username, "role": u.role, "offices": u.offices, "display_name": u.display_name,
         "disabled": u.disabled}
        for u in session.scalars(select(User).order_by(User.username))
    ], "next": None}


@router.post("/auth/logout", response_model=p.SignedOut, summary="Sign out: the token that makes this call is revoked")
async def logout(request: Request, ctx: ContextDep, caller: CallerDep) -> dict[str, Any]:
    if caller.is_office:
        raise ApiError(403, "FORBIDDEN", "an office token is revoked by issuing a new one (POST /offices/{code}/token)")
    token = bearer_token(request)

    def run() -> dict[str, Any]:
        with ctx.db.writing() as session:
            service.revoke_token(session, token)
            audit.append(session, at=real_now(), actor=caller.name, action="auth.logout", entity="user",
                         entity_id=caller.name, detail={})
        return {"signed_out": True}

    return await run_in_threadpool(run)


@router.get("/auth/me", response_model=p.Me, summary="Who the token belongs to")
def me(caller: CallerDep) -> dict[str, Any]:
    return {"role": caller.role, "name": caller.name, "office": caller.office_code, "office_name": caller.office_name,
            "offices": list(caller.offices)}
