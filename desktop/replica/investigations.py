"""Investigations in the replica: the cases the change feed brings, with my actions on top.

The server sends an investigation whole (``GET /investigations/{id}``'s body); the row keeps
that body as JSON (``body``) and, beside it, the columns the list filters and sorts on. An
action taken here (transition, attach, note, opinion …) is checked and applied by the shared
action table (``shared.actions.investigation``, through ``desktop.replica.local``) as the
person who takes it — the replica's signed-in user (``outbox.local_actor``) — and replayed by
the outbox. The query functions at the end are what the investigations pane reads: the list
(by stage, free text, "mine") and one case file (its stage track, the next gate's checklist,
evidence with its supersede chain and whether the file is kept here, opinions, notes,
annotations, linked alerts, and my actions still waiting or in conflict).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from desktop.replica import local
from desktop.replica.kind import MUTABLE_COLUMNS, Kind, LocalActions
from shared.actions import Actor
from shared.actions.investigation import GATE_EVIDENCE, STAGES, TARGETS, gate_missing, next_targets

ENTITY = "investigation"
#: the columns an action sees and changes (``body`` is the whole investigation as JSON)
STATE = ("id", "version", "title", "subject_name", "subject_unit", "stage", "status", "phase", "created_at",
         "updated_at", "created_by", "investigators", "people", "evidence_count", "body")
#: columns computed from the state and written with it (``Kind.derived``)
DERIVED = ("search", "people_json")
COLUMNS = (*STATE, *DERIVED)

#: The list's orders: the key a header asks for → what the replica sorts on. Only these
#: expressions ever reach a query (``investigation_list`` refuses any other key). A stage sorts
#: in the order cases go through them, then the two endings (``TARGETS``), not by its name.
ORDERS = {
    "updated_at": "updated_at",
    "title": "title",
    "subject_name": "subject_name",
    "subject_unit": "subject_unit",
    "stage": f"CASE phase {' '.join(f'WHEN {p!r} THEN {i}' for i, p in enumerate(TARGETS))} ELSE {len(TARGETS)} END",
    "investigators": "investigators",
    "evidence_count": "evidence_count",
}
#: the list's order until a header is clicked: newest change first
DEFAULT_ORDER = ("updated_at", True)


def order_keys(order: str) -> tuple[str, ...]:
    """What a list in ``order`` sorts on: the key's expression, then the last change and the id, so
    equal values keep one order from page to page (refuses a key that is not in ``ORDERS``)."""
    if order not in ORDERS:
        raise ValueError(f"the investigations list cannot be sorted by {order!r}")
    return (ORDERS[order], "updated_at", "id") if order != "updated_at" else ("updated_at", "id")


def _order_indexes() -> str:
    # One index per order: the first page in either direction is a bounded walk of it, whatever
    # the number of cases (the expression index serves the stage's CASE as written above).
    return "\n".join(f"CREATE INDEX IF NOT EXISTS investigations_by_{key} ON investigations"
                     f" ({', '.join(order_keys(key))});" for key in ORDERS if key != "updated_at")


DDL = """
CREATE TABLE IF NOT EXISTS investigations (
    id TEXT PRIMARY KEY,
    version INTEGER NOT NULL DEFAULT 1,
    title TEXT NOT NULL DEFAULT '',
    subject_name TEXT,
    subject_unit TEXT,
    stage TEXT NOT NULL,
    status TEXT NOT NULL,
    -- the stage of an open case, else how it ended (concluded, closed): what the list filters on
    phase TEXT NOT NULL,
    created_at TEXT,
    updated_at TEXT,
    created_by TEXT,
    investigators TEXT,
    -- investigators and reviewers as \\x1fname\\x1f… ("mine" is one LIKE)
    people TEXT,
    evidence_count INTEGER NOT NULL DEFAULT 0,
    body TEXT NOT NULL,
    {mutable},
    gen INTEGER NOT NULL DEFAULT 0,
    search TEXT,
    -- investigators and reviewers as a JSON list: the triggers below keep investigation_people
    people_json TEXT NOT NULL DEFAULT '[]'
);
-- The list pages newest change first, all of it or one stage: a bounded index walk each.
CREATE INDEX IF NOT EXISTS investigations_updated ON investigations (updated_at, id);
CREATE INDEX IF NOT EXISTS investigations_phase ON investigations (phase, updated_at, id);
{order_indexes}
-- "Mine": who is on which case, kept by triggers (one look-up instead of a scan of every case).
CREATE TABLE IF NOT EXISTS investigation_people (
    username TEXT NOT NULL,
    id TEXT NOT NULL,
    PRIMARY KEY (username, id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS investigation_people_id ON investigation_people (id);
-- Free text: a trigram index over the search column, for words of three characters or more.
CREATE VIRTUAL TABLE IF NOT EXISTS investigations_fts USING fts5(
    search, content='investigations', content_rowid='rowid', tokenize='trigram', detail='none');
CREATE TRIGGER IF NOT EXISTS investigations_insert AFTER INSERT ON investigations BEGIN
    INSERT INTO investigations_fts (rowid, search) VALUES (new.rowid, new.search);
    INSERT OR IGNORE INTO investigation_people (username, id) SELECT value, new.id FROM json_each(new.people_json);
END;
CREATE TRIGGER IF NOT EXISTS investigations_delete AFTER DELETE ON investigations BEGIN
    INSERT INTO investigations_fts (investigations_fts, rowid, search) VALUES ('delete', old.rowid, old.search);
    DELETE FROM investigation_people WHERE id = old.id;
END;
CREATE TRIGGER IF NOT EXISTS investigations_search AFTER UPDATE OF search ON investigations BEGIN
    INSERT INTO investigations_fts (investigations_fts, rowid, search) VALUES ('delete', old.rowid, old.search);
    INSERT INTO investigations_fts (rowid, search) VALUES (new.rowid, new.search);
END;
CREATE TRIGGER IF NOT EXISTS investigations_people AFTER UPDATE OF people_json ON investigations BEGIN
    DELETE FROM investigation_people WHERE id = old.id;
    INSERT OR IGNORE INTO investigation_people (username, id) SELECT value, new.id FROM json_each(new.people_json);
END;
CREATE TABLE IF NOT EXISTS evidence_files (
    sha256 TEXT PRIMARY KEY,
    size INTEGER NOT NULL,
    filename TEXT,
    -- 1 once the server is known to hold the bytes (uploaded, or fetched from it)
    uploaded INTEGER NOT NULL DEFAULT 0,
    kept_at REAL NOT NULL
);
""".replace("{mutable}", ", ".join(MUTABLE_COLUMNS)).replace("{order_indexes}", _order_indexes())


def _text(value: object, limit: int = 500) -> str:
    return str(value)[:limit] if value is not None else ""


def columns_of(inv: Mapping[str, Any]) -> dict[str, Any]:
    """The row's state columns from a whole investigation (a feed item or a locally changed one)."""
    raw_subject = inv.get("subject")
    subject: dict[str, Any] = raw_subject if isinstance(raw_subject, dict) else {}
    investigators = [str(n) for n in inv.get("investigators") or () if isinstance(n, str)]
    reviewers = [str(n) for n in inv.get("reviewers") or () if isinstance(n, str)]
    status = _text(inv.get("status") or "open", 20)
    stage = _text(inv.get("stage") or STAGES[0], 40)
    raw_evidence = inv.get("evidence")
    evidence: list[Any] = raw_evidence if isinstance(raw_evidence, list) else []
    return {
        "id": _text(inv.get("id"), 64),
        "version": int(inv.get("version") or 1),
        "title": _text(inv.get("title"), 200),
        "subject_name": _text(subject.get("name"), 100) or None,
        "subject_unit": _text(subject.get("unit"), 200) or None,
        "stage": stage,
        "status": status,
        "phase": stage if status == "open" else status,
        "created_at": _text(inv.get("created_at"), 40) or None,
        "updated_at": _text(inv.get("updated_at") or inv.get("created_at"), 40) or None,
        "created_by": _text(inv.get("created_by"), 100) or None,
        "investigators": ", ".join(investigators),
        "people": "\x1f" + "\x1f".join(dict.fromkeys([*investigators, *reviewers])) + "\x1f",
        "evidence_count": len(evidence),
        "body": json.dumps(dict(inv), ensure_ascii=False),
    }


def search_text(state: Mapping[str, Any]) -> str:
    return "\x1f".join(str(state.get(f) or "") for f in ("title", "subject_name", "subject_unit", "investigators",
                                                          "created_by", "id"))


def derived(state: Mapping[str, Any]) -> dict[str, Any]:
    """The columns computed from the state: the search text, and who is on the case (JSON)."""
    people = [p for p in str(state.get("people") or "").split("\x1f") if p]
    return {"search": search_text(state), "people_json": json.dumps(people, ensure_ascii=False)}


def investigation_row(_feed_id: str, data: dict[str, Any]) -> dict[str, Any]:
    row = columns_of(data)
    row.update(derived(row))
    return row


def body(state: Mapping[str, Any]) -> dict[str, Any]:
    """The whole investigation a row or a state holds."""
    try:
        out = json.loads(state["body"]) if state.get("body") else {}
    except (TypeError, ValueError):
        out = {}
    return out if isinstance(out, dict) else {}


def check(state: dict[str, Any], action: str, data: dict[str, Any], actor: Actor | None = None) -> None:
    """Raise ``ActionRefused`` when the server would refuse this action (the shared rules)."""
    local.check_entity(ENTITY, body(state), action, data, actor)


def apply(state: dict[str, Any], action: str, data: dict[str, Any], actor: Actor | None = None) -> dict[str, Any]:
    """The row's state after the action (unchanged when it does not apply). The version stays the
    server's: only the server's answer moves it."""
    inv = body(state)
    try:
        after = local.apply_entity(ENTITY, inv, action, data, actor)
    except local.ActionRefused:
        return dict(state)
    after["version"] = inv.get("version", state.get("version"))
    return columns_of(after)


KIND = Kind(
    entity=ENTITY,
    table="investigations",
    keys=("id",),
    columns=COLUMNS,
    row=investigation_row,
    ddl=DDL,
    local=LocalActions(check=check, apply=apply, versionless=frozenset(
        {"attach", "note", "annotate", "request_review", "opinion"}), with_actor=True),
    state=STATE,
    derived=derived,
)


# ---------------------------------------------------------------------------------- queries


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


LIST_COLUMNS = ("id", "title", "subject_name", "subject_unit", "stage", "status", "phase", "updated_at",
                "created_at", "investigators", "evidence_count", "version", "pending", "conflict")


def _list_where(phase: str | None, text: str, mine: str | None) -> tuple[str, list[Any]]:
    where: list[str] = []
    args: list[Any] = []
    if phase:
        where.append("phase = ?")
        args.append(phase)
    for word in text.split()[:8]:
        like = f"%{_escape_like(word)}%"
        if len(word) >= 3:
            # Every trigram through the index, then the exact substring on the candidates only
            # (a detail=none index cannot check that the trigrams are adjacent).
            trigrams = sorted({word[i:i + 3] for i in range(len(word) - 2)})
            where.append("rowid IN (SELECT rowid FROM investigations_fts WHERE investigations_fts MATCH ?)"
                         " AND search LIKE ? ESCAPE '\\'")
            args += [" AND ".join('"' + t.replace('"', '""') + '"' for t in trigrams), like]
        else:
            where.append("search LIKE ? ESCAPE '\\'")
            args.append(like)
    if mine:
        where.append("id IN (SELECT id FROM investigation_people WHERE username = ?)")
        args.append(mine)
    return (" WHERE " + " AND ".join(where) if where else ""), args


def investigation_list(conn: sqlite3.Connection, *, phase: str | None = None, text: str = "",
                       mine: str | None = None, order: str = DEFAULT_ORDER[0], descending: bool = DEFAULT_ORDER[1],
                       limit: int | None = None, offset: int = 0) -> list[dict[str, Any]]:
    """The cases for the list: ``phase`` a stage (open cases at it) or ``concluded``/``closed``;
    ``text`` in title, subject, unit, investigators or id; ``mine`` a user name (cases they are
    assigned to or asked to review). Sorted by ``order`` (a key of ``ORDERS``; any other raises
    ``ValueError``), then the last change and the id, all ``descending`` or all ascending —
    newest change first by default. ``limit``/``offset`` page it: the order walks an index, so a
    page costs what its rows cost, not the table's."""
    keys = order_keys(order)
    if phase and order == "stage":
        # One stage: every row has the same rank, and the last change orders them as the stage's own index does.
        keys = keys[1:]
    where, args = _list_where(phase, text, mine)
    direction = " DESC" if descending else ""
    sql = (f"SELECT {', '.join(LIST_COLUMNS)} FROM investigations{where}"  # noqa: S608 - constant names
           f" ORDER BY {', '.join(k + direction for k in keys)}")
    if limit is not None:
        sql += f" LIMIT {int(limit)} OFFSET {max(0, int(offset))}"
    return [dict(zip(LIST_COLUMNS, r, strict=True)) for r in conn.execute(sql, args)]


def investigation_count(conn: sqlite3.Connection, *, phase: str | None = None, text: str = "",
                        mine: str | None = None) -> int:
    """How many cases the list's filter matches (the list itself is read a page at a time)."""
    where, args = _list_where(phase, text, mine)
    return int(conn.execute(f"SELECT COUNT(*) FROM investigations{where}", args).fetchone()[0])  # noqa: S608


def phase_counts(conn: sqlite3.Connection) -> dict[str, int]:
    """How many cases are at each stage (open) or ended each way."""
    return {str(r[0]): int(r[1]) for r in conn.execute("SELECT phase, COUNT(*) FROM investigations GROUP BY phase")}


def people_named(conn: sqlite3.Connection, limit: int = 2000) -> list[str]:
    """Everyone the cases held here name as an investigator or a reviewer, by user name (whom a
    joint review may ask when the server's list of users cannot be read)."""
    return [str(r[0]) for r in conn.execute(
        "SELECT DISTINCT username FROM investigation_people ORDER BY username LIMIT ?", (int(limit),))]


#: a stage on the track: done, the current one, the next one, later
DONE, CURRENT, NEXT, LATER = "done", "current", "next", "later"


def gate_items(inv: Mapping[str, Any], to: str) -> list[tuple[str, bool]]:
    """The checklist of the gate into ``to``: each item the shared gate names, and whether it holds.

    The items are those of ``shared.actions.investigation.gate_missing`` on a case that has
    nothing yet (the gate table's order), so this list and the server's ``error.missing`` agree.
    """
    missing = set(gate_missing(dict(inv), to))
    needed: list[str] = []
    if to in GATE_EVIDENCE:
        needed.append(GATE_EVIDENCE[to])
    if to == "filing":
        needed.append("filing_approval")
    if to == "execution" and inv.get("joint_review"):
        needed += [f"opinion:{r}" for r in inv.get("reviewers") or ()]
    return [(item, item not in missing) for item in needed]


@dataclass
class CaseFile:
    """One investigation as the case file shows it."""

    inv: dict[str, Any]
    #: (stage, DONE / CURRENT / NEXT / LATER)
    track: list[tuple[str, str]]
    #: the stages or endings a transition may lead to now
    targets: tuple[str, ...]
    #: the next stage's gate: (item, holds)
    gate: list[tuple[str, bool]]
    next_stage: str | None
    #: evidence, each with ``superseded_by`` (the sha256 of its correction) and ``kept`` (a file here)
    evidence: list[dict[str, Any]]
    opinions: list[dict[str, Any]]
    #: reviewers whose decision (agree / disagree) is still awaited
    awaited: list[str]
    notes: list[dict[str, Any]]
    timeline: list[dict[str, Any]]
    #: alerts the case links to, as the replica holds them
    alerts: list[dict[str, Any]]
    #: my actions on this case waiting to be sent, or for my decision
    outbox: list[dict[str, Any]] = field(default_factory=list)
    pending: int = 0
    conflict: bool = False


def case_file(conn: sqlite3.Connection, investigation_id: str) -> CaseFile | None:
    """Everything the case file shows of one investigation (None when the replica lacks it)."""
    row = conn.execute("SELECT body, pending, conflict FROM investigations WHERE id = ?",
                       (investigation_id,)).fetchone()
    if row is None:
        return None
    inv = body({"body": row[0]})
    status = str(inv.get("status") or "open")
    stage = str(inv.get("stage") or STAGES[0])
    at = STAGES.index(stage) if stage in STAGES else 0
    targets = next_targets(inv)
    track: list[tuple[str, str]] = []
    for i, s in enumerate(STAGES):
        if i < at or (i == at and status == "closed"):
            track.append((s, DONE))
        elif i == at:
            track.append((s, CURRENT))
        elif s in targets:
            track.append((s, NEXT))
        else:
            track.append((s, LATER))
    next_stage = next((t for t in targets if t in STAGES), None)
    gate = gate_items(inv, next_stage) if next_stage else []
    evidence = [dict(e) for e in inv.get("evidence") or () if isinstance(e, dict)]
    by_sha = {str(e.get("sha256")): e for e in evidence}
    for e in evidence:
        e.setdefault("superseded_by", None)
    for e in evidence:
        old = by_sha.get(str(e.get("supersedes"))) if e.get("supersedes") else None
        if old is not None:
            old["superseded_by"] = e.get("sha256")
    shas = list(by_sha)
    kept: dict[str, Any] = {}
    if shas:
        for r in conn.execute(f"SELECT sha256, uploaded FROM evidence_files WHERE sha256 IN "  # noqa: S608
                              f"({', '.join('?' * len(shas))})", shas):
            kept[r[0]] = bool(r[1])
    for e in evidence:
        e["kept"] = str(e.get("sha256")) in kept
        e["uploaded"] = kept.get(str(e.get("sha256")), True)
    opinions = [dict(o) for o in inv.get("opinions") or () if isinstance(o, dict)]
    latest: dict[str, str] = {}
    for o in opinions:
        latest[str(o.get("reviewer"))] = str(o.get("opinion"))
    awaited = [str(r) for r in inv.get("reviewers") or () if latest.get(str(r)) not in ("agree", "disagree")]
    timeline = [dict(t) for t in inv.get("timeline") or () if isinstance(t, dict)]
    notes = [t for t in timeline if t.get("action") in ("note", "annotate", "approve_filing")]
    alert_ids = [int(link["id"]) for link in inv.get("links") or ()
                 if isinstance(link, dict) and link.get("type") == "alert" and isinstance(link.get("id"), int)]
    alerts: list[dict[str, Any]] = []
    if alert_ids:
        cols = ("id", "rule", "severity", "status", "office", "case_no", "message", "rule_zh", "rule_en")
        alerts = [dict(zip(cols, r, strict=True)) for r in conn.execute(
            f"SELECT {', '.join(cols)} FROM alerts WHERE id IN ({', '.join('?' * len(alert_ids))})",  # noqa: S608
            alert_ids)]
        found = {a["id"] for a in alerts}
        alerts += [{"id": i, "rule": None} for i in alert_ids if i not in found]
    outbox = [{
        "id": r["id"], "action": r["action"], "state": r["state"], "data": json.loads(r["data"]),
        "base_version": r["base_version"], "result": json.loads(r["result"]) if r["result"] else None,
        "current": json.loads(r["current"]) if r["current"] else None, "created_at": r["created_at"],
    } for r in conn.execute("SELECT * FROM outbox WHERE entity = ? AND entity_id = ? AND state IN "
                            "('pending', 'conflict', 'rejected') ORDER BY seq", (ENTITY, investigation_id))]
    return CaseFile(inv=inv, track=track, targets=targets, gate=gate, next_stage=next_stage, evidence=evidence,
                    opinions=opinions, awaited=awaited, notes=notes, timeline=timeline, alerts=alerts,
                    outbox=outbox, pending=int(row[1] or 0), conflict=bool(row[2]))


def evidence_to_fetch(conn: sqlite3.Connection, limit: int = 200) -> list[str]:
    """Evidence of the cases held here whose file is not kept yet (for working offline)."""
    kept = {r[0] for r in conn.execute("SELECT sha256 FROM evidence_files")}
    out: list[str] = []
    for (text,) in conn.execute("SELECT body FROM investigations WHERE evidence_count > 0"):
        for e in body({"body": text}).get("evidence") or ():
            sha = str(e.get("sha256")) if isinstance(e, dict) else ""
            if len(sha) == 64 and sha not in kept and sha not in out:
                out.append(sha)
                if len(out) >= limit:
                    return out
    return out


def held_evidence(conn: sqlite3.Connection) -> set[str]:
    """Every file the cases held here name, and every file a queued ``attach`` names."""
    out: set[str] = set()
    for (text,) in conn.execute("SELECT body FROM investigations WHERE evidence_count > 0"):
        for e in body({"body": text}).get("evidence") or ():
            if isinstance(e, dict) and e.get("sha256"):
                out.add(str(e["sha256"]))
    for (data,) in conn.execute("SELECT data FROM outbox WHERE entity = ? AND action = 'attach' AND state IN "
                                "('pending', 'conflict', 'rejected')", (ENTITY,)):
        sha = (json.loads(data) or {}).get("sha256")
        if sha:
            out.add(str(sha))
    return out


def bulk_insert(conn: sqlite3.Connection, items: list[dict[str, Any]]) -> int:
    """Insert server investigations without change-feed bookkeeping (benchmarks, demos), in ``conn``'s transaction."""
    sql = (f"INSERT OR REPLACE INTO investigations ({', '.join(COLUMNS)})"  # noqa: S608 - constants
           f" VALUES ({', '.join(':' + c for c in COLUMNS)})")
    conn.executemany(sql, [investigation_row("", i) for i in items])
    return len(items)
