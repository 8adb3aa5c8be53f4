"""The calendar: a year at a glance (holidays, weekends, adjusted working days), loading a year's
arrangement, and what the server says about the years not loaded."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPaintEvent
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSizePolicy,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from desktop.admin.client import AdminApi
from desktop.admin.views import ADJUSTED, HOLIDAY, WEEKEND, MonthGrid, working_days, year_grid
from desktop.common.tasks import BackgroundTasks
from desktop.console.admin.common import AdminTab, button_row
from desktop.console.labels import fmt
from shared.admin import CalendarStatus
from shared.calendar_io import Arrangement, ArrangementError, parse_arrangement, periods

COLOURS = {HOLIDAY: QColor("#b3131b"), WEEKEND: QColor("#30363d"), ADJUSTED: QColor("#1f6feb")}


class YearView(QWidget):
    """Twelve months in a 4 × 3 grid; 休 on holidays, 班 on adjusted working days."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("year_view")
        self.months: list[MonthGrid] = []
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(720, 480)

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt API
        return QSize(1000, 640)

    def set_year(self, year: int, holidays: set[date], workdays: set[date]) -> None:
        self.months = year_grid(year, holidays, workdays)
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt API
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        w, h = self.width(), self.height()
        cols, rows = 4, 3
        mw, mh = w / cols, h / rows
        base = QFont(self.font())
        weekdays = [self.tr("Mon"), self.tr("Tue"), self.tr("Wed"), self.tr("Thu"), self.tr("Fri"), self.tr("Sat"),
                    self.tr("Sun")]
        for i, month in enumerate(self.months):
            box = QRectF((i % cols) * mw + 6, (i // cols) * mh + 4, mw - 12, mh - 8)
            cell_w = box.width() / 7
            cell_h = (box.height() - 40) / 6
            title = QFont(base)
            title.setBold(True)
            p.setFont(title)
            p.setPen(self.palette().text().color())
            p.drawText(QRectF(box.left(), box.top(), box.width(), 20), Qt.AlignmentFlag.AlignCenter,
                       fmt(self.tr("%1-%2"), month.year, f"{month.month:02d}"))
            small = QFont(base)
            small.setPixelSize(max(9, int(cell_h * 0.38)))
            p.setFont(small)
            for d, name in enumerate(weekdays):
                p.setPen(QColor("#8b949e"))
                p.drawText(QRectF(box.left() + d * cell_w, box.top() + 20, cell_w, 18), Qt.AlignmentFlag.AlignCenter,
                           name)
            for r, week in enumerate(month.weeks):
                for d, cell in enumerate(week):
                    if cell is None:
                        continue
                    day, kind = cell
                    rect = QRectF(box.left() + d * cell_w + 1, box.top() + 40 + r * cell_h + 1, cell_w - 2,
                                  cell_h - 2)
                    colour = COLOURS.get(kind)
                    if colour is not None:
                        p.fillRect(rect, colour)
                    p.setPen(QColor("#ffffff") if colour is not None else self.palette().text().color())
                    mark = {HOLIDAY: "休", ADJUSTED: "班"}.get(kind, "")
                    p.drawText(rect, Qt.AlignmentFlag.AlignCenter, f"{day.day}{mark}")
        p.end()


class ArrangementDialog(QDialog):
    """A year's arrangement read from a file: the days around each holiday, then *Load*."""

    def __init__(self, path: str, arrangement: Arrangement | None, problems: list[str],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("arrangement_dialog")
        self.arrangement = arrangement
        self.setWindowTitle(fmt(self.tr("Load %1"), Path(path).name))
        self.resize(760, 520)
        layout = QVBoxLayout(self)
        self.summary = QLabel(self)
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)
        text = QPlainTextEdit(self)
        text.setReadOnly(True)
        layout.addWidget(text, 1)
        buttons = QDialogButtonBox(self)
        self.load_button = buttons.addButton(self.tr("Load"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.load_button.setObjectName("load_button")
        buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        if arrangement is None:
            self.summary.setText(fmt(self.tr("%1 problems; nothing will change until the file is fixed:"),
                                     len(problems)))
            self.summary.setStyleSheet("color: #f85149; font-weight: 600;")
            text.setPlainText("\n".join(problems))
            self.load_button.setEnabled(False)
            return
        a = arrangement
        self.summary.setText(fmt(self.tr("%1: %2 holidays and %3 adjusted working days (%4 working days in the "
                                         "year). Check each holiday and its 调休 below, then load it: every open "
                                         "case is evaluated again."), a.year, len(a.holidays), len(a.workdays),
                                 working_days(a.year, a.holidays, a.workdays)))
        lines = []
        for period in periods(a.holidays, a.workdays, a.names):
            work = ", ".join(w.isoformat() for w in period.workdays) or "—"
            lines.append(fmt(self.tr("%1 – %2 (%3 days) %4; adjusted working days: %5"), period.first.isoformat(),
                             period.last.isoformat(), period.days, period.name, work))
        text.setPlainText("\n".join(lines))


class CalendarTab(AdminTab):
    def __init__(self, api: AdminApi, tasks: BackgroundTasks, parent: QWidget | None = None) -> None:
        super().__init__(api, tasks, parent)
        self.dialog: ArrangementDialog | None = None
        self.calendar_status: CalendarStatus | None = None
        self.year = QSpinBox(self)
        self.year.setObjectName("calendar_year")
        self.year.setRange(2000, 2100)
        self.year.setValue(date.today().year)
        self.source = QLabel(self)
        self.source.setObjectName("calendar_source")
        self.source.setWordWrap(True)
        self.view = YearView(self)
        self.legend = QLabel(self.tr("Red 休: holiday · grey: weekend · blue 班: adjusted working day (调休)"), self)
        self.legend.setStyleSheet("color: #8b949e;")
        self.import_button = QPushButton(self.tr("Load a year's arrangement…"), self)
        self.import_button.clicked.connect(self._choose_file)
        top = QHBoxLayout()
        top.addWidget(QLabel(self.tr("Year"), self))
        top.addWidget(self.year)
        top.addWidget(self.source, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.legend)
        layout.addLayout(button_row(self, self.import_button))
        layout.addWidget(self.status)
        self.year.valueChanged.connect(lambda _v: self.refresh())

    def refresh(self) -> None:
        year = self.year.value()
        api = self.api

        def work() -> tuple[dict[str, Any], CalendarStatus]:
            return api.calendar(year), api.calendar_status()

        self.call(work, self._show, label="calendar")

    def _show(self, result: tuple[dict[str, Any], CalendarStatus]) -> None:
        cal, status = result
        if int(cal["year"]) != self.year.value():
            return
        self.calendar_status = status
        holidays = {date.fromisoformat(d) for d in cal["holidays"]}
        workdays = {date.fromisoformat(d) for d in cal["workdays"]}
        self.view.set_year(int(cal["year"]), holidays, workdays)
        source = {"admin": self.tr("loaded by an administrator"),
                  "builtin": self.tr("built in (from the State Council's announcements)"),
                  "weekdays": self.tr("NOT LOADED: counted Monday to Friday only")}.get(cal["source"], cal["source"])
        text = fmt(self.tr("%1: %2 · %3 working days"), cal["year"], source,
                   working_days(int(cal["year"]), holidays, workdays))
        missing = list(status.missing)
        if missing:
            text += " · " + fmt(self.tr("⚠ holidays not loaded for %1: due dates that reach into it are provisional"),
                                ", ".join(map(str, missing)))
        self.source.setText(text)
        self.source.setStyleSheet("color: #d29922; font-weight: 600;" if missing or cal["source"] == "weekdays"
                                  else "")

    def _choose_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, self.tr("Load a year's arrangement"), "",
                                              self.tr("Text, CSV or JSON (*.txt *.csv *.json);;All files (*)"))
        if path:
            self.open_file(path)

    def open_file(self, path: str) -> ArrangementDialog:
        """Read ``path`` (small, local) and show what it holds before anything is sent."""
        try:
            arrangement: Arrangement | None = parse_arrangement(Path(path).read_bytes())
            problems: list[str] = []
        except ArrangementError as exc:
            arrangement, problems = None, [str(p) for p in exc.problems]
        except OSError as exc:
            arrangement, problems = None, [str(exc)]
        dialog = ArrangementDialog(path, arrangement, problems, self)
        if arrangement is not None:
            dialog.accepted.connect(lambda: self._load(arrangement))
        self.dialog = dialog
        dialog.open()
        return dialog

    def _load(self, a: Arrangement) -> None:
        api = self.api

        def done(result: dict[str, Any]) -> None:
            self.say(fmt(self.tr("Loaded %1: %2 cases evaluated again, %3 alerts changed, %4 due dates moved (each "
                                 "change is in the audit log)"), a.year, result.get("reevaluated", 0),
                         result.get("alerts_changed", 0), result.get("dues_moved", 0)))
            self.changed.emit()
            self.year.setValue(a.year)
            self.refresh()

        self.call(lambda: api.put_calendar(a.year, a.body()), done, label="load calendar")
