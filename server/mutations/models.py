"""Replayed mutations and their stored results (idempotency by mutation id)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import JSON, String
from sqlalchemy.orm import Mapped, mapped_column

from server.db import Base, InstantColumn


class Mutation(Base):
    """A mutation as first received: who sent it, a digest of its content, and its result.

    Sending the id again with the same content from the same person returns ``result`` as
    stored; anything else under that id is ``MUTATION_ID_REUSED``."""

    __tablename__ = "mutations"
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    actor: Mapped[str] = mapped_column(String(100))
    result: Mapped[dict[str, Any]] = mapped_column(JSON)
    at: Mapped[int] = mapped_column(InstantColumn)
    digest: Mapped[str | None] = mapped_column(String(64))
    """SHA-256 of the canonical JSON of (entity, entity_id, action, base_version, data);
    NULL for mutations stored before digests were kept."""
