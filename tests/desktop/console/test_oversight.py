"""Cards, notices, annotations and the leader's overview in the console, against a real server over TLS.

An operator issues a card and a notice from the wall with the keyboard; the notice goes late on
the server's simulated clock and its red signal shows on the wall and in the tracker; the
township's reply arrives in its batch and the red resolves. A leader's overview drills down from
a unit's risk index to the alert behind a point and annotates it; the evaluation report is
written as XLSX and PDF. The models pass ``qtmodeltester``.
"""

from __future__ import annotations

import shutil
import subprocess
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox, QPushButton

from desktop.replica import sync
from tests.desktop.console.conftest import OPERATOR
from tests.desktop.console.operator import console_as, red_batch

LEADER = ("boss", "leader-pass-1")
#: a wait on the server's answer: generous, since CI shares two cores between a server, the
#: console's workers and Xvfb (the waits end as soon as the condition holds)
SERVER_MS = 30_000


def _alerts(window: Any) -> list[dict[str, Any]]:
    model = window.wall.model
    return [info for r in range(model.rowCount()) if (info := model.row_info(r)) is not None]


def _ok(dialog: Any) -> None:
    dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()


def _server(live_server: Any, path: str, key: str) -> list[dict[str, Any]]:
    r = live_server.call("GET", path)
    assert r.status == 200, r.body
    items: list[dict[str, Any]] = r.json()[key]
    return items


def test_card_and_notice_from_the_wall_the_notice_goes_late_and_the_reply_resolves_it(
        console: Any, live_server: Any, qtbot: Any, qtmodeltester: Any) -> None:
    window = console
    live_server.post_batch("T01", live_server.tokens["T01"], red_batch("2026-0000001"))
    qtbot.waitUntil(lambda: len(_alerts(window)) >= 1, timeout=SERVER_MS)
    alert_id = _alerts(window)[0]["id"]

    # K on the wall: the card form, prefilled from the selected alert.
    assert window.wall.select_alert(alert_id)
    window.wall.table.setFocus()
    qtbot.keyClick(window.wall.table, Qt.Key.Key_K)
    qtbot.waitUntil(lambda: window.oversight.dialog is not None, timeout=5000)
    card = window.oversight.dialog
    assert card.objectName() == "card_dialog"
    assert card.office_code() == "T01"
    assert card.red.isChecked(), "a red signal suggests the red card"
    assert card.alert_ids() == [alert_id]
    assert card.reason.toPlainText() == "跳过办理环节"
    card.staff.setText("张三")
    _ok(card)
    qtbot.waitUntil(lambda: len(_server(live_server, "/cards", "cards")) == 1, timeout=SERVER_MS)
    [stored] = _server(live_server, "/cards", "cards")
    assert (stored["kind"], stored["office"], stored["staff"], stored["alerts"], stored["issued_by"]) == (
        "red", "T01", "张三", [alert_id], OPERATOR[0])

    # N: the notice form; a reply due in one working day.
    qtbot.keyClick(window.wall.table, Qt.Key.Key_N)
    qtbot.waitUntil(lambda: window.oversight.dialog is not None and
                    window.oversight.dialog.objectName() == "notice_dialog", timeout=5000)
    notice = window.oversight.dialog
    assert "跳过办理环节" in notice.subject.text()
    assert f"#{alert_id}" in notice.body.toPlainText()
    notice.days.setValue(1)
    _ok(notice)
    qtbot.waitUntil(lambda: len(_server(live_server, "/notices", "notices")) == 1, timeout=SERVER_MS)
    [sent] = _server(live_server, "/notices", "notices")
    assert (sent["office"], sent["alerts"], sent["reply_days"], sent["reply_due"]) == (
        "T01", [alert_id], 1, "2026-03-04T00:00:00+08:00")

    # The register and the tracker show them as the server stored them.
    register = window.oversight.show_cards()
    qtbot.waitUntil(lambda: register.model.rowCount() == 1 and not register.model.record(0)["pending"],
                    timeout=SERVER_MS)
    assert register.model.record(0)["office_name"] == "T01 便民服务中心"
    qtmodeltester.check(register.model)
    tracker = window.oversight.show_notices()
    qtbot.waitUntil(lambda: tracker.model.rowCount() == 1 and tracker.model.record(0)["reply_due"] is not None,
                    timeout=SERVER_MS)
    assert tracker.model.record(0)["state"] == "awaiting"
    qtmodeltester.check(tracker.model)

    # The clock passes the due date and T01's records reach it: the notice is late.
    assert live_server.call("PUT", "/admin/clock", {"now": "2026-03-05T09:00:00+08:00"}).status == 200
    live_server.post_batch("T01", live_server.tokens["T01"], [], complete_until="2026-03-05T09:00:00+08:00")

    def overdue() -> list[dict[str, Any]]:
        return [a for a in _alerts(window) if a["rule"] == "NOTICE_REPLY_OVERDUE"]

    qtbot.waitUntil(lambda: len(overdue()) == 1, timeout=SERVER_MS)
    assert (overdue()[0]["severity"], overdue()[0]["status"], overdue()[0]["office"]) == ("red", "open", "T01")
    assert overdue()[0]["subject"] == "（督办通知）"
    offset = window.session.engine.server_offset
    window.session.engine._read_server_clock()  # the console reads the server's clock every half minute
    qtbot.waitUntil(lambda: window.session.engine.server_offset - offset > 2 * 86400, timeout=SERVER_MS)
    tracker.refresh()
    qtbot.waitUntil(lambda: tracker.model.record(0)["state"] == "late", timeout=SERVER_MS)
    assert "逾期" in tracker.model.index(0, 3).data()
    assert tracker.model.index(0, 3).data(Qt.ItemDataRole.BackgroundRole) is not None
    assert tracker.summary.text() == "待回复 0 件，逾期 1 件"
    # Enter on the overdue alert opens the tracker on its notice.
    window.tabs.setCurrentWidget(window.wall)
    assert window.wall.select_alert(overdue()[0]["id"])
    window.wall.table.setFocus()
    qtbot.keyClick(window.wall.table, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.tabs.currentWidget() is tracker and (tracker.current() or {}).get("id") ==
                    sent["id"], timeout=5000)

    # The township answers in its batch: the red resolves, the notice shows replied late.
    assert live_server.call("PUT", "/admin/clock", {"now": "2026-03-05T11:00:00+08:00"}).status == 200
    reply = {"kind": "notice_reply", "id": str(uuid.uuid4()), "notice_id": sent["id"],
             "at": "2026-03-05T10:00:00+08:00", "text": "已整改，书面说明附后"}
    r = live_server.post_batch("T01", live_server.tokens["T01"], [reply], complete_until="2026-03-05T10:00:00+08:00")
    assert (r.status, r.json()["imported"]) == (200, 1), r.body
    late_id = overdue()[0]["id"]
    qtbot.waitUntil(lambda: live_server.call("GET", f"/alerts/{late_id}").json()["status"] == "resolved",
                    timeout=SERVER_MS)
    # The wall shows active signals: the resolved red leaves it (or shows resolved under another filter).
    qtbot.waitUntil(lambda: all(a["status"] == "resolved" for a in overdue()), timeout=SERVER_MS)
    qtbot.waitUntil(lambda: tracker.model.record(0)["state"] == "replied_late", timeout=SERVER_MS)
    tracker.table.selectRow(0)
    assert "已整改" in tracker.detail.toPlainText()
    assert "T01 便民服务中心)" in tracker.detail.toPlainText(), "the office's reply is signed with its name"


def test_bad_input_in_the_forms_changes_nothing(console: Any, live_server: Any, qtbot: Any) -> None:
    window = console
    window.oversight.ask_issue("card")  # nothing selected: an empty form for any unit
    qtbot.waitUntil(lambda: window.oversight.dialog is not None, timeout=5000)
    card = window.oversight.dialog
    ok = card.buttons.button(QDialogButtonBox.StandardButton.Ok)
    card.reason.setPlainText("   ")
    assert not ok.isEnabled(), "a card needs a reason"
    card.reason.setPlainText("滥" * 50_000)
    assert len(card.reason.toPlainText()) == 2000, "a hostile paste is cut to the form's limit"
    card.reject()
    window.oversight.issue("card", {"kind": "red", "office": "T01", "reason": "x", "alerts": [-5]})
    qtbot.waitUntil(lambda: "未签发" in window.statusBar().currentMessage()
                    or "Not issued" in window.statusBar().currentMessage(), timeout=5000)
    assert window.session.replica.pending_mutations() == []
    assert _server(live_server, "/cards", "cards") == []


@pytest.fixture
def leader_console(qtbot: Any, live_server: Any, tmp_path: Path, settings_dir: Path,
                   keyring_file: Path) -> Iterator[Any]:
    """A leader's console against ``live_server`` (read-only; opens on the overview)."""
    window = console_as(qtbot, live_server, tmp_path, LEADER, "leader", "主任")
    yield window
    window.close()
    window.session.shutdown(15000)


def test_the_leaders_overview_drills_down_to_the_alert_behind_a_point_and_exports(
        leader_console: Any, live_server: Any, qtbot: Any, qtmodeltester: Any, tmp_path: Path) -> None:
    window = leader_console
    live_server.post_batch("T01", live_server.tokens["T01"], red_batch("2026-0000009"))
    qtbot.waitUntil(lambda: len(_alerts(window)) >= 1, timeout=SERVER_MS)
    overview = window.oversight.overview
    assert overview is not None
    assert window.tabs.currentWidget() is overview, "a leader's console opens on it"
    assert "issue_card" not in window.oversight.actions, "a leader issues nothing"
    overview.reload()
    qtbot.waitUntil(lambda: overview.risk_model.rowCount() == 2 and overview.risk_model.record(0)["index"] < 100,
                    timeout=SERVER_MS)
    assert overview.current_month() == "2026-03", "the server's month, on its simulated clock"
    total = live_server.call("GET", "/statistics?month=2026-03").json()["total"]
    assert overview.tiles["warnings"][0].text() == str(total["red_alerts"] + total["yellow_alerts"])
    assert overview.tiles["cases"][0].text() == str(total["cases_received"])
    qtmodeltester.check(overview.ranking_model)
    qtmodeltester.check(overview.risk_model)

    # Worst first: T01 lost points for the alerts its case raised; each point names its alert.
    on_wall = {a["id"]: a for a in _alerts(window)}
    first = overview.risk_model.record(0)
    assert first["key"] == "T01"
    assert first["index"] == 100 + sum(p["weight"] for p in first["points"])
    assert {p["ref"]["type"] for p in first["points"]} == {"alert"}
    assert {p["ref"]["id"] for p in first["points"]} <= set(on_wall)
    alert_id = next(p["ref"]["id"] for p in first["points"] if on_wall[p["ref"]["id"]]["rule"] == "SKIPPED_NODE")
    overview.tabs.setCurrentIndex(2)
    assert overview.select_unit("T01")
    qtbot.waitUntil(lambda: overview.points_model.rowCount() == len(first["points"]), timeout=SERVER_MS)
    qtmodeltester.check(overview.points_model)
    overview.select_point(next(i for i, p in enumerate(overview.points_model.records())
                               if p["ref"]["id"] == alert_id))
    qtbot.waitUntil(lambda: "跳过办理环节" in overview.record_view.toPlainText(), timeout=SERVER_MS)
    assert "T01 便民服务中心" in overview.record_view.toPlainText(), "the unit by its name"
    overview._link(type("U", (), {"toString": lambda _self: f"alert:{alert_id}"})())
    assert window.tabs.currentWidget() is window.wall
    assert window.wall.selected_ids() == [alert_id]

    # The figures read again (the feed brought something): the open record stays open.
    shown: list[Any] = []
    overview.figures_shown.connect(shown.append)
    overview.reload()
    qtbot.waitUntil(lambda: bool(shown), timeout=SERVER_MS)
    assert "跳过办理环节" in overview.record_view.toPlainText()
    assert overview.annotate.isEnabled()

    # 批阅: the leader annotates the alert behind the point; the server keeps it in its history.
    window.tabs.setCurrentWidget(overview)
    overview.annotate.click()
    qtbot.waitUntil(lambda: overview.dialog is not None, timeout=SERVER_MS)
    overview.dialog.edit.setPlainText("请城关镇说明原因")
    _ok(overview.dialog)

    def annotated() -> bool:
        history = live_server.call("GET", f"/alerts/{alert_id}").json()["history"]
        return any(h["action"] == "annotate" and h["data"].get("text") == "请城关镇说明原因" for h in history)

    qtbot.waitUntil(annotated, timeout=SERVER_MS)

    # The ranking by department, and the risk index per person, are one choice away.
    overview.rank_by.setCurrentIndex(overview.rank_by.findData("department"))
    qtbot.waitUntil(lambda: overview.figures is not None and overview.figures.evaluation["by"] == "department",
                    timeout=SERVER_MS)
    assert overview.ranking_model.rowCount() == len(overview.figures.evaluation["rows"])
    overview.risk_by.setCurrentIndex(overview.risk_by.findData("staff"))
    qtbot.waitUntil(lambda: overview.figures is not None and overview.figures.risk["by"] == "staff", timeout=SERVER_MS)
    assert overview.risk_model.rowCount() == len(overview.figures.risk["rows"])
    overview.rank_by.setCurrentIndex(overview.rank_by.findData("office"))
    overview.risk_by.setCurrentIndex(overview.risk_by.findData("office"))
    qtbot.waitUntil(lambda: overview.figures is not None and overview.figures.evaluation["by"] == "office"
                    and overview.figures.risk["by"] == "office", timeout=SERVER_MS)

    # The report: XLSX with a sheet per view, numbers as numbers; PDF one page per unit.
    from openpyxl import load_workbook

    written: list[Path] = []
    overview.export(tmp_path / "evaluation.xlsx", "xlsx", written.append)
    overview.export(tmp_path / "evaluation.pdf", "pdf", written.append)
    qtbot.waitUntil(lambda: len(written) == 2, timeout=20_000)
    book = load_workbook(tmp_path / "evaluation.xlsx")
    assert book.sheetnames[:4] == ["概况", "排名", "勤廉风险指数", "扣分明细"]
    ranking = book["排名"]
    assert ranking.freeze_panes == "A2"
    assert isinstance(ranking["C2"].value, int | float)
    assert isinstance(ranking["A2"].value, int)
    points = book["扣分明细"]
    assert points["A2"].value == "T01 便民服务中心"
    assert isinstance(points["C2"].value, int)
    assert points["C2"].value < 0
    pdf = tmp_path / "evaluation.pdf"
    assert pdf.read_bytes().startswith(b"%PDF")
    if shutil.which("pdftoppm"):
        subprocess.run(["pdftoppm", "-r", "40", "-png", str(pdf), str(tmp_path / "page")], check=True, timeout=60)
        pages = sorted(tmp_path.glob("page*.png"))
        assert len(pages) == 3, "the summary, then one page per unit"


def test_a_notice_issued_offline_waits_in_the_outbox_and_reaches_the_server(console: Any, live_server: Any,
                                                                            qtbot: Any) -> None:
    window = console
    window.act_offline.setChecked(True)
    qtbot.waitUntil(lambda: window.session.engine.state == sync.OFFLINE, timeout=5000)
    window.oversight.issue("notice", {"office": "T02", "subject": "关于窗口纪律的督办通知", "body": "", "alerts": [],
                                      "reply_days": 3})
    tracker = window.oversight.show_notices()
    qtbot.waitUntil(lambda: tracker.model.rowCount() == 1, timeout=5000)
    shown = tracker.model.record(0)
    assert shown is not None
    # Shown at once, its due date estimated on the same working-day clock until the server's arrives.
    assert (shown["pending"], shown["estimated"], shown["state"]) == (1, True, "awaiting")
    assert tracker.model.index(0, 4).data().endswith("*")
    assert _server(live_server, "/notices", "notices") == []
    window.act_offline.setChecked(False)
    qtbot.waitUntil(lambda: len(_server(live_server, "/notices", "notices")) == 1, timeout=SERVER_MS)
    [stored] = _server(live_server, "/notices", "notices")
    # The replay's answer clears the pending mark; the change feed then brings the server's own
    # copy (its due date no longer an estimate): two steps that may arrive apart on a busy machine.
    qtbot.waitUntil(lambda: (tracker.model.record(0) or {}).get("pending") == 0
                    and (tracker.model.record(0) or {}).get("estimated") is False, timeout=SERVER_MS)
    confirmed = tracker.model.record(0)
    assert confirmed is not None
    assert (confirmed["id"], confirmed["estimated"], confirmed["reply_due"]) == (stored["id"], False,
                                                                                stored["reply_due"])
    assert tracker.model.index(0, 4).data() == stored["reply_due"][:16].replace("T", " ")


def test_a_leader_revokes_and_annotates_a_card_in_the_register(leader_console: Any, live_server: Any,
                                                              qtbot: Any) -> None:
    window = leader_console
    token = live_server.call("POST", "/auth/token", {"username": OPERATOR[0], "password": OPERATOR[1]},
                             token=None).json()["token"]
    cid = str(uuid.uuid4())
    r = live_server.call("POST", "/mutations", {"mutations": [{"id": str(uuid.uuid4()), "entity": "card",
                                                               "entity_id": cid, "action": "issue", "data": {
                                                                   "kind": "yellow", "office": "T02",
                                                                   "reason": "窗口脱岗"}}]}, token=token)
    assert r.json()["results"][0]["status"] == "applied", r.body
    register = window.oversight.show_cards()
    qtbot.waitUntil(lambda: register.model.rowCount() == 1, timeout=SERVER_MS)
    assert register.findChild(QPushButton, "card_revoke") is not None, "a leader revokes"
    register.table.selectRow(0)
    for name, text, check in (
            ("card_revoke", "误发，撤销", lambda c: c["status"] == "revoked" and c["revoke_reason"] == "误发，撤销"),
            ("card_annotate", "请记入年度考核", lambda c: [t["action"] for t in c["timeline"]][-1] == "annotate")):
        register.findChild(QPushButton, name).click()
        qtbot.waitUntil(lambda: register.dialog is not None, timeout=SERVER_MS)
        register.dialog.edit.setPlainText(text)
        _ok(register.dialog)
        qtbot.waitUntil(lambda c=check: c(live_server.call("GET", f"/cards/{cid}").json()), timeout=SERVER_MS)
    qtbot.waitUntil(lambda: (register.model.record(0) or {}).get("status") == "revoked", timeout=SERVER_MS)
    register.table.selectRow(0)
    qtbot.waitUntil(lambda: "请记入年度考核" in register.detail.toPlainText(), timeout=SERVER_MS)


def test_a_leader_annotates_alerts_on_the_wall_with_b(leader_console: Any, live_server: Any, qtbot: Any) -> None:
    window = leader_console
    live_server.post_batch("T01", live_server.tokens["T01"], red_batch("2026-0000011"))
    qtbot.waitUntil(lambda: len(_alerts(window)) >= 1, timeout=SERVER_MS)
    alert_id = _alerts(window)[0]["id"]
    window.tabs.setCurrentWidget(window.wall)
    assert window.wall.select_alert(alert_id)
    window.wall.table.setFocus()
    qtbot.keyClick(window.wall.table, Qt.Key.Key_K)  # a leader issues no card: K does nothing
    qtbot.keyClick(window.wall.table, Qt.Key.Key_B)
    qtbot.waitUntil(lambda: window.oversight.dialog is not None, timeout=SERVER_MS)
    assert window.oversight.dialog.objectName() == "annotate_dialog"
    window.oversight.dialog.edit.setPlainText("已阅，请跟踪整改")
    _ok(window.oversight.dialog)

    def annotations() -> list[str]:
        history = live_server.call("GET", f"/alerts/{alert_id}").json()["history"]
        return [h["data"].get("text") for h in history if h["action"] == "annotate"]

    qtbot.waitUntil(lambda: annotations() == ["已阅，请跟踪整改"], timeout=SERVER_MS)
    assert _server(live_server, "/cards", "cards") == []
    # Everyone who sees the alert reads it in its history.
    window.wall.select_alert(alert_id)
    qtbot.waitUntil(lambda: "已阅，请跟踪整改" in window.wall.detail.toPlainText(), timeout=SERVER_MS)
    assert "领导批阅" in window.wall.detail.toPlainText()
