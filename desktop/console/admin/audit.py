"""The audit view: who did what to which entity, when, before → after; and whether the hash
chain that makes the log tamper-evident is intact (``yingyan server verify-audit``)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from desktop.admin.client import AdminApi
from desktop.admin.views import change_text
from desktop.common.tasks import BackgroundTasks
from desktop.console.admin.common import AdminTab
from desktop.console.labels import QT_TRANSLATE_NOOP, fmt
from desktop.console.records import Column, RecordTableModel, record_table
from shared.admin import AuditPage, AuditVerify

ACTIONS = {
    "settings.put": QT_TRANSLATE_NOOP("AdminAudit", "setting changed"),
    "user.create": QT_TRANSLATE_NOOP("AdminAudit", "user added"),
    "user.update": QT_TRANSLATE_NOOP("AdminAudit", "user changed"),
    "user.password": QT_TRANSLATE_NOOP("AdminAudit", "password reset"),
    "auth.login": QT_TRANSLATE_NOOP("AdminAudit", "signed in"),
    "office.create": QT_TRANSLATE_NOOP("AdminAudit", "office added"),
    "office.token": QT_TRANSLATE_NOOP("AdminAudit", "office token issued"),
    "catalogue.put": QT_TRANSLATE_NOOP("AdminAudit", "catalogue imported"),
    "calendar.put": QT_TRANSLATE_NOOP("AdminAudit", "holidays loaded"),
    "camera.put": QT_TRANSLATE_NOOP("AdminAudit", "camera saved"),
    "camera.delete": QT_TRANSLATE_NOOP("AdminAudit", "camera removed"),
    "clock.set": QT_TRANSLATE_NOOP("AdminAudit", "simulated clock moved"),
    "alert.reevaluated": QT_TRANSLATE_NOOP("AdminAudit", "alert re-evaluated (calendar change)"),
    "case.due_moved": QT_TRANSLATE_NOOP("AdminAudit", "due date moved (calendar change)"),
}
ENTITIES = {
    "": QT_TRANSLATE_NOOP("AdminAudit", "everything"),
    "setting": QT_TRANSLATE_NOOP("AdminAudit", "settings"),
    "user": QT_TRANSLATE_NOOP("AdminAudit", "users"),
    "office": QT_TRANSLATE_NOOP("AdminAudit", "offices"),
    "catalogue": QT_TRANSLATE_NOOP("AdminAudit", "catalogue"),
    "calendar": QT_TRANSLATE_NOOP("AdminAudit", "calendar"),
    "camera": QT_TRANSLATE_NOOP("AdminAudit", "cameras"),
    "alert": QT_TRANSLATE_NOOP("AdminAudit", "alerts"),
    "case": QT_TRANSLATE_NOOP("AdminAudit", "cases"),
}


def action_name(code: str) -> str:
    from PySide6.QtCore import QCoreApplication

    return QCoreApplication.translate("AdminAudit", ACTIONS[code]) if code in ACTIONS else code


COLUMNS = [
    Column(QT_TRANSLATE_NOOP("AdminAudit", "#"), lambda e: e["seq"], numeric=True),
    Column(QT_TRANSLATE_NOOP("AdminAudit", "When"), lambda e: e["at"][:19].replace("T", " ")),
    Column(QT_TRANSLATE_NOOP("AdminAudit", "Who"), lambda e: e["actor"]),
    Column(QT_TRANSLATE_NOOP("AdminAudit", "What"), lambda e: action_name(e["action"])),
    Column(QT_TRANSLATE_NOOP("AdminAudit", "Entity"), lambda e: f"{e['entity']} {e['entity_id']}"),
    Column(QT_TRANSLATE_NOOP("AdminAudit", "Before → after"), lambda e: e["change"]),
]


class AuditTab(AdminTab):
    PAGE = 200

    def __init__(self, api: AdminApi, tasks: BackgroundTasks, parent: QWidget | None = None) -> None:
        super().__init__(api, tasks, parent)
        self.entries: list[dict[str, Any]] = []
        self.next: str | None = None
        self.verified: AuditVerify | None = None
        self.model = RecordTableModel(COLUMNS, "AdminAudit", self)
        self.table = record_table(self.model, self, name="audit_table", order=Qt.SortOrder.DescendingOrder)
        self.entity = QComboBox(self)
        self.entity.setObjectName("audit_entity")
        for code, text in ENTITIES.items():
            self.entity.addItem(_t(text), code)
        self.actor = QLineEdit(self)
        self.actor.setObjectName("audit_actor")
        self.actor.setPlaceholderText(self.tr("who (user name)"))
        self.refresh_button = QPushButton(self.tr("Refresh"), self)
        self.more_button = QPushButton(self.tr("Older entries"), self)
        self.chain = QLabel(self)
        self.chain.setObjectName("audit_chain")
        top = QHBoxLayout()
        top.addWidget(QLabel(self.tr("Show"), self))
        top.addWidget(self.entity)
        top.addWidget(self.actor)
        top.addWidget(self.refresh_button)
        top.addWidget(self.more_button)
        top.addStretch(1)
        top.addWidget(self.chain)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.status)
        self.entity.currentIndexChanged.connect(lambda _i: self.refresh())
        self.actor.returnPressed.connect(self.refresh)
        self.refresh_button.clicked.connect(self.refresh)
        self.more_button.clicked.connect(self.load_more)

    def _filters(self) -> dict[str, Any]:
        return {"entity": self.entity.currentData() or None, "actor": self.actor.text().strip() or None}

    def refresh(self) -> None:
        api = self.api
        filters = self._filters()

        def work() -> tuple[AuditPage, AuditVerify]:
            return api.audit(limit=self.PAGE, **filters), api.verify_audit()

        def done(result: tuple[AuditPage, AuditVerify]) -> None:
            page, verified = result
            self.entries = []
            self._add(page)
            self._show_chain(verified)

        self.call(work, done, label="audit")

    def load_more(self) -> None:
        if not self.next:
            return
        cursor = self.next
        api = self.api
        filters = self._filters()
        self.call(lambda: api.audit(limit=self.PAGE, cursor=cursor, **filters), self._add, label="audit")

    def _add(self, page: AuditPage) -> None:
        self.entries += [{**e.model_dump(), "change": change_text(e)} for e in page.entries]
        self.next = page.next
        self.model.set_records(self.entries)
        self.table.resizeColumnsToContents()
        self.more_button.setEnabled(page.next is not None)
        self.say(fmt(self.tr("%1 entries shown"), len(self.entries)))

    def _show_chain(self, v: AuditVerify) -> None:
        self.verified = v
        if v.intact:
            self.chain.setText(fmt(self.tr("✓ hash chain intact: %1 entries verified"), v.entries))
            self.chain.setStyleSheet("color: #3fb950; font-weight: 600;")
        else:
            self.chain.setText(fmt(self.tr("✗ hash chain BROKEN at entry %1: %2"), v.broken_seq, v.reason or ""))
            self.chain.setStyleSheet("color: #f85149; font-weight: 600;")


def _t(text: str) -> str:
    from PySide6.QtCore import QCoreApplication

    return QCoreApplication.translate("AdminAudit", text)
