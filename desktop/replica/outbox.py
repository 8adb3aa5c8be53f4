"""The operator's actions waiting for the server, applied to the replica at once.

An action is checked and applied locally by its kind's ``LocalActions`` (for alerts,
``desktop.replica.local``: what the server would answer), queued here with the version the
server will have when it arrives (``base_version``), and replayed with ``POST /mutations`` by
the sync engine; replay is idempotent by mutation id. While actions wait, the row keeps the
last server state in ``server`` and shows it with the waiting actions replayed on top
(``rebuild``); every answer or newer server state rebuilds it.

States: ``pending`` (waiting to be sent), ``applied`` (confirmed), ``conflict`` and
``rejected`` (waiting for the operator's decision), ``superseded`` (applied again) and
``discarded`` (the operator kept the server's version). A conflict or rejection stays until the
operator decides; deciding (``resolve``) is one transaction, so the action is never lost
between dropping the old mutation and queueing the new one.
"""

from __future__ import annotations

import json
import sqlite3
import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from desktop.replica import local
from desktop.replica.entities import KINDS
from desktop.replica.kind import Kind, LocalActions
from desktop.replica.schema import ReplicaFile, get_meta
from shared.actions import Actor

#: Waiting to be sent; waiting for the operator's decision.
OPEN_STATES = ("pending",)
ATTENTION_STATES = ("conflict", "rejected")


@dataclass
class OutboxResult:
    """What replaying the outbox decided, for the UI."""

    applied: int = 0
    conflicts: int = 0
    rejected: int = 0
    alert_ids: list[int] = field(default_factory=list)
    #: entity name → the keys of its rows the answers changed
    changed: dict[str, list[tuple[Any, ...]]] = field(default_factory=dict)
    more: bool = False


def local_actor(conn: sqlite3.Connection) -> Actor | None:
    """The person this replica acts for (``Replica.set_actor``; None in files from before it)."""
    name, role = get_meta(conn, "actor_name"), get_meta(conn, "actor_role")
    return Actor(name, role) if name and role else None


def _check(conn: sqlite3.Connection, actions: LocalActions, state: dict[str, Any], action: str,
           data: dict[str, Any]) -> None:
    if actions.with_actor:
        actions.check(state, action, data, actor=local_actor(conn))
    else:
        actions.check(state, action, data)


def _apply(conn: sqlite3.Connection, actions: LocalActions, state: dict[str, Any], action: str,
           data: dict[str, Any]) -> dict[str, Any]:
    if actions.with_actor:
        return actions.apply(state, action, data, actor=local_actor(conn))
    return actions.apply(state, action, data)


def _actions(kind: Kind) -> Any:
    if kind.local is None:
        raise local.ActionRefused(f"{kind.entity} cannot be changed from the console")
    return kind.local


def queue_one(conn: sqlite3.Connection, kind: Kind, key: tuple[Any, ...], action: str,
              data: dict[str, Any]) -> local.ActionRefused | None:
    """Queue one action on one entity and show it at once, in ``conn``'s transaction.

    Returns the refusal (the whole of it: its reason in every language) when the action does
    not apply to the entity as the replica holds it.
    """
    actions = _actions(kind)
    row = conn.execute(f"SELECT * FROM {kind.table} WHERE {kind.where_key}", key).fetchone()  # noqa: S608
    # A create (a card issued, a petition registered) names an entity nobody has yet.
    creating = row is None and local.creates(kind.entity, action)
    if row is None and not creating:
        return local.ActionRefused(f"{kind.entity} {kind.id_text(key)} is not in the replica")
    # What the server has not got yet is version 0: nothing (a create's entity before its replay).
    state = kind.state_of(row) if row is not None else {**dict.fromkeys(kind.state),
                                                        **dict(zip(kind.keys, key, strict=True)), "version": 0}
    try:
        _check(conn, actions, state, action, data)
    except local.ActionRefused as exc:
        return exc
    entity_id = kind.id_text(key)
    if creating:
        cols = (*kind.keys, "server")
        conn.execute(f"INSERT INTO {kind.table} ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})",  # noqa: S608
                     (*key, json.dumps(state, ensure_ascii=False)))
        row = conn.execute(f"SELECT * FROM {kind.table} WHERE {kind.where_key}", key).fetchone()  # noqa: S608
    if actions.sealer is not None:
        data = actions.sealer.seal(data)
    snapshot = json.loads(row["server"]) if row["server"] else kind.state_of(row)
    # The version the server will have when this action arrives: its known version plus each
    # of my earlier version-changing actions still queued for this entity.
    versionless = sorted(actions.versionless)
    queued = conn.execute(
        "SELECT COUNT(*) FROM outbox WHERE entity = ? AND entity_id = ? AND state = 'pending'"  # noqa: S608
        f" AND action NOT IN ({','.join('?' * len(versionless))})",
        (kind.entity, entity_id, *versionless),
    ).fetchone()[0]
    # A create has nothing on the server to be stale against: no base version.
    base = None if creating else int(snapshot.get("version") or 1) + int(queued)
    conn.execute(
        "INSERT INTO outbox (id, entity, entity_id, action, base_version, data, created_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?)",
        (str(uuid.uuid4()), kind.entity, entity_id, action, base, json.dumps(data, ensure_ascii=False), time.time()),
    )
    if row["server"] is None:
        conn.execute(f"UPDATE {kind.table} SET server = ? WHERE {kind.where_key}",  # noqa: S608
                     (json.dumps(snapshot, ensure_ascii=False), *key))
    rebuild(conn, kind, key)
    return None


def enqueue(db: ReplicaFile, entity: str, ids: Sequence[Any], action: str,
            data: dict[str, Any]) -> tuple[list[Any], list[tuple[Any, local.ActionRefused]]]:
    """Queue an operator's action on entities and apply it locally at once (one transaction).

    Returns (ids changed, (id, refusal) for the ones refused locally): each refusal whole, with
    its code and its message in English and in Chinese, so the console shows it in its language.
    """
    kind = KINDS[entity]
    changed: list[Any] = []
    refused: list[tuple[Any, local.ActionRefused]] = []
    with db.writing() as conn:
        for entity_id in ids:
            why = queue_one(conn, kind, kind.key_of(str(entity_id)), action, data)
            if why is None:
                changed.append(entity_id)
            else:
                refused.append((entity_id, why))
    return changed, refused


def rebuild(conn: sqlite3.Connection, kind: Kind, key: tuple[Any, ...]) -> None:
    """Show the server state with this entity's pending actions replayed on top."""
    actions = _actions(kind)
    row = conn.execute(f"SELECT server FROM {kind.table} WHERE {kind.where_key}", key).fetchone()  # noqa: S608
    if row is None or row["server"] is None:
        return
    shown: dict[str, Any] = json.loads(row["server"])
    entity_id = kind.id_text(key)
    pending = list(conn.execute(
        "SELECT action, data FROM outbox WHERE entity = ? AND entity_id = ? AND state = 'pending' ORDER BY seq",
        (kind.entity, entity_id),
    ))
    known = int(shown.get("version") or 0)
    for p in pending:
        if known and local.creates(kind.entity, p["action"]):
            continue  # the server holds the entity already: its create changes nothing
        shown = _apply(conn, actions, shown, p["action"], json.loads(p["data"]))
    attention = _attention(conn, kind, entity_id)
    if not known and not pending:
        if attention:
            # A create the server refused: shown as it was queued, marked, until the person decides.
            conn.execute(f"UPDATE {kind.table} SET pending = 0, conflict = 1 WHERE {kind.where_key}", key)  # noqa: S608
        else:
            # Created here and never by the server (its refusal decided, or dropped): no such entity.
            conn.execute(f"DELETE FROM {kind.table} WHERE {kind.where_key}", key)  # noqa: S608
        return
    values = {c: shown.get(c) for c in kind.state if c not in kind.keys}
    if kind.derived is not None:
        values.update(kind.derived(shown))
    values["pending"] = len(pending)
    values["conflict"] = 1 if attention else 0
    # With nothing pending the row is the server state again; drop the snapshot.
    values["server"] = row["server"] if pending else None
    sets = ", ".join(f"{c} = ?" for c in values)
    conn.execute(f"UPDATE {kind.table} SET {sets} WHERE {kind.where_key}", (*values.values(), *key))  # noqa: S608


def _attention(conn: sqlite3.Connection, kind: Kind, entity_id: str) -> int:
    return int(conn.execute(
        "SELECT COUNT(*) FROM outbox WHERE entity = ? AND entity_id = ? AND state IN ('conflict', 'rejected')",
        (kind.entity, entity_id)).fetchone()[0])


def refresh_attention(conn: sqlite3.Connection, kind: Kind, key: tuple[Any, ...]) -> None:
    """Mark the row when a conflict or rejection of it waits for the operator."""
    conn.execute(f"UPDATE {kind.table} SET conflict = ? WHERE {kind.where_key}",  # noqa: S608
                 (1 if _attention(conn, kind, kind.id_text(key)) else 0, *key))


def pending_mutations(db: ReplicaFile, limit: int = 200) -> list[dict[str, Any]]:
    """The next actions to send, oldest first, as ``POST /mutations`` items."""
    conn = db.connect(readonly=True)
    try:
        rows = conn.execute("SELECT * FROM outbox WHERE state = 'pending' ORDER BY seq LIMIT ?", (limit,))
        return [
            {"id": r["id"], "entity": r["entity"], "entity_id": r["entity_id"], "action": r["action"],
             "base_version": r["base_version"], "data": _opened(r["entity"], json.loads(r["data"]))}
            for r in rows
        ]
    finally:
        conn.close()


def _opened(entity: str, data: dict[str, Any]) -> dict[str, Any]:
    """The data as the server must receive it (sealed fields opened, in memory only)."""
    kind = KINDS.get(entity)
    sealer = kind.local.sealer if kind is not None and kind.local is not None else None
    return sealer.open(data) if sealer is not None else data


def mark_attempt(db: ReplicaFile, ids: Sequence[str]) -> None:
    with db.writing() as conn:
        conn.executemany("UPDATE outbox SET attempts = attempts + 1 WHERE id = ?", [(i,) for i in ids])


def record_results(db: ReplicaFile, results: Sequence[dict[str, Any]]) -> OutboxResult:
    """Store the server's answers to replayed mutations and rebuild the rows they touched."""
    out = OutboxResult()
    touched: dict[tuple[str, tuple[Any, ...]], Kind] = {}
    with db.writing() as conn:
        for res in results:
            m = conn.execute("SELECT * FROM outbox WHERE id = ?", (res.get("id"),)).fetchone()
            if m is None or m["state"] != "pending":
                continue
            kind = KINDS.get(m["entity"])
            status = res.get("status")
            answer = json.dumps(res, ensure_ascii=False)
            if status == "applied":
                out.applied += 1
                conn.execute("UPDATE outbox SET state = 'applied', result = ?, decided_at = ? WHERE id = ?",
                             (answer, time.time(), m["id"]))
            elif status == "conflict":
                out.conflicts += 1
                conn.execute(
                    "UPDATE outbox SET state = 'conflict', result = ?, current = ?, decided_at = ? WHERE id = ?",
                    (answer, json.dumps(res.get("current"), ensure_ascii=False), time.time(), m["id"]),
                )
            else:
                out.rejected += 1
                conn.execute("UPDATE outbox SET state = 'rejected', result = ?, decided_at = ? WHERE id = ?",
                             (answer, time.time(), m["id"]))
            if kind is None or kind.local is None:
                continue
            key = kind.key_of(m["entity_id"])
            touched[(kind.entity, key)] = kind
            _advance_snapshot(conn, kind, key, m, res)
            if status == "applied" and kind.local.sealer is not None:
                # The server has the secrets now: the replica forgets them (sealed or not).
                conn.execute("UPDATE outbox SET data = ? WHERE id = ?",
                             (json.dumps(kind.local.sealer.scrub(json.loads(m["data"])), ensure_ascii=False),
                              m["id"]))
        for (entity, key), kind in touched.items():
            rebuild(conn, kind, key)
            refresh_attention(conn, kind, key)
            out.changed.setdefault(entity, []).append(key)
    out.alert_ids = sorted(int(k[0]) for k in out.changed.get("alert", []))
    return out


def _advance_snapshot(conn: sqlite3.Connection, kind: Kind, key: tuple[Any, ...], m: sqlite3.Row,
                      res: dict[str, Any]) -> None:
    """Move the row's server state on with what the answer says the server now has."""
    actions = _actions(kind)
    row = conn.execute(f"SELECT server FROM {kind.table} WHERE {kind.where_key}", key).fetchone()  # noqa: S608
    snapshot = json.loads(row["server"]) if row is not None and row["server"] else None
    if snapshot is None:
        return
    known = int(snapshot.get("version") or 0)
    status = res.get("status")
    if status == "applied":
        version = res.get("version")
        if isinstance(version, int) and version > known:
            # The server accepted it: advance the snapshot so the row does not flick back to
            # the old state before the change feed brings the new one.
            snapshot = _apply(conn, actions, snapshot, m["action"], json.loads(m["data"]))
            snapshot["version"] = version
        else:
            return
    elif status == "conflict" and isinstance(res.get("current"), dict):
        current = kind.state_of(kind.row(m["entity_id"], res["current"]))
        if int(current.get("version") or 0) < known:
            return
        snapshot = current
    else:
        return
    conn.execute(f"UPDATE {kind.table} SET server = ? WHERE {kind.where_key}",  # noqa: S608
                 (json.dumps(snapshot, ensure_ascii=False), *key))


def resolve(db: ReplicaFile, mutation_id: str, *, retry: bool) -> Any:
    """The operator's decision on a conflict or rejection: drop mine, or apply mine again.

    Retrying queues the same action anew against the server's current version (with my other
    queued actions on top, as any new action is). It is checked first: an action that cannot
    follow that version (acknowledging an alert someone escalated meanwhile) raises
    ``local.ActionRefused`` and nothing changes, so the operator's action is never dropped
    unseen. The decision and the new queued action are one transaction: a crash or a failed
    write leaves the conflict exactly as it was. Returns the entity's id (an alert's number;
    None when there is nothing to decide, e.g. the same decision arriving twice).
    """
    with db.writing() as conn:
        m = conn.execute("SELECT * FROM outbox WHERE id = ?", (mutation_id,)).fetchone()
        if m is None or m["state"] not in ATTENTION_STATES:
            return None
        kind = KINDS[m["entity"]]
        key = kind.key_of(m["entity_id"])
        # Decided first, so the rebuild of the queued action no longer counts it as a conflict.
        conn.execute("UPDATE outbox SET state = ?, decided_at = ? WHERE id = ?",
                     ("superseded" if retry else "discarded", time.time(), mutation_id))
        if not retry and kind.local is not None and kind.local.sealer is not None:
            # Dropped: its sealed secrets are of no more use to anyone.
            conn.execute("UPDATE outbox SET data = ? WHERE id = ?",
                         (json.dumps(kind.local.sealer.scrub(json.loads(m["data"])), ensure_ascii=False), mutation_id))
        if retry:
            why = queue_one(conn, kind, key, m["action"], json.loads(m["data"]))
            if why is not None:
                # Rolls the whole decision back: the conflict stays as it was.
                raise why
        else:
            # Dropped: the row shows the server's state again (and a create the server refused,
            # with nothing else waiting on it, leaves the replica: there is no such entity).
            rebuild(conn, kind, key)
        refresh_attention(conn, kind, key)
    return key[0] if len(key) == 1 else key


def counts(conn: sqlite3.Connection) -> dict[str, int]:
    """Actions by state."""
    return {str(r[0]): int(r[1]) for r in conn.execute("SELECT state, COUNT(*) FROM outbox GROUP BY state")}
