"""The notice tables: the notice row, its timeline, and the replies offices sent in batches.

``notice_replies`` keeps each ``notice_reply`` record with its digest, like every other batch
record, so that the same record sent again is a duplicate and other content an ``ID_CONFLICT``.
``next_check`` is when ``NOTICE_REPLY_OVERDUE`` could next change without new records (the
reply's due instant while none is seen), so the sweep finds notices by index.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import JSON, BigInteger, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from server.db import Base, InstantColumn


class Notice(Base):
    __tablename__ = "notices"
    pk: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    id: Mapped[str] = mapped_column(String(36), unique=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("offices.id"))
    subject: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    alerts: Mapped[list[int]] = mapped_column(JSON)
    issued_by: Mapped[str] = mapped_column(String(100))
    issued_at: Mapped[int] = mapped_column(InstantColumn)
    reply_days: Mapped[int] = mapped_column()
    reply_due: Mapped[int] = mapped_column(InstantColumn)
    status: Mapped[str] = mapped_column(String(16))
    replied_at: Mapped[int | None] = mapped_column(InstantColumn)
    reply: Mapped[str | None] = mapped_column(Text)
    replied_by: Mapped[str | None] = mapped_column(String(100))
    reply_at_centre: Mapped[bool] = mapped_column(default=False)
    next_check: Mapped[int | None] = mapped_column(InstantColumn)
    version: Mapped[int] = mapped_column(default=1)
    __table_args__ = (
        Index("ix_notices_office_next", "office_id", "next_check"),
        Index("ix_notices_office", "office_id", "pk"),
        Index("ix_notices_reply_due", "reply_due"),
        Index("ix_notices_issued_at", "issued_at"),
    )


class NoticeEntry(Base):
    __tablename__ = "notice_entries"
    pk: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    notice_pk: Mapped[int] = mapped_column(ForeignKey("notices.pk"), index=True)
    at: Mapped[int] = mapped_column(InstantColumn)
    actor: Mapped[str] = mapped_column(String(100))
    action: Mapped[str] = mapped_column(String(32))
    data: Mapped[dict[str, Any]] = mapped_column(JSON)


class NoticeReply(Base):
    """A ``notice_reply`` record of an office's batch."""

    __tablename__ = "notice_replies"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    notice_pk: Mapped[int] = mapped_column(ForeignKey("notices.pk"), index=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("offices.id"))
    at: Mapped[int] = mapped_column(InstantColumn)
    text: Mapped[str] = mapped_column(Text)
    digest: Mapped[str] = mapped_column(String(64))
    batch_id: Mapped[str | None] = mapped_column(String(64))
