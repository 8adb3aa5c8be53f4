"""The calendar notice: next year's (or this year's) holidays are not loaded.

The server decides what to warn about (``GET /calendar-status``: this year's holidays missing,
or next year's from 1 November, a setting); the console asks when it starts, every ten
minutes, and when the change feed brings a calendar, and says it in its own language in the
status bar (administrators and operators) and on the big screen.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, QTimer, Signal

from desktop.admin.client import AdminApi
from desktop.common.tasks import BackgroundTasks
from desktop.console.labels import fmt
from shared.admin import CalendarStatus

INTERVAL_MS = 10 * 60 * 1000


def notice_text(status: CalendarStatus | None) -> str:
    """What to say (empty: nothing to say)."""
    from PySide6.QtCore import QCoreApplication

    if status is None or not status.missing:
        return ""
    years = ", ".join(str(y) for y in status.missing)
    return fmt(QCoreApplication.translate(
        "CalendarNotice", "⚠ The holidays of %1 are not loaded: due dates that reach into %1 are provisional "
                          "(an administrator loads the State Council's arrangement)"), years)


class CalendarNotice(QObject):
    changed = Signal(str)

    def __init__(self, api: AdminApi, tasks: BackgroundTasks, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.api = api
        self.tasks = tasks
        self.status: CalendarStatus | None = None
        self.text = ""
        self.timer = QTimer(self)
        self.timer.setInterval(INTERVAL_MS)
        self.timer.timeout.connect(self.refresh)

    def start(self) -> None:
        self.timer.start()
        self.refresh()

    def refresh(self) -> None:
        # Offline or signed out: keep what was said last; the next round asks again.
        self.tasks.run(self.api.calendar_status, self._show, lambda _e: None, label="calendar status", owner=self)

    def _show(self, status: CalendarStatus) -> None:
        self.status = status
        text = notice_text(status)
        if text != self.text:
            self.text = text
            self.changed.emit(text)
