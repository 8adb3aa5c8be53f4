"""A small read-only table model over a list of records, for the panes' short lists.

Events of a case, its alerts and ratings, conflicts, the statistics ranking: each is at
most a few hundred rows already in memory, shown through a ``QSortFilterProxyModel`` so the
user can sort any column. A long list read a page at a time (the investigations) is sorted
where it is read instead: its header asks for the rows again in the order clicked
(``record_table``'s ``sorted_by``), since sorting the loaded page would show the first rows of
that page, not of the list.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    Signal,
)
from PySide6.QtWidgets import QAbstractItemView, QTableView, QWidget

Index = QModelIndex | QPersistentModelIndex
RECORD_ROLE = Qt.ItemDataRole.UserRole + 1
SORT_ROLE = Qt.ItemDataRole.UserRole + 2


@dataclass(frozen=True)
class Column:
    header: str
    text: Callable[[dict[str, Any]], Any]
    #: optional extra roles: role -> function of the record
    roles: dict[int, Callable[[dict[str, Any]], Any]] | None = None
    #: sort key (defaults to the text)
    key: Callable[[dict[str, Any]], Any] | None = None
    numeric: bool = False


class RecordTableModel(QAbstractTableModel):
    def __init__(self, columns: Sequence[Column], context: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.columns = list(columns)
        self.context = context
        self._records: list[dict[str, Any]] = []

    def set_records(self, records: Sequence[dict[str, Any]]) -> None:
        self.beginResetModel()
        self._records = list(records)
        self.endResetModel()

    def append_records(self, records: Sequence[dict[str, Any]]) -> None:
        """Add rows at the end (the next page of a long list), without resetting the view."""
        if not records:
            return
        first = len(self._records)
        self.beginInsertRows(QModelIndex(), first, first + len(records) - 1)
        self._records.extend(records)
        self.endInsertRows()

    def records(self) -> list[dict[str, Any]]:
        return list(self._records)

    def record(self, row: int) -> dict[str, Any] | None:
        return self._records[row] if 0 <= row < len(self._records) else None

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802 - Qt API
        return 0 if parent.isValid() else len(self._records)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802 - Qt API
        return 0 if parent.isValid() else len(self.columns)

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802 - Qt API
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal \
                and 0 <= section < len(self.columns):
            return QCoreApplication.translate(self.context, self.columns[section].header)
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._records) \
                or not 0 <= index.column() < len(self.columns):
            return None
        rec = self._records[index.row()]
        col = self.columns[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            value = col.text(rec)
            return "" if value is None else value
        if role == SORT_ROLE:
            value = col.key(rec) if col.key else col.text(rec)
            return "" if value is None else value
        if role == RECORD_ROLE:
            return rec
        if role == Qt.ItemDataRole.TextAlignmentRole and col.numeric:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if col.roles and role in col.roles:
            return col.roles[role](rec)
        return None


class SortedWhereReadProxy(QSortFilterProxyModel):
    """A proxy that keeps its source's order: a header's click asks for the rows again in that
    order (``sort_requested``: the column, or -1 for the source's own order, and the direction)."""

    sort_requested = Signal(int, Qt.SortOrder)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self.sort_requested.emit(column, order)


def record_table(model: RecordTableModel, parent: QWidget, *, name: str = "",
                 order: Qt.SortOrder | None = Qt.SortOrder.AscendingOrder, single: bool = False,
                 sorted_by: Callable[[int, Qt.SortOrder], None] | None = None) -> QTableView:
    """A view of ``model`` as every record table of the console shows one: sorted through a proxy
    on ``SORT_ROLE`` (by the first column in ``order``; None leaves it unsorted until clicked), whole
    rows selected, no row numbers, the last column stretched. ``table.model()`` is the proxy.

    ``sorted_by``: the rows are sorted where they are read (a long list paged in): a header's
    click calls it with the column (-1: no column, the reader's own order) and the direction, the
    proxy keeps the model's order, and a third click on a column takes its indicator away (``order``
    is not used: the list starts in the reader's order)."""
    read_proxy = SortedWhereReadProxy(parent) if sorted_by is not None else None
    proxy = read_proxy if read_proxy is not None else QSortFilterProxyModel(parent)
    proxy.setSourceModel(model)
    proxy.setSortRole(SORT_ROLE)
    table = QTableView(parent)
    if name:
        table.setObjectName(name)
    table.setModel(proxy)
    if read_proxy is not None and sorted_by is not None:
        # No indicator until a header is clicked; then the reader is asked at each change of it
        # (connected once sorting is on: turning it on asks for the current order once).
        table.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        table.horizontalHeader().setSortIndicatorClearable(True)
        table.setSortingEnabled(True)
        read_proxy.sort_requested.connect(sorted_by)
    else:
        table.setSortingEnabled(True)
        if order is not None:
            table.sortByColumn(0, order)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    if single:
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.verticalHeader().hide()
    table.horizontalHeader().setStretchLastSection(True)
    return table
