"""The power catalogue: browse thousands of items with their nodes, limits, fees and risk points;
import a spreadsheet through a dry run whose every problem is a row of a table; export.

Importing is two steps, as with ``yingyan admin catalogue import``: the file is read and
checked (every problem with its row, column and reason; the server's dry run says what would
be new or changed), and only a clean report enables *Import*, which stores one new catalogue
version. Cases already accepted keep the version they were accepted under.
"""

from __future__ import annotations

import time
from html import escape
from pathlib import Path
from typing import Any

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QSplitter,
    QTableView,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from desktop.admin import catalogue_import
from desktop.admin.catalogue_import import ImportReport
from desktop.admin.client import AdminApi
from desktop.admin.views import CatalogueRow, catalogue_rows, departments
from desktop.common.tasks import BackgroundTasks
from desktop.console.admin.common import AdminTab, button_row
from desktop.console.admin.models import ROW_ROLE, CatalogueModel, CatalogueProxy, kind_name
from desktop.console.labels import QT_TRANSLATE_NOOP, fmt
from desktop.console.records import Column, RecordTableModel, record_table
from shared.catalogue_io import write_catalogue

#: A problem's reason (``shared.catalogue_io.Reason.key``) in words the console translates.
REASONS = {
    "not_number": QT_TRANSLATE_NOOP("AdminImport", "%1 is not a number"),
    "date_not_number": QT_TRANSLATE_NOOP("AdminImport", "holds a date (%1), not a number"),
    "not_whole": QT_TRANSLATE_NOOP("AdminImport", "%1 is not a whole number"),
    "not_pair": QT_TRANSLATE_NOOP("AdminImport", "“%1” is not a pair of steps (write review/approve; accept/decide)"),
    "wrong_type": QT_TRANSLATE_NOOP("AdminImport", "%1: import .xlsx, .xls, .ods, .csv or .json files"),
    "bad_workbook": QT_TRANSLATE_NOOP("AdminImport", "%1 is not a readable workbook (damaged, or not a spreadsheet)"),
    "too_many_rows": QT_TRANSLATE_NOOP("AdminImport", "more than %1 rows"),
    "not_text": QT_TRANSLATE_NOOP("AdminImport", "the CSV file is not text (UTF-8 or GB18030)"),
    "nul": QT_TRANSLATE_NOOP("AdminImport", "the CSV file is not text (it contains NUL characters)"),
    "bad_csv": QT_TRANSLATE_NOOP("AdminImport", "the CSV is malformed: %1"),
    "cannot_read": QT_TRANSLATE_NOOP("AdminImport", "cannot read %1: %2"),
    "too_large": QT_TRANSLATE_NOOP("AdminImport", "%1 is larger than %2 MiB"),
    "empty_file": QT_TRANSLATE_NOOP("AdminImport", "%1 is empty"),
    "bad_json": QT_TRANSLATE_NOOP("AdminImport", "not valid JSON: %1"),
    "json_shape": QT_TRANSLATE_NOOP("AdminImport", "JSON must be {\"items\": [power items]} or a list of them"),
    "code_twice": QT_TRANSLATE_NOOP("AdminImport", "code %1 is already used at row %2"),
    "unknown_column": QT_TRANSLATE_NOOP("AdminImport", "unknown column; the columns are %1"),
    "no_header": QT_TRANSLATE_NOOP("AdminImport", "the sheet is empty: no header row"),
    "column_twice": QT_TRANSLATE_NOOP("AdminImport", "the column %1 appears twice (also %2)"),
    "missing_column": QT_TRANSLATE_NOOP("AdminImport", "the sheet has no %1 column"),
    "cell_error": QT_TRANSLATE_NOOP("AdminImport", "the cell holds a spreadsheet error (%1)"),
    "no_code": QT_TRANSLATE_NOOP("AdminImport", "no item code, and no item above to continue"),
    "no_items": QT_TRANSLATE_NOOP("AdminImport", "the sheet has a header but no items"),
    "empty": QT_TRANSLATE_NOOP("AdminImport", "%1 is empty"),
    "risk_needs_level": QT_TRANSLATE_NOOP("AdminImport", "a risk point needs its level (1–3)"),
    "risk_needs_point": QT_TRANSLATE_NOOP("AdminImport", "a risk level needs the risk point it describes"),
    "node_needs_code": QT_TRANSLATE_NOOP("AdminImport", "a node needs its code"),
    "node_needs_name": QT_TRANSLATE_NOOP("AdminImport", "a node needs its name"),
    "reserved_node": QT_TRANSLATE_NOOP("AdminImport", "“%1” is reserved for acceptance and decision; give the node "
                                                      "another code"),
    "node_twice": QT_TRANSLATE_NOOP("AdminImport", "node code %1 is already used on row %2"),
    "same_step": QT_TRANSLATE_NOOP("AdminImport", "names the step %1 twice"),
    "scattered": QT_TRANSLATE_NOOP("AdminImport", "item %1 already had rows %2–%3: keep an item's rows together (or "
                                                  "is this another item with a copied code?)"),
    "differs": QT_TRANSLATE_NOOP("AdminImport", "“%1” differs from “%2” on row %3 of the same item"),
    "committed_exceeds": QT_TRANSLATE_NOOP("AdminImport", "the committed limit (%1) exceeds the legal limit (%2)"),
    "unknown_step": QT_TRANSLATE_NOOP("AdminImport", "“%1” is not a node of this item (nor accept/decide)"),
    "at_most": QT_TRANSLATE_NOOP("AdminImport", "must be at most %1"),
    "at_least": QT_TRANSLATE_NOOP("AdminImport", "must be at least %1"),
    "bad_code": QT_TRANSLATE_NOOP("AdminImport", "a code has only letters, digits, “.”, “_” and “-”"),
    "one_of": QT_TRANSLATE_NOOP("AdminImport", "must be one of the kinds: licensing, penalty, levy, confirmation, "
                                               "inspection, other"),
    "too_long": QT_TRANSLATE_NOOP("AdminImport", "longer than %1 characters"),
    "empty_text": QT_TRANSLATE_NOOP("AdminImport", "is empty"),
    "too_many": QT_TRANSLATE_NOOP("AdminImport", "more than %1 entries"),
    "missing": QT_TRANSLATE_NOOP("AdminImport", "is missing"),
    "unknown_field": QT_TRANSLATE_NOOP("AdminImport", "is not a field of a power item"),
    "not_text_value": QT_TRANSLATE_NOOP("AdminImport", "must be text"),
}


def problem_text(message: str) -> str:
    """A problem's reason in the interface's language (the English sentence if this console does not know it)."""
    from PySide6.QtCore import QCoreApplication

    template = REASONS.get(getattr(message, "key", ""))
    if template is None:
        return str(message)
    return fmt(QCoreApplication.translate("AdminImport", template), *getattr(message, "args", ()))


PROBLEM_COLUMNS = [
    Column(QT_TRANSLATE_NOOP("AdminImport", "Row"), lambda p: p["row"], key=lambda p: p["row_key"], numeric=True),
    Column(QT_TRANSLATE_NOOP("AdminImport", "Column"), lambda p: p["column"]),
    Column(QT_TRANSLATE_NOOP("AdminImport", "Item"), lambda p: p["code"]),
    Column(QT_TRANSLATE_NOOP("AdminImport", "Problem"), lambda p: p["message"]),
]


class ImportDialog(QDialog):
    """The dry run's report: what would change, or every problem as a row; *Import* only when clean."""

    import_requested = Signal()

    def __init__(self, report: ImportReport, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("import_dialog")
        self.report = report
        self.setWindowTitle(fmt(self.tr("Import %1"), Path(report.file).name))
        self.resize(1100, 640)
        layout = QVBoxLayout(self)
        self.summary = QLabel(self)
        self.summary.setObjectName("import_summary")
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)
        self.problems = RecordTableModel(PROBLEM_COLUMNS, "AdminImport", self)
        self.problems.set_records([{"row": "" if p.row is None else p.row, "row_key": p.row or 0,
                                    "column": p.column or "", "code": p.code or "", "message": problem_text(p.message),
                                    "problem": p}
                                   for p in report.problems])
        self.table = record_table(self.problems, self, name="problems_table")
        self.table.setWordWrap(True)
        self.table.setVisible(bool(report.problems))
        layout.addWidget(self.table, 1)
        self.progress = QProgressBar(self)
        self.progress.setRange(0, 0)
        self.progress.hide()
        layout.addWidget(self.progress)
        self.buttons = QDialogButtonBox(self)
        self.import_button = self.buttons.addButton(self.tr("Import"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.import_button.setObjectName("import_button")
        self.buttons.addButton(QDialogButtonBox.StandardButton.Close)
        self.import_button.setEnabled(report.ok)
        self.import_button.clicked.connect(self._import)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self._describe()
        self.table.resizeColumnsToContents()

    def _describe(self) -> None:
        r = self.report
        if r.problems:
            text = fmt(self.tr("%1 problems in %2. Nothing will change until the file is fixed: each row below "
                               "says where (row and column of the sheet) and why."), len(r.problems),
                       Path(r.file).name)
            self.summary.setStyleSheet("color: #f85149; font-weight: 600;")
        elif r.check is not None:
            c = r.check
            text = fmt(self.tr("%1 items checked: %2 new, %3 changed, %4 unchanged. Importing makes catalogue "
                               "version %5; cases already accepted keep the version they were accepted under."),
                       c.items, len(c.added), len(c.changed), c.unchanged, c.version + 1)
            self.summary.setStyleSheet("color: #3fb950; font-weight: 600;")
        else:
            text = self.tr("The file holds no items.")
        self.summary.setText(text)

    def _import(self) -> None:
        self.import_button.setEnabled(False)
        self.progress.show()
        self.import_requested.emit()

    def finished_import(self, text: str, ok: bool) -> None:
        self.progress.hide()
        self.summary.setText(text)
        self.summary.setStyleSheet("color: #3fb950; font-weight: 600;" if ok else "color: #f85149;")
        if not ok:
            self.import_button.setEnabled(self.report.ok)


class CatalogueTab(AdminTab):
    """Items in force, filtered as one types; the selected item's procedure beside them."""

    #: (done, total) while reading a file on a worker
    progress = Signal(int, int)

    def __init__(self, api: AdminApi, tasks: BackgroundTasks, parent: QWidget | None = None) -> None:
        super().__init__(api, tasks, parent)
        self.version = 0
        self.items: list[dict[str, Any]] = []
        self.dialog: ImportDialog | None = None
        self.model = CatalogueModel(self)
        self.proxy = CatalogueProxy(self)
        self.proxy.setSourceModel(self.model)
        self.filter = QLineEdit(self)
        self.filter.setObjectName("catalogue_filter")
        self.filter.setClearButtonEnabled(True)
        self.filter.setPlaceholderText(self.tr("Filter: code, name, department, node or risk point"))
        self.department = QComboBox(self)
        self.department.setObjectName("catalogue_department")
        self.department.setMinimumContentsLength(18)
        self.count = QLabel(self)
        self.count.setObjectName("catalogue_count")
        self.import_button = QPushButton(self.tr("Import a file…"), self)
        self.export_button = QPushButton(self.tr("Export…"), self)
        self.reload_button = QPushButton(self.tr("Reload"), self)
        self.reading = QProgressBar(self)
        self.reading.setObjectName("catalogue_progress")
        self.reading.setMaximumWidth(220)
        self.reading.hide()
        self.table = QTableView(self)
        self.table.setObjectName("catalogue_table")
        self.table.setModel(self.proxy)
        # The server sends the items in code order: no sorting until a header is clicked (sorting
        # 7,000 rows through the proxy at every keystroke of the filter would cost more than filtering).
        self.table.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.table.setSortingEnabled(True)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(24)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.detail = QTextBrowser(self)
        self.detail.setObjectName("catalogue_detail")
        split = QSplitter(Qt.Orientation.Horizontal, self)
        split.addWidget(self.table)
        split.addWidget(self.detail)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        top = QHBoxLayout()
        top.addWidget(self.filter, 2)
        top.addWidget(self.department, 1)
        top.addWidget(self.count)
        top.addWidget(self.reading)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(button_row(self, self.import_button, self.export_button, self.reload_button))
        layout.addWidget(split, 1)
        layout.addWidget(self.status)
        self.filter.textChanged.connect(lambda _t: self.apply_filter())
        self.department.currentIndexChanged.connect(lambda _i: self.apply_filter())
        self.table.selectionModel().currentRowChanged.connect(self._show_item)
        self.import_button.clicked.connect(self._choose_import)
        self.export_button.clicked.connect(self._choose_export)
        self.reload_button.clicked.connect(self.refresh)
        self.progress.connect(self._progress)

    # ---- browsing ----------------------------------------------------------------------------
    def refresh(self) -> None:
        def work() -> tuple[int, list[dict[str, Any]], list[CatalogueRow]]:
            version, items = self.api.catalogue()
            return version, items, catalogue_rows(items)

        self.call(work, self.show_catalogue, label="catalogue")

    def show_catalogue(self, result: tuple[int, list[dict[str, Any]], list[CatalogueRow]]) -> None:
        self.version, self.items, rows = result
        chosen = self.department.currentData()
        self.model.set_rows(rows)
        self.department.blockSignals(True)
        self.department.clear()
        self.department.addItem(self.tr("All departments"), "")
        for code, name in departments(rows):
            self.department.addItem(f"{name} ({code})" if name else code, code)
        index = self.department.findData(chosen) if chosen else 0
        self.department.setCurrentIndex(max(0, index))
        self.department.blockSignals(False)
        self.apply_filter(rows_changed=True)
        if not getattr(self, "_sized", False) and rows:
            # Size the columns from the first rows only: measuring 7,000 rows takes longer than the rest.
            self._sized = True
            header = self.table.horizontalHeader()
            for c, width in enumerate((120, 260, 200, 80, 70, 80, 80, 60)):
                header.resizeSection(c, width)

    def apply_filter(self, *, rows_changed: bool = False) -> None:
        self.proxy.set_filter(self.filter.text(), str(self.department.currentData() or ""), rows_changed=rows_changed)
        self.count.setText(fmt(self.tr("%1 of %2 items · catalogue version %3"), self.proxy.rowCount(),
                               self.model.rowCount(), self.version))

    def _show_item(self, current: QModelIndex, _previous: QModelIndex) -> None:
        row = self.proxy.data(current, ROW_ROLE) if current.isValid() else None
        self.detail.setHtml(self.item_html(row.item) if isinstance(row, CatalogueRow) else "")

    def item_html(self, item: dict[str, Any]) -> str:
        e = escape

        def line(label: str, value: Any) -> str:
            return f"<tr><td style='color:#8b949e; padding-right:12px'>{e(label)}</td><td>{e(str(value))}</td></tr>"

        committed = item.get("committed_days")
        parts = [f"<h3>{e(str(item.get('name')))} <span style='color:#8b949e'>{e(str(item.get('code')))}</span></h3>",
                 "<table>",
                 line(self.tr("Department"), f"{item.get('department_name') or ''} ({item.get('department')})"),
                 line(self.tr("Kind"), kind_name(str(item.get("kind", "other")))),
                 line(self.tr("Legal limit"), fmt(self.tr("%1 working days"), item.get("legal_days"))),
                 line(self.tr("Committed limit"), fmt(self.tr("%1 working days"), committed) if committed else "—"),
                 line(self.tr("Acceptance within"), fmt(self.tr("%1 working days"), item.get("acceptance_days", 5))),
                 line(self.tr("Fee at most"), f"{int(item.get('fee_fen') or 0) / 100:,.2f} "
                      + self.tr("yuan") if item.get("fee_fen") else self.tr("free")),
                 line(self.tr("Legal basis"), item.get("legal_basis") or "—"),
                 "</table>"]
        nodes = item.get("nodes") or []
        if nodes:
            procedure = self.tr("Procedure")
            parts.append(f"<h4>{e(procedure)}</h4><table cellspacing='0' cellpadding='3'>")
            parts.append("<tr style='color:#8b949e'>" + "".join(
                f"<td>{e(h)}</td>" for h in (self.tr("Node"), self.tr("Days"), self.tr("Post"),
                                            self.tr("Risk point"))) + "</tr>")
            for n in nodes:
                risk = n.get("risk")
                risk_text = ""
                if risk:
                    colour = {3: "#f85149", 2: "#d29922"}.get(int(risk.get("level", 1)), "#8b949e")
                    level = fmt(self.tr("level %1"), risk.get("level"))
                    risk_text = (f"<span style='color:{colour}'>{e(level)}"
                                 f"</span> {e(str(risk.get('point')))}"
                                 + (f" — {e(str(risk.get('measure')))}" if risk.get("measure") else ""))
                parts.append(f"<tr><td>{e(str(n.get('name')))} <span style='color:#8b949e'>"
                             f"{e(str(n.get('code')))}</span></td><td>{e(str(n.get('days') or '—'))}</td>"
                             f"<td>{e(str(n.get('post') or ''))}</td><td>{risk_text}</td></tr>")
            parts.append("</table>")
        duties = item.get("separate_duties") or []
        if duties:
            pairs = "; ".join(f"{a} / {b}" for a, b in duties)
            apart = self.tr("Done by different people")
            parts.append(f"<p><b>{e(apart)}:</b> {e(pairs)}</p>")
        return "".join(parts)

    # ---- importing ---------------------------------------------------------------------------
    def _choose_import(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, self.tr("Import a catalogue"), "",
                                              self.tr("Catalogue files (*.xlsx *.xls *.ods *.csv *.json)"))
        if path:
            self.import_file(path)

    def _progress(self, done: int, total: int) -> None:
        self.reading.setRange(0, total or 0)
        self.reading.setValue(min(done, total) if total else 0)

    def import_file(self, path: str) -> None:
        """Read and check ``path`` on a worker; the report opens as a dialog."""
        api = self.api
        self.reading.setRange(0, 0)
        self.reading.show()
        self.say(fmt(self.tr("Reading and checking %1…"), Path(path).name))

        def work() -> ImportReport:
            return catalogue_import.check_file(api, path, progress=lambda d, t: self.progress.emit(d, t))

        def done(report: ImportReport) -> None:
            self.reading.hide()
            self.say(fmt(self.tr("%1: %2 problems"), Path(path).name, len(report.problems)) if report.problems
                     else fmt(self.tr("%1: ready to import"), Path(path).name), error=bool(report.problems))
            self.show_report(report)

        self.call(work, done, label="check catalogue", failed=lambda _e: self.reading.hide())

    def show_report(self, report: ImportReport) -> ImportDialog:
        dialog = ImportDialog(report, self)
        dialog.import_requested.connect(lambda: self._store(dialog))
        self.dialog = dialog
        dialog.open()
        return dialog

    def _store(self, dialog: ImportDialog) -> None:
        api = self.api
        started = time.monotonic()

        def done(result: dict[str, Any]) -> None:
            text = fmt(self.tr("Imported %1 items as catalogue version %2 in %3 s"), result["items"],
                       result["version"], f"{time.monotonic() - started:.1f}")
            dialog.finished_import(text, True)
            self.say(text)
            self.changed.emit()
            self.refresh()

        self.call(lambda: catalogue_import.store(api, dialog.report), done, label="import catalogue",
                  failed=lambda exc: dialog.finished_import(self.status.text(), False))

    # ---- exporting ---------------------------------------------------------------------------
    def _choose_export(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Export the catalogue"), "catalogue.xlsx",
                                              self.tr("Workbook (*.xlsx);;CSV (*.csv);;JSON (*.json)"))
        if path:
            self.export_file(path)

    def export_file(self, path: str) -> None:
        items = list(self.items)

        def work() -> int:
            write_catalogue(items, path)
            return len(items)

        self.call(work, lambda n: self.say(fmt(self.tr("Wrote %1 items to %2"), n, path)), label="export catalogue")
