"""Merge suggestions from the stored petitions (``shared.similarity`` does the comparing)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from server.petitions.models import Petition
from shared.similarity import Doc, Suggestion, rank

#: The most recent petitions compared with one: a county receives some hundreds a year (Renqiu
#: tracked 348), so this reaches back years, and one request stays well under a second.
POOL_SIZE = 2000


def suggest(session: Session, petition: Petition, *, limit: int = 5) -> list[Suggestion]:
    """Other unmerged petitions most like ``petition``, best first."""
    rows = session.execute(
        select(Petition.id, Petition.subject, Petition.content)
        .where(Petition.merged_into.is_(None), Petition.id != petition.id)
        .order_by(Petition.received_at.desc(), Petition.id)
        .limit(POOL_SIZE)
    ).all()
    pool = [Doc.of(pid, subject, content) for pid, subject, content in rows]
    return rank(Doc.of(petition.id, petition.subject, petition.content), pool, limit=limit)
