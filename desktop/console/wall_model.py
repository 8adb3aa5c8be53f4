"""The alert wall's table model: pages alerts out of the replica with SQL, never all of them.

The model holds only the rows the view has asked for: the first page on a (re)load, then a
page per ``fetchMore`` as the operator scrolls. Pages are keyset queries —
``(sort key, raised_at, id)`` past the last loaded row — walking one of the replica's
indexes, so the first paint and every page cost the same with a thousand or a million
alerts. Filters and sorting are SQL; a ``QSortFilterProxyModel`` would only see the loaded
page.

When the change feed brings alerts, ``alerts_changed(ids)`` re-reads just those rows and
inserts, updates or removes them where the current order puts them; a row that sorts below
the loaded window is left for ``fetchMore``. New red signals flash for a few seconds.
"""

from __future__ import annotations

import re
import sqlite3
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, NamedTuple

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QBrush, QFont

from desktop import i18n
from desktop.console import labels
from desktop.console.labels import QT_TRANSLATE_NOOP
from desktop.replica.local import ACTIVE_STATUSES
from desktop.replica.names import NodeNames
from shared.timeutil import to_datetime

Index = QModelIndex | QPersistentModelIndex

#: Columns: (key, header, SQL sort expression or None when the column cannot sort).
COLUMNS: tuple[tuple[str, str, str | None], ...] = (
    ("severity", QT_TRANSLATE_NOOP("AlertWall", "Severity"), "severity"),
    ("rule", QT_TRANSLATE_NOOP("AlertWall", "Rule"), "rule"),
    ("office", QT_TRANSLATE_NOOP("AlertWall", "Office"), "office"),
    ("subject", QT_TRANSLATE_NOOP("AlertWall", "Case / petition"), None),
    ("node", QT_TRANSLATE_NOOP("AlertWall", "Node"), None),
    ("raised_at", QT_TRANSLATE_NOOP("AlertWall", "Raised at"), "raised_at"),
    ("as_of", QT_TRANSLATE_NOOP("AlertWall", "As of"), None),
    ("status", QT_TRANSLATE_NOOP("AlertWall", "Status"), "status"),
    ("assignee", QT_TRANSLATE_NOOP("AlertWall", "Assignee"), None),
    ("message", QT_TRANSLATE_NOOP("AlertWall", "Message"), None),
)
COL = {key: i for i, (key, _, _) in enumerate(COLUMNS)}
_STATUS_COL = COL["status"]
SELECT = (
    "SELECT id, severity, rule, rule_zh, rule_en, office, subject_type, case_no, petition_id, node, raised_at,"
    " as_of, status, assignee, message, pending, conflict, condition_cleared, version, message_en FROM alerts"
)
ID, SEV, RULE, RULE_ZH, RULE_EN, OFFICE, STYPE, CASE_NO, PET, NODE, RAISED, AS_OF, STATUS, ASSIGNEE, MSG, \
    PENDING, CONFLICT, CLEARED, VERSION, MSG_EN = range(20)

_KEY_INDEX = {"severity": SEV, "rule": RULE, "office": OFFICE, "status": STATUS, "raised_at": RAISED, "id": ID}
ALERT_ID_ROLE = Qt.ItemDataRole.UserRole + 1
SEVERITY_ROLE = Qt.ItemDataRole.UserRole + 2
_DISPLAY = int(Qt.ItemDataRole.DisplayRole)
_ACCESSIBLE = int(Qt.ItemDataRole.AccessibleTextRole)
_BACKGROUND = int(Qt.ItemDataRole.BackgroundRole)
_FOREGROUND = int(Qt.ItemDataRole.ForegroundRole)
_FONT = int(Qt.ItemDataRole.FontRole)
_TOOLTIP = int(Qt.ItemDataRole.ToolTipRole)
_ALERT_ID = int(ALERT_ID_ROLE)
_SEVERITY = int(SEVERITY_ROLE)
_ROW_FLAGS = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
FLASH_SECONDS = 6.0


#: Text that looks like a case number or petition id: at least 6 characters, digits and
#: separators, starting with a letter or digit (``2026-0000123``, ``XF2026…``).
ID_LIKE = re.compile(r"^(?=.*\d.*\d.*\d)[A-Za-z0-9][A-Za-z0-9_\-/.]{5,}$")


#: How much work a free-text page may do scanning along the wall's order before the trigram
#: index is used instead, in SQLite VM steps (a page of a common word takes 15,000–400,000; a scan
#: of a million alerts for a rare phrase about 9,000,000). Counted in
#: steps, not seconds, so a busy machine does not push common words onto the index path,
#: where they are slow.
SCAN_BUDGET = 1_000_000
#: How much the trigram index may do first: a rare phrase's look-up takes a few thousand steps,
#: a common word's a million or more.
FTS_PROBE_BUDGET = 100_000
_STEPS_PER_CHECK = 20_000


class _TooSlow(Exception):
    pass


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


class RowLook(NamedTuple):
    """How one wall row is drawn: the same facts ``data`` gives role by role."""

    texts: tuple[str, ...]
    background: QBrush | None
    #: the severity column's text colour, and every other column's (None: the palette's)
    first_foreground: QBrush | None
    foreground: QBrush | None
    #: open alerts have their severity and status in bold
    bold: bool


class _Key:
    """A row's position in the current order, comparable as SQL orders it."""

    __slots__ = ("desc", "value")

    def __init__(self, value: tuple[Any, ...], desc: bool) -> None:
        self.value = value
        self.desc = desc

    def before(self, other: _Key) -> bool:
        return self.value > other.value if self.desc else self.value < other.value


class AlertWallModel(QAbstractTableModel):
    """Alerts from the replica in the order and with the filter the operator chose."""

    #: the number of alerts matching the filter (counted in the background), or -1 while counting
    total_changed = Signal(int)
    #: new red alerts arrived that match the filter (ids)
    red_arrived = Signal(list)
    #: the model was reloaded (filter or sort changed)
    reloaded = Signal()

    def __init__(self, conn: sqlite3.Connection, *, page_size: int = 200, max_loaded: int = 5000,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.conn = conn
        self.page_size = page_size
        self.max_loaded = max_loaded
        self.filter = AlertFilter()
        self.sort_column = COL["raised_at"]
        self.sort_order = Qt.SortOrder.DescendingOrder
        self._rows: list[tuple[Any, ...]] = []
        self._pos: dict[int, int] = {}
        self._exhausted = False
        self._changing = False
        self._key_cache: tuple[Any, tuple[int, ...], bool] = (None, (), True)
        #: how the current free text is found: True through the trigram index, False by a scan
        #: along the order, None not yet known
        self._text_path: bool | None = None
        # Display texts per alert id, computed on first paint: a repaint of the wall then
        # costs dictionary look-ups, not formatting (the wall repaints on every page).
        self._texts: dict[int, tuple[str, ...]] = {}
        self._brushes = {sev: QBrush(c) for sev, c in labels.SEVERITY_COLORS.items()}
        self._accents = {sev: QBrush(c) for sev, c in labels.SEVERITY_ACCENT.items()}
        self._muted = QBrush(labels.MUTED_TEXT)
        self._flash_brush = QBrush(labels.FLASH_COLOR)
        self._bold = QFont()
        self._bold.setBold(True)
        self._count_gen = 0
        self.total = -1
        self._offices: dict[str, str] = {}
        self._flash: dict[int, float] = {}
        self._flash_on = True
        self._flash_timer = QTimer(self)
        self._flash_timer.setInterval(450)
        self._flash_timer.timeout.connect(self._flash_tick)
        self.counter: Any = None  # set by the wall: runs the count off the UI thread
        # Counting a million rows takes a while: at most one exact count every 5 s while alerts stream in.
        self._recount_timer = QTimer(self)
        self._recount_timer.setSingleShot(True)
        self._recount_timer.setInterval(5000)
        self._recount_timer.timeout.connect(self.recount)
        self.node_names = NodeNames(conn)
        self.load_offices()
        self.reload()

    # ------------------------------------------------------------------ queries
    def _sort_sql(self) -> tuple[list[str], bool]:
        desc = self.sort_order == Qt.SortOrder.DescendingOrder
        expr = COLUMNS[self.sort_column][2] or "raised_at"
        keys = [expr, "raised_at", "id"] if expr != "raised_at" else ["raised_at", "id"]
        return keys, desc

    def _key_of(self, row: Sequence[Any]) -> _Key:
        # Called O(log n) times per placed row: the column positions are computed once per order.
        if self._key_cache[0] != (self.sort_column, self.sort_order):
            keys, desc = self._sort_sql()
            self._key_cache = ((self.sort_column, self.sort_order), tuple(_KEY_INDEX[k] for k in keys), desc)
        _, positions, desc = self._key_cache
        return _Key(tuple(row[i] for i in positions), desc)

    def _page(self, after: Sequence[Any] | None) -> list[tuple[Any, ...]]:
        text = self.filter.text.strip()
        if not text or ID_LIKE.match(text):
            return self._page_with(after, fts=False)
        if self._text_path is not None:
            # The path that served this filter's first page serves the rest as quickly.
            return self._page_with(after, fts=self._text_path)
        # Free text. A rare phrase is found at once through the trigram index, where a scan
        # along the wall's order would read every alert; a common word is found at once by
        # that scan, where the index would read long posting lists. So: the index on a short
        # budget, then the scan on a budget, then the index to the end.
        for fts, budget in ((True, FTS_PROBE_BUDGET), (False, SCAN_BUDGET), (True, None)):
            if fts and len(text) < 3:
                continue
            try:
                rows = self._page_with(after, fts=fts, budget=budget)
            except _TooSlow:
                continue
            self._text_path = fts
            return rows
        return self._page_with(after, fts=False)

    def _page_with(self, after: Sequence[Any] | None, *, fts: bool,
                   budget: int | None = None) -> list[tuple[Any, ...]]:
        where, args = self.filter.where(fts=fts, office_names=self._offices)
        keys, desc = self._sort_sql()
        if after is not None:
            cmp = "<" if desc else ">"
            tup = f"({', '.join(keys)}) {cmp} ({', '.join('?' * len(keys))})"
            where = f"{where} AND {tup}" if where else f" WHERE {tup}"
            args = [*args, *self._key_of(after).value]
        direction = " DESC" if desc else ""
        order = ", ".join(k + direction for k in keys)
        sql = f"{SELECT}{where} ORDER BY {order} LIMIT ?"
        if budget is None:
            return [tuple(r) for r in self.conn.execute(sql, [*args, self.page_size])]
        checks = [max(1, budget // _STEPS_PER_CHECK)]

        def spent() -> int:
            checks[0] -= 1
            return int(checks[0] <= 0)

        self.conn.set_progress_handler(spent, _STEPS_PER_CHECK)
        try:
            return [tuple(r) for r in self.conn.execute(sql, [*args, self.page_size])]
        except sqlite3.OperationalError as exc:
            if "interrupt" in str(exc):
                raise _TooSlow from exc
            raise
        finally:
            self.conn.set_progress_handler(None, 0)

    def load_offices(self) -> None:
        self._offices = {str(r[0]): str(r[1] or r[0]) for r in self.conn.execute("SELECT code, name FROM offices")}

    def reload(self) -> None:
        self.beginResetModel()
        self._text_path = None
        self._texts.clear()
        self._rows = self._page(None)
        self._exhausted = len(self._rows) < self.page_size
        self._reindex()
        self.endResetModel()
        self.reloaded.emit()
        self.recount()

    def recount(self) -> None:
        text = self.filter.text.strip()
        where, args = self.filter.where(fts=bool(text) and not ID_LIKE.match(text), office_names=self._offices)
        sql = f"SELECT COUNT(*) FROM alerts{where}"  # noqa: S608 - the filter's clauses are bound parameters
        self._count_gen += 1
        gen = self._count_gen
        if self.counter is None:
            self.total = int(self.conn.execute(sql, args).fetchone()[0])
            self.total_changed.emit(self.total)
            return

        def done(n: int) -> None:
            # A count started before the filter changed again is stale: drop it.
            if gen == self._count_gen:
                self.total = n
                self.total_changed.emit(n)

        self.counter(sql, args, done)

    def _reindex(self) -> None:
        self._pos = {int(r[ID]): i for i, r in enumerate(self._rows)}
        if len(self._texts) > 2 * len(self._rows) + 1000:
            self._texts = {k: v for k, v in self._texts.items() if k in self._pos}

    def set_filter(self, flt: AlertFilter) -> None:
        if flt != self.filter:
            self.filter = flt
            self.reload()

    # ------------------------------------------------------------------ Qt model API
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802 - Qt API
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802 - Qt API
        return 0 if parent.isValid() else len(COLUMNS)

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:  # noqa: N802 - Qt API
        return not parent.isValid() and not self._exhausted

    def fetchMore(self, parent: Index = QModelIndex()) -> None:  # noqa: N802 - Qt API
        if parent.isValid() or self._exhausted or self._changing:
            # A view or tester may ask for more while rows are being inserted: one change at a time.
            return
        rows = self._page(self._rows[-1] if self._rows else None)
        if len(rows) < self.page_size:
            self._exhausted = True
        if rows:
            start = len(self._rows)
            self._changing = True
            try:
                self.beginInsertRows(QModelIndex(), start, start + len(rows) - 1)
                self._rows.extend(rows)
                for i, r in enumerate(rows, start):
                    self._pos[int(r[ID])] = i
                self.endInsertRows()
            finally:
                self._changing = False

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802 - Qt API
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(COLUMNS):
            if role == Qt.ItemDataRole.DisplayRole:
                return QCoreApplication.translate("AlertWall", COLUMNS[section][1])
            if role == Qt.ItemDataRole.ToolTipRole and COLUMNS[section][2] is None:
                return QCoreApplication.translate("AlertWall", "This column cannot be sorted")
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        return _ROW_FLAGS if index.isValid() else Qt.ItemFlag.NoItemFlags

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(COLUMNS) or COLUMNS[column][2] is None:
            return
        if (column, order) != (self.sort_column, self.sort_order):
            self.sort_column = column
            self.sort_order = order
            self.reload()

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        # Called a few thousand times per repaint: roles are compared as plain ints (enum
        # comparisons cost more than the rest of this method).
        r = index.row()
        if not 0 <= r < len(self._rows):
            return None
        row = self._rows[r]
        role = int(role)
        if role in (_DISPLAY, _ACCESSIBLE):
            return self.texts(row)[index.column()]
        if role == _BACKGROUND:
            return self._background(row)
        if role == _FOREGROUND:
            active = row[STATUS] in ACTIVE_STATUSES
            if not active:
                return self._muted
            return self._accents.get(row[SEV]) if index.column() == 0 else None
        if role == _FONT:
            col = index.column()
            return self._bold if (col == 0 or col == _STATUS_COL) and row[STATUS] == "open" else None
        if role == _TOOLTIP:
            return self._tooltip(row)
        if role == _ALERT_ID:
            return int(row[ID])
        if role == _SEVERITY:
            return row[SEV]
        return None

    def _background(self, row: Sequence[Any]) -> QBrush | None:
        if self._flash and self._flash_on and int(row[ID]) in self._flash:
            return self._flash_brush
        return self._brushes.get(row[SEV]) if row[STATUS] in ACTIVE_STATUSES else None

    def look(self, r: int) -> RowLook | None:
        """Everything the wall's painter needs for row ``r`` in one call (the roles of ``data``)."""
        if not 0 <= r < len(self._rows):
            return None
        row = self._rows[r]
        active = row[STATUS] in ACTIVE_STATUSES
        return RowLook(self.texts(row), self._background(row),
                       self._accents.get(row[SEV]) if active else self._muted,
                       None if active else self._muted, row[STATUS] == "open")

    def texts(self, row: Sequence[Any]) -> tuple[str, ...]:
        alert_id = int(row[ID])
        cached = self._texts.get(alert_id)
        if cached is None:
            cached = self._texts[alert_id] = tuple(self._display(row, key) for key, _, _ in COLUMNS)
        return cached

    def _display(self, row: Sequence[Any], key: str) -> str:
        if key == "severity":
            return "● " + labels.severity(row[SEV])
        if key == "rule":
            return labels.rule_name(row[RULE], row[RULE_ZH], row[RULE_EN])
        if key == "office":
            return self._offices.get(row[OFFICE], row[OFFICE])
        if key == "subject":
            if row[STYPE] == "case":
                return str(row[CASE_NO] or "")
            if row[STYPE] == "petition":
                return str(row[PET] or "")
            return QCoreApplication.translate("AlertWall", "(office)")
        if key == "node":
            if row[NODE] and row[STYPE] == "case":
                return self.node_names.name(row[OFFICE], row[CASE_NO], str(row[NODE]))
            return str(row[NODE] or "")
        if key == "raised_at":
            return _fmt(row[RAISED])
        if key == "as_of":
            return _fmt(row[AS_OF])
        if key == "status":
            text = labels.status(row[STATUS])
            if row[CONFLICT]:
                text = "⚠ " + text
            elif row[PENDING]:
                text = "⟳ " + text
            if row[CLEARED]:
                text += QCoreApplication.translate("AlertWall", " (cleared)")
            return text
        if key == "assignee":
            return str(row[ASSIGNEE] or "")
        if key == "message":
            return message_text(row[MSG], row[MSG_EN])
        return ""

    def _tooltip(self, row: Sequence[Any]) -> str:
        lines = [message_text(row[MSG], row[MSG_EN])]
        if row[PENDING]:
            lines.append(QCoreApplication.translate("AlertWall", "Your change is waiting to be sent to the server."))
        if row[CONFLICT]:
            lines.append(QCoreApplication.translate(
                "AlertWall", "Your change conflicts with the server's: see Conflicts."))
        if row[CLEARED]:
            lines.append(QCoreApplication.translate(
                "AlertWall", "The condition has cleared since a person handled this alert."))
        return "\n".join(x for x in lines if x)

    # ------------------------------------------------------------------ access for views
    def alert_id(self, row: int) -> int | None:
        return int(self._rows[row][ID]) if 0 <= row < len(self._rows) else None

    def row_of(self, alert_id: int) -> int | None:
        return self._pos.get(alert_id)

    def row_info(self, row: int) -> dict[str, Any] | None:
        if not 0 <= row < len(self._rows):
            return None
        r = self._rows[row]
        return {"id": int(r[ID]), "severity": r[SEV], "rule": r[RULE], "office": r[OFFICE],
                "subject_type": r[STYPE], "case_no": r[CASE_NO], "petition_id": r[PET], "node": r[NODE],
                "status": r[STATUS], "assignee": r[ASSIGNEE], "message": r[MSG], "pending": r[PENDING],
                "conflict": r[CONFLICT], "version": r[VERSION]}

    def loaded_ids(self) -> list[int]:
        return [int(r[ID]) for r in self._rows]

    # ------------------------------------------------------------------ live updates
    def alerts_changed(self, ids: Iterable[int], new_red: Iterable[int] = ()) -> None:
        """Re-read the given alerts and place them where the current filter and order put them."""
        wanted = list(dict.fromkeys(int(i) for i in ids))
        if not wanted:
            return
        self._changing = True
        try:
            self._place(wanted, list(new_red))
        finally:
            self._changing = False

    def _place(self, wanted: list[int], new_red: list[int]) -> None:
        for alert_id in wanted:
            self._texts.pop(alert_id, None)
        where, args = self.filter.where(office_names=self._offices)
        fresh: dict[int, tuple[Any, ...]] = {}
        for start in range(0, len(wanted), 500):
            chunk = wanted[start : start + 500]
            clause = f"id IN ({','.join('?' * len(chunk))})"
            sql = f"{SELECT}{where} AND {clause}" if where else f"{SELECT} WHERE {clause}"
            for r in self.conn.execute(sql, [*args, *chunk]):
                fresh[int(r[ID])] = tuple(r)
        # 1. rows that left the filter, or whose place in the order changed, are taken out
        removals: list[int] = []
        updates: list[tuple[int, tuple[Any, ...]]] = []
        inserts: list[tuple[Any, ...]] = []
        moved: set[int] = set()
        for alert_id in wanted:
            pos = self._pos.get(alert_id)
            row = fresh.get(alert_id)
            if pos is not None:
                if row is None:
                    removals.append(pos)
                elif self._key_of(row).value == self._key_of(self._rows[pos]).value:
                    updates.append((pos, row))
                else:
                    removals.append(pos)
                    inserts.append(row)
                    moved.add(alert_id)
            elif row is not None:
                inserts.append(row)
        for pos, row in updates:
            self._rows[pos] = row
        if updates:
            first = min(p for p, _ in updates)
            last = max(p for p, _ in updates)
            self.dataChanged.emit(self.index(first, 0), self.index(last, len(COLUMNS) - 1))
        for pos in sorted(set(removals), reverse=True):
            self.beginRemoveRows(QModelIndex(), pos, pos)
            del self._rows[pos]
            self.endRemoveRows()
        if removals:
            self._reindex()
        # 2. new rows go where the order puts them, in contiguous blocks; below the loaded
        #    window they wait for fetchMore (the keyset cursor will reach them).
        if inserts:
            self._insert_sorted(inserts)
        self._trim()
        red = [i for i in new_red if int(i) in fresh]
        if red:
            self.flash(red)
            self.red_arrived.emit(red)
        if inserts and self.total >= 0:
            # New matching alerts count at once; an exact count follows now and then (a
            # million-row count is not free, and alerts may stream in at 1,000/s).
            self.total += sum(1 for r in inserts if int(r[ID]) not in moved) - len(set(removals)) + len(moved)
            self.total_changed.emit(self.total)
        if (inserts or removals) and not self._recount_timer.isActive():
            self._recount_timer.start()

    def _insert_sorted(self, rows: list[tuple[Any, ...]]) -> None:
        keyed = sorted(((self._key_of(r), r) for r in rows), key=lambda kr: kr[0].value,
                       reverse=self.sort_order == Qt.SortOrder.DescendingOrder)
        groups: list[tuple[int, list[tuple[Any, ...]]]] = []
        for key, row in keyed:
            pos = self._bisect(key)
            if pos >= len(self._rows) and not self._exhausted:
                continue
            if groups and groups[-1][0] == pos:
                groups[-1][1].append(row)
            else:
                groups.append((pos, [row]))
        # Insert from the bottom up so that earlier positions stay valid.
        for pos, block in reversed(groups):
            self.beginInsertRows(QModelIndex(), pos, pos + len(block) - 1)
            self._rows[pos:pos] = block
            self.endInsertRows()
        if groups:
            self._reindex()

    def _bisect(self, key: _Key) -> int:
        lo, hi = 0, len(self._rows)
        while lo < hi:
            mid = (lo + hi) // 2
            if self._key_of(self._rows[mid]).before(key):
                lo = mid + 1
            else:
                hi = mid
        return lo

    def _trim(self) -> None:
        # A live wall at 1,000 alerts/s would otherwise grow without bound; rows cut from the
        # bottom come back through fetchMore when the operator scrolls there.
        excess = len(self._rows) - self.max_loaded
        if excess > 0:
            start = len(self._rows) - excess
            self.beginRemoveRows(QModelIndex(), start, len(self._rows) - 1)
            del self._rows[start:]
            self.endRemoveRows()
            self._exhausted = False
            self._reindex()

    def names_changed(self) -> None:
        """The catalogue or cases changed: node names are read again as rows are drawn."""
        self.node_names.clear()
        self._column_changed(COL["node"])

    def offices_changed(self) -> None:
        self.load_offices()
        self._column_changed(COL["office"])

    def _column_changed(self, col: int) -> None:
        """A column's texts must be formatted again (what they name changed, not the alerts)."""
        self._texts.clear()
        if self._rows:
            self.dataChanged.emit(self.index(0, col), self.index(len(self._rows) - 1, col))

    # ------------------------------------------------------------------ flashing
    def flash(self, ids: Iterable[int]) -> None:
        until = time.monotonic() + FLASH_SECONDS
        for i in ids:
            self._flash[int(i)] = until
        if self._flash and not self._flash_timer.isActive():
            self._flash_timer.start()

    def is_flashing(self, alert_id: int) -> bool:
        return alert_id in self._flash

    def _flash_tick(self) -> None:
        now = time.monotonic()
        self._flash_on = not self._flash_on
        expired = [i for i, t in self._flash.items() if t <= now]
        for i in expired:
            del self._flash[i]
        rows = [self._pos[i] for i in (*self._flash, *expired) if i in self._pos]
        # Only the flashing rows' backgrounds change: their texts stay cached.
        if rows:
            self.dataChanged.emit(self.index(min(rows), 0), self.index(max(rows), len(COLUMNS) - 1),
                                  [Qt.ItemDataRole.BackgroundRole])
        if not self._flash:
            self._flash_on = True
            self._flash_timer.stop()


def message_text(message: str | None, message_en: str | None) -> str:
    """The alert's message in the console's language (the server's Chinese text by default)."""
    if message_en and not i18n.is_chinese():
        return str(message_en)
    return str(message or "")


def _fmt(instant: int | None) -> str:
    if not instant:
        return ""
    return to_datetime(int(instant)).strftime("%Y-%m-%d %H:%M")
