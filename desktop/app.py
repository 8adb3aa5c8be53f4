"""``desktop.app.run(config)``: starts the supervision console (called by ``yingyan console``).

Start-up never waits for the network: with a token in the OS keyring the window opens at
once on the local replica (the last state seen, usable offline) and the change feed catches
up in the background. Without a token the sign-in dialog asks for the user name and
password. When the server refuses the token later (expired, revoked — also the one kept
from the last start) the window itself asks the same user to sign in again, keeping its
replica and outbox (``ConsoleWindow.sign_in_again``).
"""

from __future__ import annotations

import logging
import os
import sys
from typing import Any

from PySide6.QtCore import QCoreApplication, QSettings, Qt
from PySide6.QtGui import QGuiApplication, QIcon
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox

from desktop import i18n
from desktop.common import credentials
from desktop.common.api import ApiClient
from desktop.common.tasks import BackgroundTasks
from desktop.config import ConsoleConfig
from desktop.console.labels import fmt

log = logging.getLogger(__name__)
ICON = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "resources", "icons", "yingyan.png")


def make_app(argv: list[str] | None = None) -> QApplication:
    """The QApplication with the console's names, language, theme and high-DPI behaviour."""
    from desktop.console import theme

    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        app = existing
    else:
        # Qt 6 scales for high DPI by itself; pass fractional factors through (150 % screens).
        QGuiApplication.setHighDpiScaleFactorRoundingPolicy(Qt.HighDpiScaleFactorRoundingPolicy.PassThrough)
        app = QApplication(argv if argv is not None else sys.argv[:1])
    QCoreApplication.setOrganizationName("Yingyan")
    QCoreApplication.setApplicationName("console")
    app.setApplicationDisplayName("鹰眼 Yingyan")
    if os.path.exists(ICON):
        app.setWindowIcon(QIcon(ICON))
    settings = QSettings()
    i18n.install(app, os.environ.get("YINGYAN_LANG") or str(settings.value("ui/language", "") or "") or None)
    theme.apply(app, bool(settings.value("ui/dark", True, type=bool)))
    return app


def run(config: ConsoleConfig) -> int:
    """Run the console until its window closes; returns the exit code."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    app = make_app()
    url = config.server_url.value
    if not url:
        QMessageBox.critical(None, QCoreApplication.translate("App", "Yingyan"), fmt(QCoreApplication.translate(
            "App", "No server is configured. Start with --server https://host:8443, set YINGYAN_SERVER_URL, or "
                   "write server_url in %1."), str(config.config_file)))
        return 2
    try:
        client = ApiClient(url, config.ca_file.value)
    except ValueError as exc:
        QMessageBox.critical(None, QCoreApplication.translate("App", "Yingyan"), str(exc))
        return 2
    tasks = BackgroundTasks(app)
    controller = Controller(app, client, tasks)
    if not controller.start():
        return 1
    code = app.exec()
    controller.shutdown()
    BackgroundTasks.shutdown_all(5000)
    return int(code)


class Controller:
    """Signs in (unless a token is kept), then opens the session and its window."""

    def __init__(self, app: QApplication, client: ApiClient, tasks: BackgroundTasks) -> None:
        self.app = app
        self.client = client
        self.tasks = tasks
        self.window: Any = None
        self.session: Any = None
        #: the sign-in dialog shown after signing out (while it is open)
        self.signin_dialog: Any = None

    def start(self) -> bool:
        settings = QSettings()
        user = str(settings.value("session/user", "") or "")
        token = credentials.load_token(self.client.server_url, user) if user else None
        if token:
            self.client.token = token
            self.open(user, str(settings.value("session/role", "") or ""))
            return True
        info = self.sign_in(user)
        if info is None:
            return False
        self.open(str(info.get("username") or user), str(info.get("role") or ""))
        return True

    def sign_in(self, user: str) -> dict[str, Any] | None:
        from desktop.console.signin import SignInDialog

        dialog = SignInDialog(self.client, self.tasks, username=user)
        if dialog.exec() != QDialog.DialogCode.Accepted or dialog.result_info is None:
            return None
        info = dialog.result_info
        settings = QSettings()
        settings.setValue("session/user", info.get("username"))
        settings.setValue("session/role", info.get("role"))
        return info

    def open(self, user: str, role: str) -> None:
        from desktop.console.session import open_session
        from desktop.console.window import ConsoleWindow

        self.session = open_session(self.client, user, role=role, tasks=self.tasks, parent=self.app)
        self.window = ConsoleWindow(self.session)
        self.window.sign_out_requested.connect(self.sign_out)
        self.window.show()
        self.session.engine.start()

    def sign_out(self) -> None:
        """End this user's session here: the server revokes the token, the keyring forgets it, the
        window closes and the sign-in dialog asks who comes next (their replica and outbox stay on
        disk, for when they sign in again). Cancelling it quits."""
        from desktop.console.signin import SignInDialog

        window, session = self.window, self.session
        self.window = self.session = None
        user, url, client = session.username, self.client.server_url, self.client
        # The window goes first (its signals die with it: the revoked token's 401s ask no one).
        window.close()
        window.deleteLater()
        session.engine.stop()

        def revoke() -> None:
            try:
                client.logout()
            except Exception as exc:
                log.info("could not revoke the token on the server: %r", exc)
            credentials.forget_token(url, user)

        def ask(_result: object = None) -> None:
            session.shutdown()
            QSettings().remove("session/role")
            dialog = SignInDialog(self.client, self.tasks, username=user)
            self.signin_dialog = dialog
            dialog.signed_in.connect(lambda info: self._signed_in(info, user))
            dialog.rejected.connect(self.app.quit)
            dialog.open()

        self.tasks.run(revoke, ask, ask, label="sign out")

    def _signed_in(self, info: dict[str, Any], previous: str) -> None:
        settings = QSettings()
        settings.setValue("session/user", info.get("username"))
        settings.setValue("session/role", info.get("role"))
        self.signin_dialog = None
        self.open(str(info.get("username") or previous), str(info.get("role") or ""))

    def shutdown(self) -> None:
        if self.session is not None:
            self.session.shutdown()
