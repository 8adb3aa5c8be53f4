"""``yingyan sync --gui``: the clerk's window — queue, last summaries, rejections, one push button.

All outbox and network work happens in ``SyncWorker`` on its own ``QThread``; the UI thread
only sends it requests (queued signals) and shows the snapshots it sends back, so the window
stays responsive on a link that takes minutes per batch.
"""

from __future__ import annotations

import sys
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QSortFilterProxyModel, Qt, QThread, Signal, Slot
from PySide6.QtWidgets import (
    QApplication,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMainWindow,
    QProgressBar,
    QPushButton,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from desktop.township import credentials
from desktop.township import outbox as ob
from desktop.township.agent import GaveUp, PushEvent, Stopped, push_files
from desktop.township.client import FatalError
from desktop.township.reasons import Explainer

QUEUE_SHOWN = 5000


@dataclass
class Snapshot:
    """What the window shows, read by the worker in one go."""

    office: str | None = None
    office_name: str | None = None
    server: str | None = None
    watermark: str | None = None
    counts: ob.Counts = field(default_factory=ob.Counts)
    queue: list[dict[str, Any]] = field(default_factory=list)
    batches: list[dict[str, Any]] = field(default_factory=list)
    rejections: list[dict[str, Any]] = field(default_factory=list)


def read_snapshot(box: ob.Outbox) -> Snapshot:
    # The reasons are worded here, on the worker's thread (it reads the mapping files), in
    # the language of the installed translation.
    explainer = Explainer(box.home)
    rejections = [dict(r) for r in box.open_rejections(5000)]
    for r in rejections:
        r["reason"] = explainer.explain(r)
    return Snapshot(
        office=box.get("office"), office_name=box.get("office_name"), server=box.get("server"),
        watermark=box.get("watermark"), counts=box.counts(),
        queue=[dict(r) for r in box.queue_rows(QUEUE_SHOWN)],
        batches=[dict(r) for r in box.recent_batches(50)],
        rejections=rejections,
    )


class SyncWorker(QObject):
    """Owns the outbox connection and runs pushes; lives on a worker thread."""

    snapshot = Signal(object)
    progress = Signal(int, int)  # records accounted for in this push, records in this push
    message = Signal(str)
    busy = Signal(bool)

    def __init__(self, home: Path | None = None, *, batch_size: int = ob.DEFAULT_BATCH_RECORDS):
        super().__init__()
        self.home = home or ob.sync_home()
        self.batch_size = batch_size
        self.stop_event = threading.Event()

    def box(self) -> ob.Outbox:
        # A connection per request, opened and closed on this (the worker's) thread: SQLite
        # connections must not cross threads, and opening one costs a millisecond.
        return ob.Outbox(self.home)

    @Slot()
    def refresh(self) -> None:
        with self.box() as box:
            self.snapshot.emit(read_snapshot(box))

    @Slot(list)
    def push(self, paths: list[str]) -> None:
        from desktop.township.cli import SetupError, make_client

        self.stop_event.clear()
        self.busy.emit(True)
        box = self.box()
        done = 0
        total = box.queued_count()

        fresh = [False]  # a file was read since the last snapshot

        # Called from the import thread ("import"), the sending thread ("retry") and this
        # thread (the rest): only this thread touches the outbox.
        def on_event(e: PushEvent) -> None:
            nonlocal done, total
            if e.kind == "import" and e.imported is not None:
                fresh[0] = True
                self.message.emit(self.tr("Read %1: %2 rows, %3 queued, %4 rejected here")
                                  .replace("%1", e.imported.path.name).replace("%2", str(e.imported.rows))
                                  .replace("%3", str(e.imported.queued)).replace("%4", str(e.imported.rejected)))
                if e.imported.stale_refs:
                    self.message.emit(self.tr("%1: %2 fixed rows carry a rejection number (拒收编号) that is not "
                                              "open here: closed already, or from another computer's report")
                                      .replace("%2", str(len(e.imported.stale_refs)))
                                      .replace("%1", e.imported.path.name))
            elif e.kind == "summary" and e.batch is not None:
                done += e.batch.count
                # Everything still queued, including what the import added meanwhile.
                total = done + e.remaining
                self.progress.emit(done, total)
                self.snapshot.emit(read_snapshot(box))
            elif e.kind == "batch":
                total = done + e.remaining
                self.progress.emit(done, total)
                if fresh[0] or done == 0:
                    fresh[0] = False
                    self.snapshot.emit(read_snapshot(box))
            elif e.kind == "retry":
                self.message.emit(self.tr("Link trouble, retrying in %1 s: %2")
                                  .replace("%1", f"{e.delay:.0f}").replace("%2", e.error))

        try:
            client, office = make_client(box)
            if not box.get("office_name"):  # logged in with --no-check, or before names were asked
                box.set("office_name", client.office_name())
            result, imports, failures = push_files(self.home, client, office, [Path(p) for p in paths],
                                                    batch_size=self.batch_size, stop=self.stop_event,
                                                    on_event=on_event)
            for failure in failures:
                self.message.emit(failure)
            local = sum(r.rejected for r in imports)
            self.message.emit(self.tr("Push finished: %1 records in %2 batches; rejected by the server %3, here %4")
                              .replace("%1", str(result.records)).replace("%2", str(result.batches))
                              .replace("%3", str(result.rejected)).replace("%4", str(local)))
        except Stopped:
            self.message.emit(self.tr("Stopped; the queue is kept and the next push resumes"))
        except credentials.NoKeyring:
            self.message.emit(self.keyring_message(credentials.keyring_problem()))
        except (GaveUp, FatalError, SetupError, ob.Busy, OSError, ValueError) as exc:
            self.message.emit(self.tr("Push failed: %1").replace("%1", str(exc)))
        finally:
            self.snapshot.emit(read_snapshot(box))
            box.close()
            self.busy.emit(False)

    def keyring_message(self, problem: str | None) -> str:
        """The window's words for a missing OS keyring (the command line's are in ``credentials``)."""
        if problem == credentials.NO_DBUS:
            return self.tr("Cannot read the office token: this session has no D-Bus session bus, so no Secret "
                           "Service (gnome-keyring) can answer. Start the window from the desktop login, or see "
                           "'Linux without a desktop' in docs/sync-agent.md (dbus-run-session + gnome-keyring).")
        if problem == credentials.NO_SECRET_SERVICE:
            return self.tr("Cannot read the office token: no Secret Service is running in this session. Start "
                           "gnome-keyring-daemon (unlocked) or KeePassXC's Secret Service and push again.")
        return self.tr("Cannot read the office token from the OS keyring: unlock it and push again, or log in "
                       "again with 'yingyan sync login'.")

    @Slot(str)
    def export_rejections(self, target: str) -> None:
        from desktop.township.report import export_rejections

        with self.box() as box:
            written = export_rejections(box, Path(target))
        self.message.emit(self.tr("Wrote %1").replace("%1", ", ".join(str(p) for p in written)))


class SyncWindow(QMainWindow):
    """Queue, summaries and rejections; push runs on the worker thread."""

    request_push = Signal(list)
    request_refresh = Signal()
    request_export = Signal(str)

    def __init__(self, home: Path | None = None, *, batch_size: int = ob.DEFAULT_BATCH_RECORDS):
        super().__init__()
        self.setWindowTitle(self.tr("Yingyan — township sync"))
        self.resize(1000, 640)
        from desktop.township.models import BatchModel, QueueModel, RejectionModel

        self.queue_model = QueueModel(self)
        self.batch_model = BatchModel(self)
        self.rejection_model = RejectionModel(self)
        self.queue_proxy = QSortFilterProxyModel(self)
        self.queue_proxy.setSourceModel(self.queue_model)
        self.queue_proxy.setFilterKeyColumn(-1)
        self.queue_proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.queue_proxy.setSortRole(Qt.ItemDataRole.UserRole)

        central = QWidget(self)
        layout = QVBoxLayout(central)
        self.office_label = QLabel(central)
        self.office_label.setObjectName("office")
        self.counts_label = QLabel(central)
        head = QHBoxLayout()
        head.addWidget(self.office_label)
        head.addStretch(1)
        head.addWidget(self.counts_label)
        layout.addLayout(head)

        buttons = QHBoxLayout()
        self.add_button = QPushButton(self.tr("Add files and push…"), central)
        self.push_button = QPushButton(self.tr("Push queue"), central)
        self.stop_button = QPushButton(self.tr("Stop"), central)
        self.export_button = QPushButton(self.tr("Export rejected…"), central)
        self.stop_button.setEnabled(False)
        for b in (self.add_button, self.push_button, self.stop_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        buttons.addWidget(self.export_button)
        layout.addLayout(buttons)

        self.progress = QProgressBar(central)
        self.progress.setTextVisible(True)
        self.progress.setFormat(self.tr("Idle"))
        self.progress.setValue(0)
        layout.addWidget(self.progress)

        self.tabs = QTabWidget(central)
        queue_page = QWidget()
        ql = QVBoxLayout(queue_page)
        self.filter_edit = QLineEdit(queue_page)
        self.filter_edit.setPlaceholderText(self.tr("Filter by file, case number, event…"))
        self.filter_edit.textChanged.connect(self.queue_proxy.setFilterFixedString)
        ql.addWidget(self.filter_edit)
        self.queue_view = self._table(self.queue_proxy, sortable=True)
        # Queue order (the order of sending) until the clerk clicks a header.
        self.queue_view.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        ql.addWidget(self.queue_view)
        self.batch_view = self._table(self.batch_model)
        self.rejection_view = self._table(self.rejection_model)
        self.tabs.addTab(queue_page, "")
        self.tabs.addTab(self.batch_view, "")
        self.tabs.addTab(self.rejection_view, "")
        layout.addWidget(self.tabs, 1)
        self.setCentralWidget(central)
        self.statusBar().showMessage(self.tr("Ready"))

        self.thread_ = QThread(self)
        self.thread_.setObjectName("yingyan-sync-worker")
        self.worker = SyncWorker(home, batch_size=batch_size)
        self.worker.moveToThread(self.thread_)
        self.request_push.connect(self.worker.push)
        self.request_refresh.connect(self.worker.refresh)
        self.request_export.connect(self.worker.export_rejections)
        self.worker.snapshot.connect(self.show_snapshot)
        self.worker.progress.connect(self.show_progress)
        self.worker.message.connect(self.statusBar().showMessage)
        self.worker.busy.connect(self.set_busy)
        self.add_button.clicked.connect(self.choose_files)
        self.push_button.clicked.connect(lambda: self.push([]))
        self.stop_button.clicked.connect(self.worker.stop_event.set)  # thread-safe: an Event
        self.export_button.clicked.connect(self.choose_export)
        self.thread_.start()
        self._busy = False
        self.last: Snapshot = Snapshot()
        self.show_snapshot(Snapshot())
        self.request_refresh.emit()

    def _table(self, model: Any, *, sortable: bool = False) -> QTableView:
        view = QTableView()
        view.setModel(model)
        view.setSortingEnabled(sortable)
        view.setAlternatingRowColors(True)
        view.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        view.verticalHeader().setVisible(False)
        view.horizontalHeader().setStretchLastSection(True)
        view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        # Size columns by the first rows only: measuring 5,000 rows on every snapshot would
        # stall the UI thread.
        view.horizontalHeader().setResizeContentsPrecision(40)
        return view

    # -- actions ---------------------------------------------------------------------------
    def push(self, paths: list[str]) -> None:
        self.progress.setRange(0, 0)  # busy until the first numbers arrive
        self.progress.setFormat(self.tr("Reading and sending…"))
        self.request_push.emit(paths)

    def choose_files(self) -> None:
        files, _ = QFileDialog.getOpenFileNames(self, self.tr("Export files to push"), "",
                                                self.tr("Exports (*.csv *.xlsx *.jsonl *.txt)"))
        if files:
            self.push(files)

    def choose_export(self) -> None:
        target, _ = QFileDialog.getSaveFileName(self, self.tr("Save rejected records"), "被拒记录.xlsx",
                                                self.tr("Excel workbook (*.xlsx);;CSV (*.csv)"))
        if target:
            self.request_export.emit(target)

    # -- showing ---------------------------------------------------------------------------
    def _update_buttons(self) -> None:
        # Pushing needs a login (server, office, token); the window says so instead.
        can_push = not self._busy and bool(self.last.office)
        for b in (self.add_button, self.push_button):
            b.setEnabled(can_push)

    @Slot(bool)
    def set_busy(self, busy: bool) -> None:
        self._busy = busy
        self._update_buttons()
        self.stop_button.setEnabled(busy)
        if not busy:
            self.progress.setRange(0, 100)
            done = self.progress.property("done") or 0
            self.progress.setValue(100 if done else 0)
            self.progress.setFormat(self.tr("Idle") if not done else self.tr("Done: %1 records").replace("%1",
                                                                                                      f"{done:,}"))

    @Slot(int, int)
    def show_progress(self, done: int, total: int) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)
        self.progress.setProperty("done", done)
        self.progress.setFormat(self.tr("Sent %1 of %2 records").replace("%1", f"{done:,}")
                                .replace("%2", f"{total:,}"))

    @Slot(object)
    def show_snapshot(self, snap: Snapshot) -> None:
        self.last = snap
        self._update_buttons()
        if snap.office and snap.office_name:
            self.office_label.setText(self.tr("%1 (office code %2) · %3").replace("%3", snap.server or "")
                                      .replace("%2", snap.office).replace("%1", snap.office_name))
        elif snap.office:
            self.office_label.setText(self.tr("Office code %1 · %2").replace("%2", snap.server or "")
                                      .replace("%1", snap.office))
        else:
            self.office_label.setText(self.tr("Not logged in: run 'yingyan sync login' first"))
        c = snap.counts
        mark = (snap.watermark or "—").replace("T", " ")[:16]
        self.counts_label.setText(self.tr("Queued %1 · Sent %2 · Rejected %3 · Complete until %4")
                                  .replace("%1", f"{c.queued:,}").replace("%2", f"{c.sent:,}")
                                  .replace("%3", f"{c.rejected:,}").replace("%4", mark))
        self.queue_model.set_rows(snap.queue)
        self.batch_model.set_rows(snap.batches)
        self.rejection_model.set_rows(snap.rejections)
        self.tabs.setTabText(0, self.tr("Queue (%1)").replace("%1", f"{c.queued:,}"))
        self.tabs.setTabText(1, self.tr("Batches (%1)").replace("%1", f"{c.batches_done:,}"))
        self.tabs.setTabText(2, self.tr("Rejected (%1)").replace("%1", f"{c.rejected:,}"))
        for view in (self.queue_view, self.batch_view, self.rejection_view):
            view.resizeColumnsToContents()
            view.horizontalHeader().setStretchLastSection(True)
        # Lay out now: the counts grow wider during a push and must not wait for the next
        # deferred layout pass to get their room (a grab or a slow repaint would show them cut).
        central = self.centralWidget()
        layout = central.layout() if central is not None else None
        if layout is not None:
            layout.activate()

    def closeEvent(self, event: Any) -> None:  # noqa: N802 - Qt's name
        self.worker.stop_event.set()
        if self.stop_button.isEnabled():
            # A push is running: it stops after the request on the wire (whose batch is then
            # resent next time); the window closes when the worker says it is idle.
            self.statusBar().showMessage(self.tr("Stopping after the current batch…"))
            self.worker.busy.connect(lambda busy: busy or self.close())
            event.ignore()
            return
        if self.thread_.isRunning():
            self.thread_.quit()
            self.thread_.wait()
        super().closeEvent(event)


def run(argv: list[str] | None = None) -> int:
    from desktop.township.i18n import install_translation

    app = QApplication.instance() or QApplication(argv or sys.argv[:1])
    install_translation(app)
    window = SyncWindow()
    window.show()
    return int(app.exec())
