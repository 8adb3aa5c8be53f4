"""The outbox as the operator sees it: what is waiting, and every conflict or rejection to decide.

A conflict shows both versions side by side — the server's alert (or investigation) as it
stands now, and the action the person took offline — and they choose: keep the server's
state, or apply theirs again on top of it. Nothing is resolved silently. "Apply mine again" is offered
only when the action still applies to the server's version (acknowledging an alert someone
has escalated meanwhile does not): otherwise the server would refuse it, and the button says
why it is off.
"""

from __future__ import annotations

from collections.abc import Callable
from html import escape
from typing import Any

from PySide6.QtCore import QCoreApplication, QSortFilterProxyModel, Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QTableView,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from desktop.common.tasks import BackgroundTasks
from desktop.console import labels
from desktop.console.labels import QT_TRANSLATE_NOOP, fmt
from desktop.console.records import SORT_ROLE, Column, RecordTableModel
from desktop.replica import local, queries
from desktop.replica.entities import KINDS
from desktop.replica.store import Replica

translate = QCoreApplication.translate
STATE_COLOURS = {"conflict": "#ff7b72", "rejected": "#d29922", "pending": "#58a6ff"}


def _state(code: str) -> str:
    return {
        "pending": translate("Conflicts", "waiting to send"),
        "conflict": translate("Conflicts", "conflict"),
        "rejected": translate("Conflicts", "rejected"),
    }.get(code, code)


def _investigation(m: dict[str, Any]) -> bool:
    return m.get("entity") == "investigation"


def _yours(m: dict[str, Any]) -> str:
    data = m.get("data") or {}
    text = labels.action(str(m.get("action")))
    if _investigation(m) and data.get("to"):
        text += f" → {labels.stage(str(data['to']))}"
    if data.get("filename"):
        text += f": {data['filename']}"
    if data.get("reason"):
        text += f": {data['reason']}"
    if "assignee" in data:
        text += f" → {data.get('assignee') or '—'}"
    if data.get("text"):
        text += f": {data['text']}"
    return text


def _theirs(m: dict[str, Any]) -> str:
    cur = m.get("current") or {}
    if not cur:
        return server_words((m.get("result") or {}).get("error") or {})
    if m.get("entity", "alert") == "petition":
        return f"{labels.petition_status(str(cur.get('status')))} · v{cur.get('version')}"
    if _investigation(m):
        status = str(cur.get("status") or "open")
        return " · ".join([labels.stage(str(cur.get("stage")) if status == "open" else status),
                           f"v{cur.get('version')}"])
    parts = [labels.severity(str(cur.get("severity"))), labels.status(str(cur.get("status")))]
    if cur.get("assignee"):
        parts.append(f"→ {cur['assignee']}")
    parts.append(f"v{cur.get('version')}")
    return " · ".join(parts)


def server_words(err: dict[str, Any]) -> str:
    """The server's reason for a refusal, in Chinese when the console speaks it and the server said it."""
    from desktop import i18n

    if i18n.is_chinese() and err.get("message_zh"):
        return str(err["message_zh"])
    return str(err.get("message") or "")


def _item(m: dict[str, Any]) -> str:
    """What the action is on: an alert by its number, a petition by its receipt code, a case by
    its title (when the outbox entry has it), another entity (a card, a notice: UUIDs) by its
    kind and the id's start."""
    entity, entity_id = str(m.get("entity") or "alert"), str(m.get("entity_id") or "")
    if _investigation(m):
        title = (m.get("current") or {}).get("title") or m.get("title") or entity_id[:8] + "…"
        return fmt(translate("Conflicts", "case “%1”"), title)
    if entity == "alert":
        return f"#{entity_id}"
    if entity == "petition":
        code = (m.get("data") or {}).get("receipt_code") or entity_id[:8] + "…"
        return labels.petition(str(code), "", entity_id)
    return f"{labels.record_kind(entity)} {entity_id[:8]}…"


def _item_key(m: dict[str, Any]) -> str:
    """Alerts in their numbers' order, then other kinds by id (one sort key type for the proxy)."""
    entity, entity_id = str(m.get("entity") or "alert"), str(m.get("entity_id") or "")
    return f"0:{int(entity_id):020d}" if entity == "alert" and entity_id.isdigit() else f"1:{entity}:{entity_id}"


COLUMNS = (
    Column(QT_TRANSLATE_NOOP("Conflicts", "Item"), _item, key=_item_key),
    Column(QT_TRANSLATE_NOOP("Conflicts", "State"), lambda m: _state(str(m.get("state"))),
           roles={Qt.ItemDataRole.ForegroundRole: lambda m: QBrush(QColor(STATE_COLOURS.get(str(m.get("state")),
                                                                                           "#e6edf3")))}),
    Column(QT_TRANSLATE_NOOP("Conflicts", "Your action"), _yours),
    Column(QT_TRANSLATE_NOOP("Conflicts", "Server now"), _theirs),
    Column(QT_TRANSLATE_NOOP("Conflicts", "Queued at"), lambda m: m.get("queued") or ""),
)


class ConflictsPane(QWidget):
    #: (mutation id, retry)
    resolve = Signal(str, bool)
    #: alert id to show on the wall
    show_alert = Signal(int)
    #: (entity, id) of another kind to show (an investigation's case file)
    show_entity = Signal(str, str)
    #: the outbox was read again (``counts`` are current)
    reloaded = Signal()

    def __init__(self, replica: Replica, tasks: BackgroundTasks, parent: QWidget | None = None, *,
                 server_offset: Callable[[], float] = lambda: 0.0) -> None:
        super().__init__(parent)
        self.setObjectName("ConflictsPane")
        self.replica = replica
        self.tasks = tasks
        self.server_offset = server_offset
        self._gen = 0
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        self.summary = QLabel(self)
        layout.addWidget(self.summary)
        split = QSplitter(Qt.Orientation.Horizontal, self)
        self.model = RecordTableModel(COLUMNS, "Conflicts", self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(SORT_ROLE)
        self.view = QTableView(split)
        self.view.setModel(self.proxy)
        self.view.setSortingEnabled(True)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.verticalHeader().setVisible(False)
        self.view.horizontalHeader().setStretchLastSection(True)
        self.compare = QTextBrowser(split)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        layout.addWidget(split, 1)
        buttons = QHBoxLayout()
        self.keep_button = QPushButton(self.tr("Keep the server's version"), self)
        self.retry_button = QPushButton(self.tr("Apply mine again"), self)
        self.keep_button.setToolTip(self.tr("Drop your offline action; it stays as the server has it"))
        self.retry_tip = self.tr("Send your action again, on top of the server's current version")
        self.retry_button.setToolTip(self.retry_tip)
        buttons.addStretch(1)
        buttons.addWidget(self.keep_button)
        buttons.addWidget(self.retry_button)
        layout.addLayout(buttons)
        self.keep_button.clicked.connect(lambda: self._decide(False))
        self.retry_button.clicked.connect(lambda: self._decide(True))
        self.view.selectionModel().currentRowChanged.connect(lambda *_: self._selected())
        self.view.doubleClicked.connect(self._double_clicked)
        self.counts: dict[str, int] = {}
        self.reload()

    def reload(self) -> None:
        """Read the outbox again in the background; ``reloaded`` once it is shown."""
        replica = self.replica
        self._gen += 1
        gen = self._gen

        def done(entries: list[dict[str, Any]]) -> None:
            if gen == self._gen:
                offset = self.server_offset()
                self._show([e | {"queued": _when(e["created_at"], offset)} for e in entries])

        self.tasks.run(lambda: replica.read(queries.outbox_entries), done, label="outbox", owner=self, local=True)

    def _show(self, records: list[dict[str, Any]]) -> None:
        self.model.set_records(records)
        if records:
            # A case's title or an action's reason is longer than an alert's number: fit, within reason.
            self.view.resizeColumnsToContents()
            for col in range(self.model.columnCount() - 1):
                self.view.setColumnWidth(col, min(self.view.columnWidth(col), 280))
        self.counts = {s: sum(1 for m in records if m["state"] == s) for s in ("pending", "conflict", "rejected")}
        self.summary.setText(fmt(self.tr("%1 waiting to send · %2 conflicts · %3 rejected"),
                                 self.counts["pending"], self.counts["conflict"], self.counts["rejected"]))
        self._selected()
        self.reloaded.emit()

    def current(self) -> dict[str, Any] | None:
        index = self.view.currentIndex()
        return self.model.record(self.proxy.mapToSource(index).row()) if index.isValid() else None

    def select_mutation(self, mutation_id: str) -> bool:
        for row, rec in enumerate(self.model.records()):
            if rec["id"] == mutation_id:
                self.view.setCurrentIndex(self.proxy.mapFromSource(self.model.index(row, 0)))
                return True
        return False

    def _selected(self) -> None:
        m = self.current()
        decidable = m is not None and m["state"] in ("conflict", "rejected")
        self.keep_button.setEnabled(decidable)
        refusal = retry_refusal(m) if m is not None and m["state"] == "conflict" else None
        self.retry_button.setEnabled(decidable and m is not None and m["state"] == "conflict" and refusal is None)
        self.retry_button.setToolTip(
            fmt(self.tr("Your action no longer applies to the server's version: %1"), refusal) if refusal
            else self.retry_tip)
        if m is None:
            self.compare.clear()
            return
        self.compare.setHtml(compare_html(m))

    def _decide(self, retry: bool) -> None:
        m = self.current()
        if m is None or m["state"] not in ("conflict", "rejected"):
            return
        if retry and (m["state"] != "conflict" or retry_refusal(m) is not None):
            return
        self.resolve.emit(m["id"], retry)

    def _double_clicked(self, index: Any) -> None:
        m = self.model.record(self.proxy.mapToSource(index).row())
        if m is None:
            return
        if m.get("entity", "alert") == "alert" and str(m["entity_id"]).isdigit():
            self.show_alert.emit(int(m["entity_id"]))
        else:
            self.show_entity.emit(str(m["entity"]), str(m["entity_id"]))


def retry_refusal(m: dict[str, Any]) -> str | None:
    """Why the operator's action cannot be applied again on the server's current version (None: it can)."""
    current = m.get("current")
    if not isinstance(current, dict):
        return None
    action = str(m.get("action"))
    entity = str(m.get("entity") or "alert")
    if entity != "alert":
        # Another kind: its own checks, on the server's version as a row.
        kind = KINDS.get(entity)
        if kind is None or kind.local is None:
            return None
        state = kind.state_of(kind.row(str(m.get("entity_id")), current))
        try:
            if kind.local.with_actor:
                kind.local.check(state, action, m.get("data") or {}, actor=None)
            else:
                kind.local.check(state, action, m.get("data") or {})
        except local.ActionRefused as exc:
            return labels.refusal_text(exc.refusal)
        return None
    try:
        local.check(current, action, m.get("data") or {})
    except local.ActionRefused as exc:
        if action in local.TRANSITIONS:
            return fmt(translate("Conflicts", "“%1” cannot follow on an alert that is now “%2”"),
                       labels.action(action), labels.status(str(current.get("status"))))
        return str(exc)
    return None


def _when(created: float | None, offset: float = 0.0) -> str:
    """When a change was queued, on the server's clock (the times around it are the server's)."""
    from datetime import datetime

    from shared.timeutil import CHINA_TZ

    # In China's time, as the wall shows the server's instants.
    return datetime.fromtimestamp(created + offset, CHINA_TZ).strftime("%m-%d %H:%M:%S") if created else ""


def compare_html(m: dict[str, Any]) -> str:
    """Both versions side by side: the server's now, and what the operator did."""
    cur = m.get("current") or {}
    err = (m.get("result") or {}).get("error") or {}
    fields: tuple[tuple[str, str], ...] = (
        ("status", translate("Conflicts", "Status")),
        ("severity", translate("Conflicts", "Severity")),
        ("assignee", translate("Conflicts", "Assignee")),
        ("resolution", translate("Conflicts", "Reason")),
        ("version", translate("Conflicts", "Version")),
    )
    if _investigation(m):
        fields = (
            ("title", translate("Conflicts", "Case")),
            ("stage", translate("Conflicts", "Stage")),
            ("status", translate("Conflicts", "Status")),
            ("investigators", translate("Conflicts", "Investigators")),
            ("version", translate("Conflicts", "Version")),
        )
    rows = []
    petition = m.get("entity", "alert") == "petition"
    for key, label in fields:
        theirs = cur.get(key)
        if _investigation(m):
            if key in ("stage", "status") and theirs:
                theirs = labels.stage(str(theirs)) if theirs != "open" else translate("Conflicts", "in progress")
            if key == "investigators" and isinstance(theirs, list):
                theirs = ", ".join(str(x) for x in theirs)
        elif petition and key in ("severity", "assignee", "resolution"):
            continue  # an alert's fields: a petition has none of them
        elif key == "status" and theirs:
            theirs = labels.petition_status(str(theirs)) if petition else labels.status(str(theirs))
        if key == "severity" and theirs:
            theirs = labels.severity(str(theirs))
        shown = theirs if theirs is not None else "—"
        rows.append(f"<tr><td><b>{escape(label)}</b></td><td>{escape(str(shown))}</td></tr>")
    colour = STATE_COLOURS.get(str(m.get("state")), "#e6edf3")
    yours = translate("Conflicts", "Yours")
    based = translate("Conflicts", "based on version")
    server_now = translate("Conflicts", "Server now")
    refusal = retry_refusal(m) if m.get("state") == "conflict" else None
    return (
        f"<p style='color:{colour}'><b>{escape(_state(str(m['state'])))}</b>"
        f" — {escape(server_words(err))}</p>"
        f"<p><b>{escape(yours)}</b> ({escape(based)} {m.get('base_version')}): {escape(_yours(m))}</p>"
        f"<p><b>{escape(server_now)}</b></p><table>{''.join(rows)}</table>"
        + (f"<p style='color:#d29922'>{escape(refusal)}</p>" if refusal else "")
    )
