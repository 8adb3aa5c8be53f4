"""What every tab of the administration pane shares: the API, background calls, error lines.

A tab never waits on the network: each call runs through ``desktop.common.tasks`` and its
answer (or the reason it failed, in the interface's language, with the server's own words as
the tooltip) comes back to the UI thread. Dialogs open with ``open()``, never ``exec()``, so
nothing blocks the event loop and tests drive them as a user would.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QMessageBox, QPushButton, QSizePolicy, QWidget

from desktop.admin.client import AdminApi
from desktop.common.api import ApiError
from desktop.common.tasks import BackgroundTasks
from desktop.console.labels import QT_TRANSLATE_NOOP, fmt

ROLE_NAMES = {
    "admin": QT_TRANSLATE_NOOP("AdminCommon", "administrator"),
    "operator": QT_TRANSLATE_NOOP("AdminCommon", "operator"),
    "investigator": QT_TRANSLATE_NOOP("AdminCommon", "investigator"),
    "petition_officer": QT_TRANSLATE_NOOP("AdminCommon", "petition officer"),
    "leader": QT_TRANSLATE_NOOP("AdminCommon", "leader"),
}


def role_name(code: str) -> str:
    return QCoreApplication.translate("AdminCommon", ROLE_NAMES[code]) if code in ROLE_NAMES else code


def explain(exc: BaseException) -> tuple[str, str]:
    """A failed administration call: (what to show, the server's own words)."""
    from desktop.console.signin import explain as explain_signin

    if isinstance(exc, ApiError):
        translate = QCoreApplication.translate
        known = {
            "USER_EXISTS": translate("AdminCommon", "A user with this name already exists."),
            "OFFICE_EXISTS": translate("AdminCommon", "An office with this code already exists."),
            "LAST_ADMIN": translate("AdminCommon", "This is the last enabled administrator: make another one first."),
            "NOT_FOUND": translate("AdminCommon", "It no longer exists on the server (someone removed it): reload."),
            "FORBIDDEN": translate("AdminCommon", "Only an administrator may do this."),
        }
        if exc.code in known:
            return known[exc.code], exc.message
        if exc.code in ("INVALID_REQUEST", "INVALID_SETTING", "INVALID_CALENDAR", "INVALID_CATALOGUE"):
            return fmt(translate("AdminCommon", "The server did not accept the values: %1"), exc.message), exc.code
    return explain_signin(exc)


class AdminTab(QWidget):
    """A tab: a status line at the bottom, calls in the background."""

    #: a line for the window's status bar
    message = Signal(str)
    #: something changed on the server (the audit view reloads)
    changed = Signal()

    def __init__(self, api: AdminApi, tasks: BackgroundTasks, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.api = api
        self.tasks = tasks
        self.loaded = False
        self.status = QLabel(self)
        self.status.setObjectName("admin_status")
        self.status.setWordWrap(True)
        self.status.setTextFormat(Qt.TextFormat.PlainText)
        self.status.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.busy = 0

    def call(self, fn: Callable[[], Any], done: Callable[[Any], None], *, label: str,
             failed: Callable[[BaseException], None] | None = None) -> None:
        self.busy += 1

        def ok(result: Any) -> None:
            self.busy -= 1
            done(result)

        def bad(exc: BaseException) -> None:
            self.busy -= 1
            self.show_error(exc)
            if failed is not None:
                failed(exc)

        self.tasks.run(fn, ok, bad, label=label, owner=self)

    def say(self, text: str, *, error: bool = False) -> None:
        self.status.setStyleSheet("color: #f85149;" if error else "")
        self.status.setText(text)
        self.status.setToolTip("")
        self.message.emit(text)

    def show_error(self, exc: BaseException) -> None:
        text, detail = explain(exc)
        self.say(text, error=True)
        self.status.setToolTip(detail)

    def refresh(self) -> None:  # pragma: no cover - every tab has its own
        raise NotImplementedError

    def ensure_loaded(self) -> None:
        if not self.loaded:
            self.loaded = True
            self.refresh()


def button_row(parent: QWidget, *buttons: QPushButton, stretch_first: bool = False) -> QHBoxLayout:
    row = QHBoxLayout()
    row.setContentsMargins(0, 0, 0, 0)
    if stretch_first:
        row.addStretch(1)
    for b in buttons:
        row.addWidget(b)
    if not stretch_first:
        row.addStretch(1)
    return row


def confirm(parent: QWidget, title: str, text: str, then: Callable[[], None]) -> QMessageBox:
    """Ask yes/no without blocking; ``then`` runs on yes. Returns the box (tests press its buttons)."""
    box = QMessageBox(QMessageBox.Icon.Question, title, text,
                      QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, parent)
    box.setDefaultButton(QMessageBox.StandardButton.No)

    def finished(result: int) -> None:
        if box.standardButton(box.clickedButton()) == QMessageBox.StandardButton.Yes:
            then()
        box.deleteLater()

    box.finished.connect(finished)
    box.open()
    return box
