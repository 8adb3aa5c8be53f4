"""The small forms of oversight: a card or a notice for the selected alerts, prefilled from them,
and a leader's annotation (批阅) or a reply received on paper.

A form only gathers what the person writes; what the action means (the fields it needs, their
limits) is ``shared.actions``, checked again by the replica when the form is sent, and a refusal
is shown in the status bar. The OK button waits for the fields the action cannot do without.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from desktop.console import labels
from desktop.console.labels import fmt, translate
from shared.actions.notice import DEFAULT_REPLY_DAYS

#: the longest text a form takes (the shared actions' limits are checked on sending)
MAX_REASON = 2000
MAX_SUBJECT = 200
MAX_BODY = 20_000


def _rule(brief: dict[str, Any]) -> str:
    return labels.rule_name(str(brief.get("rule") or ""), brief.get("rule_zh"), brief.get("rule_en"))


def main_office(briefs: list[dict[str, Any]]) -> str | None:
    """The office most of the selected alerts name (the first of equals): the form's unit."""
    counts = Counter(str(b["office"]) for b in briefs)
    return counts.most_common(1)[0][0] if counts else None  # most_common keeps the first of equals first


def _limited(edit: QPlainTextEdit, limit: int) -> None:
    """Cut what is pasted beyond ``limit`` characters (a hostile paste must not reach the outbox)."""

    def cut() -> None:
        text = edit.toPlainText()
        if len(text) > limit:
            edit.setPlainText(text[:limit])

    edit.textChanged.connect(cut)


class _AlertsForm(QDialog):
    """What the card and the notice forms share: the unit, and the selected alerts that go with it."""

    def __init__(self, briefs: list[dict[str, Any]], offices: list[tuple[str, str]], parent: QWidget | None) -> None:
        super().__init__(parent)
        self.briefs = briefs
        self.form = QFormLayout()
        self.office = QComboBox(self)
        self.office.setObjectName("office")
        for code, name in offices:
            self.office.addItem(f"{name} ({code})" if name != code else code, code)
        chosen = main_office(briefs)
        if chosen is not None and self.office.findData(chosen) < 0:
            self.office.addItem(chosen, chosen)
        if chosen is not None:
            self.office.setCurrentIndex(self.office.findData(chosen))
        self.form.addRow(translate("Oversight", "Unit"), self.office)
        self.linked = QLabel(self)
        self.linked.setObjectName("linked_alerts")
        self.linked.setWordWrap(True)
        self.form.addRow(translate("Oversight", "Alerts"), self.linked)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.office.currentIndexChanged.connect(self._office_changed)

    def _finish(self) -> None:
        column = QVBoxLayout(self)
        column.addLayout(self.form)
        column.addWidget(self.buttons)
        self._office_changed()
        self.resize(560, self.sizeHint().height())

    def office_code(self) -> str:
        return str(self.office.currentData() or "")

    def alert_ids(self) -> list[int]:
        """The selected alerts of the chosen unit (a card or notice goes to one unit)."""
        return [int(b["id"]) for b in self.briefs if str(b["office"]) == self.office_code()]

    def _office_changed(self) -> None:
        ids = self.alert_ids()
        left = len(self.briefs) - len(ids)
        none = translate("Oversight", "none")
        text = ", ".join(f"#{b['id']} {_rule(b)}" for b in self.briefs if int(b["id"]) in ids) or none
        if left:
            text += " " + fmt(translate("Oversight", "(%1 selected alert(s) of other units left out)"), left)
        self.linked.setText(text)
        self._check()

    def _check(self) -> None:
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setEnabled(bool(self.office_code()) and self.complete())

    def complete(self) -> bool:
        return True


class CardDialog(_AlertsForm):
    """A yellow or red card (黄牌/红牌) to a unit or a person in it, for the selected alerts."""

    def __init__(self, briefs: list[dict[str, Any]], offices: list[tuple[str, str]],
                 parent: QWidget | None = None) -> None:
        super().__init__(briefs, offices, parent)
        self.setObjectName("card_dialog")
        self.setWindowTitle(self.tr("Issue a card"))
        row = QHBoxLayout()
        self.yellow = QRadioButton(self.tr("Yellow card"), self)
        self.red = QRadioButton(self.tr("Red card"), self)
        self.yellow.setStyleSheet("color: #fadb14; font-weight: 600;")
        self.red.setStyleSheet("color: #ff4d4f; font-weight: 600;")
        group = QButtonGroup(self)
        group.addButton(self.yellow)
        group.addButton(self.red)
        # A red signal among the selection suggests the red card; the person decides.
        (self.red if any(b.get("severity") == "red" for b in briefs) else self.yellow).setChecked(True)
        row.addWidget(self.yellow)
        row.addWidget(self.red)
        row.addStretch(1)
        self.form.insertRow(0, self.tr("Card"), row)
        self.staff = QLineEdit(self)
        self.staff.setObjectName("staff")
        self.staff.setMaxLength(100)
        self.staff.setPlaceholderText(self.tr("optional: the person in the unit"))
        self.form.addRow(self.tr("Person"), self.staff)
        self.reason = QPlainTextEdit(self)
        self.reason.setObjectName("reason")
        _limited(self.reason, MAX_REASON)
        self.reason.setPlainText("；".join(dict.fromkeys(_rule(b) for b in briefs)))
        self.reason.textChanged.connect(self._check)
        self.form.addRow(self.tr("Reason"), self.reason)
        self._finish()

    def complete(self) -> bool:
        return bool(self.reason.toPlainText().strip())

    def data(self) -> dict[str, Any]:
        out: dict[str, Any] = {"kind": "red" if self.red.isChecked() else "yellow", "office": self.office_code(),
                               "reason": self.reason.toPlainText().strip(), "alerts": self.alert_ids()}
        if self.staff.text().strip():
            out["staff"] = self.staff.text().strip()
        return out


class NoticeDialog(_AlertsForm):
    """A supervision notice (督办通知书) demanding a written reply within working days."""

    def __init__(self, briefs: list[dict[str, Any]], offices: list[tuple[str, str]],
                 parent: QWidget | None = None) -> None:
        super().__init__(briefs, offices, parent)
        self.setObjectName("notice_dialog")
        self.setWindowTitle(self.tr("Issue a supervision notice"))
        self.subject = QLineEdit(self)
        self.subject.setObjectName("subject")
        self.subject.setMaxLength(MAX_SUBJECT)
        rules = "、".join(dict.fromkeys(_rule(b) for b in briefs))
        self.subject.setText(fmt(self.tr("Supervision notice on %1"), rules) if rules else "")
        self.subject.textChanged.connect(self._check)
        self.form.insertRow(1, self.tr("Subject"), self.subject)
        self.body = QPlainTextEdit(self)
        self.body.setObjectName("body")
        _limited(self.body, MAX_BODY)
        lines = [f"#{b['id']} {b.get('message') or _rule(b)}" for b in briefs]
        self.body.setPlainText("\n".join([*lines, "", self.tr("Please reply in writing by the date due.")]))
        self.form.addRow(self.tr("Text"), self.body)
        self.days = QSpinBox(self)
        self.days.setObjectName("reply_days")
        self.days.setRange(1, 60)
        self.days.setValue(DEFAULT_REPLY_DAYS)
        self.days.setSuffix(self.tr(" working days"))
        self.form.addRow(self.tr("Reply within"), self.days)
        self._finish()

    def complete(self) -> bool:
        return bool(self.subject.text().strip())

    def data(self) -> dict[str, Any]:
        return {"office": self.office_code(), "subject": self.subject.text().strip(),
                "body": self.body.toPlainText(), "alerts": self.alert_ids(), "reply_days": self.days.value()}


class TextDialog(QDialog):
    """One text to write: a leader's annotation (批阅), a reply received on paper, a revocation's reason."""

    def __init__(self, title: str, prompt: str, parent: QWidget | None = None, *, name: str = "text_dialog",
                 limit: int = MAX_BODY) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.setWindowTitle(title)
        column = QVBoxLayout(self)
        label = QLabel(prompt, self)
        label.setWordWrap(True)
        column.addWidget(label)
        self.edit = QPlainTextEdit(self)
        _limited(self.edit, limit)
        column.addWidget(self.edit)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        column.addWidget(self.buttons)
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setEnabled(False)
        self.edit.textChanged.connect(lambda: ok.setEnabled(bool(self.text())))
        self.resize(480, 260)

    def text(self) -> str:
        return self.edit.toPlainText().strip()
