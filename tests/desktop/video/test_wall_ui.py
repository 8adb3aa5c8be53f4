"""Tours, saved views, the camera list, the standalone window and ``yingyan wall`` itself."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QRect, QSettings
from PySide6.QtGui import QImage

from desktop.video.camera_list import CAMERA_ID_ROLE, CameraListModel
from desktop.video.layouts import LayoutStore
from desktop.video.model import Camera, cameras_to_json
from desktop.video.player import TileState
from desktop.video.tile import CAMERA_MIME
from desktop.video.wall import WALL_TOUR, VideoWall
from desktop.video.window import WallWindow
from tests.desktop.video.conftest import tile_picture_stats

PLAY_TIMEOUT_MS = 20_000


@pytest.fixture
def wall(qtbot: Any, tmp_path: Path, libvlc: None) -> Iterator[VideoWall]:
    widget = VideoWall(evidence_dir=tmp_path / "evidence")
    qtbot.addWidget(widget)
    widget.setGeometry(0, 0, 1280, 720)
    widget.show()
    qtbot.waitExposed(widget)
    yield widget
    widget.shutdown()


def test_tile_tour_cycles_its_camera_group(qtbot: Any, wall: VideoWall, farm: Any) -> None:
    wall.set_wall_layout("2x2")
    wall.set_cameras(farm.cameras()[:6])
    wall.start_tour(["cam5", "cam6", "cam1"], seconds=0.4, tile=3)
    seen: list[str | None] = [wall.assignments()[3]]
    wall.assignments_changed.connect(lambda: seen.append(wall.assignments()[3]))
    qtbot.waitUntil(lambda: len(seen) >= 4, timeout=5_000)
    assert seen[:4] == ["cam5", "cam6", "cam1", "cam5"]
    assert wall.assignments()[:3] == ["cam1", "cam2", "cam3"], "the other tiles stay put"
    wall.stop_tour(3)
    assert 3 not in wall.tours()


def test_wall_tour_pages_through_the_group(qtbot: Any, wall: VideoWall, farm: Any) -> None:
    wall.set_wall_layout("2x2")
    wall.set_cameras(farm.cameras()[:6])
    group = [f"cam{i}" for i in range(1, 7)]
    wall.start_tour(group, seconds=0.4)
    assert wall.assignments() == ["cam1", "cam2", "cam3", "cam4"]
    qtbot.waitUntil(lambda: wall.assignments()[0] == "cam5", timeout=5_000)
    assert wall.assignments() == ["cam5", "cam6", "cam1", "cam2"]
    qtbot.waitUntil(lambda: wall.assignments()[0] == "cam3", timeout=5_000)
    assert wall.assignments() == ["cam3", "cam4", "cam5", "cam6"]
    # "show camera" for an alert wins over the tour: it must not be paged away.
    wall.show_camera("cam1")
    assert WALL_TOUR not in wall.tours()
    assert wall.assignments()[0] == "cam1"
    qtbot.waitUntil(lambda: wall.tile(0).state == TileState.PLAYING, timeout=PLAY_TIMEOUT_MS)


def test_saved_view_restores_layout_cameras_and_tour(qtbot: Any, wall: VideoWall, farm: Any, tmp_path: Path) -> None:
    store = LayoutStore(tmp_path / "views.json")
    wall.set_cameras(farm.cameras()[:9])
    wall.set_wall_layout("1+5")
    wall.assign(0, "cam7")
    wall.assign(5, None)
    wall.start_tour(["cam8", "cam9"], seconds=30, tile=2)
    wall.stop_tour(2)
    store.save(wall.current_view("morning"))
    saved = wall.assignments()

    wall.set_wall_layout("4x4")
    assert len(wall.tiles()) == 16
    wall.apply_view(LayoutStore(tmp_path / "views.json").get("morning"))  # type: ignore[arg-type]
    assert wall.layout_spec().name == "1+5"
    assert len(wall.tiles()) == 6
    assert wall.assignments() == saved
    assert wall.assignments()[0] == "cam7"
    assert wall.tile(0).player.url == farm.streams[6].url
    assert wall.tile(5).camera is None
    assert "Empty tile" in wall.tile(5).strip_text()
    qtbot.waitUntil(lambda: all(t.state == TileState.PLAYING for t in wall.tiles() if t.camera),
                    timeout=PLAY_TIMEOUT_MS)


def test_camera_list_model_is_a_well_behaved_qt_model(qtmodeltester: Any, qapp: Any) -> None:
    model = CameraListModel()
    model.set_cameras([Camera(f"c{i}", f"窗口{i}", "T01", str(i), f"http://h/{i}", enabled=i != 2)
                       for i in range(5)])
    model.set_state("c1", TileState.PLAYING)
    qtmodeltester.check(model)
    assert model.data(model.index(1, CameraListModel.STATE)) == "playing"
    assert model.data(model.index(2, CameraListModel.STATE)) == "disabled"
    assert model.data(model.index(3, CameraListModel.NAME), CAMERA_ID_ROLE) == "c3"
    mime = model.mimeData([model.index(4, 0)])
    assert bytes(mime.data(CAMERA_MIME).data()) == b"c4", "dragging a row carries the camera id"


def test_window_saves_views_remembers_geometry_and_tracks_states(qtbot: Any, farm: Any, tmp_path: Path) -> None:
    settings = QSettings(str(tmp_path / "wall.ini"), QSettings.Format.IniFormat)
    store = LayoutStore(tmp_path / "views.json")
    window = WallWindow(settings=settings, store=store, operator="op", evidence_dir=str(tmp_path / "ev"))
    qtbot.addWidget(window)
    window.apply_layout_or_view("2x2")
    window.set_cameras(farm.cameras()[:4])
    window.place(None, False)
    window.setGeometry(QRect(50, 60, 1100, 700))
    qtbot.waitExposed(window)
    qtbot.waitUntil(lambda: all(t.state == TileState.PLAYING for t in window.wall.tiles()), timeout=PLAY_TIMEOUT_MS)
    qtbot.waitUntil(lambda: window.model.data(window.model.index(0, 2)) == "playing", timeout=5_000)
    assert "playing 4/4" in window.status_label.text()

    store.save(window.wall.current_view("lobby"))
    window.reload_layouts()
    labels = [window.layout_box.itemText(i) for i in range(window.layout_box.count())]
    assert "View: lobby" in labels
    assert "3×3" in labels
    geometry = window.geometry()
    window.close()

    again = WallWindow(settings=QSettings(str(tmp_path / "wall.ini"), QSettings.Format.IniFormat), store=store)
    qtbot.addWidget(again)
    again.place(None, False)
    qtbot.waitExposed(again)
    assert again.geometry().size() == geometry.size()
    assert again.apply_layout_or_view("lobby")
    assert again.wall.layout_spec().name == "2x2"
    assert not again.apply_layout_or_view("no such view")
    again.close()


def test_full_screen_window_fills_the_chosen_screen(qtbot: Any, tmp_path: Path, libvlc: None) -> None:
    window = WallWindow(settings=QSettings(str(tmp_path / "w.ini"), QSettings.Format.IniFormat),
                        store=LayoutStore(tmp_path / "v.json"))
    qtbot.addWidget(window)
    window.place(0, True)
    qtbot.waitExposed(window)
    screen = window.screen().geometry()
    qtbot.waitUntil(lambda: window.geometry().size() == screen.size(), timeout=5_000)
    assert not window.toolbar.isVisible(), "the big screen shows only the wall"
    assert not window.dock.isVisible()
    window.fullscreen_action.setChecked(False)
    qtbot.waitUntil(lambda: window.toolbar.isVisible(), timeout=5_000)
    window.close()


def _run_wall(args: list[str], tmp_path: Path, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "YINGYAN_DATA_DIR": str(tmp_path / "data"), "XDG_CONFIG_HOME": str(tmp_path / "cfg"),
           "QT_QPA_PLATFORM": "xcb"}
    return subprocess.run([sys.executable, "-m", "shared.cli", "wall", *args], capture_output=True, text=True,
                          timeout=timeout, env=env, cwd=Path(__file__).resolve().parents[3], check=False)


def test_yingyan_wall_runs_unattended_and_leaves_a_picture(farm: Any, tmp_path: Path, x11_display: str) -> None:
    cams = tmp_path / "cams.json"
    cams.write_text(json.dumps(cameras_to_json(farm.cameras()[:4]), ensure_ascii=False), encoding="utf-8")
    out = tmp_path / "shots"
    result = _run_wall(["--cameras", str(cams), "--layout", "2x2", "--screen", "0", "--snapshot-to", str(out),
                        "--quit-after", "8", "--lang", "en"], tmp_path)
    assert result.returncode == 0, result.stderr
    pictures = list(out.glob("wall-2x2-*.png"))
    assert len(pictures) == 1
    image = QImage(str(pictures[0]))
    assert image.width() >= 1000
    lit, colours = tile_picture_stats(image, image.rect())
    assert lit > 0.5
    assert colours > 20


def test_yingyan_wall_explains_bad_invocations(tmp_path: Path) -> None:
    result = _run_wall([], tmp_path)
    assert result.returncode == 2
    assert "--cameras" in result.stderr
    bad = tmp_path / "bad.json"
    bad.write_text('[{"id": "a"}]', encoding="utf-8")
    result = _run_wall(["--cameras", str(bad)], tmp_path)
    assert result.returncode == 2
    assert "main_url" in result.stderr
    result = _run_wall(["--server", "http://10.1.2.3:8443", "--token-file", str(bad)], tmp_path)
    assert result.returncode == 2
    assert "HTTPS" in result.stderr


def test_tiles_speak_chinese_by_default(qapp: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from desktop.video.i18n import install_translation
    from desktop.video.tile import state_label

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.delenv("YINGYAN_LANG", raising=False)
    translator = install_translation(qapp)
    assert translator is not None, "the zh_CN translation compiles from resources/translations and loads"
    try:
        assert state_label(TileState.PLAYING) == "播放中"
        assert state_label(TileState.OFFLINE) == "离线"
        assert list((tmp_path / "cache").rglob("*.qm")), "the compiled .qm lives in the user cache"
    finally:
        qapp.removeTranslator(translator)
    assert state_label(TileState.PLAYING) == "playing"
