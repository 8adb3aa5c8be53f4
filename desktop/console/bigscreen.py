"""The big screen (电子监察大屏): a full-screen, dark, room-legible summary that cycles with the video wall.

Every office is a tile coloured by its worst active signal (red, yellow, or green when
clear) with its counts; across the top, today's totals; down the side, the latest red
signals; along the bottom, this month's evaluation ranking (with each unit's move since last
month) and the units whose risk index is red, with what brought it down — the server's
figures (``GET /evaluation``, ``GET /risk-index``), so the hall, the console and a leader's
overview show the same numbers. The figures are fetched in the background when the screen
opens and every few minutes; a role that may not read them gets no band.

Every ``cycle_seconds`` the screen swaps to the video wall and back (Space pauses the cycle,
V swaps now, Esc leaves). The replica's figures are counted in the background and refreshed
when the change feed brings alerts.

The video wall is lent by the console (``video_factory``) and given back when the big
screen closes (``closed``); its players keep running meanwhile. Each showing starts on the
summary with the cycle running.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QRectF, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QColor, QFont, QKeyEvent, QPainter, QPaintEvent, QScreen, QShowEvent
from PySide6.QtWidgets import QLabel, QStackedWidget, QVBoxLayout, QWidget

from desktop.common.tasks import BackgroundTasks
from desktop.console import labels
from desktop.console.labels import fmt
from desktop.replica import queries
from desktop.replica.queries import BigScreenInputs
from desktop.replica.store import Replica
from shared.timeutil import to_datetime

#: how often the month band is fetched again while the screen is up
MONTH_REFRESH_MS = 5 * 60 * 1000
TILE_COLOURS = {"red": QColor("#8e1b1b"), "yellow": QColor("#7a6306"), "clear": QColor("#0f5132")}


#: Suffixes dropped from office names on tiles: on a wall "城关镇" reads better than the full name.
SHORT_SUFFIXES = ("便民服务中心", "服务中心", "政务服务中心")


@dataclass
class OfficeTile:
    code: str
    name: str
    red: int
    yellow: int

    @property
    def short_name(self) -> str:
        return _short(self.name)

    @property
    def worst(self) -> str:
        return "red" if self.red else "yellow" if self.yellow else "clear"


@dataclass(frozen=True)
class RankedUnit:
    rank: int
    name: str
    total: float
    #: places gained since last month (negative: lost); None when it was not ranked then
    moved: int | None


@dataclass(frozen=True)
class RedUnit:
    name: str
    index: int
    #: (item, how many points' records) most first: what brought the index down
    causes: list[tuple[str, int]]


@dataclass(frozen=True)
class MonthFigures:
    month: str
    ranking: list[RankedUnit]
    red_units: list[RedUnit]


def month_figures(evaluation: dict[str, Any], risk: dict[str, Any]) -> MonthFigures:
    """The big screen's month band from the server's evaluation and risk index (their JSON).

    Units with no case received or decided in the month (the centre itself) are left out of
    the ranking: a hall reads the ranking as the townships' and departments' standing."""
    ranking = []
    for row in evaluation.get("rows") or []:
        counts = row.get("counts") or {}
        if not (counts.get("received") or counts.get("decided")):
            continue
        before = row.get("before")
        moved = int(before["rank"]) - int(row["rank"]) if before else None
        ranking.append(RankedUnit(int(row["rank"]), _short(str(row.get("name") or row["key"])),
                                  float(row["total"]), moved))
    reds = []
    for row in risk.get("rows") or []:
        if row.get("level") != "red":
            continue
        tally: dict[str, int] = {}
        for point in row.get("points") or []:
            tally[point["item"]] = tally.get(point["item"], 0) + 1
        causes = sorted(tally.items(), key=lambda kv: (-kv[1], kv[0]))
        reds.append(RedUnit(_short(str(row.get("name") or row["key"])), int(row["index"]), causes))
    reds.sort(key=lambda u: (u.index, u.name))
    return MonthFigures(str(evaluation.get("month") or risk.get("month") or ""), ranking, reds)


def _short(name: str) -> str:
    for suffix in SHORT_SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix):
            return name[: -len(suffix)]
    return name


@dataclass
class Summary:
    now: int
    tiles: list[OfficeTile]
    today_alerts: int
    today_red: int
    today_yellow: int
    active_red: int
    active_yellow: int
    cases_today: int
    latest_red: list[dict[str, Any]]


def summarise(inputs: BigScreenInputs) -> Summary:
    """The big screen's figures from the replica's counts (``queries.bigscreen_inputs``, read in the background)."""
    offices = inputs.office_names
    counts: dict[str, list[int]] = {code: [0, 0] for code in offices}
    for office, sev, n in inputs.active:
        counts.setdefault(office, [0, 0])[0 if sev == "red" else 1] += n
    tiles = [OfficeTile(code, offices.get(code, code), c[0], c[1]) for code, c in counts.items()]
    tiles.sort(key=lambda t: (t.worst != "red", t.worst != "yellow", t.code))
    reds = [r | {"office_name": offices.get(r["office"], r["office"])} for r in inputs.latest_red]
    today = inputs.today
    return Summary(now=inputs.now, tiles=tiles, today_alerts=sum(today.values()), today_red=today.get("red", 0),
                   today_yellow=today.get("yellow", 0), active_red=sum(t.red for t in tiles),
                   active_yellow=sum(t.yellow for t in tiles), cases_today=inputs.cases_today, latest_red=reds)


class SummaryView(QWidget):
    """Paints the summary; sizes everything from the screen height so it reads across a room."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.summary: Summary | None = None
        self.month: MonthFigures | None = None
        self.setAutoFillBackground(False)

    def set_summary(self, summary: Summary) -> None:
        self.summary = summary
        self.update()

    def set_month(self, month: MonthFigures | None) -> None:
        self.month = month
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt API
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.fillRect(self.rect(), QColor("#05080d"))
        w, h = self.width(), self.height()
        unit = max(8.0, h / 60)
        base = QFont(self.font())
        s = self.summary

        def font(scale: float, bold: bool = False) -> QFont:
            f = QFont(base)
            f.setPixelSize(int(unit * scale))
            f.setBold(bold)
            return f

        p.setPen(QColor("#e6edf3"))
        p.setFont(font(2.6, True))
        p.drawText(QRectF(unit, unit * 0.6, w * 0.6, unit * 3.6), Qt.AlignmentFlag.AlignVCenter,
                   self.tr("Yingyan electronic supervision"))
        if s is None:
            p.setFont(font(1.6))
            p.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, self.tr("Loading…"))
            return
        if s.now:
            p.setFont(font(1.6))
            p.setPen(QColor("#8b949e"))
            p.drawText(QRectF(w * 0.5, unit * 0.6, w * 0.5 - unit, unit * 3.6),
                       Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                       fmt(self.tr("As of %1"), to_datetime(s.now).strftime("%Y-%m-%d %H:%M")))
        # Today's totals.
        figures = [
            (self.tr("Alerts today"), s.today_alerts, "#e6edf3"),
            (self.tr("Red today"), s.today_red, "#ff4d4f"),
            (self.tr("Yellow today"), s.today_yellow, "#fadb14"),
            (self.tr("Active red"), s.active_red, "#ff4d4f"),
            (self.tr("Active yellow"), s.active_yellow, "#fadb14"),
            (self.tr("Cases received today"), s.cases_today, "#58a6ff"),
        ]
        top = unit * 5
        fw = (w - unit * 2) / len(figures)
        for i, (label, value, colour) in enumerate(figures):
            box = QRectF(unit + i * fw, top, fw - unit * 0.6, unit * 6)
            p.fillRect(box, QColor("#0d1117"))
            p.setPen(QColor(colour))
            p.setFont(font(3.4, True))
            p.drawText(box.adjusted(0, 0, 0, -unit * 2), Qt.AlignmentFlag.AlignCenter, f"{value:,}")
            p.setPen(QColor("#8b949e"))
            p.setFont(font(1.2))
            p.drawText(box.adjusted(0, unit * 3.8, 0, 0), Qt.AlignmentFlag.AlignCenter, label)
        # Office tiles on the left two thirds, latest red signals on the right; the month's
        # ranking and red risk units along the bottom when the server's figures are in.
        grid_top = top + unit * 7.5
        month = self.month if self.month is not None and (self.month.ranking or self.month.red_units) else None
        band_h = unit * 10 if month is not None else 0.0
        bottom = h - unit - (band_h + unit * 0.6 if month is not None else 0)
        grid = QRectF(unit, grid_top, w * 0.66 - unit, bottom - grid_top)
        n = max(1, len(s.tiles))
        cols = max(1, math.ceil(math.sqrt(n * grid.width() / max(1.0, grid.height()))))
        rows = math.ceil(n / cols)
        tw = grid.width() / cols
        th = min(grid.height() / max(1, rows), grid.height() / 3)
        tile_font = max(0.9, min(2.2, th / unit / 4.2, tw / unit / 6.5))
        for i, tile in enumerate(s.tiles):
            r, c = divmod(i, cols)
            box = QRectF(grid.left() + c * tw, grid.top() + r * th, tw - unit * 0.4, th - unit * 0.4)
            p.fillRect(box, TILE_COLOURS[tile.worst])
            p.setPen(QColor("#ffffff"))
            p.setFont(font(tile_font, True))
            p.drawText(box.adjusted(unit * 0.5, unit * 0.2, -unit * 0.4, -box.height() / 2),
                       Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, tile.short_name)
            counts_box = box.adjusted(unit * 0.5, box.height() / 2, -unit * 0.4, -unit * 0.2)
            if tile.worst == "clear":
                p.setFont(font(tile_font * 1.3, True))
                p.drawText(counts_box, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, "✓")
                continue
            # Counts as badges: red on white-rimmed red, yellow on white-rimmed yellow, legible
            # on any tile colour.
            p.setFont(font(tile_font * 1.25, True))
            x = counts_box.left()
            for value, colour, text_colour in ((tile.red, "#ff4d4f", "#ffffff"), (tile.yellow, "#fadb14", "#000000")):
                label = str(value)
                bw = max(p.fontMetrics().horizontalAdvance(label) + unit * 1.2, unit * 2.6 * tile_font)
                badge = QRectF(x, counts_box.center().y() - unit * 1.1 * tile_font,
                               bw, unit * 2.2 * tile_font)
                p.setPen(QColor("#ffffff"))
                p.setBrush(QColor(colour))
                p.drawRoundedRect(badge, unit * 0.5, unit * 0.5)
                p.setPen(QColor(text_colour))
                p.drawText(badge, Qt.AlignmentFlag.AlignCenter, label)
                x += bw + unit * 0.6
            p.setBrush(Qt.BrushStyle.NoBrush)
        side = QRectF(w * 0.66 + unit * 0.5, grid_top, w * 0.34 - unit * 1.5, bottom - grid_top)
        p.fillRect(side, QColor("#0d1117"))
        p.setPen(QColor("#ff4d4f"))
        p.setFont(font(1.6, True))
        p.drawText(side.adjusted(unit, unit * 0.5, -unit, 0), Qt.AlignmentFlag.AlignTop,
                   self.tr("Latest red signals"))
        y = side.top() + unit * 3
        line_h = unit * 3.2
        for red in s.latest_red:
            if y + line_h > side.bottom():
                break
            p.setPen(QColor("#e6edf3"))
            p.setFont(font(1.2, True))
            p.drawText(QRectF(side.left() + unit, y, side.width() - unit * 2, unit * 1.6),
                       Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                       f"{to_datetime(int(red['raised_at'])).strftime('%m-%d %H:%M')}  "
                       f"{labels.rule_name(red['rule'], red['rule_zh'], red['rule_en'])}")
            p.setPen(QColor("#8b949e"))
            p.setFont(font(1.05))
            p.drawText(QRectF(side.left() + unit, y + unit * 1.5, side.width() - unit * 2, unit * 1.5),
                       Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                       f"{red['office_name']}  {red['case_no'] or ''}")
            y += line_h
        if month is not None:
            self._paint_month(p, month, QRectF(unit, h - unit - band_h, w - unit * 2, band_h), unit, font)
        p.end()

    def _paint_month(self, p: QPainter, month: MonthFigures, band: QRectF, unit: float,
                     font: Callable[..., QFont]) -> None:
        """The ranking (best first, two rows of five) on the left two thirds, red units on the right."""
        left = QRectF(band.left(), band.top(), band.width() * 0.66 - unit * 0.5, band.height())
        right = QRectF(left.right() + unit, band.top(), band.right() - left.right() - unit, band.height())
        for box in (left, right):
            p.fillRect(box, QColor("#0d1117"))
        p.setPen(QColor("#58a6ff"))
        p.setFont(font(1.5, True))
        p.drawText(left.adjusted(unit, unit * 0.4, -unit, 0), Qt.AlignmentFlag.AlignTop,
                   fmt(self.tr("Evaluation ranking, %1"), month.month))
        per_row, rows = 5, 2
        cell_w = (left.width() - unit * 2) / per_row
        cell_h = (left.height() - unit * 3) / rows
        for i, unit_row in enumerate(month.ranking[: per_row * rows]):
            r, c = divmod(i, per_row)
            cell = QRectF(left.left() + unit + c * cell_w, left.top() + unit * 2.6 + r * cell_h,
                          cell_w - unit * 0.4, cell_h - unit * 0.3)
            p.fillRect(cell, QColor("#161b22"))
            cell = cell.adjusted(unit * 0.6, 0, -unit * 0.6, 0)
            p.setPen(QColor("#e6edf3"))
            p.setFont(font(1.25, True))
            p.drawText(cell, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                       f"{unit_row.rank}  {unit_row.name}")
            p.setFont(font(1.25))
            moved = unit_row.moved
            arrow = "" if not moved else (f" ▲{moved}" if moved > 0 else f" ▼{-moved}")
            p.setPen(QColor("#3fb950") if moved and moved > 0 else
                     QColor("#ff4d4f") if moved and moved < 0 else QColor("#e6edf3"))
            p.drawText(cell, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                       f"{unit_row.total:.1f}{arrow}")
        p.setPen(QColor("#ff4d4f"))
        p.setFont(font(1.5, True))
        p.drawText(right.adjusted(unit, unit * 0.4, -unit, 0), Qt.AlignmentFlag.AlignTop,
                   self.tr("Units at red risk level"))
        y = right.top() + unit * 2.6
        line_h = unit * 1.75
        if not month.red_units:
            p.setPen(QColor("#3fb950"))
            p.setFont(font(1.2))
            p.drawText(QRectF(right.left() + unit, y, right.width() - unit * 2, line_h),
                       Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, self.tr("None this month"))
        shown = int((right.bottom() - y) // line_h)
        for n, red in enumerate(month.red_units[:shown]):
            if n == shown - 1 and len(month.red_units) > shown:
                p.setPen(QColor("#8b949e"))
                p.setFont(font(1.1))
                p.drawText(QRectF(right.left() + unit, y, right.width() - unit * 2, line_h),
                           Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                           fmt(self.tr("and %1 more"), len(month.red_units) - n))
                break
            causes = "、".join(fmt(self.tr("%1 ×%2"), labels.risk_item(item), count)
                              for item, count in red.causes[:2])
            p.setPen(QColor("#e6edf3"))
            p.setFont(font(1.2, True))
            row = QRectF(right.left() + unit, y, right.width() - unit * 2, line_h)
            p.drawText(row, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                       fmt(self.tr("%1  index %2"), red.name, red.index))
            p.setPen(QColor("#8b949e"))
            p.setFont(font(1.0))
            p.drawText(row, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, causes)
            y += line_h


class BigScreen(QWidget):
    """Top-level full-screen window; ``video_factory`` lends it the video wall (or None)."""

    closed = Signal()

    def __init__(self, replica: Replica, *, tasks: BackgroundTasks | None = None,
                 video_factory: Callable[[], Any] | None = None, cycle_seconds: float = 20.0,
                 figures: Callable[[], MonthFigures] | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("BigScreen")
        self.setWindowTitle(self.tr("Yingyan big screen"))
        self.replica = replica
        self.tasks = tasks or BackgroundTasks(self)
        self.video_factory = video_factory
        self.stack = QStackedWidget(self)
        self.summary_view = SummaryView(self.stack)
        self.stack.addWidget(self.summary_view)
        self.video_host = QWidget(self.stack)
        QVBoxLayout(self.video_host).setContentsMargins(0, 0, 0, 0)
        self.stack.addWidget(self.video_host)
        # The key hint has a line of its own under both pages: floating over them it covered
        # the video tiles' status strips (and the summary's corner).
        self.hint = QLabel(self.tr("Esc leaves · Space pauses the cycle · V shows video"), self)
        self.hint.setObjectName("bigscreen_hint")
        self.hint.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.hint.setStyleSheet("color: #484f58; background: #05080d; padding: 2px 12px;")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.stack, 1)
        layout.addWidget(self.hint, 0)
        self.cycle = QTimer(self)
        self.cycle.setInterval(int(cycle_seconds * 1000))
        self.cycle.timeout.connect(self.swap)
        self.cycle.start()
        self._refresh_timer = QTimer(self)
        self._refresh_timer.setSingleShot(True)
        self._refresh_timer.setInterval(1000)
        self._refresh_timer.timeout.connect(self.refresh)
        self.summary: Summary | None = None
        self._gen = 0
        #: the server's month figures (run in the background; None: this screen shows none)
        self.figures = figures
        self.month: MonthFigures | None = None
        self._month_timer = QTimer(self)
        self._month_timer.setInterval(MONTH_REFRESH_MS)
        self._month_timer.timeout.connect(self.refresh_month)

    def show_full_screen(self, screen: QScreen | None = None) -> None:
        """Cover ``screen`` (default: the one it is on). Without a window manager (kiosk X
        sessions, Xvfb) full screen is only a hint, so the geometry is set as well."""
        target = screen or self.screen()
        if target is not None:
            self.setGeometry(target.geometry())
        self.showFullScreen()

    def refresh(self) -> None:
        replica = self.replica
        self._gen += 1
        gen = self._gen

        def work() -> Summary:
            return summarise(replica.read(queries.bigscreen_inputs))

        def done(summary: Summary) -> None:
            if gen == self._gen:
                self.summary = summary
                self.summary_view.set_summary(summary)

        self.tasks.run(work, done, label="big screen", owner=self, local=True)

    def refresh_month(self) -> None:
        """Fetch the month's ranking and risk levels from the server; a failure keeps the last ones."""
        fetch = self.figures
        if fetch is None:
            return

        def done(month: MonthFigures) -> None:
            self.month = month
            self.summary_view.set_month(month)

        def failed(_error: BaseException) -> None:
            pass  # offline or not allowed: the band keeps what it showed (or stays away)

        self.tasks.run(fetch, done, label="big screen month", owner=self, on_error=failed)

    def data_changed(self, new_red: list[int]) -> None:
        if not self._refresh_timer.isActive():
            self._refresh_timer.start()
        if new_red and self.stack.currentWidget() is not self.summary_view:
            # A new red signal brings the summary back at once.
            self.stack.setCurrentWidget(self.summary_view)

    def swap(self) -> None:
        if self.stack.currentWidget() is self.summary_view:
            video = self.video_factory() if self.video_factory else None
            if video is None:
                return
            host = self.video_host.layout()
            if host is not None and video.parent() is not self.video_host:
                host.addWidget(video)
            self.stack.setCurrentWidget(self.video_host)
        else:
            self.stack.setCurrentWidget(self.summary_view)

    def showing_video(self) -> bool:
        return self.stack.currentWidget() is self.video_host

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt API
        key = event.key()
        if key == Qt.Key.Key_Escape:
            self.close()
        elif key == Qt.Key.Key_Space:
            if self.cycle.isActive():
                self.cycle.stop()
            else:
                self.cycle.start()
        elif key == Qt.Key.Key_V:
            self.swap()
        else:
            super().keyPressEvent(event)

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt API
        super().showEvent(event)
        if not event.spontaneous():
            # Opened (again): the summary first, and the cycle running, whatever the last
            # showing ended on.
            self.stack.setCurrentWidget(self.summary_view)
            self.cycle.start()
            self.refresh_month()
            self._month_timer.start()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt API
        self.cycle.stop()
        self._month_timer.stop()
        # The video wall goes back to the console (``closed``): not left on an empty page.
        self.stack.setCurrentWidget(self.summary_view)
        self.closed.emit()
        super().closeEvent(event)
