"""The notices tracker and the cards register: what the centre has issued and where it stands.

Both read the replica through ``desktop.replica.oversight`` in the background and show a record
table (``records.record_table``) with the selected record's text and timeline beside it. The
tracker's countdown is in working days on the server's clock (a demo's runs fast), redrawn every
half minute; a notice past its due date with no reply is red, as its ``NOTICE_REPLY_OVERDUE``
alert is on the wall. Actions (a reply on paper, a revocation, a leader's annotation) go through
the outbox like the wall's, so they work offline.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from html import escape
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt, QTimer, Signal
from PySide6.QtGui import QBrush
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from desktop.console import labels
from desktop.console.labels import SEVERITY_COLORS, fmt
from desktop.console.oversight.forms import TextDialog
from desktop.console.records import RECORD_ROLE, Column, RecordTableModel, record_table
from desktop.console.session import Session
from desktop.replica import oversight, queries
from shared.actions import Actor, role_may
from shared.timeutil import SECOND, format_instant

translate = QCoreApplication.translate


def short_time(text: object) -> str:
    """An ISO instant as the lists show it: ``2026-03-02 09:00``."""
    return str(text or "")[:16].replace("T", " ")


def days_left(rec: dict[str, Any]) -> str:
    left = rec.get("working_days_left")
    if left is None:
        return ""
    if left < 0:
        return fmt(translate("Oversight", "%1 working days overdue"), f"{-left:.1f}")
    return fmt(translate("Oversight", "%1 working days left"), f"{left:.1f}")


def _state_brush(rec: dict[str, Any]) -> QBrush | None:
    if rec.get("state") == "late":
        return QBrush(SEVERITY_COLORS["red"])
    left = rec.get("working_days_left")
    if rec.get("state") == "awaiting" and left is not None and left < 1:
        return QBrush(SEVERITY_COLORS["yellow"])
    return None


NOTICE_COLUMNS = (
    Column("Issued", lambda r: short_time(r["issued_at"]), key=lambda r: r["issued_at"] or ""),
    Column("Unit", lambda r: r["office_name"]),
    Column("Subject", lambda r: r["subject"]),
    Column("State", lambda r: labels.notice_state(r["state"]) + (" ⟳" if r["pending"] else ""),
           roles={Qt.ItemDataRole.BackgroundRole: _state_brush}),
    Column("Reply due", lambda r: short_time(format_instant(r["due"])) + ("*" if r["estimated"] else ""),
           key=lambda r: r["due"] or 0),
    Column("Countdown", days_left, key=lambda r: r["working_days_left"] if r["working_days_left"] is not None
           else 1e9, numeric=True, roles={Qt.ItemDataRole.BackgroundRole: _state_brush}),
    Column("Replied", lambda r: short_time(r["replied_at"])),
)
CARD_COLUMNS = (
    Column("Issued", lambda r: short_time(r["issued_at"]), key=lambda r: r["issued_at"] or ""),
    Column("Card", lambda r: labels.card_kind(r["kind"]) + (" ⟳" if r["pending"] else ""),
           roles={Qt.ItemDataRole.BackgroundRole: lambda r: QBrush(SEVERITY_COLORS.get(r["kind"], SEVERITY_COLORS[
               "yellow"])) if r["status"] == "active" else None}),
    Column("Unit", lambda r: r["office_name"]),
    Column("Person", lambda r: r["staff"] or ""),
    Column("Status", lambda r: labels.card_status(r["status"])),
    Column("Alerts", lambda r: len(r["alerts"]), numeric=True),
    Column("Issued by", lambda r: r["issued_by"] or ""),
    Column("Reason", lambda r: r["reason"]),
)
# lupdate reads the headers here, in the context the model translates them in.
_HEADERS = (translate("Oversight", "Issued"), translate("Oversight", "Unit"), translate("Oversight", "Subject"),
            translate("Oversight", "State"), translate("Oversight", "Reply due"), translate("Oversight", "Countdown"),
            translate("Oversight", "Replied"), translate("Oversight", "Card"), translate("Oversight", "Person"),
            translate("Oversight", "Status"), translate("Oversight", "Alerts"), translate("Oversight", "Issued by"),
            translate("Oversight", "Reason"))


def timeline_html(rec: dict[str, Any]) -> str:
    """Who did what to a card or notice, annotations (批阅) among them."""
    rows = []
    for t in rec.get("timeline") or []:
        if not isinstance(t, dict):
            continue
        data = t["data"] if isinstance(t.get("data"), dict) else {}
        detail = data.get("text") or data.get("reason") or data.get("subject") or ""
        style = " style='color:#d29922'" if t.get("action") == "annotate" else ""
        rows.append(f"<tr{style}><td style='color:#8b949e; padding-right:8px'>{escape(short_time(t.get('at')))}</td>"
                    f"<td style='padding-right:8px'>{escape(str(t.get('actor') or ''))}</td>"
                    f"<td style='padding-right:8px'>{escape(labels.action(str(t.get('action') or '')))}</td>"
                    f"<td>{escape(str(detail))}</td></tr>")
    title = translate("Oversight", "History")
    return f"<p><b>{escape(title)}</b></p><table>{''.join(rows)}</table>" if rows else ""


def alerts_line(rec: dict[str, Any]) -> str:
    ids = [int(a) for a in rec.get("alerts") or [] if isinstance(a, int)]
    if not ids:
        return ""
    title = translate("Oversight", "Alerts")
    return f"<p>{escape(title)}: " + ", ".join(
        f"<a href='alert:{i}'>#{i}</a>" for i in ids) + "</p>"


def notice_html(rec: dict[str, Any]) -> str:
    reply = rec.get("reply")
    parts = [f"<h3>{escape(rec['subject'])}</h3>",
             "<p>" + " · ".join(escape(x) for x in (rec["office_name"], labels.notice_state(rec["state"]),
                                                     days_left(rec)) if x) + "</p>",
             f"<p style='white-space: pre-wrap'>{escape(rec['body'])}</p>", alerts_line(rec)]
    if reply:
        said = translate("Oversight", "Reply")
        # The office's own reply (in its batch) is signed by the office: named, not coded.
        by = rec["office_name"] if rec.get("replied_by") == rec["office"] else str(rec.get("replied_by") or "")
        parts.append(f"<p><b>{escape(said)}</b> ({escape(short_time(rec['replied_at']))},"
                     f" {escape(by)})</p><p style='white-space: pre-wrap'>"
                     f"{escape(str(reply))}</p>")
    parts.append(timeline_html(rec))
    return "".join(parts)


def card_html(rec: dict[str, Any]) -> str:
    color = "#ff4d4f" if rec["kind"] == "red" else "#fadb14"
    who = f" · {escape(rec['staff'])}" if rec.get("staff") else ""
    parts = [f"<h3 style='color:{color}'>{escape(labels.card_kind(rec['kind']))} · {escape(rec['office_name'])}"
             f"{who}</h3>", f"<p>{escape(labels.card_status(rec['status']))}</p>",
             f"<p style='white-space: pre-wrap'>{escape(rec['reason'])}</p>", alerts_line(rec)]
    if rec.get("revoke_reason"):
        revoked = translate("Oversight", "Revoked")
        parts.append(f"<p>{escape(revoked)}: {escape(str(rec['revoke_reason']))}</p>")
    parts.append(timeline_html(rec))
    return "".join(parts)


class _RecordsPane(QWidget):
    """A list of cards or notices read from the replica, the selected one's text beside it."""

    #: a message for the status bar
    message = Signal(str)
    #: an alert named in the selected record was clicked: show it on the wall
    show_alert = Signal(int)
    entity = ""

    def __init__(self, session: Session, columns: tuple[Column, ...], name: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.setObjectName(name)
        self.actor = Actor(session.username, session.role)
        self.model = RecordTableModel(columns, "Oversight", self)
        self.loaded = False
        self.dialog: TextDialog | None = None
        column = QVBoxLayout(self)
        self.bar = QHBoxLayout()
        column.addLayout(self.bar)
        split = QSplitter(Qt.Orientation.Horizontal, self)
        self.table = record_table(self.model, split, name=f"{name}_table", order=Qt.SortOrder.DescendingOrder)
        self.detail = QTextBrowser(split)
        self.detail.setObjectName(f"{name}_detail")
        self.detail.setOpenLinks(False)
        self.detail.anchorClicked.connect(self._link)
        split.addWidget(self.table)
        split.addWidget(self.detail)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        column.addWidget(split, 1)
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._show_current())
        self._reading = False
        self._again = False
        #: a record to select once the list has been read (asked for before it arrived)
        self.wanted: str | None = None

    def button(self, text: str, name: str, action: str, slot: Callable[[], None]) -> QPushButton | None:
        """A button for ``action`` when this person's role may take it (as the server will decide)."""
        if not role_may(self.entity, action, self.actor):
            return None
        b = QPushButton(text, self)
        b.setObjectName(name)
        b.clicked.connect(slot)
        self.bar.addWidget(b)
        return b

    def current(self) -> dict[str, Any] | None:
        index = self.table.currentIndex()
        rec = index.data(RECORD_ROLE) if index.isValid() else None
        return rec if isinstance(rec, dict) else None

    def select_soon(self, record_id: str) -> None:
        """Select the record now, or once the list read in the background has it."""
        if not self.select(record_id):
            self.wanted = record_id
            self.refresh()

    def select(self, record_id: str) -> bool:
        proxy = self.table.model()
        for row in range(proxy.rowCount()):
            rec = proxy.index(row, 0).data(RECORD_ROLE)
            if isinstance(rec, dict) and rec.get("id") == record_id:
                self.table.selectRow(row)
                return True
        return False

    def _link(self, url: Any) -> None:
        text = url.toString()
        if text.startswith("alert:") and text[6:].isdigit():
            self.show_alert.emit(int(text[6:]))

    def _show_current(self) -> None:
        rec = self.current()
        self.detail.setHtml(self.html(rec) if rec else "")

    def html(self, rec: dict[str, Any]) -> str:
        raise NotImplementedError

    def reader(self) -> Callable[[], list[dict[str, Any]]]:
        raise NotImplementedError

    def refresh(self) -> None:
        """Read the list again in the background (one read at a time; a change meanwhile reads once more)."""
        if self._reading:
            self._again = True
            return
        self._reading = True
        self.session.tasks.run(self.reader(), self._loaded, self._failed, label=f"read {self.objectName()}",
                               owner=self, local=True)

    def _loaded(self, records: list[dict[str, Any]]) -> None:
        self._reading = False
        chosen = self.current()
        self.model.set_records(records)
        self.loaded = True
        if self.wanted is not None and self.select(self.wanted):
            self.wanted = None
        elif chosen is not None:
            self.select(str(chosen["id"]))
        self._show_current()
        self.table.resizeColumnsToContents()
        if self._again:
            self._again = False
            self.refresh()

    def _failed(self, exc: BaseException) -> None:
        self._reading = False
        self.message.emit(fmt(translate("Oversight", "Could not read the list: %1"), str(exc)))

    def ask_text(self, title: str, prompt: str, action: str, key: str = "text") -> None:
        """A text for ``action`` on the selected record, queued in the outbox."""
        rec = self.current()
        if rec is None:
            self.message.emit(translate("Oversight", "Select a row first"))
            return
        dlg = TextDialog(title, prompt, self, name=f"{action}_dialog")
        dlg.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.dialog = dlg
        dlg.finished.connect(lambda _r: setattr(self, "dialog", None))
        dlg.accepted.connect(lambda: self.act(str(rec["id"]), action, {key: dlg.text()}))
        dlg.open()

    def act(self, record_id: str, action: str, data: dict[str, Any]) -> None:
        def done(refused: list[Any]) -> None:
            if refused:
                why = labels.refusal_text(refused[0][1].refusal)
                self.message.emit(fmt(translate("Oversight", "Not applied: %1"), why))

        self.session.engine.enqueue([record_id], action, data, done, entity=self.entity)


class NoticesTracker(_RecordsPane):
    """Supervision notices: awaiting a reply, overdue, replied (late or not), with the countdown."""

    entity = "notice"
    FILTERS = ("all", "awaiting", "late", "replied")

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(session, NOTICE_COLUMNS, "notices_tracker", parent)
        self.bar.addWidget(QLabel(self.tr("Show"), self))
        self.filter = QComboBox(self)
        self.filter.setObjectName("notice_filter")
        for code, text in zip(self.FILTERS, (self.tr("all notices"), self.tr("awaiting reply"), self.tr("overdue"),
                                             self.tr("replied")), strict=True):
            self.filter.addItem(text, code)
        self.filter.currentIndexChanged.connect(lambda _i: self.refresh())
        self.bar.addWidget(self.filter)
        self.summary = QLabel(self)
        self.summary.setObjectName("notice_summary")
        self.bar.addWidget(self.summary, 1)
        self.button(self.tr("Record a reply on paper…"), "notice_reply", "reply",
                    lambda: self.ask_text(self.tr("Reply received on paper"),
                                          self.tr("The unit's written reply, as received:"), "reply"))
        self.button(self.tr("Annotate…"), "notice_annotate", "annotate",
                    lambda: self.ask_text(self.tr("Leader's annotation"), self.tr("Your annotation (批阅):"),
                                          "annotate"))
        # The countdown moves with the clock even when nothing arrives.
        self.ticker = QTimer(self)
        self.ticker.setInterval(30_000)
        self.ticker.timeout.connect(self.refresh)
        self.ticker.start()

    def now(self) -> int:
        """The server's clock, as an instant."""
        return int((time.time() + self.session.engine.server_offset) * SECOND)

    def reader(self) -> Callable[[], list[dict[str, Any]]]:
        replica, now, wanted = self.session.replica, self.now(), self.filter.currentData()

        def read() -> list[dict[str, Any]]:
            calendar = replica.read(queries.work_calendar)
            rows = replica.read(oversight.notices_tracker, now, calendar)
            if wanted == "replied":
                return [r for r in rows if r["state"] in ("replied", "replied_late")]
            return rows if wanted == "all" else [r for r in rows if r["state"] == wanted]

        return read

    def _loaded(self, records: list[dict[str, Any]]) -> None:
        super()._loaded(records)
        late = sum(1 for r in records if r["state"] == "late")
        waiting = sum(1 for r in records if r["state"] == "awaiting")
        self.summary.setText(fmt(self.tr("%1 awaiting a reply, %2 overdue"), waiting, late))
        self.summary.setStyleSheet("color: #ff4d4f; font-weight: 600;" if late else "")

    def html(self, rec: dict[str, Any]) -> str:
        return notice_html(rec)


class CardsRegister(_RecordsPane):
    """Every yellow and red card issued, in force or revoked, with what earned it."""

    entity = "card"

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(session, CARD_COLUMNS, "cards_register", parent)
        self.summary = QLabel(self)
        self.summary.setObjectName("card_summary")
        self.bar.addWidget(self.summary, 1)
        self.button(self.tr("Revoke…"), "card_revoke", "revoke",
                    lambda: self.ask_text(self.tr("Revoke the card"),
                                          self.tr("Why is the card revoked? It stays on record as revoked."),
                                          "revoke", key="reason"))
        self.button(self.tr("Annotate…"), "card_annotate", "annotate",
                    lambda: self.ask_text(self.tr("Leader's annotation"), self.tr("Your annotation (批阅):"),
                                          "annotate"))

    def reader(self) -> Callable[[], list[dict[str, Any]]]:
        replica = self.session.replica
        return lambda: replica.read(oversight.cards_register)

    def _loaded(self, records: list[dict[str, Any]]) -> None:
        super()._loaded(records)
        active = [r for r in records if r["status"] == "active"]
        self.summary.setText(fmt(self.tr("%1 yellow and %2 red cards in force"),
                                 sum(1 for r in active if r["kind"] == "yellow"),
                                 sum(1 for r in active if r["kind"] == "red")))

    def html(self, rec: dict[str, Any]) -> str:
        return card_html(rec)


def new_id() -> str:
    """The id of a new card or notice (chosen by the console, spec 06)."""
    return str(uuid.uuid4())
