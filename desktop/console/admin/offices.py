"""Offices: the tree of city → county → township centres, adding one, issuing its sync token.

A token is shown once, in a dialog that copies it or saves it to a file only its owner can
read; the server keeps only its hash. Issuing a new token stops the old one at once.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from desktop.admin.client import AdminApi
from desktop.admin.secrets import write_secret_file
from desktop.admin.views import OfficeNode, office_tree
from desktop.common.tasks import BackgroundTasks
from desktop.console.admin.common import AdminTab, button_row, confirm
from desktop.console.admin.models import OfficeTreeModel, office_kind_name
from desktop.console.labels import fmt
from shared.admin import OfficeToken


class OfficeDialog(QDialog):
    def __init__(self, parents: list[tuple[str, str]], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("office_dialog")
        self.setWindowTitle(self.tr("Add an office"))
        form = QFormLayout(self)
        self.code = QLineEdit(self)
        self.code.setObjectName("code")
        self.code.setPlaceholderText("T01")
        self.name = QLineEdit(self)
        self.name.setObjectName("name")
        self.kind = QComboBox(self)
        self.kind.setObjectName("kind")
        for code in ("township", "department", "centre"):
            self.kind.addItem(office_kind_name(code), code)
        self.parent_office = QComboBox(self)
        self.parent_office.setObjectName("parent")
        self.parent_office.addItem(self.tr("(none)"), None)
        for code, name in parents:
            self.parent_office.addItem(f"{name} ({code})", code)
        form.addRow(self.tr("Code"), self.code)
        form.addRow(self.tr("Name"), self.name)
        form.addRow(self.tr("Kind"), self.kind)
        form.addRow(self.tr("Above it"), self.parent_office)
        self.problem = QLabel(self)
        self.problem.setStyleSheet("color: #f85149;")
        form.addRow(self.problem)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.accepted.connect(self._check)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def _check(self) -> None:
        if not self.code.text().strip() or not self.name.text().strip():
            self.problem.setText(self.tr("Give the office's code and name."))
        else:
            self.accept()


class TokenDialog(QDialog):
    """The office's token, shown this once."""

    def __init__(self, token: OfficeToken, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("token_dialog")
        self.token = token
        self.setWindowTitle(fmt(self.tr("Sync token of office %1"), token.code))
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(self.tr("Give this token to the office's sync agent (yingyan sync login). It is "
                                        "shown only now: the server keeps only its fingerprint."), self))
        self.field = QLineEdit(token.token, self)
        self.field.setObjectName("token")
        self.field.setReadOnly(True)
        self.field.selectAll()
        layout.addWidget(self.field)
        self.saved = QLabel(self)
        layout.addWidget(self.saved)
        copy = QPushButton(self.tr("Copy"), self)
        save = QPushButton(self.tr("Save to a file…"), self)
        copy.clicked.connect(lambda: QGuiApplication.clipboard().setText(token.token))
        save.clicked.connect(self._save)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        buttons.accepted.connect(self.accept)
        layout.addLayout(button_row(self, copy, save))
        layout.addWidget(buttons)

    def _save(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Save the token"), f"{self.token.code}.token")
        if path:
            self.save_to(path)

    def save_to(self, path: str) -> None:
        write_secret_file(path, self.token.token)
        self.saved.setText(fmt(self.tr("Saved to %1 (readable only by you)"), path))


class OfficesTab(AdminTab):
    def __init__(self, api: AdminApi, tasks: BackgroundTasks, parent: QWidget | None = None) -> None:
        super().__init__(api, tasks, parent)
        self.offices: list[dict[str, object]] = []
        self.dialog: QDialog | None = None
        self.model = OfficeTreeModel(self)
        self.tree = QTreeView(self)
        self.tree.setObjectName("offices_tree")
        self.tree.setModel(self.model)
        self.tree.setUniformRowHeights(True)
        self.add_button = QPushButton(self.tr("Add an office…"), self)
        self.token_button = QPushButton(self.tr("Issue a new token…"), self)
        self.add_button.clicked.connect(self.open_add)
        self.token_button.clicked.connect(self.ask_token)
        layout = QVBoxLayout(self)
        layout.addLayout(button_row(self, self.add_button, self.token_button))
        layout.addWidget(self.tree, 1)
        layout.addWidget(self.status)
        self.tree.selectionModel().currentChanged.connect(lambda *_: self._selection_changed())
        self._selection_changed()

    def refresh(self) -> None:
        self.call(self.api.offices, self._show, label="offices")

    def _show(self, offices: list[dict[str, object]]) -> None:
        self.offices = offices
        self.model.set_roots(office_tree(offices))
        self.tree.expandAll()
        for c in range(self.model.columnCount()):
            self.tree.resizeColumnToContents(c)
        self.say(fmt(self.tr("%1 offices"), len(offices)))
        self._selection_changed()

    def selected(self) -> OfficeNode | None:
        return self.model.node(self.tree.currentIndex())

    def select(self, code: str) -> bool:
        def walk(parent: object) -> bool:
            from PySide6.QtCore import QModelIndex

            assert isinstance(parent, QModelIndex)
            for row in range(self.model.rowCount(parent)):
                index = self.model.index(row, 0, parent)
                node = self.model.node(index)
                if node is not None and node.code == code:
                    self.tree.setCurrentIndex(index)
                    return True
                if walk(index):
                    return True
            return False

        from PySide6.QtCore import QModelIndex

        return walk(QModelIndex())

    def _selection_changed(self) -> None:
        self.token_button.setEnabled(self.selected() is not None)

    def open_add(self) -> OfficeDialog:
        parents = [(str(o["code"]), str(o["name"])) for o in self.offices if o.get("kind") != "township"]
        dialog = OfficeDialog(parents, self)
        api = self.api

        def send() -> None:
            code, name = dialog.code.text().strip(), dialog.name.text().strip()
            kind, parent = dialog.kind.currentData(), dialog.parent_office.currentData()
            self.call(lambda: api.add_office(code=code, name=name, kind=kind, parent=parent),
                      self._token_issued, label="add office")

        dialog.accepted.connect(send)
        self.dialog = dialog
        dialog.open()
        return dialog

    def ask_token(self) -> None:
        node = self.selected()
        if node is None:
            return
        confirm(self, self.tr("Issue a new token"),
                fmt(self.tr("Issue a new sync token for %1 (%2)? The office's current token stops working at once."),
                    node.name, node.code),
                lambda: self.issue_token(node.code))

    def issue_token(self, code: str) -> None:
        self.call(lambda: self.api.office_token(code), self._token_issued, label="office token")

    def _token_issued(self, token: OfficeToken) -> None:
        self.say(fmt(self.tr("Office %1: a new token is shown once"), token.code))
        self.changed.emit()
        dialog = TokenDialog(token, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.dialog = dialog
        dialog.open()
        code = token.code

        def shown(offices: list[dict[str, object]]) -> None:
            self._show(offices)
            self.select(code)

        self.call(self.api.offices, shown, label="offices")
