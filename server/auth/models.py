"""Users, tokens and login-failure records."""

from __future__ import annotations

from sqlalchemy import JSON, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from server.db import Base, InstantColumn

ROLES = ("admin", "operator", "investigator", "petition_officer", "leader")


class User(Base):
    __tablename__ = "users"
    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(100), unique=True)
    password_hash: Mapped[str | None] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(32))
    offices: Mapped[list[str]] = mapped_column(JSON, default=list)
    display_name: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[int] = mapped_column(InstantColumn)
    disabled: Mapped[bool] = mapped_column(default=False)


class Token(Base):
    __tablename__ = "tokens"
    digest: Mapped[str] = mapped_column(String(64), primary_key=True)
    role: Mapped[str] = mapped_column(String(32))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    office_id: Mapped[int | None] = mapped_column(ForeignKey("offices.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[int] = mapped_column(InstantColumn)
    expires_at: Mapped[int | None] = mapped_column(InstantColumn)


class Failure(Base):
    """A failed attempt (login or public status query), for rate limits that hold across processes."""

    __tablename__ = "failures"
    id: Mapped[int] = mapped_column(primary_key=True)
    scope: Mapped[str] = mapped_column(String(32))
    key: Mapped[str] = mapped_column(String(128))
    at: Mapped[float] = mapped_column()
    __table_args__ = (Index("ix_failures_scope_key_at", "scope", "key", "at"),)
