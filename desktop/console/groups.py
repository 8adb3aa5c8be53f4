"""Alerts grouped by office or by rule, with counts per severity (Alertmanager-style grouping).

The counts are one ``GROUP BY`` over the replica, run in the background (a million alerts
take a moment to count) and swapped in when ready. Choosing a group narrows the wall.
"""

from __future__ import annotations

import sqlite3
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
from desktop.console.wall_model import AlertFilter

Index = QModelIndex | QPersistentModelIndex
GROUP_KEY_ROLE = Qt.ItemDataRole.UserRole + 1
HEADERS = (QT_TRANSLATE_NOOP("Groups", "Group"), QT_TRANSLATE_NOOP("Groups", "Red"),
           QT_TRANSLATE_NOOP("Groups", "Yellow"), QT_TRANSLATE_NOOP("Groups", "Total"))


def group_counts(conn: sqlite3.Connection, by: str, flt: AlertFilter) -> list[tuple[str, str, int, int, int]]:
    """(key, label, red, yellow, total) per group, worst first. ``by`` is ``office`` or ``rule``."""
    column = {"office": "office", "rule": "rule"}[by]
    # The group's own dimension is not filtered, or choosing one group would hide the others.
    flt = flt.with_(offices=frozenset()) if by == "office" else flt.with_(rules=frozenset())
    where, args = flt.where()
    sql = (
        f"SELECT {column}, SUM(severity = 'red'), SUM(severity = 'yellow'), COUNT(*),"  # noqa: S608 - constant column
        f" MAX(rule_zh), MAX(rule_en) FROM alerts{where} GROUP BY {column}"
    )
    names: dict[str, str] = {}
    if by == "office":
        names = {str(r[0]): str(r[1] or r[0]) for r in conn.execute("SELECT code, name FROM offices")}
    out = []
    for key, red, yellow, total, zh, en in conn.execute(sql, args):
        label = names.get(key, key) if by == "office" else labels.rule_name(key, zh, en)
        out.append((str(key), label, int(red or 0), int(yellow or 0), int(total)))
    out.sort(key=lambda g: (-g[2], -g[3], -g[4], g[1]))
    return out


class GroupModel(QAbstractTableModel):
    """Group rows; ``set_groups`` swaps in a freshly counted list."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.by = "office"
        self._groups: list[tuple[str, str, int, int, int]] = []

    def set_groups(self, by: str, groups: list[tuple[str, str, int, int, int]]) -> None:
        self.beginResetModel()
        self.by = by
        self._groups = list(groups)
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

