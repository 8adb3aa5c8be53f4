"""The strip under each tile reads whole at every layout's tile size, in Chinese and English.

Measured on the rendered wall (Xvfb): every label of the strip paints text that fits its
rectangle (cut at a whole character with "…" if need be, never through a glyph), no two
labels' rectangles intersect, the case number of a red alert is painted whole, and the
alert names the rule in the interface's language — never its code (``SKIPPED_NODE``).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QRect

from desktop import i18n
from desktop.video.model import Camera, parse_alerts
from desktop.video.tile import FitLabel, Tile
from desktop.video.wall import VideoWall

CASES = {"T01": ("SEGREGATION", "2026-0001234"), "T02": ("SKIPPED_NODE", "2026-0004567"),
         "T03": ("FEE_EXCESS", "2026-0007890")}


@pytest.fixture
def wall(qtbot: Any, tmp_path: Path, libvlc: None) -> Iterator[VideoWall]:
    widget = VideoWall(evidence_dir=tmp_path / "evidence")
    qtbot.addWidget(widget)
    widget.setGeometry(0, 0, 1280, 720)
    widget.show()
    qtbot.waitExposed(widget)
    yield widget
    widget.shutdown()


def _cameras() -> list[Camera]:
    # Nothing listens on port 9: the tiles go offline, and their strips show the longest
    # English state texts.
    return [Camera(f"c{i}", f"T0{i % 3 + 1} 综合服务窗口 {i} 号", f"T0{i % 3 + 1}", str(i),
                   f"http://127.0.0.1:9/{i}") for i in range(9)]


def _alerts() -> list[Any]:
    return parse_alerts([{"id": f"A-{office}", "rule": rule, "severity": "red", "status": "open",
                          "subject": {"type": "case", "office": office, "case_no": case},
                          "raised_at": "2026-03-03T10:00:00+08:00", "evidence": {}, "message": "x"}
                         for office, (rule, case) in CASES.items()])


def _strip_problems(tile: Tile) -> list[str]:
    labels = [w for w in tile.findChildren(FitLabel) if w.isVisible()]
    problems = []
    for label in labels:
        shown = label.shown_text()
        width = label.fontMetrics().horizontalAdvance(shown)
        if width > label.contentsRect().width():
            problems.append(f"{label.text()!r} paints {width} px in {label.contentsRect().width()} px")
        if shown != label.text() and not shown.endswith("…"):
            problems.append(f"{label.text()!r} is cut as {shown!r}")
    rects = [(label, QRect(label.mapTo(tile, label.rect().topLeft()), label.size())) for label in labels]
    for i, (a, ra) in enumerate(rects):
        for b, rb in rects[i + 1:]:
            if ra.intersects(rb):
                problems.append(f"{a.text()!r} {ra} overlaps {b.text()!r} {rb}")
    return problems


@pytest.mark.parametrize("language", ["zh_CN", "en"])
@pytest.mark.parametrize("layout", ["2x2", "3x3", "1+5"])
@pytest.mark.parametrize("size", [(1280, 720), (960, 540)])
def test_strip_reads_whole_at_every_layout(qapp: Any, qtbot: Any, wall: VideoWall, language: str, layout: str,
                                           size: tuple[int, int]) -> None:
    i18n.install(qapp, language)
    try:
        wall.resize(*size)
        wall.set_wall_layout(layout)
        wall.set_cameras(_cameras())
        wall.set_active_alerts(_alerts())
        qtbot.waitUntil(lambda: len(wall.alerted_tiles()) >= 3, timeout=5_000)
        wall.grab()  # lays out and paints everything, as on screen
        for index in range(len(wall.tiles())):
            tile = wall.tile(index)
            assert _strip_problems(tile) == [], f"tile {index} ({tile.width()}×{tile.height()})"
        for index in wall.alerted_tiles():
            tile = wall.tile(index)
            assert tile.camera is not None
            rule, case = CASES[tile.camera.office]
            alert_text = tile.alert_label.text()
            assert rule not in alert_text, "the rule's name, not its code"
            expected = {"SEGREGATION": ("不相容岗位未分离", "segregation of duties"),
                        "SKIPPED_NODE": ("跳过办理环节", "skipped procedure node"),
                        "FEE_EXCESS": ("超标准收费", "fee above the standard")}[rule]
            assert expected[0 if language == "zh_CN" else 1] in alert_text
            assert case in tile.alert_case_label.shown_text(), "the case number is painted whole"
            assert ("办件" in tile.alert_case_label.text()) == (language == "zh_CN")
    finally:
        i18n.reset(qapp)


def test_alert_names_its_rule_by_the_servers_names(qapp: Any, qtbot: Any, wall: VideoWall) -> None:
    """A rule the console does not know (a newer server's) still shows the name the server sent."""
    wall.set_wall_layout("2x2")
    wall.set_cameras(_cameras()[:4])
    alert = {"id": "A-1", "rule": "WINDOW_UNSTAFFED", "severity": "red", "status": "open",
             "rule_name": {"zh_CN": "窗口无人值守", "en": "window unstaffed"},
             "subject": {"type": "case", "office": "T02", "case_no": "2026-0000042"}, "evidence": {}}
    for language, name in (("zh_CN", "窗口无人值守"), ("en", "window unstaffed")):
        i18n.install(qapp, language)
        try:
            wall.set_active_alerts(parse_alerts([alert]))
            qtbot.waitUntil(lambda: bool(wall.alerted_tiles()), timeout=5_000)
            tile = wall.tile(wall.alerted_tiles()[0])
            tile.refresh()
            assert name in tile.alert_label.text()
            assert "WINDOW_UNSTAFFED" not in tile.strip_text()
        finally:
            i18n.reset(qapp)
