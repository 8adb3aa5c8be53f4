"""How each entity is kept on the server, and the world its actions' checks look at.

An entity plugs into the mutation engine with a :class:`EntityStore`: how to load it as the
JSON the API shows, how to persist a step of a plan (the entity before and after the
action), and which change-feed topic and which people its changes reach. Everything else
(ids, versions, conflicts, results, audit, change log, idempotency) is the engine's.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Protocol

from sqlalchemy import select
from sqlalchemy.orm import Session

from server.auth.models import User
from server.changes.service import ChangeWriter
from server.context import Context
from server.offices.models import Office
from server.uow import Work
from shared.actions import Actor, State, Step
from shared.timeutil import format_instant


class EntityStore(Protocol):
    """One entity kind's persistence for the mutation engine."""

    entity: str

    def load(self, work: Work, entity_id: str) -> State | None:
        """The entity as stored (everything, whoever asks), or None."""

    def save(self, work: Work, step: Step, actor: Actor, mutation_id: str) -> None:
        """Persist ``step.after`` (``step.before`` is None for a new entity)."""

    def feed(self, work: Work, state: State) -> tuple[str, dict[str, Any], set[str]]:
        """The change-feed row for a state: (topic, data, people beyond the topic's roles)."""


STORES: dict[str, EntityStore] = {}


def register_store(store: EntityStore) -> EntityStore:
    STORES[store.entity] = store
    return store


def load_stores() -> None:
    """Import every domain's store (each registers itself)."""
    import server.alerts.store
    import server.cards.store
    import server.investigations.store
    import server.notices.store
    import server.petitions.store  # noqa: F401


def evidence_path(data_dir: Path, sha256: str) -> Path:
    """Where a content-addressed evidence blob lives (spec 06 §1)."""
    return data_dir / "evidence" / sha256[:2] / sha256[2:4] / sha256


def read_world(ctx: Context, session: Session) -> ServerWorld:
    """The world of a read (GET) request: what ``visible`` rules look at, outside any write."""
    return ServerWorld(Work(ctx=ctx, session=session, changes=ChangeWriter(), now=ctx.now(session)))


class ServerWorld:
    """What actions' checks see on the server: the database inside the unit of work."""

    def __init__(self, work: Work):
        self.work = work
        self._roles: dict[str, str | None] = {}

    def now(self) -> str:
        return format_instant(self.work.now) or ""

    def get(self, entity: str, entity_id: str) -> State | None:
        store = STORES.get(entity)
        return None if store is None else store.load(self.work, entity_id)

    def user_role(self, username: str) -> str | None:
        if username not in self._roles:
            row = self.work.session.execute(
                select(User.role, User.disabled).where(User.username == username)
            ).first()
            self._roles[username] = None if row is None or row[1] else str(row[0])
        return self._roles[username]

    def blob_stored(self, sha256: str) -> bool:
        if len(sha256) != 64 or any(c not in "0123456789abcdef" for c in sha256):
            return False
        return evidence_path(self.work.ctx.settings.data_dir, sha256).is_file()

    def office_exists(self, code: str) -> bool:
        return self.work.session.scalar(select(Office.id).where(Office.code == code)) is not None

    def unique_taken(self, entity: str, field: str, value: str) -> bool:
        taken = getattr(STORES.get(entity), "taken", None)
        return bool(taken(self.work, field, value)) if taken is not None else False
