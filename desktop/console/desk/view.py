"""One petition at the desk: what it says, its events and deadlines, the desk's actions, the
merge suggestions side by side, and the petitioner's identity on request.

Everything shown comes from the replica (the identity never: the change feed carries it as
``[protected]``). Actions are queued in the outbox and shown at once; a refusal — the shared
action table's, as the server would answer — is shown whole in the console's language. The
merge suggestions and the identity need the server; asking for the identity is an audited read,
so the view says so and asks before it does.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from html import escape
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QGridLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from desktop.common.api import ApiError, Unreachable
from desktop.common.tasks import BackgroundTasks
from desktop.console import labels
from desktop.console.desk.client import DeskApi
from desktop.console.desk.compare import side_by_side
from desktop.console.labels import QT_TRANSLATE_NOOP, fmt, translate
from desktop.console.records import RECORD_ROLE, Column, RecordTableModel, record_table
from desktop.replica import local, petitions
from desktop.replica.store import Replica
from shared.actions.petition import MAX_EXTENSION
from shared.timeutil import SECOND, Instant, parse_instant_or_none, to_datetime


def when(instant: Instant | None) -> str:
    return to_datetime(instant).strftime("%Y-%m-%d %H:%M") if instant is not None else ""


def event_when(text: object) -> str:
    return when(parse_instant_or_none(text))


EVENT_COLUMNS = (
    Column(QT_TRANSLATE_NOOP("PetitionView", "Time"),
           lambda e: event_when(e.get("at")), key=lambda e: str(e.get("at") or "")),
    Column(QT_TRANSLATE_NOOP("PetitionView", "Event"), lambda e: labels.petition_event(e.get("type"))),
    Column(QT_TRANSLATE_NOOP("PetitionView", "By"), lambda e: e.get("actor") or ""),
    Column(QT_TRANSLATE_NOOP("PetitionView", "Details"),
           lambda e: fmt("+%1", e["days"]) if e.get("days") else (e.get("text") or "")),
)
SUGGESTION_COLUMNS = (
    Column(QT_TRANSLATE_NOOP("PetitionView", "Score"), lambda s: s.get("score"), numeric=True),
    Column(QT_TRANSLATE_NOOP("PetitionView", "Receipt code"), lambda s: s.get("receipt_code") or ""),
    Column(QT_TRANSLATE_NOOP("PetitionView", "About"), lambda s: s.get("subject_name") or ""),
    Column(QT_TRANSLATE_NOOP("PetitionView", "Why"),
           lambda s: labels.listed(labels.merge_reason(str(w)) for w in s.get("why") or ())),
)


class PetitionView(QWidget):
    """The petition the desk selected; ``show_petition`` loads one."""

    #: a line for the status bar
    message = Signal(str)
    #: the server refused the token while the view asked it something
    unauthorized = Signal()

    def __init__(self, replica: Replica, tasks: BackgroundTasks, api: DeskApi, enqueue: Callable[..., None],
                 now: Callable[[], Instant], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("petition_view")
        self.replica = replica
        self.tasks = tasks
        self.api = api
        self._enqueue = enqueue
        self._now = now
        self.petition: dict[str, Any] | None = None
        self.petition_id: str | None = None
        self.suggestions: list[dict[str, Any]] = []
        #: the petition the suggestions shown are for (None until the server answered for this one)
        self._suggested_for: str | None = None
        self._suggesting = False
        #: the petitioner as the server last answered (on screen only, never stored)
        self.identity_box: QMessageBox | None = None
        self.identity_question: QMessageBox | None = None
        self.header = QLabel(self)
        self.header.setObjectName("petition_header")
        self.header.setWordWrap(True)
        self.header.setTextFormat(Qt.TextFormat.RichText)
        self.header.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.deadlines = QLabel(self)
        self.deadlines.setObjectName("petition_deadlines")
        self.deadlines.setWordWrap(True)
        self.deadlines.setTextFormat(Qt.TextFormat.RichText)
        self.content = QTextBrowser(self)
        self.content.setObjectName("petition_content")
        self.events = RecordTableModel(EVENT_COLUMNS, "PetitionView", self)
        self.events_table = record_table(self.events, self, name="petition_events")
        for column in range(len(EVENT_COLUMNS) - 1):
            self.events_table.horizontalHeader().setSectionResizeMode(column,
                                                                      QHeaderView.ResizeMode.ResizeToContents)
        self.refusal = QLabel(self)
        self.refusal.setObjectName("refusal")
        self.refusal.setWordWrap(True)
        self.refusal.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.refusal.setStyleSheet("color: #ff7b72;")
        self.refusal.hide()
        self.buttons: dict[str, QPushButton] = {}
        # Two rows of four: narrow enough to leave the list its columns in any language.
        row = QGridLayout()
        for n, (key, title, slot) in enumerate((
            ("accept", self.tr("Accept"), lambda: self.accept()),
            ("not_accept", self.tr("Not accept…"), lambda: self.not_accept()),
            ("assign", self.tr("Assign to a unit…"), lambda: self.assign()),
            ("extend", self.tr("Extend…"), lambda: self.extend()),
            ("reply", self.tr("Reply…"), lambda: self.reply()),
            ("close", self.tr("Close…"), lambda: self.close_petition()),
            ("convert", self.tr("Convert to an investigation…"), lambda: self.convert()),
            ("identity", self.tr("Show identity (audited)…"), lambda: self.ask_identity()),
        )):
            button = QPushButton(title, self)
            button.setObjectName(f"petition_{key}")
            button.clicked.connect(slot)
            self.buttons[key] = button
            row.addWidget(button, n // 4, n % 4)
        # Merge suggestions: the list, and the chosen one beside this petition.
        self.suggestion_model = RecordTableModel(SUGGESTION_COLUMNS, "PetitionView", self)
        self.suggestion_table = record_table(self.suggestion_model, self, name="merge_suggestions", order=None,
                                             single=True)
        # Best first, as the server ranks them, until a header is clicked.
        self.suggestion_table.sortByColumn(-1, Qt.SortOrder.AscendingOrder)
        self.suggestion_table.selectionModel().currentRowChanged.connect(lambda *_: self._compare())
        self.suggestion_note = QLabel(self)
        self.suggestion_note.setObjectName("suggestion_note")
        self.suggestion_note.setWordWrap(True)
        self.left = QTextBrowser(self)
        self.left.setObjectName("compare_this")
        self.right = QTextBrowser(self)
        self.right.setObjectName("compare_other")
        self.merge_button = QPushButton(self.tr("Merge this petition into the suggested one"), self)
        self.merge_button.setObjectName("merge_into_other")
        self.merge_button.clicked.connect(lambda: self.merge_into_selected())
        self.merge_button.setEnabled(False)
        compare = QSplitter(Qt.Orientation.Horizontal, self)
        compare.addWidget(self.left)
        compare.addWidget(self.right)
        merge_box = QWidget(self)
        merge_layout = QVBoxLayout(merge_box)
        merge_layout.setContentsMargins(0, 0, 0, 0)
        merge_title = QLabel("<b>" + escape(self.tr("Merge suggestions (一信多投)")) + "</b>", self)
        merge_layout.addWidget(merge_title)
        merge_layout.addWidget(self.suggestion_note)
        merge_layout.addWidget(self.suggestion_table, 1)
        merge_layout.addWidget(compare, 2)
        merge_layout.addWidget(self.merge_button)
        top = QWidget(self)
        top_layout = QVBoxLayout(top)
        top_layout.setContentsMargins(0, 0, 0, 0)
        top_layout.addWidget(self.header)
        top_layout.addWidget(self.deadlines)
        top_layout.addWidget(self.content, 1)
        top_layout.addLayout(row)
        top_layout.addWidget(self.refusal)
        top_layout.addWidget(self.events_table, 1)
        split = QSplitter(Qt.Orientation.Vertical, self)
        split.addWidget(top)
        split.addWidget(merge_box)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(split)
        self._set_enabled(False)

    # ------------------------------------------------------------------ loading
    def show_petition(self, petition_id: str | None, *, suggestions: bool = True) -> None:
        """Show a petition from the replica (None: nothing); its merge suggestions from the server."""
        changed = petition_id != self.petition_id
        self.petition_id = petition_id
        if changed:
            self.refusal.hide()
        if petition_id is None:
            self.petition = None
            self._draw()
            return
        replica, now = self.replica, self._now()
        self.tasks.run(lambda: replica.read(petitions.petition_detail, petition_id, now),
                       lambda p: self._loaded(petition_id, p), label="petition", owner=self, local=True)
        if changed:
            self._suggested_for = None
            self.suggestion_model.set_records([])
            self._compare()
        if suggestions and self._suggested_for != petition_id and not self._suggesting:
            self.load_suggestions()

    def refresh(self) -> None:
        """The replica changed: show the petition as it now stands (suggestions once the server has them)."""
        if self.petition_id is not None:
            self.show_petition(self.petition_id)

    def _loaded(self, petition_id: str, petition: dict[str, Any] | None) -> None:
        if petition_id != self.petition_id:
            return
        self.petition = petition
        self._draw()

    def _set_enabled(self, on: bool) -> None:
        for button in self.buttons.values():
            button.setEnabled(on)

    def _draw(self) -> None:
        p = self.petition
        self._set_enabled(p is not None)
        if p is None:
            self.header.setText(escape(self.tr("Choose a petition in the list.")))
            self.deadlines.clear()
            self.content.clear()
            self.events.set_records([])
            return
        subject = p.get("subject") if isinstance(p.get("subject"), dict) else {}
        assert isinstance(subject, dict)
        about = " · ".join(str(subject[k]) for k in ("name", "unit", "title") if subject.get(k))
        who = self.tr("anonymous") if p.get("anonymous") else self.tr("identity protected")
        status = labels.petition_status(p.get("status"))
        if p.get("pending"):
            status += " · " + self.tr("waiting to be sent")
        code = str(p.get("receipt_code") or "") or self.tr("no receipt code")
        about_word, received_word = self.tr("About"), self.tr("received")
        kind = labels.petition_category(p.get("category")) + " · " + labels.petition_channel(p.get("channel"))
        self.header.setText(
            f"<b style='font-size:14pt'>{escape(code)}</b> &nbsp; {escape(status)}<br/>"
            f"{escape(about_word)}: <b>{escape(about)}</b> &nbsp; {escape(kind)}"
            f" · {escape(received_word)} {escape(event_when(p.get('received_at')))} · {escape(who)}")
        links = self._links_html(p)
        self.deadlines.setText(self._deadlines_html(p) + (f"<br/>{links}" if links else ""))
        self.content.setPlainText(str(p.get("content") or ""))
        self.events.set_records(list(p.get("events") or ()))
        # Only what may follow now: the others would be refused (accept twice, reply before accepting).
        possible = petitions.possible_actions(p)
        for key, button in self.buttons.items():
            button.setEnabled(key == "identity" or key in possible)

    def _links_html(self, p: dict[str, Any]) -> str:
        """What the petition is linked with: its primary, the duplicates merged into it, investigations."""
        codes: dict[str, str] = p.get("linked_codes") or {}
        parts = []
        if p.get("merged_into"):
            primary = codes.get(str(p["merged_into"]), str(p["merged_into"]))
            parts.append(fmt(self.tr("Merged into %1: its handling answers this one"), primary))
        duplicates = [codes.get(str(d), str(d)) for d in p.get("duplicates") or ()]
        if duplicates:
            parts.append(fmt(self.tr("Answers also %1 merged into it: %2"), len(duplicates),
                             labels.listed(duplicates)))
        if p.get("investigations"):
            parts.append(fmt(self.tr("Converted to %1 investigation(s)"), len(p["investigations"])))
        return escape(" · ".join(parts))

    def _deadlines_html(self, p: dict[str, Any]) -> str:
        c: petitions.Clocks = p["clocks"]
        now = self._now()
        parts = [fmt(self.tr("Acceptance due %1"), when(c.accept_due))]
        if c.handle_due is not None:
            parts.append(fmt(self.tr("handling due %1"), when(c.handle_due)))
        if c.extension_days:
            parts.append(fmt(self.tr("extended %1 of %2 days"), c.extension_days, MAX_EXTENSION))
        text = escape(" · ".join(parts))
        if c.due is not None:
            left = countdown(c.due - now)
            color = "#ff7b72" if c.overdue else "#d29922" if c.due - now < 3 * 86400 * SECOND else "#7ee787"
            text += f" · <b style='color:{color}'>{escape(left)}</b>"
        return text

    # ------------------------------------------------------------------ actions
    def act(self, action: str, data: dict[str, Any]) -> None:
        """Queue ``action`` on the petition: shown at once, sent when the server answers."""
        if self.petition_id is None:
            return
        petition_id = self.petition_id

        def done(refused: list[local.Refused]) -> None:
            if refused:
                text = labels.refusal_text(refused[0][1].refusal)
                self.refusal.setText(text)
                self.refusal.show()
                self.message.emit(text)
                return
            if petition_id == self.petition_id:
                self.refusal.hide()
            self.message.emit(fmt(self.tr("%1: done (sent to the server when it answers)"), labels.petition_event(
                {"accept": "accepted", "not_accept": "not_accepted", "assign": "assigned", "extend": "extended",
                 "reply": "replied", "close": "closed", "merge": "merged"}.get(action, action))
                if action != "convert" else self.tr("converted to an investigation")))
            self.refresh()

        self._enqueue([petition_id], action, data, done, entity="petition")

    def accept(self) -> None:
        self.act("accept", {})

    def not_accept(self, reason: str | None = None) -> None:
        if reason is None:
            reason, ok = QInputDialog.getMultiLineText(self, self.tr("Not accept"),
                                                       self.tr("Why it is not accepted (the petitioner reads it):"))
            if not ok:
                return
        self.act("not_accept", {"reason": reason})

    def assign(self, unit: str | None = None) -> None:
        if unit is None:
            unit, ok = QInputDialog.getText(self, self.tr("Assign to a unit"), self.tr("The unit that handles it:"))
            if not ok:
                return
        self.act("assign", {"unit": unit})

    def extend(self, days: int | None = None) -> None:
        if days is None:
            days, ok = QInputDialog.getInt(self, self.tr("Extend the handling limit"),
                                           fmt(self.tr("Days (at most %1 in all):"), MAX_EXTENSION), 30, 1,
                                           MAX_EXTENSION)
            if not ok:
                return
        self.act("extend", {"days": days})

    def reply(self, text: str | None = None) -> None:
        if text is None:
            text, ok = QInputDialog.getMultiLineText(self, self.tr("Reply"),
                                                     self.tr("The reply the petitioner reads:"))
            if not ok:
                return
        self.act("reply", {"text": text})

    def close_petition(self, text: str | None = None, substantiated: bool | None = None) -> None:
        if text is None:
            text, ok = QInputDialog.getMultiLineText(self, self.tr("Close"), self.tr("How it was concluded:"))
            if not ok:
                return
            answer = QMessageBox.question(self, self.tr("Close"), self.tr("Did the complaint prove founded?"))
            substantiated = answer == QMessageBox.StandardButton.Yes
        data: dict[str, Any] = {"text": text or None}
        if substantiated is not None:
            data["substantiated"] = substantiated
        self.act("close", data)

    def convert(self, title: str | None = None) -> None:
        if title is None:
            p = self.petition or {}
            subject = p.get("subject") if isinstance(p.get("subject"), dict) else {}
            assert isinstance(subject, dict)
            title, ok = QInputDialog.getText(self, self.tr("Convert to an investigation"),
                                             self.tr("The investigation's title:"), QLineEdit.EchoMode.Normal,
                                             fmt(self.tr("Petition about %1"), subject.get("name") or ""))
            if not ok:
                return
        self.act("convert", {"title": title, "investigation_id": str(uuid.uuid4())})

    # ------------------------------------------------------------------ merging
    def load_suggestions(self) -> None:
        petition_id = self.petition_id
        if petition_id is None:
            return
        if self._suggested_for != petition_id:
            self.suggestion_note.setText(self.tr("Asking the server for similar petitions…"))
        self._suggesting = True
        api, replica = self.api, self.replica

        def work() -> list[dict[str, Any]]:
            found = api.similar(petition_id)
            others = replica.read(petitions.petitions_by_id, [str(s.get("petition_id")) for s in found])
            out = []
            for s in found:
                other = others.get(str(s.get("petition_id")))
                if other is None:
                    continue  # not in this replica yet: the feed brings it
                subject = other.get("subject") if isinstance(other.get("subject"), dict) else {}
                out.append({**s, "petition": other, "receipt_code": other.get("receipt_code"),
                            "subject_name": (subject or {}).get("name")})
            return out

        def failed(exc: BaseException) -> None:
            self._suggesting = False
            if petition_id != self.petition_id:
                return
            if isinstance(exc, ApiError) and exc.status == 404:
                # Registered here and not yet sent: asked again when the server has it.
                self.suggestion_note.setText(self.tr("Merge suggestions once the server has the petition."))
                return
            if isinstance(exc, ApiError) and exc.status == 401:
                self.unauthorized.emit()
            if isinstance(exc, Unreachable):
                self.suggestion_note.setText(self.tr("Merge suggestions need the server, which cannot be reached."))
            else:
                self.suggestion_note.setText(fmt(self.tr("No merge suggestions: %1"), str(exc)))

        self.tasks.run(work, lambda found: self._suggested(petition_id, found), failed, label="similar", owner=self)

    def _suggested(self, petition_id: str, found: list[dict[str, Any]]) -> None:
        self._suggesting = False
        if petition_id != self.petition_id:
            return
        self._suggested_for = petition_id
        self.suggestions = found
        self.suggestion_model.set_records(found)
        self.suggestion_note.setText(self.tr("No other petition looks like this one.") if not found else
                                     self.tr("Choose one to read both side by side; what differs is marked."))
        if found:
            self.suggestion_table.selectRow(0)
        self._compare()

    def selected_suggestion(self) -> dict[str, Any] | None:
        index = self.suggestion_table.currentIndex()
        record = index.data(RECORD_ROLE) if index.isValid() else None
        return record if isinstance(record, dict) else None

    def _compare(self) -> None:
        s = self.selected_suggestion()
        self.merge_button.setEnabled(s is not None and self.petition is not None
                                     and not (self.petition or {}).get("merged_into"))
        if s is None or self.petition is None:
            self.left.clear()
            self.right.clear()
            return
        left, right = side_by_side(self.petition, s["petition"],
                                   (self.tr("About"), self.tr("Content"), self.tr("received")))
        self.left.setHtml(left)
        self.right.setHtml(right)

    def merge_into_selected(self) -> None:
        s = self.selected_suggestion()
        if s is not None:
            self.act("merge", {"into": str(s["petition_id"])})

    # ------------------------------------------------------------------ identity
    def ask_identity(self) -> None:
        """Ask before reading who petitioned: the server records every read under the officer's name."""
        if self.petition_id is None:
            return
        box = QMessageBox(QMessageBox.Icon.Question, self.tr("Show identity"),
                          self.tr("Who petitioned is protected. Showing it is written to the audit log under "
                                  "your name, with the time. Show it?"),
                          QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, self)
        box.setObjectName("identity_question")
        box.button(QMessageBox.StandardButton.Yes).clicked.connect(self.reveal_identity)
        self.identity_question = box
        box.open()

    def reveal_identity(self) -> None:
        petition_id = self.petition_id
        if petition_id is None:
            return
        api = self.api

        def done(who: dict[str, Any] | None) -> None:
            if petition_id != self.petition_id:
                return
            if who is None:
                text = escape(self.tr("The petition is anonymous."))
            else:
                rows = ((self.tr("Name"), who.get("name")), (self.tr("ID number"), who.get("id_number")),
                        (self.tr("Phone"), who.get("phone")), (self.tr("Address"), who.get("address")))
                text = "".join(f"<p>{escape(k)}: <b>{escape(str(v))}</b></p>" for k, v in rows if v)
            note = fmt(self.tr("Read at %1; this read is in the audit log."), time.strftime("%H:%M"))
            box = QMessageBox(QMessageBox.Icon.Information, self.tr("Petitioner"),
                              text + "<p style='color:#8b949e'>" + escape(note) + "</p>",
                              QMessageBox.StandardButton.Close, self)
            box.setObjectName("identity")
            box.setTextFormat(Qt.TextFormat.RichText)
            # Gone when closed: nothing of it stays in the console.
            box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            box.finished.connect(lambda _r: setattr(self, "identity_box", None))
            self.identity_box = box
            box.open()

        def failed(exc: BaseException) -> None:
            if isinstance(exc, ApiError) and exc.status == 401:
                self.unauthorized.emit()
            text = self.tr("The identity needs the server, which cannot be reached.") \
                if isinstance(exc, Unreachable) else fmt(self.tr("The identity could not be read: %1"), str(exc))
            self.refusal.setText(text)
            self.refusal.show()

        self.tasks.run(lambda: api.identity(petition_id), done, failed, label="identity", owner=self)


def countdown(left: int) -> str:
    """Time left to a deadline (negative: overdue by), in days and hours."""
    hours = abs(left) // (3600 * SECOND)
    days, hours = divmod(hours, 24)
    amount = fmt(translate("PetitionView", "%1 d %2 h"), days, hours) if days else \
        fmt(translate("PetitionView", "%1 h"), hours)
    return fmt(translate("PetitionView", "overdue by %1"), amount) if left < 0 else \
        fmt(translate("PetitionView", "%1 left"), amount)
