"""The camera list beside the wall: a table model with live tile states, dragged onto tiles."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QMimeData,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QColor

from desktop.video.model import Camera
from desktop.video.player import TileState
from desktop.video.tile import CAMERA_MIME, STATE_COLOURS, state_label

CAMERA_ID_ROLE = Qt.ItemDataRole.UserRole + 1

_Index = QModelIndex | QPersistentModelIndex


class CameraListModel(QAbstractTableModel):
    NAME, PLACE, STATE = range(3)

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._cameras: list[Camera] = []
        self._states: dict[str, TileState] = {}

    def set_cameras(self, cameras: list[Camera]) -> None:
        self.beginResetModel()
        self._cameras = list(cameras)
        self._states = {k: v for k, v in self._states.items() if any(c.id == k for c in cameras)}
        self.endResetModel()

    def camera_at(self, row: int) -> Camera:
        return self._cameras[row]

    def set_state(self, camera_id: str, state: TileState | None) -> None:
        if state is None:
            self._states.pop(camera_id, None)
        else:
            self._states[camera_id] = state
        for row, cam in enumerate(self._cameras):
            if cam.id == camera_id:
                idx = self.index(row, self.STATE)
                self.dataChanged.emit(idx, idx, [Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ForegroundRole])

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: N802 - Qt API
        return 0 if parent.isValid() else len(self._cameras)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: N802 - Qt API
        return 0 if parent.isValid() else 3

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802 - Qt API
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        headers = (
            QCoreApplication.translate("CameraListModel", "Camera"),
            QCoreApplication.translate("CameraListModel", "Office / window"),
            QCoreApplication.translate("CameraListModel", "State"),
        )
        return headers[section] if 0 <= section < len(headers) else None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._cameras):
            return None
        cam = self._cameras[index.row()]
        col = index.column()
        state = self._states.get(cam.id)
        if role == Qt.ItemDataRole.DisplayRole:
            if col == self.NAME:
                return cam.name
            if col == self.PLACE:
                return cam.place
            if col == self.STATE:
                if not cam.enabled:
                    return QCoreApplication.translate("CameraListModel", "disabled")
                if state is None:
                    return QCoreApplication.translate("CameraListModel", "not shown")
                return state_label(state)
        if role == Qt.ItemDataRole.ForegroundRole and col == self.STATE and state is not None:
            return QColor(STATE_COLOURS[state])
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{cam.name}\n{cam.place}\n{cam.id}"
        if role == CAMERA_ID_ROLE:
            return cam.id
        return None

    def flags(self, index: _Index) -> Qt.ItemFlag:
        base = super().flags(index)
        if index.isValid():
            return base | Qt.ItemFlag.ItemIsDragEnabled
        return base

    def mimeTypes(self) -> list[str]:  # noqa: N802 - Qt API
        return [CAMERA_MIME]

    def mimeData(self, indexes: list[QModelIndex]) -> QMimeData:  # type: ignore[override]  # noqa: N802
        mime = QMimeData()
        rows = sorted({i.row() for i in indexes if i.isValid()})
        if rows:
            mime.setData(CAMERA_MIME, self._cameras[rows[0]].id.encode())
        return mime

    def supportedDragActions(self) -> Qt.DropAction:  # noqa: N802 - Qt API
        return Qt.DropAction.CopyAction
