"""Screenshots of cards, notices and the leader's overview at 1920×1080, in Chinese and English.

    .venv/bin/python bench/oversight_screenshots.py [--out docs/screenshots] [--days 55]

A real server (TLS, simulated clock) gets the demo catalogue and twelve townships
(``server.demo_data``), which sync from 2025-12-01 in daily batches while the clock moves, so
the overview has three months of figures. An operator issues cards and supervision notices
(one answered in time in the township's batch, one late, one still awaiting); then the console
is rendered off screen: a card being issued from the wall, the notices tracker, and — signed in
as a leader — the overview's headline and trends, the evaluation ranking and the risk index
drilled down to the alert behind a point. Kept apart from ``console_screenshots.py`` so that
these are retaken without retaking the wall's and the big screen's.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from bench import common
from desktop.demo import DEMO_RATING_WEIGHTS, DEMO_VIOLATION_RATES
from server.demo_data import TownshipSimulator, demo_catalogue, demo_offices
from shared.timeutil import DAY, HOUR, format_instant, parse_instant
from tests.harness import CATALOGUE, ServerProcess

OPERATOR = ("duty", "duty-operator-1")
LEADER = ("chief", "chief-leader-1")
START = "2025-12-01T08:00:00+08:00"


def populate(server: ServerProcess, days: int) -> dict[str, str]:
    catalogue = CATALOGUE + demo_catalogue(items=400)
    assert server.call("PUT", "/catalogue", {"items": catalogue}).status == 200
    tokens = {}
    for office in demo_offices(12):
        r = server.call("POST", "/offices", office)
        assert r.status == 201, r.body
        tokens[office["code"]] = r.json()["token"]
    for (name, password), role, shown in ((OPERATOR, "operator", "值班员"), (LEADER, "leader", "纪委监委主任")):
        r = server.call("POST", "/users", {"username": name, "password": password, "role": role,
                                           "display_name": shown})
        assert r.status == 201, r.body
    # The demo's townships (its violation rates and ratings), fewer cases an hour to keep this quick.
    sims = [TownshipSimulator(code, catalogue[len(CATALOGUE):], seed=i + 1, cases_per_hour=0.25 + 0.05 * (i % 4),
                              violation_rate=DEMO_VIOLATION_RATES[i % len(DEMO_VIOLATION_RATES)],
                              rating_weights=DEMO_RATING_WEIGHTS)
            for i, code in enumerate(tokens)]
    t = parse_instant(START)
    end = t + days * DAY
    while t < end:
        nxt = t + 24 * HOUR
        server.call("PUT", "/admin/clock", {"now": format_instant(nxt + 5 * 60 * 1_000_000)})
        for sim in sims:
            records = sim.records_between(t, nxt)
            for start in range(0, len(records), 5000):
                r = server.post_batch(sim.office, tokens[sim.office], records[start:start + 5000],
                                      complete_until=format_instant(nxt))
                assert r.status == 200, r.body
        t = nxt
    return tokens


def act(server: ServerProcess, token: str, entity: str, entity_id: str, action: str, data: dict[str, Any]) -> None:
    r = server.call("POST", "/mutations", {"mutations": [{"id": str(uuid.uuid4()), "entity": entity,
                                                          "entity_id": entity_id, "action": action, "data": data}]},
                    token=token)
    assert (r.status, r.json()["results"][0]["status"]) == (200, "applied"), r.body


def oversee(server: ServerProcess, tokens: dict[str, str]) -> None:
    """Cards and notices on the month's worst alerts: one notice answered in time, one late, one awaiting."""
    r = server.call("POST", "/auth/token", {"username": OPERATOR[0], "password": OPERATOR[1]}, token=None)
    op = r.json()["token"]
    alerts = server.call("GET", "/alerts?active=true&limit=500").json()["alerts"]
    by_office: dict[str, list[dict[str, Any]]] = {}
    for a in alerts:
        if a["subject"].get("type") == "case":
            by_office.setdefault(a["subject"]["office"], []).append(a)
    worst = sorted(by_office, key=lambda o: -len(by_office[o]))
    for i, office in enumerate(worst[:4]):
        ids = [a["id"] for a in by_office[office][:3]]
        act(server, op, "card", str(uuid.uuid4()), "issue", {"kind": "red" if i == 0 else "yellow", "office": office,
                                                             "reason": "多次超期办理，群众反映强烈", "alerts": ids})
    notices = []
    for office, days in zip(worst[:3], (2, 1, 5), strict=True):
        nid = str(uuid.uuid4())
        act(server, op, "notice", nid, "issue", {"office": office, "subject": "关于审批超期问题的督办通知",
                                                 "body": "请于期限内书面说明原因及整改措施。",
                                                 "alerts": [a["id"] for a in by_office[office][:2]],
                                                 "reply_days": days})
        notices.append((office, nid))
    now = parse_instant(server.call("GET", "/admin/clock").json()["now"])
    later = now + 3 * DAY
    server.call("PUT", "/admin/clock", {"now": format_instant(later)})
    answered, _late, _waiting = notices
    server.post_batch(answered[0], tokens[answered[0]], [
        {"kind": "notice_reply", "id": str(uuid.uuid4()), "notice_id": answered[1],
         "at": format_instant(now + 2 * HOUR), "text": "已整改：窗口人员调整，超期件已全部办结。"}],
        complete_until=format_instant(later))
    for office, token in tokens.items():
        if office != answered[0]:
            server.post_batch(office, token, [], complete_until=format_instant(later))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=Path(__file__).resolve().parents[1] / "docs" / "screenshots")
    # Ends on Sunday 2026-01-25: the notices fall due in the working week after, not in the festival.
    ap.add_argument("--days", type=int, default=55)
    args = ap.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix="yingyan-oversight-"))
    os.environ["YINGYAN_DATA_DIR"] = str(tmp / "userdata")
    server = ServerProcess(tmp / "data", simulated_clock=START)
    server.init()
    server.start()
    try:
        t0 = time.monotonic()
        tokens = populate(server, args.days)
        oversee(server, tokens)
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

    def pump(until: Any, timeout: float = 120.0) -> None:
        common.pump(app, until, timeout)

    def settle(seconds: float = 0.8) -> None:
        common.settle(app, seconds)

    def console(user: tuple[str, str], role: str) -> Any:
        client = ApiClient(f"https://127.0.0.1:{server.port}", str(server.ca_file))
        client.login(*user)
        session = open_session(client, user[0], role=role, replica_file=tmp / f"{user[0]}.sqlite3", wait=5.0)
        window = ConsoleWindow(session)
        window.resize(1920, 1080)
        window.show()
        session.engine.start()
        pump(lambda: session.engine.state == sync.LIVE)
        # The clock the tracker counts on (read every half minute otherwise).
        session.engine._read_server_clock()
        settle(1.0)
        return window, session

    for lang in ("zh_CN", "en"):
        i18n.install(app, lang)
        tag = "zh" if lang.startswith("zh") else "en"

        window, session = console(OPERATOR, "operator")
        window.case_dock.hide()
        window.wall.model.reload()
        pump(lambda w=window: w.wall.model.rowCount() > 0 and not w.wall.model.busy)
        red = next(r for r in range(window.wall.model.rowCount())
                   if (window.wall.model.row_info(r) or {}).get("severity") == "red")
        window.wall.table.selectRow(red)
        window.wall.table.setFocus()
        window.oversight.ask_issue("card")
        pump(lambda w=window: w.oversight.dialog is not None)
        dialog = window.oversight.dialog
        dialog.staff.setText("王某某")
        dialog.move(window.geometry().center() - dialog.rect().center())
        settle()
        # The form over the wall it was opened from, as the operator sees it.
        shot = window.grab()
        # Off screen there is no window manager: the dialog's frame and title are drawn here.
        from PySide6.QtCore import QRect, Qt
        from PySide6.QtGui import QColor, QPainter

        painter = QPainter(shot)
        at = dialog.geometry().topLeft() - window.geometry().topLeft()
        title = QRect(at.x() - 1, at.y() - 30, dialog.width() + 2, 30)
        painter.fillRect(title, QColor("#30363d"))
        painter.setPen(QColor("#e6edf3"))
        painter.drawText(title.adjusted(10, 0, 0, 0), int(Qt.AlignmentFlag.AlignVCenter), dialog.windowTitle())
        painter.drawPixmap(at, dialog.grab())
        painter.setPen(QColor("#58a6ff"))
        painter.drawRect(QRect(at.x() - 1, at.y() - 30, dialog.width() + 1, dialog.height() + 30))
        painter.end()
        shot.save(str(out / f"console-card-issue-{tag}.png"))
        dialog.reject()

        tracker = window.oversight.show_notices()
        pump(lambda t=tracker: t.loaded and t.model.rowCount() >= 3)
        # The answered one is open beside the list; the overdue one shows its red in the list.
        answered = next((r for r in tracker.model.records() if r["state"] == "replied"), tracker.model.record(0))
        assert answered is not None
        tracker.select(str(answered["id"]))
        settle()
        window.grab().save(str(out / f"console-notices-{tag}.png"))
        window.close()
        session.shutdown(8000)
        window.deleteLater()
        settle(0.2)

        window, session = console(LEADER, "leader")
        overview = window.oversight.overview
        pump(lambda o=overview: o.figures is not None and o.figures.trend)
        settle(1.5)
        window.grab().save(str(out / f"console-overview-{tag}.png"))
        overview.tabs.setCurrentIndex(1)
        settle()
        window.grab().save(str(out / f"console-evaluation-{tag}.png"))
        overview.tabs.setCurrentIndex(2)
        overview.risk_table.selectRow(0)
        pump(lambda o=overview: o.points_model.rowCount() > 0)
        first_alert = next((i for i, p in enumerate(overview.points_model.records()) if p["ref"]["type"] == "alert"), 0)
        overview.select_point(first_alert)
        pump(lambda o=overview: o.record is not None)
        settle()
        window.grab().save(str(out / f"console-risk-drilldown-{tag}.png"))
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
