"""The standalone wall window (``yingyan wall``): the wall, a camera list to drag from, views and tours.

Meant for the monitoring centre's big screen: it opens full screen on the chosen screen and
remembers where it was (QSettings) for the next start.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QByteArray, QSettings, QSortFilterProxyModel, Qt, Slot
from PySide6.QtGui import QAction, QCloseEvent, QGuiApplication, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDockWidget,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMainWindow,
    QTableView,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from desktop.common.docks import keep_docks_usable
from desktop.video.camera_list import CAMERA_ID_ROLE, CameraListModel
from desktop.video.evidence import EvidenceRecord
from desktop.video.layouts import PRESETS, LayoutStore
from desktop.video.model import ActiveAlert, Camera
from desktop.video.player import ReconnectPolicy, TileState
from desktop.video.wall import WALL_TOUR, VideoWall

VIEW_PREFIX = "view:"

# Dark chrome like the VMS clients operators know: the picture stays the brightest thing.
DARK_STYLE = """
QMainWindow, QDockWidget, QToolBar, QStatusBar { background: #0d1117; color: #c9d1d9; }
QDockWidget { titlebar-close-icon: none; }
QDockWidget::title { background: #161b22; padding: 4px 6px; }
QToolBar { border: none; spacing: 4px; padding: 3px; }
QToolButton { color: #c9d1d9; padding: 3px 10px; border-radius: 3px; }
QToolButton:checked { background: #1f6feb; color: #ffffff; }
QToolButton:hover { background: #21262d; }
QToolBar QLabel, QStatusBar QLabel { color: #c9d1d9; }
QLineEdit, QComboBox { background: #161b22; color: #c9d1d9; border: 1px solid #30363d; padding: 3px 6px; }
QComboBox QAbstractItemView { background: #161b22; color: #c9d1d9; selection-background-color: #1f6feb; }
QTableView { background: #0d1117; alternate-background-color: #11161d; color: #c9d1d9;
             gridline-color: #21262d; selection-background-color: #1f6feb; border: none; }
QHeaderView::section { background: #161b22; color: #8b949e; border: none; padding: 4px; }
"""


class WallWindow(QMainWindow):
    def __init__(
        self,
        *,
        settings: QSettings | None = None,
        store: LayoutStore | None = None,
        operator: str = "",
        evidence_dir: str | None = None,
        policy: ReconnectPolicy | None = None,
        tour_seconds: float = 10.0,
    ) -> None:
        super().__init__()
        self.settings = settings or QSettings("Yingyan", "VideoWall")
        self.store = store or LayoutStore()
        self.operator = operator
        self.tour_seconds = tour_seconds
        self.setWindowTitle(self.tr("Yingyan video wall"))
        self.setStyleSheet(DARK_STYLE)
        self.wall = VideoWall(self, policy=policy, evidence_dir=evidence_dir)
        self.setCentralWidget(self.wall)

        self.model = CameraListModel(self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.proxy.setFilterKeyColumn(-1)
        self.filter_edit = QLineEdit()
        self.filter_edit.setPlaceholderText(self.tr("Filter cameras, offices, windows…"))
        self.filter_edit.textChanged.connect(self.proxy.setFilterFixedString)
        self.camera_view = QTableView()
        self.camera_view.setModel(self.proxy)
        self.camera_view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.camera_view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.camera_view.setDragEnabled(True)
        self.camera_view.setDragDropMode(QAbstractItemView.DragDropMode.DragOnly)
        self.camera_view.verticalHeader().hide()
        self.camera_view.setAlternatingRowColors(True)
        self.camera_view.setShowGrid(False)
        header = self.camera_view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(CameraListModel.NAME, QHeaderView.ResizeMode.Stretch)
        self.camera_view.doubleClicked.connect(self._show_from_list)
        panel = QWidget()
        panel.setMinimumWidth(340)
        box = QVBoxLayout(panel)
        box.setContentsMargins(4, 4, 4, 4)
        box.addWidget(self.filter_edit)
        box.addWidget(self.camera_view)
        self.dock = QDockWidget(self.tr("Cameras"), self)
        self.dock.setObjectName("cameras")
        self.dock.setWidget(panel)
        self.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, self.dock)

        self.toolbar = QToolBar(self.tr("Wall"), self)
        self.toolbar.setObjectName("wall-toolbar")
        self.addToolBar(self.toolbar)
        self.layout_box = QComboBox()
        self.layout_box.setMinimumContentsLength(10)
        self.toolbar.addWidget(QLabel(self.tr("Layout") + " "))
        self.toolbar.addWidget(self.layout_box)
        self.layout_box.activated.connect(self._on_layout_chosen)
        self.save_action = QAction(self.tr("Save view…"), self)
        self.save_action.triggered.connect(self._save_view_dialog)
        self.tour_action = QAction(self.tr("Tour"), self)
        self.tour_action.setCheckable(True)
        self.tour_action.toggled.connect(self._toggle_tour)
        self.snapshot_action = QAction(self.tr("Snapshot as evidence"), self)
        self.snapshot_action.setShortcut(QKeySequence("Ctrl+S"))
        self.snapshot_action.triggered.connect(self._snapshot_selected)
        self.fullscreen_action = QAction(self.tr("Full screen"), self)
        self.fullscreen_action.setShortcut(QKeySequence(Qt.Key.Key_F11))
        self.fullscreen_action.setCheckable(True)
        self.fullscreen_action.toggled.connect(self.set_full_screen)
        self.list_action = self.dock.toggleViewAction()
        self.list_action.setShortcut(QKeySequence(Qt.Key.Key_F9))
        for action in (self.save_action, self.tour_action, self.snapshot_action, self.fullscreen_action,
                       self.list_action):
            self.toolbar.addAction(action)
            self.addAction(action)  # shortcuts keep working with the toolbar hidden

        self.status_label = QLabel()
        self.statusBar().addPermanentWidget(self.status_label)
        self.statusBar().setStyleSheet("color: #c9d1d9;")
        self.wall.tile_state_changed.connect(self._on_tile_state)
        self.wall.assignments_changed.connect(self._sync_states)
        self.wall.evidence_saved.connect(self._on_evidence)
        self.wall.evidence_failed.connect(lambda msg: self.statusBar().showMessage(msg, 10000))
        self.wall.layout_changed.connect(self._on_layout_changed)
        self.reload_layouts()
        self._update_status()

    # ----------------------------------------------------------------- data in
    def set_cameras(self, cameras: Sequence[Camera]) -> None:
        self.model.set_cameras(list(cameras))
        self.wall.set_cameras(cameras)
        self._sync_states()

    def set_active_alerts(self, alerts: Sequence[ActiveAlert]) -> None:
        self.wall.set_active_alerts(alerts)
        self._update_status()

    # ----------------------------------------------------------------- layouts and views
    def reload_layouts(self) -> None:
        self.layout_box.clear()
        for name in PRESETS:
            self.layout_box.addItem(name.replace("x", "×"), name)
        names = self.store.names()
        if names:
            self.layout_box.insertSeparator(self.layout_box.count())
            for name in names:
                self.layout_box.addItem(self.tr("View: {name}").format(name=name), VIEW_PREFIX + name)
        self._on_layout_changed(self.wall.layout_spec().name)

    def apply_layout_or_view(self, name: str) -> bool:
        """A preset layout or a saved view by name; False if there is no such thing."""
        view = self.store.get(name)
        if view is not None:
            self.wall.apply_view(view)
            self.tour_action.setChecked(bool(view.tour))
            return True
        try:
            self.wall.set_wall_layout(name)
        except ValueError:
            return False
        return True

    @Slot(int)
    def _on_layout_chosen(self, row: int) -> None:
        data = str(self.layout_box.itemData(row) or "")
        self.apply_layout_or_view(data.removeprefix(VIEW_PREFIX))
        self.settings.setValue("last_layout", data.removeprefix(VIEW_PREFIX))

    @Slot(str)
    def _on_layout_changed(self, name: str) -> None:
        row = self.layout_box.findData(name)
        if row >= 0:
            self.layout_box.setCurrentIndex(row)

    @Slot()
    def _save_view_dialog(self) -> None:
        name, ok = QInputDialog.getText(self, self.tr("Save view"), self.tr("Name of this view:"))
        if ok and name.strip():
            self.store.save(self.wall.current_view(name.strip()))
            self.settings.setValue("last_layout", name.strip())
            self.reload_layouts()
            self.statusBar().showMessage(self.tr("View saved: {name}").format(name=name.strip()), 5000)

    # ----------------------------------------------------------------- tours, evidence, list
    @Slot(bool)
    def _toggle_tour(self, on: bool) -> None:
        if on:
            ids = [c.id for c in self.wall.cameras() if c.enabled]
            if ids and WALL_TOUR not in self.wall.tours():
                self.wall.start_tour(ids, self.tour_seconds)
        else:
            self.wall.stop_tour(WALL_TOUR)

    @Slot()
    def _snapshot_selected(self) -> None:
        index = self.wall.selected if self.wall.selected is not None else 0
        self.wall.snapshot_tile(index, operator=self.operator)

    @Slot(object)
    def _on_evidence(self, record: EvidenceRecord) -> None:
        self.statusBar().showMessage(self.wall.evidence_message(record), 30000)

    def _show_from_list(self, proxy_index: object) -> None:
        camera_id = self.proxy.data(proxy_index, CAMERA_ID_ROLE)  # type: ignore[arg-type]
        if camera_id:
            self.wall.show_camera(str(camera_id))

    # ----------------------------------------------------------------- status
    def _sync_states(self) -> None:
        shown = {t.camera.id: t.state for t in self.wall.tiles() if t.camera is not None}
        for row in range(self.model.rowCount()):
            cam = self.model.camera_at(row)
            self.model.set_state(cam.id, shown.get(cam.id))
        self._update_status()

    @Slot(int, str)
    def _on_tile_state(self, index: int, state: str) -> None:
        tile = self.wall.tile(index) if index < len(self.wall.tiles()) else None
        if tile is not None and tile.camera is not None:
            self.model.set_state(tile.camera.id, TileState(state))
        self._update_status()

    def _update_status(self) -> None:
        tiles = [t for t in self.wall.tiles() if t.camera is not None]
        playing = sum(t.state == TileState.PLAYING for t in tiles)
        offline = sum(t.state in (TileState.OFFLINE, TileState.STALLED) for t in tiles)
        alerts = len(self.wall.alerted_tiles())
        self.status_label.setText(
            self.tr("playing {p}/{n} · no signal {o} · red alerts {a}").format(
                p=playing, n=len(tiles), o=offline, a=alerts))

    # ----------------------------------------------------------------- screens and geometry
    def place(self, screen: int | None, full_screen: bool) -> None:
        """Show on screen ``screen`` (or where it was last time), full screen or not."""
        screens = QGuiApplication.screens()
        geometry = self.settings.value("geometry")
        if screen is None and isinstance(geometry, QByteArray | bytes):
            self.restoreGeometry(QByteArray(geometry))
            state = self.settings.value("window_state")
            if isinstance(state, QByteArray | bytes):
                self.restoreState(QByteArray(state))
            keep_docks_usable(self)  # the camera list never comes back as a sliver
        elif screen is not None and 0 <= screen < len(screens):
            area = screens[screen].availableGeometry()
            self.setGeometry(area.adjusted(40, 40, -40, -40))
        if full_screen:
            self.set_full_screen(True)
        else:
            self.show()

    @Slot(bool)
    def set_full_screen(self, on: bool) -> None:
        if self.fullscreen_action.isChecked() != on:
            self.fullscreen_action.setChecked(on)  # re-enters through toggled
            return
        # The big screen shows only the wall; F9 brings the camera list back, F11 leaves.
        self.toolbar.setVisible(not on)
        self.statusBar().setVisible(not on)
        if on:
            self.dock.hide()
            # Without a window manager (kiosk X sessions, Xvfb) full screen is only a hint.
            self.setGeometry(self.screen().geometry())
            self.showFullScreen()
        else:
            self.dock.show()
            self.showNormal()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt override
        self.settings.setValue("geometry", self.saveGeometry())
        self.settings.setValue("window_state", self.saveState())
        self.settings.setValue("full_screen", self.isFullScreen())
        self.settings.setValue("screen", QGuiApplication.screens().index(self.screen())
                               if self.screen() in QGuiApplication.screens() else 0)
        self.wall.shutdown()
        super().closeEvent(event)
