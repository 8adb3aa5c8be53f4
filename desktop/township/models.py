"""Table models of the sync window: the queue, the last batch summaries and the rejections.

Each model holds a snapshot of plain tuples made by the background worker; the UI thread
never reads the outbox database itself. A new snapshot replaces the rows with a model
reset (the queue changes wholesale after every batch, so finer signals would buy nothing).
"""

from __future__ import annotations

from typing import Any, ClassVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

Index = QModelIndex | QPersistentModelIndex


class _RowsModel(QAbstractTableModel):
    # Source keys of the columns; their translated headers come from ``headers()``.
    KEYS: ClassVar[tuple[str, ...]] = ()

    def __init__(self, parent: Any = None):
        super().__init__(parent)
        self._rows: list[dict[str, Any]] = []

    def headers(self) -> list[str]:
        raise NotImplementedError

    def set_rows(self, rows: list[dict[str, Any]]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def row_data(self, row: int) -> dict[str, Any]:
        return self._rows[row]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802 - Qt's name
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802 - Qt's name
        return 0 if parent.isValid() else len(self.KEYS)

    def headerData(  # noqa: N802 - Qt's name
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            names = self.headers()
            return names[section] if 0 <= section < len(names) else None
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Vertical:
            return section + 1
        return None

    def display(self, key: str, row: dict[str, Any]) -> Any:
        value = row.get(key)
        return "" if value is None else value

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows) or not 0 <= index.column() < len(self.KEYS):
            return None
        row = self._rows[index.row()]
        key = self.KEYS[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self.display(key, row)
        if role == Qt.ItemDataRole.UserRole:  # the raw value, for sorting
            return row.get(key)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self.tooltip(key, row)
        return None

    def tooltip(self, key: str, row: dict[str, Any]) -> Any:
        return None


class QueueModel(_RowsModel):
    """Records waiting for a summary: file, row, case, event, time, state."""

    KEYS = ("file", "row_no", "case_no", "type", "at", "state")

    def headers(self) -> list[str]:
        return [self.tr("File"), self.tr("Row"), self.tr("Case no."), self.tr("Event"), self.tr("Time"),
                self.tr("State")]

    def event_name(self, kind: str | None, typ: str | None) -> str:
        names = {
            "received": self.tr("received"), "accepted": self.tr("accepted"),
            "not_accepted": self.tr("not accepted"), "node_completed": self.tr("node completed"),
            "suspended": self.tr("suspended"), "resumed": self.tr("resumed"), "fee_charged": self.tr("fee charged"),
            "decided": self.tr("decided"), "delivered": self.tr("delivered"), "withdrawn": self.tr("withdrawn"),
        }
        if kind == "evaluation":
            return self.tr("rating")
        if kind == "petition":
            return self.tr("petition")
        return names.get(typ or "", typ or kind or "")

    def display(self, key: str, row: dict[str, Any]) -> Any:
        if key == "type":
            return self.event_name(row.get("kind"), row.get("type"))
        if key == "at":
            return (row.get("at") or "").replace("T", " ")[:16]
        if key == "state":
            if not row.get("batch_id"):
                return self.tr("waiting")
            attempts = row.get("attempts") or 0
            if attempts:
                return self.tr("sending (attempt %n)", "", attempts + 1)
            return self.tr("sending")
        return super().display(key, row)

    def tooltip(self, key: str, row: dict[str, Any]) -> Any:
        if key == "state" and row.get("last_error"):
            return row["last_error"]
        return None


class BatchModel(_RowsModel):
    """The last batch summaries, newest first."""

    KEYS = ("done_at", "batch_id", "status", "count", "imported", "duplicates", "rejected", "watermark")

    def headers(self) -> list[str]:
        return [self.tr("Answered"), self.tr("Batch"), self.tr("Result"), self.tr("Records"), self.tr("Imported"),
                self.tr("Duplicates"), self.tr("Rejected"), self.tr("Watermark")]

    def display(self, key: str, row: dict[str, Any]) -> Any:
        if key == "status":
            return {"ok": self.tr("all accepted"), "partial": self.tr("partly rejected"),
                    "rejected": self.tr("all rejected"), None: self.tr("awaiting answer")}.get(row.get("status"),
                                                                                             row.get("status"))
        if key == "batch_id":
            return (row.get("batch_id") or "")[:8]
        if key in ("done_at", "watermark"):
            return (row.get(key) or "").replace("T", " ")[:16]
        return super().display(key, row)

    def tooltip(self, key: str, row: dict[str, Any]) -> Any:
        return row.get("batch_id") if key == "batch_id" else None


class RejectionModel(_RowsModel):
    """Rejected records with where and why, until fixed and imported again."""

    KEYS = ("file", "row_no", "column_name", "code", "origin", "reason")

    def headers(self) -> list[str]:
        return [self.tr("File"), self.tr("Row"), self.tr("Column"), self.tr("Code"), self.tr("Found by"),
                self.tr("Reason")]

    def display(self, key: str, row: dict[str, Any]) -> Any:
        if key == "origin":
            return self.tr("server") if row.get("origin") == "server" else self.tr("local check")
        if key == "reason" and not row.get("reason"):
            # Rows not worded by the worker (tests, an old snapshot): word them here.
            from desktop.township.reasons import Explainer

            return Explainer(None).explain(row)
        return super().display(key, row)

    def tooltip(self, key: str, row: dict[str, Any]) -> Any:
        from desktop.township.advice import advice

        if key in ("reason", "code"):
            # The advice, and the server's own words for whoever the clerk calls for help.
            return f"{advice(row.get('code'))}\n\n{row.get('code')}: {row.get('message')}"
        return None
