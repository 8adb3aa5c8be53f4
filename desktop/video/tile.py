"""A wall tile: the video surface libvlc draws into, and the status strip under it.

libvlc owns the pixels of the surface's native window, so nothing can be drawn over the
picture; everything the operator must read (camera, office/window, state, fps, age of the
last picture, the red alert) lives in the strip below it, and the alert frame is drawn in the
tile's margin around both.
"""

from __future__ import annotations

from concurrent.futures import Future
from typing import Any

from PySide6.QtCore import QCoreApplication, QMimeData, QPoint, QRect, QSize, Qt, Signal, Slot
from PySide6.QtGui import (
    QColor,
    QContextMenuEvent,
    QDrag,
    QDragEnterEvent,
    QDragMoveEvent,
    QDropEvent,
    QFont,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPalette,
    QPen,
)
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSizePolicy, QVBoxLayout, QWidget

from desktop.video import engine
from desktop.video.model import ActiveAlert, Camera
from desktop.video.player import ReconnectPolicy, StreamPlayer, TileState

CAMERA_MIME = "application/x-yingyan-camera"
TILE_MIME = "application/x-yingyan-tile"

STATE_COLOURS = {
    TileState.IDLE: "#6e7681",
    TileState.CONNECTING: "#d29922",
    TileState.PLAYING: "#3fb950",
    TileState.STALLED: "#f0883e",
    TileState.OFFLINE: "#f85149",
    TileState.UNSUPPORTED: "#a371f7",
}

FRAME_NORMAL = QColor("#2d333b")
FRAME_SELECTED = QColor("#388bfd")
FRAME_ALERT = QColor("#e5242b")
BORDER = 3


def state_label(state: TileState) -> str:
    """The state as the operator reads it (translated)."""
    labels = {
        TileState.IDLE: QCoreApplication.translate("TileState", "no camera"),
        TileState.CONNECTING: QCoreApplication.translate("TileState", "connecting"),
        TileState.PLAYING: QCoreApplication.translate("TileState", "playing"),
        TileState.STALLED: QCoreApplication.translate("TileState", "stalled"),
        TileState.OFFLINE: QCoreApplication.translate("TileState", "offline"),
        TileState.UNSUPPORTED: QCoreApplication.translate("TileState", "unsupported"),
    }
    return labels[state]


class VideoSurface(QWidget):
    """The native window libvlc draws into; paints a message when no picture is there."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        # A native child window of its own: libvlc needs a window id it can draw in.
        self.setAttribute(Qt.WidgetAttribute.WA_NativeWindow)
        self.setAttribute(Qt.WidgetAttribute.WA_DontCreateNativeAncestors)
        self.setAutoFillBackground(True)
        palette = self.palette()
        palette.setColor(QPalette.ColorRole.Window, QColor("#000000"))
        self.setPalette(palette)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(QSize(64, 36))
        self.message = ""

    def set_message(self, text: str) -> None:
        if text != self.message:
            self.message = text
            self.update()

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt override
        painter = QPainter(self)
        painter.fillRect(self.rect(), QColor("#000000"))
        if self.message:
            painter.setPen(QColor("#8b949e"))
            font = QFont(self.font())
            font.setPointSizeF(max(8.0, min(14.0, self.height() / 18)))
            painter.setFont(font)
            painter.drawText(self.rect().adjusted(12, 8, -12, -8),
                             int(Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap), self.message)
        painter.end()


class Tile(QWidget):
    """One cell of the wall."""

    double_clicked = Signal(int)
    clicked = Signal(int)
    # (target tile, camera id) — a camera dragged from the list
    camera_dropped = Signal(int, str)
    # (source tile, target tile) — a tile dragged onto another
    tile_dropped = Signal(int, int)
    state_changed = Signal(int, str)
    # (tile, global position) — the operator asked for the tile's menu
    menu_requested = Signal(int, QPoint)

    def __init__(
        self, index: int, policy: ReconnectPolicy | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.index = index
        self.camera: Camera | None = None
        self.main_stream = False
        self.alerts: list[ActiveAlert] = []
        self.selected = False
        self._press_pos: QPoint | None = None
        self.setAcceptDrops(True)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Ignored)

        self.surface = VideoSurface(self)
        self.name_label = QLabel(self)
        self.place_label = QLabel(self)
        self.state_label = QLabel(self)
        self.metrics_label = QLabel(self)
        self.alert_label = QLabel(self)
        self.alert_label.setVisible(False)
        labels = (self.name_label, self.place_label, self.state_label, self.metrics_label, self.alert_label)
        for label in labels:
            label.setTextFormat(Qt.TextFormat.PlainText)
            label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.name_label.setStyleSheet("color: #e6edf3; font-weight: bold;")
        self.place_label.setStyleSheet("color: #8b949e;")
        self.metrics_label.setStyleSheet("color: #8b949e;")
        self.metrics_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.place_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.alert_label.setStyleSheet(
            "color: #ffffff; background: #b3131b; font-weight: bold; padding: 1px 4px;"
        )

        self.strip = QWidget(self)
        self.strip.setObjectName("strip")
        self.strip.setAutoFillBackground(True)
        palette = self.strip.palette()
        palette.setColor(QPalette.ColorRole.Window, QColor("#161b22"))
        self.strip.setPalette(palette)
        row1 = QHBoxLayout()
        row1.setContentsMargins(0, 0, 0, 0)
        row1.addWidget(self.name_label, 3)
        row1.addWidget(self.place_label, 2)
        row2 = QHBoxLayout()
        row2.setContentsMargins(0, 0, 0, 0)
        row2.addWidget(self.state_label, 1)
        row2.addWidget(self.metrics_label, 1)
        strip_layout = QVBoxLayout(self.strip)
        strip_layout.setContentsMargins(6, 2, 6, 3)
        strip_layout.setSpacing(1)
        strip_layout.addLayout(row1)
        strip_layout.addLayout(row2)
        strip_layout.addWidget(self.alert_label)
        self.strip.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)

        outer = QVBoxLayout(self)
        outer.setContentsMargins(BORDER, BORDER, BORDER, BORDER)
        outer.setSpacing(0)
        outer.addWidget(self.surface, 1)
        outer.addWidget(self.strip, 0)

        self.player = StreamPlayer(policy, parent=self)
        self.player.set_window(int(self.surface.winId()))
        self.player.state_changed.connect(self._on_state)
        self.player.stats_updated.connect(self._refresh_metrics)
        self.refresh()

    # ----------------------------------------------------------------- API
    @property
    def state(self) -> TileState:
        return self.player.state

    def set_camera(self, camera: Camera | None, main_stream: bool | None = None) -> None:
        """Show ``camera`` (None: empty tile); ``main_stream`` picks the main or sub stream."""
        if main_stream is not None:
            self.main_stream = main_stream
        self.camera = camera
        if camera is None or not camera.enabled:
            self.player.play(None)
        else:
            options = () if self.main_stream else engine.SUB_STREAM_OPTIONS
            self.player.play(camera.stream_url(self.main_stream), options)
        self.refresh()

    def set_main_stream(self, main: bool) -> None:
        if main != self.main_stream:
            self.set_camera(self.camera, main)

    def set_alerts(self, alerts: list[ActiveAlert]) -> None:
        if alerts != self.alerts:
            self.alerts = alerts
            self.refresh()
            self.update()

    def set_selected(self, selected: bool) -> None:
        if selected != self.selected:
            self.selected = selected
            self.update()

    @property
    def has_alert(self) -> bool:
        return bool(self.alerts)

    def strip_text(self) -> str:
        """Everything the strip says, one line per row (for tests and accessibility)."""
        lines = [f"{self.name_label.text()}  {self.place_label.text()}",
                 f"{self.state_label.text()}  {self.metrics_label.text()}"]
        if self.alert_label.isVisible() or self.alerts:
            lines.append(self.alert_label.text())
        return "\n".join(lines)

    # ----------------------------------------------------------------- display
    def refresh(self) -> None:
        cam = self.camera
        if cam is None:
            self.name_label.setText(self.tr("Empty tile"))
            self.place_label.setText("")
        else:
            self.name_label.setText(cam.name)
            self.place_label.setText(cam.place)
        state = self.player.state
        stream = self.tr("main") if self.main_stream else self.tr("sub")
        self.state_label.setText(f"● {state_label(state)}" + (f" · {stream}" if cam is not None else ""))
        self.state_label.setStyleSheet(f"color: {STATE_COLOURS[state]}; font-weight: bold;")
        if self.alerts:
            alert = self.alerts[0]
            text = self.tr("RED ALERT {rule}").format(rule=alert.rule)
            if alert.case_no:
                text += " · " + self.tr("case {case}").format(case=alert.case_no)
            if len(self.alerts) > 1:
                text += " · " + self.tr("+{n} more").format(n=len(self.alerts) - 1)
            self.alert_label.setText(text)
            self.alert_label.setToolTip(alert.message)
        self.alert_label.setVisible(bool(self.alerts))
        if cam is None:
            self.surface.set_message(self.tr("Drag a camera here"))
        elif not cam.enabled:
            self.surface.set_message(self.tr("Camera disabled"))
        elif state == TileState.UNSUPPORTED:
            self.surface.set_message(self.tr(
                "This VLC has no RTSP client (live555). Install the full VLC build with RTSP "
                "support, or configure an HTTP or RTP stream for this camera."))
        elif state == TileState.OFFLINE:
            self.surface.set_message(self.tr("No signal, reconnecting…"))
        else:
            self.surface.set_message("")
        self._refresh_metrics()

    @Slot()
    def _refresh_metrics(self) -> None:
        state = self.player.state
        age = self.player.seconds_since_frame()
        if self.camera is None or state in (TileState.IDLE, TileState.UNSUPPORTED):
            text = ""
        else:
            # Whole numbers: the strip then changes only when something changed, and the X
            # server, shared with every video output, is not asked to repaint 32 strips a second.
            parts = [self.tr("{fps:.0f} fps").format(fps=self.player.fps)]
            parts.append(self.tr("last frame {age:.0f} s ago").format(age=age) if age is not None
                         else self.tr("no frame yet"))
            text = "  ".join(parts)
        if text != self.metrics_label.text():
            self.metrics_label.setText(text)

    @Slot(str)
    def _on_state(self, state: str) -> None:
        self.refresh()
        self.state_changed.emit(self.index, state)

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt override
        painter = QPainter(self)
        painter.fillRect(self.rect(), QColor("#0d1117"))
        colour = FRAME_ALERT if self.alerts else FRAME_SELECTED if self.selected else FRAME_NORMAL
        width = BORDER if (self.alerts or self.selected) else 1
        pen = QPen(colour, width)
        pen.setJoinStyle(Qt.PenJoinStyle.MiterJoin)
        painter.setPen(pen)
        inset = width // 2
        painter.drawRect(QRect(self.rect()).adjusted(inset, inset, -inset - width % 2, -inset - width % 2))
        painter.end()

    # ----------------------------------------------------------------- mouse and drops
    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt override
        if event.button() == Qt.MouseButton.LeftButton:
            self._press_pos = event.position().toPoint()
            self.clicked.emit(self.index)
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt override
        if (
            self._press_pos is not None
            and self.camera is not None
            and (event.position().toPoint() - self._press_pos).manhattanLength() > 12
        ):
            self._press_pos = None
            mime = QMimeData()
            mime.setData(CAMERA_MIME, self.camera.id.encode())
            mime.setData(TILE_MIME, str(self.index).encode())
            drag = QDrag(self)
            drag.setMimeData(mime)
            drag.exec(Qt.DropAction.MoveAction)
            return
        super().mouseMoveEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt override
        self._press_pos = None
        super().mouseReleaseEvent(event)

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt override
        if event.button() == Qt.MouseButton.LeftButton:
            self.double_clicked.emit(self.index)
            event.accept()
            return
        super().mouseDoubleClickEvent(event)

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:  # noqa: N802 - Qt override
        self.menu_requested.emit(self.index, event.globalPos())
        event.accept()

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802 - Qt override
        if event.mimeData().hasFormat(CAMERA_MIME):
            event.acceptProposedAction()

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:  # noqa: N802 - Qt override
        if event.mimeData().hasFormat(CAMERA_MIME):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802 - Qt override
        mime = event.mimeData()
        if mime.hasFormat(TILE_MIME):
            source = int(bytes(mime.data(TILE_MIME).data()).decode())
            if source != self.index:
                self.tile_dropped.emit(source, self.index)
            event.acceptProposedAction()
        elif mime.hasFormat(CAMERA_MIME):
            self.camera_dropped.emit(self.index, bytes(mime.data(CAMERA_MIME).data()).decode())
            event.acceptProposedAction()

    def close_player(self, wait: float | None = 5.0) -> Future[Any] | None:
        return self.player.close(wait)
