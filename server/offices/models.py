"""The office table: identity, place in the county/city tree and sync watermark."""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, String, and_, func, or_
from sqlalchemy.orm import Mapped, mapped_column

from server.db import Base, InstantColumn

OFFICE_KINDS = ("township", "department", "centre")


class Office(Base):
    __tablename__ = "offices"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(32))
    parent: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[int] = mapped_column(InstantColumn)
    watermark: Mapped[int | None] = mapped_column(InstantColumn)
    """The largest ``complete_until`` the office has sent (spec 02 §3)."""
    last_batch_at: Mapped[int | None] = mapped_column(InstantColumn)
    silent_hours: Mapped[int | None] = mapped_column()
    """Hours without data before OFFICE_SILENT; None: the server's ``office-silent`` setting."""
    next_silent_check: Mapped[int | None] = mapped_column(InstantColumn, index=True)
    version: Mapped[int] = mapped_column(default=1)

    @property
    def is_centre(self) -> bool:
        """The server's own office (spec 06 §3): what it records is complete at once."""
        return self.kind == "centre"

    def as_of(self, now: int) -> int:
        """Evaluation time: min(server now, watermark); the creation instant before any batch;
        the server's now for the centre, whose records are complete at once."""
        if self.is_centre:
            return now
        if self.watermark is None:
            return min(now, self.created_at)
        return min(now, self.watermark)

    @classmethod
    def as_of_reached(cls, instant: Any, now: int) -> ColumnElement[bool]:
        """SQL for "``instant`` ≤ the office's ``as_of(now)``", in a query joined to the
        office, so that a sweep asks which offices have something due in one statement."""
        return and_(instant <= now, or_(cls.kind == "centre",
                                        instant <= func.coalesce(cls.watermark, cls.created_at)))
