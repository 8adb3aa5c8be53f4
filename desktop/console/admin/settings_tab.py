"""Server settings (risk-index weights, OFFICE_SILENT hours, the holiday warning's start): every
field in a table, edited in place, checked before it is sent, each change audited."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QModelIndex
from PySide6.QtWidgets import QAbstractItemView, QLabel, QPushButton, QTableView, QVBoxLayout, QWidget

from desktop.admin.client import AdminApi
from desktop.common.tasks import BackgroundTasks
from desktop.console.admin.common import AdminTab, button_row
from desktop.console.admin.models import SettingsModel
from desktop.console.labels import QT_TRANSLATE_NOOP, fmt
from shared import settings as registry
from shared.admin import Setting

LABELS = {
    ("risk-index", ""): QT_TRANSLATE_NOOP("AdminSettings", "Risk index"),
    ("risk-index", "red_alert"): QT_TRANSLATE_NOOP("AdminSettings", "Red alert raised (points)"),
    ("risk-index", "yellow_alert"): QT_TRANSLATE_NOOP("AdminSettings", "Yellow alert raised (points)"),
    ("risk-index", "red_card"): QT_TRANSLATE_NOOP("AdminSettings", "Red card (points)"),
    ("risk-index", "yellow_card"): QT_TRANSLATE_NOOP("AdminSettings", "Yellow card (points)"),
    ("risk-index", "notice_overdue"): QT_TRANSLATE_NOOP("AdminSettings", "Supervision notice answered late (points)"),
    ("risk-index", "dissatisfied"): QT_TRANSLATE_NOOP("AdminSettings", "Dissatisfied rating (points)"),
    ("risk-index", "very_poor"): QT_TRANSLATE_NOOP("AdminSettings", "Very poor rating (points)"),
    ("risk-index", "substantiated_petition"): QT_TRANSLATE_NOOP("AdminSettings",
                                                                "Petition substantiated (points)"),
    ("risk-index", "green_from"): QT_TRANSLATE_NOOP("AdminSettings", "Green from (index)"),
    ("risk-index", "yellow_from"): QT_TRANSLATE_NOOP("AdminSettings", "Yellow from (index)"),
    ("office-silent", ""): QT_TRANSLATE_NOOP("AdminSettings", "Office silent"),
    ("office-silent", "hours"): QT_TRANSLATE_NOOP("AdminSettings", "Hours without data"),
    ("calendar-warning", ""): QT_TRANSLATE_NOOP("AdminSettings", "Next year's holidays"),
    ("calendar-warning", "from_month"): QT_TRANSLATE_NOOP("AdminSettings", "Warn from month"),
    ("calendar-warning", "from_day"): QT_TRANSLATE_NOOP("AdminSettings", "Warn from day"),
}


def label(name: str, field: str) -> str:
    """A setting's or a field's name in the interface's language (its code if this console is older)."""
    text = LABELS.get((name, field))
    return QCoreApplication.translate("AdminSettings", text) if text else (field or name)


class SettingsTab(AdminTab):
    def __init__(self, api: AdminApi, tasks: BackgroundTasks, parent: QWidget | None = None) -> None:
        super().__init__(api, tasks, parent)
        self.model = SettingsModel(label, self)
        self.table = QTableView(self)
        self.table.setObjectName("settings_table")
        self.table.setModel(self.model)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked
                                   | QAbstractItemView.EditTrigger.EditKeyPressed
                                   | QAbstractItemView.EditTrigger.AnyKeyPressed)
        self.meaning = QLabel(self)
        self.meaning.setObjectName("setting_meaning")
        self.meaning.setWordWrap(True)
        self.save_button = QPushButton(self.tr("Save changes"), self)
        self.save_button.setObjectName("save_settings")
        self.revert_button = QPushButton(self.tr("Undo changes"), self)
        self.save_button.clicked.connect(self.save)
        self.revert_button.clicked.connect(self.refresh)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(self.tr("Double-click a value to change it. Bold values differ from the default; "
                                        "every change is in the audit log."), self))
        layout.addWidget(self.table, 1)
        layout.addWidget(self.meaning)
        layout.addLayout(button_row(self, self.save_button, self.revert_button))
        layout.addWidget(self.status)
        self.table.selectionModel().currentRowChanged.connect(self._show_meaning)
        self.model.dataChanged.connect(lambda *_: self._dirty())
        self._dirty()

    def refresh(self) -> None:
        self.call(self.api.settings, self._show, label="settings")

    def _show(self, settings: list[Setting]) -> None:
        self.model.set_settings(settings)
        self.table.resizeColumnsToContents()
        self._dirty()
        self.say("")

    def _dirty(self) -> None:
        self.save_button.setEnabled(bool(self.model.changed))
        self.revert_button.setEnabled(bool(self.model.changed))

    def _show_meaning(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if not current.isValid():
            self.meaning.clear()
            return
        name, field = self.model.rows[current.row()]
        self.meaning.setText(f"{label(name, field)}: {self.model.meanings.get((name, field), '')}")

    def set_value(self, name: str, field: str, value: object) -> bool:
        """Type ``value`` into the field's cell, as a user would (tests and keyboard users)."""
        row = self.model.rows.index((name, field))
        return self.model.setData(self.model.index(row, SettingsModel.VALUE), value)

    def save(self) -> None:
        changed = {name: dict(self.model.values[name]) for name in sorted(self.model.changed)}
        problems = []
        for name, value in changed.items():
            if name in registry.SETTINGS:
                try:
                    registry.validate(name, value)
                except registry.SettingError as exc:
                    problems += [f"{label(name, '')}: {p}" for p in exc.problems]
        if problems:
            self.say(fmt(self.tr("Not saved: %1"), "; ".join(problems)), error=True)
            return
        api = self.api

        def work() -> list[Setting]:
            for name, value in changed.items():
                api.put_setting(name, value)
            return api.settings()

        def done(settings: list[Setting]) -> None:
            self._show(settings)
            self.say(fmt(self.tr("Saved: %1"), ", ".join(label(n, "") for n in changed)))
            self.changed.emit()

        self.call(work, done, label="save settings")
