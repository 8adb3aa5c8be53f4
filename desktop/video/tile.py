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

from desktop.console.labels import rule_name
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


class FitLabel(QLabel):
    """A one-line label that, when narrower than its text, shows the text cut at a whole
    character with "…" instead of clipped through a glyph.

    A tile of the 3×3 or 1+5 layout is narrower than its strip's words in English; a plain
    QLabel then cuts the text mid-letter (a right-aligned one shows the end of one word next
    to the start of its neighbour's, "sul ast frame"). ``text()`` stays the whole text (tests,
    the tooltip, accessibility); ``shown_text()`` is what is painted.
    """

    def __init__(self, parent: QWidget | None = None, *, keep_whole: bool = False) -> None:
        super().__init__(parent)
        # keep_whole: never shorter than the text (the case number must be read in full).
        self.keep_whole = keep_whole
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt override
        hint = super().minimumSizeHint()
        if self.keep_whole or not self.text():
            return hint
        # Room for "…" at least, so the layout may shrink the label below its text.
        margins = self.contentsMargins()
        return QSize(self.fontMetrics().horizontalAdvance("…") + margins.left() + margins.right(), hint.height())

    def shown_text(self) -> str:
        """The text as painted in the label's current width."""
        width = self.contentsRect().width()
        text = self.text()
        if self.fontMetrics().horizontalAdvance(text) <= width:
            return text
        return self.fontMetrics().elidedText(text, Qt.TextElideMode.ElideRight, width)

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt override
        painter = QPainter(self)
        rect = self.contentsRect()
        # The colour the style sheet gave (QStyleSheetStyle sets it in the palette).
        painter.setPen(self.palette().color(QPalette.ColorRole.WindowText))
        painter.setFont(self.font())
        painter.drawText(rect, int(self.alignment()), self.shown_text())
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
        self.name_label = FitLabel(self)
        self.place_label = FitLabel(self)
        self.state_label = FitLabel(self)
        self.metrics_label = FitLabel(self)
        # The alert row: the rule's name (shortened if need be) and the case number (whole).
        self.alert_label = FitLabel(self)
        self.alert_case_label = FitLabel(self, keep_whole=True)
        self.alert_row = QWidget(self)
        self.alert_row.setVisible(False)
        self.name_label.setStyleSheet("color: #e6edf3; font-weight: bold;")
        self.place_label.setStyleSheet("color: #8b949e;")
        self.metrics_label.setStyleSheet("color: #8b949e;")
        self.metrics_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.place_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.alert_row.setObjectName("alertRow")
        self.alert_row.setStyleSheet("QWidget#alertRow { background: #b3131b; }"
                                     " QLabel { color: #ffffff; font-weight: bold; }")
        self.alert_case_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        alert_layout = QHBoxLayout(self.alert_row)
        alert_layout.setContentsMargins(4, 1, 4, 1)
        alert_layout.setSpacing(8)
        alert_layout.addWidget(self.alert_label, 1)
        alert_layout.addWidget(self.alert_case_label, 0)

        self.strip = QWidget(self)
        self.strip.setObjectName("strip")
        self.strip.setAutoFillBackground(True)
        palette = self.strip.palette()
        palette.setColor(QPalette.ColorRole.Window, QColor("#161b22"))
        self.strip.setPalette(palette)
        row1 = QHBoxLayout()
        row1.setContentsMargins(0, 0, 0, 0)
        row1.setSpacing(8)
        row1.addWidget(self.name_label, 3)
        row1.addWidget(self.place_label, 2)
        row2 = QHBoxLayout()
        row2.setContentsMargins(0, 0, 0, 0)
        row2.setSpacing(8)
        row2.addWidget(self.state_label, 1)
        row2.addWidget(self.metrics_label, 1)
        strip_layout = QVBoxLayout(self.strip)
        strip_layout.setContentsMargins(6, 2, 6, 3)
        strip_layout.setSpacing(1)
        strip_layout.addLayout(row1)
        strip_layout.addLayout(row2)
        strip_layout.addWidget(self.alert_row)
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
        if self.alert_row.isVisible() or self.alerts:
            lines.append(f"{self.alert_label.text()}  {self.alert_case_label.text()}".rstrip())
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
            # The rule's name in the operator's language, never its code (SKIPPED_NODE).
            text = self.tr("RED ALERT {rule}").format(rule=rule_name(alert.rule, alert.rule_zh, alert.rule_en))
            if len(self.alerts) > 1:
                text += " · " + self.tr("+{n} more").format(n=len(self.alerts) - 1)
            case = self.tr("case {case}").format(case=alert.case_no) if alert.case_no else ""
            self.alert_label.setText(text)
            self.alert_case_label.setText(case)
            self.alert_case_label.setVisible(bool(case))
            self.alert_row.setToolTip("\n".join(t for t in (text, case, alert.message) if t))
        self.alert_row.setVisible(bool(self.alerts))
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
