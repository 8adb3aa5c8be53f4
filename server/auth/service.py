"""Sign-in, tokens and rate limits on failures (held in the database, for all processes)."""

from __future__ import annotations

import time

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from server.auth.models import Failure, Token, User
from server.security import new_token, token_digest
from shared.timeutil import HOUR

TOKEN_HOURS = 12


def issue_token(session: Session, user: User, now_real: int) -> tuple[str, int]:
    token = new_token()
    expires = now_real + TOKEN_HOURS * HOUR
    session.add(Token(digest=token_digest(token), role=user.role, user_id=user.id, created_at=now_real,
                      expires_at=expires))
    return token, expires


def failures_since(session: Session, scope: str, key: str, seconds: float) -> int:
    cutoff = time.time() - seconds
    return int(session.scalar(
        select(func.count()).select_from(Failure).where(Failure.scope == scope, Failure.key == key,
                                                          Failure.at >= cutoff)
    ) or 0)


def oldest_failure(session: Session, scope: str, key: str, seconds: float) -> float | None:
    cutoff = time.time() - seconds
    return session.scalar(
        select(func.min(Failure.at)).where(Failure.scope == scope, Failure.key == key, Failure.at >= cutoff)
    )


def record_failure(session: Session, scope: str, key: str) -> None:
    session.add(Failure(scope=scope, key=key[:128], at=time.time()))
    # Keep the table small: failures older than a day are never counted.
    session.execute(delete(Failure).where(Failure.at < time.time() - 86_400))


def revoke_token(session: Session, token: str) -> None:
    """The token works no more (signing out); other sessions of the same person are untouched."""
    session.execute(delete(Token).where(Token.digest == token_digest(token)))
