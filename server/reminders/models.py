"""The reminder outbox: one row per case and risk node, with its delivery state."""

from __future__ import annotations

from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from server.db import Base, InstantColumn


class RiskReminder(Base):
    __tablename__ = "risk_reminders"
    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("approval_cases.id"))
    office_id: Mapped[int] = mapped_column(ForeignKey("offices.id"), index=True)
    case_no: Mapped[str] = mapped_column(String(64))
    node: Mapped[str] = mapped_column(String(64))
    level: Mapped[int] = mapped_column()
    point: Mapped[str] = mapped_column(String(500))
    measure: Mapped[str] = mapped_column(String(2000))
    recipients: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    text: Mapped[str] = mapped_column(String(2000))
    status: Mapped[str] = mapped_column(String(16), default="pending")
    """pending → sent, or failed after the last attempt."""
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[float] = mapped_column()
    """Real time (seconds); also the lease of a delivery in progress."""
    last_error: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[int] = mapped_column(InstantColumn)
    sent_at: Mapped[float | None] = mapped_column()
    __table_args__ = (
        UniqueConstraint("case_id", "node"),
        Index("ix_reminders_due", "status", "next_attempt_at"),
    )
