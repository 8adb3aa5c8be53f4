"""The risk index's charges for a month, gathered from the stored records (spec 07 §1).

Each query reads only the month's records through an index on their instant; the shared
:mod:`shared.risk` turns the charges into rows. A charge's ``ref`` is what the API resolves:
``alert`` (``GET /alerts/{id}``), ``card`` (``GET /cards/{id}``), ``notice``
(``GET /notices/{id}``), ``case`` (``GET /approval-cases/{office}/{case_no}``, with the rating's
record id) and ``petition`` (``GET /petitions/{id}``).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import and_, select
from sqlalchemy.orm import Session

from server.alerts.models import Alert, AlertAction
from server.cards.models import Card
from server.cases.models import ApprovalCase, ApprovalEvent, Evaluation
from server.notices.models import Notice
from server.petitions.models import Petition, PetitionEvent
from shared.risk import Charge, alert_counts, alert_item, evidence_actor
from shared.timeutil import Instant


def alert_rows(session: Session, start: Instant, end: Instant) -> list[Any]:
    """The month's alerts that count (dismissed ones only when escalated before), with the
    columns the index and the evaluation need."""
    rows = list(session.execute(
        select(Alert.id, Alert.rule, Alert.severity, Alert.status, Alert.office_id, Alert.evidence,
               Alert.subject_type, Alert.subject_id, Alert.raised_at)
        .where(Alert.raised_at >= start, Alert.raised_at < end)))
    dismissed = [r[0] for r in rows if r[3] == "dismissed"]
    escalated: set[int] = set()
    for i in range(0, len(dismissed), 500):
        escalated.update(session.scalars(select(AlertAction.alert_id).where(
            AlertAction.alert_id.in_(dismissed[i:i + 500]), AlertAction.action == "escalate")))
    return [r for r in rows if alert_counts(r[3], r[0] in escalated)]


def late_notices(session: Session, start: Instant, end: Instant, as_of: dict[int, Instant]) -> list[Any]:
    """Notices due in the month that were answered late or not at all (as of each office)."""
    out = []
    for nid, office_id, due, replied_at in session.execute(
            select(Notice.id, Notice.office_id, Notice.reply_due, Notice.replied_at)
            .where(Notice.reply_due >= start, Notice.reply_due < end)):
        if (replied_at is not None and replied_at >= due) or (replied_at is None and as_of.get(office_id, 0) >= due):
            out.append((nid, office_id, due))
    return out


def charges(session: Session, start: Instant, end: Instant, *, codes: dict[int, str], names: dict[int, str],
            as_of: dict[int, Instant]) -> list[Charge]:
    out: list[Charge] = []
    for aid, rule, severity, _status, office_id, evidence, _st, _sid, at in alert_rows(session, start, end):
        item = alert_item(rule, severity)
        if item is not None and office_id in codes:
            out.append(Charge(item, codes[office_id], evidence_actor(evidence), {"type": "alert", "id": aid}, at))
    for cid, kind, office_id, staff, at in session.execute(
            select(Card.id, Card.kind, Card.office_id, Card.staff, Card.issued_at)
            .where(Card.issued_at >= start, Card.issued_at < end, Card.status == "active")):
        out.append(Charge(f"{kind}_card", codes[office_id], staff, {"type": "card", "id": cid}, at))
    for nid, office_id, due in late_notices(session, start, end, as_of):
        out.append(Charge("notice_overdue", codes[office_id], None, {"type": "notice", "id": nid}, due))
    ratings = list(session.execute(
        select(Evaluation.id, Evaluation.office_id, Evaluation.case_no, Evaluation.rating, Evaluation.at)
        .where(Evaluation.at >= start, Evaluation.at < end, Evaluation.rating.in_(("dissatisfied", "very_poor")))))
    deciders = _deciders(session, {(r[1], r[2]) for r in ratings})
    for rid, office_id, case_no, rating, at in ratings:
        ref = {"type": "case", "id": f"{codes[office_id]}/{case_no}", "record": rid}
        out.append(Charge(rating, codes[office_id], deciders.get((office_id, case_no)), ref, at))
    by_name = {name.strip(): code for oid, code in codes.items() if (name := names.get(oid))}
    for pid, unit, at in session.execute(
            select(Petition.id, Petition.subject_unit, PetitionEvent.at)
            .join(PetitionEvent, PetitionEvent.petition_id == Petition.id)
            .where(PetitionEvent.type == "closed", PetitionEvent.substantiated.is_(True), PetitionEvent.at >= start,
                   PetitionEvent.at < end)):
        office = by_name.get((unit or "").strip())
        if office is not None:
            # Staff names are not known to the server (actors are staff ids): the petition counts
            # against the unit only.
            out.append(Charge("substantiated_petition", office, None, {"type": "petition", "id": pid}, at))
    return out


def _deciders(session: Session, keys: set[tuple[int, str]]) -> dict[tuple[int, str], str]:
    """The actor of each case's (latest) ``decided`` event."""
    out: dict[tuple[int, str], str] = {}
    by_office: dict[int, list[str]] = {}
    for office_id, case_no in keys:
        by_office.setdefault(office_id, []).append(case_no)
    for office_id, case_nos in by_office.items():
        for i in range(0, len(case_nos), 500):
            for case_no, actor, _at in session.execute(
                    select(ApprovalCase.case_no, ApprovalEvent.actor, ApprovalEvent.at)
                    .join(ApprovalEvent,
                          and_(ApprovalEvent.case_id == ApprovalCase.id, ApprovalEvent.type == "decided"))
                    .where(ApprovalCase.office_id == office_id, ApprovalCase.case_no.in_(case_nos[i:i + 500]))
                    .order_by(ApprovalEvent.at)):
                if actor:
                    out[(office_id, case_no)] = actor
    return out
