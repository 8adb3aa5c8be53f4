"""How the petition desk joins the console window.

``attach(window)`` is called once by ``ConsoleWindow``: for the ``petition_officer`` role a
*Petition desk* tab (Ctrl+6, shown first) and a *Petitions* menu with registration (Ctrl+N).
The desk reads again when the change feed brings petitions or offices, when its own actions
are queued, and when the server answers them.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QAction, QKeySequence

DESK_ROLES = frozenset({"petition_officer"})


def attach(window: Any) -> None:
    session = window.session
    window.desk = None
    if session.role not in DESK_ROLES:
        return
    from desktop.console.desk.pane import DeskPane

    pane = DeskPane(session, window)
    window.desk = pane
    window.tabs.insertTab(0, pane, QCoreApplication.translate("DeskHooks", "Petition desk"))
    window.tabs.setCurrentWidget(pane)
    pane.message.connect(lambda m: window.statusBar().showMessage(m, 10000))
    pane.unauthorized.connect(session.engine.check_token)
    menu = window.menuBar().addMenu(QCoreApplication.translate("DeskHooks", "&Petitions"))
    for title, key, slot in (
        (QCoreApplication.translate("DeskHooks", "Petition desk"), "Ctrl+6",
         lambda: window.tabs.setCurrentWidget(pane)),
        (QCoreApplication.translate("DeskHooks", "Register a petition…"), "Ctrl+N",
         lambda: (window.tabs.setCurrentWidget(pane), pane.open_registration())),
    ):
        act = QAction(title, window)
        act.setShortcut(QKeySequence(key))
        act.triggered.connect(slot)
        menu.addAction(act)
        window.addAction(act)

    def applied(result: Any) -> None:
        if "office" in result.entities:
            pane.load_centre()
        if "petition" in result.changed or result.snapshot_finished:
            pane.reload()

    session.engine.applied.connect(applied)
    session.engine.entities_changed.connect(lambda entity, _ids: pane.reload() if entity in ("petition", "") else None)
    session.engine.outbox_changed.connect(pane.reload)
    pane.reload()
