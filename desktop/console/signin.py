"""Sign-in: user name and password for a token, kept in the OS keyring.

The request runs in the background; the dialog stays responsive and says why a sign-in
failed (wrong password, rate limited, server unreachable, certificate not accepted).

Signing in again after the server refused a token (``again=True``) keeps the user name: the
open session, its replica and its queued actions belong to that user.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QWidget

from desktop.common import credentials
from desktop.common.api import ApiClient, ApiError, Unreachable
from desktop.common.tasks import BackgroundTasks
from desktop.console.labels import fmt


class SignInDialog(QDialog):
    #: the login answer (token, role, username, …) once signed in
    signed_in = Signal(dict)

    def __init__(self, client: ApiClient, tasks: BackgroundTasks, *, username: str = "", reason: str = "",
                 again: bool = False, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.client = client
        self.tasks = tasks
        self.result_info: dict[str, Any] | None = None
        self.again = again and bool(username)
        self.setWindowTitle(self.tr("Sign in again") if self.again else self.tr("Sign in to Yingyan"))
        self.setMinimumWidth(420)
        form = QFormLayout(self)
        server = QLabel(client.server_url, self)
        server.setToolTip(self.tr("From the configuration (command line, environment, console.toml or the installer)"))
        form.addRow(self.tr("Server"), server)
        self.user = QLineEdit(username, self)
        self.user.setObjectName("username")
        self.user.setReadOnly(self.again)
        self.password = QLineEdit(self)
        self.password.setObjectName("password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        form.addRow(self.tr("User name"), self.user)
        form.addRow(self.tr("Password"), self.password)
        self.error = QLabel(reason, self)
        self.error.setStyleSheet("color: #ff7b72")
        self.error.setWordWrap(True)
        form.addRow(self.error)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Sign in"))
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        form.addRow(self.buttons)
        (self.password if username else self.user).setFocus()

    def submit(self) -> None:
        user = self.user.text().strip()
        password = self.password.text()
        if not user or not password:
            self.error.setText(self.tr("Enter your user name and password"))
            return
        self.buttons.setEnabled(False)
        self.error.setText(self.tr("Signing in…"))
        client = self.client

        def work() -> dict[str, Any]:
            info = client.login(user, password)
            credentials.save_token(client.server_url, str(info.get("username") or user), str(info["token"]))
            return info

        self.tasks.run(work, self._done, self._failed, label="sign in", owner=self)

    def _done(self, info: dict[str, Any]) -> None:
        self.result_info = info
        self.password.clear()
        self.signed_in.emit(info)
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        self.buttons.setEnabled(True)
        if isinstance(exc, ApiError):
            self.error.setText(exc.message)
        elif isinstance(exc, Unreachable):
            self.error.setText(fmt(self.tr("The server cannot be reached: %1"), str(exc)))
        else:
            self.error.setText(str(exc))
