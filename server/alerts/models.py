"""The alert table (one row per subject, rule and node) and its action history."""

from __future__ import annotations

from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from server.db import Base, InstantColumn
from shared.alerts import ACTIVE_STATUSES, HANDLED_STATUSES

__all__ = ["ACTIVE_STATUSES", "HANDLED_STATUSES", "Alert", "AlertAction"]


class Alert(Base):
    __tablename__ = "alerts"
    id: Mapped[int] = mapped_column(primary_key=True)
    subject_type: Mapped[str] = mapped_column(String(16))
    subject_id: Mapped[str] = mapped_column(String(64))
    """The case's row id, the petition's id or the office's row id, as text."""
    subject_ref: Mapped[str] = mapped_column(String(64))
    """The case number or petition id, as the API shows it."""
    office_id: Mapped[int] = mapped_column(ForeignKey("offices.id"))
    rule: Mapped[str] = mapped_column(String(32))
    node: Mapped[str] = mapped_column(String(64), default="")
    severity: Mapped[str] = mapped_column(String(8))
    status: Mapped[str] = mapped_column(String(16))
    condition_cleared: Mapped[bool] = mapped_column(default=False)
    raised_at: Mapped[int] = mapped_column(InstantColumn)
    as_of: Mapped[int] = mapped_column(InstantColumn)
    updated_at: Mapped[int] = mapped_column(InstantColumn)
    message: Mapped[str] = mapped_column(String(2000))
    message_en: Mapped[str] = mapped_column(String(2000), default="")
    evidence: Mapped[dict[str, Any]] = mapped_column(JSON)
    assignee: Mapped[str | None] = mapped_column(String(100))
    resolution: Mapped[str | None] = mapped_column(String(2000))
    version: Mapped[int] = mapped_column(default=1)
    links: Mapped[list[dict[str, Any]] | None] = mapped_column(JSON, default=None)
    """Investigations opened from the alert: ``[{"type": "investigation", "id": …}]``."""
    __table_args__ = (
        UniqueConstraint("subject_type", "subject_id", "rule", "node"),
        Index("ix_alerts_status", "status", "id"),
        Index("ix_alerts_office", "office_id", "id"),
        Index("ix_alerts_raised_at", "raised_at"),
    )


class AlertAction(Base):
    """What a person did to an alert (acknowledge, escalate, comment, …)."""

    __tablename__ = "alert_actions"
    id: Mapped[int] = mapped_column(primary_key=True)
    alert_id: Mapped[int] = mapped_column(ForeignKey("alerts.id"), index=True)
    action: Mapped[str] = mapped_column(String(16))
    actor: Mapped[str] = mapped_column(String(100))
    at: Mapped[int] = mapped_column(InstantColumn)
    data: Mapped[dict[str, Any]] = mapped_column(JSON)
