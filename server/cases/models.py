"""Approval cases, approval events and evaluations."""

from __future__ import annotations

from typing import Any

from sqlalchemy import JSON, BigInteger, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from server.db import Base, InstantColumn


class ApprovalCase(Base):
    __tablename__ = "approval_cases"
    id: Mapped[int] = mapped_column(primary_key=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("offices.id"))
    case_no: Mapped[str] = mapped_column(String(64))
    power_code: Mapped[str] = mapped_column(String(64))
    applicant_key: Mapped[str | None] = mapped_column(String(200))
    received_at: Mapped[int | None] = mapped_column(InstantColumn)
    state: Mapped[str] = mapped_column(String(32), default="unknown")
    due: Mapped[int | None] = mapped_column(InstantColumn)
    closed_at: Mapped[int | None] = mapped_column(InstantColumn)
    used_hours: Mapped[float | None] = mapped_column()
    """Working hours used by the close (or by as_of while open)."""
    ratings: Mapped[dict[str, int] | None] = mapped_column(JSON)
    """Citizen ratings by kind, e.g. {"satisfied": 2}."""
    next_check: Mapped[int | None] = mapped_column(InstantColumn)
    """The next instant at which a clock rule could change without new records (sweep index)."""
    version: Mapped[int] = mapped_column(default=1)
    rule_state: Mapped[dict[str, Any] | None] = mapped_column(JSON, deferred=True)
    """What the rules read of the case's events (``shared.rules.case_state``), folded as batches
    arrive; None until the first evaluation builds it from the history."""
    __table_args__ = (
        UniqueConstraint("office_id", "case_no"),
        Index("ix_cases_office_next", "office_id", "next_check"),
        Index("ix_cases_dup", "applicant_key", "power_code"),
        # The month's figures (spec 07) read a month of cases by when they arrived and closed.
        Index("ix_cases_received_at", "received_at"),
        Index("ix_cases_closed_at", "closed_at"),
    )


class ApprovalEvent(Base):
    __tablename__ = "approval_events"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("approval_cases.id"), index=True)
    seq: Mapped[int | None] = mapped_column(BigInteger)
    type: Mapped[str] = mapped_column(String(32))
    at: Mapped[int] = mapped_column(InstantColumn)
    actor: Mapped[str | None] = mapped_column(String(200))
    node: Mapped[str | None] = mapped_column(String(64))
    data: Mapped[dict[str, Any]] = mapped_column(JSON)
    digest: Mapped[str] = mapped_column(String(64))
    backdated: Mapped[bool] = mapped_column(default=False)
    batch_id: Mapped[str] = mapped_column(String(64))
    arrived_at: Mapped[int] = mapped_column(InstantColumn)


class Evaluation(Base):
    __tablename__ = "evaluations"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("offices.id"))
    case_no: Mapped[str] = mapped_column(String(64))
    rating: Mapped[str] = mapped_column(String(32))
    at: Mapped[int] = mapped_column(InstantColumn)
    comment: Mapped[str | None] = mapped_column(String(10_000))
    channel: Mapped[str | None] = mapped_column(String(200))
    digest: Mapped[str] = mapped_column(String(64))
    batch_id: Mapped[str] = mapped_column(String(64))
    __table_args__ = (Index("ix_evaluations_case", "office_id", "case_no"), Index("ix_evaluations_at", "at"))
