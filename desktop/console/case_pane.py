"""Case review: an approval case's timeline against its catalogue item, events, alerts, ratings.

Opening a case reads what the replica holds of it in the background (``queries.case_view``:
the copy cached the last time, its alerts, the office, the calendar) and shows it at once (it
works offline), and asks the server for a fresh one (``GET /approval-cases/{office}/{case_no}``),
which is cached for the next time. The clocks are computed locally with the shared domain over
the replica's calendar, so an offline investigator sees what the server would compute.
"""

from __future__ import annotations

import json
import time
from html import escape
from typing import Any

from PySide6.QtCore import QSortFilterProxyModel, Qt, Signal
from PySide6.QtGui import QBrush
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTableView,
    QTabWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from desktop.common.api import ApiClient, ApiError, Unreachable
from desktop.common.tasks import BackgroundTasks
from desktop.console import evidence, labels
from desktop.console.labels import QT_TRANSLATE_NOOP, fmt
from desktop.console.records import Column, RecordTableModel, record_table
from desktop.console.timeline import Timeline, TimelineWidget, build_timeline
from desktop.console.wall_model import message_text
from desktop.replica import queries
from desktop.replica.names import item_node_names
from desktop.replica.queries import CaseView
from desktop.replica.store import Replica
from shared.timeutil import to_datetime

_fmt = labels.when


def _opinion(e: dict[str, Any]) -> str:
    parts = [str(e[k]) for k in ("opinion", "reason", "legal_basis", "note", "method") if e.get(k)]
    if e.get("reason_code"):
        parts.insert(0, labels.suspension_reason(str(e["reason_code"])))
    if e.get("result"):
        parts.insert(0, labels.case_state(f"decided_{e['result']}"))
    if e.get("amount_fen"):
        parts.insert(0, f"¥{int(e['amount_fen']) / 100:.2f}")
    return "；".join(parts)


def _named(records: list[Any], names: dict[str, str]) -> list[dict[str, Any]]:
    """Records with their node's name beside its code (records that are not objects are dropped)."""
    return [r | {"node_name": names.get(str(r["node"]), str(r["node"]))} if r.get("node") else r
            for r in records if isinstance(r, dict)]


EVENT_COLUMNS = (
    Column(QT_TRANSLATE_NOOP("CasePane", "At"), lambda e: _fmt(e.get("at")), key=lambda e: e.get("at") or ""),
    Column(QT_TRANSLATE_NOOP("CasePane", "Event"), lambda e: labels.event_type(str(e.get("type")))),
    Column(QT_TRANSLATE_NOOP("CasePane", "Node"), lambda e: e.get("node_name") or e.get("node") or ""),
    Column(QT_TRANSLATE_NOOP("CasePane", "Actor"), lambda e: e.get("actor") or ""),
    Column(QT_TRANSLATE_NOOP("CasePane", "Opinion / reason"), _opinion),
    Column(QT_TRANSLATE_NOOP("CasePane", "Back-dated"), lambda e: "✔" if e.get("backdated") else ""),
)
ALERT_COLUMNS = (
    Column(QT_TRANSLATE_NOOP("CasePane", "Severity"), lambda a: "● " + labels.severity(str(a.get("severity"))),
           roles={Qt.ItemDataRole.ForegroundRole: lambda a: QBrush(labels.SEVERITY_ACCENT.get(
               str(a.get("severity")), labels.MUTED_TEXT))}),
    Column(QT_TRANSLATE_NOOP("CasePane", "Rule"),
           lambda a: labels.rule_name(str(a.get("rule")), (a.get("rule_name") or {}).get("zh_CN"),
                                      (a.get("rule_name") or {}).get("en"))),
    Column(QT_TRANSLATE_NOOP("CasePane", "Node"), lambda a: a.get("node_name") or a.get("node") or ""),
    Column(QT_TRANSLATE_NOOP("CasePane", "Status"), lambda a: labels.status(str(a.get("status")))),
    Column(QT_TRANSLATE_NOOP("CasePane", "Raised at"), lambda a: _fmt(a.get("raised_at")),
           key=lambda a: a.get("raised_at") or ""),
    Column(QT_TRANSLATE_NOOP("CasePane", "Why"), lambda a: message_text(a.get("message"), a.get("message_en"))),
)
RATING_COLUMNS = (
    Column(QT_TRANSLATE_NOOP("CasePane", "At"), lambda r: _fmt(r.get("at")), key=lambda r: r.get("at") or ""),
    Column(QT_TRANSLATE_NOOP("CasePane", "Rating"), lambda r: labels.rating(str(r.get("rating")))),
    Column(QT_TRANSLATE_NOOP("CasePane", "Comment"), lambda r: r.get("comment") or ""),
)


def _table(model: RecordTableModel, parent: QWidget) -> QTableView:
    view = record_table(model, parent, order=None)
    view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    view.setWordWrap(False)
    return view


class CasePane(QWidget):
    """Shows one approval case. ``show_camera`` asks the video wall for the office's window."""

    show_camera = Signal(str)
    message = Signal(str)
    #: the server answered 401 to the case's fetch: the token may have been refused
    unauthorized = Signal()
    #: (office, case_no) once a case is on screen (from cache or server)
    case_shown = Signal(str, str)

    def __init__(self, replica: Replica, tasks: BackgroundTasks, client: ApiClient | None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("CasePane")
        self.replica = replica
        self.tasks = tasks
        self.client = client
        #: what the replica holds of the open case (read with it)
        self.view: CaseView | None = None
        self.office: str | None = None
        self.case_no: str | None = None
        self.detail: dict[str, Any] | None = None
        self.fetched_at: float | None = None
        self.source = ""
        self.timeline: Timeline | None = None
        self._opening = 0
        self._request = 0
        self._build()

    def _build(self) -> None:
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        head = QHBoxLayout()
        self.title = QLabel(self.tr("No case open: select an alert and press Enter"), self)
        self.title.setTextFormat(Qt.TextFormat.RichText)
        self.title.setWordWrap(True)
        head.addWidget(self.title, 1)
        self.camera_button = QPushButton(self.tr("Show camera"), self)
        self.camera_button.setToolTip(self.tr("Show the office's service window on the video wall"))
        self.camera_button.clicked.connect(self._show_camera)
        self.camera_button.setEnabled(False)
        head.addWidget(self.camera_button)
        self.refresh_button = QPushButton(self.tr("Refresh"), self)
        self.refresh_button.clicked.connect(self.refresh)
        self.refresh_button.setEnabled(False)
        head.addWidget(self.refresh_button)
        layout.addLayout(head)
        self.summary = QLabel(self)
        self.summary.setTextFormat(Qt.TextFormat.RichText)
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)
        split = QSplitter(Qt.Orientation.Vertical, self)
        self.split = split
        self.timeline_view = TimelineWidget()
        scroll = QScrollArea(split)
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.timeline_view)
        scroll.setMinimumHeight(220)
        self.tabs = QTabWidget(split)
        self.events = RecordTableModel(EVENT_COLUMNS, "CasePane", self)
        self.alerts = RecordTableModel(ALERT_COLUMNS, "CasePane", self)
        self.ratings = RecordTableModel(RATING_COLUMNS, "CasePane", self)
        self.events_view = _table(self.events, self)
        alerts_box = QSplitter(Qt.Orientation.Horizontal)
        self.alerts_view = _table(self.alerts, alerts_box)
        self.evidence = QTextBrowser(alerts_box)
        alerts_box.addWidget(self.alerts_view)
        alerts_box.addWidget(self.evidence)
        alerts_box.setStretchFactor(0, 3)
        alerts_box.setStretchFactor(1, 2)
        self.alerts_view.selectionModel().currentRowChanged.connect(self._alert_selected)
        self.ratings_view = _table(self.ratings, self)
        self.tabs.addTab(self.events_view, self.tr("Events"))
        self.tabs.addTab(alerts_box, self.tr("Alerts"))
        self.tabs.addTab(self.ratings_view, self.tr("Ratings"))
        split.addWidget(scroll)
        split.addWidget(self.tabs)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        layout.addWidget(split, 1)

    # ------------------------------------------------------------------ opening
    def open_case(self, office: str, case_no: str, alert_id: int | None = None) -> None:
        """Show what the replica holds of the case (read in the background) and fetch a fresh copy."""
        self.office, self.case_no = office, case_no
        self._focus_alert = alert_id
        self.refresh_button.setEnabled(True)
        self.detail = None
        self.view = None
        self.camera_button.setEnabled(False)
        self.title.setText(self._title_html(office, case_no, None))
        self.summary.setText(escape(self.tr("Loading the case from the server…") if self.client is not None
                                    else self.tr("Loading the case…")))
        self.timeline_view.set_timeline(None)
        replica = self.replica
        self._opening += 1
        self._request += 1  # an answer for the case shown before is dropped
        opening = self._opening

        def done(view: CaseView) -> None:
            if opening != self._opening:
                return
            self._set_view(view)
            if view.cached is not None:
                self._show(view.cached[0], view.cached[1], "cache")
            # Then the server's copy: asked only now, so an answer (or a failure) always finds
            # what this computer holds of the case on screen.
            self.refresh()

        self.tasks.run(lambda: replica.read(queries.case_view, office, case_no), done,
                       label="case from the replica", owner=self, local=True)

    def _set_view(self, view: CaseView) -> None:
        self.view = view
        self.camera_button.setEnabled(view.camera is not None)

    def refresh(self) -> None:
        """Fetch the open case from the server (after what the replica holds of it is read)."""
        if self.office is None or self.case_no is None or self.client is None or self.view is None:
            return
        office, case_no, client, replica = self.office, self.case_no, self.client, self.replica
        self._request += 1
        request = self._request

        def work() -> tuple[dict[str, Any], CaseView]:
            detail = client.case(office, case_no)
            replica.store_case_detail(office, case_no, detail)
            return detail, replica.read(queries.case_view, office, case_no)

        def done(result: tuple[dict[str, Any], CaseView]) -> None:
            if request == self._request:
                detail, view = result
                self._set_view(view)
                self._show(detail, time.time(), "server")

        def failed(exc: BaseException) -> None:
            if request != self._request:
                return
            if isinstance(exc, Unreachable):
                text = self.tr("Offline: showing the copy kept on this computer") if self.detail \
                    else self.tr("Offline, and this case was never opened on this computer")
            elif isinstance(exc, ApiError) and exc.status == 401:
                # Signing in again is the window's (one banner, one dialog); the case comes
                # fresh once signed in.
                self.unauthorized.emit()
                text = self.tr("Signed out: showing the copy kept on this computer") if self.detail \
                    else self.tr("Signed out: sign in again to load this case")
            elif isinstance(exc, ApiError):
                text = exc.message
            else:
                text = str(exc)
            self.message.emit(text)
            if self.detail is None or self.view is None:
                self.summary.setText(escape(text))
            else:
                self._show(self.detail, self.fetched_at or time.time(), "cache")

        self.tasks.run(work, done, failed, label="case", owner=self)

    # ------------------------------------------------------------------ showing
    def _title_html(self, office: str, case_no: str, detail: dict[str, Any] | None) -> str:
        office_name = self.view.office_name if self.view is not None and self.view.office == office else office
        item = (detail or {}).get("item") or {}
        item_text = f" — {escape(str(item.get('name')))} ({escape(str(item.get('code')))})" if item else ""
        version = (detail or {}).get("catalogue_version")
        if item and version:
            # The catalogue version in force when the case was accepted: the one it is judged by.
            used = fmt(self.tr("catalogue version %1"), version)
            item_text += f" <span style='color:#8b949e'>{escape(used)}</span>"
        return f"<span style='font-size:15pt; font-weight:600'>{escape(case_no)}</span> " \
               f"<span style='color:#8b949e'>{escape(office_name)}</span>{item_text}"

    def _show(self, detail: dict[str, Any], fetched_at: float, source: str) -> None:
        """Show a case's detail with what the replica holds of it (``self.view``, read with it)."""
        assert self.view is not None
        self.detail = detail
        self.fetched_at = fetched_at
        self.source = source
        self.timeline = build_timeline(detail, self.view.calendar)
        tl = self.timeline
        self.title.setText(self._title_html(str(detail.get("office")), str(detail.get("case_no")), detail))
        fmt_t = "%Y-%m-%d %H:%M"

        def field(label: str, value: str) -> str:
            return f"<b>{escape(label)}:</b> {value}"

        parts = [field(self.tr("State"), escape(labels.case_state(tl.state)))]
        if tl.limit_days is not None:
            parts.append(field(self.tr("Limit"), escape(fmt(self.tr("%1 working days"), tl.limit_days))))
            used = fmt(self.tr("%1 of %2 working days"), f"{tl.used_days:.2f}", tl.limit_days)
            colour = "#f85149" if tl.due and (tl.close_at or tl.as_of) >= tl.due else "#2ea043"
            parts.append(field(self.tr("Used"), f"<span style='color:{colour}'>{escape(used)}</span>"))
        if tl.due:
            due = escape(to_datetime(tl.due).strftime(fmt_t))
            # Counting through a year whose holidays are not loaded (Monday–Friday there): the
            # due instant moves when they are, so it is marked provisional.
            years = self.view.calendar.provisional_years(
                [(tl.counting_from, tl.due), *((n.started, n.due) for n in tl.nodes)])
            if years:
                note = fmt(self.tr("provisional: the holidays of %1 are not loaded"), ", ".join(map(str, years)))
                due += f" <span style='color:#d29922'>({escape(note)})</span>"
            parts.append(field(self.tr("Due"), due))
        if tl.warn_at:
            parts.append(field(self.tr("Warning"), to_datetime(tl.warn_at).strftime(fmt_t)))
        parts.append(field(self.tr("As of"), to_datetime(tl.as_of).strftime(fmt_t)))
        if source == "cache":
            when = time.strftime(fmt_t, time.localtime(fetched_at))
            offline = fmt(self.tr("Offline copy from %1"), when)
            parts.append(f"<span style='color:#d29922'>{escape(offline)}</span>")
        for w in tl.calendar_warnings:
            parts.append(f"<span style='color:#d29922'>⚠ {escape(w)}</span>")
        self.summary.setText(" &nbsp;·&nbsp; ".join(parts))
        self.timeline_view.set_timeline(tl)
        # The timeline gets the room its rows need; the lists below get the rest.
        # (The widget's minimum height holds its event lanes and legend; rows may grow to 56 px.)
        wanted = self.timeline_view.minimumHeight() + (1 + len(tl.nodes)) * (56 - TimelineWidget.ROW_H) + 24
        total = sum(self.split.sizes())
        if total > 0:
            self.split.setSizes([min(wanted, int(total * 0.7)), max(120, total - wanted)])
        names = self._node_names()
        self.events.set_records(_named(detail.get("events") or [], names))
        self.alerts.set_records(_named(self._alerts(detail), names))
        self.ratings.set_records(detail.get("evaluations") or [])
        self.events_view.resizeColumnsToContents()
        self.alerts_view.resizeColumnsToContents()
        self.case_shown.emit(str(detail.get("office")), str(detail.get("case_no")))

    def _node_names(self) -> dict[str, str]:
        """Node code → name from the shown case's catalogue item."""
        return item_node_names((self.detail or {}).get("item"))

    def _alerts(self, detail: dict[str, Any]) -> list[dict[str, Any]]:
        """The case's alerts: the replica's live state wins over the cached detail's."""
        by_id = {int(a["id"]): dict(a) for a in detail.get("alerts") or [] if a.get("id") is not None}
        same_case = self.view is not None and (self.view.office, self.view.case_no) == (detail.get("office"),
                                                                                          detail.get("case_no"))
        for r in self.view.alerts if self.view is not None and same_case else []:
            rec = by_id.setdefault(int(r["id"]), {"id": int(r["id"])})
            rec.update({"rule": r["rule"], "severity": r["severity"], "status": r["status"], "node": r["node"],
                        "message": r["message"], "message_en": r["message_en"],
                        "rule_name": {"zh_CN": r["rule_zh"], "en": r["rule_en"]},
                        "evidence": json.loads(r["evidence"]) if r["evidence"] else rec.get("evidence")})
            rec.setdefault("raised_at", to_datetime(r["raised_at"]).isoformat())
        return sorted(by_id.values(), key=lambda a: str(a.get("raised_at") or ""))

    def _alert_selected(self, current: Any, _previous: Any) -> None:
        proxy = self.alerts_view.model()
        assert isinstance(proxy, QSortFilterProxyModel)
        rec = self.alerts.record(proxy.mapToSource(current).row()) if current.isValid() else None
        if rec is None:
            self.evidence.clear()
            return
        why = message_text(rec.get("message"), rec.get("message_en"))
        self.evidence.setHtml(f"<b>{escape(why)}</b>" + evidence.html_table(rec.get("evidence"), self._node_names()))

    # ------------------------------------------------------------------ camera
    def _show_camera(self) -> None:
        if self.office is None:
            return
        camera = self.view.camera if self.view is not None else None
        if camera is None:
            self.message.emit(self.tr("No camera watches this office"))
            return
        self.show_camera.emit(camera)
