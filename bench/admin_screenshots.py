"""Screenshots of the console's administration pane, in Chinese and English, into docs/screenshots/.

    .venv/bin/python bench/admin_screenshots.py [--out docs/screenshots]

A real server (TLS, simulated clock at 2026-12-20, so next year's holidays are missing) gets a
Chengdu-sized demo catalogue (7,437 items in 49 departments), a city → county → township tree
of offices and a few users; an administrator signs in and each view is rendered off screen:
the users, the catalogue with the dry-run report of a sheet with twenty mistakes over it, and
the 2026 holiday year view.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from server.demo_data import demo_catalogue, demo_offices
from tests.admin_data import sheet, write_xlsx
from tests.harness import ServerProcess

ADMIN = ("chief", "chief-admin-1")
USERS = [("duty1", "值班员 王", "operator", ["T01", "T02"]), ("duty2", "值班员 李", "operator", []),
         ("inv-chen", "调查员 陈", "investigator", []), ("xf-zhao", "信访专员 赵", "petition_officer", []),
         ("lead-liu", "刘主任", "leader", [])]


def populate(server: ServerProcess) -> None:
    assert server.call("PUT", "/catalogue", {"items": demo_catalogue(departments=49, items=7437)}).status == 200
    for office in ({"code": "C01", "name": "泉州市监察中心", "kind": "centre"},
                   {"code": "K01", "name": "泉港区电子监察中心", "kind": "centre", "parent": "C01"}):
        assert server.call("POST", "/offices", office).status == 201
    for office in demo_offices(8):
        assert server.call("POST", "/offices", {**office, "parent": "K01"}).status == 201
    assert server.call("POST", "/users", {"username": ADMIN[0], "password": ADMIN[1], "role": "admin",
                                          "display_name": "系统管理员"}).status == 201
    for name, display, role, offices in USERS:
        r = server.call("POST", "/users", {"username": name, "password": "password-123", "role": role,
                                           "display_name": display, "offices": offices})
        assert r.status == 201, r.body
    assert server.call("PATCH", "/users/duty2", {"disabled": True}).status == 200
    assert server.call("PUT", "/admin/settings/office-silent", {"hours": 36}).status == 200


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=Path(__file__).resolve().parents[1] / "docs" / "screenshots")
    args = ap.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix="yingyan-admin-shots-"))
    os.environ["YINGYAN_DATA_DIR"] = str(tmp / "userdata")
    server = ServerProcess(tmp / "data", simulated_clock="2026-12-20T10:00:00+08:00")
    server.init()
    server.start()
    try:
        populate(server)
        rows, _ = sheet(broken=True)
        bad = write_xlsx(tmp / "权力事项目录-有误.xlsx", rows)
        return shoot(server, args.out, tmp, bad)
    finally:
        server.stop()


def shoot(server: ServerProcess, out: Path, tmp: Path, bad_sheet: Path) -> int:
    from PySide6.QtCore import QCoreApplication, QPoint, QSettings
    from PySide6.QtGui import QPainter
    from PySide6.QtWidgets import QApplication

    from desktop import i18n
    from desktop.common.api import ApiClient
    from desktop.console import theme
    from desktop.console.admin.hooks import show_administration
    from desktop.console.session import open_session
    from desktop.console.window import ConsoleWindow
    from desktop.replica import sync

    app = QApplication(sys.argv[:1])
    QCoreApplication.setOrganizationName("YingyanShots")
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp / "settings"))
    theme.apply(app, True)
    client = ApiClient(f"https://127.0.0.1:{server.port}", str(server.ca_file))
    client.login(*ADMIN)

    def pump(until: Any, timeout: float = 120.0) -> None:
        deadline = time.monotonic() + timeout
        while not until():
            if time.monotonic() > deadline:
                raise TimeoutError("the console did not get there in time")
            app.processEvents()
            time.sleep(0.01)

    def settle(seconds: float = 0.6) -> None:
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            app.processEvents()
            time.sleep(0.01)

    for lang in ("zh_CN", "en"):
        i18n.install(app, lang)
        tag = "zh" if lang.startswith("zh") else "en"
        session = open_session(client, ADMIN[0], role="admin", replica_file=tmp / f"replica-{tag}.sqlite3", wait=5.0)
        window = ConsoleWindow(session)
        window.resize(1920, 1080)
        window.show()
        session.engine.start()
        pump(lambda s=session: s.engine.state == sync.LIVE)
        pane = show_administration(window)
        window.case_dock.hide()
        pump(lambda w=window: w.calendar_notice_label.isVisible())

        pane.show_tab(pane.users)
        pump(lambda p=pane: p.users.busy == 0 and bool(p.users.users))
        pane.users.select("duty1")
        settle()
        window.grab().save(str(out / f"admin-users-{tag}.png"))

        pane.show_tab(pane.catalogue)
        pump(lambda p=pane: p.catalogue.busy == 0 and p.catalogue.model.rowCount() > 7000)
        pane.catalogue.filter.setText("许可")
        pane.catalogue.table.selectRow(3)
        pane.catalogue.import_file(str(bad_sheet))
        pump(lambda p=pane: p.catalogue.dialog is not None and p.catalogue.dialog.isVisible())
        dialog = pane.catalogue.dialog
        dialog.resize(1500, 720)
        settle()
        shot = window.grab()
        painter = QPainter(shot)
        painter.drawPixmap(QPoint((shot.width() - dialog.width()) // 2, 200), dialog.grab())
        painter.end()
        shot.save(str(out / f"admin-catalogue-import-{tag}.png"))
        dialog.close()

        pane.show_tab(pane.calendar)
        pane.calendar.year.setValue(2026)
        pump(lambda p=pane: p.calendar.busy == 0 and bool(p.calendar.view.months))
        settle()
        window.grab().save(str(out / f"admin-calendar-{tag}.png"))
        window.close()
        session.shutdown(8000)
        window.deleteLater()
        settle(0.2)
    for p in sorted(out.glob("admin-*.png")):
        print(p)
    sys.stdout.flush()
    os._exit(0)


if __name__ == "__main__":
    sys.exit(main())
