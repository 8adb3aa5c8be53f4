"""The console's main window: alert wall in the centre, case review, conflicts, video and help around it.

Panes are dock widgets the operator arranges across screens; the arrangement, the wall's
columns and the alarm's mute switch are remembered (QSettings). The status bar always says
whether the console is live, catching up or offline, and since when. Statistics and the big
screen open on demand; the video wall is imported only when first shown, so a workstation
without libvlc still runs everything else.

When the server refuses the token (expired, revoked) the window stays as it is: a banner
across the top says so and opens the sign-in dialog for the same user; the operator may
also dismiss the dialog and keep working on the replica (actions wait in the outbox). After
signing in the change feed goes on from where it stopped and the outbox is replayed. The
sync engine holds the one signed-out state: a 401 to a case or an alert's history is handed
to it (``SyncEngine.check_token``), so it is the same banner and at most one dialog.
Closing the window stops the video wall's players (``VideoWall.shutdown``) before the
native windows they draw into go away.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from html import escape
from typing import Any

from PySide6.QtCore import QByteArray, QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence, QTextOption
from PySide6.QtWidgets import (
    QApplication,
    QDockWidget,
    QFrame,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QMessageBox,
    QPushButton,
    QTabWidget,
    QTextBrowser,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from desktop import i18n
from desktop.common.docks import keep_docks_usable
from desktop.console.admin import hooks as admin_hooks
from desktop.console.admin.common import role_name
from desktop.console.alarm import Alarm
from desktop.console.case_pane import CasePane
from desktop.console.conflicts import ConflictsPane
from desktop.console.desk import hooks as desk_hooks
from desktop.console.investigations import hooks as investigation_hooks
from desktop.console.labels import QT_TRANSLATE_NOOP, fmt
from desktop.console.oversight import hooks as oversight_hooks
from desktop.console.session import Session
from desktop.console.wall import AlertWall
from desktop.replica import queries, sync
from desktop.replica.feed import ApplyResult
from desktop.replica.outbox import OutboxResult
from shared.actions.alert import SUBJECTS_BY_ROLE
from shared.timeutil import CHINA_TZ

log = logging.getLogger(__name__)

SHORTCUTS = (
    ("A", QT_TRANSLATE_NOOP("ConsoleWindow", "Acknowledge the selected alerts")),
    ("E", QT_TRANSLATE_NOOP("ConsoleWindow", "Escalate (a yellow signal becomes red)")),
    ("D", QT_TRANSLATE_NOOP("ConsoleWindow", "Dismiss with a reason")),
    ("G", QT_TRANSLATE_NOOP("ConsoleWindow", "Assign to a person")),
    ("C", QT_TRANSLATE_NOOP("ConsoleWindow", "Comment")),
    ("P", QT_TRANSLATE_NOOP("ConsoleWindow", "Promote to an investigation case")),
    ("Enter", QT_TRANSLATE_NOOP("ConsoleWindow", "Open the case of the current alert")),
    ("M", QT_TRANSLATE_NOOP("ConsoleWindow", "Mute or unmute the alarm")),
    ("Ctrl+F", QT_TRANSLATE_NOOP("ConsoleWindow", "Search the wall")),
    ("Ctrl+1", QT_TRANSLATE_NOOP("ConsoleWindow", "Alert wall")),
    ("Ctrl+2", QT_TRANSLATE_NOOP("ConsoleWindow", "Statistics")),
    ("Ctrl+3", QT_TRANSLATE_NOOP("ConsoleWindow", "Case review")),
    ("Ctrl+4", QT_TRANSLATE_NOOP("ConsoleWindow", "Video wall")),
    ("F11", QT_TRANSLATE_NOOP("ConsoleWindow", "Big screen (press Esc to leave)")),
    ("Ctrl+Shift+O", QT_TRANSLATE_NOOP("ConsoleWindow", "Work offline / go back online")),
    ("F1", QT_TRANSLATE_NOOP("ConsoleWindow", "This list")),
    ("Ctrl+Q", QT_TRANSLATE_NOOP("ConsoleWindow", "Quit (File → Sign out lets another user sign in)")),
)


def _sentences(*parts: str) -> str:
    """Sentences one after another: a space after an English full stop, none after a Chinese one."""
    out = ""
    for part in parts:
        out += part if not out or out.endswith(("。", "！", "？")) else " " + part
    return out


#: roles the server lets read the evaluation and the risk index
FIGURE_READERS = frozenset({"admin", "leader", "operator"})


class ConsoleWindow(QMainWindow):
    """Everything a monitoring-centre operator works with, over one ``Session``."""

    #: signed in again after the token was refused (the login answer, without the token)
    signed_in_again = Signal(dict)
    #: the operator chose File → Sign out (and confirmed it): the application signs them out
    sign_out_requested = Signal()

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.setObjectName("ConsoleWindow")
        self.setWindowTitle(fmt(self.tr("Yingyan supervision console — %1"), session.username))
        self.setDockNestingEnabled(True)
        self.alarm = Alarm(self)
        self.wall = AlertWall(session.replica, session.tasks, session.engine.enqueue, alarm=self.alarm,
                              user=session.username, role=session.role, history=session.client.alert,
                              people=session.client.people, parent=self)
        self.case_pane = CasePane(session.replica, session.tasks, session.client, self)
        self.conflicts = ConflictsPane(session.replica, session.tasks, self,
                                       server_offset=lambda: session.engine.server_offset)
        #: the status bar's request to decide conflicts, cleared once none is left
        self._conflict_message = ""
        #: the question asked before quitting or signing out with changes not yet sent (while open)
        self.pending_question: QMessageBox | None = None
        self.video: Any = None
        #: why the video wall could not be loaded (libvlc missing or broken): not retried
        self.video_error: str | None = None
        self.stats: Any = None
        self.bigscreen: Any = None
        self.tabs = QTabWidget(self)
        self.tabs.setDocumentMode(True)
        self.tabs.addTab(self.wall, self.tr("Alert wall"))
        self.signin_dialog: Any = None
        self._build_signin_banner()
        central = QWidget(self)
        column = QVBoxLayout(central)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        column.addWidget(self.signin_banner)
        column.addWidget(self.tabs, 1)
        self.setCentralWidget(central)
        right = Qt.DockWidgetArea.RightDockWidgetArea
        # Narrower than this, the case pane's header and timeline wrap a word per line.
        self.case_pane.setMinimumWidth(360)
        self.case_dock = self._dock("case", self.tr("Case review"), self.case_pane, right)
        self.conflicts_dock = self._dock("conflicts", self.tr("Outbox and conflicts"), self.conflicts,
                                         Qt.DockWidgetArea.BottomDockWidgetArea)
        self.video_dock = self._dock("video", self.tr("Video wall"), QLabel(self.tr("Loading the video wall…")),
                                     Qt.DockWidgetArea.RightDockWidgetArea)
        self.video_dock.hide()
        self.help = QTextBrowser(self)
        self.help.setHtml(self._help_html())
        self._fit_help()
        self.help_dock = self._dock("help", self.tr("Keyboard shortcuts"), self.help,
                                    Qt.DockWidgetArea.LeftDockWidgetArea)
        self.help_dock.hide()
        # The outbox pane appears when something needs a decision (and from the View menu).
        self.conflicts_dock.hide()
        self.tabifyDockWidget(self.case_dock, self.video_dock)
        self.case_dock.raise_()
        self._build_status_bar()
        self._build_actions()
        self._connect()
        self._restore()
        # Administration (admins) and the holiday notice (admins, operators) live in their own package.
        admin_hooks.attach(self)
        # Cards, notices, annotations and the leader's overview live in their own package, and
        # so do the petition desk (petition officers) and investigations (the roles that read them).
        oversight_hooks.attach(self)
        desk_hooks.attach(self)
        investigation_hooks.attach(self)

    # ------------------------------------------------------------------ building
    def _dock(self, name: str, title: str, widget: QWidget, area: Qt.DockWidgetArea) -> QDockWidget:
        dock = QDockWidget(title, self)
        dock.setObjectName(f"dock_{name}")
        dock.setWidget(widget)
        self.addDockWidget(area, dock)
        return dock

    def _build_signin_banner(self) -> None:
        self.signin_banner = QFrame(self)
        self.signin_banner.setObjectName("signin_banner")
        self.signin_banner.setStyleSheet(
            "#signin_banner { background: #5a1d1d; border-bottom: 1px solid #f85149; }"
            " #signin_banner QLabel { color: #ffdcd7; }")
        row = QHBoxLayout(self.signin_banner)
        row.setContentsMargins(12, 6, 12, 6)
        self.signin_label = QLabel(self.signin_banner)
        self.signin_label.setObjectName("signin_message")
        self.signin_label.setWordWrap(True)
        self.signin_label.setTextFormat(Qt.TextFormat.PlainText)
        self.signin_button = QPushButton(self.tr("Sign in again…"), self.signin_banner)
        self.signin_button.setObjectName("signin_again")
        self.signin_button.clicked.connect(lambda: self.sign_in_again())
        row.addWidget(self.signin_label, 1)
        row.addWidget(self.signin_button)
        self.signin_banner.hide()

    def _build_status_bar(self) -> None:
        bar = self.statusBar()
        self.conn_label = QLabel(self)
        self.conn_label.setObjectName("connection")
        self.conn_label.setTextFormat(Qt.TextFormat.RichText)
        self.outbox_label = QLabel(self)
        self.outbox_label.setObjectName("outbox")
        self.user_label = QLabel(self._who(), self)
        bar.addPermanentWidget(self.outbox_label)
        bar.addPermanentWidget(self.user_label)
        bar.addWidget(self.conn_label)
        self._clock = QTimer(self)
        self._clock.setInterval(1000)
        self._clock.timeout.connect(self._show_connection)
        self._clock.start()
        self._show_connection()
        self._show_outbox()

    def _build_actions(self) -> None:
        tb = QToolBar(self.tr("Triage"), self)
        tb.setObjectName("toolbar_triage")
        tb.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        for act in self.wall.actions_for_toolbar:
            tb.addAction(act)
        tb.addSeparator()
        self.act_offline = QAction(self.tr("Work offline"), self)
        self.act_offline.setCheckable(True)
        self.act_offline.setShortcut(QKeySequence("Ctrl+Shift+O"))
        self.act_offline.toggled.connect(self.session.engine.set_paused)
        tb.addAction(self.act_offline)
        self.act_big = QAction(self.tr("Big screen"), self)
        self.act_big.setShortcut(QKeySequence("F11"))
        self.act_big.triggered.connect(self.show_bigscreen)
        tb.addAction(self.act_big)
        self.addToolBar(tb)
        menu = self.menuBar()
        filem = menu.addMenu(self.tr("&File"))
        self.act_sign_out = QAction(self.tr("Sign out…"), self)
        self.act_sign_out.setObjectName("sign_out")
        self.act_sign_out.triggered.connect(self.sign_out)
        filem.addAction(self.act_sign_out)
        filem.addSeparator()
        self.act_quit = QAction(self.tr("Quit"), self)
        self.act_quit.setObjectName("quit")
        self.act_quit.setShortcut(QKeySequence.StandardKey.Quit)
        self.act_quit.setMenuRole(QAction.MenuRole.QuitRole)
        self.act_quit.triggered.connect(self.quit)
        filem.addAction(self.act_quit)
        self.addAction(self.act_quit)
        view = menu.addMenu(self.tr("&View"))
        for key, title, slot in (
            ("Ctrl+1", self.tr("Alert wall"), lambda: self.tabs.setCurrentWidget(self.wall)),
            ("Ctrl+2", self.tr("Statistics"), self.show_stats),
            ("Ctrl+3", self.tr("Case review"), lambda: self._raise(self.case_dock)),
            ("Ctrl+4", self.tr("Video wall"), self.show_video),
        ):
            act = QAction(title, self)
            act.setShortcut(QKeySequence(key))
            act.triggered.connect(slot)
            view.addAction(act)
            self.addAction(act)
        view.addSeparator()
        view.addAction(self.conflicts_dock.toggleViewAction())
        view.addAction(self.act_big)
        view.addSeparator()
        lang = view.addMenu(self.tr("Language (applies at next start)"))
        for code, name in (("zh_CN", "中文"), ("en", "English")):
            act = QAction(name, self)
            act.setCheckable(True)
            act.setChecked(i18n.language().startswith(code[:2]))
            act.triggered.connect(lambda _c=False, c=code: QSettings().setValue("ui/language", c))
            lang.addAction(act)
        self.act_dark = QAction(self.tr("Dark theme"), self)
        self.act_dark.setCheckable(True)
        self.act_dark.setChecked(bool(QSettings().value("ui/dark", True, type=bool)))
        self.act_dark.toggled.connect(self._set_dark)
        view.addAction(self.act_dark)
        helpm = menu.addMenu(self.tr("&Help"))
        act_help = QAction(self.tr("Keyboard shortcuts"), self)
        act_help.setShortcut(QKeySequence("F1"))
        act_help.triggered.connect(lambda: self._raise(self.help_dock))
        helpm.addAction(act_help)
        self.addAction(act_help)

    def _connect(self) -> None:
        engine = self.session.engine
        engine.state_changed.connect(lambda *_: self._show_connection())
        engine.applied.connect(self.on_applied)
        engine.local_changed.connect(self.on_local_changed)
        engine.outbox_changed.connect(self._outbox_changed)
        engine.replayed.connect(self.on_replayed)
        engine.auth_failed.connect(self._token_refused)
        engine.resolve_refused.connect(self._resolve_refused)
        # A 401 elsewhere: the engine checks the token at once instead of at its next poll.
        self.case_pane.unauthorized.connect(engine.check_token)
        self.wall.unauthorized.connect(engine.check_token)
        self.wall.open_case.connect(self.open_case)
        self.wall.message.connect(lambda m: self.statusBar().showMessage(m, 8000))
        self.case_pane.message.connect(lambda m: self.statusBar().showMessage(m, 8000))
        self.case_pane.show_camera.connect(self.show_camera)
        self.conflicts.resolve.connect(lambda mid, retry: engine.resolve(mid, retry=retry))
        self.conflicts.show_alert.connect(self._show_alert)
        self.conflicts.reloaded.connect(self._show_outbox)

    # ------------------------------------------------------------------ sync events
    def on_applied(self, result: ApplyResult) -> None:
        if "office" in result.entities:
            self.wall.model.offices_changed()
            self.wall.reload_offices()
        if "power_item" in result.entities:
            # Node names come from the catalogue.
            self.wall.model.names_changed()
        elif result.cases:
            # ... through the case's item: an alert that came before its case gets its node's name now.
            self.wall.model.cases_arrived(result.cases)
        if result.snapshot_finished:
            self.wall.model.reload()
        elif result.alert_ids:
            # Catching up after a start or an outage brings old signals: they go on the wall
            # without flashing or sounding; only what arrives while live is news.
            self.wall.alerts_changed(result.alert_ids, result.new_red if result.live else [])
        if "camera" in result.entities and self.video is not None:
            self._feed_video()
        if result.alert_ids and self.video is not None:
            self._feed_video_alerts()
        if self.case_pane.detail is not None and (self.case_pane.office, self.case_pane.case_no) in result.cases:
            self.case_pane.refresh()
        if self.stats is not None:
            self.stats.mark_stale()
        if self.bigscreen is not None:
            self.bigscreen.data_changed(result.new_red if result.live else [])

    def on_local_changed(self, ids: list[int]) -> None:
        self.wall.alerts_changed(ids)

    def on_replayed(self, result: OutboxResult) -> None:
        if result.conflicts or result.rejected:
            self.conflicts_dock.show()
            self.conflicts_dock.raise_()
            self._conflict_message = fmt(
                self.tr("%1 of your changes conflict with the server and %2 were rejected: decide in Conflicts"),
                result.conflicts, result.rejected)
            self.statusBar().showMessage(self._conflict_message, 15000)

    def _outbox_changed(self) -> None:
        # The status bar follows once the pane has read the outbox (``reloaded``).
        self.conflicts.reload()

    def _show_outbox(self) -> None:
        self._show_banner()
        c = self.conflicts.counts
        text = fmt(self.tr("Outbox: %1 waiting"), c.get("pending", 0))
        attention = c.get("conflict", 0) + c.get("rejected", 0)
        if attention:
            text += " · <span style='color:#ff7b72'>" + fmt(self.tr("%1 to decide"), attention) + "</span>"
        elif self._conflict_message and self.statusBar().currentMessage() == self._conflict_message:
            # Decided: the message asking for a decision goes with the last conflict.
            self.statusBar().clearMessage()
        self.outbox_label.setText(text)

    def connection_text(self) -> str:
        engine = self.session.engine
        # On the server's clock and in China's time, as every instant on the wall is.
        since = datetime.fromtimestamp(engine.since + engine.server_offset, CHINA_TZ).strftime("%H:%M:%S")
        names = {
            sync.LIVE: ("#3fb950", self.tr("Live")),
            sync.CATCHING_UP: ("#d29922", self.tr("Catching up")),
            sync.OFFLINE: ("#f85149", self.tr("Offline")),
            sync.SIGNED_OUT: ("#f85149", self.tr("Signed out")),
        }
        colour, name = names.get(engine.state, ("#8b949e", engine.state))
        if engine.paused:
            # The operator's choice, not a fault: grey, and nothing that says "live".
            colour, name = "#8b949e", self.tr("Working offline")
        text = f"<span style='color:{colour}'>●</span> {name} " + fmt(self.tr("since %1"), since)
        if engine.paused:
            text += " · " + self.tr("your changes are kept and sent when you go back online")
        elif engine.state == sync.SIGNED_OUT:
            # The server's words are the tooltip; here, why in the interface's language.
            text += f" · <span style='color:#8b949e'>{escape(self._refusal()[0])}</span>"
        elif engine.state == sync.OFFLINE and engine.error is not None:
            from desktop.console.signin import explain

            # Why, in the interface's language; the server's or the network's words are the tooltip.
            text += f" · <span style='color:#8b949e'>{escape(explain(engine.error)[0][:80])}</span>"
        elif engine.detail and engine.state != sync.LIVE:
            text += f" · <span style='color:#8b949e'>{escape(engine.detail[:80])}</span>"
        return text

    def _show_connection(self) -> None:
        text = self.connection_text()
        if text != self.conn_label.text():
            self.conn_label.setText(text)
        engine = self.session.engine
        tip = engine.detail if engine.state != sync.LIVE else ""
        if tip != self.conn_label.toolTip():
            self.conn_label.setToolTip(tip)
        self._show_banner()

    # ------------------------------------------------------------------ signing in again
    def _refusal(self) -> tuple[str, str]:
        """Why the engine is signed out: (in the interface's language, the server's words)."""
        from desktop.console.signin import explain

        engine = self.session.engine
        if engine.refusal is not None:
            return explain(engine.refusal)
        return self.tr("The server no longer accepts your sign-in (it expired or was revoked)."), engine.detail

    def _token_refused(self, _message: str) -> None:
        """The server no longer accepts the token: say so, keep everything, ask for the password."""
        self._show_connection()
        self._forget_refused_token()
        self.sign_in_again()

    def _forget_refused_token(self) -> None:
        # Not offered again at the next start, nor to the video wall (which reads the same entry);
        # a newer token another console of this user stored meanwhile is kept.
        from desktop.common import credentials

        url, user, refused = self.session.client.server_url, self.session.username, self.session.client.token

        def work() -> None:
            if refused and credentials.load_token(url, user) == refused:
                credentials.forget_token(url, user)

        self.session.tasks.run(work, label="forget refused token", owner=self)

    def _show_banner(self) -> None:
        signed_out = self.session.signed_out
        if signed_out:
            pending = self.conflicts.counts.get("pending", 0)
            why, detail = self._refusal()
            text = _sentences(why, self.tr("Nothing is synchronised until you sign in again."),
                              fmt(self.tr("%1 of your changes are kept and will be sent then."), pending) if pending
                              else self.tr("You can keep working: your changes are kept and sent then."))
            if text != self.signin_label.text():
                self.signin_label.setText(text)
            if detail != self.signin_label.toolTip():
                self.signin_label.setToolTip(detail)
        if signed_out != self.signin_banner.isVisibleTo(self):
            self.signin_banner.setVisible(signed_out)

    def sign_in_again(self) -> None:
        """Open (or bring forward) the sign-in dialog for the session's user."""
        from desktop.console.signin import SignInDialog

        if self.signin_dialog is not None:
            self.signin_dialog.show()
            self.signin_dialog.raise_()
            self.signin_dialog.activateWindow()
            return
        reason, detail = self._refusal() if self.session.signed_out else ("", "")
        dialog = SignInDialog(self.session.client, self.session.tasks, username=self.session.username,
                              reason=reason, detail=detail, again=True, parent=self)
        dialog.setObjectName("signin_again_dialog")
        dialog.signed_in.connect(self._signed_in_again)
        dialog.finished.connect(self._signin_dialog_closed)
        self.signin_dialog = dialog
        dialog.open()

    def _signin_dialog_closed(self, _result: int) -> None:
        dialog, self.signin_dialog = self.signin_dialog, None
        if dialog is not None:
            dialog.deleteLater()

    def _who(self) -> str:
        """The status bar's user: the name and the role in words."""
        return f"{self.session.username} ({role_name(self.session.role) if self.session.role else '—'})"

    def _signed_in_again(self, info: dict[str, Any]) -> None:
        self.session.signed_in_again(info)
        self.user_label.setText(self._who())
        self.wall.set_role(self.session.role)
        self._show_connection()
        self.statusBar().showMessage(self.tr("Signed in again: synchronising and sending your changes"), 8000)
        if self.case_pane.case_no is not None:
            # A case that could not be fetched while signed out comes fresh now.
            self.case_pane.refresh()
        self.signed_in_again.emit({k: v for k, v in info.items() if k != "token"})

    def _resolve_refused(self, _mutation_id: str, _reason: str) -> None:
        # The conflicts pane offers "apply mine again" only when it can follow; this is the
        # rare case where the server's version moved on after the operator chose.
        self.conflicts_dock.show()
        self.statusBar().showMessage(
            self.tr("Your action can no longer follow the server's version of the alert; the conflict stays: "
                    "keep the server's version, or act anew on the alert"), 15000)

    # ------------------------------------------------------------------ panes
    def _raise(self, dock: QDockWidget) -> None:
        dock.show()
        dock.raise_()

    def open_case(self, office: str, case_no: str, alert_id: int = 0) -> None:
        self.case_pane.open_case(office, case_no, alert_id or None)
        self._raise(self.case_dock)

    def _show_alert(self, alert_id: int) -> None:
        self.tabs.setCurrentWidget(self.wall)
        self.wall.show_alert(alert_id)

    def show_stats(self) -> None:
        if self.stats is None:
            from desktop.console.stats import StatisticsPane

            self.stats = StatisticsPane(self.session.replica, self.session.tasks, self)
            self.tabs.addTab(self.stats, self.tr("Statistics"))
        self.tabs.setCurrentWidget(self.stats)
        self.stats.refresh()

    def ensure_video(self) -> Any:
        """The video wall, created on first use (python-vlc and libvlc are imported only then)."""
        if self.video is None:
            if self.video_error is not None:
                # Said once; the big screen's cycle asks again every 20 s.
                return None
            try:
                from desktop.video.wall import VideoWall
            except Exception as exc:  # libvlc missing or broken: everything else keeps working
                log.warning("video wall unavailable: %s", exc)
                self.video_error = str(exc)
                self.video_dock.setWidget(QLabel(fmt(self.tr("The video wall is not available: %1"), str(exc))))
                return None
            self.video = VideoWall(self.video_dock)
            self.video.operator = self.session.username
            # A snapshot taken as evidence says where it went and its hash (it was silent here).
            self.video.evidence_saved.connect(
                lambda record: self.statusBar().showMessage(self.video.evidence_message(record), 30000))
            self.video.evidence_failed.connect(lambda message: self.statusBar().showMessage(message, 15000))
            self.video_dock.setWidget(self.video)
            self._feed_video()
        return self.video

    def show_video(self) -> None:
        self._raise(self.video_dock)
        self.ensure_video()

    def show_camera(self, camera_id: str) -> None:
        self._raise(self.video_dock)
        video = self.ensure_video()
        if video is None:
            return
        try:
            video.show_camera(camera_id)
        except KeyError:
            self.statusBar().showMessage(fmt(self.tr("Camera %1 is not on the wall"), camera_id), 8000)

    def _feed_video(self) -> None:
        """Give the video wall the replica's cameras (read in the background), then the red alerts."""
        from desktop.video.model import CameraConfigError, parse_cameras

        replica = self.session.replica

        def done(data: list[dict[str, Any]]) -> None:
            if self.video is None:
                return
            try:
                cameras = parse_cameras(data)
            except CameraConfigError as exc:
                self.statusBar().showMessage(str(exc), 8000)
                return
            self.video.set_cameras(cameras)
            self._feed_video_alerts()

        self.session.tasks.run(lambda: replica.read(queries.camera_configs), done, label="cameras", owner=self,
                               local=True)

    def _feed_video_alerts(self) -> None:
        from desktop.video.model import ActiveAlert

        replica = self.session.replica

        def done(rows: list[dict[str, Any]]) -> None:
            if self.video is not None:
                self.video.set_active_alerts([ActiveAlert(id=str(r["id"]), rule=r["rule"], severity=r["severity"],
                                                          office=r["office"], case_no=r["case_no"],
                                                          message=r["message"] or "", rule_zh=r["rule_zh"],
                                                          rule_en=r["rule_en"]) for r in rows])

        self.session.tasks.run(lambda: replica.read(queries.active_red_alerts, 500), done, label="red alerts",
                               owner=self, local=True)

    def show_bigscreen(self) -> None:
        if self.bigscreen is None:
            from desktop.console.bigscreen import BigScreen

            self.bigscreen = BigScreen(self.session.replica, tasks=self.session.tasks,
                                       video_factory=self._video_for_bigscreen, figures=self._month_figures())
            self.bigscreen.closed.connect(self._bigscreen_closed)
        self.bigscreen.show_full_screen(self.screen())
        self.bigscreen.refresh()

    def _month_figures(self) -> Callable[[], Any] | None:
        """The big screen's month band, from the server, for the roles that may read it."""
        if self.session.role not in FIGURE_READERS:
            return None
        from desktop.console.bigscreen import month_figures

        client = self.session.client
        return lambda: month_figures(client.figures("evaluation", None, "office"),
                                     client.figures("risk-index", None, "office"))

    def _video_for_bigscreen(self) -> Any:
        return self.ensure_video()

    def _bigscreen_closed(self) -> None:
        # The big screen borrowed the video wall; give it back to its dock.
        if self.video is not None and self.video.parent() is not self.video_dock:
            self.video_dock.setWidget(self.video)

    # ------------------------------------------------------------------ settings
    def _set_dark(self, dark: bool) -> None:
        from desktop.console import theme

        QSettings().setValue("ui/dark", dark)
        app = QApplication.instance()
        if isinstance(app, QApplication):
            theme.apply(app, dark)
        self.case_pane.timeline_view.dark = dark
        self.case_pane.timeline_view.update()

    def _restore(self) -> None:
        s = QSettings()
        geometry = s.value("window/geometry")
        if isinstance(geometry, QByteArray):
            self.restoreGeometry(geometry)
        else:
            self.resize(1600, 900)
        state = s.value("window/state")
        if isinstance(state, QByteArray):
            self.restoreState(state)
        # A layout saved with a pane dragged to a sliver must not bring the sliver back.
        keep_docks_usable(self)
        if self.session.role and "case" not in SUBJECTS_BY_ROLE.get(self.session.role, ("case",)):
            # A petition officer or an investigator reads no approval case: no empty pane for them.
            self.case_dock.hide()
            self.case_dock.toggleViewAction().setEnabled(False)
        header = s.value("wall/header")
        if isinstance(header, QByteArray):
            hv = self.wall.table.horizontalHeader()
            hv.restoreState(header)
            # The header menu's ticks follow the restored columns.
            for col, act in enumerate(hv.actions()):
                act.blockSignals(True)
                act.setChecked(not hv.isSectionHidden(col))
                act.blockSignals(False)
        if s.value("wall/muted", False, type=bool):
            self.wall.mute_button.setChecked(True)

    def save_settings(self) -> None:
        s = QSettings()
        s.setValue("window/geometry", self.saveGeometry())
        s.setValue("window/state", self.saveState())
        s.setValue("wall/header", self.wall.table.horizontalHeader().saveState())

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt API
        self.save_settings()
        if self.bigscreen is not None:
            self.bigscreen.close()
        if self.video is not None:
            self.video.shutdown()
        super().closeEvent(event)

    def _fit_help(self) -> None:
        """The shortcuts list is as wide as its longest line: words never break mid-word."""
        self.help.setWordWrapMode(QTextOption.WrapMode.WordWrap)
        doc = self.help.document().clone(self.help)
        doc.setTextWidth(-1)  # laid out without wrapping: its width is the longest line's
        scrollbar = self.help.verticalScrollBar().sizeHint().width()
        frame = 2 * self.help.frameWidth()
        self.help.setMinimumWidth(min(640, int(doc.size().width()) + scrollbar + frame + 4))
        doc.deleteLater()

    def _help_html(self) -> str:
        rows = "".join(f"<tr><td style='padding:2px 12px'><b>{k}</b></td><td>{self.tr(t)}</td></tr>"
                       for k, t in SHORTCUTS)
        title = self.tr("Keyboard shortcuts")
        return f"<h3>{title}</h3><table>{rows}</table>"

    # ------------------------------------------------------------------ quitting and signing out
    def quit(self) -> None:
        """File → Quit: close the console (asking first when changes have not reached the server)."""

        def go() -> None:
            self.close()
            app = QApplication.instance()
            if app is not None:
                app.quit()

        self._confirm_pending(
            self.tr("%1 of your changes have not reached the server yet. They are kept on this computer and "
                    "sent at the next start. Quit anyway?"), self.tr("Quit"), go)

    def sign_out(self) -> None:
        """File → Sign out: end this user's session on this computer, so another can sign in."""
        self._confirm_pending(
            self.tr("%1 of your changes have not reached the server yet. They are kept on this computer and "
                    "sent when you sign in again. Sign out anyway?"), self.tr("Sign out"),
            self.sign_out_requested.emit)

    def _confirm_pending(self, question: str, verb: str, then: Callable[[], None]) -> None:
        pending = self.conflicts.counts.get("pending", 0)
        if not pending:
            then()
            return
        box = QMessageBox(QMessageBox.Icon.Question, self.tr("Changes not yet sent"), fmt(question, pending),
                          QMessageBox.StandardButton.Cancel, self)
        go = box.addButton(verb, QMessageBox.ButtonRole.AcceptRole)
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        # open(), not exec(): the wall keeps updating behind the question.
        box.finished.connect(lambda _r: then() if box.clickedButton() is go else None)
        self.pending_question = box
        box.open()
