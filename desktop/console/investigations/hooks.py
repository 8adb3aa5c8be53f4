"""How the investigations pane joins the console window.

``attach(window)`` is called once by ``ConsoleWindow``: for every role that reads
investigations (spec 06 §2 "Who sees what") an *Investigations* tab (Ctrl+6, and the first
tab an investigator sees), kept current by the sync engine's signals; the outbox pane's
"show" on an investigation's conflict opens its case file.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QAction, QKeySequence

from desktop.replica.feed import ApplyResult
from desktop.replica.outbox import OutboxResult

#: the roles that may see some investigation
READ_ROLES = frozenset({"admin", "leader", "investigator", "operator", "petition_officer"})


def attach(window: Any) -> None:
    session = window.session
    window.investigations = None
    if session.role not in READ_ROLES:
        return
    from desktop.console.investigations.pane import InvestigationsPane

    pane = InvestigationsPane(session, window)
    window.investigations = pane
    window.tabs.addTab(pane, QCoreApplication.translate("InvestigationHooks", "Investigations"))
    if session.role == "investigator":
        window.tabs.setCurrentWidget(pane)
    act = QAction(QCoreApplication.translate("InvestigationHooks", "Investigations"), window)
    act.setShortcut(QKeySequence("Ctrl+6"))
    act.triggered.connect(lambda: window.tabs.setCurrentWidget(pane))
    window.addAction(act)
    views = [m for m in window.menuBar().actions() if m.menu() is not None]
    if len(views) > 1:
        views[1].menu().addAction(act)  # the View menu
    window.act_investigations = act
    engine = session.engine

    def applied(result: ApplyResult) -> None:
        if "investigation" in result.entities or result.snapshot_finished:
            pane.cases_changed()
        elif result.alert_ids and pane.casefile.file is not None and pane.casefile.file.alerts:
            pane.casefile.refresh()

    def replayed(result: OutboxResult) -> None:
        if "investigation" in result.changed:
            pane.cases_changed()

    def open_case(entity: str, entity_id: str) -> None:
        if entity == "investigation":
            window.tabs.setCurrentWidget(pane)
            pane.select(entity_id)

    engine.applied.connect(applied)
    engine.replayed.connect(replayed)
    engine.entities_changed.connect(
        lambda entity, _ids: pane.cases_changed() if entity in ("investigation", "") else None)
    engine.outbox_changed.connect(pane.casefile.refresh)
    pane.casefile.message.connect(lambda m: window.statusBar().showMessage(m, 8000))
    pane.casefile.show_conflicts.connect(lambda: (window.conflicts_dock.show(), window.conflicts_dock.raise_()))
    window.conflicts.show_entity.connect(open_case)
    if session.role == "investigator":
        pane.fetch_evidence()
