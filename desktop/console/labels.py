"""Display names for codes the server sends (statuses, severities, case states, actions).

Kept in one place so that every pane says the same word for the same thing, and so that
``pyside6-lupdate`` finds each string once (context ``Labels``).
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QColor

from desktop import i18n
from shared.rules.common import RULES


def _t(text: str) -> str:
    return QCoreApplication.translate("Labels", text)


def severity(code: str) -> str:
    return {"red": _t("red"), "yellow": _t("yellow")}.get(code, code)


def status(code: str) -> str:
    return {
        "open": _t("open"),
        "acknowledged": _t("acknowledged"),
        "escalated": _t("escalated"),
        "dismissed": _t("dismissed"),
        "promoted": _t("promoted"),
        "resolved": _t("resolved"),
    }.get(code, code)


def action(code: str) -> str:
    return {
        "ack": _t("acknowledge"),
        "escalate": _t("escalate"),
        "dismiss": _t("dismiss"),
        "promote": _t("promote"),
        "assign": _t("assign"),
        "comment": _t("comment"),
    }.get(code, code)


def case_state(code: str | None) -> str:
    return {
        "received": _t("received"),
        "in_progress": _t("in progress"),
        "suspended": _t("suspended"),
        "decided_approved": _t("approved"),
        "decided_refused": _t("refused"),
        "not_accepted": _t("not accepted"),
        "withdrawn": _t("withdrawn"),
    }.get(code or "", code or "")


def event_type(code: str) -> str:
    return {
        "received": _t("received"),
        "accepted": _t("accepted"),
        "not_accepted": _t("not accepted"),
        "node_completed": _t("node completed"),
        "suspended": _t("suspended"),
        "resumed": _t("resumed"),
        "fee_charged": _t("fee charged"),
        "decided": _t("decided"),
        "delivered": _t("delivered"),
        "withdrawn": _t("withdrawn"),
    }.get(code, code)


def rating(code: str) -> str:
    return {
        "satisfied": _t("satisfied"),
        "basically_satisfied": _t("basically satisfied"),
        "dissatisfied": _t("dissatisfied"),
        "very_poor": _t("very poor"),
    }.get(code, code)


def rule_name(code: str, zh: str | None = None, en: str | None = None) -> str:
    """A rule's name in the console's language (the server's names, else the shared table)."""
    info = RULES.get(code)
    if i18n.is_chinese():
        return zh or (info.name_zh if info else code)
    return en or (info.name_en if info else code)


SEVERITY_COLORS = {
    # Row backgrounds on the dark wall: saturated enough to read across a room, dark enough
    # for white text.
    "red": QColor("#6b1d1d"),
    "yellow": QColor("#5a4a0c"),
}
SEVERITY_ACCENT = {"red": QColor("#ff4d4f"), "yellow": QColor("#fadb14")}
FLASH_COLOR = QColor("#d32f2f")
MUTED_TEXT = QColor("#8b949e")


def fmt(text: str, *args: object) -> str:
    """Fill Qt-style ``%1``, ``%2`` … placeholders (PySide6's ``tr`` returns a plain ``str``).

    Placeholders keep their numbers in translations, so a translator may reorder them.
    """
    out = text
    for i in range(len(args), 0, -1):
        out = out.replace(f"%{i}", str(args[i - 1]))
    return out
