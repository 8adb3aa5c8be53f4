"""The stored settings: only what an administrator set; the rest are the models' defaults."""

from __future__ import annotations

from typing import Any

from sqlalchemy import JSON, String
from sqlalchemy.orm import Mapped, mapped_column

from server.db import Base, InstantColumn


class ServerSetting(Base):
    __tablename__ = "server_settings"
    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[dict[str, Any]] = mapped_column(JSON)
    version: Mapped[int] = mapped_column(default=1)
    updated_at: Mapped[int] = mapped_column(InstantColumn)
    updated_by: Mapped[str] = mapped_column(String(120))
