"""Makes the wall screenshots in ``docs/screenshots/wall-*.png`` from live test streams.

Runs the standalone window (Chinese UI) under a private Xvfb with cvlc HTTP-TS streams:
2×2, 3×3, and 1+5 with one tile under an active red alert.

    python bench/video_screenshots.py [--out docs/screenshots] [--lang en]
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

NAMES = ["行政审批 1号窗口", "行政审批 2号窗口", "不动产登记 3号窗口", "社保医保 4号窗口", "公安户政 1号窗口",
         "税务 2号窗口", "市场监管 1号窗口", "公积金 2号窗口", "综合受理大厅", "民政 1号窗口"]
OFFICES = ["T01", "T01", "T01", "T01", "T02", "T02", "T03", "T03", "D07", "D07"]
WINDOWS = ["1", "2", "3", "4", "1", "2", "1", "2", "大厅", "1"]


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--out", default=str(ROOT / "docs" / "screenshots"))
    p.add_argument("--lang", default="zh_CN", help="zh_CN (the docs' screenshots) or en")
    args = p.parse_args(argv)
    from desktop.video.demo_streams import private_xvfb as xvfb_display

    with xvfb_display(1600, 900):
        os.environ["QT_QPA_PLATFORM"] = "xcb"
        os.environ["YINGYAN_DATA_DIR"] = str(Path(args.out) / ".tmp-data")
        from desktop.video.demo_streams import StreamFarm

        with StreamFarm() as farm:
            farm.add(9, prefix="窗口", seconds=10)  # as `yingyan demo` labels them
            farm.start()
            code = shoot(farm, Path(args.out), args.lang)
    return code


def shoot(farm: object, out: Path, lang: str = "zh_CN") -> int:
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from desktop.video.demo_streams import StreamFarm
    from desktop.video.i18n import install_translation
    from desktop.video.layouts import LayoutStore
    from desktop.video.model import Camera, parse_alerts
    from desktop.video.player import TileState
    from desktop.video.window import WallWindow

    assert isinstance(farm, StreamFarm)
    app = QApplication(["yingyan wall"])
    install_translation(app, lang)
    tmp = out / ".tmp-data"
    cams = [Camera(f"cam{i + 1}", NAMES[i], OFFICES[i], WINDOWS[i], s.url, s.url)
            for i, s in enumerate(farm.streams)]
    alerts = parse_alerts([{"id": "A-2026-0042", "rule": "SKIPPED_NODE", "severity": "red", "status": "open",
                            "subject": {"type": "case", "office": "T02", "case_no": "2026-0000123"},
                            "evidence": {"window": "2"}, "message": "办件超过承诺时限"}])
    out.mkdir(parents=True, exist_ok=True)
    for layout, with_alert in (("2x2", False), ("3x3", False), ("1+5", True)):
        window = WallWindow(settings=QSettings(str(tmp / "wall.ini"), QSettings.Format.IniFormat),
                            store=LayoutStore(tmp / "views.json"), operator="演示")
        window.apply_layout_or_view(layout)
        window.set_cameras(cams)
        if with_alert:
            window.wall.show_camera("cam6")
            window.set_active_alerts(alerts)
        window.setGeometry(0, 0, 1600, 900)
        window.show()
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            app.processEvents()
            tiles = [t for t in window.wall.tiles() if t.camera]
            if all(t.state == TileState.PLAYING and t.player.fps > 10 for t in tiles):
                break
            time.sleep(0.05)
        end = time.monotonic() + 2  # let fps and strips settle
        while time.monotonic() < end:
            app.processEvents()
            time.sleep(0.05)
        screen = window.screen()
        picture = screen.grabWindow(0, 0, 0, 1600, 900)
        name = out / f"wall-{layout.replace('+', 'plus')}.png"
        picture.save(str(name))
        print(f"wrote {name}")
        window.close()
        app.processEvents()
    import shutil

    shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    code = main()
    sys.stdout.flush()
    os._exit(code)
