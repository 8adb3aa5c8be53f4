"""Screenshots of the investigations pane at 1920×1080, in Chinese and English, into docs/screenshots/.

    .venv/bin/python bench/investigation_screenshots.py [--out docs/screenshots]

A real server (TLS, simulated clock) gets a dozen cases at every stage, one of them taken to
``execution`` the way people would (a corrected report superseding the first, the leader's
filing approval, a joint review with one dissent), one opened from a red alert. The console
signs in as the leader (the list, the case file at execution and its opinions) and as the
investigator (a refused transition, an offline conflict, a kept file whose bytes were
changed); the case report's first two pages are rendered with ``pdftoppm``. Its own script
beside ``console_screenshots.py``: it needs other people and other data than the wall's.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from bench.common import pump as wait_for
from bench.common import settle as run_for
from tests.desktop.console.investigation_support import (
    INVESTIGATOR,
    LEADER,
    REVIEWER,
    add_people,
    case_at_execution,
    create_case,
    mutate,
    token_of,
    upload,
)
from tests.desktop.console.operator import red_batch
from tests.harness import ServerProcess

TITLES = (
    ("南关乡财政所王某挪用专项资金问题线索", "acceptance", ("王某", "南关乡财政所", "会计")),
    ("城西街道办李某违规发放补贴问题线索", "preliminary_check", ("李某", "城西街道办事处", "科员")),
    ("东岗镇卫生院赵某收受回扣问题线索", "filing", ("赵某", "东岗镇卫生院", "副院长")),
    ("北塬乡水利站孙某虚报工程量问题线索", "investigation", ("孙某", "北塬乡水利站", "站长")),
    ("河口镇国土所周某违规办理不动产登记问题线索", "trial_review", ("周某", "河口镇国土所", "所长")),
    ("新城镇民政办吴某优亲厚友问题线索", "supervision", ("吴某", "新城镇民政办", "主任")),
    ("柳林镇农经站郑某侵占集体资金问题线索", "preliminary_check", ("郑某", "柳林镇农经站", "出纳")),
)


def populate(server: ServerProcess) -> dict[str, str]:
    """The cases; returns the ones the screenshots open by role."""
    server.tokens = server.setup_basic(("T01", "T02"))
    add_people(server)
    inv = token_of(server, INVESTIGATOR)
    lead = token_of(server, LEADER)
    ids: dict[str, str] = {}
    for title, stage, (name, unit, position) in TITLES:
        cid = create_case(server, title, subject={"name": name, "unit": unit, "title": position})
        ids.setdefault(stage, cid)
        path = ("preliminary_check", "filing", "investigation", "trial_review", "execution", "supervision")
        for to in path[:path.index(stage) + 1] if stage != "acceptance" else ():
            needs = {"filing": "preliminary_report", "trial_review": "investigation_report",
                     "execution": "trial_decision", "supervision": "execution_record"}.get(to)
            if needs:
                sha = upload(server, f"{title}{needs}".encode() * 200, token=inv)
                mutate(server, cid, "attach", {"sha256": sha, "filename": f"{needs}.pdf", "kind": needs}, token=inv)
            if to == "filing":
                mutate(server, cid, "approve_filing", {}, token=lead)
            res = mutate(server, cid, "transition", {"to": to}, token=inv)
            assert res["status"] == "applied", (title, to, res)
    ids["execution"] = case_at_execution(server)
    # One opened from a red alert on the wall: the alert becomes promoted, the case links it.
    assert server.post_batch("T01", server.tokens["T01"], red_batch("2026-0000301")).status == 200
    alerts = server.call("GET", "/alerts?limit=10").json()["alerts"]
    import uuid

    from_alert = str(uuid.uuid4())
    res = mutate(server, from_alert, "create", {
        "title": "T01 便民服务中心超期未办结问题线索", "subject": {"name": "窗口受理人员", "unit": "T01 便民服务中心"},
        "investigators": [INVESTIGATOR[0]], "source": {"type": "alert", "id": alerts[0]["id"]}})
    assert res["status"] == "applied", res
    ids["from_alert"] = from_alert
    ids["refused"] = ids["preliminary_check"]
    # One per language: the first run's conflict moves its case on.
    for tag in ("zh", "en"):
        ids[f"conflict-{tag}"] = create_case(server, "西关街道城管中队钱某违规处罚问题线索",
                                             subject={"name": "钱某", "unit": "西关街道城管中队", "title": "队长"})
        mutate(server, ids[f"conflict-{tag}"], "request_review", {"reviewers": [REVIEWER[0]]}, token=inv)
    return ids


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=Path(__file__).resolve().parents[1] / "docs" / "screenshots")
    args = ap.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix="yingyan-inv-shots-"))
    os.environ["YINGYAN_DATA_DIR"] = str(tmp / "userdata")
    server = ServerProcess(tmp / "data", simulated_clock="2026-03-02T08:00:00+08:00")
    server.init()
    server.start()
    try:
        ids = populate(server)
        return shoot(server, ids, args.out, tmp)
    finally:
        server.stop()


def shoot(server: ServerProcess, ids: dict[str, str], out: Path, tmp: Path) -> int:
    from PySide6.QtCore import QCoreApplication, QSettings
    from PySide6.QtWidgets import QApplication

    from desktop import i18n
    from desktop.common.api import ApiClient
    from desktop.console import theme
    from desktop.console.session import open_session
    from desktop.console.window import ConsoleWindow
    from desktop.replica import sync

    app = QApplication(sys.argv[:1])
    QCoreApplication.setOrganizationName("YingyanInvShots")
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp / "settings"))
    theme.apply(app, True)

    def pump(until: Any, timeout: float = 120.0) -> None:
        wait_for(app, until, timeout)

    def settle(seconds: float = 0.6) -> None:
        run_for(app, seconds)

    def console(user: tuple[str, str], role: str, tag: str) -> Any:
        client = ApiClient(f"https://127.0.0.1:{server.port}", str(server.ca_file))
        client.login(*user)
        session = open_session(client, user[0], role=role, replica_file=tmp / f"replica-{user[0]}-{tag}.sqlite3",
                               wait=2.0)
        window: Any = ConsoleWindow(session)
        window.resize(1920, 1080)
        window.show()
        session.engine.max_backoff = 1.0
        session.engine.start()
        pump(lambda: session.engine.state == sync.LIVE)
        window.tabs.setCurrentWidget(window.investigations)
        return window

    def close(window: Any) -> None:
        window.close()
        window.session.shutdown(8000)
        window.deleteLater()
        settle(0.2)

    def open_case(window: Any, case_id: str) -> Any:
        pane = window.investigations
        pump(lambda: case_id in pane.ids())
        pane.select(case_id)
        cf = pane.casefile
        pump(lambda: cf.file is not None and cf.file.inv["id"] == case_id)
        settle()
        return cf

    for lang in ("zh_CN", "en"):
        i18n.install(app, lang)
        tag = "zh" if lang.startswith("zh") else "en"

        # The leader: every case, and the case file at execution.
        window = console(LEADER, "leader", tag)
        pane = window.investigations
        window.case_dock.hide()  # the approval-case pane: not what a leader reads here
        pane.mine.setChecked(False)
        pump(lambda p=pane: len(p.ids()) >= len(TITLES) + 4)
        cf = open_case(window, ids["execution"])
        cf.tabs.setCurrentIndex(0)
        pump(lambda c=cf: sum(e.get("check") == "verified" for e in c.evidence_model.records()) == 5, 60)
        settle()
        window.grab().save(str(out / f"investigations-list-{tag}.png"))
        cf.tabs.setCurrentIndex(2)
        settle()
        window.grab().save(str(out / f"investigation-execution-opinions-{tag}.png"))
        done: list[Path] = []
        pdf = tmp / f"report-{tag}.pdf"
        cf.export_report(pdf, done.append)
        pump(lambda d=done: bool(d))
        if shutil.which("pdftoppm"):
            subprocess.run(["pdftoppm", "-r", "60", "-png", "-f", "1", "-l", "2", str(pdf),
                            str(tmp / f"report-{tag}")], check=True, timeout=120)
            for n in (1, 2):
                shutil.copy(tmp / f"report-{tag}-{n}.png", out / f"investigation-report-p{n}-{tag}.png")
        close(window)

        # The investigator: a refused transition, a changed byte in a kept file, an offline conflict.
        window = console(INVESTIGATOR, "investigator", tag)
        engine = window.session.engine
        cf = open_case(window, ids["refused"])
        cf.act("transition", {"to": "filing"})
        pump(lambda c=cf: c.banner.isVisible())
        settle()
        window.grab().save(str(out / f"investigation-refused-{tag}.png"))

        cf = open_case(window, ids["from_alert"])
        note = tmp / "谈话笔录.txt"
        note.write_bytes(f"谈话笔录（{tag}）：当事人承认未按时办结。\n".encode() * 300)
        cf.attach([note], "other")
        pump(lambda c=cf: any(e.get("check") == "verified" for e in c.evidence_model.records()), 60)
        sha = cf.evidence_model.records()[0]["sha256"]
        kept = window.session.replica.evidence_path(sha)
        data = bytearray(kept.read_bytes())
        data[10] ^= 0x20
        kept.write_bytes(bytes(data))
        cf.refresh()
        pump(lambda c=cf: c.tamper.isVisible())
        settle()
        window.grab().save(str(out / f"investigation-tamper-{tag}.png"))
        kept.write_bytes(bytes(data[:10]) + bytes([data[10] ^ 0x20]) + bytes(data[11:]))

        conflicted = ids[f"conflict-{tag}"]
        cf = open_case(window, conflicted)
        window.act_offline.setChecked(True)
        cf.act("note", {"text": "离线：已约谈当事人"})
        cf.act("transition", {"to": "preliminary_check"})
        pump(lambda w=window: w.conflicts.counts.get("pending") == 2)
        version = server.call("GET", f"/investigations/{conflicted}").json()["version"]
        mutate(server, conflicted, "transition", {"to": "preliminary_check", "reason": "管理员推进"},
               base_version=version)
        window.act_offline.setChecked(False)
        pump(lambda w=window: w.conflicts.counts.get("conflict") == 1 and w.conflicts.counts.get("pending") == 0, 60)
        pump(lambda c=cf: c.conflict_row.isVisible())
        conflict = next(m for m in window.conflicts.model.records() if m["state"] == "conflict")
        window.conflicts_dock.show()
        window.conflicts.select_mutation(conflict["id"])
        settle()
        window.grab().save(str(out / f"investigation-conflict-{tag}.png"))
        window.conflicts.keep_button.click()
        pump(lambda w=window: w.conflicts.counts.get("conflict") == 0)
        assert engine.state == sync.LIVE
        close(window)
    for p in sorted(out.glob("investigation*.png")):
        print(p)
    sys.stdout.flush()
    os._exit(0)


if __name__ == "__main__":
    sys.exit(main())
