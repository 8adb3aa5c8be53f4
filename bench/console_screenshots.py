"""Screenshots of the console at 1920×1080, in Chinese and English, into docs/screenshots/.

    .venv/bin/python bench/console_screenshots.py [--out docs/screenshots] [--days 26]

A real server (TLS, simulated clock) gets the demo catalogue and twelve township offices
from ``server.demo_data``; the townships sync four weeks of records around the Spring
Festival 2026 (holidays 02-15…02-23, adjusted working days 02-14 and 02-28) in half-day
batches while the clock moves, plus one case that runs across the festival. The console
signs in as an operator, catches up through the change feed, and each view is rendered
off screen: the alert wall, that case's timeline, the statistics, the big screen.
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

from server.demo_data import TownshipSimulator, demo_catalogue, demo_offices
from shared.timeutil import HOUR, format_instant, parse_instant
from tests.desktop.console.test_case_review import CASE, spring_festival_case
from tests.harness import CATALOGUE, ServerProcess

OPERATOR = ("duty", "duty-operator-1")


def populate(server: ServerProcess, days: int) -> None:
    catalogue = CATALOGUE + demo_catalogue(items=400)
    assert server.call("PUT", "/catalogue", {"items": catalogue}).status == 200
    tokens = {}
    for office in demo_offices(12):
        r = server.call("POST", "/offices", office)
        assert r.status == 201, r.body
        tokens[office["code"]] = r.json()["token"]
    r = server.call("POST", "/users", {"username": OPERATOR[0], "password": OPERATOR[1], "role": "operator",
                                       "display_name": "值班员"})
    assert r.status == 201, r.body
    sims = [TownshipSimulator(code, catalogue[len(CATALOGUE):], seed=i + 1, cases_per_hour=0.8)
            for i, code in enumerate(tokens)]
    t = parse_instant("2026-02-02T08:00:00+08:00")
    end = t + days * 24 * HOUR
    # The festival case is recorded as it happens (each event in the batch of its half-day),
    # as a township does: sent all at once at the end, every event would be 补录 (back-filled).
    festival = spring_festival_case()
    while t < end:
        nxt = t + 12 * HOUR
        server.call("PUT", "/admin/clock", {"now": format_instant(nxt + 5 * 60 * 1_000_000)})
        for sim in sims:
            records = sim.records_between(t, nxt)
            if sim.office == "T01":
                # In T01's own batch: a batch declares its office complete up to its end, so
                # sent separately, whichever went second would be late (补录).
                records = [r for r in festival if t < parse_instant(r["at"]) <= nxt] + records
            for start in range(0, len(records), 5000):
                r = server.post_batch(sim.office, tokens[sim.office], records[start:start + 5000],
                                      complete_until=format_instant(nxt))
                assert r.status == 200, r.body
        t = nxt


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=Path(__file__).resolve().parents[1] / "docs" / "screenshots")
    ap.add_argument("--days", type=int, default=32)
    args = ap.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix="yingyan-shots-"))
    os.environ["YINGYAN_DATA_DIR"] = str(tmp / "userdata")
    server = ServerProcess(tmp / "data", simulated_clock="2026-02-02T08:00:00+08:00")
    server.init()
    server.start()
    try:
        t0 = time.monotonic()
        populate(server, args.days)
        print(f"server populated in {time.monotonic() - t0:.0f} s")
        return shoot(server, args.out, tmp)
    finally:
        server.stop()


def shoot(server: ServerProcess, out: Path, tmp: Path) -> int:
    from PySide6.QtCore import QCoreApplication, QSettings
    from PySide6.QtWidgets import QApplication

    from desktop import i18n
    from desktop.common.api import ApiClient
    from desktop.console import theme
    from desktop.console.session import open_session
    from desktop.console.window import ConsoleWindow
    from desktop.replica import sync

    app = QApplication(sys.argv[:1])
    QCoreApplication.setOrganizationName("YingyanShots")
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp / "settings"))
    theme.apply(app, True)
    client = ApiClient(f"https://127.0.0.1:{server.port}", str(server.ca_file))
    client.login(*OPERATOR)
    replica_file = tmp / "replica.sqlite3"

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
        session = open_session(client, OPERATOR[0], role="operator", replica_file=replica_file, wait=5.0)
        window = ConsoleWindow(session)
        window.resize(1920, 1080)
        window.show()
        session.engine.start()
        pump(lambda s=session: s.engine.state == sync.LIVE)
        window.wall.model.reload()
        window.wall.group_combo.setCurrentIndex(window.wall.group_combo.findData("office"))
        pump(lambda w=window: w.wall.groups.rowCount() > 0 and not w.wall.model.busy)
        window.wall.table.selectRow(2)
        window.wall.table.setFocus()
        window.open_case("T01", CASE)
        pump(lambda w=window: w.case_pane.source == "server")
        window.case_dock.hide()
        settle()
        window.grab().save(str(out / f"console-wall-{tag}.png"))

        window.case_dock.show()
        window.case_dock.setFloating(True)
        window.case_dock.resize(1920, 1080)
        window.case_dock.move(0, 0)
        window.case_pane.tabs.setCurrentIndex(0)
        settle()
        window.case_dock.grab().save(str(out / f"console-case-{tag}.png"))
        window.case_dock.setFloating(False)
        window.case_dock.hide()

        window.show_stats()
        pump(lambda w=window: w.stats is not None and w.stats.stats is not None)
        settle()
        window.grab().save(str(out / f"console-stats-{tag}.png"))
        assert window.stats is not None
        window.stats.tables.setCurrentIndex(1)
        settle()
        window.grab().save(str(out / f"console-stats-departments-{tag}.png"))

        window.show_bigscreen()
        big = window.bigscreen
        big.showNormal()
        big.resize(1920, 1080)
        pump(lambda b=big: b.summary is not None)
        settle()
        big.grab().save(str(out / f"console-bigscreen-{tag}.png"))
        big.close()
        window.close()
        session.shutdown(8000)
        window.deleteLater()
        settle(0.2)
    for p in sorted(out.glob("console-*.png")):
        print(p)
    sys.stdout.flush()
    os._exit(0)


if __name__ == "__main__":
    sys.exit(main())
