"""The alert wall pane: filters, grouping, the paged alert table, keyboard triage, bulk actions.

Triage is keyboard first, as on a trading desk: A acknowledge, E escalate, D dismiss (asks
for a reason), G assign, C comment, P promote, Enter opens the case. Every action applies to
all selected rows, lands in the replica at once and is replayed to the server by the sync
engine. Filters and grouping are queries over the replica (``desktop.replica.queries``), run
in the background like every read: the wall draws what comes back.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from typing import Any

from PySide6.QtCore import (
    QCoreApplication,
    QItemSelectionModel,
    QModelIndex,
    QSettings,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QAction, QKeyEvent, QKeySequence, QPainter, QPaintEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSplitter,
    QTableView,
    QTextBrowser,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from desktop.common.api import ApiError
from desktop.common.tasks import BACKGROUND, BackgroundTasks
from desktop.console import evidence, labels
from desktop.console.admin.common import role_name
from desktop.console.alarm import Alarm
from desktop.console.groups import GroupModel
from desktop.console.labels import QT_TRANSLATE_NOOP, fmt
from desktop.console.wall_model import COL, COLUMNS, AlertFilter, AlertWallModel, message_text, unless_superseded
from desktop.console.wall_painter import WallPainter
from desktop.replica import queries
from desktop.replica.local import ACTIVE_STATUSES, INACTIVE_STATUSES, Refused
from desktop.replica.queries import AlertDetail, Group
from desktop.replica.store import Replica
from shared.actions import Actor, role_may
from shared.rules.common import RULES

translate = QCoreApplication.translate
log = logging.getLogger(__name__)
Enqueue = Callable[[list[int], str, dict[str, Any], Callable[[list[Refused]], None] | None], None]

STATUS_CHOICES: tuple[tuple[str, frozenset[str]], ...] = (
    (QT_TRANSLATE_NOOP("AlertWall", "Active"), frozenset(ACTIVE_STATUSES)),
    (QT_TRANSLATE_NOOP("AlertWall", "Open (not yet handled)"), frozenset({"open"})),
    (QT_TRANSLATE_NOOP("AlertWall", "Handled"), frozenset({"acknowledged", "escalated", "promoted"})),
    (QT_TRANSLATE_NOOP("AlertWall", "Closed"), frozenset(INACTIVE_STATUSES)),
    (QT_TRANSLATE_NOOP("AlertWall", "All"), frozenset()),
)


class DismissDialog(QDialog):
    """Asks why an alert is dismissed; the reason is required (spec 02 §4) and audited."""

    def __init__(self, count: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Dismiss alerts"))
        form = QFormLayout(self)
        form.addRow(QLabel(self.tr("Dismiss %n alert(s). The reason is kept in the audit log.", "", count)))
        self.reason = QComboBox(self)
        self.reason.setEditable(True)
        self.reason.addItems(["", self.tr("False positive: the records were correct"),
                              self.tr("Handled offline with the office"),
                              self.tr("Records back-filled by the office")])
        self.reason.setCurrentIndex(0)
        form.addRow(self.tr("Reason"), self.reason)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        form.addRow(self.buttons)
        self.reason.editTextChanged.connect(self._check)
        self._check()

    def _check(self) -> None:
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setEnabled(bool(self.reason.currentText().strip()))

    def text(self) -> str:
        return self.reason.currentText().strip()


class AssignDialog(QDialog):
    """Whom the selected alerts go to: one of the server's active users, offered by name.

    ``people`` is the last list the server gave (``GET /people``), or None while it has never
    answered (offline from the start): then any name is sent and the server decides. With a
    list, a name that is on it is required (empty unassigns), so a typo never reaches the outbox.
    """

    def __init__(self, count: int, people: list[dict[str, Any]] | None, current: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Assign"))
        form = QFormLayout(self)
        form.addRow(QLabel(self.tr("Assign %n alert(s) to:", "", count)))
        self.person = QComboBox(self)
        self.person.setEditable(True)
        self.person.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.person.setMinimumWidth(320)
        self.person.addItem(self.tr("(nobody: unassign)"), "")
        self.names: set[str] | None = None
        # True while the list is read from the server (the dialog says so instead of "not loaded")
        self.loading = False
        self.set_people(people)
        form.addRow(self.tr("Person"), self.person)
        self.problem = QLabel(self)
        self.problem.setObjectName("problem")
        self.problem.setWordWrap(True)
        form.addRow(self.problem)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        form.addRow(self.buttons)
        self.person.editTextChanged.connect(lambda _t: self._check())
        i = self.person.findData(current)
        self.person.setCurrentIndex(max(0, i))
        self._check()

    def set_people(self, people: list[dict[str, Any]] | None) -> None:
        """Offer these people (display name and user name); None: the list is not known."""
        if people is None:
            return
        typed = self.person.currentText()
        self.names = {str(p["username"]) for p in people}
        while self.person.count() > 1:
            self.person.removeItem(1)
        for p in sorted(people, key=lambda p: (p.get("display_name") or p["username"], p["username"])):
            shown = f"{p['display_name']} ({p['username']})" if p.get("display_name") else str(p["username"])
            self.person.addItem(f"{shown} · {role_name(str(p.get('role') or ''))}", p["username"])
        if typed:
            self.person.setEditText(typed)
        if hasattr(self, "buttons"):
            self._check()

    def username(self) -> str | None:
        """The user name chosen or typed; None to unassign."""
        text = self.person.currentText().strip()
        i = self.person.findText(text)
        if i >= 0:
            return str(self.person.itemData(i)) or None
        return text or None

    def _check(self) -> None:
        name = self.username()
        unknown = name is not None and self.names is not None and name not in self.names
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(not unknown)
        if unknown:
            self.problem.setText(fmt(self.tr("No active user is called %1."), name or ""))
        elif self.names is not None:
            self.problem.setText("")
        elif self.loading:
            self.problem.setText(self.tr("Loading the list of users…"))
        else:
            self.problem.setText(self.tr("The list of users could not be loaded; the server will check the name."))

    def people_failed(self) -> None:
        """The server could not be asked: any name may be sent, and the server decides."""
        self.loading = False
        self._check()


class CommentDialog(QDialog):
    def __init__(self, count: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Comment"))
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(self.tr("Comment on %n alert(s):", "", count)))
        self.edit = QPlainTextEdit(self)
        layout.addWidget(self.edit)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)

    def text(self) -> str:
        return self.edit.toPlainText().strip()


class AlertTable(QTableView):
    """The wall's table: dense rows, whole-row selection, SQL sorting on the indexed columns.

    Triage keys are handled here rather than as window shortcuts: single letters must act
    only while the table has the focus (never while typing in the search box), and they
    must work on a wall screen whose window the window manager never activated.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.keys: dict[int, QAction] = {}
        #: draws the rows (set once the model is); without it Qt's delegate paints cell by cell
        self.row_painter: WallPainter | None = None
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setAlternatingRowColors(False)
        self.setShowGrid(False)
        self.setWordWrap(False)
        self.setSortingEnabled(True)
        self.verticalHeader().setVisible(False)
        self.verticalHeader().setDefaultSectionSize(26)
        self.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        header = self.horizontalHeader()
        header.setSectionsMovable(True)
        header.setHighlightSections(False)
        header.setStretchLastSection(True)
        header.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt API
        if self.row_painter is None:
            super().paintEvent(event)
            return
        painter = QPainter(self.viewport())
        try:
            self.row_painter.paint(painter, event.rect())
        finally:
            painter.end()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt API
        mods = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        act = self.keys.get(event.key()) if mods == Qt.KeyboardModifier.NoModifier else None
        if act is not None and act.isEnabled():
            act.trigger()
            event.accept()
            return
        super().keyPressEvent(event)


class AlertWall(QWidget):
    """The wall. ``enqueue`` is the sync engine's; ``open_case`` asks the window to show a case."""

    #: (office, case_no, alert id) — Enter on a case alert
    open_case = Signal(str, str, int)
    #: alert id of the current row (for the detail and case panes)
    current_alert = Signal(int)
    #: alert id — Enter on an alert about a supervision notice (its reply is overdue)
    open_notice = Signal(int)
    #: a message for the status bar (refused actions and the like)
    message = Signal(str)
    #: the server answered 401 to an alert's history: the token may have been refused
    unauthorized = Signal()

    def __init__(self, replica: Replica, tasks: BackgroundTasks, enqueue: Enqueue | None, *,
                 alarm: Alarm | None = None, user: str = "", role: str | None = None,
                 history: Callable[[int], dict[str, Any]] | None = None,
                 people: Callable[[], dict[str, Any]] | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("AlertWall")
        #: reads an alert's history (actions, comments) from the server: ``ApiClient.alert``
        self.history = history
        #: reads the active users from the server (``ApiClient.people``) for the assign dialog
        self.people = people
        #: the last list of people the server gave (kept for working offline); None: never read
        self.people_known: list[dict[str, Any]] | None = None
        self._history: dict[int, list[dict[str, Any]]] = {}
        self._history_timer = QTimer(self)
        self._history_timer.setSingleShot(True)
        self._history_timer.setInterval(300)
        self._history_timer.timeout.connect(self._fetch_history)
        self.replica = replica
        self.tasks = tasks
        self.enqueue = enqueue
        self.user = user
        #: the signed-in user's role: the wall offers only the actions it may take (unknown: all of them)
        self.role = role
        self.alarm = alarm or Alarm(self)
        self.model = AlertWallModel(replica, tasks, parent=self)
        self.groups = GroupModel(self)
        self.dialog: QDialog | None = None
        self._group_key: str | None = None
        self._group_gen = 0
        self._detail_gen = 0
        #: the alert whose detail is shown (None: none)
        self.detail_id: int | None = None
        #: select this alert once the wall has reloaded (it was not among the rows)
        self._select_after_reload: int | None = None
        self._build()
        self._build_actions()
        self.model.total_changed.connect(self._show_total)
        self.model.red_arrived.connect(self._on_red)
        self.model.reloaded.connect(self._refresh_groups)
        self.model.reloaded.connect(self._reloaded)
        self.model.placed.connect(self._placed)
        self.model.rowsInserted.connect(self._show_total)
        self._refresh_groups()

    # ------------------------------------------------------------------ layout
    def _build(self) -> None:
        outer = QVBoxLayout(self)
        outer.setContentsMargins(4, 4, 4, 4)
        outer.setSpacing(4)
        bar = QHBoxLayout()
        bar.setSpacing(6)
        self.red_button = self._toggle(self.tr("Red"), "#ff4d4f")
        self.yellow_button = self._toggle(self.tr("Yellow"), "#fadb14")
        bar.addWidget(self.red_button)
        bar.addWidget(self.yellow_button)
        self.status_combo = QComboBox(self)
        for label, _ in STATUS_CHOICES:
            self.status_combo.addItem(self.tr(label))
        self.status_combo.setToolTip(self.tr("Which alerts: active ones by default"))
        bar.addWidget(self.status_combo)
        self.rule_combo = QComboBox(self)
        self.rule_combo.addItem(self.tr("All rules"), None)
        for code, info in RULES.items():
            self.rule_combo.addItem(labels.rule_name(code, info.name_zh, info.name_en), code)
        bar.addWidget(self.rule_combo)
        self.office_combo = QComboBox(self)
        self.office_combo.setMinimumContentsLength(10)
        # The offices arrive from the replica after the wall is shown: the box grows to their names.
        self.office_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.office_combo.addItem(self.tr("All offices"), None)
        self.reload_offices()
        bar.addWidget(self.office_combo)
        self.search = QLineEdit(self)
        self.search.setPlaceholderText(self.tr("Search case, office, rule, message… (Ctrl+F)"))
        self.search.setClearButtonEnabled(True)
        bar.addWidget(self.search, 1)
        self.group_combo = QComboBox(self)
        self.group_combo.addItem(self.tr("No grouping"), None)
        self.group_combo.addItem(self.tr("Group by office"), "office")
        self.group_combo.addItem(self.tr("Group by rule"), "rule")
        bar.addWidget(self.group_combo)
        self.mute_button = QToolButton(self)
        self.mute_button.setCheckable(True)
        self.mute_button.setText(self.tr("Sound on"))
        self.mute_button.setToolTip(self.tr("Mute the alarm for new red signals (M)"))
        bar.addWidget(self.mute_button)
        self.total_label = QLabel(self)
        self.total_label.setMinimumWidth(150)
        self.total_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        bar.addWidget(self.total_label)
        outer.addLayout(bar)

        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.group_view = QTableView(self.splitter)
        self.group_view.setModel(self.groups)
        self.group_view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.group_view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.group_view.verticalHeader().setVisible(False)
        self.group_view.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.group_view.setShowGrid(False)
        self.group_view.hide()
        right = QSplitter(Qt.Orientation.Vertical, self.splitter)
        self.table = AlertTable(right)
        self.table.setModel(self.model)
        self.table.row_painter = WallPainter(self.table, self.model)
        self.table.sortByColumn(COL["raised_at"], Qt.SortOrder.DescendingOrder)
        widths = {"severity": 90, "rule": 150, "office": 150, "subject": 120, "node": 110, "raised_at": 130,
                  "as_of": 130, "status": 110, "assignee": 90}
        for key, width in widths.items():
            self.table.setColumnWidth(COL[key], width)
        self.detail = QTextBrowser(right)
        self.detail.setOpenExternalLinks(False)
        self.detail.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        # The detail holds the rule, the evidence and the history (处理记录): it shows at least
        # eight lines of it, and scrolls to the rest; the splitter never collapses it.
        lines = 8 * self.detail.fontMetrics().lineSpacing() + 2 * self.detail.frameWidth() + 8
        self.detail.setMinimumHeight(lines)
        right.setChildrenCollapsible(False)
        # The table keeps most of the height on a tall screen; the minimum holds on a small one.
        right.setStretchFactor(0, 4)
        right.setStretchFactor(1, 1)
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setStretchFactor(1, 4)
        self.splitter.setSizes([420, 1500])
        self.group_view.setColumnWidth(1, 56)
        self.group_view.setColumnWidth(2, 56)
        self.group_view.setColumnWidth(3, 56)
        for col in (1, 2, 3):
            self.group_view.horizontalHeader().setSectionResizeMode(col, QHeaderView.ResizeMode.Fixed)
        outer.addWidget(self.splitter, 1)

        self.red_button.toggled.connect(self._filters_changed)
        self.yellow_button.toggled.connect(self._filters_changed)
        self.status_combo.currentIndexChanged.connect(self._filters_changed)
        self.rule_combo.currentIndexChanged.connect(self._filters_changed)
        self.office_combo.currentIndexChanged.connect(self._filters_changed)
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(250)
        self._search_timer.timeout.connect(self._filters_changed)
        self.search.textChanged.connect(lambda _t: self._search_timer.start())
        self.group_combo.currentIndexChanged.connect(self._group_mode_changed)
        self.group_view.clicked.connect(self._group_clicked)
        self.mute_button.toggled.connect(self._set_muted)
        self.table.selectionModel().currentRowChanged.connect(self._current_changed)
        self.table.doubleClicked.connect(lambda _i: self.open_selected())
        header = self.table.horizontalHeader()
        header.sortIndicatorChanged.connect(self._sort_indicator_changed)
        for i, (_, title, _) in enumerate(COLUMNS):
            act = QAction(self.tr(title), header)
            act.setCheckable(True)
            act.setChecked(True)
            act.toggled.connect(lambda on, col=i: self.table.setColumnHidden(col, not on))
            header.addAction(act)

    def _toggle(self, text: str, color: str) -> QToolButton:
        b = QToolButton(self)
        b.setText("● " + text)
        b.setCheckable(True)
        b.setStyleSheet(f"QToolButton {{ color: {color}; font-weight: bold; padding: 2px 8px; }}"
                        f" QToolButton:checked {{ background: #30363d; border: 1px solid {color}; }}")
        return b

    def _build_actions(self) -> None:
        def add(name: str, text: str, key: Qt.Key, slot: Callable[[], None], tip: str) -> QAction:
            act = QAction(text, self)
            act.setObjectName(name)
            act.setToolTip(tip)
            act.triggered.connect(slot)
            self.table.keys[int(key)] = act
            self.table.addAction(act)
            return act

        self.act_ack = add("ack", self.tr("Acknowledge"), Qt.Key.Key_A, lambda: self.act("ack"),
                           self.tr("Acknowledge the selected alerts (A)"))
        self.act_escalate = add("escalate", self.tr("Escalate"), Qt.Key.Key_E, lambda: self.act("escalate"),
                                self.tr("Escalate: a yellow signal becomes red (E)"))
        self.act_dismiss = add("dismiss", self.tr("Dismiss…"), Qt.Key.Key_D, self.ask_dismiss,
                               self.tr("Dismiss with a reason (D)"))
        self.act_assign = add("assign", self.tr("Assign…"), Qt.Key.Key_G, self.ask_assign,
                              self.tr("Assign to a person (G)"))
        self.act_comment = add("comment", self.tr("Comment…"), Qt.Key.Key_C, self.ask_comment,
                               self.tr("Comment on the selected alerts (C)"))
        self.act_promote = add("promote", self.tr("Promote to case"), Qt.Key.Key_P, lambda: self.act("promote"),
                               self.tr("Promote to an investigation case (P)"))
        self.act_open = add("open", self.tr("Open case"), Qt.Key.Key_Return, self.open_selected,
                            self.tr("Open the case of the current alert (Enter)"))
        self.table.keys[int(Qt.Key.Key_Enter)] = self.act_open
        find = QAction(self)
        find.setShortcut(QKeySequence.StandardKey.Find)
        find.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        find.triggered.connect(self._focus_search)
        self.addAction(find)
        mute = QAction(self)
        mute.triggered.connect(self.mute_button.toggle)
        self.table.keys[int(Qt.Key.Key_M)] = mute
        self.actions_for_toolbar = [self.act_ack, self.act_escalate, self.act_dismiss, self.act_assign,
                                    self.act_comment, self.act_promote, self.act_open]
        self.set_role(self.role)

    def set_role(self, role: str | None) -> None:
        """Offer only the actions this role may take (the shared action table decides, as the server
        does): a leader pressing A must not queue an acknowledgement the server will refuse."""
        self.role = role
        for act in (self.act_ack, self.act_escalate, self.act_dismiss, self.act_assign, self.act_comment,
                    self.act_promote):
            allowed = not role or role_may("alert", act.objectName(), Actor(self.user, role))
            act.setEnabled(allowed)
            act.setVisible(allowed)

    def _focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    # ------------------------------------------------------------------ filters and groups
    def reload_offices(self) -> None:
        """Fill the office filter with the replica's offices (read in the background)."""
        replica = self.replica
        self.tasks.run(lambda: replica.read(queries.offices), self._show_offices, label="offices", owner=self,
                       local=True)

    def _show_offices(self, offices: list[tuple[str, str]]) -> None:
        current = self.office_combo.currentData() if self.office_combo.count() else None
        self.office_combo.blockSignals(True)
        self.office_combo.clear()
        self.office_combo.addItem(self.tr("All offices"), None)
        for code, name in offices:
            self.office_combo.addItem(name, code)
        if current is not None:
            i = self.office_combo.findData(current)
            self.office_combo.setCurrentIndex(max(0, i))
        self.office_combo.blockSignals(False)

    def current_filter(self) -> AlertFilter:
        sev = frozenset(s for s, b in (("red", self.red_button), ("yellow", self.yellow_button)) if b.isChecked())
        statuses = STATUS_CHOICES[max(0, self.status_combo.currentIndex())][1]
        rule = self.rule_combo.currentData()
        office = self.office_combo.currentData()
        rules = frozenset({rule}) if rule else frozenset()
        offices = frozenset({office}) if office else frozenset()
        if self._group_key is not None:
            if self.groups.by == "office":
                offices = frozenset({self._group_key})
            else:
                rules = frozenset({self._group_key})
        return AlertFilter(severities=sev, rules=rules, offices=offices, statuses=statuses,
                           text=self.search.text())

    def set_filter(self, *, severities: set[str] | None = None, status: str | None = None,
                   rule: str | None = None, office: str | None = None, text: str | None = None) -> None:
        """Set filter widgets programmatically (saved views, big screen drill-down, tests).

        The widgets change with their signals held, so the wall runs one query, not one per widget.
        """
        widgets = (self.red_button, self.yellow_button, self.status_combo, self.rule_combo, self.office_combo,
                   self.search)
        for w in widgets:
            w.blockSignals(True)
        try:
            self._set_widgets(severities, status, rule, office, text)
        finally:
            for w in widgets:
                w.blockSignals(False)
        self._search_timer.stop()
        self._filters_changed()

    def _set_widgets(self, severities: set[str] | None, status: str | None, rule: str | None,
                     office: str | None, text: str | None) -> None:
        if severities is not None:
            self.red_button.setChecked("red" in severities)
            self.yellow_button.setChecked("yellow" in severities)
        if status is not None:
            names = [n for n, _ in STATUS_CHOICES]
            self.status_combo.setCurrentIndex(names.index(status))
        if rule is not None:
            self.rule_combo.setCurrentIndex(max(0, self.rule_combo.findData(rule or None)))
        if office is not None:
            self.office_combo.setCurrentIndex(max(0, self.office_combo.findData(office or None)))
        if text is not None:
            self.search.setText(text)

    def _filters_changed(self) -> None:
        self.model.set_filter(self.current_filter())
        self._refresh_groups()

    def _group_mode_changed(self) -> None:
        by = self.group_combo.currentData()
        self._group_key = None
        self.group_view.setVisible(by is not None)
        if by is not None:
            self.groups.set_groups(by, [])
        self._filters_changed()

    def _group_clicked(self, index: QModelIndex) -> None:
        key = self.groups.key(index.row())
        self._group_key = None if key == self._group_key else key
        if self._group_key is None:
            self.group_view.clearSelection()
        self.model.set_filter(self.current_filter())

    def _refresh_groups(self) -> None:
        by = self.group_combo.currentData()
        if by is None:
            return
        flt = self.current_filter()
        self._group_gen += 1
        gen = self._group_gen
        replica = self.replica

        def wanted() -> bool:
            return gen == self._group_gen

        def work() -> list[Group]:
            return replica.read(queries.group_counts, by, flt, still_wanted=wanted)

        def done(groups: list[Group]) -> None:
            if gen != self._group_gen:
                return
            self.groups.set_groups(by, groups)
            if self._group_key is not None:
                row = self.groups.row_of(self._group_key)
                if row is not None:
                    self.group_view.selectRow(row)

        self.tasks.run(work, done, unless_superseded, label="group counts", owner=self, priority=BACKGROUND, local=True)

    def _show_total(self, *_: Any) -> None:
        total = self.model.total
        shown = self.model.rowCount()
        if total < 0:
            self.total_label.setText(fmt(self.tr("%1 shown, counting…"), shown))
        else:
            self.total_label.setText(fmt(self.tr("%1 shown of %2"), shown, f"{total:,}"))

    def _sort_indicator_changed(self, column: int, order: Qt.SortOrder) -> None:
        if COLUMNS[column][2] is None:
            # Only indexed columns sort (a million rows); put the indicator back.
            header = self.table.horizontalHeader()
            header.blockSignals(True)
            header.setSortIndicator(self.model.sort_column, self.model.sort_order)
            header.blockSignals(False)
            self.message.emit(self.tr("This column cannot be sorted"))

    # ------------------------------------------------------------------ live updates
    def alerts_changed(self, ids: list[int], new_red: list[int] | None = None) -> None:
        for i in ids:
            # The alert changed: its history has a new line.
            self._history.pop(int(i), None)
        self.model.alerts_changed(ids, new_red or [])
        if self.group_combo.currentData() is not None:
            self._refresh_groups_later()

    def _placed(self, ids: list[int]) -> None:
        index = self.table.currentIndex()
        now = self.model.alert_id(index.row()) if index.isValid() else None
        # The detail pane is HTML laid out anew on every set: only when its alert changed.
        if now != self.detail_id or (now is not None and now in ids):
            self._update_detail()

    def _reloaded(self) -> None:
        wanted, self._select_after_reload = self._select_after_reload, None
        if wanted is not None:
            self.select_alert(wanted)

    def show_alert(self, alert_id: int) -> None:
        """Select the alert; when the filter hides it, show every alert and select it once loaded."""
        if not self.select_alert(alert_id):
            self._select_after_reload = alert_id
            self.set_filter(status="All", text="")

    def _refresh_groups_later(self) -> None:
        if not hasattr(self, "_group_timer"):
            self._group_timer = QTimer(self)
            self._group_timer.setSingleShot(True)
            self._group_timer.setInterval(1000)
            self._group_timer.timeout.connect(self._refresh_groups)
        if not self._group_timer.isActive():
            self._group_timer.start()

    def _on_red(self, ids: list[int]) -> None:
        self.alarm.ring()

    def _set_muted(self, muted: bool) -> None:
        self.alarm.set_muted(muted)
        self.mute_button.setText(self.tr("Muted") if muted else self.tr("Sound on"))
        QSettings().setValue("wall/muted", muted)

    # ------------------------------------------------------------------ selection and actions
    def selected_ids(self) -> list[int]:
        rows = sorted({i.row() for i in self.table.selectionModel().selectedRows()})
        if not rows:
            current = self.table.currentIndex()
            rows = [current.row()] if current.isValid() else []
        ids = [self.model.alert_id(r) for r in rows]
        return [i for i in ids if i is not None]

    def select_alert(self, alert_id: int) -> bool:
        row = self.model.row_of(alert_id)
        if row is None:
            return False
        index = self.model.index(row, 0)
        self.table.setCurrentIndex(index)
        self.table.selectionModel().select(
            index, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows)
        self.table.scrollTo(index)
        return True

    def act(self, action: str, data: dict[str, Any] | None = None) -> None:
        ids = self.selected_ids()
        if not ids or self.enqueue is None:
            return
        self.enqueue(ids, action, data or {}, self._refused)

    def _refused(self, refused: list[Refused]) -> None:
        if not refused:
            return
        # Each reason whole, in the console's language; a long selection names the first three.
        shown = "; ".join(f"#{entity_id} {labels.refusal_text(why.refusal)}" for entity_id, why in refused[:3])
        if len(refused) > 3:
            shown += " " + self.tr("(and %n more)", "", len(refused) - 3)
        self.message.emit(fmt(self.tr("Not applied: %1"), shown))

    def ask_dismiss(self) -> None:
        ids = self.selected_ids()
        if not ids:
            return
        dlg = DismissDialog(len(ids), self)
        dlg.accepted.connect(lambda: self._do(ids, "dismiss", {"reason": dlg.text()}))
        self._open(dlg)

    def ask_comment(self) -> None:
        ids = self.selected_ids()
        if not ids:
            return
        dlg = CommentDialog(len(ids), self)
        dlg.accepted.connect(lambda: self._do(ids, "comment", {"text": dlg.text()}) if dlg.text() else None)
        self._open(dlg)

    def ask_assign(self) -> None:
        ids = self.selected_ids()
        if not ids:
            return
        dlg = AssignDialog(len(ids), self.people_known, self.user, self)
        dlg.accepted.connect(lambda: self._do(ids, "assign", {"assignee": dlg.username()}))
        self._open(dlg)
        if self.people is not None:
            # The list may have changed since it was last read: read it again behind the dialog.
            dlg.loading = dlg.names is None
            dlg._check()
            self.tasks.run(self.people, self._people_read, self._people_failed, label="people", owner=self)

    def _people_read(self, answer: dict[str, Any]) -> None:
        self.people_known = list(answer.get("people") or [])
        if isinstance(self.dialog, AssignDialog):
            self.dialog.loading = False
            self.dialog.set_people(self.people_known)

    def _people_failed(self, exc: BaseException) -> None:
        log.info("could not read the people for the assign dialog: %r", exc)
        if isinstance(self.dialog, AssignDialog):
            self.dialog.people_failed()

    def _open(self, dlg: QDialog) -> None:
        # open(), not exec(): no nested event loop, and the wall keeps updating behind it.
        self.dialog = dlg
        dlg.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dlg.finished.connect(lambda _r: setattr(self, "dialog", None))
        dlg.open()

    def _do(self, ids: list[int], action: str, data: dict[str, Any]) -> None:
        if self.enqueue is not None:
            self.enqueue(ids, action, data, self._refused)

    def open_selected(self) -> None:
        index = self.table.currentIndex()
        info = self.model.row_info(index.row()) if index.isValid() else None
        if info is None:
            return
        if info["subject_type"] == "case" and info["case_no"]:
            self.open_case.emit(info["office"], info["case_no"], info["id"])
        elif info["subject_type"] == "notice":
            self.open_notice.emit(info["id"])
        elif info["subject_type"] == "petition":
            self.message.emit(fmt(self.tr("%1 is a petition, not an approval case: its clocks and history are in "
                                          "the alert's detail below; the petition desk handles it"),
                                  info["subject"]))
        else:
            self.message.emit(fmt(self.tr("This alert is about the office %1 as a whole (no data received), not "
                                          "one case: its detail is below"), info["office_name"]))

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        self._update_detail()
        alert_id = self.model.alert_id(current.row()) if current.isValid() else None
        if alert_id is not None:
            self.current_alert.emit(alert_id)

    def _update_detail(self) -> None:
        """Show the current alert's detail, read from the replica in the background."""
        index = self.table.currentIndex()
        alert_id = self.model.alert_id(index.row()) if index.isValid() else None
        self._detail_gen += 1
        gen = self._detail_gen
        if alert_id is None:
            self.detail_id = None
            self.detail.clear()
            return
        replica = self.replica

        def done(found: AlertDetail | None) -> None:
            if gen != self._detail_gen:
                return
            self.detail_id = alert_id
            if found is None:
                self.detail.clear()
                return
            self.detail.setHtml(alert_html(found.alert, found.nodes)
                                + history_html(self._history.get(alert_id), found.pending_comments))
            if self.history is not None and alert_id not in self._history:
                self._history_timer.start()

        self.tasks.run(lambda: replica.read(queries.alert_detail, alert_id), done, label="alert detail",
                       owner=self, local=True)

    def _fetch_history(self) -> None:
        index = self.table.currentIndex()
        alert_id = self.model.alert_id(index.row()) if index.isValid() else None
        if alert_id is None or self.history is None:
            return
        fetch = self.history

        def done(data: dict[str, Any]) -> None:
            self._history[alert_id] = list(data.get("history") or [])
            self._update_detail()

        def failed(exc: BaseException) -> None:
            # Offline, or the alert is gone: the detail keeps what the replica knows. Signed
            # out: the same, and the window asks the operator to sign in again.
            if isinstance(exc, ApiError) and exc.status == 401:
                self.unauthorized.emit()

        self.tasks.run(lambda: fetch(alert_id), done, failed, label="alert history", owner=self)


def history_html(history: list[dict[str, Any]] | None, pending_comments: list[str]) -> str:
    """Who did what to the alert (from the server), and my comments not yet sent."""
    from html import escape

    lines = []
    for h in history or []:
        data = h.get("data") or {}
        detail = data.get("text") or data.get("reason") or data.get("assignee") or ""
        when = str(h.get("at") or "")[:16].replace("T", " ")
        lines.append(f"<tr><td style='color:#8b949e; padding-right:10px'>{escape(when)}</td>"
                     f"<td style='padding-right:10px'>{escape(str(h.get('actor') or ''))}</td>"
                     f"<td style='padding-right:10px'>{escape(labels.action(str(h.get('action'))))}</td>"
                     f"<td>{escape(str(detail))}</td></tr>")
    for text in pending_comments:
        lines.append(f"<tr><td style='color:#58a6ff'>⟳</td><td></td><td>{escape(labels.action('comment'))}</td>"
                     f"<td>{escape(text)}</td></tr>")
    if not lines:
        return ""
    title = translate("AlertWall", "History")
    return f"<div><b>{escape(title)}</b></div><table>{''.join(lines)}</table>"


def alert_html(row: Mapping[str, Any], nodes: Mapping[str, str] | None = None) -> str:
    """The selected alert: why the rule fired (message and evidence), who handles it."""
    from html import escape

    name = labels.rule_name(row["rule"], row["rule_zh"], row["rule_en"])
    color = labels.SEVERITY_ACCENT.get(row["severity"])
    parts = [
        f"<b style='color:{color.name() if color else '#fff'}'>● {escape(labels.severity(row['severity']))}</b> "
        f"<b>{escape(name)}</b> — {escape(labels.status(row['status']))}",
        f"<div>{escape(message_text(row['message'], row['message_en']))}</div>",
    ]
    if row["assignee"]:
        label = translate("AlertWall", "Assignee")
        parts.append(f"<div>{escape(label)}: {escape(row['assignee'])}</div>")
    if row["resolution"]:
        label = translate("AlertWall", "Reason")
        parts.append(f"<div>{escape(label)}: {escape(row['resolution'])}</div>")
    if row["pending"]:
        label = translate("AlertWall", "Local change waiting to be sent")
        parts.append(f"<div style='color:#58a6ff'>⟳ {escape(label)}</div>")
    if row["conflict"]:
        label = translate("AlertWall", "Conflict with the server: see Conflicts")
        parts.append(f"<div style='color:#ff7b72'>⚠ {escape(label)}</div>")
    table = evidence.html_table(row["evidence"], nodes)
    if table:
        label = translate("AlertWall", "Evidence")
        parts.append(f"<div><b>{escape(label)}</b></div>{table}")
    return "".join(parts)
