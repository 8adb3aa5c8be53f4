"""The administration pane: one tab per thing an administrator manages, each loaded when first shown."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QTabWidget, QWidget

from desktop.admin.client import AdminApi
from desktop.common.api import ApiClient
from desktop.common.tasks import BackgroundTasks
from desktop.console.admin.audit import AuditTab
from desktop.console.admin.cameras import CamerasTab
from desktop.console.admin.catalogue import CatalogueTab
from desktop.console.admin.common import AdminTab
from desktop.console.admin.offices import OfficesTab
from desktop.console.admin.settings_tab import SettingsTab
from desktop.console.admin.users import UsersTab
from desktop.console.admin.year_view import CalendarTab


class AdministrationPane(QTabWidget):
    """Users, offices, catalogue, calendar, cameras, settings and the audit view."""

    message = Signal(str)

    def __init__(self, client: ApiClient, tasks: BackgroundTasks, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("administration")
        self.setDocumentMode(True)
        api = AdminApi(client)
        self.users = UsersTab(api, tasks, self)
        self.offices = OfficesTab(api, tasks, self)
        self.catalogue = CatalogueTab(api, tasks, self)
        self.calendar = CalendarTab(api, tasks, self)
        self.cameras = CamerasTab(api, tasks, self)
        self.settings = SettingsTab(api, tasks, self)
        self.audit = AuditTab(api, tasks, self)
        for tab, title in ((self.users, self.tr("Users")), (self.offices, self.tr("Offices")),
                           (self.catalogue, self.tr("Power catalogue")), (self.calendar, self.tr("Holidays")),
                           (self.cameras, self.tr("Cameras")), (self.settings, self.tr("Settings")),
                           (self.audit, self.tr("Audit log"))):
            self.addTab(tab, title)
            tab.message.connect(self.message)
            if tab is not self.audit:
                # Every change leaves an audit entry: the audit view shows it when next looked at.
                tab.changed.connect(self._audit_stale)
        self.currentChanged.connect(lambda _i: self.current_tab().ensure_loaded())

    def current_tab(self) -> AdminTab:
        tab = self.currentWidget()
        assert isinstance(tab, AdminTab)
        return tab

    def _audit_stale(self) -> None:
        self.audit.loaded = False
        if self.currentWidget() is self.audit:
            self.audit.ensure_loaded()

    def show_tab(self, tab: AdminTab) -> None:
        self.setCurrentWidget(tab)
        tab.ensure_loaded()

    def shutdown(self) -> None:
        self.cameras.shutdown()
