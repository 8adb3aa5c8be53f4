"""Alerts grouped by office or by rule, with counts per severity (Alertmanager-style grouping).

The counts are one ``GROUP BY`` over the replica (``desktop.replica.queries.group_counts``), run
in the background (a million alerts take a moment to count) and swapped in when ready.
Choosing a group narrows the wall.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QBrush

from desktop.console import labels
from desktop.console.labels import QT_TRANSLATE_NOOP
from desktop.replica.queries import Group

Index = QModelIndex | QPersistentModelIndex
GROUP_KEY_ROLE = Qt.ItemDataRole.UserRole + 1
HEADERS = (QT_TRANSLATE_NOOP("Groups", "Group"), QT_TRANSLATE_NOOP("Groups", "Red"),
           QT_TRANSLATE_NOOP("Groups", "Yellow"), QT_TRANSLATE_NOOP("Groups", "Total"))


class GroupModel(QAbstractTableModel):
    """Group rows; ``set_groups`` swaps in a freshly counted list."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.by = "office"
        self._groups: list[tuple[str, str, int, int, int]] = []

    def set_groups(self, by: str, groups: list[Group]) -> None:
        """Show freshly counted groups (``by`` office or rule), labelled in the interface's language."""
        self.beginResetModel()
        self.by = by
        self._groups = [(g.key, g.name if by == "office" else labels.rule_name(g.key, g.rule_zh, g.rule_en),
                         g.red, g.yellow, g.total) for g in groups]
        # Worst first; groups as bad as each other by the name the operator reads.
        self._groups.sort(key=lambda g: (-g[2], -g[3], -g[4], g[1]))
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802 - Qt API
        return 0 if parent.isValid() else len(self._groups)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802 - Qt API
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802 - Qt API
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal \
                and 0 <= section < len(HEADERS):
            if section == 0:
                if self.by == "office":
                    return QCoreApplication.translate("Groups", "Office")
                return QCoreApplication.translate("Groups", "Rule")
            return QCoreApplication.translate("Groups", HEADERS[section])
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._groups):
            return None
        key, label, red, yellow, total = self._groups[index.row()]
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return (label, red, yellow, total)[col]
        if role == Qt.ItemDataRole.TextAlignmentRole and col > 0:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ForegroundRole:
            if col == 1 and red:
                return QBrush(labels.SEVERITY_ACCENT["red"])
            if col == 2 and yellow:
                return QBrush(labels.SEVERITY_ACCENT["yellow"])
        if role == GROUP_KEY_ROLE:
            return key
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{label}: {red} / {yellow} / {total}"
        return None

    def key(self, row: int) -> str | None:
        return self._groups[row][0] if 0 <= row < len(self._groups) else None

    def row_of(self, key: str) -> int | None:
        for i, g in enumerate(self._groups):
            if g[0] == key:
                return i
        return None

