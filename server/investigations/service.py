"""Investigations as the API shows them: one case with everything, or a page of summaries.

Keyword-only functions over a session. Who may see what is ``shared.actions.investigation``'s
``visible``; :func:`visible_filter` is the same rule as SQL, for lists.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, exists, false, or_, select, true
from sqlalchemy.orm import Session

from server.investigations.models import (
    INVESTIGATOR,
    REVIEWER,
    Investigation,
    InvestigationEntry,
    InvestigationEvidence,
    InvestigationLink,
    InvestigationOpinion,
    InvestigationPerson,
)
from shared.actions import Actor
from shared.actions.investigation import CREATOR_ROLES
from shared.timeutil import format_instant

#: Every field of the case but its growing lists: what a list item shows.
SUMMARY_FIELDS = ("id", "title", "subject", "stage", "status", "version", "joint_review", "investigators",
                  "reviewers", "created_by", "created_at", "updated_at", "links", "filing_approved_by")


def _link_json(link: InvestigationLink) -> dict[str, Any]:
    return {"type": link.type, "id": int(link.ref) if link.type == "alert" else link.ref}


def summaries(session: Session, rows: Sequence[Investigation]) -> list[dict[str, Any]]:
    """The cases without their evidence, opinions and timeline, in the order given."""
    pks = [r.pk for r in rows]
    people: dict[tuple[int, str], list[str]] = {}
    links: dict[int, list[dict[str, Any]]] = {}
    if pks:
        for p in session.scalars(select(InvestigationPerson).where(InvestigationPerson.investigation_pk.in_(pks))
                                 .order_by(InvestigationPerson.position)):
            people.setdefault((p.investigation_pk, p.relation), []).append(p.username)
        for link in session.scalars(select(InvestigationLink).where(InvestigationLink.investigation_pk.in_(pks))
                                    .order_by(InvestigationLink.position)):
            links.setdefault(link.investigation_pk, []).append(_link_json(link))
    return [{
        "id": r.id, "title": r.title, "subject": r.subject, "stage": r.stage, "status": r.status,
        "version": r.version, "joint_review": r.joint_review,
        "investigators": people.get((r.pk, INVESTIGATOR), []), "reviewers": people.get((r.pk, REVIEWER), []),
        "created_by": r.created_by, "created_at": format_instant(r.created_at),
        "updated_at": format_instant(r.updated_at), "links": links.get(r.pk, []),
        "filing_approved_by": r.filing_approved_by,
    } for r in rows]


def case_file(session: Session, row: Investigation) -> dict[str, Any]:
    """One case with its evidence (supersede chain), opinions (dissent kept) and timeline."""
    [out] = summaries(session, [row])
    out["evidence"] = [{
        "sha256": e.sha256, "filename": e.filename, "kind": e.kind, "size": e.size, "attached_by": e.attached_by,
        "attached_at": format_instant(e.attached_at), "supersedes": e.supersedes,
    } for e in session.scalars(select(InvestigationEvidence).where(InvestigationEvidence.investigation_pk == row.pk)
                               .order_by(InvestigationEvidence.position))]
    out["opinions"] = [{"reviewer": o.reviewer, "opinion": o.opinion, "text": o.text, "at": format_instant(o.at)}
                       for o in session.scalars(select(InvestigationOpinion)
                                                .where(InvestigationOpinion.investigation_pk == row.pk)
                                                .order_by(InvestigationOpinion.id))]
    out["timeline"] = [{"at": format_instant(at), "actor": actor, "action": action, "data": data}
                       for at, actor, action, data in session.execute(
                           select(InvestigationEntry.at, InvestigationEntry.actor, InvestigationEntry.action,
                                  InvestigationEntry.data)
                           .where(InvestigationEntry.investigation_pk == row.pk)
                           .order_by(InvestigationEntry.id))]
    return out


def find(session: Session, *, investigation_id: str) -> Investigation | None:
    return session.scalars(select(Investigation).where(Investigation.id == investigation_id)).one_or_none()


def load(session: Session, *, investigation_id: str) -> dict[str, Any] | None:
    """The case file, whoever asks (callers check ``visible``)."""
    row = find(session, investigation_id=investigation_id)
    return None if row is None else case_file(session, row)


def _person_is(actor: Actor, relations: Iterable[str]) -> ColumnElement[bool]:
    return exists().where(InvestigationPerson.investigation_pk == Investigation.pk,
                          InvestigationPerson.username == actor.name,
                          InvestigationPerson.relation.in_(tuple(relations)))


def visible_filter(actor: Actor) -> ColumnElement[bool]:
    """``shared.actions.investigation.visible`` as a WHERE clause on ``investigations``."""
    if actor.role in ("admin", "leader"):
        return true()
    if actor.role == "investigator":
        return _person_is(actor, (INVESTIGATOR, REVIEWER))
    if actor.role in CREATOR_ROLES:
        return Investigation.created_by == actor.name
    return false()


def visible_pks(actor: Actor) -> Select[Any]:
    """The row keys of the cases ``actor`` may see (a subquery)."""
    return select(Investigation.pk).where(visible_filter(actor))


def list_query(*, actor: Actor, stage: str | None, status: str | None, assigned_to_me: bool
               ) -> Select[Any]:
    """The cases ``actor`` may see, filtered as the list asks (newest first)."""
    q = select(Investigation).where(visible_filter(actor))
    if stage:
        q = q.where(Investigation.stage.in_(stage.split(",")))
    if status:
        q = q.where(Investigation.status.in_(status.split(",")))
    if assigned_to_me:
        q = q.where(_person_is(actor, (INVESTIGATOR,)))
    return q


def linked_alert_ids(actor: Actor) -> Select[Any]:
    """Ids of alerts linked to cases ``actor`` may see (the link half of an alert's ``visible``)."""
    from sqlalchemy import Integer, cast

    return (select(cast(InvestigationLink.ref, Integer))
            .where(InvestigationLink.type == "alert", InvestigationLink.investigation_pk.in_(visible_pks(actor))))


def people_of_alerts(session: Session, alert_ids: list[str]) -> dict[str, set[str]]:
    """alert id -> the investigators and reviewers of the cases linking it (the change
    feed's audience for those alerts)."""
    out: dict[str, set[str]] = {}
    for start in range(0, len(alert_ids), 500):
        chunk = alert_ids[start:start + 500]
        rows = session.execute(
            select(InvestigationLink.ref, InvestigationPerson.username)
            .join(InvestigationPerson, and_(InvestigationPerson.investigation_pk == InvestigationLink.investigation_pk,
                                            or_(InvestigationPerson.relation == INVESTIGATOR,
                                                InvestigationPerson.relation == REVIEWER)))
            .where(InvestigationLink.type == "alert", InvestigationLink.ref.in_(chunk))
        )
        for ref, username in rows:
            out.setdefault(ref, set()).add(username)
    return out


def holding(session: Session, sha256: str) -> list[str]:
    """Ids of the cases this blob is attached to."""
    return list(session.scalars(
        select(Investigation.id).join(InvestigationEvidence, InvestigationEvidence.investigation_pk == Investigation.pk)
        .where(InvestigationEvidence.sha256 == sha256)))
