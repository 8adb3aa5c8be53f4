"""The card tables: the card row and its timeline (issue, revoke, annotations).

The timeline is its own table because it only ever grows: an annotation is one insert."""

from __future__ import annotations

from typing import Any

from sqlalchemy import JSON, BigInteger, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from server.db import Base, InstantColumn


class Card(Base):
    __tablename__ = "cards"
    pk: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    """Insertion order: the list's keyset cursor (ids are client-chosen UUIDs)."""
    id: Mapped[str] = mapped_column(String(36), unique=True)
    kind: Mapped[str] = mapped_column(String(8))
    office_id: Mapped[int] = mapped_column(ForeignKey("offices.id"))
    staff: Mapped[str | None] = mapped_column(String(100))
    reason: Mapped[str] = mapped_column(Text)
    alerts: Mapped[list[int]] = mapped_column(JSON)
    issued_by: Mapped[str] = mapped_column(String(100))
    issued_at: Mapped[int] = mapped_column(InstantColumn)
    status: Mapped[str] = mapped_column(String(16))
    revoked_by: Mapped[str | None] = mapped_column(String(100))
    revoke_reason: Mapped[str | None] = mapped_column(Text)
    version: Mapped[int] = mapped_column(default=1)
    __table_args__ = (
        Index("ix_cards_issued_at", "issued_at"),
        Index("ix_cards_office", "office_id", "pk"),
    )


class CardEntry(Base):
    __tablename__ = "card_entries"
    pk: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    card_pk: Mapped[int] = mapped_column(ForeignKey("cards.pk"), index=True)
    at: Mapped[int] = mapped_column(InstantColumn)
    actor: Mapped[str] = mapped_column(String(100))
    action: Mapped[str] = mapped_column(String(32))
    data: Mapped[dict[str, Any]] = mapped_column(JSON)
