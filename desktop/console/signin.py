"""Sign-in: user name and password for a token, kept in the OS keyring.

The request runs in the background; the dialog stays responsive and says why a sign-in
failed (wrong password, rate limited, server unreachable, certificate not accepted).

Signing in again after the server refused a token (``again=True``) keeps the user name: the
open session, its replica and its queued actions belong to that user.

The server's refusals are in English; ``explain`` says the known ones (expired or revoked
token, wrong password, too many attempts, no answer, certificate) in the interface's language
and keeps the server's own words as the detail (a tooltip).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QWidget

from desktop.common import credentials
from desktop.common.api import ApiClient, ApiError, Unreachable
from desktop.common.tasks import BackgroundTasks
from desktop.console.labels import fmt

translate = QCoreApplication.translate


def explain(exc: BaseException) -> tuple[str, str]:
    """Why the server refused (or did not answer): (what to show, the server's own words)."""
    if isinstance(exc, Unreachable):
        return translate("SignIn", "The server cannot be reached. Check the network connection and try again."), \
            str(exc)
    if not isinstance(exc, ApiError):
        return str(exc), ""
    detail = exc.message
    if exc.code == "TOKEN_EXPIRED":
        text = translate("SignIn", "Your sign-in has expired.")
    elif exc.status == 401 and exc.code == "BAD_CREDENTIALS":
        text = translate("SignIn", "The user name or password is wrong.")
    elif exc.status == 401:
        text = translate("SignIn", "The server no longer accepts your sign-in: it was revoked, or the account "
                                   "was disabled.")
    elif exc.code == "RATE_LIMITED" or exc.status == 429:
        text = fmt(translate("SignIn", "Too many failed attempts. Try again in %1 s."), int(exc.retry_after)) \
            if exc.retry_after else translate("SignIn", "Too many failed attempts. Try again later.")
    elif exc.code in ("TLS_UNTRUSTED", "TLS_CA_FILE"):
        text = translate("SignIn", "The server's certificate was not accepted (check the CA file in the "
                                   "configuration).")
    elif exc.status >= 500:
        text = fmt(translate("SignIn", "The server has a problem (%1); trying again."), exc.status)
    else:
        text = fmt(translate("SignIn", "The server refused: %1"), exc.message)
        detail = f"{exc.status} {exc.code}"
    return text, detail


class SignInDialog(QDialog):
    #: the login answer (token, role, username, …) once signed in
    signed_in = Signal(dict)

    def __init__(self, client: ApiClient, tasks: BackgroundTasks, *, username: str = "", reason: str = "",
                 detail: str = "", again: bool = False, parent: QWidget | None = None) -> None:
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
        self.error.setObjectName("signin_error")
        self.error.setStyleSheet("color: #ff7b72")
        self.error.setWordWrap(True)
        self.error.setTextFormat(Qt.TextFormat.PlainText)
        # the server's own words behind ``error`` (the tooltip)
        self.error.setToolTip(detail)
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
            self._say(self.tr("Enter your user name and password"))
            return
        self.buttons.setEnabled(False)
        self._say(self.tr("Signing in…"))
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

    def _say(self, text: str, detail: str = "") -> None:
        self.error.setText(text)
        self.error.setToolTip(detail)

    def _failed(self, exc: BaseException) -> None:
        self.buttons.setEnabled(True)
        self._say(*explain(exc))
