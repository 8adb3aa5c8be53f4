"""The big screen cycling with the live video wall, and the video wall stopping with the window.

Real parts throughout: the server over TLS defines the cameras, which reach the console
through the change feed; the streams are looping HTTP-TS served by cvlc (the video wall
tests' ``StreamFarm``); tiles are libvlc players drawing into X11 windows on the tests'
Xvfb, read back from the screen. Without libvlc, ffmpeg or cvlc these tests skip with the
reason (and fail on CI). Every wait is on a signal or a condition, never a sleep.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QPoint, Qt

from desktop.replica import queries
from tests.desktop.console.operator import look, red_batch
from tests.desktop.video.conftest import stream_farm, tile_picture_stats

PLAY_TIMEOUT_MS = 20_000
CYCLE_MS = 2500


@pytest.fixture(scope="module")
def streams() -> Iterator[Any]:
    """Four looping 640×360 HTTP-TS streams (the video wall tests' farm, smaller)."""
    with stream_farm(4) as farm:
        yield farm


@pytest.fixture
def cameras_on_server(console: Any, live_server: Any, streams: Any, qtbot: Any) -> list[Any]:
    """The four streams as cameras of the server, arrived in the console's replica."""
    cams = streams.cameras()
    for cam in cams:
        r = live_server.call("PUT", f"/cameras/{cam.id}", {
            "name": cam.name, "office": "T01", "window": cam.window, "main_url": cam.main_url,
            "sub_url": cam.sub_url, "enabled": True})
        assert r.status in (200, 201), r.body
    qtbot.waitUntil(lambda: len(look(console.session.replica, queries.camera_configs)) == len(cams),
                    timeout=10_000)
    return list(cams)


def _open_big_screen(window: Any, qtbot: Any) -> Any:
    """The operator opens the big screen; it is shown and covers the whole screen."""
    window.act_big.trigger()
    screen = window.bigscreen
    qtbot.addWidget(screen)
    qtbot.waitUntil(lambda: screen.isVisible() and screen.windowHandle().isExposed(), timeout=5000)
    # The whole screen, even without a window manager (Xvfb here, kiosk sessions in a hall).
    qtbot.waitUntil(lambda: screen.geometry() == window.screen().geometry(), timeout=5000)
    return screen


def _tiles_with_cameras(video: Any) -> list[Any]:
    return [t for t in video.tiles() if t.camera is not None]


def _all_playing(video: Any, min_fps: float = 0.0) -> bool:
    tiles = _tiles_with_cameras(video)
    return bool(tiles) and all(t.state == "playing" and t.player.fps > min_fps for t in tiles)


def _pictures_lit(video: Any) -> list[float]:
    """Fraction of lit samples in each tile's picture, read back from the screen."""
    image = video.grab_picture()
    out = []
    for tile in video.tiles():
        top_left = tile.surface.mapTo(video, QPoint(0, 0))
        lit, colours = tile_picture_stats(image, tile.surface.rect().translated(top_left))
        out.append(lit if colours > 8 else 0.0)
    return out


def _frames(video: Any) -> list[int]:
    return [t.player.totals.displayed for t in _tiles_with_cameras(video)]


def test_big_screen_cycles_between_summary_and_live_video(console: Any, cameras_on_server: list[Any],
                                                          live_server: Any, qtbot: Any) -> None:
    window = console
    screen = _open_big_screen(window, qtbot)
    assert not screen.showing_video()
    # What the stack did, for the failure messages: (page shown, the cycle running).
    pages: list[tuple[str, bool]] = []
    screen.stack.currentChanged.connect(
        lambda _i: pages.append(("video" if screen.showing_video() else "summary", screen.cycle.isActive())))
    qtbot.waitUntil(lambda: screen.summary is not None, timeout=5000)
    # Cycle quickly for the test (the big screen's default is 20 s).
    screen.cycle.setInterval(CYCLE_MS)
    assert screen.cycle.isActive()

    # The timer brings the video wall in; its tiles play live pictures on the big screen.
    with qtbot.waitSignal(screen.stack.currentChanged, timeout=CYCLE_MS * 3):
        pass
    assert screen.showing_video()
    video = window.video
    assert video is not None
    assert video.window() is screen
    assert video.isVisible()
    # The cameras come from the replica, read in the background as the wall is made.
    qtbot.waitUntil(lambda: [t.camera.id for t in _tiles_with_cameras(video)] == [c.id for c in cameras_on_server],
                    timeout=5000)
    qtbot.waitUntil(lambda: _all_playing(video, min_fps=5), timeout=PLAY_TIMEOUT_MS)
    qtbot.waitUntil(lambda: all(lit > 0.5 for lit in _pictures_lit(video)), timeout=10_000)
    assert all(t.state == "playing" for t in video.tiles())

    # Then back to the summary, on the timer.
    with qtbot.waitSignal(screen.stack.currentChanged, timeout=CYCLE_MS * 3):
        pass
    assert not screen.showing_video(), pages
    assert screen.stack.currentWidget() is screen.summary_view
    assert not video.isVisible()

    # And to the video again: the tiles are still live (new pictures, drawn on screen).
    with qtbot.waitSignal(screen.stack.currentChanged, timeout=CYCLE_MS * 3):
        pass
    assert screen.showing_video()
    before = _frames(video)
    qtbot.waitUntil(lambda: all(now > was + 10 for now, was in zip(_frames(video), before, strict=True)),
                    timeout=10_000)
    assert _all_playing(video)
    qtbot.waitUntil(lambda: all(lit > 0.5 for lit in _pictures_lit(video)), timeout=10_000)

    # Space holds the cycle where it is; a new red signal brings the summary back at once.
    qtbot.keyClick(screen, Qt.Key.Key_Space)
    assert not screen.cycle.isActive()
    with qtbot.assertNotEmitted(screen.stack.currentChanged, wait=CYCLE_MS + 500):
        pass
    assert screen.showing_video()

    with qtbot.waitSignal(screen.stack.currentChanged, timeout=10_000):
        assert live_server.post_batch("T01", live_server.tokens["T01"], red_batch("2026-0000501")).status == 200
    assert not screen.showing_video(), pages
    qtbot.waitUntil(lambda: screen.summary is not None and screen.summary.active_red >= 1, timeout=5000)

    # Esc leaves; the video wall goes back to its dock in the console window, still playing.
    qtbot.keyClick(screen, Qt.Key.Key_Escape)
    assert not screen.isVisible()
    assert video.window() is window
    assert window.video_dock.widget() is video
    window.show_video()
    qtbot.waitUntil(lambda: video.isVisible() and _all_playing(video), timeout=PLAY_TIMEOUT_MS)

    # Opened again (F11): the summary first and the cycle running, which borrows the wall again.
    window.act_big.trigger()
    qtbot.waitUntil(lambda: screen.isVisible(), timeout=5000)
    assert not screen.showing_video()
    assert screen.cycle.isActive()
    with qtbot.waitSignal(screen.stack.currentChanged, timeout=CYCLE_MS * 3):
        pass
    assert screen.showing_video()
    assert video.window() is screen
    before = _frames(video)
    qtbot.waitUntil(lambda: all(now > was + 10 for now, was in zip(_frames(video), before, strict=True)),
                    timeout=10_000)
    qtbot.waitUntil(lambda: all(lit > 0.5 for lit in _pictures_lit(video)), timeout=10_000)
    qtbot.keyClick(screen, Qt.Key.Key_Escape)
    assert window.video_dock.widget() is video


def test_closing_the_window_shuts_the_video_wall_down(console: Any, cameras_on_server: list[Any],
                                                      qtbot: Any) -> None:
    """Closed while the big screen shows the video: the players stop before their windows go."""
    window = console
    window.act_big.trigger()
    screen = window.bigscreen
    qtbot.addWidget(screen)
    qtbot.waitUntil(lambda: screen.isVisible(), timeout=5000)
    qtbot.keyClick(screen, Qt.Key.Key_V)  # the video now, without waiting for the cycle
    assert screen.showing_video()
    video = window.video
    qtbot.waitUntil(lambda: _all_playing(video), timeout=PLAY_TIMEOUT_MS)
    players = [t.player for t in video.tiles()]

    calls: list[int] = []
    shutdown = video.shutdown

    def counted() -> None:
        calls.append(1)
        shutdown()

    video.shutdown = counted
    window.close()
    assert calls == [1]
    assert not screen.isVisible()
    assert not screen.cycle.isActive()
    # Every libvlc player has been stopped and released; a released player cannot start again.
    assert all(p.close(wait=0) is None for p in players)
    assert all(p.submit(lambda: None) is None for p in players)


def _on_screen(widget: Any) -> Any:
    from PySide6.QtCore import QRect

    return QRect(widget.mapToGlobal(QPoint(0, 0)), widget.size())


def test_key_hint_covers_neither_the_tile_strips_nor_the_summary(console: Any, cameras_on_server: list[Any],
                                                                  qtbot: Any, tmp_path: Any) -> None:
    """The hint (Esc, Space, V) has a line of its own: every tile's strip stays readable."""
    window = console
    screen = _open_big_screen(window, qtbot)
    hint = _on_screen(screen.hint)
    assert screen.hint.isVisible()
    assert screen.hint.text()
    assert not hint.intersects(_on_screen(screen.summary_view))
    # Pictures to look at: the summary, then the video page with its strips, each with the hint.
    pictures = Path(os.environ.get("YINGYAN_TEST_SCREENSHOTS") or tmp_path)
    assert screen.screen().grabWindow(0).save(str(pictures / "yingyan-bigscreen-summary.png"))

    qtbot.keyClick(screen, Qt.Key.Key_V)
    assert screen.showing_video()
    video = window.video
    qtbot.waitUntil(lambda: _all_playing(video, min_fps=5), timeout=PLAY_TIMEOUT_MS)
    qtbot.waitUntil(lambda: all(lit > 0.5 for lit in _pictures_lit(video)), timeout=10_000)
    assert screen.hint.isVisible()
    hint = _on_screen(screen.hint)
    strips = [_on_screen(t.strip) for t in video.tiles()]
    assert len(strips) == 4
    assert all(s.height() > 0 for s in strips)
    assert [s for s in strips if s.intersects(hint)] == []
    assert not hint.intersects(_on_screen(video))
    # Inside the screen, under the wall: nothing of the big screen is cut off either.
    assert _on_screen(screen).contains(hint)
    assert hint.top() >= _on_screen(video).bottom()
    assert screen.screen().grabWindow(0).save(str(pictures / "yingyan-bigscreen-video.png"))
    qtbot.keyClick(screen, Qt.Key.Key_Escape)


def test_a_snapshot_in_the_console_says_where_it_went_and_its_hash(console: Any, cameras_on_server: list[Any],
                                                                   qtbot: Any) -> None:
    """Issue 15 #7: 截图取证 in the console's video dock stored the picture silently."""
    window = console
    window.show_video()
    video = window.video
    assert video is not None
    qtbot.waitUntil(lambda: len(_tiles_with_cameras(video)) >= 1 and _all_playing(video), timeout=PLAY_TIMEOUT_MS)
    index = next(i for i, t in enumerate(video.tiles()) if t.camera is not None)
    with qtbot.waitSignal(video.evidence_saved, timeout=10_000) as saved:
        video.snapshot_tile(index, operator=video.operator)
    record = saved.args[0]
    assert record.operator == "op", "filed under the signed-in user, not the computer's account"
    said = window.statusBar().currentMessage()
    picture = video.evidence.picture_path(record.sha256)
    assert picture.is_file()
    assert str(picture) in said
    assert record.sha256 in said, "the whole hash, to compare against later"
    assert said.startswith(f"{record.camera_name} 的截图已存证：")
