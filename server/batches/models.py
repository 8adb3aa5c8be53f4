"""Stored batch summaries, for idempotent resends and ``GET /batches/{id}``."""

from __future__ import annotations

from sqlalchemy import ForeignKey, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from server.db import Base, InstantColumn


class Batch(Base):
    """A batch id belongs to its office: two offices may use the same one without meeting."""

    __tablename__ = "batches"
    office_id: Mapped[int] = mapped_column(ForeignKey("offices.id"), primary_key=True, index=True)
    batch_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    records_digest: Mapped[str] = mapped_column(String(64))
    summary: Mapped[bytes] = mapped_column(LargeBinary)
    processed_at: Mapped[int] = mapped_column(InstantColumn)
