"""Catalogue versions, power-item versions and calendar years."""

from __future__ import annotations

from typing import Any

from sqlalchemy import JSON, String
from sqlalchemy.orm import Mapped, mapped_column

from server.db import Base, InstantColumn


class PowerItemVersion(Base):
    """One version of one power item; a case is judged against the version in force at acceptance."""

    __tablename__ = "power_items"
    code: Mapped[str] = mapped_column(String(64), primary_key=True)
    version: Mapped[int] = mapped_column(primary_key=True)
    valid_from: Mapped[int] = mapped_column(InstantColumn)
    name: Mapped[str] = mapped_column(String(500))
    department: Mapped[str] = mapped_column(String(64), index=True)
    data: Mapped[dict[str, Any]] = mapped_column(JSON)


class CalendarYear(Base):
    __tablename__ = "calendar_years"
    year: Mapped[int] = mapped_column(primary_key=True)
    holidays: Mapped[list[str]] = mapped_column(JSON)
    workdays: Mapped[list[str]] = mapped_column(JSON)
    uploaded_at: Mapped[int] = mapped_column(InstantColumn)


class Meta(Base):
    """Small shared settings (catalogue version, calendar revision, simulated clock)."""

    __tablename__ = "meta"
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(String(200))


class SweepRun(Base):
    """One sweep of the clock rules: when, by which process, how many subjects it evaluated."""

    __tablename__ = "sweep_runs"
    id: Mapped[int] = mapped_column(primary_key=True)
    now: Mapped[int] = mapped_column(InstantColumn)
    process: Mapped[str] = mapped_column(String(100))
    evaluated: Mapped[int] = mapped_column()
    started: Mapped[float] = mapped_column()
    seconds: Mapped[float] = mapped_column()
