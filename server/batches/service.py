"""Importing one batch from an office (spec 03 §1).

The whole batch is one transaction: records, watermark, evaluation, alerts, change log,
audit entry and the stored summary commit together or not at all. Bad records are
rejected one by one with a code; the rest are kept.
"""

from __future__ import annotations

import hashlib
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from operator import attrgetter, itemgetter
from typing import Any

import orjson
from sqlalchemy import literal, select, union_all
from sqlalchemy.orm import Session

from server.audit import service as audit
from server.batches.models import Batch
from server.cases import service as case_service
from server.cases.models import ApprovalCase, ApprovalEvent, Evaluation
from server.changes.service import ChangeWriter, lock_for_commit_order
from server.context import EARLIEST_INSTANT, FUTURE_TOLERANCE, Context, instant_in_range
from server.db import bulk_insert, one_of, one_of_chunks, one_of_each, table_of
from server.deps import nul_path
from server.evaluation import Evaluator, office_json
from server.figures import service as figures
from server.notices import service as notices
from server.notices.models import Notice, NoticeEntry, NoticeReply
from server.offices.models import Office
from server.petitions import service as petitions
from server.petitions.models import Petition, PetitionEvent
from shared import protocol as p
from shared.rules.approval import CaseEvent, is_backdated, normalize_applicant
from shared.rules.case_state import CaseState
from shared.timeutil import Instant, format_instant, to_instant

SORT_KEYS = orjson.OPT_SORT_KEYS
EMPTY_STATE = CaseState().to_json()


class BatchIdReused(Exception):
    pass


def records_digest(records: list[Any]) -> str:
    """Canonical JSON (keys sorted, no whitespace) of the records, hashed."""
    return hashlib.sha256(orjson.dumps(records, option=SORT_KEYS)).hexdigest()


@dataclass
class _Accepted:
    index: int
    id: str
    record: Any
    digest: str
    at: Instant
    """The record's ``at`` (a petition's ``received_at``) as an instant, converted once."""


@dataclass(slots=True)
class _Parsed:
    """A record that passed the checks needing nothing stored."""

    index: int
    id: str
    record: Any
    digest: str
    at: Instant | None
    """The record's ``at`` (a petition's ``received_at``) as an instant; None past the range an instant holds."""


@dataclass
class _Work:
    records: list[Any]
    password_hashes: dict[int, str] = field(default_factory=dict)
    """Query passwords hashed before the transaction, by record index."""
    parsed: list[_Parsed] = field(default_factory=list)
    """The records that parsed, in their order; those rejected are already in ``errors``."""
    errors: list[dict[str, Any]] = field(default_factory=list)
    accepted: list[_Accepted] = field(default_factory=list)
    duplicates: int = 0

    def reject(self, index: int, rid: str | None, code: str, message: str, field_name: str | None = None) -> None:
        # The summary is stored and shown to operators: the builder keeps protected values out.
        self.errors.append(p.record_error(index, self.records[index], code, message, field_name, rid=rid))


def _canonical_id(raw: Any) -> str | None:
    if not isinstance(raw, dict):
        return None
    rid = raw.get("id")
    if not isinstance(rid, str):
        return None
    try:
        return str(uuid.UUID(rid))
    except ValueError:
        return None


#: every table a batch record's id may already be stored in; an id is one record's wherever it is
_RECORD_TABLES: tuple[Any, ...] = (ApprovalEvent, Evaluation, Petition, PetitionEvent, NoticeReply)


def _existing_digests(session: Session, ids: list[str]) -> dict[str, str]:
    """The stored digest of each of ``ids`` already stored, in any record table: one statement
    (not one a table: a small batch's round trips are a good part of its time). Should an id be
    in two tables, the later table's digest is the one kept, as it always was."""
    found: dict[str, str] = {}
    for chunk in one_of_chunks(ids):
        conditions = one_of_each(session, [model.id for model in _RECORD_TABLES], chunk)
        rows = session.execute(union_all(*(
            select(literal(rank).label("rank"), model.id, model.digest).where(condition)
            for rank, (model, condition) in enumerate(zip(_RECORD_TABLES, conditions, strict=True))
        ))).all()
        for _, rid, digest in sorted(rows, key=itemgetter(0)):
            found[rid] = digest
    return found


def import_batch(
    ctx: Context, *, office_id: int, batch_id: str, records: list[Any], complete_until: str | None,
    dry_run: bool,
) -> bytes:
    """Import (or, with ``dry_run``, only judge) a batch; returns the summary's JSON bytes."""
    digest = records_digest(records)
    with ctx.db.reading() as session:
        # A resend answers with its stored summary at once, without hashing its passwords again.
        stored = session.get(Batch, (office_id, batch_id))
        if stored is not None:
            if stored.records_digest == digest:
                return stored.summary
            raise BatchIdReused
    # Reading and checking each record on its own needs nothing stored: done before the write
    # transaction, which other server processes' batches wait for (in one process the parsing
    # still shares the interpreter with the lock holder: no faster there, BENCHMARKS.md).
    work = _read_records(ctx, records)
    # Argon2id is slow on purpose: hashed here, before the write transaction, so that a batch of
    # petitions holds no other office's heartbeat or anyone's sign-in back (issue 11 #5).
    work.password_hashes = prepare_query_passwords(ctx, work, dry_run=dry_run)
    with ctx.db.writing() as session:
        # Evaluation reads other cases and offices (duplicates, alerts): writers that evaluate
        # run one at a time, as SQLite's BEGIN IMMEDIATE already makes them.
        lock_for_commit_order(session)
        stored = session.get(Batch, (office_id, batch_id))
        if stored is not None:  # the same batch, sent twice at once: the first one won
            if stored.records_digest == digest:
                return stored.summary
            raise BatchIdReused
        office = session.get(Office, office_id)
        assert office is not None
        now = ctx.now(session)
        if complete_until is None:
            until = now
        else:
            until = to_instant(parse_until(complete_until))
            if until > p.latest_complete_until(now):
                raise BadCompleteUntil(f"complete_until {complete_until[:40]} lies after the end of the server's "
                                       f"day ({format_instant(now)}); declare only what has been exported",
                                       code="FUTURE_TIMESTAMP")
        summary, changes = _import(ctx, session, office, batch_id, work, until, now, digest)
        body = orjson.dumps(summary | {"dry_run": True} if dry_run else summary)
        if dry_run:
            session.rollback()
            return body
        changes.flush(session)
        session.add(Batch(batch_id=batch_id, office_id=office.id, records_digest=digest, summary=body,
                          processed_at=now))
        audit.append(
            session, at=now, actor=f"office:{office.code}", action="batch.import", entity="batch",
            entity_id=batch_id, after={"records": digest},
            detail={k: summary[k] for k in ("received", "imported", "duplicates", "rejected", "alerts_raised")},
        )
    ctx.committed()
    return body


def prepare_query_passwords(ctx: Context, work: _Work, *, dry_run: bool = False) -> dict[int, str]:
    """The Argon2id hash of each valid petition's query password, by record index.

    At most ``MAX_BATCH_QUERY_PASSWORDS`` (the route refuses more), on the process's bounded
    hashing pool. A record that fails validation later is simply not stored; its hash is dropped.
    A dry run stores nothing, so it spends no hashing: its placeholders are rolled back unread.
    """
    wanted = {r.index: r.record.query_password for r in work.parsed
              if isinstance(r.record, p.Petition) and r.record.query_password}
    if dry_run:
        return dict.fromkeys(wanted, "")
    hashes = ctx.hash_pool.hash_query_passwords(list(wanted.values()))
    return dict(zip(wanted, hashes, strict=True))


class BadCompleteUntil(ValueError):
    def __init__(self, message: str, *, code: str = "INVALID_REQUEST"):
        super().__init__(message)
        self.code = code


def parse_until(text: str) -> Any:
    from datetime import datetime

    try:
        value = datetime.fromisoformat(text)
    except (TypeError, ValueError):
        raise BadCompleteUntil("complete_until is not an ISO 8601 timestamp") from None
    if value.tzinfo is None:
        raise BadCompleteUntil("complete_until needs a UTC offset, e.g. +08:00")
    if instant_in_range(value) is None:
        raise BadCompleteUntil("complete_until must lie between 1970 and 9000; check the year")
    return value


def _read_records(ctx: Context, records: list[Any]) -> _Work:
    """Each record parsed and checked on its own (kind, fields, repeats within the batch),
    with its digest and instant: everything about a record that needs nothing stored."""
    work = _Work(records)
    seen_ids: set[str] = set()
    for index, raw in enumerate(records):
        rid_raw = p.record_id(raw)
        try:
            if isinstance(raw, dict) and isinstance(raw.get("kind"), str) and raw["kind"] not in p.RECORD_KINDS:
                raise p.Rejection("UNKNOWN_KIND", f"record kind {raw['kind'][:40]!r} is not one the server knows",
                                  "kind")
            # The record as the digest hashes it; a NUL anywhere in it is written ``\u0000``
            # there, so only a record holding that text is walked for where (the walk was 2 %
            # of a small batch's import).
            try:
                dumped: bytes | None = orjson.dumps(raw, option=SORT_KEYS)
            except orjson.JSONEncodeError:  # a number orjson cannot write: judged by the parse below
                dumped = None
            where = nul_path(raw) if dumped is None or b"\\u0000" in dumped else None
            if where is not None:
                raise p.Rejection("INVALID_FIELD", f"{where or 'the record'} contains a NUL character (U+0000)",
                                  where or None)
            cid = _canonical_id(raw)
            if cid is not None and cid in seen_ids:
                raise p.Rejection("DUPLICATE_IN_BATCH", f"id {cid} appeared earlier in this batch", "id")
            record: Any = p.parse_record(raw)  # every kind but a petition has `at`
        except p.Rejection as r:
            work.reject(index, rid_raw, r.code, r.message, r.field)
            continue
        rid = str(record.id)
        seen_ids.add(rid)
        at = record.received_at if isinstance(record, p.Petition) else record.at
        try:
            at_instant: Instant | None = to_instant(at)
        except OverflowError:
            at_instant = None
        work.parsed.append(_Parsed(index, rid, record, ctx.key.digest(
            dumped if dumped is not None else orjson.dumps(raw, option=SORT_KEYS)), at_instant))
    return work


def _import(
    ctx: Context, session: Session, office: Office, batch_id: str, work: _Work, until: Instant,
    now: Instant, digest: str,
) -> tuple[dict[str, Any], ChangeWriter]:
    catalogue = ctx.catalogue(session)
    parsed = work.parsed
    stored = _existing_digests(session, [r.id for r in parsed])
    limit = now + FUTURE_TOLERANCE

    # Cases this batch refers to, with their power code (stored or set earlier in the batch).
    case_nos = sorted({r.record.case_no for r in parsed if isinstance(r.record, p._ApprovalEventBase)})
    cases: dict[str, ApprovalCase] = {}
    for chunk in one_of_chunks(case_nos):
        for c in session.scalars(
            select(ApprovalCase)
            .where(ApprovalCase.office_id == office.id, one_of(session, ApprovalCase.case_no, chunk))
        ):
            cases[c.case_no] = c
    case_power: dict[str, str] = {no: c.power_code for no, c in cases.items()}
    petition_ids = sorted(
        {str(r.record.petition_id) for r in parsed if isinstance(r.record, p.PetitionEvent)}
    )
    known_petitions: dict[str, int] = {}
    for chunk in one_of_chunks(petition_ids):
        for pid, office_id in session.execute(
            select(Petition.id, Petition.office_id).where(one_of(session, Petition.id, chunk))
        ):
            known_petitions[pid] = office_id
    notice_ids = sorted({str(r.record.notice_id) for r in parsed if isinstance(r.record, p.NoticeReplyRecord)})
    notice_offices: dict[str, int] = {}
    for part in one_of_chunks(notice_ids):
        for nid, office_id in session.execute(
            select(Notice.id, Notice.office_id).where(one_of(session, Notice.id, part))
        ):
            notice_offices[nid] = office_id
    codes = sorted({r.record.receipt_code for r in parsed
                    if isinstance(r.record, p.Petition) and r.record.receipt_code})
    taken_codes: set[str] = set()
    for part in one_of_chunks(codes):
        taken_codes.update(session.scalars(
            select(Petition.receipt_code).where(one_of(session, Petition.receipt_code, part))
        ))

    for r in parsed:
        index, rid, rec, record_digest = r.index, r.id, r.record, r.digest
        if rid in stored:
            if stored[rid] == record_digest:
                work.duplicates += 1
            else:
                work.reject(index, rid, "ID_CONFLICT",
                            f"a record with id {rid} is already stored with different content", "id")
            continue
        at = rec.received_at if isinstance(rec, p.Petition) else rec.at
        name = "received_at" if isinstance(rec, p.Petition) else "at"
        at_instant = EARLIEST_INSTANT - 1 if r.at is None else r.at
        if at_instant < EARLIEST_INSTANT:
            work.reject(index, rid, "INVALID_FIELD", f"{name} {at.isoformat()} is before 1970; check the year",
                        name)
            continue
        if at_instant > limit:
            work.reject(index, rid, "FUTURE_TIMESTAMP",
                        f"{name} {at.isoformat()} is more than 10 minutes after the server's time "
                        f"{format_instant(now)}", name)
            continue
        if isinstance(rec, p._ApprovalEventBase):
            item = catalogue.latest(rec.power_code)
            if item is None:
                work.reject(index, rid, "UNKNOWN_POWER", f"power code {rec.power_code!r} is not in the catalogue",
                            "power_code")
                continue
            if isinstance(rec, p.NodeCompleted) and item.node(rec.node) is None:
                nodes = ", ".join(n.code for n in item.nodes) or "none"
                work.reject(index, rid, "UNKNOWN_NODE",
                            f"node {rec.node!r} is not a node of {rec.power_code} (its nodes: {nodes})", "node")
                continue
            have = case_power.get(rec.case_no)
            if have is not None and have != rec.power_code:
                work.reject(index, rid, "CASE_MISMATCH",
                            f"case {rec.case_no} already has events with power code {have!r}, not "
                            f"{rec.power_code!r}", "power_code")
                continue
            case_power[rec.case_no] = rec.power_code
        elif isinstance(rec, p.Petition):
            if rec.receipt_code and rec.receipt_code in taken_codes:
                work.reject(index, rid, "INVALID_FIELD", "receipt_code is already used by another petition",
                            "receipt_code")
                continue
            if rec.receipt_code:
                taken_codes.add(rec.receipt_code)
            known_petitions[rid] = office.id
        # Another office's petition does not exist for this office: the same answer as unknown.
        elif isinstance(rec, p.PetitionEvent) and known_petitions.get(str(rec.petition_id)) != office.id:
            work.reject(index, rid, "INVALID_FIELD", f"petition {rec.petition_id} is not known", "petition_id")
            continue
        # A notice addressed to another office does not exist for this one: the same answer as unknown.
        elif isinstance(rec, p.NoticeReplyRecord) and notice_offices.get(str(rec.notice_id)) != office.id:
            work.reject(index, rid, "INVALID_FIELD", f"notice {rec.notice_id} is not addressed to this office",
                        "notice_id")
            continue
        work.accepted.append(_Accepted(index, rid, rec, record_digest, at_instant))

    changes = ChangeWriter()
    touched_cases, touched_petitions, new_events = _store(ctx, session, office, batch_id, work, cases, now)
    touched_notices = _store_notice_replies(session, office, batch_id, work, changes, now)
    # A record for a closed month changes its figures: they are computed again on the next read.
    figures.invalidate(session, (a.at for a in work.accepted), now=now)

    old_watermark = office.watermark
    new_watermark = until if old_watermark is None else max(old_watermark, until)
    office_moved = new_watermark != old_watermark
    office.watermark = new_watermark
    office.last_batch_at = now
    if office_moved:
        office.version += 1
    changes.add(topic="office", entity="office", entity_id=office.code, data=office_json(office, now), at=now)

    ev = Evaluator(ctx, session, now, changes)
    ev.offices[office.id] = office
    case_ids = set(touched_cases) | set(ev.due_cases(office.id))
    case_ids |= _duplicate_peers(session, touched_cases)
    # Each touched case folds only this batch's events into its rule state.
    ev.cases(case_ids, touched=frozenset(touched_cases), new_events=new_events)
    pet_ids = set(touched_petitions) | set(ev.due_petitions(office.id))
    pet_ids |= _petition_peers(session, touched_petitions)
    ev.petitions(pet_ids, touched=frozenset(touched_petitions))
    ev.notices(set(touched_notices) | set(ev.due_notices(office.id)))
    ev.office(office)
    ev.finish()

    rejected = len(work.errors)
    imported = len(work.accepted)
    status = "ok" if rejected == 0 else ("rejected" if imported == 0 else "partial")
    work.errors.sort(key=lambda e: e["index"])
    summary = {
        "batch_id": batch_id,
        "office": office.code,
        "status": status,
        "received": len(work.records),
        "imported": imported,
        "duplicates": work.duplicates,
        "rejected": rejected,
        "errors": work.errors,
        "alerts_raised": ev.alerts.raised,
        "watermark": format_instant(new_watermark),
        "processed_at": format_instant(now),
    }
    return summary, changes


def _store(
    ctx: Context, session: Session, office: Office, batch_id: str, work: _Work, cases: dict[str, ApprovalCase],
    now: Instant,
) -> tuple[list[int], list[str], dict[int, list[CaseEvent]]]:
    """Insert the accepted records; returns the case ids and petition ids they touch, and the
    approval events stored for each case (as the rules read them)."""
    watermark = office.watermark
    events_by_case: dict[str, list[_Accepted]] = defaultdict(list)
    evaluations: list[_Accepted] = []
    new_petitions: list[_Accepted] = []
    petition_events: list[_Accepted] = []
    for a in work.accepted:
        rec = a.record
        if isinstance(rec, p._ApprovalEventBase):
            events_by_case[rec.case_no].append(a)
        elif isinstance(rec, p.Evaluation):
            evaluations.append(a)
        elif isinstance(rec, p.Petition):
            new_petitions.append(a)
        elif isinstance(rec, p.PetitionEvent):
            petition_events.append(a)

    new_cases = []
    for case_no, accepted in events_by_case.items():
        if case_no not in cases:
            # A new case's rule state is the empty one, into which this batch folds its events.
            # Its earliest ``received`` goes in with the row (the loop below then finds nothing
            # earlier): set on the loaded rows instead, the ORM updated every new case again
            # (5 ms of a province day's ~220-record batch on PostgreSQL, BENCHMARKS.md).
            received = min((a for a in accepted if isinstance(a.record, p.Received)), key=attrgetter("at"),
                           default=None)
            new_cases.append({"office_id": office.id, "case_no": case_no, "power_code": accepted[0].record.power_code,
                              "state": "unknown", "version": 0, "rule_state": EMPTY_STATE,
                              "received_at": received.at if received else None,
                              "applicant_key": normalize_applicant(received.record.applicant_id) if received else None})
    if new_cases:
        # Plain bulk insert, then read the ids back: an INSERT … RETURNING that must keep the
        # rows' order runs one statement per row on SQLite.
        bulk_insert(session, table_of(ApprovalCase), new_cases)
        numbers = [c["case_no"] for c in new_cases]
        for part in one_of_chunks(numbers):
            for c in session.scalars(select(ApprovalCase).where(
                ApprovalCase.office_id == office.id, one_of(session, ApprovalCase.case_no, part)
            )):
                cases[c.case_no] = c

    event_rows: list[dict[str, Any]] = []
    touched_cases: list[int] = []
    new_events: dict[int, list[CaseEvent]] = {}
    for case_no, accepted in events_by_case.items():
        case = cases[case_no]
        touched_cases.append(case.id)
        stored = new_events[case.id] = []
        for a in accepted:
            rec = a.record
            at = a.at
            data = rec.model_dump(
                exclude={"kind", "id", "case_no", "power_code", "type", "at", "seq", "actor", "node"},
                exclude_none=True,
            )
            row = {
                "id": a.id, "case_id": case.id, "seq": rec.seq, "type": rec.type, "at": at, "actor": rec.actor,
                "node": rec.node if isinstance(rec, p.NodeCompleted) else None, "data": data, "digest": a.digest,
                "backdated": is_backdated(at, watermark), "batch_id": batch_id, "arrived_at": now,
            }
            event_rows.append(row)
            stored.append(case_service.case_event(
                a.id, rec.type, at, rec.seq, row["actor"], row["node"], data, row["backdated"], now))
            if isinstance(rec, p.Received) and (case.received_at is None or at < case.received_at):
                case.received_at = at
                case.applicant_key = normalize_applicant(rec.applicant_id)
    if event_rows:
        # Core executemany: the ORM's bulk path costs several times the raw insert.
        bulk_insert(session, table_of(ApprovalEvent), event_rows)

    if evaluations:
        bulk_insert(session, table_of(Evaluation), [
            {"id": a.id, "office_id": office.id, "case_no": a.record.case_no, "rating": a.record.rating,
             "at": a.at, "comment": a.record.comment, "channel": a.record.channel,
             "digest": a.digest, "batch_id": batch_id}
            for a in evaluations
        ])
        rated = {a.record.case_no for a in evaluations}
        missing = sorted(rated - set(cases))
        for part in one_of_chunks(missing):
            for c in session.scalars(select(ApprovalCase).where(
                ApprovalCase.office_id == office.id, one_of(session, ApprovalCase.case_no, part)
            )):
                cases[c.case_no] = c
        touched_cases += [cases[no].id for no in rated if no in cases]

    touched_petitions: list[str] = []
    for a in new_petitions:
        pet: p.Petition = a.record
        petitioner = pet.petitioner.model_dump() if pet.petitioner else None
        session.add(Petition(
            id=a.id, office_id=office.id, channel=pet.channel, received_at=a.at,
            anonymous=pet.anonymous, petitioner_enc=petitions.encrypt_petitioner(ctx.key, a.id, petitioner),
            identity_key=petitions.identity_key(ctx.key, pet.petitioner.id_number if pet.petitioner else None),
            subject=pet.subject.model_dump(exclude_none=True), subject_name=pet.subject.name.strip(),
            subject_unit=(pet.subject.unit or "").strip()[:200] or None,
            category=pet.category, content=pet.content, receipt_code=pet.receipt_code,
            password_hash=work.password_hashes[a.index] if pet.query_password else None,
            status="registered", digest=a.digest, batch_id=batch_id, version=0,
        ))
        touched_petitions.append(a.id)
    if new_petitions:
        session.flush()
    if petition_events:
        bulk_insert(session, table_of(PetitionEvent), [
            {"id": a.id, "petition_id": str(a.record.petition_id), "type": a.record.type,
             "at": a.at, "actor": a.record.actor, "days": a.record.days, "text": a.record.text,
             "substantiated": a.record.substantiated, "digest": a.digest, "batch_id": batch_id}
            for a in petition_events
        ])
        touched_petitions += [str(a.record.petition_id) for a in petition_events]
    return touched_cases, touched_petitions, new_events


def _store_notice_replies(session: Session, office: Office, batch_id: str, work: _Work,
                          changes: ChangeWriter, now: Instant) -> list[str]:
    """Store the accepted ``notice_reply`` records; the first reply answers the notice (later ones
    stay in its timeline). Returns the notices touched, fed to the change log as they now are."""
    replies = [a for a in work.accepted if isinstance(a.record, p.NoticeReplyRecord)]
    touched: list[str] = []
    for a in sorted(replies, key=lambda a: a.at):
        rec: p.NoticeReplyRecord = a.record
        notice = session.scalar(select(Notice).where(Notice.id == str(rec.notice_id)))
        assert notice is not None, "checked above"
        at = a.at
        session.add(NoticeReply(id=a.id, notice_pk=notice.pk, office_id=office.id, at=at, text=rec.text,
                                digest=a.digest, batch_id=batch_id))
        session.add(NoticeEntry(notice_pk=notice.pk, at=at, actor=office.code, action="reply",
                                data={"text": rec.text, "record": a.id}))
        if notice.status != "replied":
            notice.status, notice.replied_at, notice.reply = "replied", at, rec.text
            notice.replied_by, notice.reply_at_centre = office.code, False
        notice.version += 1
        touched.append(notice.id)
    if touched:
        session.flush()
        for nid in dict.fromkeys(touched):
            data = notices.load(session, notice_id=nid)
            changes.add(topic="notice", entity="notice", entity_id=nid, data=data, at=now)
    return touched


def _duplicate_peers(session: Session, case_ids: list[int]) -> set[int]:
    """Cases whose DUPLICATE_CASE verdict may change because these cases arrived."""
    if not case_ids:
        return set()
    keys: set[tuple[str, str]] = set()
    for part in one_of_chunks(case_ids):
        for power, key in session.execute(
            select(ApprovalCase.power_code, ApprovalCase.applicant_key).where(
                one_of(session, ApprovalCase.id, part), ApprovalCase.applicant_key.is_not(None)
            )
        ):
            if key is not None:
                keys.add((power, key))
    applicants = sorted({key for _, key in keys})
    out: set[int] = set()
    for names in one_of_chunks(applicants):
        for cid, power, key in session.execute(
            select(ApprovalCase.id, ApprovalCase.power_code, ApprovalCase.applicant_key).where(
                one_of(session, ApprovalCase.applicant_key, names)
            )
        ):
            if (power, key) in keys:
                out.add(cid)
    return out


def _petition_peers(session: Session, ids: list[str]) -> set[str]:
    if not ids:
        return set()
    from sqlalchemy import tuple_

    keys = {
        (ik, name)
        for ik, name in session.execute(
            select(Petition.identity_key, Petition.subject_name).where(
                Petition.id.in_(ids), Petition.identity_key.is_not(None)
            )
        )
    }
    if not keys:
        return set()
    return set(session.scalars(select(Petition.id).where(
        tuple_(Petition.identity_key, Petition.subject_name).in_(sorted(keys))
    )))
