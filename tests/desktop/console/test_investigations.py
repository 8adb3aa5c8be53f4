"""The investigations pane against a real server over TLS: what an investigator sees and does.

The list holds only the cases the person may see; the case file shows the stage track and
the next gate's checklist; a transition out of order or with its gate unmet is refused with
the shared rules' reason in Chinese; a file dropped on the case is kept, uploaded with its
progress shown and attached, and verified by its SHA-256 when shown; a byte changed in the
copy kept on this computer makes the case file say loudly that it does not match.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QMimeData, QPoint, Qt, QUrl
from PySide6.QtGui import QDropEvent
from PySide6.QtWidgets import QDialogButtonBox

from desktop.replica import evidence as kept_files
from tests.desktop.console.investigation_support import (
    INVESTIGATOR,
    LEADER,
    add_people,
    case,
    close_console,
    create_case,
    mutate,
    open_case_file,
    open_console,
    token_of,
)


@pytest.fixture
def inv_server(live_server: Any) -> Any:
    add_people(live_server)
    return live_server


@pytest.fixture
def investigator(qtbot: Any, inv_server: Any, tmp_path: Path, settings_dir: Path,
                 keyring_file: Path) -> Iterator[Any]:
    window = open_console(qtbot, inv_server, tmp_path, INVESTIGATOR, "investigator")
    yield window
    close_console(window)


def _ok(dialog: Any) -> None:
    dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()


def test_investigator_sees_only_their_case_and_is_told_why_a_step_is_refused(
        investigator: Any, inv_server: Any, qtbot: Any, tmp_path: Path) -> None:
    mine = create_case(inv_server)
    create_case(inv_server, "另一起案件：不该看到", investigators=())
    window = investigator
    pane = window.investigations
    assert window.tabs.currentWidget() is pane, "an investigator starts on the investigations"
    qtbot.waitUntil(lambda: pane.ids() == [mine], timeout=10000)
    pane.mine.setChecked(False)
    qtbot.waitUntil(lambda: pane.count.text().startswith("1"), timeout=5000)
    assert pane.ids() == [mine], "a case the investigator is not on never reaches their console"

    pane.select(mine)
    cf = pane.casefile
    qtbot.waitUntil(lambda: cf.file is not None and cf.file.inv["id"] == mine, timeout=5000)
    assert "受理" in cf.track.toolTip()
    assert "初核" in cf.buttons["transition"].text()

    # To preliminary check: no gate. Then filing: the gate says what is missing, and the
    # transition is refused with the shared rules' reason in Chinese.
    cf.act("transition", {"to": "preliminary_check"})
    qtbot.waitUntil(lambda: cf.file is not None and cf.file.inv["stage"] == "preliminary_check", timeout=5000)
    assert "初核报告" in cf.gate.text()
    assert "缺少" in cf.gate.text()
    assert "领导立案审批" in cf.gate.text()
    cf.ask_transition()
    qtbot.waitUntil(lambda: cf.dialog is not None, timeout=2000)
    assert cf.dialog.to() == "filing"
    _ok(cf.dialog)
    qtbot.waitUntil(lambda: cf.banner.isVisible(), timeout=5000)
    assert "转入「立案」的条件未满足" in cf.banner.text()
    assert "初核报告" in cf.banner.text()
    assert "领导立案审批" in cf.banner.text()
    # Out of order: the current stage and the allowed next one are named.
    cf.act("transition", {"to": "execution"})
    qtbot.waitUntil(lambda: "不能从「初核」转入「执行」" in cf.banner.text(), timeout=5000)
    assert "只能转入「立案" in cf.banner.text()
    # Concluding needs a reason: the dialog says so before anything is queued.
    cf.ask_transition()
    qtbot.waitUntil(lambda: cf.dialog is not None, timeout=2000)
    cf.dialog.target.setCurrentIndex(cf.dialog.target.findData("concluded"))
    assert not cf.dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).isEnabled()
    assert "理由" in cf.dialog.problem.text()
    cf.dialog.reject()

    # A file dropped on the case file: kept, uploaded with progress, attached, verified.
    report = tmp_path / "初核报告.pdf"
    report.write_bytes(b"%PDF-1.4 preliminary check report " * 4000)
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(report))])
    cf.dropEvent(QDropEvent(QPoint(10, 10), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                            Qt.KeyboardModifier.NoModifier))
    qtbot.waitUntil(lambda: cf.dialog is not None, timeout=2000)
    cf.dialog.kind.setCurrentIndex(cf.dialog.kind.findData("preliminary_report"))
    _ok(cf.dialog)
    qtbot.waitUntil(lambda: any(e["filename"] == "初核报告.pdf" for e in case(inv_server, mine)["evidence"]),
                    timeout=15000)
    qtbot.waitUntil(lambda: any(e.get("check") == kept_files.VERIFIED for e in cf.evidence_model.records()),
                    timeout=10000)
    assert cf.progress.value() == cf.progress.maximum()
    assert "✓ 初核报告" in cf.gate.text()

    # A note, then the leader approves filing on the server; the gate holds and the case moves.
    cf.ask_text("note")
    qtbot.waitUntil(lambda: cf.dialog is not None, timeout=2000)
    cf.dialog.edit.setPlainText("已调取审批档案")
    _ok(cf.dialog)
    approve = mutate(inv_server, mine, "approve_filing", {"text": "同意立案"}, token=token_of(inv_server, LEADER))
    assert approve["status"] == "applied", approve
    qtbot.waitUntil(lambda: cf.file is not None and cf.file.inv.get("filing_approved_by") == LEADER[0],
                    timeout=10000)
    assert "✗" not in cf.gate.text()
    cf.act("transition", {"to": "filing"})
    qtbot.waitUntil(lambda: case(inv_server, mine)["stage"] == "filing", timeout=10000)
    actions = [t["action"] for t in case(inv_server, mine)["timeline"]]
    assert actions.count("note") == 1
    assert actions.count("attach") == 1
    assert any((n.get("data") or {}).get("text") == "同意立案" for n in cf.note_model.records()
               if n["action"] == "approve_filing"), "the leader's approval is among the notes and annotations"


def test_a_byte_changed_in_the_kept_copy_is_said_not_to_match(investigator: Any, inv_server: Any, qtbot: Any,
                                                              tmp_path: Path) -> None:
    """Done-when 4, the console's half: never shown as verified, never opened."""
    mine = create_case(inv_server)
    window = investigator
    pane = window.investigations
    qtbot.waitUntil(lambda: pane.ids() == [mine], timeout=10000)
    pane.select(mine)
    cf = pane.casefile
    qtbot.waitUntil(lambda: cf.file is not None, timeout=5000)
    source = tmp_path / "谈话笔录.txt"
    source.write_bytes("谈话笔录：张某承认未经集体研究即签批。\n".encode() * 200)
    cf.attach([source], "other")
    qtbot.waitUntil(lambda: any(e.get("check") == kept_files.VERIFIED for e in cf.evidence_model.records()),
                    timeout=15000)
    sha = cf.evidence_model.records()[0]["sha256"]
    opened: list[Path] = []
    cf.opener = opened.append
    with qtbot.waitSignal(cf.checked, timeout=5000):
        cf.open_evidence(sha)
    assert opened == [window.session.replica.evidence_path(sha)]

    kept = window.session.replica.evidence_path(sha)
    data = bytearray(kept.read_bytes())
    data[100] ^= 0x01
    kept.write_bytes(bytes(data))
    pane.select(mine)
    cf.refresh()
    qtbot.waitUntil(lambda: cf.tamper.isVisible(), timeout=10000)
    assert "DOES NOT MATCH" not in cf.tamper.text()  # in Chinese
    assert "不符" in cf.tamper.text()
    assert "谈话笔录.txt" in cf.tamper.text()
    row = cf.evidence_model.records()[0]
    assert row["check"] == kept_files.MISMATCH
    shown = cf.evidence_model.index(0, 5).data()
    assert "不符" in shown
    assert "已核验" not in shown
    with qtbot.waitSignal(cf.checked, timeout=5000) as checked:
        cf.open_evidence(sha)
    assert checked.args == [sha, kept_files.MISMATCH]
    assert len(opened) == 1, "a file that does not match is never opened"


def _history(server: Any, case_id: str) -> list[tuple[str, str]]:
    return [(t["action"], t["actor"]) for t in case(server, case_id)["timeline"]]


def test_offline_investigator_replays_once_and_decides_the_conflict(
        investigator: Any, inv_server: Any, qtbot: Any, tmp_path: Path) -> None:
    """Done-when 3: server stopped; a 20 MB file, a note and a transition offline; meanwhile an
    admin moves the case; back online the file and the note are applied once, the transition
    comes back as a conflict, and the investigator decides it in the console."""
    from desktop.replica import sync

    mine = create_case(inv_server)
    window = investigator
    engine = window.session.engine
    cf = open_case_file(qtbot, window, mine)

    inv_server.kill()
    qtbot.waitUntil(lambda: engine.state == sync.OFFLINE, timeout=10000)
    big = tmp_path / "询问录像.bin"
    big.write_bytes(bytes(range(256)) * (20 * 1024 * 1024 // 256))
    cf.attach([big], "other")
    qtbot.waitUntil(lambda: any(e["filename"] == big.name for e in cf.evidence_model.records()), timeout=20000)
    cf.act("note", {"text": "离线记录：已调阅录像"})
    cf.act("transition", {"to": "preliminary_check"})
    qtbot.waitUntil(lambda: window.conflicts.counts.get("pending") == 3, timeout=10000)
    qtbot.waitUntil(lambda: cf.file is not None and cf.file.inv["stage"] == "preliminary_check", timeout=5000)
    assert "3" in cf.header.text()
    assert "尚未发送" in cf.header.text()
    row = next(e for e in cf.evidence_model.records() if e["filename"] == big.name)
    assert row["kept"]
    assert not row["uploaded"]

    # The server comes back while the console still works offline; an admin moves the case.
    window.act_offline.setChecked(True)
    inv_server.start()
    moved = mutate(inv_server, mine, "transition", {"to": "preliminary_check", "reason": "管理员推进"},
                   base_version=1)
    assert moved["status"] == "applied", moved

    window.act_offline.setChecked(False)
    qtbot.waitUntil(lambda: engine.state == sync.LIVE and window.conflicts.counts.get("pending") == 0,
                    timeout=60000)
    assert window.conflicts.counts.get("conflict") == 1
    server_case = case(inv_server, mine)
    assert [e["filename"] for e in server_case["evidence"]] == [big.name]
    assert server_case["evidence"][0]["size"] == 20 * 1024 * 1024
    history = _history(inv_server, mine)
    assert history.count(("attach", INVESTIGATOR[0])) == 1
    assert history.count(("note", INVESTIGATOR[0])) == 1
    assert [h for h in history if h[0] == "transition"] == [("transition", "admin")], "mine did not overwrite"

    # The same mutations sent again (an answer lost on the way) change nothing.
    import json

    sent = window.session.replica.connect().execute(
        "SELECT id, entity, entity_id, action, base_version, data FROM outbox WHERE state = 'applied'").fetchall()
    again = inv_server.call("POST", "/mutations", {"mutations": [
        {"id": m[0], "entity": m[1], "entity_id": m[2], "action": m[3], "base_version": m[4],
         "data": json.loads(m[5])} for m in sent]}, token=window.session.client.token).json()["results"]
    assert {x["status"] for x in again} == {"applied"}
    assert _history(inv_server, mine) == history

    # The conflict is visible in the case file and in the outbox pane, with the server's version.
    qtbot.waitUntil(lambda: cf.conflict_row.isVisible(), timeout=10000)
    assert "推进阶段" in cf.conflict_label.text()
    cf.conflict_button.click()
    assert window.conflicts_dock.isVisible()
    conflict = next(m for m in window.conflicts.model.records() if m["state"] == "conflict")
    assert conflict["entity"] == "investigation"
    assert conflict["entity_id"] == mine
    assert window.conflicts.select_mutation(conflict["id"])
    # Double-clicking it in the outbox opens the case file.
    window.tabs.setCurrentWidget(window.wall)
    window.conflicts.view.doubleClicked.emit(window.conflicts.view.currentIndex())
    assert window.tabs.currentWidget() is window.investigations
    html = window.conflicts.compare.toHtml()
    assert "初核" in html
    assert "城关镇国土所张某" in html
    # Applying it again cannot follow: the case is already at preliminary check. The button says why.
    assert not window.conflicts.retry_button.isEnabled()
    assert "不能从「初核」转入「初核」" in window.conflicts.retry_button.toolTip()
    window.conflicts.keep_button.click()
    qtbot.waitUntil(lambda: window.conflicts.counts.get("conflict") == 0, timeout=10000)
    qtbot.waitUntil(lambda: not cf.conflict_row.isVisible(), timeout=10000)
    assert cf.file is not None
    assert cf.file.inv["stage"] == "preliminary_check"
    # The 20 MB file kept here is the one the server holds, and verified.
    qtbot.waitUntil(lambda: any(e.get("check") == kept_files.VERIFIED for e in cf.evidence_model.records()),
                    timeout=20000)


def test_a_transition_refused_on_replay_is_applied_again_on_the_new_version(
        investigator: Any, inv_server: Any, qtbot: Any) -> None:
    """Someone changed the case (a new assignment) while I was offline: my transition conflicts,
    and "apply mine again" sends it on the server's new version."""
    from tests.desktop.console.investigation_support import REVIEWER

    mine = create_case(inv_server)
    window = investigator
    engine = window.session.engine
    cf = open_case_file(qtbot, window, mine)
    window.act_offline.setChecked(True)
    cf.act("transition", {"to": "preliminary_check"})
    qtbot.waitUntil(lambda: window.conflicts.counts.get("pending") == 1, timeout=10000)
    assigned = mutate(inv_server, mine, "assign", {"investigators": [INVESTIGATOR[0], REVIEWER[0]]}, base_version=1)
    assert assigned["status"] == "applied"
    window.act_offline.setChecked(False)
    qtbot.waitUntil(lambda: window.conflicts.counts.get("conflict") == 1, timeout=30000)
    conflict = next(m for m in window.conflicts.model.records() if m["state"] == "conflict")
    assert window.conflicts.select_mutation(conflict["id"])
    assert window.conflicts.retry_button.isEnabled()
    window.conflicts.retry_button.click()
    qtbot.waitUntil(lambda: case(inv_server, mine)["stage"] == "preliminary_check", timeout=15000)
    qtbot.waitUntil(lambda: window.conflicts.counts.get("conflict") == 0
                    and window.conflicts.counts.get("pending") == 0, timeout=10000)
    assert engine.state == sync_live()
    assert [h for h in _history(inv_server, mine) if h[0] == "transition"] == [("transition", INVESTIGATOR[0])]


def sync_live() -> str:
    from desktop.replica import sync

    return sync.LIVE


def test_the_linked_alert_reaches_the_investigators_laptop(investigator: Any, inv_server: Any, qtbot: Any) -> None:
    """A case opened from a red alert: the alert becomes promoted, and the investigator — who
    reads no alert wall of their own — has it in the case file, from their replica."""
    import uuid

    from tests.desktop.console.operator import red_batch

    assert inv_server.post_batch("T01", inv_server.tokens["T01"], red_batch("2026-0000777")).status == 200
    alert = inv_server.call("GET", "/alerts?limit=5").json()["alerts"][0]
    case_id = str(uuid.uuid4())
    res = mutate(inv_server, case_id, "create", {
        "title": "T01 超期未办结", "subject": {"name": "窗口人员", "unit": "T01 便民服务中心"},
        "investigators": [INVESTIGATOR[0]], "source": {"type": "alert", "id": alert["id"]}})
    assert res["status"] == "applied", res
    pane = investigator.investigations
    qtbot.waitUntil(lambda: case_id in pane.ids(), timeout=10000)
    pane.select(case_id)
    cf = pane.casefile
    qtbot.waitUntil(lambda: cf.alert_model.rowCount() == 1 and cf.alert_model.records()[0].get("rule") is not None,
                    timeout=10000)
    row = cf.alert_model.records()[0]
    assert row["id"] == alert["id"]
    assert cf.alert_model.index(0, 2).data() == "已转案件"


def test_a_reviewer_dissents_and_a_leader_approves_through_the_case_file(
        inv_server: Any, qtbot: Any, tmp_path: Path, settings_dir: Path, keyring_file: Path) -> None:
    from tests.desktop.console.investigation_support import REVIEWER

    case_id = create_case(inv_server)
    assert mutate(inv_server, case_id, "transition", {"to": "preliminary_check"})["status"] == "applied"
    assert mutate(inv_server, case_id, "request_review", {"reviewers": [REVIEWER[0]]})["status"] == "applied"

    reviewer = open_console(qtbot, inv_server, tmp_path, REVIEWER, "investigator")
    try:
        pane = reviewer.investigations
        qtbot.waitUntil(lambda: pane.ids() == [case_id], timeout=10000)
        pane.select(case_id)
        cf = pane.casefile
        qtbot.waitUntil(lambda: cf.file is not None, timeout=5000)
        assert cf.buttons["opinion"].isVisibleTo(cf)
        assert not cf.buttons["transition"].isEnabled(), "a reviewer does not move the case"
        cf.ask_opinion()
        qtbot.waitUntil(lambda: cf.dialog is not None, timeout=2000)
        ok = cf.dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
        assert not ok.isEnabled(), "an opinion needs its reasons"
        cf.dialog.opinion.setCurrentIndex(cf.dialog.opinion.findData("disagree"))
        cf.dialog.edit.setPlainText("证据不足，不同意立案")
        _ok(cf.dialog)
        qtbot.waitUntil(lambda: [(o["reviewer"], o["opinion"]) for o in case(inv_server, case_id)["opinions"]]
                        == [(REVIEWER[0], "disagree")], timeout=10000)
        qtbot.waitUntil(lambda: cf.opinion_model.rowCount() == 1, timeout=5000)
        assert cf.opinion_model.index(0, 1).data() == "不同意"
    finally:
        close_console(reviewer)

    leader = open_console(qtbot, inv_server, tmp_path, LEADER, "leader")
    try:
        pane = leader.investigations
        qtbot.waitUntil(lambda: pane.ids() == [case_id], timeout=10000)
        pane.select(case_id)
        cf = pane.casefile
        qtbot.waitUntil(lambda: cf.file is not None, timeout=5000)
        cf.ask_text("approve_filing")
        qtbot.waitUntil(lambda: cf.dialog is not None, timeout=2000)
        _ok(cf.dialog)  # the remark is optional
        cf.ask_text("annotate")
        qtbot.waitUntil(lambda: cf.dialog is not None, timeout=2000)
        cf.dialog.edit.setPlainText("注意王会审的不同意见")
        _ok(cf.dialog)
        qtbot.waitUntil(lambda: case(inv_server, case_id)["filing_approved_by"] == LEADER[0], timeout=10000)
        qtbot.waitUntil(lambda: any(t["action"] == "annotate" for t in case(inv_server, case_id)["timeline"]),
                        timeout=10000)
        qtbot.waitUntil(lambda: "✓ 领导立案审批" in cf.gate.text(), timeout=10000)
    finally:
        close_console(leader)


def test_an_operator_sees_only_the_cases_they_opened(console: Any, live_server: Any, qtbot: Any) -> None:
    add_people(live_server)
    create_case(live_server, "管理员立的案")
    mine = create_case(live_server, "值班员立的案")  # by the admin: not the operator's
    pane = console.investigations
    assert pane is not None, "operators read the cases they opened"
    import uuid

    opened = str(uuid.uuid4())
    token = token_of(live_server, ("op", "operator-pass-1"))
    res = mutate(live_server, opened, "create", {"title": "值班员从预警立案", "subject": {"name": "某某"}},
                 token=token)
    assert res["status"] == "applied", res
    pane.mine.setChecked(False)
    qtbot.waitUntil(lambda: pane.ids() == [opened], timeout=10000)
    assert mine not in pane.ids()
    pane.select(opened)
    cf = pane.casefile
    qtbot.waitUntil(lambda: cf.file is not None, timeout=5000)
    assert not any(b.isEnabled() for k, b in cf.buttons.items() if k != "report"), "read only"


def test_evidence_others_attach_is_kept_for_working_offline(investigator: Any, inv_server: Any, qtbot: Any) -> None:
    """A file the admin attached reaches the investigator's laptop before they open the case;
    with the server stopped, the case file shows it verified."""
    from desktop.replica import sync
    from tests.desktop.console.investigation_support import upload

    mine = create_case(inv_server)
    content = "询问笔录（管理员补充）".encode() * 5000
    sha = upload(inv_server, content)
    assert mutate(inv_server, mine, "attach", {"sha256": sha, "filename": "询问笔录.pdf", "kind": "other"}
                  )["status"] == "applied"
    window = investigator
    replica = window.session.replica
    qtbot.waitUntil(lambda: replica.evidence_path(sha).is_file(), timeout=15000)
    inv_server.kill()
    qtbot.waitUntil(lambda: window.session.engine.state == sync.OFFLINE, timeout=10000)
    cf = open_case_file(qtbot, window, mine)
    qtbot.waitUntil(lambda: [e.get("check") for e in cf.evidence_model.records()] == [kept_files.VERIFIED],
                    timeout=10000)
    assert not cf.tamper.isVisible()


def test_a_joint_review_is_requested_by_picking_people(investigator: Any, inv_server: Any, qtbot: Any) -> None:
    """Online, the server's investigators, leaders and administrators are offered (not the
    operator) and the person ticked is asked; offline, the people the cases on this laptop name,
    the one already asked ticked for good, and a name typed is queued for the server to check."""
    from desktop.replica import sync
    from tests.desktop.console.investigation_support import REVIEWER

    mine = create_case(inv_server)
    window = investigator
    cf = open_case_file(qtbot, window, mine)
    cf.ask_review()
    qtbot.waitUntil(lambda: cf.dialog is not None and cf.dialog.directory is not None, timeout=10000)
    dialog = cf.dialog
    offered = set(dialog.offered())
    assert {INVESTIGATOR[0], REVIEWER[0], LEADER[0], "admin"} <= offered
    assert "op" not in offered, "an operator cannot review"
    assert "王会审 (wang.rev) · 调查员" in [dialog.people.item(r).text() for r in range(dialog.people.count())]
    assert dialog.tick(REVIEWER[0])
    _ok(dialog)
    qtbot.waitUntil(lambda: case(inv_server, mine)["reviewers"] == [REVIEWER[0]], timeout=10000)
    qtbot.waitUntil(lambda: cf.file is not None and cf.file.inv.get("reviewers") == [REVIEWER[0]], timeout=10000)

    inv_server.kill()
    qtbot.waitUntil(lambda: window.session.engine.state == sync.OFFLINE, timeout=10000)
    cf.ask_review()
    # The people the cases here name, read from the replica behind the dialog. This has timed out
    # in two CI runs of about thirty (stops 24 and 27) and never alone or in a loop of the file;
    # the cause is not found, so a timeout says what the dialog and the case file's tasks held.

    def offline_list_shown() -> None:
        assert cf.dialog is not None, "no dialog open"
        pending = [p.label for p in cf.tasks._pending.values()]
        assert set(cf.dialog.offered()) == {INVESTIGATOR[0], REVIEWER[0]}, (
            f"offered {cf.dialog.offered()}, already {cf.dialog.already}, unreachable {cf.dialog.unreachable}, "
            f"tasks pending {pending}, engine {window.session.engine.state}")

    qtbot.waitUntil(offline_list_shown, timeout=30_000)
    dialog = cf.dialog
    assert dialog.directory is None
    assert "无法连接服务器" in dialog.source.text()
    assert not dialog.tick(REVIEWER[0]), "already asked"
    dialog.names.setText(LEADER[0])
    assert dialog.reviewers() == [LEADER[0]]
    _ok(dialog)
    qtbot.waitUntil(lambda: window.conflicts.counts.get("pending") == 1, timeout=10000)
