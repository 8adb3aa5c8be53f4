"""The investigations pane: the cases by stage (filter, "mine") beside the case file of the one chosen.

The list is read from the replica in the background (``investigations.investigation_list``)
whenever the filter changes or the change feed, an answer from the server or a local action
changes a case; the case file follows the selection. For an investigator, the evidence files
of their cases are fetched in the background as cases arrive, so the case file opens — and
its evidence is verified — with the server out of reach.
"""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import QItemSelectionModel, Qt, QTimer, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from desktop.console import labels
from desktop.console.investigations.casefile import CaseFileView, when
from desktop.console.labels import QT_TRANSLATE_NOOP, fmt
from desktop.console.records import RECORD_ROLE, Column, RecordTableModel, record_table
from desktop.replica import investigations
from shared.actions.investigation import STAGES

log = logging.getLogger(__name__)


def _mark(r: dict[str, Any]) -> str:
    if r.get("conflict"):
        return "⚠"
    if r.get("pending"):
        return "⟳"
    return ""


def _phase(r: dict[str, Any]) -> str:
    return labels.stage(str(r.get("phase")))


LIST_COLUMNS = (
    Column(QT_TRANSLATE_NOOP("Investigations", "Case"), lambda r: f"{_mark(r)} {r.get('title') or ''}".strip()),
    Column(QT_TRANSLATE_NOOP("Investigations", "Subject"), lambda r: r.get("subject_name") or ""),
    Column(QT_TRANSLATE_NOOP("Investigations", "Unit"), lambda r: r.get("subject_unit") or ""),
    Column(QT_TRANSLATE_NOOP("Investigations", "Stage"), _phase,
           key=lambda r: (STAGES.index(r["phase"]) if r.get("phase") in STAGES else 9),
           roles={Qt.ItemDataRole.ForegroundRole: lambda r: QBrush(QColor("#8b949e"))
                  if r.get("status") != "open" else None}),
    Column(QT_TRANSLATE_NOOP("Investigations", "Investigators"), lambda r: r.get("investigators") or ""),
    Column(QT_TRANSLATE_NOOP("Investigations", "Evidence"), lambda r: r.get("evidence_count") or 0, numeric=True),
    Column(QT_TRANSLATE_NOOP("Investigations", "Last change"), lambda r: when(r.get("updated_at")),
           key=lambda r: r.get("updated_at") or ""),
)

#: the list's stage filter: every case, each stage (open cases at it), the two endings
PHASES = ("", *STAGES, "concluded", "closed")


class InvestigationsPane(QWidget):
    """The list of cases and the case file of the chosen one."""

    #: the list was read again and shown (tests and benchmarks wait on it)
    listed = Signal()

    def __init__(self, session: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("InvestigationsPane")
        self.session = session
        self.replica = session.replica
        self.tasks = session.tasks
        self._gen = 0
        self._fetching = False
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        bar = QHBoxLayout()
        self.phase = QComboBox(self)
        self.phase.setObjectName("phase_filter")
        self.phase.addItem(self.tr("All stages"), "")
        for p in PHASES[1:]:
            self.phase.addItem(labels.stage(p), p)
        self.filter = QLineEdit(self)
        self.filter.setObjectName("case_filter")
        self.filter.setClearButtonEnabled(True)
        self.filter.setPlaceholderText(self.tr("Filter: case, subject, unit, investigator"))
        self.filter.setMaxLength(200)
        self.mine = QCheckBox(self.tr("Mine"), self)
        self.mine.setObjectName("mine")
        self.mine.setToolTip(self.tr("Only the cases I am assigned to or asked to review"))
        self.mine.setChecked(session.role == "investigator")
        self.count = QLabel(self)
        bar.addWidget(QLabel(self.tr("Stage"), self))
        bar.addWidget(self.phase)
        bar.addWidget(self.filter, 1)
        bar.addWidget(self.mine)
        bar.addWidget(self.count)
        layout.addLayout(bar)
        split = QSplitter(Qt.Orientation.Horizontal, self)
        self.model = RecordTableModel(LIST_COLUMNS, "Investigations", self)
        self.table = record_table(self.model, split, name="investigations_table", order=None, single=True)
        self.proxy = self.table.model()
        self.casefile = CaseFileView(session, split)
        split.addWidget(self.table)
        split.addWidget(self.casefile)
        split.setStretchFactor(0, 2)
        split.setStretchFactor(1, 3)
        # The list wide enough for a case's title, subject, unit and stage; the rest for the file.
        split.setSizes([620, 1000])
        self._sized = False
        layout.addWidget(split, 1)
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(150)
        self._debounce.timeout.connect(self.reload)
        self.phase.currentIndexChanged.connect(lambda _i: self.reload())
        self.mine.toggled.connect(lambda _c: self.reload())
        self.filter.textChanged.connect(lambda _t: self._debounce.start())
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._selected())
        self.reload()

    # ------------------------------------------------------------------ the list
    def reload(self) -> None:
        """Read the list again (in the background) with the filter as it stands."""
        self._gen += 1
        gen = self._gen
        phase = str(self.phase.currentData() or "") or None
        text = self.filter.text()
        mine = self.session.username if self.mine.isChecked() else None
        replica = self.replica

        def done(rows: list[dict[str, Any]]) -> None:
            if gen == self._gen:
                self._show(rows)

        self.tasks.run(lambda: replica.read(investigations.investigation_list, phase=phase, text=text, mine=mine),
                       done, label="investigations", owner=self)

    def _show(self, rows: list[dict[str, Any]]) -> None:
        current = self.casefile.investigation_id
        self.model.set_records(rows)
        if rows and not self._sized:
            # Once, from the first rows (Qt samples a bounded number of them, however many there are).
            self._sized = True
            self.table.resizeColumnsToContents()
            for col in range(self.model.columnCount()):
                self.table.setColumnWidth(col, min(self.table.columnWidth(col), 320))
        self.count.setText(fmt(self.tr("%1 cases"), len(rows)))
        if current is not None:
            self.select(current, open_it=False)
        self.listed.emit()

    def ids(self) -> list[str]:
        """The cases in the order shown."""
        out = []
        for row in range(self.proxy.rowCount()):
            rec = self.proxy.index(row, 0).data(RECORD_ROLE)
            out.append(str(rec["id"]))
        return out

    def select(self, investigation_id: str, *, open_it: bool = True) -> bool:
        for row, rec in enumerate(self.model.records()):
            if rec["id"] == investigation_id:
                index = self.proxy.mapFromSource(self.model.index(row, 0))  # type: ignore[attr-defined]
                self.table.selectionModel().setCurrentIndex(
                    index, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows)
                if open_it:
                    self.casefile.open_case(investigation_id)
                return True
        if open_it:
            self.casefile.open_case(investigation_id)
        return False

    def _selected(self) -> None:
        index = self.table.currentIndex()
        rec = index.data(RECORD_ROLE) if index.isValid() else None
        if rec is not None and rec["id"] != self.casefile.investigation_id:
            self.casefile.open_case(str(rec["id"]))

    # ------------------------------------------------------------------ following the replica
    def cases_changed(self) -> None:
        """Cases changed (the feed, an answer, a local action): the list and the case file follow."""
        self.reload()
        self.casefile.refresh()
        if self.session.role == "investigator":
            self.fetch_evidence()

    def fetch_evidence(self) -> None:
        """Keep the evidence files of my cases on this computer (for working offline)."""
        if self._fetching or self.session.engine.paused:
            return
        self._fetching = True
        replica, client = self.replica, self.session.client

        def work() -> int:
            n = 0
            for sha in replica.read(investigations.evidence_to_fetch, 50):
                replica.keep_fetched(sha, client.get_evidence(sha))
                n += 1
            return n

        def done(n: int) -> None:
            self._fetching = False
            if n:
                self.casefile.refresh()

        def failed(exc: BaseException) -> None:
            self._fetching = False
            log.info("evidence not fetched: %r", exc)

        self.tasks.run(work, done, failed, label="fetch evidence", owner=self)
