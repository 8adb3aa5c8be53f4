"""Petitions at the desk (信访) in the replica: the change feed's petitions, the desk's actions on
them offline, and the desk's list with each petition's statutory clocks.

A row keeps the petition's JSON as the server sent it (``data``: the change feed never carries
the petitioner, only ``"[protected]"``) and, as columns, what the desk's list filters and sorts
on. An action is checked and applied locally by ``shared.actions.petition`` through
``desktop.replica.local`` (the server's own table); a registration made here is a create: its
row exists before the server has it (version 0) and its petitioner and query password are
sealed in the outbox (``desktop.replica.sealed``), never written in clear.

The clocks are those of the server's rules (``shared.rules.petition.evaluate_petition``,
spec 02 §6): acceptance 15 days from receipt, handling 60 days plus extensions from
acceptance. The console sees every event it holds (as the centre does its own); an office's
own events wait for its watermark on the server, so there the clocks may be a batch behind.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from desktop.replica import local
from desktop.replica.kind import MUTABLE_COLUMNS, Kind, LocalActions
from desktop.replica.sealed import Sealer
from shared.actions.petition import RegisterData
from shared.rules.petition import PETITION_STATES, PetitionEventFact, PetitionFacts, evaluate_petition
from shared.timeutil import Instant, parse_instant_or_none

#: what an action sees and changes: the petition's JSON, and its version
STATE = ("id", "version", "data")
#: columns for the list, computed from the JSON
LIST_COLUMNS = ("office", "channel", "received_at", "anonymous", "subject_name", "subject_unit", "category",
                "receipt_code", "status", "merged_into", "search")
COLUMNS = (*STATE, *LIST_COLUMNS)

DDL = """
CREATE TABLE IF NOT EXISTS petitions (
    id TEXT PRIMARY KEY,
    version INTEGER NOT NULL DEFAULT 0,
    data TEXT,
    office TEXT,
    channel TEXT,
    received_at INTEGER,
    anonymous INTEGER,
    subject_name TEXT,
    subject_unit TEXT,
    category TEXT,
    receipt_code TEXT,
    status TEXT,
    merged_into TEXT,
    search TEXT,
    {mutable},
    gen INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS petitions_status ON petitions (status, received_at);
CREATE INDEX IF NOT EXISTS petitions_receipt ON petitions (receipt_code);
""".replace("{mutable}", ", ".join(MUTABLE_COLUMNS))

#: the columns a replica from before the desk lacks (its petitions were ``id, office, data``)
ADDED_COLUMNS = ("version INTEGER NOT NULL DEFAULT 0", "channel TEXT", "received_at INTEGER", "anonymous INTEGER",
                 "subject_name TEXT", "subject_unit TEXT", "category TEXT", "receipt_code TEXT", "status TEXT",
                 "merged_into TEXT", "search TEXT", *MUTABLE_COLUMNS)


def migrate_old_table(conn: sqlite3.Connection) -> None:
    """Give a replica's petitions from before the desk their columns, from the feed JSON they kept."""
    for col in ADDED_COLUMNS:
        conn.execute(f"ALTER TABLE petitions ADD COLUMN {col}")
    old = conn.execute("SELECT id, data FROM petitions WHERE data IS NOT NULL")
    rows = [(r["id"], json.loads(r["data"])) for r in old]
    for pid, data in rows:
        values = petition_row(str(pid), data)
        sets = ", ".join(f"{c} = :{c}" for c in values if c != "id")
        conn.execute(f"UPDATE petitions SET {sets} WHERE id = :id", values)  # noqa: S608 - constant names


#: the registration's fields the replica file never holds in clear
SEALER = Sealer(RegisterData.protected_fields | RegisterData.secret_fields)


def list_columns(petition: Mapping[str, Any]) -> dict[str, Any]:
    """The list's columns of a petition's JSON (None for a registration not made yet)."""
    if not petition:
        return dict.fromkeys(LIST_COLUMNS)
    found = petition.get("subject")
    subject: dict[str, Any] = found if isinstance(found, dict) else {}
    name, unit = str(subject.get("name") or ""), str(subject.get("unit") or "")
    return {
        "office": petition.get("office"), "channel": petition.get("channel"),
        "received_at": parse_instant_or_none(petition.get("received_at")),
        "anonymous": 1 if petition.get("anonymous") else 0,
        "subject_name": name, "subject_unit": unit, "category": petition.get("category"),
        "receipt_code": petition.get("receipt_code"), "status": petition.get("status"),
        "merged_into": petition.get("merged_into"),
        # The petitioner is never here: the feed does not carry it, and the desk searches the complaint.
        "search": "\x1f".join(str(x) for x in (petition.get("receipt_code"), name, unit, subject.get("title"),
                                                 petition.get("content"), petition.get("id")) if x),
    }


def petition_row(feed_id: str, data: dict[str, Any]) -> dict[str, Any]:
    """The replica row of a change-feed petition."""
    body = {**data, "id": data.get("id") or feed_id}
    return {"id": body["id"], "version": int(body.get("version") or 1),
            "data": json.dumps(body, ensure_ascii=False), **list_columns(body)}


def _petition(state: Mapping[str, Any]) -> dict[str, Any]:
    """The petition as the shared actions read it, from the row's state columns."""
    body = json.loads(state["data"]) if state.get("data") else {}
    if not body:
        return {"id": state["id"], "version": 0}
    return {**body, "id": state["id"], "version": int(state.get("version") or body.get("version") or 1)}


def _columns(petition: Mapping[str, Any]) -> dict[str, Any]:
    if not petition.get("version"):
        return {"id": petition["id"], "version": 0, "data": None}
    return {"id": petition["id"], "version": int(petition["version"]),
            "data": json.dumps(dict(petition), ensure_ascii=False)}


def _is_new(petition: Mapping[str, Any]) -> bool:
    return not petition.get("version")


def check(state: dict[str, Any], action: str, data: dict[str, Any]) -> None:
    """Raise ``ActionRefused`` when the server would refuse ``action`` on this petition."""
    p = _petition(state)
    if _is_new(p) and action != "register":
        raise local.ActionRefused("the petition is not registered yet")
    local.check_entity("petition", {"id": p["id"]} if _is_new(p) else p, action, SEALER.open(data), world=_world(p))


def apply(state: dict[str, Any], action: str, data: dict[str, Any]) -> dict[str, Any]:
    """The petition's state columns after ``action`` (unchanged when it does not apply)."""
    p = _petition(state)
    try:
        if _is_new(p):
            if action != "register":
                return dict(state)
            after = local.apply_entity("petition", {"id": p["id"]}, action, SEALER.open(data), world=_world(p))
        else:
            after = local.apply_entity("petition", p, action, SEALER.open(data), world=_world(p))
    except local.ActionRefused:
        return dict(state)
    return _columns(after)


def _world(p: Mapping[str, Any]) -> local.ReplicaWorld:
    """What the replica knows for a petition's checks: the petition itself."""
    world = _DeskWorld(str(p["id"]))
    if not _is_new(p):
        world.entities[("petition", str(p["id"]))] = dict(p)
    return world


class _DeskWorld(local.ReplicaWorld):
    """A merge names another petition the replica may not hold as the server does: optimistic."""

    def __init__(self, own: str) -> None:
        super().__init__()
        self.own = own

    def get(self, entity: str, entity_id: str) -> dict[str, Any] | None:
        found = super().get(entity, entity_id)
        if found is None and entity == "petition" and entity_id != self.own:
            # The server decides on replay (a stand-in that is not merged itself).
            return {"id": entity_id, "version": 1, "events": [], "status": "registered"}
        return found


KIND = Kind(
    entity="petition",
    table="petitions",
    keys=("id",),
    columns=COLUMNS,
    row=petition_row,
    ddl=DDL,
    local=LocalActions(check=check, apply=apply, sealer=SEALER),
    state=STATE,
    derived=lambda state: list_columns(_petition(state) if state.get("data") else {}),
)


# ---------------------------------------------------------------------------------- queries


@dataclass(frozen=True)
class Clocks:
    """A petition's statutory deadlines as the rules compute them, and where it stands."""

    accept_due: Instant
    handle_due: Instant | None
    extension_days: int
    #: the deadline still waited on (acceptance before a decision, handling until the reply)
    due: Instant | None
    overdue: bool


def clocks(petition: Mapping[str, Any], now: Instant) -> Clocks:
    """The rules' clocks of a petition's JSON at ``now`` (every event the replica holds counts)."""
    events = []
    for e in petition.get("events") or ():
        at = parse_instant_or_none(e.get("at"))
        if at is not None:
            events.append(PetitionEventFact(str(e.get("id")), str(e.get("type")), at, int(e.get("days") or 0), True))
    events.sort(key=lambda e: e.at)
    received = parse_instant_or_none(petition.get("received_at")) or now
    result = evaluate_petition(PetitionFacts(str(petition.get("id")), received, events), now, now)
    due = result.open_due()
    return Clocks(result.accept_clock.due, result.handle_clock.due if result.handle_clock else None,
                  result.extension_days, due, due is not None and now >= due)


def _desk_item(row: sqlite3.Row, now: Instant) -> dict[str, Any]:
    petition = json.loads(row["data"])
    c = clocks(petition, now)
    subject = petition.get("subject") or {}
    return {
        "id": row["id"], "receipt_code": row["receipt_code"] or "", "subject_name": row["subject_name"] or "",
        "subject_unit": row["subject_unit"] or "", "subject_title": subject.get("title") or "",
        "category": row["category"] or "", "channel": row["channel"] or "", "office": row["office"] or "",
        "received_at": row["received_at"], "status": row["status"] or "registered",
        "merged_into": row["merged_into"], "accept_due": c.accept_due, "handle_due": c.handle_due,
        "extension_days": c.extension_days, "due": c.due, "overdue": c.overdue,
        "remaining": None if c.due is None else c.due - now,
        "pending": int(row["pending"]), "conflict": int(row["conflict"]),
        "content": petition.get("content") or "", "anonymous": bool(petition.get("anonymous")),
    }


def desk_order(item: Mapping[str, Any]) -> tuple[int, int, int]:
    """Overdue first, then by the deadline waited on (soonest first), then the rest by receipt."""
    due = item.get("due")
    return (0 if item.get("overdue") else 1, 0 if due is not None else 1,
            int(due if due is not None else -(item.get("received_at") or 0)))


def desk_list(conn: sqlite3.Connection, now: Instant, *, statuses: Sequence[str] = (), overdue: bool | None = None,
              text: str = "") -> list[dict[str, Any]]:
    """The desk's petitions with their clocks at ``now``, overdue first (spec 04; a county has hundreds)."""
    wanted = [s for s in statuses if s in PETITION_STATES]
    sql = "SELECT * FROM petitions WHERE data IS NOT NULL"
    args: list[Any] = []
    if wanted:
        sql += f" AND status IN ({', '.join('?' * len(wanted))})"
        args += wanted
    needle = text.strip()[:200]
    if needle:
        sql += " AND search LIKE ? ESCAPE '\\'"
        args.append("%" + needle.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%")
    items = [_desk_item(r, now) for r in conn.execute(sql, args)]
    if overdue is not None:
        items = [i for i in items if i["overdue"] == overdue]
    items.sort(key=desk_order)
    return items


def petition_detail(conn: sqlite3.Connection, petition_id: str, now: Instant) -> dict[str, Any] | None:
    """One petition's JSON as the replica holds it (identity protected), with its clocks at ``now``."""
    row = conn.execute("SELECT * FROM petitions WHERE id = ? AND data IS NOT NULL", (petition_id,)).fetchone()
    if row is None:
        return None
    petition: dict[str, Any] = json.loads(row["data"])
    petition["version"] = row["version"]
    c = clocks(petition, now)
    petition["clocks"] = c
    petition["pending"] = int(row["pending"])
    petition["conflict"] = int(row["conflict"])
    # The petitions it is linked with, by receipt code (how people name them).
    linked = [str(x) for x in (petition.get("merged_into"), *(petition.get("duplicates") or ())) if x]
    codes = {str(r["id"]): r["receipt_code"] for r in conn.execute(
        f"SELECT id, receipt_code FROM petitions WHERE id IN ({', '.join('?' * len(linked))})", linked)} \
        if linked else {}  # noqa: S608 - placeholders only
    petition["linked_codes"] = {pid: codes.get(pid) or pid[:8] + "…" for pid in linked}
    return petition


def petitions_by_id(conn: sqlite3.Connection, ids: Sequence[str]) -> dict[str, dict[str, Any]]:
    """Petitions' JSON by id (a merge suggestion's other side), those the replica holds."""
    out: dict[str, dict[str, Any]] = {}
    for start in range(0, len(ids), 500):
        chunk = list(ids[start:start + 500])
        sql = f"SELECT id, data FROM petitions WHERE data IS NOT NULL AND id IN ({', '.join('?' * len(chunk))})"  # noqa: S608
        for r in conn.execute(sql, chunk):
            out[str(r["id"])] = json.loads(r["data"])
    return out


def centre_office(conn: sqlite3.Connection) -> str | None:
    """The code of the centre's own office, under which the desk registers (None if the server has none)."""
    row = conn.execute("SELECT code FROM offices WHERE kind = 'centre' ORDER BY code LIMIT 1").fetchone()
    return str(row[0]) if row is not None else None


#: data that passes each desk action's own validation, to ask the state rules alone what may follow
_PROBE: dict[str, dict[str, Any]] = {"accept": {}, "not_accept": {"reason": "-"}, "assign": {"unit": "-"},
                                     "extend": {"days": 1}, "reply": {"text": "-"}, "close": {},
                                     "convert": {"title": "-"}}


def possible_actions(petition: Mapping[str, Any]) -> frozenset[str]:
    """The desk's actions the state rules allow on this petition now (the rest would be refused).

    Qt-free and without I/O: the same checks as ``check``, on the petition's JSON."""
    p = {k: v for k, v in petition.items() if k not in ("clocks", "pending", "conflict", "linked_codes")}
    p["version"] = p.get("version") or 1
    out = set()
    for action, data in _PROBE.items():
        try:
            local.check_entity("petition", p, action, data, world=_world(p))
        except local.ActionRefused:
            continue
        out.add(action)
    return frozenset(out)
