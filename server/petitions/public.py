"""The petitioner's status check (spec 03 §4, 06 §3), one service for the API and the page.

``POST /api/v1/public/petition-status`` and the page ``/status`` answer alike: status,
deadlines and the reply, nothing else (no identity, no content); a wrong code and a wrong
password get the same 404 in the same time; five failures for one receipt code within 15
minutes lock that code (429), and failures per address are limited too. A petition merged
into another answers with its primary's progress and reply: the primary's handling answers
both.
"""

from __future__ import annotations

import hashlib
import math
import time
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from server.auth import service as auth
from server.context import Context
from server.errors import ApiError
from server.offices.models import Office
from server.petitions import service
from server.petitions.models import Petition, PetitionEvent
from server.security import DUMMY_QUERY_HASH, verify_password
from shared.rules.petition import evaluate_petition
from shared.timeutil import format_instant

CODE_WINDOW = 15 * 60
CODE_FAILURES = 5
ADDRESS_FAILURES = 30
#: How far a chain of merges is followed (a merge never targets a merged petition, so 1 in practice).
MAX_MERGE_HOPS = 5


def normalize_code(receipt_code: str) -> str:
    """What a person types, as the code it means: spaces and dashes between digit groups dropped."""
    return "".join(ch for ch in receipt_code if not ch.isspace() and ch != "-")


def _check_limits(session: Session, code_key: str, address: str) -> None:
    for scope, key, limit in (("status-code", code_key, CODE_FAILURES), ("status-addr", address, ADDRESS_FAILURES)):
        if auth.failures_since(session, scope, key, CODE_WINDOW) >= limit:
            oldest = auth.oldest_failure(session, scope, key, CODE_WINDOW) or time.time()
            retry = max(1, math.ceil(oldest + CODE_WINDOW - time.time()))
            raise ApiError(429, "RATE_LIMITED", f"too many failed attempts; try again in {retry} s",
                           headers={"Retry-After": str(retry)})


def status_answer(ctx: Context, *, receipt_code: str, password: str, address: str) -> dict[str, Any]:
    """The answer for a receipt code and password; ``ApiError`` 404 or 429 otherwise.

    Blocking (Argon2 and the database): call it from a worker thread."""
    code = normalize_code(receipt_code)
    code_key = hashlib.sha256(code.encode()).hexdigest()
    with ctx.db.reading() as session:
        _check_limits(session, code_key, address)
        stored_hash = session.scalar(select(Petition.password_hash).where(Petition.receipt_code == code))
    # Unknown codes verify against a dummy hash too, so both failures take the same time; and
    # Argon2 runs outside any write transaction (it would hold every writer back on SQLite).
    ok = verify_password(stored_hash, password, dummy=DUMMY_QUERY_HASH)
    with ctx.db.writing() as session:
        _check_limits(session, code_key, address)
        p = session.scalars(select(Petition).where(Petition.receipt_code == code)).one_or_none()
        if p is None or not ok or p.password_hash != stored_hash:
            auth.record_failure(session, "status-code", code_key)
            auth.record_failure(session, "status-addr", address)
            session.commit()
            raise ApiError(404, "NOT_FOUND", "no petition matches this receipt code and password")
        received_at = p.received_at
        handled = p
        for _ in range(MAX_MERGE_HOPS):
            if handled.merged_into is None:
                break
            primary = session.get(Petition, handled.merged_into)
            if primary is None:
                break
            handled = primary
        events = service.load_events(session, [handled.id]).get(handled.id, [])
        office = session.get(Office, handled.office_id)
        assert office is not None
        now = ctx.now(session)
        result = evaluate_petition(service.build_facts(handled, events, None), office.as_of(now), now)
        return {
            "receipt_code": p.receipt_code,
            "status": service.status_of(events),
            "received_at": format_instant(received_at),
            "deadlines": result.clocks_json(),
            "reply": _reply(events),
        }


def _reply(events: list[PetitionEvent]) -> str | None:
    """The latest reply: what the petitioner is told now."""
    replies = [e.text for e in events if e.type == "replied" and e.text]
    return replies[-1] if replies else None
