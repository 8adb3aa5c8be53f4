"""A case at ``execution`` as a leader sees it, its models checked by qtmodeltester, and its
case report printed to PDF and rendered with pdftoppm.

The report carries the cover, the stage history, the evidence with each whole SHA-256 (the
superseded document marked), the dissenting opinion as it was given, and the signature block.
"""

from __future__ import annotations

import shutil
import subprocess
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.desktop.console.investigation_support import (
    LEADER,
    add_people,
    case,
    case_at_execution,
    close_console,
    open_console,
)


@pytest.fixture
def leader(qtbot: Any, live_server: Any, tmp_path: Path, settings_dir: Path, keyring_file: Path) -> Iterator[Any]:
    add_people(live_server)
    window = open_console(qtbot, live_server, tmp_path, LEADER, "leader")
    yield window
    close_console(window)


def test_case_file_at_execution_models_and_report(leader: Any, live_server: Any, qtbot: Any, qtmodeltester: Any,
                                                  tmp_path: Path) -> None:
    case_id = case_at_execution(live_server)
    window = leader
    pane = window.investigations
    pane.mine.setChecked(False)
    qtbot.waitUntil(lambda: pane.ids() == [case_id], timeout=15000)
    pane.select(case_id)
    cf = pane.casefile
    qtbot.waitUntil(lambda: cf.file is not None and cf.file.inv["stage"] == "execution", timeout=10000)

    for model in (pane.model, cf.evidence_model, cf.timeline_model, cf.opinion_model, cf.note_model,
                  cf.alert_model):
        qtmodeltester.check(model)
    qtmodeltester.check(pane.proxy)

    # The track: six stages behind, execution now, supervision next (its gate: an execution record).
    assert [s for s, state in cf.file.track if state == "done"] == ["acceptance", "preliminary_check", "filing",
                                                                     "investigation", "trial_review"]
    assert "执行记录" in cf.gate.text()
    assert "缺少" in cf.gate.text()
    # The dissent is kept, shown in words, beside the agreement.
    opinions = {cf.opinion_model.index(r, 1).data() for r in range(cf.opinion_model.rowCount())}
    assert opinions == {"不同意", "同意"}
    # The first report is superseded by its correction, and says so.
    files = {cf.evidence_model.index(r, 1).data(): cf.evidence_model.index(r, 6).data()
             for r in range(cf.evidence_model.rowCount())}
    assert files["⊘ 初核报告.docx"].startswith("已被")
    assert files["初核报告（修订）.docx"].startswith("更正")
    # The leader's annotation and approval are among the notes.
    kinds = {cf.note_model.index(r, 2).data() for r in range(cf.note_model.rowCount())}
    assert {"领导批阅", "批准立案", "备注"} <= kinds
    # A leader neither attaches nor moves the case; they annotate and approve.
    assert not cf.buttons["attach"].isEnabled()
    assert not cf.buttons["transition"].isEnabled()
    assert cf.buttons["annotate"].isEnabled()
    assert not cf.buttons["approve_filing"].isEnabled(), "filing is approved during the preliminary check only"
    assert "初核" in cf.buttons["approve_filing"].toolTip()

    # The list filters by stage and text.
    pane.phase.setCurrentIndex(pane.phase.findData("filing"))
    qtbot.waitUntil(lambda: pane.ids() == [], timeout=5000)
    pane.phase.setCurrentIndex(pane.phase.findData("execution"))
    qtbot.waitUntil(lambda: pane.ids() == [case_id], timeout=5000)
    pane.filter.setText("不存在的单位")
    qtbot.waitUntil(lambda: pane.ids() == [], timeout=5000)
    pane.filter.setText("国土所")
    qtbot.waitUntil(lambda: pane.ids() == [case_id], timeout=5000)

    out = tmp_path / "report.pdf"
    done: list[Path] = []
    cf.export_report(out, done.append)
    qtbot.waitUntil(lambda: bool(done), timeout=20000)
    assert out.read_bytes().startswith(b"%PDF")
    if shutil.which("pdftoppm") is None:
        pytest.skip("pdftoppm (poppler-utils) is not installed")
    subprocess.run(["pdftoppm", "-r", "60", "-png", "-f", "1", "-l", "2", str(out), str(tmp_path / "page")],
                   check=True, timeout=60)
    assert sorted(p.name for p in tmp_path.glob("page-*.png")) == ["page-1.png", "page-2.png"]
    if shutil.which("pdftotext") is not None:
        # NFKC: the extracted text spells some characters as their Kangxi radicals (⼟ for 土).
        text = unicodedata.normalize("NFKC", subprocess.run(["pdftotext", "-layout", str(out), "-"], check=True,
                                                            capture_output=True, timeout=60).stdout.decode())
        server_case = case(live_server, case_id)
        assert "案件办理报告" in text
        assert "城关镇国土所张某违规审批问题线索" in text
        assert "不同意" in text
        assert "违纪金额认定依据不足" in text
        assert "签字" in text
        assert "分管领导" in text
        for e in server_case["evidence"]:
            assert e["sha256"] in text.replace("\n", "").replace(" ", "")


def test_a_refused_step_in_english_names_stages_and_items_in_words(qapp: Any) -> None:
    """The shared rules' English names codes (``preliminary_report``); the console says words."""
    from desktop import i18n
    from desktop.console.investigations.casefile import refusal_words
    from desktop.replica import local
    from desktop.replica.investigations import CaseFile

    i18n.install(qapp, "en")
    inv = {"id": "0b6f7a4e-1111-4222-8333-444455556666", "stage": "preliminary_check", "status": "open",
           "version": 1, "investigators": ["li.inv"],
           "evidence": [], "reviewers": [], "opinions": [], "timeline": [], "links": []}
    with pytest.raises(local.ActionRefused) as gate:
        local.check_entity("investigation", inv, "transition", {"to": "filing"})
    text = refusal_words(gate.value.refusal, {"to": "filing"})
    assert text == "The case cannot move into “filing”: missing preliminary check report, a leader's filing approval"
    with pytest.raises(local.ActionRefused) as order:
        local.check_entity("investigation", inv, "transition", {"to": "execution"})
    file = CaseFile(inv=inv, track=[], targets=("filing", "concluded"), gate=[], next_stage="filing", evidence=[],
                    opinions=[], awaited=[], notes=[], timeline=[], alerts=[])
    text = refusal_words(order.value.refusal, {"to": "execution"}, file)
    assert "_" not in text
    assert "“preliminary check” to “execution”" in text
    assert "“filing”, “concluded”" in text


def _list_pane(qtbot: Any, tmp_path: Path, cases: list[dict[str, Any]]) -> Any:
    """The investigations pane over a replica holding ``cases`` (no server: the engine is not started)."""
    from types import SimpleNamespace

    from desktop.common.api import ApiClient
    from desktop.common.tasks import BackgroundTasks
    from desktop.console.investigations.pane import InvestigationsPane
    from desktop.replica.store import Replica
    from desktop.replica.sync import SyncEngine

    replica = Replica(tmp_path / "replica.sqlite3")
    replica.bulk_insert_investigations(cases)
    tasks = BackgroundTasks()
    client = ApiClient("https://127.0.0.1:9")
    session = SimpleNamespace(replica=replica, tasks=tasks, engine=SyncEngine(replica, client, tasks),
                              client=client, username="li.inv", role="leader")
    pane = InvestigationsPane(session)
    qtbot.addWidget(pane)
    pane.resize(1400, 700)
    pane.show()
    return pane


def _long_list(n: int) -> list[dict[str, Any]]:
    import uuid

    return [{"id": str(uuid.UUID(int=i + 1, version=4)), "title": f"问题线索{i:04d}", "subject": {"name": "张某"},
             "stage": "filing" if i % 3 == 0 else "investigation", "status": "open", "version": 1,
             "investigators": ["li.inv" if i % 2 else "other"], "updated_at": f"2026-03-02T{8 + i // 60 % 10:02d}:"
             f"{i % 60:02d}:00+08:00", "created_at": "2026-03-01T08:00:00+08:00"} for i in range(n)]


def test_a_long_list_pages_in_and_says_how_many_match(qtbot: Any, qtmodeltester: Any, tmp_path: Path) -> None:
    """1,200 cases: the first 500 newest first, the rest as the list is scrolled, the count beside."""
    from desktop.console.investigations.pane import PAGE

    cases = _long_list(1200)
    pane = _list_pane(qtbot, tmp_path, cases)
    qtbot.waitUntil(lambda: pane.model.rowCount() == PAGE, timeout=10000)
    qtbot.waitUntil(lambda: pane.count.text() == "500 / 1200 件", timeout=10000)
    newest = sorted(cases, key=lambda c: (c["updated_at"], c["id"]), reverse=True)
    assert pane.ids()[:3] == [c["id"] for c in newest[:3]], "newest change first"
    bar = pane.table.verticalScrollBar()
    bar.setValue(bar.maximum())
    qtbot.waitUntil(lambda: pane.model.rowCount() == 2 * PAGE, timeout=10000)
    # A case changed meanwhile (the feed): the list is read again where it stands, not from its top.
    bar.setValue(bar.maximum() // 2)
    at = bar.value()
    with qtbot.waitSignal(pane.listed, timeout=10000):
        pane.cases_changed()
    assert pane.model.rowCount() == 2 * PAGE
    assert bar.value() == at
    bar.setValue(bar.maximum())
    qtbot.waitUntil(lambda: pane.model.rowCount() == 1200, timeout=10000)
    assert pane.count.text() == "1200 件"
    qtmodeltester.check(pane.model)
    assert len(set(pane.ids())) == 1200
    pane.mine.setChecked(True)
    qtbot.waitUntil(lambda: pane.count.text() == "500 / 600 件", timeout=10000)
    pane.phase.setCurrentIndex(pane.phase.findData("filing"))
    qtbot.waitUntil(lambda: pane.count.text() == "200 件", timeout=10000)
    pane.close()
    pane.tasks.wait_idle(10000)


def test_a_header_sorts_every_case_not_the_page_loaded(qtbot: Any, qtmodeltester: Any, tmp_path: Path) -> None:
    """1,200 cases, 500 loaded: a click on a header shows the first rows of all 1,200 in that
    order, both ways, the indicator saying which; scrolling pages on in it; a third click (or a
    column the list cannot sort by) goes back to newest change first."""
    import uuid

    from PySide6.QtCore import QPoint, Qt

    from desktop.console.investigations.pane import COLUMN_ORDERS, PAGE
    from shared.actions.investigation import STAGES

    phases = [*STAGES, "concluded", "closed"]
    cases: list[dict[str, Any]] = []
    for i in range(1200):
        phase = phases[i * 5 % len(phases)]
        cases.append({
            "id": str(uuid.UUID(int=(i * 7919) % 100_003 + 1, version=4)),
            "title": f"{'丙甲乙'[i % 3]}问题线索{i * 37 % 1200:04d}", "subject": {"name": f"{'张王李'[i % 3]}某"},
            "stage": phase if phase in STAGES else "preliminary_check",
            "status": phase if phase not in STAGES else "open", "version": 1, "investigators": ["li.inv"],
            "evidence": [{"sha256": f"{k:064x}"} for k in range(i % 4)],
            "updated_at": f"2026-03-{1 + i % 28:02d}T{8 + i // 28 % 10:02d}:00:00+08:00"})
    of = {"title": lambda c: c["title"], "stage": lambda c: phases.index(c["stage"] if c["status"] == "open"
                                                                          else c["status"]),
          "evidence_count": lambda c: len(c["evidence"])}

    def first_rows(key: str, descending: bool, n: int) -> list[str]:
        ordered = sorted(cases, key=lambda c: (of[key](c), c["updated_at"], c["id"]), reverse=descending)
        return [c["id"] for c in ordered[:n]]

    newest = [c["id"] for c in sorted(cases, key=lambda c: (c["updated_at"], c["id"]), reverse=True)]
    pane = _list_pane(qtbot, tmp_path, cases)
    header = pane.table.horizontalHeader()
    qtbot.waitUntil(lambda: pane.count.text() == "500 / 1200 件", timeout=10000)
    assert pane.ids() == newest[:PAGE]
    assert header.sortIndicatorSection() == -1, "no indicator on the replica's own order"

    def click(column: int) -> None:
        x = header.sectionViewportPosition(column) + header.sectionSize(column) // 2
        with qtbot.waitSignal(pane.listed, timeout=10000):
            qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, header.height() // 2))

    for key in ("title", "stage", "evidence_count"):
        column = COLUMN_ORDERS.index(key)
        seen = set()
        for _ in range(2):
            click(column)
            assert header.sortIndicatorSection() == column
            descending = header.sortIndicatorOrder() == Qt.SortOrder.DescendingOrder
            seen.add(descending)
            assert pane.ids() == first_rows(key, descending, PAGE), (key, descending)
            assert pane.count.text() == "500 / 1200 件", "the same cases, counted once"
        assert seen == {False, True}, "the second click turns the order round"
    # Scrolled to its end, the next page continues the order of the whole list.
    bar = pane.table.verticalScrollBar()
    bar.setValue(bar.maximum())
    qtbot.waitUntil(lambda: pane.model.rowCount() == 2 * PAGE, timeout=10000)
    descending = header.sortIndicatorOrder() == Qt.SortOrder.DescendingOrder
    assert pane.ids() == first_rows("evidence_count", descending, 2 * PAGE)
    qtmodeltester.check(pane.proxy)
    qtmodeltester.check(pane.model)
    # A filter keeps the order: the first rows of the cases it matches.
    pane.phase.setCurrentIndex(pane.phase.findData("closed"))
    qtbot.waitUntil(lambda: pane.count.text() == "133 件", timeout=10000)
    closed = [i for i in first_rows("evidence_count", descending, 1200)
              if next(c for c in cases if c["id"] == i)["status"] == "closed"]
    assert pane.ids() == closed
    pane.phase.setCurrentIndex(0)
    qtbot.waitUntil(lambda: pane.count.text() == "500 / 1200 件", timeout=10000)
    # The third click takes the indicator away: newest change first again.
    click(COLUMN_ORDERS.index("evidence_count"))
    assert header.sortIndicatorSection() == -1
    assert pane.ids() == newest[:PAGE]
    # A column the list has no order for (none of the headers today) is refused, not sorted on the page.
    click(COLUMN_ORDERS.index("title"))
    with qtbot.waitSignal(pane.listed, timeout=10000):
        pane.sort_by(len(COLUMN_ORDERS) + 3, Qt.SortOrder.AscendingOrder)
    assert header.sortIndicatorSection() == -1
    assert pane.ids() == newest[:PAGE]
    pane.close()
    pane.tasks.wait_idle(10000)


def test_dialogs_refuse_what_the_rules_would(qtbot: Any) -> None:
    """Empty, oversize and garbage input is refused in the dialog, before anything is queued."""
    from PySide6.QtWidgets import QDialogButtonBox

    from desktop.console.investigations import dialogs

    def ok(d: Any) -> bool:
        return bool(d.buttons.button(QDialogButtonBox.StandardButton.Ok).isEnabled())

    note = dialogs.TextDialog("记录", "记入案件时间线：")
    qtbot.addWidget(note)
    assert not ok(note)
    note.edit.setPlainText("   \n ")
    assert not ok(note)
    note.edit.setPlainText("字" * (dialogs.MAX_TEXT + 1))
    assert not ok(note)
    assert "2000" in note.problem.text()
    note.edit.setPlainText("已调取档案")
    assert ok(note)
    approve = dialogs.TextDialog("批准立案", "可填写意见", required=False)
    qtbot.addWidget(approve)
    assert ok(approve)

    review = dialogs.ReviewersDialog()
    qtbot.addWidget(review)
    assert not ok(review)
    review.names.setText("wang.rev，zhao.lead、 wang.rev  li.inv")
    assert review.reviewers() == ["wang.rev", "zhao.lead", "li.inv"]
    assert ok(review)
    review.names.setText(",".join(f"u{i}" for i in range(51)))
    assert not ok(review)
    review.names.setText("x" * 101)
    assert not ok(review)

    move = dialogs.TransitionDialog(("filing", "concluded"), "preliminary_check")
    qtbot.addWidget(move)
    assert ok(move)
    move.target.setCurrentIndex(move.target.findData("concluded"))
    assert not ok(move)
    move.reason.setPlainText("经初核，反映问题不属实")
    assert ok(move)
    assert move.data() == {"to": "concluded", "reason": "经初核，反映问题不属实"}
    ended = dialogs.TransitionDialog((), "supervision")
    qtbot.addWidget(ended)
    assert not ok(ended)

    opinion = dialogs.OpinionDialog()
    qtbot.addWidget(opinion)
    assert not ok(opinion)
    opinion.edit.setPlainText("同意")
    assert ok(opinion)


def test_reviewers_are_picked_from_the_people_known_and_typos_are_refused(qtbot: Any) -> None:
    """The people the cases here name while the server has not answered (any name may be typed);
    the server's investigators, leaders and administrators once it has (a typed name must be one
    of them); the people already asked stay ticked and are not asked again."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QDialogButtonBox

    from desktop.console.investigations import dialogs

    review = dialogs.ReviewersDialog(["wang.rev"])
    qtbot.addWidget(review)
    ok = review.buttons.button(QDialogButtonBox.StandardButton.Ok)
    assert "正在" in review.source.text(), "says the list is being read"
    assert review.offered() == ["wang.rev"]
    assert review.people.item(0).checkState() == Qt.CheckState.Checked
    assert "已请" in review.people.item(0).text()
    assert not review.tick("wang.rev"), "already asked: not to be asked again"
    assert review.reviewers() == []
    assert not ok.isEnabled()

    # Offline: the people the cases on this computer name; any other name may be typed.
    review.server_unreachable()
    review.set_people([{"username": "li.inv"}, {"username": "qian.inv"}], complete=False)
    assert review.offered() == ["li.inv", "qian.inv", "wang.rev"]
    assert "服务器" in review.source.text()
    assert review.tick("qian.inv")
    review.names.setText("sun.new")
    assert review.reviewers() == ["qian.inv", "sun.new"]
    assert ok.isEnabled()

    # The server's list arrives: names and roles shown, the ticks kept, a name not on it refused.
    review.set_people([{"username": "qian.inv", "display_name": "钱调查", "role": "investigator"},
                       {"username": "zhao.lead", "display_name": "赵书记", "role": "leader"}], complete=True)
    assert set(review.offered()) == {"qian.inv", "zhao.lead", "wang.rev"}
    assert any(review.people.item(r).text() == "赵书记 (zhao.lead) · 领导" for r in range(review.people.count()))
    assert "sun.new" in review.problem.text()
    assert not ok.isEnabled(), "a typo never reaches the outbox"
    review.names.setText("zhao.lead wang.rev")
    assert review.reviewers() == ["qian.inv", "zhao.lead"]
    assert ok.isEnabled()
    # A later partial list (the cases' people) does not replace the server's.
    review.set_people([{"username": "li.inv"}], complete=False)
    assert "li.inv" not in review.offered()
    # The finder narrows the list by name or user name.
    review.finder.setText("赵")
    offered = review.offered()
    assert [offered[r] for r in range(len(offered)) if not review.people.isRowHidden(r)] == ["zhao.lead"]
