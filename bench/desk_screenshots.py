"""Screenshots of the petition desk at 1600×1000, in Chinese and English, into docs/screenshots/.

    .venv/bin/python bench/desk_screenshots.py [--out docs/screenshots]

A real server (TLS, simulated clock 2026-04-20 10:00) gets the centre's office, two townships
and a petition officer. Townships send petitions in their batches (some accepted, one extended,
one left undecided past its 15 days); the desk registers two more, one the same complaint as a
township's reworded (一信多投). The console signs in as the petition officer; the views are
rendered off screen: the desk's list (overdue first, with countdowns), a petition with its merge
suggestion side by side, and the registration form. (Separate from ``console_screenshots.py``,
whose four weeks of approval records the desk does not need.)
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import uuid
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from bench import common
from tests.harness import ServerProcess

OFFICER = ("xinfang", "desk-officer-1")
NOW = "2026-04-20T10:00:00+08:00"

#: (office, received, subject, unit, title, category, content, events as (type, at, days/text))
PETITIONS: list[tuple[str, str, str, str, str, str, str, list[tuple[str, str, Any]]]] = [
    ("T01", "2026-03-24T09:10:00+08:00", "王某", "城关镇财政所", "所长", "fees",
     "反映城关镇财政所王某在发放农机购置补贴时，要求每户缴纳“手续费”二百元，不交不给办理。", []),
    ("T01", "2026-03-30T15:20:00+08:00", "赵某某", "城关镇市场监管所", "窗口人员", "approval",
     "反映办理食品经营许可证时，窗口人员赵某某以材料不全为由三次退件，却不一次性告知需补正的材料。",
     [("accepted", "2026-04-02T10:00:00+08:00", None)]),
    ("T02", "2026-02-10T11:00:00+08:00", "刘某", "河口乡国土所", "副所长", "land",
     "反映河口乡国土所刘某在宅基地审批中收受好处费，未缴费的农户申请一年多未获审批。",
     [("accepted", "2026-02-12T09:00:00+08:00", None), ("extended", "2026-04-08T09:00:00+08:00", 20),
      ("assigned", "2026-02-13T09:00:00+08:00", "县纪委第二监督检查室")]),
    ("T02", "2026-04-14T08:40:00+08:00", "陈某", "河口乡卫生院", "院长", "conduct",
     "反映河口乡卫生院院长陈某工作日午间饮酒，下午门诊无人值守。", []),
    ("T01", "2026-01-20T14:00:00+08:00", "孙某", "城关镇社保所", "经办人", "other",
     "反映城关镇社保所孙某办理养老保险转移接续时推诿拖延。",
     [("accepted", "2026-01-22T09:00:00+08:00", None), ("replied", "2026-03-10T16:00:00+08:00",
                                                        "经核查，已督促办理完毕并对孙某批评教育。")]),
]
#: the desk registers these at the counter (the second repeats T02's land complaint, reworded)
DESK = [
    ("visit", "2026-04-19T09:30:00+08:00", "刘某", "河口乡国土所", "副所长", "land",
     "来访人反映：河口乡国土所副所长刘某办理宅基地审批要收好处费，没交钱的农户申请了一年多还没批下来。"),
    ("phone", "2026-04-20T08:50:00+08:00", "周某", "城关镇派出所", "户籍民警", "approval",
     "来电反映城关镇派出所户籍窗口办理户口迁移时要求提供已取消的证明材料。"),
]


def populate(server: ServerProcess) -> str:
    """The offices, the officer, the petitions; returns the officer's token."""
    from tests.harness import CATALOGUE

    assert server.call("PUT", "/catalogue", {"items": CATALOGUE}).status == 200
    assert server.call("POST", "/offices", {"code": "C00", "name": "县电子监察中心", "kind": "centre"}).status == 201
    tokens = {}
    for code, name in (("T01", "城关镇便民服务中心"), ("T02", "河口乡便民服务中心")):
        r = server.call("POST", "/offices", {"code": code, "name": name, "kind": "township"})
        assert r.status == 201, r.body
        tokens[code] = r.json()["token"]
    r = server.call("POST", "/users", {"username": OFFICER[0], "password": OFFICER[1], "role": "petition_officer",
                                       "display_name": "信访室"})
    assert r.status == 201, r.body
    for n, (office, received, name, unit, title, category, content, events) in enumerate(PETITIONS):
        pid = str(uuid.uuid4())
        records: list[dict[str, Any]] = [{
            "kind": "petition", "id": pid, "channel": "letter", "received_at": received,
            "petitioner": {"name": f"来信人{n}", "phone": f"1390595{n:04d}"}, "anonymous": False,
            "subject": {"name": name, "unit": unit, "title": title}, "category": category, "content": content,
            "receipt_code": f"73000000000000{n:02d}", "query_password": "demo-pass-1"}]
        for typ, at, extra in events:
            event: dict[str, Any] = {"kind": "petition_event", "id": str(uuid.uuid4()), "petition_id": pid,
                                     "type": typ, "at": at}
            if typ == "extended":
                event["days"] = extra
            elif extra:
                event["text"] = extra
            records.append(event)
        r = server.post_batch(office, tokens[office], records, complete_until=NOW)
        assert r.status == 200, r.body
    r = server.call("POST", "/auth/token", {"username": OFFICER[0], "password": OFFICER[1]}, token=None)
    token = str(r.json()["token"])
    for n, (channel, received, name, unit, title, category, content) in enumerate(DESK):
        data = {"office": "C00", "channel": channel, "received_at": received, "anonymous": False,
                "petitioner": {"name": f"来访人{n}"}, "subject": {"name": name, "unit": unit, "title": title},
                "category": category, "content": content, "query_password": "demo-pass-2"}
        mutation = {"id": str(uuid.uuid4()), "entity": "petition", "entity_id": str(uuid.uuid4()),
                    "action": "register", "data": data}
        r = server.call("POST", "/mutations", {"mutations": [mutation]}, token=token)
        assert r.status == 200, r.body
        assert r.json()["results"][0]["status"] == "applied", r.body
    return token


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=Path(__file__).resolve().parents[1] / "docs" / "screenshots")
    args = ap.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix="yingyan-desk-shots-"))
    os.environ["YINGYAN_DATA_DIR"] = str(tmp / "userdata")
    os.environ.setdefault("PYTHON_KEYRING_BACKEND", "keyring.backends.null.Keyring")
    server = ServerProcess(tmp / "data", simulated_clock=NOW)
    server.init()
    server.start()
    try:
        populate(server)
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
    client.login(*OFFICER)

    def pump(until: Any, timeout: float = 60.0) -> None:
        common.pump(app, until, timeout)

    def settle(seconds: float = 0.8) -> None:
        common.settle(app, seconds)

    for lang in ("zh_CN", "en"):
        i18n.install(app, lang)
        tag = "zh" if lang.startswith("zh") else "en"
        session = open_session(client, OFFICER[0], role="petition_officer", replica_file=tmp / f"desk-{tag}.sqlite3",
                               wait=5.0)
        window: Any = ConsoleWindow(session)
        window.resize(1600, 1000)
        window.show()
        session.engine.start()
        pump(lambda s=session: s.engine.state == sync.LIVE)
        desk = window.desk
        pump(lambda d=desk, s=session: len(d.items) >= 6 and d.centre is not None and s.engine.server_offset != 0)
        desk.reload()
        settle()
        # A petition with its history: accepted, assigned, extended (the overdue one stays marked red).
        desk.select(next(p["id"] for p in desk.items if p["subject_name"] == "刘某" and p["office"] == "T02"))
        pump(lambda d=desk: d.view.petition is not None)
        settle()
        window.grab().save(str(out / f"console-desk-{tag}.png"))
        # The petition the desk took at the counter, beside the township's letter it repeats.
        repeat = next(p for p in desk.items if p["subject_name"] == "刘某" and p["office"] == "C00")
        desk.select(repeat["id"])
        pump(lambda d=desk: bool(d.view.suggestions) and d.view.merge_button.isEnabled())
        settle()
        window.grab().save(str(out / f"console-desk-merge-{tag}.png"))
        dialog = desk.open_registration()
        dialog.channel.setCurrentIndex(dialog.channel.findData("visit"))
        dialog.name.setText("张某某" if tag == "zh" else "Zhang")
        dialog.phone.setText("139****0000")
        dialog.subject_name.setText("李某")
        dialog.subject_unit.setText("城关镇国土所")
        dialog.subject_title.setText("所长")
        dialog.content.setPlainText("反映城关镇国土所李某在宅基地审批中故意拖延，要求申请人请客送礼。")
        dialog.password.setText("secret")
        settle()
        dialog.grab().save(str(out / f"console-desk-register-{tag}.png"))
        dialog.reject()
        window.close()
        session.shutdown(8000)
        window.deleteLater()
        settle(0.2)
    for p in sorted(out.glob("console-desk*.png")):
        print(p)
    sys.stdout.flush()
    os._exit(0)


if __name__ == "__main__":
    sys.exit(main())
