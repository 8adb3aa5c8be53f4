"""What an action on a case needs from the person: a stage and a reason, a text, an opinion, files.

Each dialog checks what the shared action table would refuse for want of a field (a
conclusion without a reason, an empty note) before the action is queued, and says so; every
other refusal comes from the shared rules when the action is queued.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QWidget,
)

from desktop.console import labels
from desktop.console.admin.common import role_name
from desktop.console.labels import fmt
from shared.actions.investigation import EVIDENCE_KINDS, OPINIONS

#: a note, an opinion or a reason: the shared action table's limit (CommentText)
MAX_TEXT = 2000


class _Dialog(QDialog):
    def _buttons(self, form: QFormLayout) -> None:
        self.problem = QLabel(self)
        self.problem.setObjectName("problem")
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet("color: #ff7b72;")
        form.addRow(self.problem)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        form.addRow(self.buttons)

    def _allow(self, problem: str) -> None:
        self.problem.setText(problem)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(not problem)


class TextDialog(_Dialog):
    """A note, a leader's annotation (批阅) or a filing approval's remark."""

    def __init__(self, title: str, prompt: str, *, required: bool = True, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.required = required
        form = QFormLayout(self)
        form.addRow(QLabel(prompt, self))
        self.edit = QPlainTextEdit(self)
        self.edit.setMinimumSize(420, 120)
        form.addRow(self.edit)
        self._buttons(form)
        self.edit.textChanged.connect(self._check)
        self._check()

    def _check(self) -> None:
        text = self.edit.toPlainText()
        if self.required and not text.strip():
            self._allow(self.tr("Write something first."))
        elif len(text) > MAX_TEXT:
            self._allow(self.tr("At most %n characters.", "", MAX_TEXT))
        else:
            self._allow("")

    def text(self) -> str:
        return self.edit.toPlainText().strip()


class TransitionDialog(_Dialog):
    """Where the case goes next (the next stage, or an ending) and why."""

    def __init__(self, targets: tuple[str, ...], current: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Move the case"))
        form = QFormLayout(self)
        form.addRow(self.tr("Now"), QLabel(labels.stage(current), self))
        self.target = QComboBox(self)
        for t in targets:
            self.target.addItem(labels.stage(t), t)
        form.addRow(self.tr("Move to"), self.target)
        self.reason = QPlainTextEdit(self)
        self.reason.setMinimumSize(420, 90)
        form.addRow(self.tr("Reason"), self.reason)
        self._buttons(form)
        self.target.currentIndexChanged.connect(lambda _i: self._check())
        self.reason.textChanged.connect(self._check)
        self._check()

    def _check(self) -> None:
        if self.to() == "concluded" and not self.reason.toPlainText().strip():
            self._allow(self.tr("A case is concluded only with a reason."))
        elif len(self.reason.toPlainText()) > MAX_TEXT:
            self._allow(self.tr("At most %n characters.", "", MAX_TEXT))
        elif self.target.count() == 0:
            self._allow(self.tr("Nothing moves this case any more."))
        else:
            self._allow("")

    def to(self) -> str:
        return str(self.target.currentData() or "")

    def data(self) -> dict[str, Any]:
        out: dict[str, Any] = {"to": self.to()}
        if self.reason.toPlainText().strip():
            out["reason"] = self.reason.toPlainText().strip()
        return out


class OpinionDialog(_Dialog):
    """A reviewer's opinion in a joint review: agree, dissent (kept on record) or a comment."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Review opinion"))
        form = QFormLayout(self)
        self.opinion = QComboBox(self)
        for code in OPINIONS:
            self.opinion.addItem(labels.opinion(code), code)
        form.addRow(self.tr("Opinion"), self.opinion)
        self.edit = QPlainTextEdit(self)
        self.edit.setMinimumSize(420, 120)
        form.addRow(self.tr("Reasons"), self.edit)
        self._buttons(form)
        self.edit.textChanged.connect(self._check)
        self._check()

    def _check(self) -> None:
        text = self.edit.toPlainText()
        if not text.strip():
            self._allow(self.tr("Give your reasons."))
        elif len(text) > MAX_TEXT:
            self._allow(self.tr("At most %n characters.", "", MAX_TEXT))
        else:
            self._allow("")

    def data(self) -> dict[str, Any]:
        return {"opinion": str(self.opinion.currentData()), "text": self.edit.toPlainText().strip()}


class ReviewersDialog(_Dialog):
    """Whom to ask for a joint review (内网会审): people ticked on a list, and any other user
    names typed (separated by commas or spaces).

    The list is what is known here (``set_people``): the server's investigators, leaders and
    administrators when it answered (then a typed name must be one of them, so a typo never
    reaches the outbox), else the people the cases on this computer name (offline: any name may
    be typed, and the server decides on replay). The people already asked are shown ticked and
    cannot be unticked; they are not asked again.
    """

    def __init__(self, already: Sequence[str] = (), parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Request a joint review"))
        self.already = [str(n) for n in already]
        #: the names a typed one must be among (the server's list), or None: any name
        self.directory: set[str] | None = None
        #: the server could not be asked for its list
        self.unreachable = False
        form = QFormLayout(self)
        self.finder = QLineEdit(self)
        self.finder.setObjectName("find_person")
        self.finder.setClearButtonEnabled(True)
        self.finder.setPlaceholderText(self.tr("Find a person"))
        form.addRow(self.finder)
        self.people = QListWidget(self)
        self.people.setObjectName("people")
        self.people.setMinimumSize(360, 220)
        form.addRow(self.people)
        self.source = QLabel(self)
        self.source.setObjectName("people_source")
        self.source.setWordWrap(True)
        form.addRow(self.source)
        self.names = QLineEdit(self)
        self.names.setPlaceholderText(self.tr("user names, separated by commas"))
        form.addRow(self.tr("Others"), self.names)
        self._buttons(form)
        self.set_people([{"username": n} for n in self.already], complete=False)
        self.names.textChanged.connect(lambda _t: self._check())
        self.people.itemChanged.connect(lambda _i: self._check())
        self.finder.textChanged.connect(self._show_found)
        self._check()

    def set_people(self, people: Sequence[Mapping[str, Any]], *, complete: bool) -> None:
        """Offer these people (``username``, optional ``display_name`` and ``role``): ``complete``
        when they are the server's list (it is not replaced by a partial one afterwards)."""
        if self.directory is not None and not complete:
            return
        ticked = set(self._ticked())
        by_name = {str(p["username"]): p for p in people if p.get("username")}
        for name in self.already:
            by_name.setdefault(name, {"username": name})
        self.people.blockSignals(True)
        self.people.clear()
        for name, p in sorted(by_name.items(), key=lambda kv: (str(kv[1].get("display_name") or kv[0]), kv[0])):
            shown = f"{p['display_name']} ({name})" if p.get("display_name") else name
            if p.get("role"):
                shown += f" · {role_name(str(p['role']))}"
            item = QListWidgetItem(shown, self.people)
            item.setData(Qt.ItemDataRole.UserRole, name)
            if name in self.already:
                item.setText(fmt(self.tr("%1 (already asked)"), shown))
                item.setFlags(Qt.ItemFlag.ItemIsEnabled)
                item.setCheckState(Qt.CheckState.Checked)
            else:
                item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable)
                item.setCheckState(Qt.CheckState.Checked if name in ticked else Qt.CheckState.Unchecked)
        self.people.blockSignals(False)
        if complete:
            self.directory = set(by_name)
        self._say_source()
        self._show_found(self.finder.text())
        self._check()

    def server_unreachable(self) -> None:
        """The server's list cannot be had: the cases' people are offered, any typed name may be sent."""
        self.unreachable = True
        self._say_source()

    def _say_source(self) -> None:
        if self.directory is not None:
            self.source.setText(self.tr("Investigators, leaders and administrators on the server."))
        elif self.unreachable:
            self.source.setText(self.tr("The server could not be asked: the people the cases on this computer "
                                        "name. Any other name is checked by the server when the request is sent."))
        else:
            self.source.setText(self.tr("Loading the list of users…"))

    def tick(self, username: str) -> bool:
        """Tick a person on the list (False: not offered, or already asked)."""
        for row in range(self.people.count()):
            item = self.people.item(row)
            if item.data(Qt.ItemDataRole.UserRole) == username and item.flags() & Qt.ItemFlag.ItemIsUserCheckable:
                item.setCheckState(Qt.CheckState.Checked)
                return True
        return False

    def offered(self) -> list[str]:
        """The user names on the list, in its order."""
        return [str(self.people.item(r).data(Qt.ItemDataRole.UserRole)) for r in range(self.people.count())]

    def _ticked(self) -> list[str]:
        out = []
        for row in range(self.people.count()):
            item = self.people.item(row)
            if item.checkState() == Qt.CheckState.Checked and item.flags() & Qt.ItemFlag.ItemIsUserCheckable:
                out.append(str(item.data(Qt.ItemDataRole.UserRole)))
        return out

    def typed(self) -> list[str]:
        text = self.names.text().replace("，", ",").replace("、", ",")
        return list(dict.fromkeys(n.strip() for part in text.split(",") for n in part.split() if n.strip()))

    def reviewers(self) -> list[str]:
        """The people to ask: ticked, then typed (each once; those already asked are not asked again)."""
        return [n for n in dict.fromkeys([*self._ticked(), *self.typed()]) if n not in self.already]

    def _show_found(self, text: str) -> None:
        words = text.casefold().split()
        for row in range(self.people.count()):
            item = self.people.item(row)
            self.people.setRowHidden(row, not all(w in item.text().casefold() for w in words))

    def _check(self) -> None:
        names = self.reviewers()
        unknown = [n for n in self.typed() if self.directory is not None and n not in self.directory]
        if unknown:
            self._allow(fmt(self.tr("No investigator, leader or administrator is called %1."), unknown[0][:100]))
        elif not names:
            self._allow(self.tr("Name at least one reviewer."))
        elif len(names) > 50 or any(len(n) > 100 for n in names):
            self._allow(self.tr("At most 50 reviewers, each name at most 100 characters."))
        else:
            self._allow("")


class AttachDialog(_Dialog):
    """What the files are (their kind) and, for a correction, which attached file they supersede."""

    def __init__(self, names: list[str], evidence: list[dict[str, Any]], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Attach evidence"))
        form = QFormLayout(self)
        shown = "\n".join(names[:8]) + ("\n…" if len(names) > 8 else "")
        form.addRow(self.tr("Files"), QLabel(shown, self))
        self.kind = QComboBox(self)
        for code in EVIDENCE_KINDS:
            self.kind.addItem(labels.evidence_kind(code), code)
        form.addRow(self.tr("Kind"), self.kind)
        self.supersedes = QComboBox(self)
        self.supersedes.addItem(self.tr("(nothing: a new document)"), None)
        for e in evidence:
            if not e.get("superseded_by"):
                self.supersedes.addItem(f"{e.get('filename')} · {str(e.get('sha256'))[:12]}…", e.get("sha256"))
        form.addRow(self.tr("Corrects"), self.supersedes)
        self._buttons(form)
        self.supersedes.currentIndexChanged.connect(lambda _i: self._check())
        self._check()

    def _check(self) -> None:
        self._allow("")

    def kind_code(self) -> str:
        return str(self.kind.currentData())

    def supersedes_sha(self) -> str | None:
        value = self.supersedes.currentData()
        return str(value) if value else None
