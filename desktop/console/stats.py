"""Statistics (统计分析) from the replica: alerts per day, per-office and per-department figures, ranking.

What the replica allows, and how each figure is computed (the tooltips say the same):

* **alerts per day by severity** — every alert in the replica by its local raising day;
* **cases** — approval cases in the replica; **decided** — those closed (decided, not
  accepted or withdrawn);
* **on-time (early-completion) rate** — decided cases that never had an ``OVERDUE`` alert,
  over decided cases (``OVERDUE`` fires exactly when a case closes at or after its due);
* **average working days used** and **satisfaction rate** — from the case details cached on
  this computer (the change feed's case rows carry neither; the pane says over how many
  cases each is computed);
* **alerts per 100 cases** — alerts whose subject is a case of the office, per 100 cases.

Every query runs in the background; exports (XLSX with openpyxl, PDF with QPdfWriter) too,
except the chart picture, which must be grabbed on the UI thread.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass, field
from html import escape
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QCoreApplication,
    QMarginsF,
    QSizeF,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QImage, QPageLayout, QPageSize, QPdfWriter, QTextDocument
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from desktop.common.tasks import BackgroundTasks
from desktop.console.labels import QT_TRANSLATE_NOOP, fmt
from desktop.console.records import SORT_ROLE, Column, RecordTableModel
from desktop.replica.store import Replica
from shared.timeutil import DAY, day_start, day_to_date, local_day

CLOSED_STATES = ("decided_approved", "decided_refused", "not_accepted", "withdrawn")
POSITIVE = ("satisfied", "basically_satisfied")


@dataclass
class UnitStats:
    """One office's or department's figures."""

    key: str
    name: str
    cases: int = 0
    decided: int = 0
    overdue_decided: int = 0
    alerts: int = 0
    red: int = 0
    yellow: int = 0
    active_red: int = 0
    used_hours: list[float] = field(default_factory=list)
    ratings: int = 0
    positive: int = 0
    rank: int = 0

    @property
    def on_time_rate(self) -> float | None:
        return (self.decided - self.overdue_decided) / self.decided if self.decided else None

    @property
    def avg_days(self) -> float | None:
        return sum(self.used_hours) / len(self.used_hours) / 24 if self.used_hours else None

    @property
    def alerts_per_100(self) -> float | None:
        return self.alerts * 100 / self.cases if self.cases else None

    @property
    def satisfaction(self) -> float | None:
        return self.positive / self.ratings if self.ratings else None

    def as_record(self) -> dict[str, Any]:
        return {"key": self.key, "name": self.name, "cases": self.cases, "decided": self.decided,
                "on_time_rate": self.on_time_rate, "avg_days": self.avg_days, "alerts": self.alerts,
                "red": self.red, "yellow": self.yellow, "active_red": self.active_red,
                "alerts_per_100": self.alerts_per_100, "satisfaction": self.satisfaction,
                "detail_cases": len(self.used_hours), "ratings": self.ratings, "rank": self.rank}


@dataclass
class Statistics:
    days: list[int]
    red_per_day: list[int]
    yellow_per_day: list[int]
    offices: list[dict[str, Any]]
    departments: list[dict[str, Any]]
    totals: dict[str, Any]


def compute(conn: sqlite3.Connection, *, days: int = 30, today: int | None = None) -> Statistics:
    """All figures in one pass over the replica (run it off the UI thread)."""
    if today is None:
        row = conn.execute("SELECT MAX(raised_at) FROM alerts").fetchone()
        today = local_day(int(row[0])) if row and row[0] else local_day(day_start(0))
    first = today - days + 1
    span = list(range(first, today + 1))
    red = [0] * days
    yellow = [0] * days
    offset = 8 * 3600 * 1_000_000
    for day, sev, n in conn.execute(
        "SELECT (raised_at + ?) / ? AS d, severity, COUNT(*) FROM alerts WHERE raised_at >= ? GROUP BY d, severity",
        (offset, DAY, day_start(first)),
    ):
        i = int(day) - first
        if 0 <= i < days:
            (red if sev == "red" else yellow)[i] += int(n)

    office_names = {str(c): str(n or c) for c, n in conn.execute("SELECT code, name FROM offices")}
    departments = {str(c): str(d or "") for c, d in conn.execute("SELECT code, department FROM power_items")}
    offices: dict[str, UnitStats] = {}
    depts: dict[str, UnitStats] = {}

    def unit(table: dict[str, UnitStats], key: str, name: str) -> UnitStats:
        if key not in table:
            table[key] = UnitStats(key, name)
        return table[key]

    case_dept: dict[tuple[str, str], str] = {}
    for office, case_no, power, state in conn.execute("SELECT office, case_no, power_code, state FROM cases"):
        dept = departments.get(str(power), "") or "—"
        case_dept[(office, case_no)] = dept
        for u in (unit(offices, office, office_names.get(office, office)), unit(depts, dept, dept)):
            u.cases += 1
            if state in CLOSED_STATES:
                u.decided += 1
    for office, case_no in conn.execute(
        "SELECT DISTINCT a.office, a.case_no FROM alerts a"
        " JOIN cases c ON c.office = a.office AND c.case_no = a.case_no"
        " WHERE a.rule = 'OVERDUE' AND c.state IN (?, ?, ?, ?)", CLOSED_STATES,
    ):
        dept = case_dept.get((office, case_no), "—")
        unit(offices, office, office_names.get(office, office)).overdue_decided += 1
        unit(depts, dept, dept).overdue_decided += 1
    for office, case_no, sev, status, n in conn.execute(
        "SELECT office, case_no, severity, status, COUNT(*) FROM alerts WHERE subject_type = 'case'"
        " GROUP BY office, case_no, severity, status"
    ):
        dept = case_dept.get((office, case_no), "—")
        for u in (unit(offices, office, office_names.get(office, office)), unit(depts, dept, dept)):
            u.alerts += n
            if sev == "red":
                u.red += n
                if status in ("open", "acknowledged", "escalated", "promoted"):
                    u.active_red += n
            else:
                u.yellow += n
    for office, case_no, data in conn.execute("SELECT office, case_no, data FROM case_details"):
        try:
            detail = json.loads(data)
        except ValueError:
            continue
        dept = case_dept.get((office, case_no)) or departments.get(str(detail.get("power_code")), "—")
        targets = (unit(offices, office, office_names.get(office, office)), unit(depts, dept, dept))
        clocks = detail.get("clocks") or {}
        if detail.get("state") in CLOSED_STATES and clocks.get("used_hours") is not None:
            for u in targets:
                u.used_hours.append(float(clocks["used_hours"]))
        for r in detail.get("evaluations") or []:
            for u in targets:
                u.ratings += 1
                u.positive += 1 if r.get("rating") in POSITIVE else 0

    def ranked(table: dict[str, UnitStats]) -> list[dict[str, Any]]:
        # Ranking: on-time rate first (higher is better), then alerts per 100 cases (lower).
        units = sorted(table.values(), key=lambda u: (-(u.on_time_rate if u.on_time_rate is not None else -1),
                                                      u.alerts_per_100 if u.alerts_per_100 is not None else 1e9,
                                                      u.key))
        for i, u in enumerate(units, 1):
            u.rank = i
        return [u.as_record() for u in units]

    all_units = list(offices.values())
    cases = sum(u.cases for u in all_units)
    decided = sum(u.decided for u in all_units)
    overdue = sum(u.overdue_decided for u in all_units)
    used = [h for u in all_units for h in u.used_hours]
    ratings = sum(u.ratings for u in all_units)
    positive = sum(u.positive for u in all_units)
    total_alerts = int(conn.execute("SELECT COUNT(*) FROM alerts").fetchone()[0])
    total_red = int(conn.execute("SELECT COUNT(*) FROM alerts WHERE severity = 'red'").fetchone()[0])
    totals = {
        "cases": cases, "decided": decided,
        "on_time_rate": (decided - overdue) / decided if decided else None,
        "avg_days": sum(used) / len(used) / 24 if used else None, "detail_cases": len(used),
        "alerts": total_alerts, "red": total_red, "yellow": total_alerts - total_red,
        "satisfaction": positive / ratings if ratings else None, "ratings": ratings,
        "first_day": day_to_date(first).isoformat(), "last_day": day_to_date(today).isoformat(),
    }
    return Statistics(span, red, yellow, ranked(offices), ranked(depts), totals)


def _pct(v: float | None) -> str:
    return "—" if v is None else f"{v * 100:.1f}%"


def _num(v: float | None, digits: int = 1) -> str:
    return "—" if v is None else f"{v:.{digits}f}"


UNIT_COLUMNS = (
    Column(QT_TRANSLATE_NOOP("StatisticsPane", "Rank"), lambda r: r["rank"], numeric=True),
    Column(QT_TRANSLATE_NOOP("StatisticsPane", "Name"), lambda r: r["name"]),
    Column(QT_TRANSLATE_NOOP("StatisticsPane", "Cases"), lambda r: r["cases"], numeric=True),
    Column(QT_TRANSLATE_NOOP("StatisticsPane", "Decided"), lambda r: r["decided"], numeric=True),
    Column(QT_TRANSLATE_NOOP("StatisticsPane", "On-time rate"), lambda r: _pct(r["on_time_rate"]),
           key=lambda r: r["on_time_rate"] or -1, numeric=True),
    Column(QT_TRANSLATE_NOOP("StatisticsPane", "Avg working days"), lambda r: _num(r["avg_days"], 2),
           key=lambda r: r["avg_days"] or -1, numeric=True),
    Column(QT_TRANSLATE_NOOP("StatisticsPane", "Alerts"), lambda r: r["alerts"], numeric=True),
    Column(QT_TRANSLATE_NOOP("StatisticsPane", "Red"), lambda r: r["red"], numeric=True),
    Column(QT_TRANSLATE_NOOP("StatisticsPane", "Alerts / 100 cases"), lambda r: _num(r["alerts_per_100"]),
           key=lambda r: r["alerts_per_100"] or -1, numeric=True),
    Column(QT_TRANSLATE_NOOP("StatisticsPane", "Satisfaction"), lambda r: _pct(r["satisfaction"]),
           key=lambda r: r["satisfaction"] or -1, numeric=True),
)
HEADERS = [c.header for c in UNIT_COLUMNS]
translate = QCoreApplication.translate


def _headers() -> list[str]:
    return [translate("StatisticsPane", h) for h in HEADERS]


def headline_figures(stats: Statistics) -> list[tuple[str, str]]:
    t = stats.totals
    return [
        (translate("StatisticsPane", "Cases supervised"), str(t["cases"])),
        (translate("StatisticsPane", "Cases decided"), str(t["decided"])),
        (translate("StatisticsPane", "On-time (early-completion) rate"), _pct(t["on_time_rate"])),
        (translate("StatisticsPane", "Average working days used"), _num(t["avg_days"], 2)),
        (translate("StatisticsPane", "Alerts"), str(t["alerts"])),
        (translate("StatisticsPane", "Red signals"), str(t["red"])),
        (translate("StatisticsPane", "Yellow signals"), str(t["yellow"])),
        (translate("StatisticsPane", "Satisfaction rate"), _pct(t["satisfaction"])),
    ]


def export_xlsx(stats: Statistics, path: Path) -> Path:
    """Workbook with the headline figures, offices, departments and alerts per day."""
    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill

    wb = Workbook()
    ws = wb.active
    ws.title = translate("StatisticsPane", "Summary")
    bold = Font(bold=True)
    t = stats.totals
    ws.append([translate("StatisticsPane", "Period"), f"{t['first_day']} — {t['last_day']}"])
    # Numbers as numbers (rates as fractions formatted as %), so the sheet can be computed on.
    raw = [t["cases"], t["decided"], t["on_time_rate"], t["avg_days"], t["alerts"], t["red"], t["yellow"],
           t["satisfaction"]]
    for (label, _), value in zip(headline_figures(stats), raw, strict=True):
        ws.append([label, value])
    for cell in ws["A"]:
        cell.font = bold
    for r in (4, 9):
        ws.cell(r, 2).number_format = "0.0%"
    ws.cell(5, 2).number_format = "0.00"
    ws.column_dimensions["A"].width = 36
    ws.column_dimensions["B"].width = 26
    fill = PatternFill("solid", fgColor="1F6FEB")
    keys = ("rank", "name", "cases", "decided", "on_time_rate", "avg_days", "alerts", "red", "alerts_per_100",
            "satisfaction")
    sheets = ((translate("StatisticsPane", "Offices"), stats.offices),
              (translate("StatisticsPane", "Departments"), stats.departments))
    for title, units in sheets:
        sheet = wb.create_sheet(title)
        sheet.append(_headers())
        for cell in sheet[1]:
            cell.font = Font(bold=True, color="FFFFFF")
            cell.fill = fill
        for u in units:
            sheet.append([u[k] for k in keys])
        for row in sheet.iter_rows(min_row=2):
            row[4].number_format = "0.0%"
            row[5].number_format = "0.00"
            row[8].number_format = "0.0"
            row[9].number_format = "0.0%"
        sheet.column_dimensions["B"].width = 28
        sheet.freeze_panes = "A2"
    days = wb.create_sheet(translate("StatisticsPane", "Alerts per day"))
    days.append([translate("StatisticsPane", "Day"), translate("StatisticsPane", "Red"),
                 translate("StatisticsPane", "Yellow")])
    for cell in days[1]:
        cell.font = bold
    for d, r, y in zip(stats.days, stats.red_per_day, stats.yellow_per_day, strict=True):
        days.append([day_to_date(d), r, y])
    for row in days.iter_rows(min_row=2):
        row[0].number_format = "yyyy-mm-dd"
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path


def report_html(stats: Statistics, chart: str | None = None) -> str:
    t = stats.totals
    head = "".join(f"<th>{escape(h)}</th>" for h in _headers())

    def table(units: list[dict[str, Any]]) -> str:
        body = "".join(
            "<tr>" + "".join(f"<td>{escape(str(c.text(u)))}</td>" for c in UNIT_COLUMNS) + "</tr>" for u in units)
        return f"<table border='1' cellspacing='0' cellpadding='3'><tr>{head}</tr>{body}</table>"

    fig = "".join(f"<tr><td><b>{escape(a)}</b></td><td>{escape(b)}</td></tr>" for a, b in headline_figures(stats))
    img = f"<p><img src='{chart}' width='900'></p>" if chart else ""
    title = translate("StatisticsPane", "Yingyan supervision statistics")
    offices = translate("StatisticsPane", "Offices")
    departments = translate("StatisticsPane", "Departments")
    return (
        f"<h1>{escape(title)}</h1>"
        f"<p>{escape(t['first_day'])} — {escape(t['last_day'])}</p><table>{fig}</table>{img}"
        f"<h2>{escape(offices)}</h2>{table(stats.offices)}"
        f"<h2>{escape(departments)}</h2>{table(stats.departments)}"
    )


def export_pdf(stats: Statistics, path: Path, chart: QImage | None = None) -> Path:
    """A4 landscape report (QPdfWriter + QTextDocument; CJK text embeds its font)."""
    writer = QPdfWriter(str(path))
    writer.setPageLayout(QPageLayout(QPageSize(QPageSize.PageSizeId.A4), QPageLayout.Orientation.Landscape,
                                     QMarginsF(12, 12, 12, 12)))
    writer.setResolution(150)
    writer.setTitle(translate("StatisticsPane", "Yingyan supervision statistics"))
    doc = QTextDocument()
    if chart is not None:
        doc.addResource(QTextDocument.ResourceType.ImageResource, "chart://alerts", chart)
    doc.setHtml(report_html(stats, "chart://alerts" if chart is not None else None))
    page = writer.pageLayout().paintRectPixels(writer.resolution())
    doc.setPageSize(QSizeF(page.width(), page.height()))
    doc.print_(writer)
    return path


class StatisticsPane(QWidget):
    """Charts and tables over the replica; refreshed on demand and when the feed brings data."""

    def __init__(self, replica: Replica, tasks: BackgroundTasks, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("StatisticsPane")
        self.replica = replica
        self.tasks = tasks
        self.stats: Statistics | None = None
        self._stale = True
        self._gen = 0
        self.last_export: Path | None = None
        layout = QVBoxLayout(self)
        bar = QHBoxLayout()
        self.period = QComboBox(self)
        for n in (7, 30, 90):
            self.period.addItem(fmt(self.tr("Last %1 days"), n), n)
        self.period.setCurrentIndex(1)
        self.period.currentIndexChanged.connect(self.refresh)
        bar.addWidget(self.period)
        self.headline = QLabel(self)
        self.headline.setTextFormat(Qt.TextFormat.RichText)
        bar.addWidget(self.headline, 1)
        self.xlsx_button = QPushButton(self.tr("Export XLSX…"), self)
        self.pdf_button = QPushButton(self.tr("Export PDF…"), self)
        self.xlsx_button.clicked.connect(lambda: self.ask_export("xlsx"))
        self.pdf_button.clicked.connect(lambda: self.ask_export("pdf"))
        bar.addWidget(self.xlsx_button)
        bar.addWidget(self.pdf_button)
        layout.addLayout(bar)
        split = QSplitter(Qt.Orientation.Vertical, self)
        import pyqtgraph as pg

        pg.setConfigOptions(antialias=True)
        self.plot = pg.PlotWidget(background="#0d1117")
        self.plot.setMinimumHeight(220)
        self.plot.showGrid(x=False, y=True, alpha=0.2)
        self.plot.setLabel("left", self.tr("Alerts per day"))
        self.plot.addLegend(offset=(10, 10))
        split.addWidget(self.plot)
        self.tables = QTabWidget(split)
        self.offices = RecordTableModel(UNIT_COLUMNS, "StatisticsPane", self)
        self.departments = RecordTableModel(UNIT_COLUMNS, "StatisticsPane", self)
        for model, title in ((self.offices, self.tr("Offices ranked")), (self.departments, self.tr("Departments"))):
            proxy = QSortFilterProxyModel(self)
            proxy.setSourceModel(model)
            proxy.setSortRole(SORT_ROLE)
            view = QTableView(self)
            view.setModel(proxy)
            view.setSortingEnabled(True)
            view.sortByColumn(0, Qt.SortOrder.AscendingOrder)
            view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
            view.verticalHeader().setVisible(False)
            view.horizontalHeader().setStretchLastSection(False)
            self.tables.addTab(view, title)
        split.addWidget(self.tables)
        split.setStretchFactor(0, 2)
        split.setStretchFactor(1, 3)
        layout.addWidget(split, 1)

    def mark_stale(self) -> None:
        self._stale = True
        if self.isVisible():
            self.refresh()

    def refresh(self) -> None:
        days = int(self.period.currentData() or 30)
        replica = self.replica
        self._gen += 1
        gen = self._gen
        self._stale = False

        def work() -> Statistics:
            conn = replica.connect(readonly=True)
            try:
                return compute(conn, days=days)
            finally:
                conn.close()

        self.tasks.run(work, lambda s: self._show(s) if gen == self._gen else None, label="statistics", owner=self)

    def _show(self, stats: Statistics) -> None:
        import pyqtgraph as pg

        self.stats = stats
        t = stats.totals
        names = (self.tr("Cases"), self.tr("On-time"), self.tr("Avg days"), self.tr("Alerts"), self.tr("Red"),
                 self.tr("Satisfaction"))
        values = (str(t["cases"]), _pct(t["on_time_rate"]), _num(t["avg_days"], 2), str(t["alerts"]), str(t["red"]),
                  _pct(t["satisfaction"]))
        items = [f"{escape(n)} <b>{v}</b>" for n, v in zip(names, values, strict=True)]
        items[4] = f"<span style='color:#ff4d4f'>{items[4]}</span>"
        self.headline.setText(" &nbsp; ".join(items))
        self.plot.clear()
        xs = list(range(len(stats.days)))
        self.plot.addItem(pg.BarGraphItem(x=xs, height=stats.yellow_per_day, width=0.8, brush="#d4b106",
                                          name=self.tr("Yellow")))
        self.plot.addItem(pg.BarGraphItem(x=xs, y0=stats.yellow_per_day, height=stats.red_per_day, width=0.8,
                                          brush="#d32f2f", name=self.tr("Red")))
        step = max(1, len(xs) // 10)
        ticks = [(i, day_to_date(d).strftime("%m-%d")) for i, d in enumerate(stats.days) if i % step == 0]
        self.plot.getAxis("bottom").setTicks([ticks])
        self.offices.set_records(stats.offices)
        self.departments.set_records(stats.departments)
        for i in range(self.tables.count()):
            view = self.tables.widget(i)
            if isinstance(view, QTableView):
                view.resizeColumnsToContents()

    def chart_image(self) -> QImage:
        return self.plot.grab().toImage()

    def ask_export(self, kind: str) -> None:
        filt = self.tr("Excel workbook (*.xlsx)") if kind == "xlsx" else self.tr("PDF (*.pdf)")
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Export statistics"), f"yingyan-statistics.{kind}", filt)
        if path:
            self.export(Path(path), kind)

    def export(self, path: Path, kind: str, on_done: Any = None) -> None:
        """Write the export in the background; ``exported``-style callback with the path."""
        stats = self.stats
        if stats is None:
            return
        if kind == "xlsx":
            def work() -> Path:
                return export_xlsx(stats, path)
        else:
            # The chart is grabbed here (UI thread); the PDF is written in the background from
            # a detached copy of the picture (QImage, unlike QPixmap, may cross threads).
            chart = self.chart_image().copy()

            def work() -> Path:
                return export_pdf(stats, path, chart)

        def done(p: Path) -> None:
            self.last_export = p
            if on_done is not None:
                on_done(p)

        self.tasks.run(work, done, label=f"export {kind}", owner=self)
