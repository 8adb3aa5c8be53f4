"""Qt models of the administration pane: the catalogue (7,000+ items, filtered as one types),
the office tree, and the settings' editable fields. Short lists (users, cameras, the audit log,
a dry run's problems) use ``desktop.console.records.RecordTableModel``.

The models hold what ``desktop.admin.views`` computed (no Qt there); the catalogue's filter
matches precomputed lower-case keys in Python once per change of the filter and then only
looks rows up, so filtering Chengdu's 7,437 items stays well inside a keystroke.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import (
    QAbstractItemModel,
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QColor

from desktop.admin.views import CatalogueRow, OfficeNode, matching_rows
from desktop.console.labels import QT_TRANSLATE_NOOP
from shared import settings as registry

Index = QModelIndex | QPersistentModelIndex
ROW_ROLE = Qt.ItemDataRole.UserRole + 1
SORT_ROLE = Qt.ItemDataRole.UserRole + 2
CONTEXT = "AdminModels"

KIND_NAMES = {
    "licensing": QT_TRANSLATE_NOOP("AdminModels", "licensing"),
    "penalty": QT_TRANSLATE_NOOP("AdminModels", "penalty"),
    "levy": QT_TRANSLATE_NOOP("AdminModels", "levy"),
    "confirmation": QT_TRANSLATE_NOOP("AdminModels", "confirmation"),
    "inspection": QT_TRANSLATE_NOOP("AdminModels", "inspection"),
    "other": QT_TRANSLATE_NOOP("AdminModels", "other"),
}
OFFICE_KINDS = {
    "township": QT_TRANSLATE_NOOP("AdminModels", "township centre"),
    "department": QT_TRANSLATE_NOOP("AdminModels", "department"),
    "centre": QT_TRANSLATE_NOOP("AdminModels", "county or city centre"),
}


def tr(text: str) -> str:
    return QCoreApplication.translate(CONTEXT, text)


def kind_name(code: str) -> str:
    return tr(KIND_NAMES[code]) if code in KIND_NAMES else code


def office_kind_name(code: str) -> str:
    return tr(OFFICE_KINDS[code]) if code in OFFICE_KINDS else code


def _yuan(fen: int) -> str:
    return f"{fen / 100:,.2f}" if fen else "—"


# ---- catalogue ----------------------------------------------------------------------------------
class CatalogueModel(QAbstractTableModel):
    COLUMNS = (
        QT_TRANSLATE_NOOP("AdminModels", "Code"),
        QT_TRANSLATE_NOOP("AdminModels", "Power item"),
        QT_TRANSLATE_NOOP("AdminModels", "Department"),
        QT_TRANSLATE_NOOP("AdminModels", "Kind"),
        QT_TRANSLATE_NOOP("AdminModels", "Legal days"),
        QT_TRANSLATE_NOOP("AdminModels", "Committed days"),
        QT_TRANSLATE_NOOP("AdminModels", "Fee (yuan)"),
        QT_TRANSLATE_NOOP("AdminModels", "Nodes"),
        QT_TRANSLATE_NOOP("AdminModels", "Risk points"),
    )
    NUMERIC = frozenset({4, 5, 6, 7, 8})

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.rows: list[CatalogueRow] = []
        self._kinds = {code: kind_name(code) for code in KIND_NAMES}

    def set_rows(self, rows: Sequence[CatalogueRow]) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802 - Qt API
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802 - Qt API
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802 - Qt API
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal \
                and 0 <= section < len(self.COLUMNS):
            return tr(self.COLUMNS[section])
        return None

    def _value(self, r: CatalogueRow, column: int) -> Any:
        if column == 0:
            return r.code
        if column == 1:
            return r.name
        if column == 2:
            return f"{r.department_name} ({r.department})" if r.department_name else r.department
        if column == 3:
            return self._kinds.get(r.kind, r.kind)
        if column == 4:
            return r.legal_days
        if column == 5:
            return r.committed_days if r.committed_days is not None else "—"
        if column == 6:
            return _yuan(r.fee_fen)
        if column == 7:
            return r.nodes
        return f"{r.risk_points} (L{r.top_risk})" if r.risk_points else "—"

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.rows) \
                or not 0 <= index.column() < len(self.COLUMNS):
            return None
        r = self.rows[index.row()]
        c = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._value(r, c)
        if role == SORT_ROLE:
            return (r.fee_fen if c == 6 else r.risk_points * 10 + r.top_risk if c == 8
                    else (r.committed_days or 0) if c == 5 else self._value(r, c))
        if role == ROW_ROLE:
            return r
        if role == Qt.ItemDataRole.TextAlignmentRole and c in self.NUMERIC:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ForegroundRole and c == 8 and r.top_risk >= 3:
            return QColor("#f85149")
        return None


class CatalogueProxy(QSortFilterProxyModel):
    """Filters by words (code, name, department, node names, risk points) and a department."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.setSortRole(SORT_ROLE)
        self._accepted: set[int] | None = None
        # The source's rows are replaced by a reset, which the proxy follows unfiltered.
        self.sourceModelChanged.connect(self._unfiltered)
        self.text = ""
        self.department = ""

    def set_filter(self, text: str = "", department: str = "", *, rows_changed: bool = False) -> None:
        """Filter by ``text`` and ``department``; ``rows_changed`` after the source got new rows (the
        proxy has re-read them unfiltered: only an active filter needs applying again)."""
        unchanged = (text.split(), department) == (self.text.split(), self.department)
        if (unchanged and not rows_changed) or (rows_changed and not text.strip() and not department):
            self.text, self.department = text, department
            return
        self.text, self.department = text, department
        source = self.sourceModel()
        # Qt 6.9 wants the change announced before the filter's state changes; older Qt re-filters after.
        announce = hasattr(self, "beginFilterChange")
        if announce:
            self.beginFilterChange()
        if not text.strip() and not department:
            self._accepted = None
        elif isinstance(source, CatalogueModel):
            self._accepted = set(matching_rows(source.rows, text, department))
        if announce:
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)
        else:
            self.invalidateRowsFilter()

    def _unfiltered(self) -> None:
        self._accepted = None
        source = self.sourceModel()
        if source is not None:
            source.modelAboutToBeReset.connect(self._drop_filter)

    def _drop_filter(self) -> None:
        self._accepted = None

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:  # noqa: N802 - Qt API
        return self._accepted is None or source_row in self._accepted


# ---- offices ------------------------------------------------------------------------------------
class OfficeTreeModel(QAbstractItemModel):
    """City → county → township, with each office's kind and sync state."""

    COLUMNS = (
        QT_TRANSLATE_NOOP("AdminModels", "Office"),
        QT_TRANSLATE_NOOP("AdminModels", "Code"),
        QT_TRANSLATE_NOOP("AdminModels", "Kind"),
        QT_TRANSLATE_NOOP("AdminModels", "Data complete until"),
        QT_TRANSLATE_NOOP("AdminModels", "Last batch"),
    )

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.roots: list[OfficeNode] = []

    def set_roots(self, roots: list[OfficeNode]) -> None:
        self.beginResetModel()
        self.roots = roots
        self.endResetModel()

    def _siblings(self, node: OfficeNode) -> list[OfficeNode]:
        return node.parent.children if node.parent is not None else self.roots

    def node(self, index: Index) -> OfficeNode | None:
        if not index.isValid():
            return None
        node = index.internalPointer()
        return node if isinstance(node, OfficeNode) else None

    def index(self, row: int, column: int, parent: Index = QModelIndex()) -> QModelIndex:
        if column < 0 or column >= len(self.COLUMNS) or row < 0:
            return QModelIndex()
        if parent.isValid():
            owner = self.node(parent)
            if owner is None or parent.column() != 0:
                return QModelIndex()
            children = owner.children
        else:
            children = self.roots
        if row >= len(children):
            return QModelIndex()
        return self.createIndex(row, column, children[row])

    def parent(self, index: Index = QModelIndex()) -> QModelIndex:  # type: ignore[override]
        node = self.node(index)
        if node is None or node.parent is None:
            return QModelIndex()
        up = node.parent
        return self.createIndex(self._siblings(up).index(up), 0, up)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802 - Qt API
        if not parent.isValid():
            return len(self.roots)
        if parent.column() != 0:
            return 0
        node = self.node(parent)
        return len(node.children) if node is not None else 0

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802 - Qt API
        return len(self.COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802 - Qt API
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal \
                and 0 <= section < len(self.COLUMNS):
            return tr(self.COLUMNS[section])
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        node = self.node(index)
        if node is None:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            rec = node.record
            return (node.name, node.code, office_kind_name(node.kind),
                    _instant(rec.get("watermark")), _instant(rec.get("last_batch_at")))[index.column()]
        if role == ROW_ROLE:
            return node
        return None


def _instant(text: Any) -> str:
    return str(text)[:16].replace("T", " ") if text else "—"


# ---- settings -----------------------------------------------------------------------------------
class SettingsModel(QAbstractTableModel):
    """Every field of every setting, one row each; the value column is editable.

    A value typed in is kept as the field's type where it reads as one (``shared.settings``);
    ``changed`` holds the settings with edits not yet saved.
    """

    COLUMNS = (
        QT_TRANSLATE_NOOP("AdminModels", "Setting"),
        QT_TRANSLATE_NOOP("AdminModels", "Field"),
        QT_TRANSLATE_NOOP("AdminModels", "Value"),
        QT_TRANSLATE_NOOP("AdminModels", "Default"),
    )
    VALUE = 2

    def __init__(self, label: Callable[[str, str], str], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.label = label
        self.rows: list[tuple[str, str]] = []
        self.values: dict[str, dict[str, Any]] = {}
        self.defaults: dict[str, dict[str, Any]] = {}
        self.meanings: dict[tuple[str, str], str] = {}
        self.changed: set[str] = set()

    def set_settings(self, settings: Sequence[Any]) -> None:
        self.beginResetModel()
        self.rows = [(s.name, f) for s in settings for f in s.fields]
        self.values = {s.name: dict(s.value) for s in settings}
        self.defaults = {s.name: dict(s.default) for s in settings}
        self.meanings = {(s.name, f): text for s in settings for f, text in s.fields.items()}
        self.changed = set()
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802 - Qt API
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802 - Qt API
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802 - Qt API
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal \
                and 0 <= section < len(self.COLUMNS):
            return tr(self.COLUMNS[section])
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        base = super().flags(index)
        if index.isValid() and index.column() == self.VALUE:
            return base | Qt.ItemFlag.ItemIsEditable
        return base

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.rows) \
                or not 0 <= index.column() < len(self.COLUMNS):
            return None
        name, field = self.rows[index.row()]
        c = index.column()
        value = self.values[name].get(field)
        default = self.defaults[name].get(field)
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return (self.label(name, ""), self.label(name, field), value if role == Qt.ItemDataRole.EditRole
                    else str(value), str(default))[c]
        if role == Qt.ItemDataRole.ToolTipRole:
            return self.meanings.get((name, field), "")
        if role == Qt.ItemDataRole.FontRole and c == self.VALUE and value != default:
            from PySide6.QtGui import QFont

            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.ForegroundRole and c == self.VALUE and name in self.changed:
            return QColor("#d29922")
        return None

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:  # noqa: N802
        if role != Qt.ItemDataRole.EditRole or not index.isValid() or index.column() != self.VALUE:
            return False
        name, field = self.rows[index.row()]
        spec = registry.SETTINGS.get(name)
        info = spec.model.model_fields.get(field) if spec else None
        typed = registry.coerce(info.annotation if info else int, str(value).strip())
        if self.values[name].get(field) == typed:
            return False
        self.values[name][field] = typed
        self.changed.add(name)
        self.dataChanged.emit(index, index, [Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole])
        return True
