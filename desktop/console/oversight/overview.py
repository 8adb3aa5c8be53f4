"""The leader's overview: the month's figures as the server computes them, and what is behind them.

Read-only: the month's headline figures from the seeds (cases supervised, early and one-time
completion, average working days, warnings, cards, petitions tracked, satisfaction) beside the
month before; trend charts over the last twelve months (pyqtgraph); the evaluation ranking; and
the risk index worst first, where a unit opens onto its points and a point onto the record that
cost it (an alert is shown on the wall). Everything comes from ``GET /statistics``,
``/evaluation`` and ``/risk-index`` (``ApiClient.figures``) in the background, so the console,
this overview and the big screen show the same numbers; a leader may annotate (批阅) the record
behind a point. The evaluation report (XLSX, PDF) is written from what is on screen.
"""

from __future__ import annotations

from html import escape
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QSortFilterProxyModel, Qt, QTimer, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QTabWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from desktop.console import labels
from desktop.console.labels import fmt
from desktop.console.oversight.forms import TextDialog
from desktop.console.oversight.report import (
    COMPONENTS,
    Figures,
    cards_issued,
    export_pdf,
    export_xlsx,
    headline,
    headline_value,
    month_has_figures,
)
from desktop.console.records import RECORD_ROLE, Column, RecordTableModel, record_table
from desktop.console.session import Session
from shared.actions import Actor, role_may
from shared.risk import month_text, parse_month, previous_month

translate = QCoreApplication.translate
LEVEL_COLORS = {"red": QColor("#6b1d1d"), "yellow": QColor("#5a4a0c"), "green": QColor("#123d24")}
TREND_MONTHS = 12


def _num(v: Any, digits: int = 1) -> str:
    return "—" if v is None else f"{float(v):.{digits}f}"


def _level_brush(r: dict[str, Any]) -> QBrush | None:
    color = LEVEL_COLORS.get(str(r.get("level")))
    return QBrush(color) if color is not None else None


RANK_COLUMNS = (
    Column("Rank", lambda r: r["rank"], numeric=True),
    Column("Unit", lambda r: r["name"]),
    Column("Total", lambda r: _num(r["total"]), key=lambda r: r["total"], numeric=True),
    *[Column(name, (lambda k: lambda r: _num((r.get("components") or {}).get(k)))(key),
             key=(lambda k: lambda r: (r.get("components") or {}).get(k) or -1)(key), numeric=True)
      for key, name in zip(COMPONENTS, ("Efficiency", "Anomalies", "Routine supervision", "Public evaluation"),
                           strict=True)],
    Column("Change", lambda r: _change(r), key=lambda r: _change_value(r), numeric=True,
           roles={Qt.ItemDataRole.ForegroundRole: lambda r: QBrush(QColor(
               "#3fb950" if _change_value(r) > 0 else "#ff7b72" if _change_value(r) < 0 else "#8b949e"))}),
    Column("Last month", lambda r: fmt(translate("Oversight", "#%1 (%2)"), r["before"]["rank"],
                                       _num(r["before"]["total"])) if r.get("before") else "—",
           key=lambda r: (r.get("before") or {}).get("rank") or 10**6),
)
RISK_COLUMNS = (
    Column("Unit or person", lambda r: r["name"]),
    Column("Index", lambda r: r["index"], numeric=True, roles={Qt.ItemDataRole.BackgroundRole: _level_brush}),
    Column("Level", lambda r: labels.risk_level(str(r["level"])), key=lambda r: r["index"],
           roles={Qt.ItemDataRole.BackgroundRole: _level_brush}),
    Column("Points", lambda r: len(r.get("points") or []), numeric=True),
)
POINT_COLUMNS = (
    Column("Item", lambda p: labels.risk_item(str(p.get("item")))),
    Column("Weight", lambda p: p.get("weight"), numeric=True),
    Column("Record", lambda p: f"{labels.record_kind(str(p['ref'].get('type')))} {p['ref'].get('id')}"),
)
_HEADERS = (translate("Oversight", "Unit or person"),
            translate("Oversight", "Rank"), translate("Oversight", "Total"), translate("Oversight", "Efficiency"),
            translate("Oversight", "Anomalies"), translate("Oversight", "Routine supervision"),
            translate("Oversight", "Public evaluation"), translate("Oversight", "Last month"),
            translate("Oversight", "Change"), translate("Oversight", "Index"), translate("Oversight", "Level"),
            translate("Oversight", "Points"), translate("Oversight", "Item"), translate("Oversight", "Weight"),
            translate("Oversight", "Record"))


def _change_value(r: dict[str, Any]) -> int:
    before = r.get("before")
    return 0 if not before else int(before["rank"]) - int(r["rank"])


def _change(r: dict[str, Any]) -> str:
    if not r.get("before"):
        return "—"
    d = _change_value(r)
    return f"▲{d}" if d > 0 else f"▼{-d}" if d < 0 else "="


def record_html(kind: str, rec: dict[str, Any], names: dict[str, str] | None = None) -> str:
    """The record behind a risk point, as the server sent it: what it is and why it counted."""
    rows: list[tuple[str, Any]] = []
    title = labels.record_kind(kind)

    def unit(code: Any) -> str:
        return (names or {}).get(str(code), str(code or ""))

    if kind == "alert":
        subject = rec.get("subject") or {}
        rule_names = rec.get("rule_name") or {}
        title += f" #{rec.get('id')} · " + labels.rule_name(str(rec.get("rule")), rule_names.get("zh_CN"),
                                                           rule_names.get("en"))
        rows = [(translate("Oversight", "Severity"), labels.severity(str(rec.get("severity")))),
                (translate("Oversight", "Status"), labels.status(str(rec.get("status")))),
                (translate("Oversight", "Unit"), unit(subject.get("office"))),
                (translate("Oversight", "Case"), subject.get("case_no") or subject.get("notice_id") or ""),
                (translate("Oversight", "Raised"), str(rec.get("raised_at") or "")[:16].replace("T", " ")),
                (translate("Oversight", "Message"), rec.get("message_en") if not _zh() and rec.get("message_en")
                 else rec.get("message"))]
    elif kind == "card":
        title += " · " + labels.card_kind(str(rec.get("kind")))
        rows = [(translate("Oversight", "Unit"), unit(rec.get("office"))),
                (translate("Oversight", "Person"), rec.get("staff")),
                (translate("Oversight", "Reason"), rec.get("reason")),
                (translate("Oversight", "Status"), labels.card_status(str(rec.get("status"))))]
    elif kind == "notice":
        title += " · " + str(rec.get("subject") or "")
        rows = [(translate("Oversight", "Unit"), unit(rec.get("office"))),
                (translate("Oversight", "Reply due"), str(rec.get("reply_due") or "")[:16].replace("T", " ")),
                (translate("Oversight", "Replied"), str(rec.get("replied_at") or "—")[:16].replace("T", " ")),
                (translate("Oversight", "Reply"), rec.get("reply"))]
    elif kind == "case":
        title += f" {rec.get('office')}/{rec.get('case_no')}"
        rows = [(translate("Oversight", "State"), labels.case_state(rec.get("state")))]
    else:
        title += " " + str(rec.get("receipt_code") or rec.get("id") or "")
        rows = [(translate("Oversight", "Status"), rec.get("status"))]
    body = "".join(f"<tr><td style='color:#8b949e; padding-right:10px'>{escape(k)}</td><td>{escape(str(v))}</td></tr>"
                   for k, v in rows if v not in (None, ""))
    show = translate("Oversight", "Show on the wall")
    link = f"<p><a href='alert:{rec.get('id')}'>{escape(show)}</a></p>" if kind == "alert" else ""
    return f"<h3>{escape(title)}</h3><table>{body}</table>{link}"


def _zh() -> bool:
    from desktop import i18n

    return i18n.is_chinese()


class LeaderOverview(QWidget):
    """The month at a glance for a leader (read-only), with the records behind every point."""

    message = Signal(str)
    show_alert = Signal(int)
    #: the month's figures arrived (the ``Figures``)
    figures_shown = Signal(object)

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.setObjectName("leader_overview")
        self.figures: Figures | None = None
        self.trend: list[tuple[str, dict[str, Any]]] = []
        self.record: tuple[str, Any, dict[str, Any]] | None = None
        self.last_export: Path | None = None
        self.dialog: TextDialog | None = None
        self._loading = False
        self._stale = QTimer(self)
        self._stale.setSingleShot(True)
        # The feed brings pages in bursts: the figures are asked for again once it is quiet.
        self._stale.setInterval(10_000)
        self._stale.timeout.connect(self.reload)
        column = QVBoxLayout(self)
        column.addLayout(self._build_bar())
        column.addWidget(self._build_headline())
        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("overview_tabs")
        self.tabs.addTab(self._build_trends(), self.tr("Trends (12 months)"))
        self.tabs.addTab(self._build_ranking(), self.tr("Evaluation ranking"))
        self.tabs.addTab(self._build_risk(), self.tr("Risk index"))
        column.addWidget(self.tabs, 1)

    # ------------------------------------------------------------------ building
    def _build_bar(self) -> QHBoxLayout:
        bar = QHBoxLayout()
        bar.addWidget(QLabel(self.tr("Month"), self))
        self.month = QComboBox(self)
        self.month.setObjectName("overview_month")
        self.month.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.month.setMinimumContentsLength(8)
        self.month.currentIndexChanged.connect(lambda _i: self.reload())
        bar.addWidget(self.month)
        self.state = QLabel(self)
        self.state.setObjectName("overview_state")
        bar.addWidget(self.state, 1)
        for name, text, slot in (("overview_refresh", self.tr("Refresh"), self.reload),
                                 ("export_xlsx", self.tr("Export XLSX…"), lambda: self.ask_export("xlsx")),
                                 ("export_pdf", self.tr("Print report (PDF)…"), lambda: self.ask_export("pdf"))):
            b = QPushButton(text, self)
            b.setObjectName(name)
            b.clicked.connect(slot)
            bar.addWidget(b)
        return bar

    def _fill_months(self, month: str) -> None:
        """The twelve months up to ``month`` (the server's current month, on its clock)."""
        ym = parse_month(month)
        if ym is None:
            return
        self.month.blockSignals(True)
        self.month.clear()
        for _ in range(TREND_MONTHS):
            self.month.addItem(month_text(*ym), month_text(*ym))
            ym = previous_month(*ym)
        self.month.blockSignals(False)

    def _build_headline(self) -> QWidget:
        box = QFrame(self)
        box.setObjectName("overview_headline")
        grid = QGridLayout(box)
        grid.setContentsMargins(0, 4, 0, 4)
        self.tiles: dict[str, tuple[QLabel, QLabel]] = {}
        for i, (key, label, _value, _unit) in enumerate(_headline_keys()):
            tile = QFrame(box)
            tile.setStyleSheet("QFrame { background: #161b22; border-radius: 6px; }")
            inner = QVBoxLayout(tile)
            name = QLabel(translate("Oversight", label), tile)
            name.setStyleSheet("color: #8b949e;")
            value = QLabel("…", tile)
            value.setObjectName(f"headline_{key}")
            value.setStyleSheet("font-size: 20pt; font-weight: 700; color: #e6edf3;")
            before = QLabel("", tile)
            before.setObjectName(f"headline_{key}_before")
            before.setStyleSheet("color: #8b949e;")
            inner.addWidget(name)
            inner.addWidget(value)
            inner.addWidget(before)
            grid.addWidget(tile, i // 4, i % 4)
            self.tiles[key] = (value, before)
        return box

    def _build_trends(self) -> QWidget:
        import pyqtgraph as pg

        pg.setConfigOptions(antialias=True)
        page = QWidget(self)
        grid = QGridLayout(page)
        self.plots: dict[str, Any] = {}
        for i, (key, title) in enumerate((
                ("cases", self.tr("Cases supervised and decided")),
                ("rates", self.tr("Early, one-time completion and satisfaction (%)")),
                ("days", self.tr("Average working days used")),
                ("warnings", self.tr("Warnings and cards")))):
            plot = pg.PlotWidget(background="#0d1117")
            plot.setObjectName(f"trend_{key}")
            plot.setTitle(title, color="#e6edf3")
            plot.showGrid(x=False, y=True, alpha=0.2)
            plot.addLegend(offset=(8, 8))
            plot.setMouseEnabled(x=False, y=False)
            grid.addWidget(plot, i // 2, i % 2)
            self.plots[key] = plot
        return page

    def _by(self, name: str, choices: tuple[tuple[str, str], ...]) -> QComboBox:
        combo = QComboBox(self)
        combo.setObjectName(name)
        for code, text in choices:
            combo.addItem(text, code)
        combo.currentIndexChanged.connect(lambda _i: self.reload())
        return combo

    def _build_ranking(self) -> QWidget:
        page = QWidget(self)
        box = QVBoxLayout(page)
        box.setContentsMargins(0, 4, 0, 0)
        row = QHBoxLayout()
        self.rank_by = self._by("ranking_by", (("office", self.tr("Offices (townships)")),
                                               ("department", self.tr("Departments"))))
        row.addWidget(self.rank_by)
        row.addStretch(1)
        box.addLayout(row)
        self.ranking_model = RecordTableModel(RANK_COLUMNS, "Oversight", self)
        self.ranking = record_table(self.ranking_model, page, name="evaluation_ranking")
        box.addWidget(self.ranking, 1)
        return page

    def _build_risk(self) -> QWidget:
        page = QWidget(self)
        column = QVBoxLayout(page)
        column.setContentsMargins(0, 4, 0, 0)
        row = QHBoxLayout()
        self.risk_by = self._by("risk_by", (("office", self.tr("Units")), ("staff", self.tr("People"))))
        row.addWidget(self.risk_by)
        row.addStretch(1)
        column.addLayout(row)
        split = QSplitter(Qt.Orientation.Horizontal, page)
        column.addWidget(split, 1)
        self.risk_model = RecordTableModel(RISK_COLUMNS, "Oversight", self)
        # Worst first, as the server sends them, until a column is clicked.
        self.risk_table = record_table(self.risk_model, split, name="risk_units", order=None, single=True)
        self.risk_table.sortByColumn(1, Qt.SortOrder.AscendingOrder)
        right = QSplitter(Qt.Orientation.Vertical, split)
        self.points_model = RecordTableModel(POINT_COLUMNS, "Oversight", self)
        self.points = record_table(self.points_model, right, name="risk_points", order=None, single=True)
        # The heaviest points first.
        self.points.sortByColumn(1, Qt.SortOrder.AscendingOrder)
        holder = QWidget(right)
        box = QVBoxLayout(holder)
        box.setContentsMargins(0, 0, 0, 0)
        self.record_view = QTextBrowser(holder)
        self.record_view.setObjectName("risk_record")
        self.record_view.setOpenLinks(False)
        self.record_view.anchorClicked.connect(self._link)
        self.record_view.setPlaceholderText(self.tr("Choose a unit, then a point: the record that cost it shows here."))
        box.addWidget(self.record_view)
        self.annotate = QPushButton(self.tr("Annotate this record…"), holder)
        self.annotate.setObjectName("annotate_record")
        self.annotate.setEnabled(False)
        self.annotate.setVisible(role_may("alert", "annotate", Actor(self.session.username, self.session.role)))
        self.annotate.clicked.connect(self.ask_annotate)
        box.addWidget(self.annotate)
        split.setStretchFactor(0, 2)
        split.setStretchFactor(1, 3)
        self.risk_table.selectionModel().currentRowChanged.connect(lambda *_: self._unit_chosen())
        self.points.selectionModel().currentRowChanged.connect(lambda *_: self.open_point())
        return page

    # ------------------------------------------------------------------ loading
    def ensure_loaded(self) -> None:
        if self.figures is None and not self._loading:
            self.reload()

    def mark_stale(self) -> None:
        if self.figures is not None and not self._stale.isActive():
            self._stale.start()

    def current_month(self) -> str:
        return str(self.month.currentData() or "")

    def reload(self) -> None:
        """Ask the server for the month's figures, then the twelve months' trend (in the background).

        The first time, the month is the server's own (its answer names it: a demo or training
        server runs a simulated clock), and the month list is made from it."""
        month = self.current_month() or None
        self._loading = True
        self.state.setText(self.tr("Reading the figures from the server…") if self.figures is None
                           else self.tr("Updating…"))
        client = self.session.client
        rank_by, risk_by = self.rank_by.currentData(), self.risk_by.currentData()

        def read_month() -> Figures:
            stats = client.figures("statistics", month, "office")
            shown = str(stats.get("month") or month)
            ym = parse_month(shown)
            before = month_text(*previous_month(*ym)) if ym is not None else None
            return Figures(month=shown, statistics=stats,
                           before=client.figures("statistics", before, "office") if before else None,
                           evaluation=client.figures("evaluation", shown, rank_by),
                           risk=client.figures("risk-index", shown, risk_by))

        self.session.tasks.run(read_month, lambda fig: self._show(fig, month), self._failed, label="overview",
                               owner=self)

    def _read_trend(self, month: str) -> None:
        ym = parse_month(month)
        if ym is None:
            return
        client = self.session.client

        def read_trend() -> list[tuple[str, dict[str, Any]]]:
            months = []
            m = ym
            for _ in range(TREND_MONTHS):
                months.append(month_text(*m))
                m = previous_month(*m)
            # Closed months are kept on the server: only the month in progress is computed.
            return [(m, client.figures("statistics", m, "office").get("total") or {}) for m in reversed(months)]

        self.session.tasks.run(read_trend, lambda trend: self._show_trend(trend, month), self._failed,
                               label="overview trend", owner=self)

    def _failed(self, exc: BaseException) -> None:
        self._loading = False
        text = fmt(self.tr("Could not read the figures: %1"), str(exc))
        self.state.setText(text)
        self.message.emit(text)

    def _show(self, fig: Figures, month: str | None) -> None:
        if month is not None and month != self.current_month():
            return  # another month was chosen meanwhile
        self._loading = False
        if self.month.count() == 0:
            self._fill_months(fig.month)
        fig.trend = self.trend if self.trend and self.trend[-1][0] == fig.month else []
        self.figures = fig
        self.state.setText(fmt(self.tr("Figures for %1 as computed by the server"), fig.month))
        for key, _label, value, before, unit in headline(fig):
            shown, prev = self.tiles[key]
            shown.setText(headline_value(value, unit))
            prev.setText(fmt(self.tr("month before: %1"), headline_value(before, unit)))
        self.ranking_model.set_records(fig.evaluation.get("rows") or [])
        self.ranking.resizeColumnsToContents()
        chosen = self._chosen_unit()
        self.risk_model.set_records(fig.risk.get("rows") or [])
        self.risk_table.resizeColumnsToContents()
        if chosen is not None:
            self.select_unit(chosen)
        self.figures_shown.emit(fig)
        if not self.trend or self.trend[-1][0] != fig.month:
            self._read_trend(fig.month)

    def _show_trend(self, trend: list[tuple[str, dict[str, Any]]], month: str) -> None:
        if month != self.current_month():
            return
        self.trend = trend
        if self.figures is not None and self.figures.month == month:
            self.figures.trend = trend
        import pyqtgraph as pg

        xs = list(range(len(trend)))
        ticks = [[(i, m[2:]) for i, (m, _t) in enumerate(trend)]]

        def series(plot: Any, name: str, values: list[Any], color: str) -> None:
            points = [(x, float(v)) for x, v in zip(xs, values, strict=True) if v is not None]
            if points:
                plot.plot([p[0] for p in points], [p[1] for p in points], pen=pg.mkPen(color, width=2),
                          symbol="o", symbolSize=6, symbolBrush=color, name=name)

        # A month with nothing recorded has no point (a plotted 0 would read as a perfect month).
        totals = [t if month_has_figures(t) else {} for _m, t in trend]
        for plot in self.plots.values():
            plot.clear()
            plot.getAxis("bottom").setTicks(ticks)
            # Every month on the axis, those without figures too: the last twelve, not the known ones.
            plot.setXRange(-0.5, len(trend) - 0.5, padding=0)
        series(self.plots["cases"], self.tr("received"), [t.get("cases_received") for t in totals], "#58a6ff")
        series(self.plots["cases"], self.tr("decided"), [t.get("cases_decided") for t in totals], "#3fb950")
        series(self.plots["rates"], self.tr("early completion"), [t.get("early_completion_rate") for t in totals],
               "#3fb950")
        series(self.plots["rates"], self.tr("one-time completion"), [t.get("one_time_rate") for t in totals],
               "#58a6ff")
        series(self.plots["rates"], self.tr("satisfaction"), [t.get("satisfaction_rate") for t in totals], "#d2a8ff")
        series(self.plots["days"], self.tr("working days"), [t.get("average_working_days") for t in totals],
               "#e3b341")
        series(self.plots["warnings"], self.tr("red alerts"), [t.get("red_alerts") for t in totals], "#ff4d4f")
        series(self.plots["warnings"], self.tr("yellow alerts"), [t.get("yellow_alerts") for t in totals], "#fadb14")
        series(self.plots["warnings"], self.tr("cards"),
               [cards_issued(t) if t else None for t in totals], "#f0883e")

    # ------------------------------------------------------------------ drill-down
    def _chosen_unit(self) -> str | None:
        index = self.risk_table.currentIndex()
        rec = index.data(RECORD_ROLE) if index.isValid() else None
        return str(rec["key"]) if isinstance(rec, dict) else None

    def select_unit(self, key: str) -> bool:
        proxy = self.risk_table.model()
        for row in range(proxy.rowCount()):
            rec = proxy.index(row, 0).data(RECORD_ROLE)
            if isinstance(rec, dict) and str(rec.get("key")) == key:
                self.risk_table.selectRow(row)
                return True
        return False

    def _unit_chosen(self) -> None:
        index = self.risk_table.currentIndex()
        rec = index.data(RECORD_ROLE) if index.isValid() else None
        points = [p for p in (rec.get("points") or []) if isinstance(p.get("ref"), dict)] if isinstance(rec, dict) \
            else []
        if points and points == self.points_model.records():
            return  # the figures were read again and this unit's points are as they were: keep the record open
        self.points_model.set_records(points)
        self.points.resizeColumnsToContents()
        self.record_view.clear()
        self.record = None
        self.annotate.setEnabled(False)

    def select_point(self, row: int) -> None:
        """Select the point at ``row`` of the unit's points (in the server's order, whatever the sort)."""
        proxy = self.points.model()
        if isinstance(proxy, QSortFilterProxyModel):
            self.points.selectRow(proxy.mapFromSource(self.points_model.index(row, 0)).row())

    def open_point(self) -> None:
        """Read the record behind the current point from the server and show it."""
        index = self.points.currentIndex()
        point = index.data(RECORD_ROLE) if index.isValid() else None
        if not isinstance(point, dict):
            return
        ref = point["ref"]
        kind, rid = str(ref.get("type")), ref.get("id")
        self.record_view.setHtml(f"<p>{escape(self.tr('Reading the record…'))}</p>")
        client = self.session.client

        def done(rec: dict[str, Any]) -> None:
            self.record = (kind, rid, rec)
            names = {str(r.get("key")): str(r.get("name")) for r in (self.figures.risk.get("rows") or [])} \
                if self.figures is not None else {}
            self.record_view.setHtml(record_html(kind, rec, names))
            self.annotate.setEnabled(kind in ("alert", "card", "notice"))

        def failed(exc: BaseException) -> None:
            self.record_view.setHtml(f"<p>{escape(fmt(self.tr('Could not read the record: %1'), str(exc)))}</p>")

        self.session.tasks.run(lambda: client.record(kind, str(rid)), done, failed, label="risk record", owner=self)

    def _link(self, url: Any) -> None:
        text = url.toString()
        if text.startswith("alert:") and text[6:].isdigit():
            self.show_alert.emit(int(text[6:]))

    def ask_annotate(self) -> None:
        if self.record is None:
            return
        kind, rid, _rec = self.record
        dlg = TextDialog(self.tr("Leader's annotation"), self.tr("Your annotation (批阅):"), self,
                         name="annotate_record_dialog")
        dlg.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.dialog = dlg
        dlg.finished.connect(lambda _r: setattr(self, "dialog", None))
        dlg.accepted.connect(lambda: self.session.engine.enqueue(
            [int(rid) if kind == "alert" else str(rid)], "annotate", {"text": dlg.text()}, self._annotated,
            entity=kind))
        dlg.open()

    def _annotated(self, refused: list[Any]) -> None:
        if refused:
            self.message.emit(fmt(self.tr("Not applied: %1"), labels.refusal_text(refused[0][1].refusal)))
        else:
            self.message.emit(self.tr("Annotation saved; it is sent to the server with the outbox"))

    # ------------------------------------------------------------------ export
    def ask_export(self, kind: str) -> None:
        if self.figures is None:
            self.message.emit(self.tr("The figures have not arrived yet"))
            return
        filt = self.tr("Excel workbook (*.xlsx)") if kind == "xlsx" else self.tr("PDF (*.pdf)")
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Export the evaluation"),
                                              f"yingyan-evaluation-{self.figures.month}.{kind}", filt)
        if path:
            self.export(Path(path), kind)

    def export(self, path: Path, kind: str, on_done: Any = None) -> None:
        """Write the report in the background from the figures on screen."""
        fig = self.figures
        if fig is None:
            return

        def work() -> Path:
            return export_xlsx(fig, path) if kind == "xlsx" else export_pdf(fig, path)

        def done(p: Path) -> None:
            self.last_export = p
            self.message.emit(fmt(self.tr("Written to %1"), str(p)))
            if on_done is not None:
                on_done(p)

        def failed(exc: BaseException) -> None:
            self.message.emit(fmt(self.tr("Could not write the report: %1"), str(exc)))

        self.session.tasks.run(work, done, failed, label=f"export {kind}", owner=self)


def _headline_keys() -> tuple[tuple[str, str, Any, str], ...]:
    from desktop.console.oversight.report import HEADLINE

    return HEADLINE
