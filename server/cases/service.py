"""Approval cases: loading their facts in bulk, evaluating the rules, rendering them."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Text, cast, select
from sqlalchemy.orm import Session

from server.cases.models import ApprovalCase, ApprovalEvent, Evaluation
from server.context import CatalogueSnapshot
from server.db import one_of, one_of_chunks
from shared.catalogue import PowerItem
from shared.rules.approval import (
    CaseEvent,
    CaseFacts,
    DuplicateRef,
    Rating,
    catalogue_anchor,
    find_duplicate,
    order_key,
)
from shared.timeutil import format_instant


@dataclass(slots=True)
class CaseRow:
    """A case read with Core for evaluation (no ORM identity map or change tracking)."""

    id: int
    office_id: int
    case_no: str
    power_code: str
    applicant_key: str | None
    received_at: int | None
    state: str
    due: int | None
    closed_at: int | None
    used_hours: float | None
    ratings: dict[str, int] | None
    next_check: int | None
    version: int
    rule_state: str | None
    """The stored rule state as JSON text, decoded by whoever reads it (one case at a time)."""


_CASE_COLUMNS = [getattr(ApprovalCase, name) for name in CaseRow.__slots__ if name != "rule_state"] + [
    cast(ApprovalCase.rule_state, Text)
]


def load_cases(session: Session, ids: Sequence[int]) -> list[CaseRow]:
    out: list[CaseRow] = []
    for chunk in one_of_chunks(list(ids)):
        query = select(*_CASE_COLUMNS).where(one_of(session, ApprovalCase.id, chunk))
        out.extend(CaseRow(*row) for row in session.execute(query))
    return out


def case_event(
    eid: str, typ: str, at: int, seq: int | None, actor: str | None, node: str | None, data: dict[str, Any],
    backdated: bool, arrived_at: int,
) -> CaseEvent:
    """The rules' view of one stored approval event (its columns as stored)."""
    return CaseEvent(
        id=eid, type=typ, at=at, seq=seq or 0, actor=actor, node=node, reason_code=data.get("reason_code"),
        amount_fen=data.get("amount_fen", 0), result=data.get("result"), reason=data.get("reason"),
        legal_basis=data.get("legal_basis"), backdated=backdated, arrived_at=arrived_at,
    )


def to_case_event(e: ApprovalEvent) -> CaseEvent:
    return case_event(e.id, e.type, e.at, e.seq, e.actor, e.node, e.data, e.backdated, e.arrived_at)


_FACT_COLUMNS = (
    ApprovalEvent.case_id, ApprovalEvent.id, ApprovalEvent.type, ApprovalEvent.at, ApprovalEvent.seq,
    ApprovalEvent.actor, ApprovalEvent.node, ApprovalEvent.data, ApprovalEvent.backdated, ApprovalEvent.arrived_at,
)


def load_case_events(session: Session, case_ids: Sequence[int]) -> dict[int, list[CaseEvent]]:
    """The rules' view of each case's events, in case order (``order_key``: ``(at, seq)``, then
    arrival, then id); read with Core, not the ORM, because it reads every event of each case."""
    rows: dict[int, list[CaseEvent]] = defaultdict(list)
    for chunk in one_of_chunks(list(case_ids)):
        query = select(*_FACT_COLUMNS).where(one_of(session, ApprovalEvent.case_id, chunk))
        for case_id, *columns in session.execute(query):
            rows[case_id].append(case_event(*columns))
    return {cid: sorted(items, key=order_key) for cid, items in rows.items()}


def load_events(session: Session, case_ids: Sequence[int]) -> dict[int, list[ApprovalEvent]]:
    out: dict[int, list[ApprovalEvent]] = defaultdict(list)
    for chunk in one_of_chunks(list(case_ids)):
        for e in session.scalars(select(ApprovalEvent).where(one_of(session, ApprovalEvent.case_id, chunk))):
            out[e.case_id].append(e)
    for events in out.values():
        events.sort(key=lambda e: (e.at, e.seq or 0, e.arrived_at, e.id))
    return out


def load_ratings(session: Session, cases: Sequence[CaseRow]) -> dict[tuple[int, str], list[Evaluation]]:
    out: dict[tuple[int, str], list[Evaluation]] = defaultdict(list)
    by_office: dict[int, list[str]] = defaultdict(list)
    for c in cases:
        by_office[c.office_id].append(c.case_no)
    for office_id, case_nos in by_office.items():
        for chunk in one_of_chunks(case_nos):
            rows = session.scalars(
                select(Evaluation).where(Evaluation.office_id == office_id, one_of(session, Evaluation.case_no, chunk))
            )
            for r in rows:
                out[(r.office_id, r.case_no)].append(r)
    return out


def load_duplicates(
    session: Session, cases: Sequence[CaseRow], office_codes: dict[int, str]
) -> dict[int, DuplicateRef]:
    """For each case with an applicant, the earlier case that makes it a duplicate."""
    keyed = [c for c in cases if c.applicant_key and c.received_at is not None]
    if not keyed:
        return {}
    peers: dict[tuple[str, str], list[tuple[int, str, str]]] = defaultdict(list)
    wanted = {(c.power_code, c.applicant_key) for c in keyed if c.applicant_key}
    applicants = sorted({key for _, key in wanted})
    for chunk in one_of_chunks(applicants):
        rows = session.execute(
            select(ApprovalCase.power_code, ApprovalCase.applicant_key, ApprovalCase.received_at,
                   ApprovalCase.office_id, ApprovalCase.case_no)
            .where(one_of(session, ApprovalCase.applicant_key, chunk))
            .where(ApprovalCase.received_at.is_not(None))
        )
        for power, key, received_at, office_id, case_no in rows:
            if key is not None and received_at is not None and (power, key) in wanted:
                peers[(power, key)].append((received_at, office_codes.get(office_id, ""), case_no))
    out: dict[int, DuplicateRef] = {}
    for c in keyed:
        assert c.applicant_key is not None
        assert c.received_at is not None
        found = find_duplicate(
            (c.received_at, office_codes.get(c.office_id, ""), c.case_no), peers[(c.power_code, c.applicant_key)]
        )
        if found:
            out[c.id] = DuplicateRef(found[1], found[2], found[0])
    return out


def item_for_case(
    catalogue: CatalogueSnapshot, power_code: str, events: Sequence[ApprovalEvent] | Sequence[CaseEvent]
) -> PowerItem | None:
    """The catalogue version in force when the case was accepted (or first seen)."""
    return catalogue.in_force(power_code, _anchor(events))


def catalogue_version_for_case(
    catalogue: CatalogueSnapshot, power_code: str, events: Sequence[ApprovalEvent] | Sequence[CaseEvent]
) -> int | None:
    """The catalogue version whose item ``item_for_case`` picks (shown with the case)."""
    return catalogue.version_in_force(power_code, _anchor(events))


def _anchor(events: Sequence[ApprovalEvent] | Sequence[CaseEvent]) -> int | None:
    return catalogue_anchor(next((e.at for e in events if e.type == "accepted"), None),
                            events[0].at if events else None)


def build_facts(
    case: CaseRow,
    office_code: str,
    item: PowerItem,
    events: Sequence[ApprovalEvent] | Sequence[CaseEvent],
    ratings: Sequence[Evaluation],
    duplicate: DuplicateRef | None,
) -> CaseFacts:
    return CaseFacts(
        office=office_code,
        case_no=case.case_no,
        item=item,
        events=[e if isinstance(e, CaseEvent) else to_case_event(e) for e in events],
        ratings=[Rating(r.id, r.rating, r.at) for r in ratings],
        duplicate_of=duplicate,
    )


def case_summary(case: ApprovalCase | CaseRow, office_code: str) -> dict[str, Any]:
    """What the change feed carries for a case (the console's replica row)."""
    return {
        "office": office_code,
        "case_no": case.case_no,
        "power_code": case.power_code,
        "state": case.state,
        "received_at": format_instant(case.received_at),
        "due": format_instant(case.due),
        "closed_at": format_instant(case.closed_at),
        "used_hours": case.used_hours,
        "ratings": case.ratings or {},
        "version": case.version,
    }


def event_json(e: ApprovalEvent) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": e.id,
        "type": e.type,
        "at": format_instant(e.at),
        "seq": e.seq,
        "actor": e.actor,
    }
    if e.node:
        out["node"] = e.node
    out.update(e.data)
    out["backdated"] = e.backdated
    out["batch_id"] = e.batch_id
    out["arrived_at"] = format_instant(e.arrived_at)
    return out
