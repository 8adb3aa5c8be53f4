"""Cameras, alerts, layouts and saved views: the parts of the wall that need neither Qt nor libvlc."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from desktop.video.layouts import LayoutStore, SavedView, grid, large_plus, layout_by_name
from desktop.video.model import (
    ActiveAlert,
    Camera,
    CameraConfigError,
    alerts_for_camera,
    load_cameras_file,
    parse_alerts,
    redact_url,
)

CAMS = [
    {"id": "c1", "name": "窗口一", "office": "T03", "window": "1", "main_url": "http://h/1", "sub_url": "http://h/1s",
     "enabled": True},
    {"id": "c2", "name": "窗口二", "office": "T03", "window": "2", "main_url": "http://h/2", "enabled": False},
    {"id": "c3", "name": "大厅", "office": "D07", "window": "", "main_url": "rtsp://u:secret@h/3"},
]


def test_cameras_file_loads_in_the_server_shape(tmp_path: Path) -> None:
    path = tmp_path / "cams.json"
    path.write_text(json.dumps(CAMS, ensure_ascii=False), encoding="utf-8")
    cams = load_cameras_file(path)
    assert [c.id for c in cams] == ["c1", "c2", "c3"]
    assert cams[0].stream_url(main=False) == "http://h/1s"
    assert cams[0].stream_url(main=True) == "http://h/1"
    assert cams[1].stream_url(main=False) == "http://h/2", "no sub stream: the main stream is used"
    assert not cams[1].enabled
    assert cams[0].place == "T03 / 1"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"not": "a list"}, "JSON list"),
        ([{"name": "x", "main_url": "http://h"}], "'id' is missing"),
        ([{"id": "a"}], "'main_url' is missing"),
        ([{"id": "a", "main_url": "u"}, {"id": "a", "main_url": "v"}], "appears twice"),
        ([{"id": "a", "main_url": "u", "enabled": "yes"}], "true or false"),
    ],
)
def test_bad_camera_lists_are_refused_with_a_reason(tmp_path: Path, data: object, message: str) -> None:
    path = tmp_path / "cams.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(CameraConfigError, match=message):
        load_cameras_file(path)


def test_stream_passwords_are_redacted_for_logs() -> None:
    assert redact_url("rtsp://admin:secret@10.0.0.5:554/ch1") == "rtsp://10.0.0.5:554/ch1"
    assert redact_url("http://127.0.0.1:8081/cam") == "http://127.0.0.1:8081/cam"


def _alert(**kw: object) -> dict[str, object]:
    base: dict[str, object] = {"id": "A1", "rule": "overdue", "severity": "red", "status": "open",
                               "subject": {"type": "case", "office": "T03", "case_no": "2026-0000123"},
                               "raised_at": "2026-03-03T10:00:00+08:00", "evidence": {}}
    base.update(kw)
    return base


def test_alerts_match_by_office_and_by_window_when_the_evidence_names_one() -> None:
    alerts = parse_alerts({"alerts": [
        _alert(id="office-wide"),
        _alert(id="window-2", evidence={"window": "2"}, raised_at="2026-03-03T11:00:00+08:00"),
        _alert(id="yellow", severity="yellow"),
        _alert(id="other-office", subject={"type": "office", "office": "T09"}),
        _alert(id="no-office", subject={"type": "petition", "petition_id": "P1"}),
    ], "next": None})
    assert [a.id for a in alerts] == ["office-wide", "window-2", "yellow", "other-office"]
    win1 = Camera("c1", "w1", "T03", "1", "http://h/1")
    win2 = Camera("c2", "w2", "T03", "2", "http://h/2")
    elsewhere = Camera("c9", "w9", "D07", "1", "http://h/9")
    assert [a.id for a in alerts_for_camera(win1, alerts)] == ["office-wide"]
    assert [a.id for a in alerts_for_camera(win2, alerts)] == ["window-2", "office-wide"], "newest first"
    assert alerts_for_camera(elsewhere, alerts) == []
    assert all(isinstance(a, ActiveAlert) for a in alerts)


def test_preset_layouts_have_the_cells_an_operator_expects() -> None:
    assert [len(layout_by_name(n)) for n in ("1", "2x2", "3x3", "4x4", "1+5", "1+7", "1+12")] == [1, 4, 9, 16, 6, 8, 13]
    one_plus_five = layout_by_name("1+5")
    assert one_plus_five.large_index() == 0
    assert one_plus_five.cells[0].area == 4
    assert one_plus_five.is_main_stream_cell(0), "the large tile plays the main stream"
    assert not one_plus_five.is_main_stream_cell(1)
    assert not grid(3).is_main_stream_cell(4)
    assert layout_by_name("2×3").cols == 3
    with pytest.raises(ValueError, match="unknown layout"):
        layout_by_name("banana")
    with pytest.raises(ValueError, match="the large cell"):
        large_plus(3, 3)


def test_saved_views_round_trip_per_user(tmp_path: Path) -> None:
    store = LayoutStore(tmp_path / "video" / "views.json")
    assert store.names() == []
    view = SavedView("大厅早班", layout_by_name("1+5"), ["c1", None, "c3"], tour=["c1", "c3"], tour_seconds=7)
    store.save(view)
    store.save(SavedView("夜班", grid(2), ["c2"]))
    reopened = LayoutStore(tmp_path / "video" / "views.json")
    assert reopened.names() == ["夜班", "大厅早班"]
    got = reopened.get("大厅早班")
    assert got is not None
    assert got.layout == view.layout
    assert got.cameras == ["c1", None, "c3"]
    assert got.tour == ["c1", "c3"]
    assert got.tour_seconds == 7
    assert reopened.delete("夜班")
    assert reopened.names() == ["大厅早班"]
    assert not list((tmp_path / "video").glob("*.tmp")), "writes go through a temporary file and a rename"


def test_a_damaged_views_file_does_not_stop_the_wall(tmp_path: Path) -> None:
    path = tmp_path / "views.json"
    path.write_text("{half a file", encoding="utf-8")
    assert LayoutStore(path).load_all() == {}
