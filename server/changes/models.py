"""The change log: every upsert/delete a console may replicate, in commit order."""

from __future__ import annotations

from sqlalchemy import BigInteger, Index, Integer, PrimaryKeyConstraint, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from server.db import Base, InstantColumn


class Change(Base):
    __tablename__ = "changes"
    seq: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    topic: Mapped[str] = mapped_column(String(32))
    """Which roles may see it: ``case``, ``case_alert``, ``petition``, ``camera``, …"""
    entity: Mapped[str] = mapped_column(String(32))
    entity_id: Mapped[str] = mapped_column(String(100))
    op: Mapped[str] = mapped_column(String(8))
    data: Mapped[str] = mapped_column(Text)
    """JSON, already free of anything the feed must never carry (petitioner identity)."""
    at: Mapped[int] = mapped_column(InstantColumn)
    __table_args__ = (Index("ix_changes_topic_seq", "topic", "seq"),)


class ChangeAudience(Base):
    """Who may read a change beyond the roles of its topic: the people an investigation is
    assigned to, its reviewers, the operator who opened it (spec 06 §2: visibility per person)."""

    __tablename__ = "change_audience"
    username: Mapped[str] = mapped_column(String(100))
    seq: Mapped[int] = mapped_column(BigInteger)
    __table_args__ = (PrimaryKeyConstraint("username", "seq"),)
