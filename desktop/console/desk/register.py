"""Registering a petition at the desk, and printing its receipt slip.

What the petitioner says is typed in; the query password is typed by the petitioner, once,
into a field that never shows it; it is sent in the registration (sealed in the outbox while
the server cannot be reached, ``desktop.replica.sealed``) and the field is emptied at once.
The console chooses the 16-digit receipt code itself (``shared.actions.petition``, spec 04:
the registering office may), so the slip is printed at the counter even offline. A refusal
(a missing subject, a time in the future) is shown whole and nothing typed is lost.
"""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QDateTime, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from desktop.console import labels
from desktop.replica import local
from shared.actions.petition import new_receipt_code
from shared.timeutil import CHINA_TZ

CHANNELS = ("visit", "letter", "phone", "online", "hotline")
CATEGORIES = ("land", "approval", "conduct", "fees", "other")


class RegistrationDialog(QDialog):
    """The registration form. ``submit`` queues the registration; ``registered`` says it was taken."""

    #: (the petition's id, the data queued, without the petitioner or the password)
    registered = Signal(str, dict)

    def __init__(self, office: str, enqueue: Callable[..., None], now: Callable[[], datetime.datetime],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("registration")
        self.setWindowTitle(self.tr("Register a petition"))
        self.office = office
        self._enqueue = enqueue
        self.petition_id = str(uuid.uuid4())
        form = QFormLayout()
        self.channel = QComboBox(self)
        for code in CHANNELS:
            self.channel.addItem(labels.petition_channel(code), code)
        self.received = QDateTimeEdit(self)
        self.received.setDisplayFormat("yyyy-MM-dd HH:mm")
        self.received.setCalendarPopup(True)
        moment = now().astimezone(CHINA_TZ)
        self.received.setDateTime(QDateTime(moment.year, moment.month, moment.day, moment.hour, moment.minute, 0))
        form.addRow(self.tr("Channel"), self.channel)
        form.addRow(self.tr("Received at"), self.received)
        who = QGroupBox(self.tr("Petitioner (seen by the petition desk only)"), self)
        who_form = QFormLayout(who)
        self.anonymous = QCheckBox(self.tr("Anonymous"), self)
        self.name = QLineEdit(self)
        self.id_number = QLineEdit(self)
        self.phone = QLineEdit(self)
        self.address = QLineEdit(self)
        for field, limit in ((self.name, 200), (self.id_number, 64), (self.phone, 64), (self.address, 500)):
            field.setMaxLength(limit)
        who_form.addRow(self.anonymous)
        who_form.addRow(self.tr("Name"), self.name)
        who_form.addRow(self.tr("ID number"), self.id_number)
        who_form.addRow(self.tr("Phone"), self.phone)
        who_form.addRow(self.tr("Address"), self.address)
        self.anonymous.toggled.connect(self._anonymous_toggled)
        about = QGroupBox(self.tr("Whom it is about"), self)
        about_form = QFormLayout(about)
        self.subject_name = QLineEdit(self)
        self.subject_unit = QLineEdit(self)
        self.subject_title = QLineEdit(self)
        for field in (self.subject_name, self.subject_unit, self.subject_title):
            field.setMaxLength(200)
        about_form.addRow(self.tr("Name"), self.subject_name)
        about_form.addRow(self.tr("Unit"), self.subject_unit)
        about_form.addRow(self.tr("Post"), self.subject_title)
        self.category = QComboBox(self)
        for code in CATEGORIES:
            self.category.addItem(labels.petition_category(code), code)
        self.content = QPlainTextEdit(self)
        self.content.setPlaceholderText(self.tr("What the petitioner reports, in their words"))
        self.password = QLineEdit(self)
        self.password.setObjectName("query_password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setMaxLength(200)
        self.password.setPlaceholderText(self.tr("Typed by the petitioner; never shown or kept"))
        self.refusal = QLabel(self)
        self.refusal.setObjectName("refusal")
        self.refusal.setWordWrap(True)
        self.refusal.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.refusal.setStyleSheet("color: #ff7b72;")
        self.refusal.hide()
        buttons = QDialogButtonBox(self)
        self.submit_button = buttons.addButton(self.tr("Register and print the receipt"),
                                               QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.submit)
        buttons.rejected.connect(self.reject)
        lower = QFormLayout()
        lower.addRow(self.tr("Category"), self.category)
        lower.addRow(self.tr("Content"), self.content)
        lower.addRow(self.tr("Query password"), self.password)
        columns = QHBoxLayout()
        # Left: how and when it came, and who brought it; right: what it is about.
        left_box = QWidget(self)
        left_box.setMinimumWidth(380)
        left = QVBoxLayout(left_box)
        left.setContentsMargins(0, 0, 0, 0)
        left.addLayout(form)
        left.addWidget(who)
        left.addStretch(1)
        right = QVBoxLayout()
        right.addWidget(about)
        right.addLayout(lower, 1)
        columns.addWidget(left_box)
        columns.addLayout(right, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(columns, 1)
        layout.addWidget(self.refusal)
        layout.addWidget(buttons)
        self.resize(900, 560)

    def _anonymous_toggled(self, anonymous: bool) -> None:
        for field in (self.name, self.id_number, self.phone, self.address):
            field.setEnabled(not anonymous)

    def data(self) -> dict[str, Any]:
        """The registration as the desk's ``register`` action takes it (spec 06 §3)."""
        d = self.received.dateTime()
        day, clock = d.date(), d.time()
        received = datetime.datetime(day.year(), day.month(), day.day(), clock.hour(), clock.minute(), tzinfo=CHINA_TZ)
        anonymous = self.anonymous.isChecked()
        petitioner = None
        if not anonymous:
            petitioner = {k: v for k, v in (("name", self.name.text().strip()),
                                             ("id_number", self.id_number.text().strip() or None),
                                             ("phone", self.phone.text().strip() or None),
                                             ("address", self.address.text().strip() or None)) if v is not None}
        subject = {k: v for k, v in (("name", self.subject_name.text().strip()),
                                     ("unit", self.subject_unit.text().strip()),
                                     ("title", self.subject_title.text().strip())) if v}
        data: dict[str, Any] = {
            "office": self.office, "channel": self.channel.currentData(), "received_at": received.isoformat(),
            "anonymous": anonymous, "petitioner": petitioner, "subject": subject,
            "category": self.category.currentData(), "content": self.content.toPlainText().strip(),
        }
        password = self.password.text()
        if password or not anonymous:
            # A status query is wanted: the console chooses the receipt code (printed at once).
            data["receipt_code"] = new_receipt_code(local.ReplicaWorld())
            data["query_password"] = password
        return data

    def submit(self) -> None:
        if not self.office:
            # The desk files under the centre's own office; the server has none to file under.
            self.refusal.setText(self.tr("The server has no office of the kind “centre” to register petitions "
                                         "under: an administrator must add the centre's office first."))
            self.refusal.show()
            return
        data = self.data()
        self.submit_button.setEnabled(False)

        def done(refused: list[local.Refused]) -> None:
            self.submit_button.setEnabled(True)
            if refused:
                # Nothing typed is lost but the password, which the petitioner types again.
                self.password.clear()
                self.refusal.setText(labels.refusal_text(refused[0][1].refusal))
                self.refusal.show()
                return
            shown = {k: v for k, v in data.items() if k not in ("petitioner", "query_password")}
            self.registered.emit(self.petition_id, shown)
            self.accept()

        # The password leaves the field at once; it is sealed in the outbox until the server has it.
        self.password.clear()
        self._enqueue([self.petition_id], "register", data, done, entity="petition")


def receipt_path(folder: Path, receipt_code: str) -> Path:
    """Where a slip is written: the desk's folder, one file per receipt code."""
    safe = "".join(ch for ch in receipt_code if ch.isdigit())[:16] or "anonymous"
    return folder / f"receipt-{safe}.pdf"
