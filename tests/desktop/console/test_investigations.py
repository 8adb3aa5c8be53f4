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
    assert "初核报告" in cf.gate.text() and "缺少" in cf.gate.text()
    assert "领导立案审批" in cf.gate.text()
    cf.ask_transition()
    qtbot.waitUntil(lambda: cf.dialog is not None, timeout=2000)
    assert cf.dialog.to() == "filing"
    _ok(cf.dialog)
    qtbot.waitUntil(lambda: cf.banner.isVisible(), timeout=5000)
    assert "转入「立案」的条件未满足" in cf.banner.text()
    assert "初核报告" in cf.banner.text() and "领导立案审批" in cf.banner.text()
    # Out of order: the current stage and the allowed next one are named.
    cf.act("transition", {"to": "execution"})
    qtbot.waitUntil(lambda: "只能转入「立案」" in cf.banner.text(), timeout=5000)
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
    assert actions.count("note") == 1 and actions.count("attach") == 1
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
    assert "不符" in cf.tamper.text() and "谈话笔录.txt" in cf.tamper.text()
    row = cf.evidence_model.records()[0]
    assert row["check"] == kept_files.MISMATCH
    shown = cf.evidence_model.index(0, 5).data()
    assert "不符" in shown and "已核验" not in shown
    with qtbot.waitSignal(cf.checked, timeout=5000) as checked:
        cf.open_evidence(sha)
    assert checked.args == [sha, kept_files.MISMATCH]
    assert len(opened) == 1, "a file that does not match is never opened"
