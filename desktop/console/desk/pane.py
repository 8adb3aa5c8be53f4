"""The petition desk's pane: the list with its countdowns, filters and search, and the view of
the petition chosen; registration opens from here.

The list is read from the replica (``desktop.replica.petitions.desk_list``, through the
background tasks) at the server's time: overdue petitions first, then by the deadline each
waits on. It is read again when the change feed or an answer to the outbox changes a petition,
and every minute so the countdowns move.
"""

from __future__ import annotations

import datetime
import time
from pathlib import Path
from typing import Any

from PySide6.QtCore import QItemSelectionModel, Qt, QTimer, QUrl, Signal
from PySide6.QtGui import QBrush, QColor, QDesktopServices
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from desktop.common.credentials import server_key
from desktop.common.paths import user_data_dir
from desktop.console import labels
from desktop.console.desk.client import DeskApi
from desktop.console.desk.receipt import write_slip
from desktop.console.desk.register import RegistrationDialog, receipt_path
from desktop.console.desk.view import PetitionView, countdown, when
from desktop.console.labels import QT_TRANSLATE_NOOP, fmt
from desktop.console.records import RECORD_ROLE, Column, RecordTableModel, record_table
from desktop.console.session import Session
from desktop.replica import petitions, sealed, sync
from shared.rules.petition import PETITION_STATES
from shared.timeutil import CHINA_TZ, SECOND, Instant

OVERDUE_BRUSH = QBrush(QColor("#6b1d1d"))


def _remaining(p: dict[str, Any]) -> str:
    if p.get("remaining") is None:
        return ""
    return countdown(int(p["remaining"]))


def _deadline_color(p: dict[str, Any]) -> Any:
    return OVERDUE_BRUSH if p.get("overdue") else None


COLUMNS = (
    Column(QT_TRANSLATE_NOOP("DeskPane", "Receipt code"), lambda p: p.get("receipt_code") or "—"),
    Column(QT_TRANSLATE_NOOP("DeskPane", "About"),
           lambda p: " · ".join(x for x in (p.get("subject_name"), p.get("subject_unit")) if x)),
    Column(QT_TRANSLATE_NOOP("DeskPane", "Category"), lambda p: labels.petition_category(p.get("category"))),
    Column(QT_TRANSLATE_NOOP("DeskPane", "Status"), lambda p: labels.petition_status(p.get("status"))
           + (" ⟳" if p.get("pending") else "") + (" ⚠" if p.get("conflict") else "")),
    Column(QT_TRANSLATE_NOOP("DeskPane", "Received"),
           lambda p: when(p.get("received_at")), key=lambda p: p.get("received_at") or 0),
    Column(QT_TRANSLATE_NOOP("DeskPane", "Deadline"),
           lambda p: when(p.get("due")), key=lambda p: p.get("due") or 2**62),
    Column(QT_TRANSLATE_NOOP("DeskPane", "Time left"),
           _remaining, key=lambda p: p["remaining"] if p.get("remaining") is not None else 2**62,
           roles={Qt.ItemDataRole.BackgroundRole: _deadline_color}),
)


class DeskPane(QWidget):
    """Everything the petition officer works with."""

    message = Signal(str)
    unauthorized = Signal()

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("petition_desk")
        self.session = session
        self.api = DeskApi(session.client)
        self.items: list[dict[str, Any]] = []
        #: where receipt slips are written
        self.receipt_folder = user_data_dir() / "receipts"
        self.last_receipt: Path | None = None
        self.dialog: RegistrationDialog | None = None
        #: the centre's office code, from the replica's offices
        self.centre: str | None = None
        self.register_button = QPushButton(self.tr("Register a petition…"), self)
        self.register_button.setObjectName("register_petition")
        self.register_button.clicked.connect(lambda: self.open_registration())
        self.status = QComboBox(self)
        self.status.setObjectName("desk_status")
        self.status.addItem(self.tr("Open petitions"), ["registered", "accepted"])
        self.status.addItem(self.tr("All"), [])
        for code in PETITION_STATES:
            self.status.addItem(labels.petition_status(code), [code])
        self.overdue = QCheckBox(self.tr("Overdue only"), self)
        self.overdue.setObjectName("desk_overdue")
        self.search = QLineEdit(self)
        self.search.setObjectName("desk_search")
        self.search.setPlaceholderText(self.tr("Search: receipt code, whom it is about, content"))
        self.search.setClearButtonEnabled(True)
        self.search.setMaxLength(200)
        self.count = QLabel(self)
        self.count.setObjectName("desk_count")
        self.receipt_note = QLabel(self)
        self.receipt_note.setObjectName("receipt_note")
        self.receipt_note.setTextFormat(Qt.TextFormat.RichText)
        self.receipt_note.linkActivated.connect(lambda url: QDesktopServices.openUrl(QUrl(url)))
        bar = QHBoxLayout()
        bar.addWidget(self.register_button)
        bar.addWidget(self.status)
        bar.addWidget(self.overdue)
        bar.addWidget(self.search, 1)
        bar.addWidget(self.count)
        self.model = RecordTableModel(COLUMNS, "DeskPane", self)
        self.table = record_table(self.model, self, name="desk_list", order=None, single=True)
        # The desk's own order (overdue first, then the nearest deadline) until a header is clicked.
        self.table.sortByColumn(-1, Qt.SortOrder.AscendingOrder)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(False)
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._chosen())
        self.view = PetitionView(session.replica, session.tasks, self.api, session.engine.enqueue, self.now, self)
        self.view.message.connect(self.message)
        self.view.unauthorized.connect(self.unauthorized)
        split = QSplitter(Qt.Orientation.Horizontal, self)
        left = QWidget(self)
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.table, 1)
        left_layout.addWidget(self.receipt_note)
        split.addWidget(left)
        split.addWidget(self.view)
        split.setStretchFactor(0, 1)
        split.setStretchFactor(1, 1)
        split.setSizes([900, 700])
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(split, 1)
        self.status.currentIndexChanged.connect(lambda _i: self.reload())
        self.overdue.toggled.connect(lambda _on: self.reload())
        # Typing waits for a pause before the list is read again.
        self._typing = QTimer(self)
        self._typing.setSingleShot(True)
        self._typing.setInterval(250)
        self._typing.timeout.connect(self.reload)
        self.search.textChanged.connect(lambda _t: self._typing.start())
        self._tick = QTimer(self)
        self._tick.setInterval(60_000)
        self._tick.timeout.connect(self.reload)
        self._tick.start()
        self._reading = False
        self._again = False
        self.load_centre()

    def now(self) -> Instant:
        """The server's time (a demo's clock may run apart from this machine's)."""
        return int((time.time() + self.session.engine.server_offset) * SECOND)

    # ------------------------------------------------------------------ the list
    def reload(self) -> None:
        if self._reading:
            self._again = True
            return
        self._reading = True
        replica, now = self.session.replica, self.now()
        statuses = list(self.status.currentData() or [])
        overdue = True if self.overdue.isChecked() else None
        text = self.search.text()

        def done(items: list[dict[str, Any]]) -> None:
            self._reading = False
            self._show(items)
            if self._again:
                self._again = False
                self.reload()

        def failed(exc: BaseException) -> None:
            self._reading = False
            self.message.emit(fmt(self.tr("The desk's list could not be read: %1"), str(exc)))

        self.session.tasks.run(lambda: replica.read(petitions.desk_list, now, statuses=statuses, overdue=overdue,
                                                    text=text), done, failed, label="desk list", owner=self, local=True)

    def _show(self, items: list[dict[str, Any]]) -> None:
        chosen = self.view.petition_id
        self.items = items
        self.model.set_records(items)
        late = sum(1 for p in items if p.get("overdue"))
        self.count.setText(fmt(self.tr("%1 petitions, %2 overdue"), len(items), late))
        if chosen is not None:
            self.select(chosen)
        self.view.refresh()

    def select(self, petition_id: str) -> bool:
        """Choose a petition in the list (as a click does); False when the list does not show it."""
        proxy = self.table.model()
        for row in range(proxy.rowCount()):
            index = proxy.index(row, 0)
            record = index.data(RECORD_ROLE)
            if isinstance(record, dict) and record.get("id") == petition_id:
                self.table.selectionModel().setCurrentIndex(
                    index, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows)
                return True
        return False

    def _chosen(self) -> None:
        index = self.table.currentIndex()
        record = index.data(RECORD_ROLE) if index.isValid() else None
        petition_id = record.get("id") if isinstance(record, dict) else None
        if petition_id != self.view.petition_id:
            self.view.show_petition(petition_id)

    # ------------------------------------------------------------------ registration
    def open_registration(self) -> RegistrationDialog:
        def server_now() -> datetime.datetime:
            return datetime.datetime.fromtimestamp(self.now() / SECOND, CHINA_TZ)

        dialog = RegistrationDialog(self.centre_code(), self.session.engine.enqueue, server_now, self)
        dialog.registered.connect(self._registered)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.dialog = dialog
        dialog.open()
        return dialog

    def centre_code(self) -> str:
        """The office a desk registration is filed under: the centre's (the server refuses an unknown one)."""
        return self.centre or ""

    def load_centre(self) -> None:
        replica = self.session.replica

        def done(code: str | None) -> None:
            self.centre = code

        self.session.tasks.run(lambda: replica.read(petitions.centre_office), done, label="centre", owner=self,
                               local=True)

    def _registered(self, petition_id: str, data: dict[str, Any]) -> None:
        self.reload()
        if not sealed.durable and self.session.engine.state != sync.LIVE:
            # Without an OS keyring the sealed identity cannot outlive this console.
            self.message.emit(self.tr("The registration waits for the server. This computer has no keyring: "
                                      "keep the console open until it is sent, or it is lost."))
        self.view.show_petition(petition_id, suggestions=False)
        code = str(data.get("receipt_code") or "")
        if not code:
            self.message.emit(self.tr("Registered (anonymous, no status query: no receipt slip)."))
            return
        path = receipt_path(self.receipt_folder, code)
        status_url = server_key(self.session.client.server_url) + "/status"

        def done(written: Path) -> None:
            self.last_receipt = written
            self.receipt_note.setText(fmt(self.tr("Receipt slip for %1: <a href=\"%2\">open to print</a>"), code,
                                          QUrl.fromLocalFile(str(written)).toString()))
            self.message.emit(fmt(self.tr("Registered %1; the receipt slip is ready to print."), code))

        def failed(exc: BaseException) -> None:
            self.message.emit(fmt(self.tr("The receipt slip could not be written: %1"), str(exc)))

        self.session.tasks.run(lambda: write_slip(data, status_url, path), done, failed, label="receipt", owner=self)
