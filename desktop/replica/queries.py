"""Every read the console's widgets need from the replica, as Qt-free functions of a connection.

Widgets never execute SQL: they call these through the background-task helper, e.g.
``tasks.run(lambda: replica.read(queries.offices), done)`` — ``Replica.read`` lends the worker
its own read-only connection — and draw what comes back on the UI thread. Each function
returns plain data (tuples, dicts, dataclasses), never a cursor or a ``sqlite3.Row`` tied to a
connection.

The alert wall pages through alerts with keyset queries along one of the replica's indexes
(``wall_page``): the first page and every next one cost the same with a thousand alerts or a
million. Free text that is not a case number is found either by a scan along the wall's order
or through the trigram index, whichever answers first within a budget of SQLite VM steps.
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from desktop.replica import outbox
from desktop.replica.local import ACTIVE_STATUSES
from desktop.replica.names import NodeNames
from shared.calendar import WorkCalendar
from shared.protocol import RATINGS
from shared.timeutil import DAY, day_start, local_day

# ---------------------------------------------------------------------------------- the wall's filter

#: Text that looks like a case number or petition id: at least 6 characters, digits and
#: separators, starting with a letter or digit (``2026-0000123``, ``XF2026…``).
ID_LIKE = re.compile(r"^(?=.*\d.*\d.*\d)[A-Za-z0-9][A-Za-z0-9_\-/.]{5,}$")

#: How much work a free-text page may do scanning along the wall's order before the trigram
#: index is used instead, in SQLite VM steps (a page of a common word takes 15,000–400,000; a scan
#: of a million alerts for a rare phrase about 9,000,000). Counted in steps, not seconds, so a
#: busy machine does not push common words onto the index path, where they are slow.
SCAN_BUDGET = 1_000_000
#: How much the trigram index may do first: a rare phrase's look-up takes a few thousand steps,
#: a common word's a million or more.
FTS_PROBE_BUDGET = 100_000
_STEPS_PER_CHECK = 20_000
#: how often a stoppable query asks whether it is still wanted (a Python call per this many steps)
_STOP_CHECK_STEPS = 2_000


class _TooSlow(Exception):
    pass


class Superseded(Exception):
    """A query stopped because its answer was no longer wanted (the filter changed meanwhile)."""


def _stoppable(conn: sqlite3.Connection, still_wanted: Callable[[], bool] | None, sql: str,
               args: Sequence[Any]) -> list[Any]:
    """Run ``sql``, stopping early (``Superseded``) once ``still_wanted()`` says no: a stale count
    of a million alerts must not hold a worker the operator's next page is waiting for."""
    if still_wanted is None:
        return conn.execute(sql, args).fetchall()
    conn.set_progress_handler(lambda: 0 if still_wanted() else 1, _STOP_CHECK_STEPS)
    try:
        return conn.execute(sql, args).fetchall()
    except sqlite3.OperationalError as exc:
        if "interrupt" in str(exc):
            raise Superseded from exc
        raise
    finally:
        conn.set_progress_handler(None, 0)


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


@dataclass(frozen=True)
class AlertFilter:
    """What the operator chose to see; every field narrows (an empty set means "any")."""

    severities: frozenset[str] = frozenset()
    rules: frozenset[str] = frozenset()
    offices: frozenset[str] = frozenset()
    statuses: frozenset[str] = field(default_factory=lambda: frozenset(ACTIVE_STATUSES))
    text: str = ""

    def where(self, *, fts: bool = False, office_names: dict[str, str] | None = None) -> tuple[str, list[Any]]:
        """The SQL condition.

        ``fts`` finds free text through the trigram index (for rare phrases). ``office_names``
        (code → name) lets text that names an office match by office code, which keeps the
        condition one an index can serve; without it offices are matched by a subquery.
        """
        parts: list[str] = []
        args: list[Any] = []
        for column, values in (("severity", self.severities), ("rule", self.rules), ("office", self.offices),
                               ("status", self.statuses)):
            if values:
                parts.append(f"{column} IN ({','.join('?' * len(values))})")
                args.extend(sorted(values))
        text = self.text.strip()
        if text and ID_LIKE.match(text):
            # A case number or petition id (typed or pasted): an index range from its start,
            # instantly, instead of a scan of every alert.
            parts.append("((case_no >= ? AND case_no < ?) OR (petition_id >= ? AND petition_id < ?))")
            args.extend([text, text + "\U0010ffff"] * 2)
        elif text:
            like = f"%{_escape_like(text)}%"
            named = self.named_offices(office_names) if office_names is not None else None
            if named:
                # The text names offices: their alerts, and any alert that mentions it.
                parts.append(f"(office IN ({','.join('?' * len(named))}) OR search LIKE ? ESCAPE '\\')")
                args.extend([*named, like])
            elif named is not None and fts and len(text) >= 3:
                # Every trigram must be present (the index), then the exact substring (LIKE) on
                # the few candidates: detail=none indexes cannot check adjacency themselves. No
                # OR here: it would turn the index look-up back into a scan of every alert.
                trigrams = sorted({text[i : i + 3] for i in range(len(text) - 2)})
                match = " AND ".join('"' + t.replace('"', '""') + '"' for t in trigrams)
                parts.append("id IN (SELECT rowid FROM alerts_fts WHERE alerts_fts MATCH ?)"
                             " AND search LIKE ? ESCAPE '\\'")
                args.extend([match, like])
            elif named is not None:
                parts.append("search LIKE ? ESCAPE '\\'")
                args.append(like)
            else:
                parts.append("(search LIKE ? ESCAPE '\\'"
                             " OR office IN (SELECT code FROM offices WHERE name LIKE ? ESCAPE '\\'))")
                args.extend([like, like])
        return (" WHERE " + " AND ".join(parts)) if parts else "", args

    def named_offices(self, office_names: dict[str, str]) -> list[str]:
        text = self.text.strip().casefold()
        return sorted(code for code, name in office_names.items() if text and text in (name or "").casefold())

    def with_(self, **changes: Any) -> AlertFilter:
        return replace(self, **changes)

    @property
    def free_text(self) -> bool:
        """Free text that is not a case number or petition id (found by a scan or the trigram index)."""
        text = self.text.strip()
        return bool(text) and not ID_LIKE.match(text)


# ---------------------------------------------------------------------------------- offices and names

def offices(conn: sqlite3.Connection) -> list[tuple[str, str]]:
    """(code, name) of every office, by code; the code stands in for a missing name."""
    return [(str(c), str(n or c)) for c, n in conn.execute("SELECT code, name FROM offices ORDER BY code")]


def office_names(conn: sqlite3.Connection) -> dict[str, str]:
    """Office code → the name to show."""
    return dict(offices(conn))


def office_name(conn: sqlite3.Connection, code: str) -> str:
    row = conn.execute("SELECT name FROM offices WHERE code = ?", (code,)).fetchone()
    return str(row[0]) if row is not None and row[0] else code


# ---------------------------------------------------------------------------------- the alert wall

#: The columns of a wall row, then the office's name, the node's name and, for a petition's alert,
#: the petition's receipt code and subject's name (``OFFICE_NAME``, ``NODE_NAME``, ``PETITION``).
WALL_COLUMNS = ("id", "severity", "rule", "rule_zh", "rule_en", "office", "subject_type", "case_no", "petition_id",
                "node", "raised_at", "as_of", "status", "assignee", "message", "pending", "conflict",
                "condition_cleared", "version", "message_en")
WALL_SELECT = f"SELECT {', '.join(WALL_COLUMNS)} FROM alerts"  # noqa: S608 - constant column names
ID, SEV, RULE, RULE_ZH, RULE_EN, OFFICE, STYPE, CASE_NO, PET, NODE, RAISED, AS_OF, STATUS, ASSIGNEE, MSG, \
    PENDING, CONFLICT, CLEARED, VERSION, MSG_EN, OFFICE_NAME, NODE_NAME, PETITION = range(len(WALL_COLUMNS) + 3)
WallRow = tuple[Any, ...]
#: the sortable wall columns and the positions of their values in a wall row
SORT_KEYS = {"severity": SEV, "rule": RULE, "office": OFFICE, "status": STATUS, "raised_at": RAISED, "id": ID}


@dataclass(frozen=True)
class WallOrder:
    """The wall's order: by a sortable column, then raising time and id (every page walks an index)."""

    column: str = "raised_at"
    descending: bool = True

    @property
    def keys(self) -> tuple[str, ...]:
        return (self.column, "raised_at", "id") if self.column != "raised_at" else ("raised_at", "id")

    def key_of(self, row: Sequence[Any]) -> tuple[Any, ...]:
        """A row's position in this order (compares as SQL orders it, reversed when descending)."""
        return tuple(row[SORT_KEYS[k]] for k in self.keys)


@dataclass
class WallPage:
    rows: list[WallRow]
    #: how the filter's free text was found: True through the trigram index, False by a scan
    #: along the order, None for no free text (pass it back for the next pages)
    text_path: bool | None = None


def _named(conn: sqlite3.Connection, rows: list[tuple[Any, ...]], names: NodeNames | None,
           offices_by_code: dict[str, str]) -> list[WallRow]:
    """Wall rows with the office's and the node's names appended, and a petition's receipt code and
    subject (looked up here, off the UI thread)."""
    petitions = petition_labels(conn, [str(r[PET]) for r in rows if r[STYPE] == "petition" and r[PET]])
    out = []
    for r in rows:
        node = r[NODE]
        if node and r[STYPE] == "case":
            node_name = names.name(conn, r[OFFICE], r[CASE_NO], str(node)) if names is not None else str(node)
        else:
            node_name = str(node or "")
        out.append((*r, offices_by_code.get(r[OFFICE], r[OFFICE]), node_name, petitions.get(str(r[PET]))))
    return out


def petition_labels(conn: sqlite3.Connection, ids: Sequence[str]) -> dict[str, tuple[str, str]]:
    """Petition id → (receipt code, the subject's name) for the petitions the replica holds: how
    people name a petition (its id is a UUID nobody reads)."""
    out: dict[str, tuple[str, str]] = {}
    unique = list(dict.fromkeys(ids))
    for start in range(0, len(unique), 500):
        chunk = unique[start:start + 500]
        for pid, data in conn.execute(
                f"SELECT id, data FROM petitions WHERE id IN ({','.join('?' * len(chunk))})", chunk):  # noqa: S608
            p = json.loads(data) if data else {}
            subject = p.get("subject")
            name = subject.get("name") if isinstance(subject, dict) else None
            out[str(pid)] = (str(p.get("receipt_code") or ""), str(name or ""))
    return out


def _wall_query(conn: sqlite3.Connection, flt: AlertFilter, order: WallOrder, after: Sequence[Any] | None,
                limit: int, *, fts: bool, office_map: dict[str, str],
                budget: int | None = None) -> list[tuple[Any, ...]]:
    where, args = flt.where(fts=fts, office_names=office_map)
    keys = order.keys
    if after is not None:
        cmp = "<" if order.descending else ">"
        tup = f"({', '.join(keys)}) {cmp} ({', '.join('?' * len(keys))})"
        where = f"{where} AND {tup}" if where else f" WHERE {tup}"
        args = [*args, *after]
    direction = " DESC" if order.descending else ""
    sql = f"{WALL_SELECT}{where} ORDER BY {', '.join(k + direction for k in keys)} LIMIT ?"
    if budget is None:
        return [tuple(r) for r in conn.execute(sql, [*args, limit])]
    checks = [max(1, budget // _STEPS_PER_CHECK)]

    def spent() -> int:
        checks[0] -= 1
        return int(checks[0] <= 0)

    conn.set_progress_handler(spent, _STEPS_PER_CHECK)
    try:
        return [tuple(r) for r in conn.execute(sql, [*args, limit])]
    except sqlite3.OperationalError as exc:
        if "interrupt" in str(exc):
            raise _TooSlow from exc
        raise
    finally:
        conn.set_progress_handler(None, 0)


def wall_page(conn: sqlite3.Connection, flt: AlertFilter, order: WallOrder, after: Sequence[Any] | None,
              limit: int, *, text_path: bool | None = None, names: NodeNames | None = None) -> WallPage:
    """The next ``limit`` alerts past ``after`` (a row's ``order.key_of``; None: from the top)."""
    office_map = office_names(conn)

    def rows(found: list[tuple[Any, ...]], path: bool | None) -> WallPage:
        return WallPage(_named(conn, found, names, office_map), path)

    if not flt.free_text:
        return rows(_wall_query(conn, flt, order, after, limit, fts=False, office_map=office_map), None)
    if text_path is not None:
        # The path that served this filter's first page serves the rest as quickly.
        return rows(_wall_query(conn, flt, order, after, limit, fts=text_path, office_map=office_map), text_path)
    # A rare phrase is found at once through the trigram index, where a scan along the wall's
    # order would read every alert; a common word is found at once by that scan, where the
    # index would read long posting lists. So: the index on a short budget, then the scan on a
    # budget, then the index to the end.
    text = flt.text.strip()
    for fts, budget in ((True, FTS_PROBE_BUDGET), (False, SCAN_BUDGET), (True, None)):
        if fts and len(text) < 3:
            continue
        try:
            found = _wall_query(conn, flt, order, after, limit, fts=fts, office_map=office_map, budget=budget)
        except _TooSlow:
            continue
        return rows(found, fts)
    return rows(_wall_query(conn, flt, order, after, limit, fts=False, office_map=office_map), False)


def wall_rows(conn: sqlite3.Connection, flt: AlertFilter, ids: Sequence[int],
              names: NodeNames | None = None) -> dict[int, WallRow]:
    """The wall rows of these alerts that match the filter, by id."""
    office_map = office_names(conn)
    where, args = flt.where(office_names=office_map)
    found: list[tuple[Any, ...]] = []
    for start in range(0, len(ids), 500):
        chunk = list(ids[start : start + 500])
        clause = f"id IN ({','.join('?' * len(chunk))})"
        sql = f"{WALL_SELECT}{where} AND {clause}" if where else f"{WALL_SELECT} WHERE {clause}"
        found.extend(tuple(r) for r in conn.execute(sql, [*args, *chunk]))
    return {int(r[ID]): r for r in _named(conn, found, names, office_map)}


def count_alerts(conn: sqlite3.Connection, flt: AlertFilter, *, still_wanted: Callable[[], bool] | None = None) -> int:
    """How many alerts match the filter (a million take a moment: run it in the background)."""
    where, args = flt.where(fts=flt.free_text, office_names=office_names(conn))
    return int(_stoppable(conn, still_wanted, f"SELECT COUNT(*) FROM alerts{where}", args)[0][0])  # noqa: S608


@dataclass(frozen=True)
class Group:
    key: str
    #: the rule's name parts for rule groups (the widget translates), the office's name for office groups
    name: str
    rule_zh: str | None
    rule_en: str | None
    red: int
    yellow: int
    total: int


def group_counts(conn: sqlite3.Connection, by: str, flt: AlertFilter, *,
                 still_wanted: Callable[[], bool] | None = None) -> list[Group]:
    """Alerts per office or per rule (``by``), with counts per severity, worst first."""
    column = {"office": "office", "rule": "rule"}[by]
    # The group's own dimension is not filtered, or choosing one group would hide the others.
    flt = flt.with_(offices=frozenset()) if by == "office" else flt.with_(rules=frozenset())
    where, args = flt.where()
    sql = (
        f"SELECT {column}, SUM(severity = 'red'), SUM(severity = 'yellow'), COUNT(*),"  # noqa: S608 - constant column
        f" MAX(rule_zh), MAX(rule_en) FROM alerts{where} GROUP BY {column}"
    )
    names = office_names(conn) if by == "office" else {}
    out = [Group(str(key), names.get(str(key), str(key)), zh, en, int(red or 0), int(yellow or 0), int(total))
           for key, red, yellow, total, zh, en in _stoppable(conn, still_wanted, sql, args)]
    out.sort(key=lambda g: (-g.red, -g.yellow, -g.total, g.name))
    return out


@dataclass(frozen=True)
class AlertDetail:
    """One alert as the wall's detail pane shows it."""

    #: the alert's columns (as the replica shows it, my waiting actions included)
    alert: dict[str, Any]
    #: my comments on it not yet sent
    pending_comments: list[str]
    #: node code → name for its case
    nodes: dict[str, str]


def alert_detail(conn: sqlite3.Connection, alert_id: int) -> AlertDetail | None:
    row = conn.execute("SELECT * FROM alerts WHERE id = ?", (alert_id,)).fetchone()
    if row is None:
        return None
    pending = [json.loads(r[0]).get("text", "") for r in conn.execute(
        "SELECT data FROM outbox WHERE entity = 'alert' AND entity_id = ? AND action = 'comment'"
        " AND state = 'pending' ORDER BY seq", (str(alert_id),))]
    nodes = NodeNames().for_case(conn, row["office"], row["case_no"]) if row["case_no"] else {}
    return AlertDetail(dict(row), pending, nodes)


def active_red_alerts(conn: sqlite3.Connection, limit: int = 500) -> list[dict[str, Any]]:
    """The newest active red alerts (for the video wall's tiles)."""
    rows = conn.execute(
        "SELECT id, rule, rule_zh, rule_en, severity, office, case_no, message FROM alerts WHERE severity = 'red'"  # noqa: S608
        f" AND status IN ({','.join('?' * len(ACTIVE_STATUSES))}) ORDER BY raised_at DESC LIMIT ?",
        (*ACTIVE_STATUSES, limit))
    return [dict(r) for r in rows]


def camera_configs(conn: sqlite3.Connection) -> list[dict[str, Any]]:
    """Every camera as the change feed sent it, by id."""
    return [json.loads(r[0]) for r in conn.execute("SELECT data FROM cameras ORDER BY id")]


def first_camera(conn: sqlite3.Connection, office: str) -> str | None:
    """The camera watching an office's service window (its first by id), if any."""
    row = conn.execute("SELECT id FROM cameras WHERE office = ? ORDER BY id LIMIT 1", (office,)).fetchone()
    return str(row[0]) if row is not None else None


# ---------------------------------------------------------------------------------- cases

def case_detail(conn: sqlite3.Connection, office: str, case_no: str) -> tuple[dict[str, Any], float] | None:
    """A case's detail cached on this computer, and when it was fetched."""
    row = conn.execute("SELECT data, fetched_at FROM case_details WHERE office = ? AND case_no = ?",
                       (office, case_no)).fetchone()
    return None if row is None else (json.loads(row["data"]), float(row["fetched_at"]))


def work_calendar(conn: sqlite3.Connection) -> WorkCalendar:
    """The calendar for offline clocks: the server's uploads over the built-in years."""
    cal = WorkCalendar()
    for row in conn.execute("SELECT year, data FROM calendars"):
        data = json.loads(row["data"])
        cal = cal.with_year(int(row["year"]), [date.fromisoformat(d) for d in data.get("holidays", [])],
                            [date.fromisoformat(d) for d in data.get("workdays", [])])
    return cal


def case_alerts(conn: sqlite3.Connection, office: str, case_no: str) -> list[dict[str, Any]]:
    """The replica's alerts on one case, with their live state."""
    return [dict(r) for r in conn.execute("SELECT * FROM alerts WHERE office = ? AND case_no = ?", (office, case_no))]


@dataclass
class CaseView:
    """What the case review shows of a case from the replica, read at once."""

    office: str
    case_no: str
    office_name: str
    #: the camera watching the office, if any
    camera: str | None
    calendar: WorkCalendar
    #: the replica's alerts on the case (live state)
    alerts: list[dict[str, Any]]
    #: the detail cached on this computer and when it was fetched (None: never opened here)
    cached: tuple[dict[str, Any], float] | None


def case_view(conn: sqlite3.Connection, office: str, case_no: str) -> CaseView:
    return CaseView(office, case_no, office_name(conn, office), first_camera(conn, office), work_calendar(conn),
                    case_alerts(conn, office, case_no), case_detail(conn, office, case_no))


# ---------------------------------------------------------------------------------- outbox

def outbox_entries(conn: sqlite3.Connection) -> list[dict[str, Any]]:
    """Every action waiting to be sent or for the operator's decision, oldest first."""
    rows = conn.execute(
        "SELECT * FROM outbox WHERE state IN ('pending', 'conflict', 'rejected') ORDER BY seq")
    return [{
        "id": r["id"], "entity": r["entity"], "entity_id": r["entity_id"], "action": r["action"],
        "state": r["state"], "data": json.loads(r["data"]), "base_version": r["base_version"],
        "current": json.loads(r["current"]) if r["current"] else None,
        "result": json.loads(r["result"]) if r["result"] else None, "created_at": r["created_at"],
    } for r in rows]


def outbox_counts(conn: sqlite3.Connection) -> dict[str, int]:
    """Actions by state (``pending``, ``conflict``, ``rejected``, ``applied`` …)."""
    return outbox.counts(conn)


# ---------------------------------------------------------------------------------- statistics

CLOSED_STATES = ("decided_approved", "decided_refused", "not_accepted", "withdrawn")
_CLOSED_SQL = ", ".join(f"'{s}'" for s in CLOSED_STATES)
_RATINGS_SQL = ", ".join(f"'{r}'" for r in RATINGS)
#: Late: closed at or after the due time (the server's OVERDUE condition); a case without both
#: instants (from an older server) is late when it has an OVERDUE alert.
_LATE_SQL = (
    "CASE WHEN c.closed_at IS NOT NULL AND c.due IS NOT NULL THEN c.closed_at >= c.due"
    " ELSE EXISTS (SELECT 1 FROM alerts a WHERE a.office = c.office AND a.case_no = c.case_no"
    " AND a.rule = 'OVERDUE') END"
)
_CASES_SQL = (
    f"SELECT c.office, c.power_code, COUNT(*), SUM(c.state IN ({_CLOSED_SQL})),"  # noqa: S608 - constants
    f" SUM(CASE WHEN c.state IN ({_CLOSED_SQL}) THEN {_LATE_SQL} ELSE 0 END),"
    f" SUM(CASE WHEN c.state IN ({_CLOSED_SQL}) THEN c.used_hours END),"
    f" COUNT(CASE WHEN c.state IN ({_CLOSED_SQL}) THEN c.used_hours END)"
    " FROM cases c GROUP BY c.office, c.power_code"
)
# The store keeps only valid counts; the filters here keep a hand-edited replica harmless too.
_RATINGS_QUERY = (
    "SELECT c.office, c.power_code, j.key, SUM(j.value) FROM cases c,"  # noqa: S608 - constants
    " json_each(CASE WHEN json_valid(c.ratings) THEN c.ratings ELSE '{}' END) j"
    " WHERE c.ratings IS NOT NULL AND j.type = 'integer' AND j.value > 0"
    f" AND j.key IN ({_RATINGS_SQL}) GROUP BY c.office, c.power_code, j.key"
)


@dataclass
class StatisticsInputs:
    """The aggregates the statistics are computed from (``desktop.console.stats.compute``)."""

    #: the local days counted, first to last (``shared.timeutil.local_day`` numbers)
    first_day: int
    last_day: int
    #: (local day, alerts raised that day) from the first day on, every severity; then red only
    alerts_per_day: list[tuple[int, int]]
    red_per_day: list[tuple[int, int]]
    office_names: dict[str, str]
    #: (power item code, department code, the item's feed JSON) of every catalogue item
    power_items: list[tuple[str, str | None, str | None]]
    #: per (office, power code): cases, decided, decided late, used hours sum and count
    cases: list[tuple[Any, Any, int, int, int, float | None, int]]
    #: per (office, power code, rating kind): how many
    ratings: list[tuple[Any, Any, str, int]]
    #: per (office, power code, severity, status): case alerts
    alerts: list[tuple[Any, Any, str, str, int]]
    #: (office, cached detail JSON, power code) for cases whose feed row carried no closing fields
    stand_ins: list[tuple[str, str, str | None]]
    total_alerts: int
    total_red: int


def statistics_inputs(conn: sqlite3.Connection, *, days: int = 30, today: int | None = None) -> StatisticsInputs:
    """A few aggregate queries over covering indexes (a million cases: seconds; run it in the background)."""
    if today is None:
        row = conn.execute("SELECT MAX(raised_at) FROM alerts").fetchone()
        today = local_day(int(row[0])) if row and row[0] else local_day(day_start(0))
    first = today - days + 1
    offset = 8 * 3600 * 1_000_000
    per_day = "SELECT (raised_at + ?) / ? AS d, COUNT(*) FROM alerts WHERE {} raised_at >= ? GROUP BY d"
    # Two range scans of covering indexes: every alert, then the red ones.
    everything = [(int(d), int(n)) for d, n in conn.execute(per_day.format(""), (offset, DAY, day_start(first)))]
    red = [(int(d), int(n)) for d, n in conn.execute(per_day.format("severity = 'red' AND"),
                                                     (offset, DAY, day_start(first)))]
    return StatisticsInputs(
        first_day=first, last_day=today, alerts_per_day=everything, red_per_day=red,
        office_names=office_names(conn),
        power_items=[(str(c), d, data) for c, d, data in
                     conn.execute("SELECT code, department, data FROM power_items ORDER BY code")],
        cases=[tuple(r) for r in conn.execute(_CASES_SQL)],
        ratings=[tuple(r) for r in conn.execute(_RATINGS_QUERY)],
        alerts=[tuple(r) for r in conn.execute(
            "SELECT a.office, c.power_code, a.severity, a.status, COUNT(*) FROM alerts a"
            " LEFT JOIN cases c ON c.office = a.office AND c.case_no = a.case_no"
            " WHERE a.subject_type = 'case' GROUP BY a.office, c.power_code, a.severity, a.status")],
        # Case rows from servers before closed_at/used_hours/ratings: a case detail opened on this
        # computer stands in (never for a row that carried the fields, even empty or unreadable).
        stand_ins=[tuple(r) for r in conn.execute(
            "SELECT d.office, d.data, c.power_code FROM case_details d"
            " LEFT JOIN cases c ON c.office = d.office AND c.case_no = d.case_no WHERE c.has_closing IS NOT 1")],
        total_alerts=int(conn.execute("SELECT COUNT(*) FROM alerts").fetchone()[0]),
        total_red=int(conn.execute("SELECT COUNT(*) FROM alerts WHERE severity = 'red'").fetchone()[0]),
    )


# ---------------------------------------------------------------------------------- the big screen

@dataclass
class BigScreenInputs:
    """What the big screen counts: active signals per office, today's, the latest red ones."""

    #: the newest alert's raising instant (the replica's "now"; 0 for an empty replica)
    now: int
    #: code → name of every office, by code
    office_names: dict[str, str]
    #: (office, severity, active alerts)
    active: list[tuple[str, str, int]]
    #: severity → alerts raised today
    today: dict[str, int]
    cases_today: int
    #: the newest active red alerts, newest first
    latest_red: list[dict[str, Any]]


def bigscreen_inputs(conn: sqlite3.Connection, latest: int = 10) -> BigScreenInputs:
    row = conn.execute("SELECT MAX(raised_at) FROM alerts").fetchone()
    now = int(row[0]) if row and row[0] else 0
    start = day_start(local_day(now)) if now else 0
    marks = ",".join("?" * len(ACTIVE_STATUSES))
    active = [(str(o), str(s), int(n)) for o, s, n in conn.execute(
        f"SELECT office, severity, COUNT(*) FROM alerts WHERE status IN ({marks})"  # noqa: S608
        " GROUP BY office, severity", ACTIVE_STATUSES)]
    today = {str(s): int(n) for s, n in conn.execute(
        "SELECT severity, COUNT(*) FROM alerts WHERE raised_at >= ? AND raised_at < ? GROUP BY severity",
        (start, start + DAY))}
    cases_today = int(conn.execute("SELECT COUNT(*) FROM cases WHERE received_at >= ? AND received_at < ?",
                                   (start, start + DAY)).fetchone()[0])
    reds = [dict(r) for r in conn.execute(
        "SELECT id, office, case_no, rule, rule_zh, rule_en, raised_at, message FROM alerts"  # noqa: S608
        f" WHERE severity = 'red' AND status IN ({marks}) ORDER BY raised_at DESC, id DESC LIMIT ?",
        (*ACTIVE_STATUSES, latest))]
    return BigScreenInputs(now, office_names(conn), active, today, cases_today, reds)
