"""Statistics (统计分析) from the replica: alerts per day, per-office and per-department figures, ranking.

What each figure is and how it is computed (the tooltips of the headline and of the table
headers say the same):

* **alerts per day by severity** — every alert in the replica by its local raising day;
* **cases** — approval cases in the replica; **decided** — those closed (decided, not
  accepted or withdrawn);
* **on-time (early-completion) rate** — decided cases that closed before their due time,
  over decided cases. Each case row of the change feed carries ``closed_at`` and ``due``, so
  a case is late exactly when ``closed_at ≥ due`` — the server's own ``OVERDUE`` condition,
  read from the case itself, so it holds even when the case's alerts are not in the replica.
  A decided case without both instants (rows from servers before ``closed_at``) counts as late
  only when it has an ``OVERDUE`` alert, as before;
* **average working days used** — the working hours each decided case used up to its close
  (the feed's ``used_hours``, final once the case is closed), averaged over every decided case
  that has them, in working days of 24 working hours (the clock counts whole days as 24 h);
* **satisfaction rate** — ratings ``satisfied`` or ``basically_satisfied`` over every citizen
  rating of the cases (the feed's ``ratings`` counts by kind);
* **alerts per 100 cases** — alerts whose subject is a case of the office, per 100 cases.

``used_hours`` and ``ratings`` come from every case row of the change feed (kept in the
replica's ``cases`` columns, see ``desktop.replica.cases.case_closing``: values of the wrong
type, negative or unknown are dropped there, so they are never counted). Only for case rows
from servers that did not send these fields yet does a case detail cached on this computer
(opened in the case review) stand in. The headline's tooltip says over how many cases and
ratings the average and the satisfaction rate are computed.

Departments are shown by their name from the catalogue (``department_name`` of the power
items), or by their code when the catalogue gives none.

Every query runs in the background (``desktop.replica.queries.statistics_inputs``), as
aggregates in SQLite over covering indexes of the ``cases`` table (a million cases and half a
million alerts: about 5 s on a busy two-core machine, most of it grouping the alerts); exports
(XLSX with openpyxl, PDF with ``desktop.common.pdf``) too, except the chart picture, which must be grabbed
on the UI thread.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from html import escape
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QCoreApplication,
    QObject,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QImage
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from desktop.common.pdf import write_pdf
from desktop.common.tasks import BackgroundTasks
from desktop.console.labels import QT_TRANSLATE_NOOP, fmt
from desktop.console.records import SORT_ROLE, Column, RecordTableModel
from desktop.replica import queries
from desktop.replica.cases import rating_counts, used_hours_value
from desktop.replica.local import ACTIVE_STATUSES
from desktop.replica.queries import CLOSED_STATES, StatisticsInputs
from desktop.replica.store import Replica
from shared.protocol import RATINGS
from shared.timeutil import day_to_date

POSITIVE = ("satisfied", "basically_satisfied")
NO_DEPARTMENT = "—"


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
    used_sum: float = 0.0
    used_cases: int = 0
    ratings: int = 0
    positive: int = 0
    rank: int = 0

    @property
    def on_time_rate(self) -> float | None:
        return (self.decided - self.overdue_decided) / self.decided if self.decided else None

    @property
    def avg_days(self) -> float | None:
        return self.used_sum / self.used_cases / 24 if self.used_cases else None

    @property
    def alerts_per_100(self) -> float | None:
        return self.alerts * 100 / self.cases if self.cases else None

    @property
    def satisfaction(self) -> float | None:
        return self.positive / self.ratings if self.ratings else None

    def add_used(self, hours: float, cases: int = 1) -> None:
        self.used_sum += hours
        self.used_cases += cases

    def add_ratings(self, kind: str, n: int) -> None:
        self.ratings += n
        if kind in POSITIVE:
            self.positive += n

    def as_record(self) -> dict[str, Any]:
        return {"key": self.key, "name": self.name, "cases": self.cases, "decided": self.decided,
                "on_time_rate": self.on_time_rate, "avg_days": self.avg_days, "alerts": self.alerts,
                "red": self.red, "yellow": self.yellow, "active_red": self.active_red,
                "alerts_per_100": self.alerts_per_100, "satisfaction": self.satisfaction,
                "used_cases": self.used_cases, "ratings": self.ratings, "rank": self.rank}


@dataclass
class Statistics:
    days: list[int]
    red_per_day: list[int]
    yellow_per_day: list[int]
    offices: list[dict[str, Any]]
    departments: list[dict[str, Any]]
    totals: dict[str, Any]


def _department_name(data: object) -> str:
    """``department_name`` of a stored power item, or "" (missing, empty or not text)."""
    try:
        item = json.loads(data) if isinstance(data, str | bytes) else None
    except ValueError:
        return ""
    name = item.get("department_name") if isinstance(item, dict) else None
    return " ".join(name.split())[:200] if isinstance(name, str) else ""


def departments(power_items: list[tuple[str, str | None, str | None]]) -> tuple[dict[str, str], dict[str, str]]:
    """(power code → department code, department code → the name to show) from the catalogue items."""
    of_power: dict[str, str] = {}
    names: dict[str, str] = {}
    for code, dept, data in power_items:
        key = str(dept or "") or NO_DEPARTMENT
        of_power[str(code)] = key
        name = _department_name(data)
        if name and key not in names:
            names[key] = name
    for key in set(of_power.values()):
        names.setdefault(key, key)
    names.setdefault(NO_DEPARTMENT, NO_DEPARTMENT)
    return of_power, names


def compute(inputs: StatisticsInputs) -> Statistics:
    """Every figure from the replica's aggregates (``queries.statistics_inputs``, read in the background)."""
    first, today = inputs.first_day, inputs.last_day
    days = today - first + 1
    span = list(range(first, today + 1))
    red = [0] * days
    yellow = [0] * days
    # Every alert per day, then the red ones: the rest is yellow.
    for day, n in inputs.alerts_per_day:
        i = day - first
        if 0 <= i < days:
            yellow[i] += n
    for day, n in inputs.red_per_day:
        i = day - first
        if 0 <= i < days:
            red[i] += n
            yellow[i] -= n

    office_names = inputs.office_names
    dept_of, dept_names = departments(inputs.power_items)
    offices: dict[str, UnitStats] = {}
    depts: dict[str, UnitStats] = {}
    pairs: dict[tuple[Any, Any], tuple[UnitStats, UnitStats]] = {}

    def targets(office: Any, power: Any) -> tuple[UnitStats, UnitStats]:
        """The office's and the department's figures a case of (office, power code) adds to."""
        found = pairs.get((office, power))
        if found is None:
            o = str(office)
            dept = dept_of.get(str(power), NO_DEPARTMENT) if power is not None else NO_DEPARTMENT
            if o not in offices:
                offices[o] = UnitStats(o, office_names.get(o, o))
            if dept not in depts:
                depts[dept] = UnitStats(dept, dept_names.get(dept, dept))
            found = pairs[(office, power)] = (offices[o], depts[dept])
        return found

    for office, power, n, decided, late, used_sum, used_n in inputs.cases:
        for u in targets(office, power):
            u.cases += int(n)
            u.decided += int(decided or 0)
            u.overdue_decided += int(late or 0)
            if used_n:
                u.add_used(float(used_sum or 0.0), int(used_n))
    for office, power, kind, n in inputs.ratings:
        for u in targets(office, power):
            u.add_ratings(str(kind), int(n))
    for office, power, sev, status, n in inputs.alerts:
        for u in targets(office, power):
            u.alerts += n
            if sev == "red":
                u.red += n
                if status in ACTIVE_STATUSES:
                    u.active_red += n
            else:
                u.yellow += n
    # Case rows from servers before closed_at/used_hours/ratings: a case detail opened on this
    # computer stands in (never for a row that carried the fields, even empty or unreadable).
    for office, data, power in inputs.stand_ins:
        try:
            detail = json.loads(data)
        except (TypeError, ValueError):
            continue
        if not isinstance(detail, dict):
            continue
        if power is None:
            power = detail.get("power_code") if isinstance(detail.get("power_code"), str) else None
        units = targets(office, power)
        clocks = detail.get("clocks")
        hours = used_hours_value(clocks.get("used_hours")) if isinstance(clocks, dict) else None
        if detail.get("state") in CLOSED_STATES and hours is not None:
            for u in units:
                u.add_used(hours)
        evaluations = detail.get("evaluations")
        counts: dict[str, int] = {}
        for r in evaluations if isinstance(evaluations, list) else []:
            rating = r.get("rating") if isinstance(r, dict) else None
            if rating in RATINGS:
                counts[rating] = counts.get(rating, 0) + 1
        for rating, n in rating_counts(counts).items():
            for u in units:
                u.add_ratings(rating, n)

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
    used_sum = sum(u.used_sum for u in all_units)
    used_cases = sum(u.used_cases for u in all_units)
    ratings = sum(u.ratings for u in all_units)
    positive = sum(u.positive for u in all_units)
    totals = {
        "cases": cases, "decided": decided,
        "on_time_rate": (decided - overdue) / decided if decided else None,
        "avg_days": used_sum / used_cases / 24 if used_cases else None, "used_cases": used_cases,
        "alerts": inputs.total_alerts, "red": inputs.total_red, "yellow": inputs.total_alerts - inputs.total_red,
        "satisfaction": positive / ratings if ratings else None, "ratings": ratings,
        "first_day": day_to_date(first).isoformat(), "last_day": day_to_date(today).isoformat(),
    }
    return Statistics(span, red, yellow, ranked(offices), ranked(depts), totals)


def _pct(v: float | None) -> str:
    return "—" if v is None else f"{v * 100:.1f}%"


def _days(v: float | None) -> str:
    """Working days with their unit (a bare 2.35 said nothing)."""
    return "—" if v is None else fmt(translate("StatisticsPane", "%1 working days"), f"{v:.2f}")


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
#: The departments' table: the same columns; the name cell's tooltip gives the department code.
DEPARTMENT_COLUMNS = (
    UNIT_COLUMNS[0],
    Column(UNIT_COLUMNS[1].header, lambda r: r["name"], roles={Qt.ItemDataRole.ToolTipRole: lambda r: r["key"]}),
    *UNIT_COLUMNS[2:],
)
HEADERS = [c.header for c in UNIT_COLUMNS]
#: How each column is computed (the header's tooltip), by header.
COLUMN_TIPS = {
    "Rank": QT_TRANSLATE_NOOP(
        "StatisticsPane", "Ranked by on-time rate (higher first), then by alerts per 100 cases (fewer first)."),
    "Cases": QT_TRANSLATE_NOOP("StatisticsPane", "Approval cases synced to this computer."),
    "Decided": QT_TRANSLATE_NOOP(
        "StatisticsPane", "Closed cases: decided (approved or refused), not accepted or withdrawn."),
    "On-time rate": QT_TRANSLATE_NOOP(
        "StatisticsPane",
        "Decided cases closed before their due time, over decided cases: a case is late when its close time "
        "(closed_at in the change feed) is at or after its due time. A case without both times (from an "
        "older server) is late when it has an OVERDUE alert."),
    "Avg working days": QT_TRANSLATE_NOOP(
        "StatisticsPane",
        "Working hours used up to the close (used_hours in the change feed) averaged over every decided case "
        "that has them, in working days of 24 working hours. For cases from an older server, the case "
        "details opened on this computer."),
    "Alerts": QT_TRANSLATE_NOOP("StatisticsPane", "Alerts whose subject is one of these cases."),
    "Red": QT_TRANSLATE_NOOP("StatisticsPane", "Red signals among those alerts."),
    "Alerts / 100 cases": QT_TRANSLATE_NOOP("StatisticsPane", "Alerts on these cases per 100 cases."),
    "Satisfaction": QT_TRANSLATE_NOOP(
        "StatisticsPane",
        "Ratings “satisfied” or “basically satisfied” over every citizen rating of these cases (ratings in the "
        "change feed). For cases from an older server, the case details opened on this computer."),
}
DEPARTMENT_NAME_TIP = QT_TRANSLATE_NOOP(
    "StatisticsPane", "The department's name from the catalogue; its code when the catalogue gives no name.")
translate = QCoreApplication.translate


class UnitTableModel(RecordTableModel):
    """A ranking table whose headers say, as tooltips, how each figure is computed."""

    def __init__(self, columns: tuple[Column, ...], tips: dict[str, str], parent: QObject | None = None) -> None:
        super().__init__(columns, "StatisticsPane", parent)
        self.tips = tips

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802 - Qt API
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.ToolTipRole and orientation == Qt.Orientation.Horizontal \
                and 0 <= section < len(self.columns):
            tip = self.tips.get(self.columns[section].header)
            return translate("StatisticsPane", tip) if tip else None
        return super().headerData(section, orientation, role)


def _headers() -> list[str]:
    return [translate("StatisticsPane", h) for h in HEADERS]


def headline_figures(stats: Statistics) -> list[tuple[str, str]]:
    t = stats.totals
    return [
        (translate("StatisticsPane", "Cases supervised"), str(t["cases"])),
        (translate("StatisticsPane", "Cases decided"), str(t["decided"])),
        (translate("StatisticsPane", "On-time (early-completion) rate"), _pct(t["on_time_rate"])),
        (translate("StatisticsPane", "Average working days used"), _days(t["avg_days"])),
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
    """A4 landscape report; the chart, when given, is the picture grabbed from the pane."""
    return write_pdf(report_html(stats, "chart://alerts" if chart is not None else None), path,
                     title=translate("StatisticsPane", "Yingyan supervision statistics"), landscape=True,
                     images={"chart://alerts": chart} if chart is not None else None)


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
        #: a computation is running (the figures shown, if any, are the previous ones)
        self.busy = False
        self._headline_html = ""
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
        # Until the first figures arrive the chart's place says so (empty 0–1 axes looked broken).
        self.loading = QLabel(self.tr("Computing the statistics…"), self)
        self.loading.setObjectName("loading")
        self.loading.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.loading.setStyleSheet("color: #8b949e; font-size: 16pt;")
        self.chart = QStackedWidget(split)
        self.chart.addWidget(self.loading)
        self.chart.addWidget(self.plot)
        split.addWidget(self.chart)
        self.tables = QTabWidget(split)
        self.offices = UnitTableModel(UNIT_COLUMNS, COLUMN_TIPS, self)
        self.departments = UnitTableModel(DEPARTMENT_COLUMNS, {**COLUMN_TIPS, "Name": DEPARTMENT_NAME_TIP}, self)
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
        self.busy = True
        if self.stats is None:
            self.chart.setCurrentWidget(self.loading)
        else:
            updating = self.tr("Updating…")
            self.headline.setText(f"<span style='color:#8b949e'>{escape(updating)}</span> {self._headline_html}")

        def work() -> Statistics:
            return compute(replica.read(queries.statistics_inputs, days=days))

        self.tasks.run(work, lambda s: self._show(s) if gen == self._gen else None, label="statistics", owner=self,
                       local=True)

    def _show(self, stats: Statistics) -> None:
        import pyqtgraph as pg

        self.stats = stats
        self.busy = False
        self.chart.setCurrentWidget(self.plot)
        t = stats.totals
        names = (self.tr("Cases"), self.tr("On-time"), self.tr("Avg days"), self.tr("Alerts"), self.tr("Red"),
                 self.tr("Satisfaction"))
        values = (str(t["cases"]), _pct(t["on_time_rate"]), _days(t["avg_days"]), str(t["alerts"]), str(t["red"]),
                  _pct(t["satisfaction"]))
        items = [f"{escape(n)} <b>{v}</b>" for n, v in zip(names, values, strict=True)]
        items[4] = f"<span style='color:#ff4d4f'>{items[4]}</span>"
        self._headline_html = " &nbsp; ".join(items)
        self.headline.setText(self._headline_html)
        self.headline.setToolTip("\n".join((
            fmt(self.tr("Cases: approval cases synced to this computer, %1 of them decided."), t["decided"]),
            self.tr("On-time: decided cases closed before their due time (the close time in the change feed "
                    "against the due time; a case without them counts as late when it has an OVERDUE alert)."),
            fmt(self.tr("Avg days: working hours used up to the close, in working days of 24 hours, averaged over "
                        "%1 decided cases."), t["used_cases"]),
            fmt(self.tr("Satisfaction: “satisfied” and “basically satisfied” over %1 citizen ratings."),
                t["ratings"]),
            self.tr("Cases from an older server, whose change-feed rows carry no working time or ratings, count "
                    "through their case details opened on this computer."),
        )))
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
