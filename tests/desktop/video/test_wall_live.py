"""The wall with real streams under Xvfb: pictures, stalls, reconnects, full screen, alerts, evidence.

Streams are cvlc HTTP-TS servers (see ``conftest.farm``); tiles are libvlc players drawing
into X11 windows, read back from the screen to check that there is a picture.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt
from PySide6.QtGui import QDropEvent

from desktop.video.evidence import EvidenceStore, EvidenceTampered
from desktop.video.model import Camera, parse_alerts
from desktop.video.player import TileState
from desktop.video.tile import CAMERA_MIME
from desktop.video.wall import VideoWall
from tests.desktop.video.conftest import tile_picture_stats

PLAY_TIMEOUT_MS = 20_000


@pytest.fixture
def wall(qtbot: Any, tmp_path: Any) -> Iterator[VideoWall]:
    widget = VideoWall(evidence_dir=tmp_path / "evidence")
    qtbot.addWidget(widget)
    widget.setGeometry(0, 0, 1440, 810)
    widget.show()
    qtbot.waitExposed(widget)
    yield widget
    widget.shutdown()


def all_playing(wall: VideoWall) -> bool:
    return all(t.state == TileState.PLAYING for t in wall.tiles() if t.camera is not None)


def surface_rect(wall: VideoWall, index: int) -> Any:
    tile = wall.tile(index)
    top_left = tile.surface.mapTo(wall, QPoint(0, 0))
    return tile.surface.rect().translated(top_left)


def test_3x3_wall_shows_nine_live_pictures(qtbot: Any, wall: VideoWall, farm: Any, tmp_path: Any) -> None:
    wall.set_wall_layout("3x3")
    wall.set_cameras(farm.cameras()[:9])
    qtbot.waitUntil(lambda: all_playing(wall), timeout=PLAY_TIMEOUT_MS)
    # A few more pictures so that every tile has drawn after the last layout pass.
    qtbot.waitUntil(lambda: all(t.player.fps > 5 for t in wall.tiles()), timeout=10_000)
    image = wall.grab_picture()
    image.save(str(tmp_path / "wall-3x3.png"))
    for i, tile in enumerate(wall.tiles()):
        lit, colours = tile_picture_stats(image, surface_rect(wall, i))
        assert lit > 0.5, f"tile {i} ({tile.camera and tile.camera.name}) is black: {lit:.0%} lit"
        assert colours > 8, f"tile {i} shows a flat colour, not a picture"
        assert "playing" in tile.strip_text()
        assert tile.camera is not None
        assert tile.camera.name in tile.strip_text()
        assert tile.camera.place in tile.strip_text()
        assert "fps" in tile.strip_text()


def test_killed_stream_goes_stalled_then_offline_and_comes_back(qtbot: Any, wall: VideoWall, farm: Any) -> None:
    wall.set_wall_layout("2x2")
    wall.set_cameras(farm.cameras()[:4])
    qtbot.waitUntil(lambda: all_playing(wall), timeout=PLAY_TIMEOUT_MS)
    seen: list[str] = []
    wall.tile_state_changed.connect(lambda i, s: seen.append(s) if i == 2 else None)

    # How soon a tile goes stalled, offline and back is measured in bench/video_soak.py.
    farm.kill(2)
    qtbot.waitUntil(lambda: wall.tile(2).state == TileState.OFFLINE, timeout=20_000)
    assert seen[:2] == ["stalled", "offline"], seen
    assert "offline" in wall.tile(2).strip_text()
    assert all(wall.tile(i).state == TileState.PLAYING for i in (0, 1, 3)), "other tiles are not disturbed"

    farm.start(2)
    qtbot.waitUntil(lambda: wall.tile(2).state == TileState.PLAYING, timeout=20_000)
    assert wall.tile(2).player.reconnects >= 1


def test_double_click_fills_the_wall_with_the_main_stream_and_back(qtbot: Any, wall: VideoWall, farm: Any) -> None:
    streams = farm.streams
    cams = [Camera(f"c{i}", f"Cam {i}", "T01", str(i), main_url=streams[i].url, sub_url=streams[i + 5].url)
            for i in range(4)]
    wall.set_wall_layout("2x2")
    wall.set_cameras(cams)
    qtbot.waitUntil(lambda: all_playing(wall), timeout=PLAY_TIMEOUT_MS)
    tile = wall.tile(1)
    assert tile.player.url == cams[1].sub_url, "small tiles play the sub stream"

    qtbot.mouseDClick(tile.strip, Qt.MouseButton.LeftButton)
    assert wall.maximized == 1
    assert tile.player.url == cams[1].main_url, "a full tile plays the main stream"
    assert all(not t.isVisible() for t in wall.tiles() if t is not tile)
    qtbot.waitUntil(lambda: tile.width() > wall.width() * 0.9, timeout=5_000)
    qtbot.waitUntil(lambda: tile.state == TileState.PLAYING and tile.player.fps > 5, timeout=PLAY_TIMEOUT_MS)
    assert "main" in tile.strip_text()
    lit, colours = tile_picture_stats(wall.grab_picture(), surface_rect(wall, 1))
    assert lit > 0.5
    assert colours > 8

    qtbot.mouseDClick(tile.strip, Qt.MouseButton.LeftButton)
    assert wall.maximized is None
    assert tile.player.url == cams[1].sub_url
    qtbot.waitUntil(lambda: all_playing(wall), timeout=PLAY_TIMEOUT_MS)
    assert all(t.isVisible() for t in wall.tiles())


def test_red_alert_frames_the_tile_and_show_camera_brings_it_to_the_large_tile(
    qtbot: Any, wall: VideoWall, farm: Any
) -> None:
    cams = farm.cameras()[:6]  # offices T01 (windows 1-4) and T02 (windows 1-2)
    wall.set_wall_layout("1+5")
    wall.set_cameras(cams)
    qtbot.waitUntil(lambda: all_playing(wall), timeout=PLAY_TIMEOUT_MS)
    alerts = parse_alerts({"alerts": [{
        "id": "A-77", "rule": "overdue", "severity": "red", "status": "open",
        "subject": {"type": "case", "office": "T02", "case_no": "2026-0000456"},
        "raised_at": "2026-03-03T10:00:00+08:00", "evidence": {"window": "2"}, "message": "办件超期",
    }, {
        "id": "Y-1", "rule": "near_deadline", "severity": "yellow", "status": "open",
        "subject": {"type": "case", "office": "T01", "case_no": "2026-0000001"}, "evidence": {},
    }]})
    wall.set_active_alerts(alerts)
    target = next(c for c in cams if c.office == "T02" and c.window == "2")
    index = wall.tile_for_camera(target.id)
    assert index is not None
    assert wall.alerted_tiles() == [index], "only the red alert's office/window is lit"
    strip = wall.tile(index).strip_text()
    assert "overdue" in strip
    assert "2026-0000456" in strip
    qtbot.waitUntil(lambda: _frame_is_red(wall, index), timeout=5_000)
    assert not _frame_is_red(wall, 0)

    shown: list[Any] = []
    wall.camera_shown.connect(shown.append)
    assert wall.show_camera(target.id) == 0
    assert wall.assignments()[0] == target.id
    assert shown == [target.id]
    assert wall.alerted_tiles() == [0], "the red frame follows the camera"
    assert wall.tile(0).player.url == target.main_url
    qtbot.waitUntil(lambda: wall.tile(0).state == TileState.PLAYING, timeout=PLAY_TIMEOUT_MS)
    qtbot.waitUntil(lambda: _frame_is_red(wall, 0), timeout=5_000)

    wall.set_active_alerts([])
    assert wall.alerted_tiles() == []


def _frame_is_red(wall: VideoWall, index: int) -> bool:
    tile = wall.tile(index)
    image = wall.grab_picture()
    origin = tile.mapTo(wall, QPoint(0, 0))
    points = [origin + QPoint(1, tile.height() // 2), origin + QPoint(tile.width() // 2, 1),
              origin + QPoint(tile.width() - 2, tile.height() // 3)]
    colours = [image.pixelColor(p) for p in points]
    return all(c.red() > 180 and c.green() < 80 and c.blue() < 80 for c in colours)


def test_snapshot_is_kept_as_evidence_and_verified_on_reopen(qtbot: Any, wall: VideoWall, farm: Any) -> None:
    wall.set_wall_layout("2x2")
    wall.set_cameras(farm.cameras()[:4])
    wall.set_active_alerts(parse_alerts([{
        "id": "A-9", "rule": "fee_over_standard", "severity": "red", "status": "open",
        "subject": {"type": "case", "office": "T01", "case_no": "2026-0000789"}, "evidence": {"window": "1"}}]))
    qtbot.waitUntil(lambda: all_playing(wall), timeout=PLAY_TIMEOUT_MS)
    with qtbot.waitSignal(wall.evidence_saved, timeout=10_000) as blocker:
        wall.snapshot_tile(0, operator="李四")
    record = blocker.args[0]
    assert record.camera_id == "cam1"
    assert record.operator == "李四"
    assert record.alert_id == "A-9", "a snapshot of an alerted tile is filed under that alert"
    assert record.case_no == "2026-0000789"
    store = EvidenceStore(wall.evidence.root)
    png, reopened = store.open(record.sha256)
    assert reopened == record
    assert png.startswith(b"\x89PNG")
    from PySide6.QtGui import QImage

    picture = QImage.fromData(png)
    assert (picture.width(), picture.height()) == (640, 360), "the decoded picture, not a screen grab"
    path = store.picture_path(record.sha256)
    path.chmod(0o644)
    path.write_bytes(png[:-10] + b"0123456789")
    with pytest.raises(EvidenceTampered):
        store.open(record.sha256)


def test_rtsp_camera_is_marked_unsupported_with_advice(qtbot: Any, wall: VideoWall, libvlc: None) -> None:
    from desktop.video.engine import capabilities

    if capabilities().rtsp is not False:
        pytest.skip("this libvlc has an RTSP client")
    wall.set_wall_layout("1")
    wall.set_cameras([Camera("r1", "Hall", "T05", "3", main_url="rtsp://127.0.0.1:8554/hall")])
    tile = wall.tile(0)
    assert tile.state == TileState.UNSUPPORTED
    assert "unsupported" in tile.strip_text()
    assert "RTSP" in tile.surface.message
    assert "HTTP" in tile.surface.message


def test_dropping_a_camera_on_a_tile_shows_it_there(qtbot: Any, wall: VideoWall, farm: Any) -> None:
    cams = farm.cameras()[:5]
    wall.set_wall_layout("2x2")
    wall.set_cameras(cams)
    assert wall.assignments() == ["cam1", "cam2", "cam3", "cam4"]
    _drop(wall, 3, "cam5")
    assert wall.assignments() == ["cam1", "cam2", "cam3", "cam5"]
    _drop(wall, 0, "cam5")  # a camera already on the wall moves instead of showing twice
    assert wall.assignments() == ["cam5", "cam2", "cam3", "cam1"]
    qtbot.waitUntil(lambda: all_playing(wall), timeout=PLAY_TIMEOUT_MS)


def _drop(wall: VideoWall, index: int, camera_id: str) -> None:
    tile = wall.tile(index)
    mime = QMimeData()
    mime.setData(CAMERA_MIME, camera_id.encode())
    pos = QPointF(tile.width() / 2, tile.height() - 10)
    event = QDropEvent(pos, Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                       Qt.KeyboardModifier.NoModifier)
    # Qt delivers Drop events only inside a real drag session, which needs a window manager
    # and a mouse; the tile's drop handler gets the same event a real drop would bring.
    tile.dropEvent(event)
    assert event.isAccepted()


def test_tile_menu_and_escape(qtbot: Any, wall: VideoWall, farm: Any) -> None:
    wall.set_wall_layout("2x2")
    wall.set_cameras(farm.cameras()[:4])
    qtbot.waitUntil(lambda: all_playing(wall), timeout=PLAY_TIMEOUT_MS)
    tile = wall.tile(2)
    tile.menu_requested.emit(2, tile.mapToGlobal(QPoint(20, 20)))
    menu = wall.last_menu
    assert menu is not None
    actions = {a.text(): a for a in menu.actions() if a.text()}
    assert {"Fill the wall", "Reconnect now", "Snapshot as evidence", "Clear tile",
            "Tour all cameras in this tile"} <= set(actions)
    assert wall.selected == 2
    actions["Fill the wall"].trigger()
    menu.close()
    assert wall.maximized == 2
    wall.setFocus()
    qtbot.keyClick(wall, Qt.Key.Key_Escape)
    assert wall.maximized is None
    tile.menu_requested.emit(2, tile.mapToGlobal(QPoint(20, 20)))
    menu = wall.last_menu
    assert menu is not None
    next(a for a in menu.actions() if a.text() == "Clear tile").trigger()
    menu.close()
    assert wall.assignments()[2] is None
    assert wall.tile(2).state == TileState.IDLE
