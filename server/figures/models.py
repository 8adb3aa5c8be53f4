"""The cache of closed months' figures, and the record of which month ends were judged.

A closed month's figures are computed once and kept here under the digest of the settings
they were computed with (changing the risk index's weights makes a new entry). Records that
arrive late for a closed month (a back-dated rating, a dismissed alert) drop that month's
entries, so the next read computes them again.
"""

from __future__ import annotations

from sqlalchemy import PrimaryKeyConstraint, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from server.db import Base, InstantColumn


class MonthlyFigures(Base):
    __tablename__ = "monthly_figures"
    kind: Mapped[str] = mapped_column(String(16))
    """``risk``, ``evaluation``, ``statistics``, ``counts`` (what the last two are made of), or
    ``risk_level`` (the month end was judged)."""
    month: Mapped[str] = mapped_column(String(7))
    by: Mapped[str] = mapped_column(String(16))
    digest: Mapped[str] = mapped_column(String(64))
    body: Mapped[str] = mapped_column(Text)
    """The answer's JSON, as sent (a closed month is sent without decoding it again)."""
    computed_at: Mapped[int] = mapped_column(InstantColumn)
    __table_args__ = (PrimaryKeyConstraint("kind", "month", "by"),)
