"""What the replica must know about one kind of entity the change feed carries.

A kind is a small declaration: its table (DDL), how a change-feed item becomes a row, how a
feed id names a row, and — for the entities an operator acts on offline — what an action does
locally before the server confirms it (``LocalActions``). ``desktop.replica.entities`` lists
the kinds. The change feed (``feed``), the outbox and its rebase (``outbox``) and the
re-snapshot are written once over kinds: adding investigations, petitions, cards or notices
is a module with its ``Kind`` and one line in ``entities``, not a copy of the alert code.

A kind with ``local`` keeps, besides its columns, ``version`` (the server's), ``server`` (the
last server state while local actions wait, JSON), ``pending`` and ``conflict`` (see
``MUTABLE_COLUMNS``): the row shows the server state with the pending actions replayed on top.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from desktop.replica.feed import ApplyResult

Row = dict[str, Any]
#: a row as read (``sqlite3.Row``) or as built (a dict)
RowLike = Mapping[str, Any] | sqlite3.Row
#: the columns every table of a kind with local actions has besides its own (SQL column definitions)
MUTABLE_COLUMNS = ("server TEXT", "pending INTEGER NOT NULL DEFAULT 0", "conflict INTEGER NOT NULL DEFAULT 0")


@dataclass(frozen=True)
class LocalActions:
    """What an operator's action does to an entity before the server confirms it.

    ``check`` raises ``desktop.replica.local.ActionRefused`` when the server would refuse the
    action on the state given; ``apply`` returns the state after it (unchanged when it does
    not apply). Both see the entity's ``Kind.state`` columns as a mapping (and, with
    ``with_actor``, who acts).
    """

    check: Callable[..., None]
    apply: Callable[..., dict[str, Any]]
    #: actions that do not change the entity's version on the server (a comment)
    versionless: frozenset[str] = frozenset()
    #: seals the data fields the replica file may not hold in clear (``desktop.replica.sealed.Sealer``)
    sealer: Any = None
    #: ``check`` and ``apply`` take ``actor=`` (the replica's signed-in user, or None when it
    #: is not known): actions whose meaning depends on who takes them (an opinion is a
    #: requested reviewer's, an attachment names who attached it)
    with_actor: bool = False


def single_key(convert: Callable[[str], Any] = str) -> Callable[[str], tuple[Any, ...]]:
    """A feed id that is the row's one key column (``convert`` it: ``int`` for numeric ids)."""

    def key_of(feed_id: str) -> tuple[Any, ...]:
        return (convert(feed_id),)

    return key_of


def path_key(parts: int) -> Callable[[str], tuple[Any, ...]]:
    """A feed id of ``parts`` key values joined by ``/`` (``T01/2026-0000123``); the last part may hold ``/``."""

    def key_of(feed_id: str) -> tuple[Any, ...]:
        values = str(feed_id).split("/", parts - 1)
        return tuple(values + [""] * (parts - len(values)))

    return key_of


_TEXT_KEY = single_key()


@dataclass(frozen=True)
class Kind:
    """One kind of entity in the replica, by its name in the change feed and the outbox."""

    #: the name in the change feed (``entity``) and in the outbox
    entity: str
    table: str
    #: the key columns, in the order ``key_of`` gives their values
    keys: tuple[str, ...]
    #: every column a feed item fills (keys included), the value of ``row``'s keys
    columns: tuple[str, ...]
    #: (feed id, the item's data) → the row's column values
    row: Callable[[str, dict[str, Any]], Row]
    #: CREATE TABLE / INDEX / TRIGGER statements (``IF NOT EXISTS``); the table has ``gen``
    ddl: str
    #: a feed id or an outbox entity id → the key values
    key_of: Callable[[str], tuple[Any, ...]] = _TEXT_KEY
    #: offline actions on this kind (None: the operator does not act on it)
    local: LocalActions | None = None
    #: with ``local``: the columns an action sees and changes, kept as the server state
    state: tuple[str, ...] = ()
    #: columns computed from the state (a search text), written with it
    derived: Callable[[Mapping[str, Any]], Row] | None = None
    #: what one row's change means to the UI: (result, key, old row or None, new row or None)
    notice: Callable[[ApplyResult, tuple[Any, ...], RowLike | None, RowLike | None], None] | None = None

    @property
    def where_key(self) -> str:
        """``a = ? AND b = ?`` over the key columns."""
        return " AND ".join(f"{k} = ?" for k in self.keys)

    def id_text(self, key: tuple[Any, ...]) -> str:
        """The entity id the outbox and the server use for a key (the feed id's form)."""
        return "/".join(str(k) for k in key)

    def state_of(self, row: RowLike) -> dict[str, Any]:
        """The state an action sees, from a row (or a stored server snapshot)."""
        return {c: row[c] if c in row.keys() else None for c in self.state}  # noqa: SIM118 - sqlite3.Row
