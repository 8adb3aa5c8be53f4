"""Users: who may sign in, with which role and offices; add, edit, disable or enable, reset a password."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.admin.client import AdminApi
from desktop.common.tasks import BackgroundTasks
from desktop.console.admin.common import AdminTab, button_row, confirm, role_name
from desktop.console.labels import QT_TRANSLATE_NOOP, fmt
from desktop.console.records import RECORD_ROLE, Column, RecordTableModel, record_table
from shared.admin import ROLES, User

MIN_PASSWORD = 8


class UserDialog(QDialog):
    """A new user (with a password, typed twice) or an existing one's role, offices and name."""

    def __init__(self, offices: list[str], user: User | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("user_dialog")
        self.editing = user
        self.setWindowTitle(self.tr("Edit user") if user else self.tr("Add a user"))
        form = QFormLayout(self)
        self.username = QLineEdit(user.username if user else "", self)
        self.username.setObjectName("username")
        self.username.setReadOnly(user is not None)
        self.display_name = QLineEdit(user.display_name if user else "", self)
        self.display_name.setObjectName("display_name")
        self.role = QComboBox(self)
        self.role.setObjectName("role")
        for code in ROLES:
            self.role.addItem(role_name(code), code)
        self.role.setCurrentIndex(self.role.findData(user.role if user else "operator"))
        self.offices = QLineEdit(", ".join(user.offices) if user else "", self)
        self.offices.setObjectName("offices")
        self.offices.setPlaceholderText(self.tr("office codes, separated by commas"))
        self.offices.setToolTip(fmt(self.tr("Known offices: %1"), ", ".join(offices) or "—"))
        form.addRow(self.tr("User name"), self.username)
        form.addRow(self.tr("Name shown"), self.display_name)
        form.addRow(self.tr("Role"), self.role)
        form.addRow(self.tr("Offices"), self.offices)
        self.password = QLineEdit(self)
        self.password.setObjectName("password")
        self.password_again = QLineEdit(self)
        self.password_again.setObjectName("password_again")
        for field in (self.password, self.password_again):
            field.setEchoMode(QLineEdit.EchoMode.Password)
        if user is None:
            form.addRow(self.tr("Password"), self.password)
            form.addRow(self.tr("Password again"), self.password_again)
        else:
            self.password.hide()
            self.password_again.hide()
        self.problem = QLabel(self)
        self.problem.setObjectName("problem")
        self.problem.setStyleSheet("color: #f85149;")
        form.addRow(self.problem)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel,
                                        self)
        self.buttons.accepted.connect(self._check)
        self.buttons.rejected.connect(self.reject)
        form.addRow(self.buttons)

    def values(self) -> dict[str, Any]:
        offices = [o.strip() for o in self.offices.text().replace("，", ",").split(",") if o.strip()]
        return {"username": self.username.text().strip(), "display_name": self.display_name.text().strip(),
                "role": self.role.currentData(), "offices": offices, "password": self.password.text()}

    def _check(self) -> None:
        v = self.values()
        problem = ""
        if not v["username"]:
            problem = self.tr("Give a user name.")
        elif self.editing is None and len(v["password"]) < MIN_PASSWORD:
            problem = fmt(self.tr("The password needs at least %1 characters."), MIN_PASSWORD)
        elif self.editing is None and v["password"] != self.password_again.text():
            problem = self.tr("The two passwords differ.")
        self.problem.setText(problem)
        if not problem:
            self.accept()


class PasswordDialog(QDialog):
    def __init__(self, username: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("password_dialog")
        self.setWindowTitle(fmt(self.tr("New password for %1"), username))
        form = QFormLayout(self)
        self.password = QLineEdit(self)
        self.password.setObjectName("password")
        self.again = QLineEdit(self)
        self.again.setObjectName("password_again")
        for field in (self.password, self.again):
            field.setEchoMode(QLineEdit.EchoMode.Password)
        form.addRow(self.tr("New password"), self.password)
        form.addRow(self.tr("Again"), self.again)
        form.addRow(QLabel(self.tr("The user's sessions end: they sign in again with the new password."), self))
        self.problem = QLabel(self)
        self.problem.setStyleSheet("color: #f85149;")
        form.addRow(self.problem)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.accepted.connect(self._check)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def _check(self) -> None:
        if len(self.password.text()) < MIN_PASSWORD:
            self.problem.setText(fmt(self.tr("The password needs at least %1 characters."), MIN_PASSWORD))
        elif self.password.text() != self.again.text():
            self.problem.setText(self.tr("The two passwords differ."))
        else:
            self.accept()


COLUMNS = [
    Column(QT_TRANSLATE_NOOP("AdminUsers", "User name"), lambda u: u["username"]),
    Column(QT_TRANSLATE_NOOP("AdminUsers", "Name shown"), lambda u: u["display_name"]),
    Column(QT_TRANSLATE_NOOP("AdminUsers", "Role"), lambda u: role_name(u["role"])),
    Column(QT_TRANSLATE_NOOP("AdminUsers", "Offices"), lambda u: ", ".join(u["offices"])),
    Column(QT_TRANSLATE_NOOP("AdminUsers", "State"), lambda u: u["state"],
           roles={Qt.ItemDataRole.ForegroundRole: lambda u: None if not u["disabled"] else _grey()}),
]


def _grey() -> Any:
    from PySide6.QtGui import QColor

    return QColor("#8b949e")


class UsersTab(AdminTab):
    def __init__(self, api: AdminApi, tasks: BackgroundTasks, parent: QWidget | None = None) -> None:
        super().__init__(api, tasks, parent)
        self.users: list[User] = []
        self.office_codes: list[str] = []
        self.dialog: QDialog | None = None
        self.model = RecordTableModel(COLUMNS, "AdminUsers", self)
        self.table = record_table(self.model, self, name="users_table", single=True)
        self.proxy = self.table.model()
        self.add_button = QPushButton(self.tr("Add a user…"), self)
        self.edit_button = QPushButton(self.tr("Role and offices…"), self)
        self.disable_button = QPushButton(self.tr("Disable"), self)
        self.password_button = QPushButton(self.tr("Reset password…"), self)
        self.add_button.clicked.connect(self.open_add)
        self.edit_button.clicked.connect(self.open_edit)
        self.disable_button.clicked.connect(self.toggle_disabled)
        self.password_button.clicked.connect(self.open_password)
        layout = QVBoxLayout(self)
        layout.addLayout(button_row(self, self.add_button, self.edit_button, self.disable_button,
                                    self.password_button))
        layout.addWidget(self.table, 1)
        layout.addWidget(self.status)
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._selection_changed())
        self._selection_changed()

    # ---- reading -----------------------------------------------------------------------------
    def refresh(self) -> None:
        api = self.api

        def work() -> tuple[list[User], list[str]]:
            return api.users(), [o["code"] for o in api.offices()]

        self.call(work, self._show, label="users")

    def _show(self, result: tuple[list[User], list[str]]) -> None:
        self.users, self.office_codes = result
        self.model.set_records([{**u.model_dump(), "state": self.tr("disabled") if u.disabled else self.tr("active")}
                                for u in self.users])
        self.table.resizeColumnsToContents()
        self.say(fmt(self.tr("%1 users"), len(self.users)))
        self._selection_changed()

    def selected(self) -> User | None:
        index = self.table.currentIndex()
        rec = self.proxy.data(index, RECORD_ROLE) if index.isValid() else None
        return next((u for u in self.users if rec and u.username == rec["username"]), None)

    def select(self, username: str) -> bool:
        for row in range(self.proxy.rowCount()):
            rec = self.proxy.data(self.proxy.index(row, 0), RECORD_ROLE)
            if rec and rec["username"] == username:
                self.table.setCurrentIndex(self.proxy.index(row, 0))
                return True
        return False

    def _selection_changed(self) -> None:
        user = self.selected()
        for b in (self.edit_button, self.disable_button, self.password_button):
            b.setEnabled(user is not None)
        self.disable_button.setText(self.tr("Enable") if user and user.disabled else self.tr("Disable"))

    # ---- changing ----------------------------------------------------------------------------
    def open_add(self) -> UserDialog:
        dialog = UserDialog(self.office_codes, parent=self)
        dialog.accepted.connect(lambda: self._add(dialog.values()))
        self.dialog = dialog
        dialog.open()
        return dialog

    def _add(self, v: dict[str, Any]) -> None:
        api = self.api
        self.call(lambda: api.add_user(username=v["username"], password=v["password"], role=v["role"],
                                       offices=v["offices"], display_name=v["display_name"]),
                  lambda u: self._changed(fmt(self.tr("User %1 added"), u.username), u.username), label="add user")

    def open_edit(self) -> UserDialog | None:
        user = self.selected()
        if user is None:
            return None
        dialog = UserDialog(self.office_codes, user, parent=self)
        dialog.accepted.connect(lambda: self._edit(user.username, dialog.values()))
        self.dialog = dialog
        dialog.open()
        return dialog

    def _edit(self, username: str, v: dict[str, Any]) -> None:
        api = self.api
        self.call(lambda: api.update_user(username, role=v["role"], offices=v["offices"],
                                          display_name=v["display_name"]),
                  lambda u: self._changed(fmt(self.tr("User %1 changed"), u.username), u.username), label="edit user")

    def toggle_disabled(self) -> None:
        user = self.selected()
        if user is None:
            return
        api = self.api
        if user.disabled:
            self.call(lambda: api.update_user(user.username, disabled=False),
                      lambda u: self._changed(fmt(self.tr("User %1 enabled"), u.username), u.username),
                      label="enable user")
            return
        self.dialog = None
        confirm(self, self.tr("Disable user"),
                fmt(self.tr("Disable %1? They are signed out everywhere and cannot sign in until enabled again."),
                    user.username),
                lambda: self.call(lambda: api.update_user(user.username, disabled=True),
                                  lambda u: self._changed(fmt(self.tr("User %1 disabled"), u.username), u.username),
                                  label="disable user"))

    def open_password(self) -> PasswordDialog | None:
        user = self.selected()
        if user is None:
            return None
        dialog = PasswordDialog(user.username, self)
        api = self.api

        def send() -> None:
            password = dialog.password.text()
            self.call(lambda: api.reset_password(user.username, password),
                      lambda r: self._changed(fmt(self.tr("Password of %1 changed; %2 sessions ended"), r.username,
                                                  r.sessions_ended), r.username), label="reset password")

        dialog.accepted.connect(send)
        self.dialog = dialog
        dialog.open()
        return dialog

    def _changed(self, text: str, username: str) -> None:
        self.say(text)
        self.changed.emit()
        api = self.api

        def reread() -> tuple[list[User], list[str]]:
            return api.users(), self.office_codes

        def shown(result: tuple[list[User], list[str]]) -> None:
            self._show(result)
            self.select(username)
            self.say(text)

        self.call(reread, shown, label="users")
