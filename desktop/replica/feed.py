"""Applying change-feed pages to the replica: each page and its cursor in one transaction.

A crash or a kill resumes exactly where the replica stood (CouchDB-style checkpoints) and
never applies a page twice. Changes are applied per kind (``entities.KINDS``): only the last
state of an entity in a page matters. A row with local actions still waiting keeps the
newest server state in ``server`` and shows it with the actions replayed on top
(``outbox.rebuild``); nothing the operator did is overwritten silently.

A re-snapshot (the server answered 410 ``CURSOR_EXPIRED``) re-reads the feed from the
beginning into the same tables under a new generation number and only at its end removes
rows the snapshot did not mention, so the console stays usable offline meanwhile.
"""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from desktop.replica import outbox
from desktop.replica.entities import KINDS
from desktop.replica.kind import Kind
from desktop.replica.schema import ReplicaFile, get_meta, set_meta


@dataclass
class ApplyResult:
    """What one change-feed page changed, for the UI to refresh just that."""

    cursor: str | None = None
    more: bool = False
    alert_ids: list[int] = field(default_factory=list)
    new_red: list[int] = field(default_factory=list)
    #: the entity names the page carried (known to the replica or not)
    entities: set[str] = field(default_factory=set)
    #: entity name → the keys of its rows the page changed
    changed: dict[str, list[tuple[Any, ...]]] = field(default_factory=dict)
    cases: list[tuple[str, str]] = field(default_factory=list)
    snapshot_finished: bool = False
    count: int = 0
    #: the console was already live when this page came (not catching up after a start or an
    #: outage): only then are new red signals news that should flash and sound
    live: bool = False


def apply_page(db: ReplicaFile, page: dict[str, Any]) -> ApplyResult:
    """Apply one ``GET /changes`` page and store its cursor, in one transaction."""
    out = ApplyResult(cursor=page.get("cursor"), more=bool(page.get("more")))
    changes: Sequence[dict[str, Any]] = page.get("changes") or []
    out.count = len(changes)
    if not changes and not out.more and out.cursor == db.meta("cursor") and db.meta("resnapshot") != "1":
        # An empty long-poll answer changes nothing: no write transaction for it.
        return out
    by_kind: dict[str, dict[str, dict[str, Any] | None]] = {}
    for ch in changes:
        entity = str(ch.get("entity"))
        out.entities.add(entity)
        if entity in KINDS:
            data = ch.get("data")
            by_kind.setdefault(entity, {})[str(ch["id"])] = data if ch.get("op", "upsert") != "delete" else None
    with db.writing() as conn:
        gen = int(get_meta(conn, "gen") or "0")
        for entity, kind in KINDS.items():
            if entity in by_kind:
                apply_rows(conn, kind, by_kind[entity], gen, out)
        set_meta(conn, "cursor", out.cursor)
        set_meta(conn, "synced_at", str(time.time()))
        if not out.more and get_meta(conn, "resnapshot") == "1":
            _finish_resnapshot(conn, gen)
            out.snapshot_finished = True
    return out


def _existing(conn: sqlite3.Connection, kind: Kind, keys: list[tuple[Any, ...]]) -> dict[tuple[Any, ...], sqlite3.Row]:
    """The rows of ``keys`` as they stand, by key (500 keys per query)."""
    found: dict[tuple[Any, ...], sqlite3.Row] = {}
    width = len(kind.keys)
    for start in range(0, len(keys), 500):
        chunk = keys[start : start + 500]
        if width == 1:
            match = f"{kind.keys[0]} IN ({', '.join('?' * len(chunk))})"
        else:
            one = f"({', '.join('?' * width)})"
            match = f"({', '.join(kind.keys)}) IN (VALUES {', '.join([one] * len(chunk))})"
        sql = f"SELECT * FROM {kind.table} WHERE {match}"  # noqa: S608 - names are constants
        for row in conn.execute(sql, [v for key in chunk for v in key]):
            found[tuple(row[c] for c in kind.keys)] = row
    return found


def apply_rows(conn: sqlite3.Connection, kind: Kind, changes: dict[str, dict[str, Any] | None], gen: int,
               out: ApplyResult) -> None:
    """Write one page's changes of one kind (feed id → data, None to delete) in ``conn``'s transaction."""
    keys = {feed_id: kind.key_of(feed_id) for feed_id in changes}
    old_rows = _existing(conn, kind, list(keys.values())) if kind.local or kind.notice else {}
    plain: list[dict[str, Any]] = []
    for feed_id, data in changes.items():
        key = keys[feed_id]
        old = old_rows.get(key)
        if data is None:
            conn.execute(f"DELETE FROM {kind.table} WHERE {kind.where_key}", key)  # noqa: S608 - names are constants
            if kind.notice is not None:
                kind.notice(out, key, old, None)
            continue
        row = kind.row(feed_id, data)
        if kind.local is not None and old is not None and (old["pending"] or old["server"] is not None):
            # Local actions are waiting: keep the newer server state and replay them on top.
            snapshot = json.loads(old["server"]) if old["server"] else kind.state_of(old)
            if int(row["version"] or 0) >= int(snapshot.get("version") or 0):
                conn.execute(f"UPDATE {kind.table} SET server = ?, gen = ? WHERE {kind.where_key}",  # noqa: S608
                             (json.dumps(kind.state_of(row), ensure_ascii=False), gen, *key))
            outbox.rebuild(conn, kind, key)
        else:
            row["gen"] = gen
            if kind.local is not None:
                # A conflict still to decide stays marked on the row the server replaced.
                row["conflict"] = old["conflict"] if old is not None else 0
            plain.append(row)
        if kind.notice is not None:
            kind.notice(out, key, old, row)
    if plain:
        cols = (*kind.columns, "gen", *(("conflict",) if kind.local is not None else ()))
        conn.executemany(
            f"INSERT OR REPLACE INTO {kind.table} ({', '.join(cols)})"  # noqa: S608 - names are constants
            f" VALUES ({', '.join(':' + c for c in cols)})",
            plain,
        )
    out.changed.setdefault(kind.entity, []).extend(keys.values())


def begin_resnapshot(db: ReplicaFile) -> None:
    """Start re-reading the feed from the beginning (after 410 CURSOR_EXPIRED)."""
    with db.writing() as conn:
        gen = int(get_meta(conn, "gen") or "0") + 1
        set_meta(conn, "gen", str(gen))
        set_meta(conn, "resnapshot", "1")
        set_meta(conn, "cursor", None)


def _finish_resnapshot(conn: sqlite3.Connection, gen: int) -> None:
    for kind in KINDS.values():
        # A row with local actions still waiting stays: the server will answer for it.
        keep = " AND pending = 0" if kind.local is not None else ""
        conn.execute(f"DELETE FROM {kind.table} WHERE gen < ?{keep}", (gen,))  # noqa: S608
    set_meta(conn, "resnapshot", None)
