"""Petitions and petition events. The petitioner block is stored only encrypted."""

from __future__ import annotations

from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from server.db import Base, InstantColumn


class Petition(Base):
    __tablename__ = "petitions"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("offices.id"), index=True)
    channel: Mapped[str] = mapped_column(String(16))
    received_at: Mapped[int] = mapped_column(InstantColumn)
    anonymous: Mapped[bool] = mapped_column()
    petitioner_enc: Mapped[bytes | None] = mapped_column(LargeBinary)
    identity_key: Mapped[str | None] = mapped_column(String(64))
    """HMAC of the normalised id number: finds repeats without storing the number in clear."""
    subject: Mapped[dict[str, Any]] = mapped_column(JSON)
    subject_name: Mapped[str] = mapped_column(String(200))
    category: Mapped[str] = mapped_column(String(16))
    content: Mapped[str] = mapped_column(Text)
    receipt_code: Mapped[str | None] = mapped_column(String(16), unique=True)
    password_hash: Mapped[str | None] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(32), default="registered")
    next_check: Mapped[int | None] = mapped_column(InstantColumn)
    merged_into: Mapped[str | None] = mapped_column("primary_id", String(36), index=True)
    """The primary petition this one was merged into (一信多投); its handling answers both."""
    subject_unit: Mapped[str | None] = mapped_column(String(200))
    """``subject.unit`` as a column, for the desk's search."""
    investigations: Mapped[list[str] | None] = mapped_column(JSON)
    """Ids of the investigations the petition was converted into."""
    attachments: Mapped[list[dict[str, Any]] | None] = mapped_column(JSON)
    """Scanned letters and recordings: ``{"sha256","filename","attached_by","attached_at"}``."""
    deadline: Mapped[int | None] = mapped_column(InstantColumn, index=True)
    """The statutory deadline the petition still waits on (acceptance, then handling), for ``overdue``."""
    digest: Mapped[str] = mapped_column(String(64))
    batch_id: Mapped[str | None] = mapped_column(String(64))
    version: Mapped[int] = mapped_column(default=1)
    __table_args__ = (
        Index("ix_petitions_identity", "identity_key", "subject_name"),
        Index("ix_petitions_office_next", "office_id", "next_check"),
    )


class PetitionEvent(Base):
    __tablename__ = "petition_events"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    petition_id: Mapped[str] = mapped_column(ForeignKey("petitions.id"), index=True)
    type: Mapped[str] = mapped_column(String(16))
    at: Mapped[int] = mapped_column(InstantColumn)
    actor: Mapped[str | None] = mapped_column(String(200))
    days: Mapped[int | None] = mapped_column()
    text: Mapped[str | None] = mapped_column(Text)
    substantiated: Mapped[bool | None] = mapped_column()
    seq: Mapped[int | None] = mapped_column()
    """A desk event's place among the petition's events: several may share one instant."""
    digest: Mapped[str] = mapped_column(String(64))
    batch_id: Mapped[str | None] = mapped_column(String(64))
    """The batch that carried the event; NULL for an event the desk made (complete at once)."""
