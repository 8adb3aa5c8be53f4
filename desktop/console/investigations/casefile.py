"""One investigation's case file: the seven stages as a track, the next gate's checklist, the
timeline, evidence, opinions, notes and annotations, and the actions the person may take.

The case file reads the replica (``investigations.case_file``) in the background and shows it
at once, online or not. Actions are checked by the shared rules as they are queued: a refused
one (a transition out of order, a gate not met) is answered at once with the rules' reason in
the console's language, in the red line under the track. Files are attached by dropping them
on the case file or with the button: each is copied into the evidence kept here while it is
hashed, uploaded in the background with its progress shown when the server answers (else
before its ``attach`` is replayed), then attached.

Evidence is verified whenever it is shown: the kept file is hashed again, and a file whose
bytes no longer match its SHA-256 is said loudly not to match — never "verified", never opened.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from html import escape
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, QRectF, QSize, Qt, QUrl, Signal
from PySide6.QtGui import (
    QBrush,
    QColor,
    QDesktopServices,
    QDragEnterEvent,
    QDropEvent,
    QFont,
    QPainter,
    QPaintEvent,
    QPen,
)
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QSizePolicy,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from desktop.console import labels
from desktop.console.conflicts import server_words
from desktop.console.investigations import dialogs
from desktop.console.labels import QT_TRANSLATE_NOOP, fmt
from desktop.console.records import Column, RecordTableModel, record_table
from desktop.replica import evidence as kept_files
from desktop.replica import investigations, local, sync
from desktop.replica.evidence import EvidenceFileError
from desktop.replica.investigations import CURRENT, DONE, NEXT, CaseFile
from shared.actions import Actor, Refusal, role_may
from shared.actions.investigation import REVIEWER_ROLES, STAGES

log = logging.getLogger(__name__)
translate = QCoreApplication.translate


when = labels.when


def size_text(size: Any) -> str:
    if not isinstance(size, int):
        return ""
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):.1f} MB"
    if size >= 1024:
        return f"{size / 1024:.0f} KB"
    return f"{size} B"


def check_text(e: dict[str, Any]) -> str:
    """What the console knows of an evidence file's bytes here."""
    state = e.get("check")
    if state == kept_files.VERIFIED:
        return translate("CaseFile", "✓ verified (SHA-256 matches)")
    if state == kept_files.MISMATCH:
        return translate("CaseFile", "✗ DOES NOT MATCH its SHA-256")
    if state == "checking":
        return translate("CaseFile", "checking…")
    if not e.get("uploaded", True):
        return translate("CaseFile", "kept here, not yet uploaded")
    return translate("CaseFile", "not on this computer")



def _chain(e: dict[str, Any]) -> str:
    parts = []
    if e.get("supersedes"):
        parts.append(fmt(translate("CaseFile", "corrects %1…"), str(e["supersedes"])[:12]))
    if e.get("superseded_by"):
        parts.append(fmt(translate("CaseFile", "superseded by %1…"), str(e["superseded_by"])[:12]))
    return "; ".join(parts)


CHECK_COLOURS = {kept_files.VERIFIED: "#3fb950", kept_files.MISMATCH: "#ff4d4f"}

CHECK_COLUMN = Column(QT_TRANSLATE_NOOP("CaseFile", "Check"), check_text,
                      roles={Qt.ItemDataRole.ForegroundRole: lambda e: QBrush(QColor(CHECK_COLOURS[e["check"]]))
                             if e.get("check") in CHECK_COLOURS else None})
EVIDENCE_COLUMNS = (
    Column(QT_TRANSLATE_NOOP("CaseFile", "Kind"), lambda e: labels.evidence_kind(e.get("kind"))),
    Column(QT_TRANSLATE_NOOP("CaseFile", "File"), lambda e: ("⊘ " if e.get("superseded_by") else "")
           + str(e.get("filename") or ""),
           roles={Qt.ItemDataRole.ForegroundRole: lambda e: QBrush(QColor("#8b949e")) if e.get("superseded_by")
                  else None}),
    Column(QT_TRANSLATE_NOOP("CaseFile", "Attached by"), lambda e: e.get("attached_by") or ""),
    Column(QT_TRANSLATE_NOOP("CaseFile", "Attached at"), lambda e: when(e.get("attached_at")),
           key=lambda e: e.get("attached_at") or ""),
    Column(QT_TRANSLATE_NOOP("CaseFile", "Size"), lambda e: size_text(e.get("size")),
           key=lambda e: e.get("size") or 0, numeric=True),
    CHECK_COLUMN,
    Column(QT_TRANSLATE_NOOP("CaseFile", "Correction"), _chain),
    Column(QT_TRANSLATE_NOOP("CaseFile", "SHA-256"), lambda e: e.get("sha256") or ""),
)


def _entry_text(t: dict[str, Any]) -> str:
    raw = t.get("data")
    data: dict[str, Any] = raw if isinstance(raw, dict) else {}
    action = str(t.get("action"))
    if action == "transition":
        text = f"{labels.stage(data.get('from'))} → {labels.stage(data.get('to'))}"
        return text + (f"：{data['reason']}" if data.get("reason") else "")
    if action == "attach":
        return f"{labels.evidence_kind(data.get('kind'))}：{data.get('filename') or ''}"
    if action == "opinion":
        return f"{labels.opinion(data.get('opinion'))}：{data.get('text') or ''}"
    if action in ("assign", "request_review"):
        return ", ".join(str(n) for n in data.get("investigators") or data.get("reviewers") or ())
    if action == "create":
        return str(data.get("title") or "")
    return str(data.get("text") or "")


TIMELINE_COLUMNS = (
    Column(QT_TRANSLATE_NOOP("CaseFile", "At"), lambda t: when(t.get("at")), key=lambda t: t.get("at") or ""),
    Column(QT_TRANSLATE_NOOP("CaseFile", "Who"), lambda t: t.get("actor") or ""),
    Column(QT_TRANSLATE_NOOP("CaseFile", "What"), lambda t: labels.action(str(t.get("action")))),
    Column(QT_TRANSLATE_NOOP("CaseFile", "Details"), _entry_text),
)
OPINION_COLUMNS = (
    Column(QT_TRANSLATE_NOOP("CaseFile", "Reviewer"), lambda o: o.get("reviewer") or ""),
    Column(QT_TRANSLATE_NOOP("CaseFile", "Opinion"), lambda o: labels.opinion(o.get("opinion")),
           roles={Qt.ItemDataRole.ForegroundRole: lambda o: QBrush(QColor("#ff7b72"))
                  if o.get("opinion") == "disagree" else None}),
    Column(QT_TRANSLATE_NOOP("CaseFile", "At"), lambda o: when(o.get("at")), key=lambda o: o.get("at") or ""),
    Column(QT_TRANSLATE_NOOP("CaseFile", "Reasons"), lambda o: o.get("text") or ""),
)
NOTE_COLUMNS = (
    Column(QT_TRANSLATE_NOOP("CaseFile", "At"), lambda t: when(t.get("at")), key=lambda t: t.get("at") or ""),
    Column(QT_TRANSLATE_NOOP("CaseFile", "Who"), lambda t: t.get("actor") or ""),
    Column(QT_TRANSLATE_NOOP("CaseFile", "Kind"), lambda t: labels.action(str(t.get("action"))),
           roles={Qt.ItemDataRole.ForegroundRole: lambda t: QBrush(QColor("#d29922"))
                  if t.get("action") in ("annotate", "approve_filing") else None}),
    Column(QT_TRANSLATE_NOOP("CaseFile", "Text"), lambda t: (t.get("data") or {}).get("text") or ""),
)
ALERT_COLUMNS = (
    Column(QT_TRANSLATE_NOOP("CaseFile", "Alert"), lambda a: f"#{a.get('id')}", key=lambda a: a.get("id") or 0),
    Column(QT_TRANSLATE_NOOP("CaseFile", "Rule"),
           lambda a: labels.rule_name(str(a["rule"]), a.get("rule_zh"), a.get("rule_en")) if a.get("rule")
           else translate("CaseFile", "not on this computer")),
    Column(QT_TRANSLATE_NOOP("CaseFile", "Status"), lambda a: labels.status(str(a.get("status") or ""))),
    Column(QT_TRANSLATE_NOOP("CaseFile", "Message"), lambda a: a.get("message") or ""),
)

TRACK_COLOURS = {DONE: ("#1f6f3f", "#e6edf3"), CURRENT: ("#1f6feb", "#ffffff"), NEXT: ("#3d2f00", "#f2cc60")}


class StageTrack(QWidget):
    """The seven stages in a row: done in green, the current one in blue, the next outlined in amber."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("stage_track")
        self.track: list[tuple[str, str]] = [(s, "later") for s in STAGES]
        self.ended: str | None = None
        self.setMinimumHeight(46)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt API
        return QSize(720, 46)

    def set_track(self, track: list[tuple[str, str]], ended: str | None) -> None:
        self.track = track
        self.ended = ended
        self.setToolTip(" → ".join(f"{labels.stage(s)}" + ("◀" if state == CURRENT else "") for s, state in track))
        self.update()

    def paintEvent(self, _event: QPaintEvent) -> None:  # noqa: N802 - Qt API
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        n = len(self.track) + (1 if self.ended else 0)
        gap = 8.0
        w = (self.width() - gap * (n - 1)) / max(1, n)
        h = self.height() - 8.0
        font = QFont(self.font())
        font.setBold(True)
        p.setFont(font)
        items = list(self.track) + ([(self.ended, "ended")] if self.ended else [])
        for i, (stage, state) in enumerate(items):
            rect = QRectF(i * (w + gap), 4.0, w, h)
            fill, text = TRACK_COLOURS.get(state, ("#21262d", "#8b949e"))
            if state == "ended":
                fill, text = "#5a1d1d" if stage == "concluded" else "#1f6f3f", "#ffffff"
            p.setBrush(QColor(fill))
            pen = QPen(QColor("#f2cc60") if state == NEXT else QColor("#30363d"))
            pen.setWidthF(2.0 if state in (NEXT, CURRENT) else 1.0)
            p.setPen(pen)
            p.drawRoundedRect(rect, 6, 6)
            p.setPen(QColor(text))
            mark = "✓ " if state == DONE else ""
            p.drawText(rect, int(Qt.AlignmentFlag.AlignCenter), mark + labels.stage(stage))
        p.end()


class _Progress(QObject):
    """A worker's progress, delivered to the UI thread (queued)."""

    changed = Signal(int, int)


class CaseFileView(QWidget):
    """The case file of one investigation. ``open_case(id)`` shows one; it follows the replica."""

    #: a message for the status bar
    message = Signal(str)
    #: the person asks to decide a conflict (raise the outbox pane)
    show_conflicts = Signal()
    #: a case file finished showing (tests and screenshots wait on it)
    shown = Signal()
    #: (sha256, verified / mismatch / missing): a kept file was hashed again before opening it
    checked = Signal(str, str)

    def __init__(self, session: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("CaseFileView")
        self.session = session
        self.replica = session.replica
        self.tasks = session.tasks
        self.engine = session.engine
        self.actor = Actor(session.username, session.role)
        self.investigation_id: str | None = None
        self.file: CaseFile | None = None
        #: sha256 → verified / mismatch / missing, from the last re-hash of the kept files
        self.checks: dict[str, str] = {}
        self.dialog: Any = None
        #: opens a verified file (tests replace it)
        self.opener: Callable[[Path], object] = lambda path: QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))
        self._gen = 0
        #: the case whose evidence is being fetched (one fetch at a time)
        self._fetching: Any = None
        self.uploading = 0
        self.setAcceptDrops(True)
        self._build()
        self._show_empty()

    # ------------------------------------------------------------------ building
    def _build(self) -> None:
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        self.header = QLabel(self)
        self.header.setObjectName("case_header")
        self.header.setWordWrap(True)
        self.header.setTextFormat(Qt.TextFormat.RichText)
        layout.addWidget(self.header)
        self.track = StageTrack(self)
        layout.addWidget(self.track)
        self.gate = QLabel(self)
        self.gate.setObjectName("gate")
        self.gate.setWordWrap(True)
        self.gate.setTextFormat(Qt.TextFormat.RichText)
        layout.addWidget(self.gate)
        self.banner = QLabel(self)
        self.banner.setObjectName("refusal")
        self.banner.setWordWrap(True)
        self.banner.setStyleSheet("QLabel#refusal { color: #ffdcd7; background: #5a1d1d; padding: 6px;"
                                  " border: 1px solid #f85149; font-weight: 600; }")
        self.banner.hide()
        layout.addWidget(self.banner)
        self.tamper = QLabel(self)
        self.tamper.setObjectName("tamper")
        self.tamper.setWordWrap(True)
        self.tamper.setStyleSheet("QLabel#tamper { color: #ffffff; background: #b62324; padding: 8px;"
                                  " font-weight: 700; font-size: 11pt; }")
        self.tamper.hide()
        layout.addWidget(self.tamper)
        self.conflict_row = QWidget(self)
        row = QHBoxLayout(self.conflict_row)
        row.setContentsMargins(0, 0, 0, 0)
        self.conflict_label = QLabel(self.conflict_row)
        self.conflict_label.setObjectName("case_conflict")
        self.conflict_label.setWordWrap(True)
        self.conflict_label.setStyleSheet("color: #ff7b72; font-weight: 600;")
        self.conflict_button = QPushButton(self.tr("Decide…"), self.conflict_row)
        self.conflict_button.clicked.connect(self.show_conflicts.emit)
        row.addWidget(self.conflict_label, 1)
        row.addWidget(self.conflict_button)
        self.conflict_row.hide()
        layout.addWidget(self.conflict_row)
        buttons = QHBoxLayout()
        self.buttons: dict[str, QPushButton] = {}
        for key, text, slot in (
            ("transition", self.tr("Move to the next stage…"), self.ask_transition),
            ("attach", self.tr("Attach files…"), self.ask_attach),
            ("note", self.tr("Note…"), lambda: self.ask_text("note")),
            ("request_review", self.tr("Request review…"), self.ask_review),
            ("opinion", self.tr("Opinion…"), self.ask_opinion),
            ("approve_filing", self.tr("Approve filing…"), lambda: self.ask_text("approve_filing")),
            ("annotate", self.tr("Annotate (批阅)…"), lambda: self.ask_text("annotate")),
            ("report", self.tr("Case report (PDF)…"), self.ask_report),
        ):
            b = QPushButton(text, self)
            b.setObjectName(f"case_{key}")
            b.clicked.connect(slot)
            self.buttons[key] = b
            buttons.addWidget(b)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        self.progress = QProgressBar(self)
        self.progress.setObjectName("upload_progress")
        self.progress.setTextVisible(True)
        self.progress.hide()
        layout.addWidget(self.progress)
        self.tabs = QTabWidget(self)
        self.evidence_model = RecordTableModel(EVIDENCE_COLUMNS, "CaseFile", self)
        self.evidence_table = record_table(self.evidence_model, self, name="evidence_table", order=None, single=True)
        self.evidence_table.doubleClicked.connect(self._open_evidence_at)
        self.timeline_model = RecordTableModel(TIMELINE_COLUMNS, "CaseFile", self)
        self.timeline_table = record_table(self.timeline_model, self, name="timeline_table", order=None)
        self.opinion_model = RecordTableModel(OPINION_COLUMNS, "CaseFile", self)
        self.opinion_table = record_table(self.opinion_model, self, name="opinion_table", order=None)
        self.note_model = RecordTableModel(NOTE_COLUMNS, "CaseFile", self)
        self.note_table = record_table(self.note_model, self, name="note_table", order=None)
        self.alert_model = RecordTableModel(ALERT_COLUMNS, "CaseFile", self)
        self.alert_table = record_table(self.alert_model, self, name="alert_table", order=None)
        self.tabs.addTab(self.evidence_table, self.tr("Evidence"))
        self.tabs.addTab(self.timeline_table, self.tr("Timeline"))
        self.tabs.addTab(self.opinion_table, self.tr("Opinions"))
        self.tabs.addTab(self.note_table, self.tr("Notes and annotations"))
        self.tabs.addTab(self.alert_table, self.tr("Linked alerts"))
        layout.addWidget(self.tabs, 1)
        self.drop_hint = QLabel(self.tr("Drop files here to attach them as evidence."), self)
        self.drop_hint.setStyleSheet("color: #8b949e;")
        layout.addWidget(self.drop_hint)

    def _show_empty(self) -> None:
        hint = self.tr("Choose a case in the list.")
        self.header.setText(f"<span style='color:#8b949e'>{escape(hint)}</span>")
        self.gate.clear()
        for b in self.buttons.values():
            b.setEnabled(False)

    # ------------------------------------------------------------------ reading
    def open_case(self, investigation_id: str | None) -> None:
        """Show this case (read in the background); None empties the view."""
        if investigation_id != self.investigation_id:
            self.banner.hide()
            self.checks = {}
        self.investigation_id = investigation_id
        if investigation_id is None:
            self.file = None
            self._show_empty()
            return
        self.refresh()

    def refresh(self) -> None:
        if self.investigation_id is None:
            return
        self._gen += 1
        gen, replica, iid = self._gen, self.replica, self.investigation_id
        self.tasks.run(lambda: replica.read(investigations.case_file, iid),
                       lambda f: self._show(f) if gen == self._gen else None, label="case file", owner=self, local=True)

    def _show(self, file: CaseFile | None) -> None:
        self.file = file
        if file is None:
            self._show_empty()
            self.header.setText(escape(self.tr("This case is not on this computer.")))
            self.shown.emit()
            return
        inv = file.inv
        status = str(inv.get("status") or "open")
        raw_subject = inv.get("subject")
        subject: dict[str, Any] = raw_subject if isinstance(raw_subject, dict) else {}
        who = "，".join(str(x) for x in (subject.get("name"), subject.get("unit"), subject.get("title")) if x)
        state = labels.stage(str(inv.get("stage"))) if status == "open" else labels.stage(status)
        marks = ""
        if file.pending:
            marks += " <span style='color:#58a6ff'>⟳ " + escape(fmt(self.tr("%1 of your changes not yet sent"),
                                                                    file.pending)) + "</span>"
        names = (self.tr("Subject"), self.tr("Stage"), self.tr("Investigators"), self.tr("Opened"))
        self.header.setText(
            f"<h3 style='margin:0'>{escape(str(inv.get('title') or ''))}</h3>"
            f"<div>{escape(names[0])}：{escape(who)} · {escape(names[1])}：<b>{escape(state)}</b>"
            f" · {escape(names[2])}：{escape(', '.join(inv.get('investigators') or ()))}"
            f" · {escape(names[3])} {escape(when(inv.get('created_at')))}{marks}</div>")
        self.track.set_track(file.track, status if status != "open" else None)
        self.gate.setText(self._gate_html(file))
        conflicts = [m for m in file.outbox if m["state"] in ("conflict", "rejected")]
        if conflicts:
            m = conflicts[0]
            err = (m.get("result") or {}).get("error") or {}
            self.conflict_label.setText(fmt(
                self.tr("⚠ Your “%1” came back from the server: %2"), labels.action(str(m["action"])),
                server_words(err)))
            self.conflict_row.show()
        else:
            self.conflict_row.hide()
        for e in file.evidence:
            e["check"] = self.checks.get(str(e.get("sha256")))
        self.evidence_model.set_records(file.evidence)
        self.timeline_model.set_records(file.timeline)
        self.opinion_model.set_records(file.opinions)
        self.note_model.set_records(file.notes)
        self.alert_model.set_records(file.alerts)
        for table in (self.evidence_table, self.timeline_table, self.opinion_table, self.note_table,
                      self.alert_table):
            table.resizeColumnsToContents()
        self._enable(file)
        self._show_tamper()
        self._verify(file)
        self._fetch_missing(file)
        self.shown.emit()

    def _gate_html(self, file: CaseFile) -> str:
        if file.next_stage is None:
            if file.targets:
                return escape(fmt(self.tr("Next: %1"), "、".join(labels.stage(t) for t in file.targets)))
            return escape(self.tr("This case has ended: nothing moves it any more."))
        head = escape(fmt(self.tr("To move into “%1”:"), labels.stage(file.next_stage)))
        if not file.gate:
            return head + " " + escape(self.tr("nothing is required."))
        items = []
        awaited, missing = self.tr("awaited"), self.tr("missing")
        for item, holds in file.gate:
            name = escape(labels.gate_item(item))
            if holds:
                items.append(f"<span style='color:#3fb950'>✓ {name}</span>")
            elif item.startswith("opinion:"):
                items.append(f"<span style='color:#d29922'>⌛ {name} — {escape(awaited)}</span>")
            else:
                items.append(f"<span style='color:#ff7b72'>✗ {name} — {escape(missing)}</span>")
        ends = [t for t in file.targets if t not in STAGES]
        tail = (" · " + escape(fmt(self.tr("or end it: %1"), "、".join(labels.stage(t) for t in ends)))) if ends else ""
        return f"{head} &nbsp; " + " &nbsp; ".join(items) + tail

    def _enable(self, file: CaseFile) -> None:
        inv = file.inv
        for key, b in self.buttons.items():
            if key == "report":
                b.setEnabled(True)
                continue
            b.setEnabled(role_may("investigation", key, self.actor, inv))
        # The next stage's button says where it leads.
        nxt = file.next_stage or (file.targets[0] if file.targets else None)
        self.buttons["transition"].setText(fmt(self.tr("Move to “%1”…"), labels.stage(nxt)) if nxt
                                           else self.tr("Move to the next stage…"))
        if not file.targets:
            self.buttons["transition"].setEnabled(False)
        self.buttons["approve_filing"].setVisible(self.actor.role in ("leader", "admin"))
        # Filing is approved during the preliminary check only: elsewhere the button says why it is off.
        approve = self.buttons["approve_filing"]
        approve.setToolTip("")
        if approve.isEnabled():
            try:
                local.check_entity("investigation", inv, "approve_filing", {}, self.actor)
            except local.ActionRefused as exc:
                approve.setEnabled(False)
                approve.setToolTip(refusal_words(exc.refusal, {}, file))
        self.buttons["annotate"].setVisible(self.actor.role in ("leader", "admin"))
        self.buttons["opinion"].setVisible(self.actor.name in (inv.get("reviewers") or ()))
        self.drop_hint.setVisible(self.buttons["attach"].isEnabled())

    # ------------------------------------------------------------------ verification
    def _verify(self, file: CaseFile) -> None:
        """Hash every kept file of the case again, in the background; the table and banner follow."""
        shas = [str(e.get("sha256")) for e in file.evidence if e.get("kept")]
        if not shas:
            return
        gen, replica = self._gen, self.replica

        def work() -> dict[str, str]:
            return {sha: replica.verify_evidence(sha) for sha in shas}

        def done(result: dict[str, str]) -> None:
            if gen != self._gen or self.file is None:
                return
            self.checks.update(result)
            records = self.evidence_model.records()
            for e in records:
                e["check"] = self.checks.get(str(e.get("sha256")))
            self.evidence_model.set_records(records)
            self.evidence_table.resizeColumnToContents(EVIDENCE_COLUMNS.index(CHECK_COLUMN))
            self._show_tamper()

        self.tasks.run(work, done, label="verify evidence", owner=self)

    def _fetch_missing(self, file: CaseFile) -> None:
        """Fetch the evidence of this case not kept here yet (online), so it is verified and opens offline.

        What arrives is kept only if it hashes to its SHA-256 (``Replica.keep_fetched``)."""
        missing = [str(e.get("sha256")) for e in file.evidence if not e.get("kept")]
        engine = self.engine
        if not missing or engine.paused or engine.state not in (sync.LIVE, sync.CATCHING_UP) \
                or self._fetching == file.inv.get("id"):
            return
        self._fetching = file.inv.get("id")
        replica, client = self.replica, self.session.client

        def work() -> int:
            for sha in missing:
                replica.keep_fetched(sha, client.get_evidence(sha))
            return len(missing)

        def finished(_n: object) -> None:
            self._fetching = None
            if self.investigation_id == file.inv.get("id"):
                self.refresh()

        def failed(exc: BaseException) -> None:
            self._fetching = None
            log.info("evidence of the case not fetched: %r", exc)

        self.tasks.run(work, finished, failed, label="fetch case evidence", owner=self)

    def mismatched(self) -> list[dict[str, Any]]:
        return [e for e in self.evidence_model.records() if e.get("check") == kept_files.MISMATCH]

    def _show_tamper(self) -> None:
        bad = self.mismatched()
        if not bad:
            self.tamper.hide()
            return
        names = "、".join(f"「{e.get('filename')}」" for e in bad[:5])
        self.tamper.setText(fmt(self.tr(
            "⚠ The copy of %1 on this computer DOES NOT MATCH the SHA-256 recorded when it was attached: its "
            "bytes have been changed. It is not verified and will not be opened."), names))
        self.tamper.show()

    def _open_evidence_at(self, index: Any) -> None:
        proxy = self.evidence_table.model()
        row = proxy.mapToSource(index).row()  # type: ignore[attr-defined]
        e = self.evidence_model.record(row)
        if e is not None:
            self.open_evidence(str(e.get("sha256")))

    def open_evidence(self, sha256: str) -> None:
        """Open a kept file, hashing it again first: one that does not match is refused, loudly."""
        replica = self.replica
        name = next((str(e.get("filename")) for e in self.evidence_model.records() if e.get("sha256") == sha256),
                    sha256[:12])

        def done(state: str) -> None:
            self.checks[sha256] = state
            records = self.evidence_model.records()
            for e in records:
                if e.get("sha256") == sha256:
                    e["check"] = state
            self.evidence_model.set_records(records)
            self._show_tamper()
            if state == kept_files.VERIFIED:
                self.opener(replica.evidence_path(sha256))
            elif state == kept_files.MISSING:
                self._say(fmt(self.tr("「%1」 is not on this computer yet: it is fetched when the server answers."),
                              name))
            self.checked.emit(sha256, state)

        self.tasks.run(lambda: replica.verify_evidence(sha256), done, label="verify evidence", owner=self, local=True)

    # ------------------------------------------------------------------ actions
    def _say(self, text: str) -> None:
        self.banner.setText(text)
        self.banner.setVisible(bool(text))

    def act(self, action: str, data: dict[str, Any]) -> None:
        """Queue an action on this case; a refusal is shown in the console's language."""
        if self.investigation_id is None:
            return
        self._say("")

        def done(refused: list[local.Refused]) -> None:
            if refused:
                self._say("⚠ " + refusal_words(refused[0][1].refusal, data, self.file))
            else:
                self.message.emit(fmt(self.tr("“%1” recorded"), labels.action(action)))
            self.refresh()

        self.engine.enqueue([self.investigation_id], action, data, done, entity="investigation")

    def _open_dialog(self, dialog: Any, then: Callable[[Any], None]) -> None:
        self.dialog = dialog

        def finished(result: int) -> None:
            self.dialog = None
            if result:
                then(dialog)
            dialog.deleteLater()

        dialog.finished.connect(finished)
        dialog.open()

    def ask_transition(self) -> None:
        if self.file is None:
            return
        inv = self.file.inv
        self._open_dialog(dialogs.TransitionDialog(self.file.targets, str(inv.get("stage")), self),
                          lambda d: self.act("transition", d.data()))

    def ask_text(self, action: str) -> None:
        titles = {"note": (self.tr("Note"), self.tr("A note in the case's timeline:"), True),
                  "annotate": (self.tr("Annotate (批阅)"), self.tr("Your annotation, shown to everyone on the case:"),
                               True),
                  "approve_filing": (self.tr("Approve filing"), self.tr("Approve filing this case (remark optional):"),
                                     False)}
        title, prompt, required = titles[action]
        self._open_dialog(dialogs.TextDialog(title, prompt, required=required, parent=self),
                          lambda d: self.act(action, {"text": d.text()} if d.text() or required else {}))

    def ask_opinion(self) -> None:
        self._open_dialog(dialogs.OpinionDialog(self), lambda d: self.act("opinion", d.data()))

    def ask_review(self) -> None:
        """Whom to ask for a joint review: picked from the server's users when it answers, else from
        the people the cases here name (both read in the background while the dialog is open)."""
        if self.file is None:
            return
        dialog = dialogs.ReviewersDialog(self.file.inv.get("reviewers") or (), self)
        self._open_dialog(dialog, lambda d: self.act("request_review", {"reviewers": d.reviewers()}))
        replica, client = self.replica, self.session.client

        def named(names: list[str]) -> None:
            if self.dialog is dialog:
                dialog.set_people([{"username": n} for n in names], complete=False)

        def listed(answer: dict[str, Any]) -> None:
            if self.dialog is dialog:
                dialog.set_people([p for p in answer.get("people") or ()
                                   if isinstance(p, dict) and p.get("role") in REVIEWER_ROLES], complete=True)

        def not_listed(exc: BaseException) -> None:
            log.info("the server's users could not be read for a joint review: %r", exc)
            if self.dialog is dialog:
                dialog.server_unreachable()

        self.tasks.run(lambda: replica.read(investigations.people_named), named,
                       lambda exc: log.warning("the people the cases name could not be read: %r", exc),
                       label="people named", owner=self, local=True)
        if not self.engine.paused and self.engine.state in (sync.LIVE, sync.CATCHING_UP):
            self.tasks.run(client.people, listed, not_listed, label="people", owner=self)
        else:
            dialog.server_unreachable()

    def ask_attach(self) -> None:
        paths, _ = QFileDialog.getOpenFileNames(self, self.tr("Attach evidence"))
        if paths:
            self.attach_files([Path(p) for p in paths])

    def attach_files(self, paths: list[Path]) -> None:
        """Ask what the files are, then keep, upload and attach each in the background."""
        if self.file is None or not paths:
            return
        self._open_dialog(dialogs.AttachDialog([p.name for p in paths], self.file.evidence, self),
                          lambda d: self.attach(paths, d.kind_code(), d.supersedes_sha()))

    def attach(self, paths: list[Path], kind: str, supersedes: str | None = None) -> None:
        """Keep each file here (hashing it), upload it when the server answers, then queue its ``attach``."""
        for path in paths:
            self._attach_one(path, kind, supersedes)
            supersedes = None  # a correction replaces one document, with the first file

    def _attach_one(self, path: Path, kind: str, supersedes: str | None) -> None:
        iid = self.investigation_id
        if iid is None:
            return
        replica, client, engine = self.replica, self.session.client, self.engine
        progress = _Progress(self)
        progress.changed.connect(lambda done, total: self._progress(path.name, done, total))
        online = not engine.paused and engine.state in (sync.LIVE, sync.CATCHING_UP)
        self.uploading += 1

        def work() -> tuple[str, bool]:
            sha, _size = replica.keep_file(path, lambda d, t: progress.changed.emit(d // 2 if online else d, t))
            if not online:
                return sha, False
            try:
                client.put_evidence(sha, replica.evidence_path(sha),
                                    lambda d, t: progress.changed.emit(t // 2 + d // 2, t))
            except Exception as exc:  # offline after all: uploaded before its attach is replayed
                log.info("upload of %s deferred: %r", sha, exc)
                return sha, False
            replica.mark_uploaded(sha)
            return sha, True

        def done(result: tuple[str, bool]) -> None:
            sha, uploaded = result
            self.uploading -= 1
            self.progress.setVisible(self.uploading > 0)
            # Attached to the case it was dropped on, even if another case is shown by now.
            data: dict[str, Any] = {"sha256": sha, "filename": path.name[:255], "kind": kind}
            if supersedes:
                data["supersedes"] = supersedes
            self.message.emit(fmt(self.tr("「%1」 uploaded") if uploaded else
                                  self.tr("「%1」 kept on this computer: it is uploaded when the server answers"),
                                  path.name))
            self._act_on(iid, "attach", data)

        def failed(exc: BaseException) -> None:
            self.uploading -= 1
            self.progress.setVisible(self.uploading > 0)
            why = str(exc) if isinstance(exc, EvidenceFileError) else repr(exc)
            self._say("⚠ " + fmt(self.tr("「%1」 cannot be attached: %2"), path.name, why))

        self.progress.setValue(0)
        self.progress.show()
        self.tasks.run(work, done, failed, label="attach evidence", owner=self)

    def _act_on(self, iid: str, action: str, data: dict[str, Any]) -> None:
        def done(refused: list[local.Refused]) -> None:
            if refused and iid == self.investigation_id:
                self._say("⚠ " + refusal_words(refused[0][1].refusal, data, self.file))
            if iid == self.investigation_id:
                self.refresh()

        self.engine.enqueue([iid], action, data, done, entity="investigation")

    def _progress(self, name: str, done: int, total: int) -> None:
        self.progress.setMaximum(max(1, total))
        self.progress.setValue(min(done, total))
        self.progress.setFormat(fmt(self.tr("%1: %p%"), name))

    def ask_report(self) -> None:
        if self.file is None:
            return
        title = str(self.file.inv.get("title") or "case")
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Case report"), f"{title[:40]}.pdf", "PDF (*.pdf)")
        if path:
            self.export_report(Path(path))

    def export_report(self, path: Path, on_done: Callable[[Path], None] | None = None) -> None:
        """Print the case report to ``path`` in the background."""
        if self.file is None:
            return
        from desktop.console.investigations import report

        html, title = report.case_report(self.file, dict(self.checks))

        def done(out: Path) -> None:
            self.message.emit(fmt(self.tr("Case report saved: %1"), str(out)))
            if on_done is not None:
                on_done(out)

        def failed(exc: BaseException) -> None:
            self._say("⚠ " + fmt(self.tr("The case report could not be saved: %1"), str(exc)))

        self.tasks.run(lambda: report.write(html, path, title), done, failed, label="case report", owner=self)

    # ------------------------------------------------------------------ drag and drop
    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802 - Qt API
        if event.mimeData().hasUrls() and self.buttons["attach"].isEnabled() \
                and all(u.isLocalFile() for u in event.mimeData().urls()):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802 - Qt API
        # Whether each is a readable file is checked as it is copied (off the UI thread).
        paths = [Path(u.toLocalFile()) for u in event.mimeData().urls() if u.isLocalFile()]
        if paths:
            event.acceptProposedAction()
            self.attach_files(paths)


def refusal_words(refusal: Refusal, data: dict[str, Any], file: CaseFile | None = None) -> str:
    """Why the shared rules refused an action, in the console's language and without codes.

    The rules write every refusal in Chinese and in English; the English names stages and gate
    items by their codes, so a refused step is said here in words from ``labels``.
    """
    from desktop import i18n

    if i18n.is_chinese():
        return labels.refusal_text(refusal)
    if refusal.code == "GATE_UNMET" and refusal.missing:
        return fmt(translate("CaseFile", "The case cannot move into “%1”: missing %2"),
                   labels.stage(str(data.get("to"))), ", ".join(labels.gate_item(m) for m in refusal.missing))
    if refusal.code == "STAGE_ORDER" and data.get("to") and file is not None and file.targets:
        return fmt(translate("CaseFile", "The case cannot move from “%1” to “%2”: it may move only to %3"),
                   labels.stage(str(file.inv.get("stage"))), labels.stage(str(data["to"])),
                   ", ".join(f"“{labels.stage(t)}”" for t in file.targets))
    if refusal.code == "STAGE_ORDER" and data.get("to"):
        return fmt(translate("CaseFile", "The case cannot move to “%1” now: stages are taken one at a time, in "
                                         "order, never back"), labels.stage(str(data["to"])))
    return labels.refusal_text(refusal)
