"""The sync window: models checked by qtmodeltester, pushes on a worker thread, Chinese UI, screenshots.

Set ``YINGYAN_SCREENSHOTS=docs/screenshots`` to write the screenshots the docs use
(``township-pushing.png``, ``township-rejections.png``); otherwise they go to the test's tmp dir.
"""

from __future__ import annotations

import os
import re
import time
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QSortFilterProxyModel, Qt, QThread, QTimer
from PySide6.QtWidgets import QApplication, QFileDialog, QLabel, QPushButton, QToolButton, QTreeView

from desktop.township import outbox as ob
from desktop.township.models import BatchModel, QueueModel, RejectionModel
from desktop.township.window import SyncWindow
from tests.desktop.township.conftest import SyncEnv
from tests.desktop.township.data import Export, assert_server_holds, make_export, write_csv
from tests.harness import ROOT, ServerProcess


def shots_dir(tmp_path: Path) -> Path:
    target = os.environ.get("YINGYAN_SCREENSHOTS")
    path = (ROOT / target) if target else tmp_path
    path.mkdir(parents=True, exist_ok=True)
    return path


def test_models_pass_qtmodeltester(qtmodeltester: Any, qapp: Any) -> None:
    queue = QueueModel()
    queue.set_rows([
        {"file": "办件流水.csv", "row_no": 2, "kind": "approval_event", "case_no": "2026001", "type": "received",
         "at": "2026-03-01T09:00:00+08:00", "batch_id": None},
        {"file": "办件流水.csv", "row_no": 3, "kind": "evaluation", "case_no": "2026001", "type": None,
         "at": "2026-03-01T10:00:00+08:00", "batch_id": "b1", "attempts": 2, "last_error": "connection reset"},
    ])
    proxy = QSortFilterProxyModel()
    proxy.setSourceModel(queue)
    batches = BatchModel()
    batches.set_rows([{"batch_id": "5f0c2a4e-5d2b", "status": "partial", "count": 3, "imported": 1,
                       "duplicates": 1, "rejected": 1, "watermark": "2026-03-02T00:00:00+08:00", "done_at": None}])
    rejections = RejectionModel()
    rejections.set_rows([{"file": "a.csv", "row_no": 9, "column_name": "事项编码", "code": "UNKNOWN_POWER",
                          "origin": "server", "message": "power code 'X' is not in the catalogue"}])
    for model in (queue, proxy, batches, rejections):
        qtmodeltester.check(model)
    assert queue.data(queue.index(0, 3)) == "收件"  # event names in Chinese
    assert queue.data(queue.index(1, 5)) == "发送中（第 3 次尝试）"
    # The server's English reason is shown in Chinese; its own words stay in the tooltip.
    assert rejections.data(rejections.index(0, 5)) == "事项编码 X 不在县级权力事项目录中"
    assert "power code 'X'" in rejections.data(rejections.index(0, 5), Qt.ItemDataRole.ToolTipRole)


def test_window_pushes_in_the_background_and_lists_rejections(
        qtbot: Any, logged_in: tuple[SyncEnv, ServerProcess, str], tmp_path: Path) -> None:
    env, server, office = logged_in
    export = make_export(120)
    rows = [dict(r) for r in export.rows()]
    rows[4]["操作时间"] = "2026-03-01 25:00"   # rejected here
    rows[40]["事项编码"] = "QG-D99-001"        # rejected by the server
    bad_cases = {rows[4]["办件编号"], rows[40]["办件编号"]}
    f = write_csv(tmp_path / "办件流水_2026-03-01.csv", rows)

    window = SyncWindow(env.home, batch_size=60)
    qtbot.addWidget(window)
    window.resize(1100, 640)
    window.show()
    qtbot.waitUntil(lambda: office in window.office_label.text(), timeout=10_000)
    # The header names the office as people call it (from the server at login), not "办公室 T03".
    assert window.office_label.text().startswith(f"{office} 便民服务中心（单位编码 {office}）"), \
        window.office_label.text()
    assert "办公室" not in window.office_label.text()
    assert window.push_button.text() == "推送队列"
    assert window.worker.thread() is not QThread.currentThread()

    # The UI thread keeps handling events while the worker reads, validates and sends: a
    # push run on the UI thread would be one long event handler, with no ticks in between.
    ticks = [0]
    timer = QTimer()
    timer.timeout.connect(lambda: ticks.__setitem__(0, ticks[0] + 1))
    timer.start(10)

    window.push([str(f)])
    qtbot.waitUntil(lambda: 0 < window.progress.value() < window.progress.maximum() - 100
                    and window.last.counts.batches_done > 0 and window.queue_model.rowCount() > 0, timeout=60_000)
    # The bar counts this push's records: sent so far of all the file's queued ones.
    assert window.progress.maximum() == len(export.steps) - 1
    window.tabs.setCurrentIndex(0)
    shots = shots_dir(tmp_path)
    assert window.grab().save(str(shots / "township-pushing.png"))
    qtbot.waitUntil(lambda: window.push_button.isEnabled() and window.last.counts.queued == 0
                    and window.last.counts.batches_done > 0, timeout=60_000)
    timer.stop()
    assert ticks[0] >= 5, f"the UI thread handled only {ticks[0]} timer events during the push"

    assert window.rejection_model.rowCount() == 2
    listed = {window.rejection_model.row_data(i)["row_no"]: window.rejection_model.row_data(i)
              for i in range(2)}
    assert set(listed) == {6, 42}
    assert listed[6]["origin"] == "local"
    assert listed[42]["code"] == "UNKNOWN_POWER"
    assert window.tabs.tabText(2) == "被拒记录 (2)"
    window.tabs.setCurrentIndex(2)
    assert window.grab().save(str(shots / "township-rejections.png"))
    window.tabs.setCurrentIndex(1)
    assert window.grab().save(str(shots / "township-batches.png"))

    assert_server_holds(server, office, Export([s for s in export.steps if s.row["办件编号"] not in bad_cases]))
    window.close()


def test_window_without_login_says_so_and_cannot_push(qtbot: Any, sync_env: SyncEnv) -> None:
    window = SyncWindow(sync_env.home)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: "尚未登录" in window.office_label.text(), timeout=10_000)
    assert not window.push_button.isEnabled()
    assert not window.add_button.isEnabled()
    assert window.windowTitle() == "鹰眼 · 乡镇数据同步"
    window.close()


def test_the_file_dialogs_speak_chinese(qtbot: Any, sync_env: SyncEnv) -> None:
    """Qt's own strings (查找范围, 取消) come from Qt's catalogue, installed with the window's."""
    window = SyncWindow(sync_env.home)
    qtbot.addWidget(window)
    window.show()
    seen: dict[str, list[str]] = {}

    deadline = time.monotonic() + 10

    def look_and_close() -> None:
        dialog = next((w for w in QApplication.topLevelWidgets() if isinstance(w, QFileDialog) and w.isVisible()),
                      None)
        view = next((v for v in dialog.findChildren(QTreeView) if v.isVisible()), None) if dialog else None
        # The listing fills in from a background thread: look once it has rows (or give up).
        if dialog is None or view is None or (not view.model().rowCount(view.rootIndex())
                                              and time.monotonic() < deadline):
            QTimer.singleShot(50, look_and_close)
            return
        seen["buttons"] = [b.text() for b in dialog.findChildren(QPushButton)]
        seen["labels"] = [lab.text() for lab in dialog.findChildren(QLabel)]
        seen["tips"] = [b.toolTip() for b in dialog.findChildren(QToolButton) if b.isVisible()]
        # The 类型 column of the listing (the folders of the working directory).
        model, root = view.model(), view.rootIndex()
        seen["types"] = [str(model.index(i, 2, root).data()) for i in range(model.rowCount(root))]
        dialog.reject()

    QTimer.singleShot(0, look_and_close)
    window.choose_files()  # a modal dialog: returns once look_and_close has rejected it
    assert "取消" in [t.replace("&", "") for t in seen["buttons"]], seen
    # Every word the dialog shows or explains is Chinese (paths and the filter are the clerk's).
    assert seen["types"], seen  # the dialog opens where there are folders (the working directory)
    english = [t for t in seen["buttons"] + seen["labels"] + seen["tips"] + seen["types"]
               if re.search(r"[A-Za-z]{3,}", t)]
    assert english == [], seen
    window.close()


def test_a_push_without_a_keyring_says_what_to_do_in_chinese(qtbot: Any, sync_env: SyncEnv,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    """Logged in on the desktop, the window started later from an SSH session: no D-Bus, no keyring."""
    import keyring
    import keyring.backends.fail

    with ob.Outbox(sync_env.home) as box:
        box.set("server", "https://127.0.0.1:9")
        box.set("office", "T99")
    monkeypatch.delenv("DBUS_SESSION_BUS_ADDRESS", raising=False)
    keyring.set_keyring(keyring.backends.fail.Keyring())  # the sync_env fixture puts the mock back
    window = SyncWindow(sync_env.home)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.push_button.isEnabled(), timeout=10_000)
    window.push([])
    qtbot.waitUntil(lambda: "dbus-run-session" in window.statusBar().currentMessage(), timeout=10_000)
    shown = window.statusBar().currentMessage()
    assert "会话" in shown, shown
    assert "keyrings.alt" not in shown
    qtbot.waitUntil(lambda: window.push_button.isEnabled(), timeout=10_000)  # not stuck busy
    window.close()
