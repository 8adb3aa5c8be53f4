"""The unit of work: one write transaction with its change log, committed, then announced.

Every write that consoles must hear about goes through :func:`unit_of_work`: it opens the
write transaction, takes the change-log lock (so on PostgreSQL the change sequence is the
commit order and no two writers evaluate from stale readings), reads the server's clock once,
collects changes, writes them just before the commit, and wakes long-polls after it. The
services written on top of it never repeat that sequence.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session

from server.audit import service as audit
from server.changes.service import ChangeWriter, lock_for_commit_order
from server.context import Context
from shared.timeutil import Instant


@dataclass
class Work:
    """What a service needs inside a unit of work."""

    ctx: Context
    session: Session
    changes: ChangeWriter
    now: Instant
    #: Per-transaction memo for services (loaded users, offices, …); gone with the transaction.
    memo: dict[Any, Any] = field(default_factory=dict)

    def audit(self, *, actor: str, action: str, entity: str, entity_id: str, before: Any = None,
              after: Any = None, detail: dict[str, Any] | None = None) -> None:
        audit.append(self.session, at=self.now, actor=actor, action=action, entity=entity, entity_id=entity_id,
                     before=before, after=after, detail=detail)


@contextmanager
def unit_of_work(ctx: Context) -> Iterator[Work]:
    """A write transaction: lock, clock, change log; commit on success, roll back on error."""
    changes = ChangeWriter()
    wrote = 0
    with ctx.db.writing() as session:
        lock_for_commit_order(session)
        work = Work(ctx=ctx, session=session, changes=changes, now=ctx.now(session))
        yield work
        wrote = changes.flush(session)
    if wrote:
        ctx.committed()
