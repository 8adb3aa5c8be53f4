"""Appending to the audit hash chain and verifying it.

Each entry's hash covers its own fields and the previous entry's hash, so changing,
removing or reordering any entry breaks every hash after it; ``verify`` names the first
entry whose stored hash no longer matches.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

import orjson
from sqlalchemy import select
from sqlalchemy.orm import Session

from server.audit.anchor import Head
from server.audit.models import AuditEntry
from server.changes.service import lock_for_commit_order
from server.db import AUDIT_HEAD

GENESIS = "0" * 64


def entry_hash(
    *, seq: int, at: int, actor: str, action: str, entity: str, entity_id: str, before: str | None,
    after: str | None, detail: str, prev_hash: str,
) -> str:
    payload = orjson.dumps(
        [seq, at, actor, action, entity, entity_id, before, after, detail, prev_hash]
    )
    return hashlib.sha256(payload).hexdigest()


def digest_of(value: Any) -> str:
    return hashlib.sha256(orjson.dumps(value, option=orjson.OPT_SORT_KEYS)).hexdigest()


def append(
    session: Session, *, at: int, actor: str, action: str, entity: str, entity_id: str,
    before: Any = None, after: Any = None, detail: dict[str, Any] | None = None,
) -> AuditEntry:
    """Append one entry; serialised with other writers so the chain has no forks."""
    lock_for_commit_order(session)
    last = session.execute(select(AuditEntry.seq, AuditEntry.hash).order_by(AuditEntry.seq.desc()).limit(1)).first()
    seq = (last[0] + 1) if last else 1
    prev = last[1] if last else GENESIS
    detail_text = orjson.dumps(detail or {}, option=orjson.OPT_SORT_KEYS).decode()
    before_d = digest_of(before) if before is not None else None
    after_d = digest_of(after) if after is not None else None
    entry = AuditEntry(
        seq=seq, at=at, actor=actor, action=action, entity=entity, entity_id=str(entity_id)[:100],
        before_digest=before_d, after_digest=after_d, detail=detail_text, prev_hash=prev,
    )
    entry.hash = entry_hash(
        seq=seq, at=at, actor=actor, action=action, entity=entity, entity_id=entry.entity_id, before=before_d,
        after=after_d, detail=detail_text, prev_hash=prev,
    )
    session.add(entry)
    session.flush()
    # After this transaction commits, the head outside the database moves here (audit.anchor).
    session.info[AUDIT_HEAD] = (seq, entry.hash)
    return entry


@dataclass
class VerifyResult:
    entries: int
    broken_seq: int | None
    reason: str | None


def tail(session: Session) -> Head:
    """The newest entry of the chain (``seq`` 0 and the genesis hash when it is empty)."""
    last = session.execute(select(AuditEntry.seq, AuditEntry.hash).order_by(AuditEntry.seq.desc()).limit(1)).first()
    return Head(last[0], last[1]) if last else Head(0, GENESIS)


def verify(session: Session, anchor: Head | None = None) -> VerifyResult:
    """Check every link of the chain, and that it still reaches ``anchor`` (the head recorded
    outside the database) with the same hash: entries cut off its end show there."""
    prev = GENESIS
    count = 0
    expected_seq = 1
    at_anchor: str | None = GENESIS if anchor is not None and anchor.seq == 0 else None
    for e in session.scalars(select(AuditEntry).order_by(AuditEntry.seq)).yield_per(2000):
        count += 1
        if e.seq != expected_seq:
            return VerifyResult(count, e.seq, f"entry {expected_seq} is missing (next is {e.seq})")
        if e.prev_hash != prev:
            return VerifyResult(count, e.seq, "its link to the previous entry does not match")
        recomputed = entry_hash(
            seq=e.seq, at=e.at, actor=e.actor, action=e.action, entity=e.entity, entity_id=e.entity_id,
            before=e.before_digest, after=e.after_digest, detail=e.detail, prev_hash=e.prev_hash,
        )
        if recomputed != e.hash:
            return VerifyResult(count, e.seq, "its content does not match its hash")
        if anchor is not None and e.seq == anchor.seq:
            at_anchor = e.hash
        prev = e.hash
        expected_seq += 1
    if anchor is not None:
        last = expected_seq - 1
        if last < anchor.seq:
            return VerifyResult(count, last + 1, f"the chain ends at entry {last}, but the head recorded outside "
                                f"the database is entry {anchor.seq}: entries {last + 1} to {anchor.seq} were removed")
        if at_anchor != anchor.hash:
            return VerifyResult(count, anchor.seq, "it is not the entry recorded as the head outside the database")
    return VerifyResult(count, None, None)
