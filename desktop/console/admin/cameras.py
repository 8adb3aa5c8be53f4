"""Cameras of service-hall windows: list, add or change, remove, and a live preview tile."""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from desktop.admin.client import AdminApi
from desktop.common.tasks import BackgroundTasks
from desktop.console.admin.common import AdminTab, button_row, confirm
from desktop.console.labels import QT_TRANSLATE_NOOP, fmt
from desktop.console.records import RECORD_ROLE, Column, RecordTableModel, record_table

log = logging.getLogger(__name__)


def _redacted(url: str | None) -> str:
    from desktop.video.model import redact_url

    return redact_url(url) if url else ""


COLUMNS = [
    Column(QT_TRANSLATE_NOOP("AdminCameras", "Camera"), lambda c: c["id"]),
    Column(QT_TRANSLATE_NOOP("AdminCameras", "Name"), lambda c: c["name"]),
    Column(QT_TRANSLATE_NOOP("AdminCameras", "Office"), lambda c: c.get("office") or ""),
    Column(QT_TRANSLATE_NOOP("AdminCameras", "Window"), lambda c: c.get("window") or ""),
    Column(QT_TRANSLATE_NOOP("AdminCameras", "Main stream"), lambda c: _redacted(c.get("main_url"))),
    Column(QT_TRANSLATE_NOOP("AdminCameras", "Enabled"), lambda c: "✓" if c.get("enabled") else "✗"),
]


class CameraDialog(QDialog):
    def __init__(self, camera: dict[str, Any] | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("camera_dialog")
        self.setWindowTitle(self.tr("Change the camera") if camera else self.tr("Add a camera"))
        c = camera or {}
        form = QFormLayout(self)
        self.camera_id = QLineEdit(str(c.get("id") or ""), self)
        self.camera_id.setReadOnly(camera is not None)
        self.name = QLineEdit(str(c.get("name") or ""), self)
        self.office = QLineEdit(str(c.get("office") or ""), self)
        self.window_name = QLineEdit(str(c.get("window") or ""), self)
        self.main_url = QLineEdit(str(c.get("main_url") or ""), self)
        self.main_url.setPlaceholderText("rtsp://…")
        self.sub_url = QLineEdit(str(c.get("sub_url") or ""), self)
        self.enabled = QCheckBox(self.tr("Shown on the wall"), self)
        self.enabled.setChecked(bool(c.get("enabled", True)))
        for label, field in ((self.tr("Camera id"), self.camera_id), (self.tr("Name"), self.name),
                             (self.tr("Office"), self.office), (self.tr("Window"), self.window_name),
                             (self.tr("Main stream URL"), self.main_url), (self.tr("Sub stream URL"), self.sub_url)):
            form.addRow(label, field)
        form.addRow(self.enabled)
        self.problem = QLabel(self)
        self.problem.setStyleSheet("color: #f85149;")
        form.addRow(self.problem)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.accepted.connect(self._check)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def body(self) -> dict[str, Any]:
        def text(field: QLineEdit) -> str | None:
            return field.text().strip() or None

        return {"name": self.name.text().strip(), "office": text(self.office), "window": text(self.window_name),
                "main_url": self.main_url.text().strip(), "sub_url": text(self.sub_url),
                "enabled": self.enabled.isChecked()}

    def _check(self) -> None:
        if not self.camera_id.text().strip() or not self.name.text().strip() or not self.main_url.text().strip():
            self.problem.setText(self.tr("Give the camera's id, name and main stream URL."))
        else:
            self.accept()


class CamerasTab(AdminTab):
    def __init__(self, api: AdminApi, tasks: BackgroundTasks, parent: QWidget | None = None) -> None:
        super().__init__(api, tasks, parent)
        self.cameras: list[dict[str, Any]] = []
        self.dialog: QDialog | None = None
        self.tile: Any = None
        self.model = RecordTableModel(COLUMNS, "AdminCameras", self)
        self.table = record_table(self.model, self, name="cameras_table", single=True)
        self.proxy = self.table.model()
        self.preview_host = QWidget(self)
        self.preview_layout = QVBoxLayout(self.preview_host)
        self.preview_note = QLabel(self.tr("Select a camera to preview it"), self.preview_host)
        self.preview_note.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.preview_note.setWordWrap(True)
        self.preview_layout.addWidget(self.preview_note)
        split = QSplitter(Qt.Orientation.Horizontal, self)
        split.addWidget(self.table)
        split.addWidget(self.preview_host)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        self.add_button = QPushButton(self.tr("Add a camera…"), self)
        self.edit_button = QPushButton(self.tr("Change…"), self)
        self.remove_button = QPushButton(self.tr("Remove"), self)
        self.add_button.clicked.connect(lambda: self.open_dialog(None))
        self.edit_button.clicked.connect(lambda: self.open_dialog(self.selected()))
        self.remove_button.clicked.connect(self.ask_remove)
        layout = QVBoxLayout(self)
        layout.addLayout(button_row(self, self.add_button, self.edit_button, self.remove_button))
        layout.addWidget(split, 1)
        layout.addWidget(self.status)
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._selection_changed())
        self._selection_changed()

    def refresh(self) -> None:
        self.call(self.api.cameras, self._show, label="cameras")

    def _show(self, cameras: list[dict[str, Any]]) -> None:
        self.cameras = cameras
        self.model.set_records(cameras)
        self.table.resizeColumnsToContents()
        self.say(fmt(self.tr("%1 cameras"), len(cameras)))
        self._selection_changed()

    def selected(self) -> dict[str, Any] | None:
        index = self.table.currentIndex()
        rec = self.proxy.data(index, RECORD_ROLE) if index.isValid() else None
        return rec if isinstance(rec, dict) else None

    def _selection_changed(self) -> None:
        cam = self.selected()
        self.edit_button.setEnabled(cam is not None)
        self.remove_button.setEnabled(cam is not None)
        self.preview(cam)

    def preview(self, cam: dict[str, Any] | None) -> None:
        """Play the selected camera's sub stream in a wall tile (libvlc loaded only now)."""
        if cam is None or not self.isVisible():
            if self.tile is not None:
                self.tile.set_camera(None)
            return
        if self.tile is None:
            try:
                from desktop.video.tile import Tile
            except Exception as exc:  # libvlc missing or broken: the list still works
                log.warning("camera preview unavailable: %s", exc)
                self.preview_note.setText(fmt(self.tr("Preview not available: %1"), str(exc)))
                return
            self.tile = Tile(0, parent=self.preview_host)
            self.tile.setObjectName("camera_preview")
            self.preview_layout.addWidget(self.tile, 1)
            self.preview_note.hide()
        from desktop.video.model import Camera

        self.tile.set_camera(Camera(id=str(cam["id"]), name=str(cam["name"]), office=str(cam.get("office") or ""),
                                    window=str(cam.get("window") or ""), main_url=str(cam["main_url"]),
                                    sub_url=cam.get("sub_url"), enabled=bool(cam.get("enabled", True))))

    def open_dialog(self, camera: dict[str, Any] | None) -> CameraDialog:
        dialog = CameraDialog(camera, self)
        api = self.api

        def send() -> None:
            cam_id, body = dialog.camera_id.text().strip(), dialog.body()
            self.call(lambda: api.put_camera(cam_id, body),
                      lambda c: self._changed(fmt(self.tr("Camera %1 saved"), c["id"])), label="save camera")

        dialog.accepted.connect(send)
        self.dialog = dialog
        dialog.open()
        return dialog

    def ask_remove(self) -> None:
        cam = self.selected()
        if cam is None:
            return
        api = self.api
        confirm(self, self.tr("Remove camera"), fmt(self.tr("Remove camera %1 (%2) from every wall?"), cam["id"],
                                                    cam["name"]),
                lambda: self.call(lambda: api.delete_camera(str(cam["id"])),
                                  lambda _r: self._changed(fmt(self.tr("Camera %1 removed"), cam["id"])),
                                  label="remove camera"))

    def _changed(self, text: str) -> None:
        self.say(text)
        self.changed.emit()
        self.refresh()

    def shutdown(self) -> None:
        if self.tile is not None:
            self.tile.close_player()
