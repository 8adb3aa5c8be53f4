"""The investigations pane: the cases by stage (filter, "mine") beside the case file of the one chosen.

The list is read from the replica in the background (``investigations.investigation_list``)
whenever the filter changes or the change feed, an answer from the server or a local action
changes a case, newest change first, a page of ``PAGE`` cases at a time (the next page when
the list is scrolled to its end): with 100,000 cases the first rows paint at once, and how
many the filter matches is counted beside it. A column header sorts the whole list, not the
rows loaded: the replica is read again in that order (``investigations.ORDERS``, then the last
change and the id) and its first page shown; a third click on the header returns to newest
change first. The case file follows the selection. For an investigator, the evidence files
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

from desktop.common.tasks import BACKGROUND
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
           roles={Qt.ItemDataRole.ForegroundRole: lambda r: QBrush(QColor("#8b949e"))
                  if r.get("status") != "open" else None}),
    Column(QT_TRANSLATE_NOOP("Investigations", "Investigators"), lambda r: r.get("investigators") or ""),
    Column(QT_TRANSLATE_NOOP("Investigations", "Evidence"), lambda r: r.get("evidence_count") or 0, numeric=True),
    Column(QT_TRANSLATE_NOOP("Investigations", "Last change"), lambda r: when(r.get("updated_at"))),
)
#: the replica's order (a key of ``investigations.ORDERS``) each column's header asks for
COLUMN_ORDERS = ("title", "subject_name", "subject_unit", "stage", "investigators", "evidence_count", "updated_at")

#: the list's stage filter: every case, each stage (open cases at it), the two endings
PHASES = ("", *STAGES, "concluded", "closed")
#: cases read per page of the list
PAGE = 500


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
        self._count_gen = 0
        self._fetching = False
        #: the list's order: (a key of ``investigations.ORDERS``, descending)
        self.order: tuple[str, bool] = investigations.DEFAULT_ORDER
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
        self.count.setObjectName("case_count")
        bar.addWidget(QLabel(self.tr("Stage"), self))
        bar.addWidget(self.phase)
        bar.addWidget(self.filter, 1)
        bar.addWidget(self.mine)
        bar.addWidget(self.count)
        layout.addLayout(bar)
        split = QSplitter(Qt.Orientation.Horizontal, self)
        self.model = RecordTableModel(LIST_COLUMNS, "Investigations", self)
        # Sorted where it is read: the replica's order (newest change first) until a header is clicked.
        self.table = record_table(self.model, split, name="investigations_table", single=True,
                                  sorted_by=self.sort_by)
        self.proxy = self.table.model()
        self.table.verticalScrollBar().valueChanged.connect(self._scrolled)
        #: how many cases the filter matches (None while it is counted)
        self.total: int | None = None
        self._more = False
        self._paging = False
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
    def _filter(self) -> dict[str, Any]:
        return {"phase": str(self.phase.currentData() or "") or None, "text": self.filter.text(),
                "mine": self.session.username if self.mine.isChecked() else None}

    def _order(self) -> dict[str, Any]:
        return {"order": self.order[0], "descending": self.order[1]}

    def sort_by(self, column: int, order: Qt.SortOrder) -> None:
        """A header was clicked: read the list's first page again in its order (-1, or a column
        without an order: newest change first, and no indicator)."""
        key = COLUMN_ORDERS[column] if 0 <= column < len(COLUMN_ORDERS) else None
        if key in investigations.ORDERS:
            wanted = (str(key), order == Qt.SortOrder.DescendingOrder)
        else:
            wanted = investigations.DEFAULT_ORDER
            header = self.table.horizontalHeader()
            if header.sortIndicatorSection() != -1:
                header.blockSignals(True)
                header.setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
                header.blockSignals(False)
        if wanted != self.order:
            self.order = wanted
            # The same cases in another order: how many match stands.
            self.reload(recount=False)

    def reload(self, *, keep: bool = False, recount: bool = True) -> None:
        """Read the list's first page again (in the background) with the filter and order as they stand; then count.

        ``keep``: the same filter with cases changed (the feed): as many rows as are loaded are
        read again and the list stays where it was scrolled. ``recount``: False when only the
        order changed.
        """
        self._gen += 1
        gen = self._gen
        flt = self._filter()
        order = self._order()
        replica = self.replica
        limit = max(PAGE, self.model.rowCount()) if keep else PAGE

        def done(rows: list[dict[str, Any]]) -> None:
            if gen == self._gen:
                self._show(rows, keep=keep)

        self.tasks.run(lambda: replica.read(investigations.investigation_list, limit=limit, **flt, **order),
                       done, label="investigations", owner=self, local=True)
        if not recount:
            return
        # Counted apart from the list: an order changed meanwhile reads the list again, not the count.
        self._count_gen += 1
        counting = self._count_gen
        self.total = None

        def counted(n: int) -> None:
            if counting == self._count_gen:
                self.total = n
                self._show_count()

        self.tasks.run(lambda: replica.read(investigations.investigation_count, **flt), counted,
                       label="count investigations", owner=self, priority=BACKGROUND, local=True)

    def _show(self, rows: list[dict[str, Any]], *, keep: bool = False) -> None:
        current = self.casefile.investigation_id
        # A new list starts at its top: the old scroll position must not read a page on its own.
        self._more = False
        scrolled = self.table.verticalScrollBar().value()
        self.model.set_records(rows)
        if keep:
            self.table.verticalScrollBar().setValue(scrolled)
        else:
            self.table.scrollToTop()
        self._more = len(rows) >= PAGE and len(rows) % PAGE == 0
        if rows and not self._sized:
            # Once, from the first rows (Qt samples a bounded number of them, however many there are).
            self._sized = True
            self.table.resizeColumnsToContents()
            for col in range(self.model.columnCount()):
                self.table.setColumnWidth(col, min(self.table.columnWidth(col), 320))
        self._show_count()
        if current is not None:
            self.select(current, open_it=False)
        self.listed.emit()

    def _show_count(self) -> None:
        shown = self.model.rowCount()
        if self.total is None or self.total == shown:
            self.count.setText(fmt(self.tr("%1 cases"), shown if self.total is None or not self._more else
                                   f"{shown}+"))
        else:
            self.count.setText(fmt(self.tr("%1 of %2 cases"), shown, self.total))

    def _scrolled(self, value: int) -> None:
        bar = self.table.verticalScrollBar()
        if self._more and not self._paging and value >= bar.maximum() - 5:
            self.fetch_more()

    def fetch_more(self) -> None:
        """Read the next page of the list (scrolled to its end)."""
        if not self._more or self._paging:
            return
        self._paging = True
        gen, flt, order, offset, replica = self._gen, self._filter(), self._order(), self.model.rowCount(), self.replica

        def done(rows: list[dict[str, Any]]) -> None:
            self._paging = False
            if gen != self._gen:
                return
            self._more = len(rows) >= PAGE
            self.model.append_records(rows)
            self._show_count()
            self.listed.emit()

        def failed(exc: BaseException) -> None:
            self._paging = False
            log.warning("the next page of cases could not be read: %r", exc)

        self.tasks.run(lambda: replica.read(investigations.investigation_list, limit=PAGE, offset=offset, **flt,
                                            **order),
                       done, failed, label="investigations page", owner=self, local=True)

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
        self.reload(keep=True)
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
