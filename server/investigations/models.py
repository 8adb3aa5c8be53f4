"""The investigation tables: the case row, its people, links, evidence, opinions and timeline.

The case's lists live in tables of their own, not in a JSON column, because they are what
the lists filter on (who is assigned, which alert a case links) and what only ever grows
(a new timeline entry is one insert, never a rewrite of the whole case).
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel
from sqlalchemy import JSON, BigInteger, ForeignKey, Index, Integer, PrimaryKeyConstraint, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from server.db import Base, InstantColumn

#: ``investigation_people.relation`` values.
INVESTIGATOR = "investigator"
REVIEWER = "reviewer"


class Investigation(Base):
    __tablename__ = "investigations"
    pk: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    """Insertion order: the list's keyset cursor (ids are client-chosen UUIDs)."""
    id: Mapped[str] = mapped_column(String(36), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    subject: Mapped[dict[str, Any]] = mapped_column(JSON)
    stage: Mapped[str] = mapped_column(String(32))
    status: Mapped[str] = mapped_column(String(16))
    version: Mapped[int] = mapped_column(default=1)
    joint_review: Mapped[bool] = mapped_column(default=False)
    created_by: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[int] = mapped_column(InstantColumn)
    updated_at: Mapped[int] = mapped_column(InstantColumn)
    filing_approved_by: Mapped[str | None] = mapped_column(String(100))
    __table_args__ = (
        Index("ix_investigations_stage", "stage", "pk"),
        Index("ix_investigations_status", "status", "pk"),
        Index("ix_investigations_created_by", "created_by", "pk"),
    )


class InvestigationPerson(Base):
    """An investigator assigned to a case or a reviewer asked for an opinion, in order."""

    __tablename__ = "investigation_people"
    investigation_pk: Mapped[int] = mapped_column(ForeignKey("investigations.pk"))
    relation: Mapped[str] = mapped_column(String(16))
    username: Mapped[str] = mapped_column(String(100))
    position: Mapped[int] = mapped_column()
    __table_args__ = (
        PrimaryKeyConstraint("investigation_pk", "relation", "username"),
        Index("ix_investigation_people_username", "username", "relation", "investigation_pk"),
    )


class InvestigationLink(Base):
    """What a case came from: ``alert`` (its row id as text) or ``petition`` (its UUID)."""

    __tablename__ = "investigation_links"
    investigation_pk: Mapped[int] = mapped_column(ForeignKey("investigations.pk"))
    type: Mapped[str] = mapped_column(String(16))
    ref: Mapped[str] = mapped_column(String(64))
    position: Mapped[int] = mapped_column()
    __table_args__ = (
        PrimaryKeyConstraint("investigation_pk", "type", "ref"),
        Index("ix_investigation_links_ref", "type", "ref"),
    )


class InvestigationEvidence(Base):
    """A stored blob attached to a case. Never updated, never deleted."""

    __tablename__ = "investigation_evidence"
    investigation_pk: Mapped[int] = mapped_column(ForeignKey("investigations.pk"))
    sha256: Mapped[str] = mapped_column(String(64))
    filename: Mapped[str] = mapped_column(String(255))
    kind: Mapped[str] = mapped_column(String(32))
    size: Mapped[int] = mapped_column(BigInteger)
    attached_by: Mapped[str] = mapped_column(String(100))
    attached_at: Mapped[int] = mapped_column(InstantColumn)
    supersedes: Mapped[str | None] = mapped_column(String(64))
    position: Mapped[int] = mapped_column()
    __table_args__ = (
        PrimaryKeyConstraint("investigation_pk", "sha256"),
        Index("ix_investigation_evidence_sha256", "sha256"),
    )


class InvestigationOpinion(Base):
    __tablename__ = "investigation_opinions"
    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    investigation_pk: Mapped[int] = mapped_column(ForeignKey("investigations.pk"), index=True)
    reviewer: Mapped[str] = mapped_column(String(100))
    opinion: Mapped[str] = mapped_column(String(16))
    text: Mapped[str] = mapped_column(Text)
    at: Mapped[int] = mapped_column(InstantColumn)


class InvestigationEntry(Base):
    """One timeline entry: every applied action on the case, in order."""

    __tablename__ = "investigation_timeline"
    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    investigation_pk: Mapped[int] = mapped_column(ForeignKey("investigations.pk"))
    at: Mapped[int] = mapped_column(InstantColumn)
    actor: Mapped[str] = mapped_column(String(100))
    action: Mapped[str] = mapped_column(String(32))
    data: Mapped[dict[str, Any]] = mapped_column(JSON)
    __table_args__ = (Index("ix_investigation_timeline_case", "investigation_pk", "id"),)


# --- the API's shapes (spec 06 §2) ---------------------------------------------------------


class SubjectOut(BaseModel):
    name: str
    unit: str | None = None
    title: str | None = None


class LinkOut(BaseModel):
    type: str
    id: int | str


class EvidenceOut(BaseModel):
    sha256: str
    filename: str
    kind: str
    size: int | None
    attached_by: str
    attached_at: str
    supersedes: str | None


class OpinionOut(BaseModel):
    reviewer: str
    opinion: str
    text: str
    at: str


class EntryOut(BaseModel):
    at: str
    actor: str
    action: str
    data: dict[str, Any]


class InvestigationSummary(BaseModel):
    """A case in a list: everything but its evidence, opinions and timeline."""

    id: str
    title: str
    subject: SubjectOut
    stage: str
    status: str
    version: int
    joint_review: bool
    investigators: list[str]
    reviewers: list[str]
    created_by: str
    created_at: str
    updated_at: str
    links: list[LinkOut]
    filing_approved_by: str | None


class InvestigationOut(InvestigationSummary):
    """The case file."""

    evidence: list[EvidenceOut]
    opinions: list[OpinionOut]
    timeline: list[EntryOut]


class InvestigationPage(BaseModel):
    investigations: list[InvestigationSummary]
    next: str | None
