"""How the administration pane and the calendar notice join the console window.

``attach(window)`` is called once by ``ConsoleWindow``; everything else stays here, so the
window knows only this function: an *Administration* tab and menu (Ctrl+5) for the ``admin``
role, and the calendar notice in the status bar and on the big screen for administrators
and operators.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QLabel, QVBoxLayout

from desktop.admin.client import AdminApi

NOTICE_ROLES = frozenset({"admin", "operator"})


def attach(window: Any) -> None:
    session = window.session
    role = session.role
    window.admin_pane = None
    window.calendar_notice = None
    if role == "admin":
        menu = window.menuBar().addMenu(QCoreApplication.translate("AdminHooks", "&Administration"))
        act = QAction(QCoreApplication.translate(
            "AdminHooks", "Users, offices, catalogue, holidays, cameras, settings, audit"), window)
        act.setShortcut(QKeySequence("Ctrl+5"))
        act.triggered.connect(lambda: show_administration(window))
        menu.addAction(act)
        window.addAction(act)
        window.act_administration = act
    if role in NOTICE_ROLES:
        from desktop.console.admin.notice import CalendarNotice

        label = QLabel(window)
        label.setObjectName("calendar_notice")
        label.setStyleSheet("color: #d29922; font-weight: 600;")
        label.hide()
        window.statusBar().addPermanentWidget(label)
        notice = CalendarNotice(AdminApi(session.client), session.tasks, window)
        window.calendar_notice = notice
        window.calendar_notice_label = label

        def show(text: str) -> None:
            label.setText(text)
            label.setVisible(bool(text))
            label.setToolTip(text)
            if window.bigscreen is not None:
                bigscreen_notice(window.bigscreen, text)

        notice.changed.connect(show)
        session.engine.applied.connect(lambda result: notice.refresh() if "calendar" in result.entities else None)
        # The big screen is made when first opened: it gets the notice then.
        window.act_big.triggered.connect(lambda: bigscreen_notice(window.bigscreen, notice.text)
                                         if window.bigscreen is not None else None)
        notice.start()


def bigscreen_notice(bigscreen: Any, text: str) -> None:
    """A line across the top of the big screen (made on first use, hidden when there is nothing to say)."""
    label = bigscreen.findChild(QLabel, "calendar_notice")
    if label is None:
        label = QLabel(bigscreen)
        label.setObjectName("calendar_notice")
        label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        label.setStyleSheet("color: #05080d; background: #d29922; font-size: 18pt; font-weight: 700; padding: 6px;")
        layout = bigscreen.layout()
        if isinstance(layout, QVBoxLayout):
            layout.insertWidget(0, label)
    label.setText(text)
    label.setVisible(bool(text))


class _OnClose(QObject):
    """Stops the camera preview's player when the window closes (before its native window goes)."""

    def __init__(self, window: Any) -> None:
        super().__init__(window)
        self.window = window

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        if event.type() == QEvent.Type.Close and self.window.admin_pane is not None:
            self.window.admin_pane.shutdown()
        return False


def show_administration(window: Any) -> Any:
    """The administration tab, made on first use."""
    if window.admin_pane is None:
        from desktop.console.admin.pane import AdministrationPane

        pane = AdministrationPane(window.session.client, window.session.tasks, window)
        pane.message.connect(lambda m: window.statusBar().showMessage(m, 8000))
        window.admin_pane = pane
        window.tabs.addTab(pane, QCoreApplication.translate("AdminHooks", "Administration"))
        window.installEventFilter(_OnClose(window))
    window.tabs.setCurrentWidget(window.admin_pane)
    window.admin_pane.current_tab().ensure_loaded()
    return window.admin_pane
