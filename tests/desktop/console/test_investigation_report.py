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
