"""Changing users: every change audited with the values before and after, never a password.

Disabling a user or setting a new password ends their sessions (their tokens are deleted);
the server's own administrator token (``DIR/secrets/admin.token``, which never expires)
survives a password reset, so the data directory always reaches the server. The last
enabled administrator cannot be disabled or lose the role: someone must be able to undo it.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from server.audit import service as audit
from server.auth.models import Token, User
from server.errors import ApiError
from shared.admin import People, Person, UserPatch
from shared.admin import User as UserOut
from shared.timeutil import format_instant


def user_out(u: User) -> UserOut:
    return UserOut(username=u.username, display_name=u.display_name, role=u.role, offices=list(u.offices or []),
                   disabled=u.disabled, created_at=format_instant(u.created_at))


def _find(session: Session, username: str) -> User:
    user = session.scalars(select(User).where(User.username == username)).one_or_none()
    if user is None:
        raise ApiError(404, "NOT_FOUND", f"no user {username[:100]!r}")
    return user


def _state(u: User) -> dict[str, Any]:
    return {"role": u.role, "offices": list(u.offices or []), "display_name": u.display_name, "disabled": u.disabled}


def _end_sessions(session: Session, user: User, *, keep_server_token: bool) -> int:
    query = delete(Token).where(Token.user_id == user.id)
    if keep_server_token:
        query = query.where(Token.expires_at.is_not(None))
    return int(session.execute(query).rowcount or 0)  # type: ignore[attr-defined]


def update_user(session: Session, *, username: str, patch: UserPatch, actor: str, now: int) -> UserOut:
    user = _find(session, username)
    before = _state(user)
    changes = patch.model_dump(exclude_none=True)
    losing_admin = user.role == "admin" and not user.disabled and (
        changes.get("disabled") is True or changes.get("role", "admin") != "admin")
    if losing_admin:
        admins = session.scalar(select(func.count()).select_from(User).where(User.role == "admin",
                                                                             User.disabled.is_(False)))
        if (admins or 0) <= 1:
            raise ApiError(409, "LAST_ADMIN", f"{username} is the last enabled administrator; "
                                              "make another administrator first")
    for key, value in changes.items():
        setattr(user, key, value)
    after = _state(user)
    ended = 0
    if after["disabled"] and not before["disabled"]:
        ended = _end_sessions(session, user, keep_server_token=False)
    elif after["role"] != before["role"]:
        # A token carries the role it was issued with: signing in again gives the new one.
        ended = _end_sessions(session, user, keep_server_token=True)
    session.flush()
    changed = {k: {"before": before[k], "after": v} for k, v in after.items() if before[k] != v}
    audit.append(session, at=now, actor=actor, action="user.update", entity="user", entity_id=username,
                 before=before, after=after, detail={"before": before, "after": after, "changed": changed,
                                                     "sessions_ended": ended})
    return user_out(user)


def set_password(session: Session, *, username: str, password_hash: str, actor: str, now: int) -> int:
    """Store a new password hash (hashed by the caller, outside the transaction); returns the
    number of sessions ended."""
    user = _find(session, username)
    user.password_hash = password_hash
    ended = _end_sessions(session, user, keep_server_token=True)
    audit.append(session, at=now, actor=actor, action="user.password", entity="user", entity_id=username,
                 detail={"sessions_ended": ended})
    return ended


def get_user(session: Session, *, username: str) -> UserOut:
    return user_out(_find(session, username))


def people(session: Session) -> People:
    """Every active user by name: whom an operator may assign an alert to (disabled ones are gone)."""
    rows = session.scalars(select(User).where(User.disabled.is_(False)).order_by(User.username))
    return People(people=[Person(username=u.username, display_name=u.display_name or "", role=u.role) for u in rows])
