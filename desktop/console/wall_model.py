"""The alert wall's table model: pages alerts out of the replica in the background, never all of them.

The model holds only the rows the view has asked for: the first page on a (re)load, then a
page per ``fetchMore`` as the operator scrolls. Pages are keyset queries
(``desktop.replica.queries.wall_page``) walking one of the replica's indexes, so the first
paint and every page cost the same with a thousand or a million alerts. Filters and sorting
are SQL; a ``QSortFilterProxyModel`` would only see the loaded page.

Every read runs on a worker through the background-task helper, one after another in the
order they were asked for (``_Read``): a page, a reload, the re-read of alerts the change
feed brought. Each read's result is applied on the UI thread before the next read starts, so
a read always sees the replica at least as new as the rows it lands among, and nothing
between two reads moves the rows. The UI thread never waits for the file.

When the change feed brings alerts, ``alerts_changed(ids)`` re-reads just those rows and
inserts, updates or removes them where the current order puts them; a row that sorts below
the loaded window is left for ``fetchMore``. New red signals flash for a few seconds.
"""

from __future__ import annotations

import logging
import time
from collections import deque
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
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
from desktop.common.tasks import BACKGROUND, BackgroundTasks
from desktop.console import labels
from desktop.console.labels import QT_TRANSLATE_NOOP
from desktop.replica import queries
from desktop.replica.local import ACTIVE_STATUSES
from desktop.replica.names import NodeNames
from desktop.replica.queries import (
    AS_OF,
    ASSIGNEE,
    CASE_NO,
    CLEARED,
    CONFLICT,
    ID,
    MSG,
    MSG_EN,
    NODE,
    NODE_NAME,
    OFFICE,
    OFFICE_NAME,
    PENDING,
    PET,
    PETITION,
    RAISED,
    RULE,
    RULE_EN,
    RULE_ZH,
    SEV,
    STATUS,
    STYPE,
    VERSION,
    AlertFilter,
    WallOrder,
    WallPage,
    WallRow,
)
from desktop.replica.store import Replica
from shared.timeutil import to_datetime

log = logging.getLogger(__name__)
__all__ = ["COL", "COLUMNS", "AlertFilter", "AlertWallModel", "RowLook", "message_text"]

Index = QModelIndex | QPersistentModelIndex

#: Columns: (key, header, the sortable column it orders by, or None when the column cannot sort).
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


@dataclass
class _Read:
    """One read of the model's: the first page (``reload``), the next page, or alerts to place again."""

    kind: str  # "reload" | "page" | "place"
    ids: dict[int, None] = field(default_factory=dict)
    new_red: list[int] = field(default_factory=list)
    #: forget the node names read so far first (the catalogue or cases changed)
    renamed: bool = False


class AlertWallModel(QAbstractTableModel):
    """Alerts from the replica in the order and with the filter the operator chose."""

    #: the number of alerts matching the filter (counted in the background), or -1 while counting
    total_changed = Signal(int)
    #: new red alerts arrived that match the filter (ids)
    red_arrived = Signal(list)
    #: the model was reloaded (filter or sort changed) and shows the first page
    reloaded = Signal()
    #: alerts were re-read and placed (ids): their rows show their current state
    placed = Signal(list)
    #: no read is waiting or running any more (tests and benchmarks wait for it)
    settled = Signal()

    def __init__(self, replica: Replica, tasks: BackgroundTasks, *, page_size: int = 200, max_loaded: int = 5000,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.replica = replica
        self.tasks = tasks
        self.page_size = page_size
        self.max_loaded = max_loaded
        self.filter = AlertFilter()
        self.sort_column = COL["raised_at"]
        self.sort_order = Qt.SortOrder.DescendingOrder
        self._rows: list[WallRow] = []
        self._pos: dict[int, int] = {}
        self._exhausted = True
        self._changing = False
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
        self._flash: dict[int, float] = {}
        self._flash_on = True
        self._flash_timer = QTimer(self)
        self._flash_timer.setInterval(450)
        self._flash_timer.timeout.connect(self._flash_tick)
        # Counting a million rows takes a while: at most one exact count every 5 s while alerts stream in.
        self._recount_timer = QTimer(self)
        self._recount_timer.setSingleShot(True)
        self._recount_timer.setInterval(5000)
        self._recount_timer.timeout.connect(self.recount)
        #: node names, read with the rows (only by this model's reads, which run one at a time)
        self.node_names = NodeNames()
        self._queue: deque[_Read] = deque()
        self._running: _Read | None = None
        self._order: tuple[Any, WallOrder] = (None, WallOrder())
        self.reload()

    # ------------------------------------------------------------------ reads, one after another
    @property
    def busy(self) -> bool:
        """A read is waiting or running: the rows may not show the replica's latest state yet."""
        return self._running is not None or bool(self._queue)

    @property
    def order(self) -> WallOrder:
        # Asked O(log n) times per placed row: built once per order.
        if self._order[0] != (self.sort_column, self.sort_order):
            self._order = ((self.sort_column, self.sort_order),
                           WallOrder(COLUMNS[self.sort_column][2] or "raised_at",
                                     self.sort_order == Qt.SortOrder.DescendingOrder))
        return self._order[1]

    def _ask(self, read: _Read) -> None:
        if read.kind == "reload":
            # A reload reads everything afresh: pages of the old order or filter are moot, and
            # alerts waiting to be placed are placed among the new rows, after it.
            self._queue = deque([read, *(r for r in self._queue if r.kind == "place")])
        elif read.kind == "page":
            if any(r.kind in ("page", "reload") for r in (self._running, *self._queue) if r is not None):
                return
            self._queue.append(read)
        else:
            waiting = self._queue[-1] if self._queue else None
            if waiting is not None and waiting.kind == "place":
                # Alerts streaming in: one re-read for all that arrived meanwhile.
                waiting.ids.update(read.ids)
                waiting.new_red.extend(read.new_red)
                waiting.renamed = waiting.renamed or read.renamed
            else:
                self._queue.append(read)
        self._next()

    def _next(self) -> None:
        if self._running is not None:
            return
        if not self._queue:
            self.settled.emit()
            return
        read = self._running = self._queue.popleft()
        replica, flt, order, names, limit = self.replica, self.filter, self.order, self.node_names, self.page_size
        work: Callable[[], Any]
        if read.kind == "reload":
            self._text_path = None

            def work() -> WallPage:
                return replica.read(queries.wall_page, flt, order, None, limit, names=names)
        elif read.kind == "page":
            after = order.key_of(self._rows[-1]) if self._rows else None
            path = self._text_path

            def work() -> WallPage:
                return replica.read(queries.wall_page, flt, order, after, limit, text_path=path, names=names)
        else:
            ids = list(read.ids)
            renamed = read.renamed

            def work() -> dict[int, WallRow]:
                if renamed:
                    names.clear()
                return replica.read(queries.wall_rows, flt, ids, names)

        self.tasks.run(work, lambda result: self._read_done(read, result), lambda exc: self._read_failed(read, exc),
                       label=f"wall {read.kind}", owner=self, local=True)

    def _read_done(self, read: _Read, result: Any) -> None:
        self._running = None
        self._changing = True
        try:
            if read.kind == "reload":
                self._reset(result)
            elif read.kind == "page":
                self._append(result)
            else:
                self._place(list(read.ids), read.new_red, result)
        finally:
            self._changing = False
        if read.kind == "reload":
            self.reloaded.emit()
            self.recount()
        elif read.kind == "place":
            self.placed.emit(list(read.ids))
        self._next()

    def _read_failed(self, read: _Read, exc: BaseException) -> None:
        # The rows stay as they were; the next change or reload reads again.
        log.error("the wall could not read the replica (%s): %r", read.kind, exc)
        self._running = None
        self._next()

    # ------------------------------------------------------------------ applying what was read
    def _key_of(self, row: Sequence[Any]) -> _Key:
        order = self.order
        return _Key(order.key_of(row), order.descending)

    def _reset(self, page: WallPage) -> None:
        self.beginResetModel()
        self._text_path = page.text_path
        self._texts.clear()
        self._rows = list(page.rows)
        self._exhausted = len(self._rows) < self.page_size
        self._reindex()
        self.endResetModel()

    def _append(self, page: WallPage) -> None:
        rows = page.rows
        if len(rows) < self.page_size:
            self._exhausted = True
        if rows:
            start = len(self._rows)
            self.beginInsertRows(QModelIndex(), start, start + len(rows) - 1)
            self._rows.extend(rows)
            for i, r in enumerate(rows, start):
                self._pos[int(r[ID])] = i
            self.endInsertRows()

    def reload(self) -> None:
        """Read the first page again (filter or order changed, or a re-snapshot finished)."""
        self._ask(_Read("reload"))

    def recount(self) -> None:
        self._count_gen += 1
        gen = self._count_gen
        replica, flt = self.replica, self.filter

        def wanted() -> bool:
            # Read by the worker: a count started before the filter changed again stops early.
            return gen == self._count_gen

        def done(n: int) -> None:
            if wanted():
                self.total = n
                self.total_changed.emit(n)

        self.tasks.run(lambda: replica.read(queries.count_alerts, flt, still_wanted=wanted), done,
                       unless_superseded, label="count", owner=self, priority=BACKGROUND, local=True)

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
        """Ask for the next page; its rows arrive when the background read is done."""
        if parent.isValid() or self._exhausted or self._changing:
            # A view or tester may ask for more while rows are being inserted: one change at a time.
            return
        self._ask(_Read("page"))

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
            return str(row[OFFICE_NAME])
        if key == "subject":
            if row[STYPE] == "case":
                return str(row[CASE_NO] or "")
            if row[STYPE] == "petition":
                receipt, subject = row[PETITION] or ("", "")
                return labels.petition(receipt, subject, str(row[PET] or ""))
            if row[STYPE] == "notice":
                return QCoreApplication.translate("AlertWall", "(supervision notice)")
            return QCoreApplication.translate("AlertWall", "(office)")
        if key == "node":
            return labels.step(str(row[NODE_NAME])) if row[NODE_NAME] == row[NODE] else str(row[NODE_NAME])
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
                "conflict": r[CONFLICT], "version": r[VERSION], "office_name": r[OFFICE_NAME],
                "subject": self._display(r, "subject")}

    def loaded_ids(self) -> list[int]:
        return [int(r[ID]) for r in self._rows]

    # ------------------------------------------------------------------ live updates
    def alerts_changed(self, ids: Iterable[int], new_red: Iterable[int] = ()) -> None:
        """Re-read the given alerts and place them where the current filter and order put them."""
        wanted = dict.fromkeys(int(i) for i in ids)
        if wanted:
            self._ask(_Read("place", wanted, [int(i) for i in new_red]))

    def _place(self, wanted: list[int], new_red: list[int], fresh: dict[int, WallRow]) -> None:
        for alert_id in wanted:
            self._texts.pop(alert_id, None)
        # 1. rows that left the filter, or whose place in the order changed, are taken out
        removals: list[int] = []
        updates: list[tuple[int, WallRow]] = []
        inserts: list[WallRow] = []
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

    def _insert_sorted(self, rows: list[WallRow]) -> None:
        keyed = sorted(((self._key_of(r), r) for r in rows), key=lambda kr: kr[0].value,
                       reverse=self.sort_order == Qt.SortOrder.DescendingOrder)
        groups: list[tuple[int, list[WallRow]]] = []
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
        """The catalogue or cases changed: the loaded rows' node names are read again."""
        ids = dict.fromkeys(int(r[ID]) for r in self._rows if r[NODE])
        self._ask(_Read("place", ids, renamed=True))

    def cases_arrived(self, cases: Iterable[tuple[str, str]]) -> None:
        """Cases reached the replica: rows of theirs whose node had no name yet are read again."""
        arrived = set(cases)
        ids = dict.fromkeys(int(r[ID]) for r in self._rows
                            if r[NODE] and r[NODE_NAME] == r[NODE] and (r[OFFICE], r[CASE_NO]) in arrived)
        if ids:
            self._ask(_Read("place", ids))

    def offices_changed(self) -> None:
        """Offices were renamed or added: the loaded rows' office names are read again."""
        if self._rows:
            self._ask(_Read("place", dict.fromkeys(self.loaded_ids())))

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


def unless_superseded(exc: BaseException) -> None:
    """A background read failed: fine when it was stopped for being stale, logged otherwise."""
    if not isinstance(exc, queries.Superseded):
        log.error("a background read of the replica failed: %s",
                  getattr(exc, "__traceback_text__", repr(exc)))


def message_text(message: str | None, message_en: str | None) -> str:
    """The alert's message in the console's language (the server's Chinese text by default)."""
    if message_en and not i18n.is_chinese():
        return str(message_en)
    return str(message or "")


def _fmt(instant: int | None) -> str:
    if not instant:
        return ""
    return to_datetime(int(instant)).strftime("%Y-%m-%d %H:%M")
