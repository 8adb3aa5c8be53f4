"""How oversight joins the console window: one ``attach(window)`` call, like the administration's.

A *Supervision* menu: issue a card (K on the wall) or a supervision notice (N) for the selected
alerts, annotate them (B, leaders), the notices tracker (Ctrl+6), the cards register (Ctrl+7)
and the leader's overview (Ctrl+8; a leader's console opens on it). Only the actions the
person's role may take are offered (the shared action table decides, as the server does). The
tabs are made on first use and read again when the change feed or the outbox touches a card or
a notice.
"""

from __future__ import annotations

from html import escape
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDialog

from desktop.console import labels
from desktop.console.labels import fmt
from desktop.replica import oversight, queries
from shared.actions import Actor, role_may
from shared.actions.card import READERS

translate = QCoreApplication.translate
OVERVIEW_ROLES = frozenset({"leader", "admin", "operator"})


class Oversight:
    """The window's oversight parts (``window.oversight``)."""

    def __init__(self, window: Any) -> None:
        self.window = window
        self.session = window.session
        self.actor = Actor(self.session.username, self.session.role)
        self.notices: Any = None
        self.cards: Any = None
        self.overview: Any = None
        self.dialog: QDialog | None = None
        self.actions: dict[str, QAction] = {}

    # ------------------------------------------------------------------ building
    def build(self) -> None:
        w = self.window
        menu = w.menuBar().addMenu(translate("Oversight", "&Supervision"))
        menu.setObjectName("menu_supervision")
        wall_keys = (
            ("issue_card", "card", "issue", translate("Oversight", "Issue a card for the selected alerts… (K)"),
             Qt.Key.Key_K, lambda: self.ask_issue("card")),
            ("issue_notice", "notice", "issue",
             translate("Oversight", "Issue a supervision notice for the selected alerts… (N)"), Qt.Key.Key_N,
             lambda: self.ask_issue("notice")),
            ("annotate_alerts", "alert", "annotate", translate("Oversight", "Annotate the selected alerts… (B)"),
             Qt.Key.Key_B, self.ask_annotate_alerts),
        )
        for name, entity, action, text, key, slot in wall_keys:
            if not role_may(entity, action, self.actor):
                continue
            act = QAction(text, w)
            act.setObjectName(name)
            act.triggered.connect(slot)
            menu.addAction(act)
            # A single letter acts only while the wall's table has the focus (as A, E, D do).
            w.wall.table.keys[int(key)] = act
            self.actions[name] = act
        menu.addSeparator()
        views = (
            ("show_notices", translate("Oversight", "Notices tracker"), "Ctrl+6", self.show_notices, READERS),
            ("show_cards", translate("Oversight", "Cards register"), "Ctrl+7", self.show_cards, READERS),
            ("show_overview", translate("Oversight", "Leader's overview"), "Ctrl+8", self.show_overview,
             OVERVIEW_ROLES),
        )
        for name, text, seq, slot, roles in views:
            if self.session.role not in roles:
                continue
            act = QAction(text, w)
            act.setObjectName(name)
            act.setShortcut(QKeySequence(seq))
            act.triggered.connect(slot)
            menu.addAction(act)
            w.addAction(act)
            self.actions[name] = act
        self._help()
        engine = self.session.engine
        engine.applied.connect(self._applied)
        engine.replayed.connect(self._replayed)
        engine.entities_changed.connect(lambda entity, _ids: self.refresh({entity} if entity else {"card", "notice"}))
        # A conflict decided (a refused card withdrawn) changes the lists too.
        engine.outbox_changed.connect(lambda: self.refresh({"card", "notice"}))
        if self.session.role in READERS:
            w.wall.open_notice.connect(self.open_notice_of)
        if self.session.role == "leader":
            # A leader reads the month first; the wall is a tab away.
            QTimer.singleShot(0, self.show_overview)

    def _help(self) -> None:
        """The keyboard shortcuts pane lists the keys offered here too."""
        keys = {"issue_card": "K", "issue_notice": "N", "annotate_alerts": "B", "show_notices": "Ctrl+6",
                "show_cards": "Ctrl+7", "show_overview": "Ctrl+8"}
        rows = "".join(f"<tr><td style='padding:2px 12px'><b>{keys[name]}</b></td>"
                       f"<td>{escape(act.text().split(' (')[0].split('（')[0])}</td></tr>"
                       for name, act in self.actions.items())
        title = translate("Oversight", "Supervision")
        self.window.help.setHtml(self.window._help_html() + f"<h3>{escape(title)}</h3><table>{rows}</table>")
        self.window._fit_help()

    def _applied(self, result: Any) -> None:
        self.refresh(result.entities)
        if self.overview is not None and result.entities & {"alert", "card", "notice", "case", "petition"}:
            self.overview.mark_stale()

    def _replayed(self, result: Any) -> None:
        self.refresh(set(result.changed))

    def refresh(self, entities: set[str]) -> None:
        if self.notices is not None and "notice" in entities:
            self.notices.refresh()
        if self.cards is not None and "card" in entities:
            self.cards.refresh()

    def _message(self, text: str) -> None:
        self.window.statusBar().showMessage(text, 8000)

    # ------------------------------------------------------------------ tabs
    def _tab(self, attr: str, make: Any, title: str) -> Any:
        pane = getattr(self, attr)
        if pane is None:
            pane = make()
            pane.message.connect(self._message)
            if hasattr(pane, "show_alert"):
                pane.show_alert.connect(self.show_alert)
            setattr(self, attr, pane)
            self.window.tabs.addTab(pane, title)
        self.window.tabs.setCurrentWidget(pane)
        return pane

    def show_notices(self) -> Any:
        from desktop.console.oversight.lists import NoticesTracker

        pane = self._tab("notices", lambda: NoticesTracker(self.session, self.window),
                         translate("Oversight", "Notices"))
        pane.refresh()
        return pane

    def show_cards(self) -> Any:
        from desktop.console.oversight.lists import CardsRegister

        pane = self._tab("cards", lambda: CardsRegister(self.session, self.window), translate("Oversight", "Cards"))
        pane.refresh()
        return pane

    def show_overview(self) -> Any:
        from desktop.console.oversight.overview import LeaderOverview

        pane = self._tab("overview", lambda: LeaderOverview(self.session, self.window),
                         translate("Oversight", "Leader's overview"))
        pane.ensure_loaded()
        return pane

    def open_notice_of(self, alert_id: int) -> None:
        """Enter on an overdue notice's alert: the tracker, with that notice selected."""
        tracker = self.show_notices()
        replica = self.session.replica

        def found(notice_id: str | None) -> None:
            if notice_id is not None:
                tracker.select_soon(notice_id)

        self.session.tasks.run(lambda: replica.read(oversight.notice_of_alert, alert_id), found,
                               label="notice of alert", owner=self.window, local=True)

    def show_alert(self, alert_id: int) -> None:
        """An alert named by a card, a notice or a risk point: shown on the wall when it is there."""
        wall = self.window.wall
        if wall.select_alert(alert_id):
            self.window.tabs.setCurrentWidget(wall)
        else:
            self._message(fmt(translate("Oversight", "Alert #%1 is not on the wall as it is filtered"), alert_id))

    # ------------------------------------------------------------------ actions from the wall
    def ask_issue(self, entity: str) -> None:
        """The card or notice form for the wall's selected alerts, prefilled from them (read in the background)."""
        ids = self.window.wall.selected_ids()
        replica = self.session.replica

        def read() -> tuple[list[dict[str, Any]], list[tuple[str, str]]]:
            return replica.read(oversight.alert_briefs, ids), replica.read(queries.offices)

        self.session.tasks.run(read, lambda found: self._open_form(entity, *found), label=f"{entity} form",
                               owner=self.window, local=True)

    def _open_form(self, entity: str, briefs: list[dict[str, Any]], offices: list[tuple[str, str]]) -> None:
        from desktop.console.oversight.forms import CardDialog, NoticeDialog

        dlg: Any = CardDialog(briefs, offices, self.window) if entity == "card" else \
            NoticeDialog(briefs, offices, self.window)
        self._open(dlg, lambda: self.issue(entity, dlg.data()))

    def _open(self, dlg: QDialog, then: Any) -> None:
        # open(), not exec(): the wall keeps updating behind the form.
        dlg.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.dialog = dlg
        dlg.finished.connect(lambda _r: setattr(self, "dialog", None))
        dlg.accepted.connect(then)
        dlg.open()

    def issue(self, entity: str, data: dict[str, Any]) -> None:
        """Queue a new card or notice in the outbox: shown at once, sent when the server answers."""
        from desktop.console.oversight.lists import new_id

        def done(refused: list[Any]) -> None:
            if refused:
                self._message(fmt(translate("Oversight", "Not issued: %1"), labels.refusal_text(refused[0][1].refusal)))
            elif entity == "card":
                self._message(fmt(translate("Oversight", "%1 issued to %2"), labels.card_kind(data["kind"]),
                                  data["office"]))
            else:
                self._message(fmt(translate("Oversight", "Supervision notice issued to %1"), data["office"]))

        self.session.engine.enqueue([new_id()], "issue", data, done, entity=entity)

    def ask_annotate_alerts(self) -> None:
        from desktop.console.oversight.forms import TextDialog

        ids = self.window.wall.selected_ids()
        if not ids:
            self._message(translate("Oversight", "Select alerts on the wall first"))
            return
        dlg = TextDialog(translate("Oversight", "Leader's annotation"),
                         fmt(translate("Oversight", "Your annotation (批阅) on %1 alert(s):"), len(ids)), self.window,
                         name="annotate_dialog")
        self._open(dlg, lambda: self.window.wall._do(ids, "annotate", {"text": dlg.text()}))


def attach(window: Any) -> None:
    """Give the window its *Supervision* menu and tabs (``window.oversight``), for the roles that read them."""
    window.oversight = None
    if window.session.role not in READERS and window.session.role != "":
        return
    window.oversight = Oversight(window)
    window.oversight.build()
