"""The video wall widget: tiles in a layout, tours, alert highlighting, "show camera", evidence.

``VideoWall`` is the one class the console embeds and the standalone ``yingyan wall``
window shows full screen. Its API speaks camera ids and layout names; everything libvlc is
hidden behind the tiles.
"""

from __future__ import annotations

import contextlib
import getpass
import os
import tempfile
from collections.abc import Sequence
from concurrent.futures import Future
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QPoint, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QCloseEvent, QColor, QImage, QKeyEvent, QPalette
from PySide6.QtWidgets import QGridLayout, QMenu, QWidget

from desktop.common.paths import user_data_dir
from desktop.video.evidence import EvidenceRecord, EvidenceStore
from desktop.video.layouts import Layout, SavedView, layout_by_name
from desktop.video.model import ActiveAlert, Camera, alerts_for_camera
from desktop.video.player import ReconnectPolicy, TileState
from desktop.video.qtfix import protect_booleans
from desktop.video.tile import Tile

WALL_TOUR = -1


@dataclass
class Tour:
    """A camera group cycled every ``seconds`` through one tile, or page by page over the wall."""

    cameras: list[str]
    seconds: float
    tile: int = WALL_TOUR
    position: int = 0


class VideoWall(QWidget):
    """Live camera tiles in a layout.

    Signals report what the operator would see change; every method returns at once (the
    players connect in the background).
    """

    tile_state_changed = Signal(int, str)
    layout_changed = Signal(str)
    assignments_changed = Signal()
    # camera id put on the large tile by ``show_camera``
    camera_shown = Signal(str)
    # tile index maximised, or -1 when the wall is back to its layout
    maximized_changed = Signal(int)
    evidence_saved = Signal(object)
    evidence_failed = Signal(str)
    _evidence_done = Signal(object)
    _evidence_error = Signal(str)

    def __init__(
        self,
        parent: QWidget | None = None,
        *,
        policy: ReconnectPolicy | None = None,
        evidence_dir: str | Path | None = None,
    ) -> None:
        super().__init__(parent)
        protect_booleans()
        self.policy = policy or ReconnectPolicy()
        self.evidence = EvidenceStore(evidence_dir or user_data_dir() / "evidence" / "snapshots")
        # Written on evidence snapshots taken from the tile menu; the console sets the signed-in user.
        self.operator = getpass.getuser()
        self.last_menu: QMenu | None = None
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setAutoFillBackground(True)
        palette = self.palette()
        palette.setColor(QPalette.ColorRole.Window, QColor("#010409"))
        self.setPalette(palette)
        self._grid = QGridLayout(self)
        self._grid.setContentsMargins(2, 2, 2, 2)
        self._grid.setSpacing(2)
        self._cameras: dict[str, Camera] = {}
        self._alerts: list[ActiveAlert] = []
        self._tiles: list[Tile] = []
        self._layout: Layout = layout_by_name("2x2")
        self._maximized: int | None = None
        self._selected: int | None = None
        self._tours: dict[int, Tour] = {}
        self._tour_timers: dict[int, QTimer] = {}
        self._retiring: list[tuple[Tile, Future[Any] | None]] = []
        self._reaper = QTimer(self)
        self._reaper.setInterval(200)
        self._reaper.timeout.connect(self._reap)
        self._evidence_done.connect(self.evidence_saved)
        self._evidence_error.connect(self.evidence_failed)
        self._apply_layout()

    # ----------------------------------------------------------------- cameras
    def cameras(self) -> list[Camera]:
        return list(self._cameras.values())

    def camera(self, camera_id: str) -> Camera | None:
        return self._cameras.get(camera_id)

    def set_cameras(self, cameras: Sequence[Camera], *, auto_fill: bool = True) -> None:
        """Replace the camera list. Tiles keep their cameras (with new URLs if they changed);
        cameras that disappeared leave their tiles empty; an empty wall fills in list order."""
        self._cameras = {c.id: c for c in cameras}
        for tile in self._tiles:
            if tile.camera is None:
                continue
            fresh = self._cameras.get(tile.camera.id)
            if fresh != tile.camera:
                self._show_on_tile(tile, fresh)
        if auto_fill and all(t.camera is None for t in self._tiles):
            enabled = [c for c in cameras if c.enabled]
            for tile, cam in zip(self._tiles, enabled, strict=False):
                self._show_on_tile(tile, cam)
        self._refresh_alerts()
        self.assignments_changed.emit()

    def assign(self, index: int, camera_id: str | None) -> None:
        """Put a camera on tile ``index`` (None empties it)."""
        if not 0 <= index < len(self._tiles):
            raise IndexError(f"no tile {index} in layout {self._layout.name}")
        camera = self._cameras.get(camera_id) if camera_id is not None else None
        if camera_id is not None and camera is None:
            raise KeyError(f"unknown camera {camera_id!r}")
        self._show_on_tile(self._tiles[index], camera)
        self.assignments_changed.emit()

    def assignments(self) -> list[str | None]:
        return [t.camera.id if t.camera else None for t in self._tiles]

    def swap(self, a: int, b: int) -> None:
        cam_a, cam_b = self._tiles[a].camera, self._tiles[b].camera
        self._show_on_tile(self._tiles[a], cam_b)
        self._show_on_tile(self._tiles[b], cam_a)
        self.assignments_changed.emit()

    def show_camera(self, camera_id: str) -> int:
        """Bring a camera to the large tile (the operator clicked "show camera" on an alert).

        Returns the tile index now showing it.
        """
        if camera_id not in self._cameras:
            raise KeyError(f"unknown camera {camera_id!r}")
        if self._maximized is not None:
            self.restore()
        target = self._layout.large_index()
        # A tour would move the camera away again a few seconds later.
        self.stop_tour(WALL_TOUR)
        self.stop_tour(target)
        current = self.assignments()
        if current[target] != camera_id:
            if camera_id in current:
                self.swap(current.index(camera_id), target)
            else:
                self.assign(target, camera_id)
        self.select(target)
        self.camera_shown.emit(camera_id)
        return target

    def tile_for_camera(self, camera_id: str) -> int | None:
        ids = self.assignments()
        return ids.index(camera_id) if camera_id in ids else None

    # ----------------------------------------------------------------- layout
    def layout_spec(self) -> Layout:
        return self._layout

    def set_wall_layout(self, layout: Layout | str) -> None:
        """Switch to a layout (a ``Layout`` or a name such as ``3x3`` or ``1+5``)."""
        new = layout_by_name(layout) if isinstance(layout, str) else layout
        if self._maximized is not None:
            self.restore()
        self._layout = new
        self._apply_layout()
        self.layout_changed.emit(new.name)
        self.assignments_changed.emit()

    def tiles(self) -> list[Tile]:
        return list(self._tiles)

    def tile(self, index: int) -> Tile:
        return self._tiles[index]

    def _apply_layout(self) -> None:
        cells = self._layout.cells
        # Tiles are reused by index and never re-parented: re-parenting a native window
        # would pull the window id out from under libvlc.
        while len(self._tiles) > len(cells):
            tile = self._tiles.pop()
            self.stop_tour(tile.index)
            self._grid.removeWidget(tile)
            tile.hide()
            # Release in the background; the window is destroyed only once libvlc has let go
            # of it, so the UI never waits for a player stuck on a dead network.
            future = tile.close_player(wait=None)
            self._retiring.append((tile, future))
            self._reaper.start()
        while len(self._tiles) < len(cells):
            tile = Tile(len(self._tiles), self.policy, self)
            tile.double_clicked.connect(self.toggle_maximized)
            tile.clicked.connect(self.select)
            tile.camera_dropped.connect(self._on_camera_dropped)
            tile.tile_dropped.connect(self.swap)
            tile.state_changed.connect(self.tile_state_changed)
            tile.menu_requested.connect(self._tile_menu)
            self._tiles.append(tile)
        for tile in self._tiles:
            self._grid.removeWidget(tile)
        for r in range(self._grid.rowCount()):
            self._grid.setRowStretch(r, 0)
        for c in range(self._grid.columnCount()):
            self._grid.setColumnStretch(c, 0)
        for r in range(self._layout.rows):
            self._grid.setRowStretch(r, 1)
        for c in range(self._layout.cols):
            self._grid.setColumnStretch(c, 1)
        for tile, cell in zip(self._tiles, cells, strict=True):
            self._grid.addWidget(tile, cell.row, cell.col, cell.row_span, cell.col_span)
            tile.show()
            tile.set_main_stream(self._wants_main(tile.index))
        self._refresh_alerts()

    def _wants_main(self, index: int) -> bool:
        if self._maximized is not None:
            return index == self._maximized
        return len(self._layout) == 1 or self._layout.is_main_stream_cell(index)

    # ----------------------------------------------------------------- maximise
    @property
    def maximized(self) -> int | None:
        return self._maximized

    @Slot(int)
    def toggle_maximized(self, index: int) -> None:
        """Double-click: fill the wall with one tile, or go back to the layout."""
        if self._maximized is None:
            self.maximize(index)
        else:
            self.restore()

    def maximize(self, index: int) -> None:
        if self._maximized == index:
            return
        if self._maximized is not None:
            self.restore()
        self._maximized = index
        for tile in self._tiles:
            if tile.index != index:
                # Hidden tiles stop decoding: two cores cannot afford pictures nobody sees.
                tile.hide()
                tile.player.play(None)
        big = self._tiles[index]
        self._grid.removeWidget(big)
        self._grid.addWidget(big, 0, 0, self._layout.rows, self._layout.cols)
        big.set_main_stream(True)
        self.maximized_changed.emit(index)

    def restore(self) -> None:
        if self._maximized is None:
            return
        self._maximized = None
        self._apply_layout()
        for tile in self._tiles:
            self._show_on_tile(tile, tile.camera)
        self.maximized_changed.emit(-1)

    # ----------------------------------------------------------------- selection
    @Slot(int)
    def select(self, index: int) -> None:
        self._selected = index
        for tile in self._tiles:
            tile.set_selected(tile.index == index)

    @property
    def selected(self) -> int | None:
        return self._selected

    # ----------------------------------------------------------------- tours
    def start_tour(self, camera_ids: Sequence[str], seconds: float, tile: int = WALL_TOUR) -> None:
        """Cycle ``camera_ids`` every ``seconds``: through tile ``tile``, or (``WALL_TOUR``)
        page by page over the whole wall."""
        ids = [c for c in camera_ids if c in self._cameras]
        if not ids:
            raise ValueError("a tour needs at least one known camera")
        if seconds <= 0:
            raise ValueError("tour interval must be positive")
        self.stop_tour(tile)
        tour = Tour(ids, seconds, tile)
        self._tours[tile] = tour
        timer = QTimer(self)
        timer.setInterval(int(seconds * 1000))
        timer.timeout.connect(lambda t=tile: self._tour_step(t))
        self._tour_timers[tile] = timer
        self._tour_show(tour)
        timer.start()

    def stop_tour(self, tile: int = WALL_TOUR) -> None:
        self._tours.pop(tile, None)
        timer = self._tour_timers.pop(tile, None)
        if timer is not None:
            timer.stop()
            timer.deleteLater()

    def tours(self) -> dict[int, Tour]:
        return dict(self._tours)

    def _tour_step(self, key: int) -> None:
        tour = self._tours.get(key)
        if tour is None:
            return
        step = 1 if key != WALL_TOUR else max(1, len(self._tiles))
        tour.position = (tour.position + step) % len(tour.cameras)
        self._tour_show(tour)

    def _tour_show(self, tour: Tour) -> None:
        n = len(tour.cameras)
        if tour.tile == WALL_TOUR:
            for i, tile in enumerate(self._tiles):
                if i in self._tours:  # a tile with its own tour keeps it
                    continue
                cam_id = tour.cameras[(tour.position + i) % n] if i < n else None
                self._show_on_tile(tile, self._cameras.get(cam_id) if cam_id else None)
        elif tour.tile < len(self._tiles):
            self._show_on_tile(self._tiles[tour.tile], self._cameras.get(tour.cameras[tour.position % n]))
        self.assignments_changed.emit()

    # ----------------------------------------------------------------- alerts
    def set_active_alerts(self, alerts: Sequence[ActiveAlert]) -> None:
        """Active alerts; red ones light the tiles of the office/window they concern."""
        self._alerts = list(alerts)
        self._refresh_alerts()

    def alerted_tiles(self) -> list[int]:
        return [t.index for t in self._tiles if t.has_alert]

    def _refresh_alerts(self) -> None:
        for tile in self._tiles:
            tile.set_alerts(alerts_for_camera(tile.camera, self._alerts) if tile.camera else [])

    # ----------------------------------------------------------------- evidence and pictures
    def snapshot_tile(
        self, index: int, *, operator: str, alert_id: str | None = None, case_no: str | None = None
    ) -> None:
        """Store the tile's current picture as evidence; ``evidence_saved`` or ``evidence_failed`` follows."""
        tile = self._tiles[index]
        camera = tile.camera
        if camera is None or tile.state != TileState.PLAYING:
            self.evidence_failed.emit(self.tr("Tile {n} has no picture to take").format(n=index + 1))
            return
        if alert_id is None and tile.alerts:
            alert_id, case_no = tile.alerts[0].id, case_no or tile.alerts[0].case_no
        player, store = tile.player, self.evidence
        done, failed = self._evidence_done.emit, self._evidence_error.emit

        def work() -> None:
            # Worker thread: libvlc writes the decoded picture, the store hashes and files it.
            try:
                with tempfile.TemporaryDirectory(prefix="yy-snap-") as tmp:
                    path = os.path.join(tmp, "snapshot.png")
                    if not player.snapshot_png(path) or not os.path.exists(path):
                        failed(f"libvlc could not take a snapshot of {camera.name}")
                        return
                    png = Path(path).read_bytes()
                record = store.add(
                    png, camera_id=camera.id, camera_name=camera.name, office=camera.office,
                    window=camera.window, operator=operator, alert_id=alert_id, case_no=case_no,
                )
                done(record)
            except Exception as exc:
                failed(f"snapshot failed: {exc}")

        player.submit(work)

    def grab_picture(self) -> QImage:
        """What the wall shows right now, video included (read back from the screen, since
        libvlc draws into native windows that a widget grab cannot see)."""
        screen = self.screen()
        origin = self.mapToGlobal(QPoint(0, 0)) - screen.geometry().topLeft()
        return screen.grabWindow(0, origin.x(), origin.y(), self.width(), self.height()).toImage()

    def save_picture(self, path: str | Path) -> Path:
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        if not self.grab_picture().save(str(path)):
            raise OSError(f"could not write {path}")
        return path

    # ----------------------------------------------------------------- saved views
    def current_view(self, name: str) -> SavedView:
        tour = self._tours.get(WALL_TOUR)
        return SavedView(
            name=name,
            layout=self._layout,
            cameras=self.assignments(),
            tour=list(tour.cameras) if tour else [],
            tour_seconds=tour.seconds if tour else 10.0,
        )

    def apply_view(self, view: SavedView) -> None:
        self.stop_tour(WALL_TOUR)
        for key in list(self._tours):
            self.stop_tour(key)
        self.set_wall_layout(view.layout)
        for i, tile in enumerate(self._tiles):
            cam_id = view.cameras[i] if i < len(view.cameras) else None
            self._show_on_tile(tile, self._cameras.get(cam_id) if cam_id else None)
        if view.tour:
            self.start_tour(view.tour, view.tour_seconds)
        self.assignments_changed.emit()

    # ----------------------------------------------------------------- internals
    def _show_on_tile(self, tile: Tile, camera: Camera | None) -> None:
        hidden = self._maximized is not None and tile.index != self._maximized
        if hidden:
            tile.camera = camera  # shown again when the wall is restored
        else:
            tile.set_camera(camera, self._wants_main(tile.index))
        tile.set_alerts(alerts_for_camera(camera, self._alerts) if camera else [])

    def evidence_message(self, record: EvidenceRecord) -> str:
        """What the operator is told when a snapshot is stored: where the file is and its whole hash
        (the hash is what a later check, or a court, compares against)."""
        return self.tr("Snapshot of {camera} stored as evidence: {path} · SHA-256 {sha}").format(
            camera=record.camera_name, path=str(self.evidence.picture_path(record.sha256)), sha=record.sha256)

    @Slot(int, QPoint)
    def _tile_menu(self, index: int, where: QPoint) -> None:
        tile = self._tiles[index]
        self.select(index)
        menu = QMenu(self)
        full = menu.addAction(self.tr("Back to layout") if self._maximized is not None else self.tr("Fill the wall"))
        full.triggered.connect(lambda: self.toggle_maximized(index))
        if tile.camera is not None:
            menu.addAction(self.tr("Reconnect now")).triggered.connect(tile.player.restart)
            snap = menu.addAction(self.tr("Snapshot as evidence"))
            snap.setEnabled(tile.state == TileState.PLAYING)
            snap.triggered.connect(lambda: self.snapshot_tile(index, operator=self.operator))
            menu.addAction(self.tr("Clear tile")).triggered.connect(lambda: self.assign(index, None))
        menu.addSeparator()
        if index in self._tours:
            menu.addAction(self.tr("Stop this tile's tour")).triggered.connect(lambda: self.stop_tour(index))
        else:
            ids = [c.id for c in self._cameras.values() if c.enabled]
            tour = menu.addAction(self.tr("Tour all cameras in this tile"))
            tour.setEnabled(bool(ids))
            tour.triggered.connect(lambda: self.start_tour(ids, 10.0, tile=index))
        self.last_menu = menu  # kept for tests and for screen readers to find
        menu.popup(where)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt override
        if event.key() == Qt.Key.Key_Escape and self._maximized is not None:
            self.restore()
            event.accept()
            return
        super().keyPressEvent(event)

    @Slot()
    def _reap(self) -> None:
        still: list[tuple[Tile, Future[Any] | None]] = []
        for tile, future in self._retiring:
            if future is None or future.done():
                tile.deleteLater()
            else:
                still.append((tile, future))
        self._retiring = still
        if not still:
            self._reaper.stop()

    @Slot(int, str)
    def _on_camera_dropped(self, index: int, camera_id: str) -> None:
        if camera_id not in self._cameras:
            return
        self.stop_tour(index)
        current = self.assignments()
        if camera_id in current and current.index(camera_id) != index:
            # Dropping a camera that is already on the wall moves it rather than doubling it.
            self.swap(current.index(camera_id), index)
        else:
            self.assign(index, camera_id)

    def shutdown(self) -> None:
        """Stop every player before the windows go away (libvlc must not draw into a dead window)."""
        for key in list(self._tours):
            self.stop_tour(key)
        # Stop all players in parallel, then wait for them together (bounded).
        futures = [tile.close_player(wait=None) for tile in self._tiles]
        futures += [future for _, future in self._retiring]
        for future in futures:
            if future is not None:
                with contextlib.suppress(Exception):
                    future.result(timeout=5.0)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt override
        self.shutdown()
        super().closeEvent(event)
