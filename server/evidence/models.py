"""Who uploaded which blob: an uploader may read back what they sent (spec 06 §1)."""

from __future__ import annotations

from sqlalchemy import BigInteger, PrimaryKeyConstraint, String
from sqlalchemy.orm import Mapped, mapped_column

from server.db import Base, InstantColumn


class EvidenceUpload(Base):
    __tablename__ = "evidence_uploads"
    sha256: Mapped[str] = mapped_column(String(64))
    username: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(BigInteger)
    at: Mapped[int] = mapped_column(InstantColumn)
    __table_args__ = (PrimaryKeyConstraint("sha256", "username"),)
