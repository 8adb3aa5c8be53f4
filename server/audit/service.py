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

from server.audit.models import AuditEntry
from server.changes.service import lock_for_commit_order

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
    return entry


@dataclass
class VerifyResult:
    entries: int
    broken_seq: int | None
    reason: str | None


def verify(session: Session) -> VerifyResult:
    prev = GENESIS
    count = 0
    expected_seq = 1
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
        prev = e.hash
        expected_seq += 1
    return VerifyResult(count, None, None)
