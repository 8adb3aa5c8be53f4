"""Display names for codes the server sends (statuses, severities, case states, actions).

Kept in one place so that every pane says the same word for the same thing, and so that
``pyside6-lupdate`` finds each string once (context ``Labels``).
"""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QColor

from desktop import i18n
from shared.actions import Refusal
from shared.rules.common import RULES
from shared.timeutil import parse_instant, to_datetime

#: lupdate reads the literal (context, text) pairs of every translate(...) call.
translate = QCoreApplication.translate


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:  # noqa: N802 - the name lupdate looks for
    """Marks ``text`` for translation in ``context`` (translated where it is shown); typed ``str``."""
    return text


def severity(code: str) -> str:
    return {"red": translate("Labels", "red"),
            "yellow": translate("Labels", "yellow")}.get(code, code)


def status(code: str) -> str:
    return {
        "open": translate("Labels", "open"),
        "acknowledged": translate("Labels", "acknowledged"),
        "escalated": translate("Labels", "escalated"),
        "dismissed": translate("Labels", "dismissed"),
        "promoted": translate("Labels", "promoted"),
        "resolved": translate("Labels", "resolved"),
    }.get(code, code)


def action(code: str) -> str:
    return {
        "ack": translate("Labels", "acknowledge"),
        "escalate": translate("Labels", "escalate"),
        "dismiss": translate("Labels", "dismiss"),
        "promote": translate("Labels", "promote"),
        "assign": translate("Labels", "assign"),
        "comment": translate("Labels", "comment"),
        "annotate": translate("Labels", "leader's annotation"),
        "issue": translate("Labels", "issue"),
        "revoke": translate("Labels", "revoke"),
        "reply": translate("Labels", "reply"),
        # The petition desk's actions (what a waiting one is, in the outbox)
        "register": translate("Labels", "register a petition"),
        "accept": translate("Labels", "accept"),
        "not_accept": translate("Labels", "not accept"),
        "extend": translate("Labels", "extend"),
        "close": translate("Labels", "close"),
        "merge": translate("Labels", "merge"),
        "convert": translate("Labels", "convert to an investigation"),
        # Investigations
        "create": translate("Labels", "open the case"),
        "transition": translate("Labels", "move to a stage"),
        "approve_filing": translate("Labels", "approve filing"),
        "attach": translate("Labels", "attach evidence"),
        "note": translate("Labels", "note"),
        "request_review": translate("Labels", "request a joint review"),
        "opinion": translate("Labels", "review opinion"),
    }.get(code, code)


def card_kind(code: str) -> str:
    return {"yellow": translate("Labels", "yellow card"), "red": translate("Labels", "red card")}.get(code, code)


def card_status(code: str) -> str:
    return {"active": translate("Labels", "in force"), "revoked": translate("Labels", "revoked")}.get(code, code)


def notice_state(code: str) -> str:
    """Where a supervision notice stands in the tracker (``desktop.replica.oversight``)."""
    return {
        "awaiting": translate("Labels", "awaiting reply"),
        "late": translate("Labels", "overdue"),
        "replied": translate("Labels", "replied"),
        "replied_late": translate("Labels", "replied late"),
    }.get(code, code)


def risk_level(code: str) -> str:
    return {"green": translate("Labels", "green"), "yellow": translate("Labels", "yellow"),
            "red": translate("Labels", "red")}.get(code, code)


def risk_item(code: str) -> str:
    """A risk-index item (spec 07 §1), by the shared table's names."""
    from shared.risk import ITEM_NAMES

    zh, en = ITEM_NAMES.get(code, (code, code))
    return zh if i18n.is_chinese() else en


def record_kind(code: str) -> str:
    return {
        "alert": translate("Labels", "alert"),
        "card": translate("Labels", "card"),
        "notice": translate("Labels", "supervision notice"),
        "case": translate("Labels", "case"),
        "petition": translate("Labels", "petition"),
    }.get(code, code)


def stage(code: str | None) -> str:
    """An investigation's stage (spec 06 §2), or how it ended."""
    return {
        "acceptance": translate("Labels", "acceptance"),
        "preliminary_check": translate("Labels", "preliminary check"),
        "filing": translate("Labels", "filing"),
        "investigation": translate("Labels", "investigation"),
        "trial_review": translate("Labels", "trial review"),
        "execution": translate("Labels", "execution"),
        "supervision": translate("Labels", "supervision"),
        "concluded": translate("Labels", "concluded"),
        "closed": translate("Labels", "closed"),
    }.get(code or "", code or "")


def evidence_kind(code: str | None) -> str:
    return {
        "preliminary_report": translate("Labels", "preliminary check report"),
        "investigation_report": translate("Labels", "investigation report"),
        "trial_decision": translate("Labels", "trial decision"),
        "execution_record": translate("Labels", "execution record"),
        "other": translate("Labels", "other"),
    }.get(code or "", code or "")


def opinion(code: str | None) -> str:
    return {
        "agree": translate("Labels", "agree"),
        "disagree": translate("Labels", "dissent"),
        "comment": translate("Labels", "comment"),
    }.get(code or "", code or "")


def gate_item(item: str) -> str:
    """One item of a stage's gate (``error.missing``): evidence of a kind, an approval, an opinion."""
    if item.startswith("opinion:"):
        return fmt(translate("Labels", "the review opinion of %1"), item.split(":", 1)[1])
    if item == "filing_approval":
        return translate("Labels", "a leader's filing approval")
    return evidence_kind(item)


def case_state(code: str | None) -> str:
    return {
        "received": translate("Labels", "received"),
        "in_progress": translate("Labels", "in progress"),
        "suspended": translate("Labels", "suspended"),
        "decided_approved": translate("Labels", "approved"),
        "decided_refused": translate("Labels", "refused"),
        "not_accepted": translate("Labels", "not accepted"),
        "withdrawn": translate("Labels", "withdrawn"),
    }.get(code or "", code or "")


def event_type(code: str) -> str:
    return {
        "received": translate("Labels", "received"),
        "accepted": translate("Labels", "accepted"),
        "not_accepted": translate("Labels", "not accepted"),
        "node_completed": translate("Labels", "node completed"),
        "suspended": translate("Labels", "suspended"),
        "resumed": translate("Labels", "resumed"),
        "fee_charged": translate("Labels", "fee charged"),
        "decided": translate("Labels", "decided"),
        "delivered": translate("Labels", "delivered"),
        "withdrawn": translate("Labels", "withdrawn"),
    }.get(code, code)


def suspension_reason(code: str) -> str:
    """A suspension's ``reason_code`` (spec 01: the six reasons that stop the clock)."""
    return {
        "supplement": translate("Labels", "supplementing materials"),
        "hearing": translate("Labels", "hearing"),
        "inspection": translate("Labels", "inspection and testing"),
        "expert_review": translate("Labels", "expert review"),
        "public_notice": translate("Labels", "public notice"),
        "bidding": translate("Labels", "bidding and auction"),
    }.get(code, code)


def event_field(key: str) -> str:
    """The name of an event's field (in tooltips that list an event's details)."""
    return {
        "node": translate("Labels", "node"),
        "opinion": translate("Labels", "opinion"),
        "reason": translate("Labels", "reason"),
        "legal_basis": translate("Labels", "legal basis"),
        "reason_code": translate("Labels", "reason code"),
        "note": translate("Labels", "note"),
        "result": translate("Labels", "result"),
    }.get(key, key)


def step(code: str) -> str:
    """A procedure step as the rules name it: a node's code is named by the catalogue, but the
    case's own steps (``accept``, ``decide``) are not nodes and are named here."""
    return {
        "accept": translate("Labels", "acceptance"),
        "decide": translate("Labels", "decision"),
    }.get(code, code)


def petition(receipt_code: str, subject: str, petition_id: str) -> str:
    """How people name a petition: its receipt code and whom it is about (its id is a UUID)."""
    if receipt_code:
        named = fmt(translate("Labels", "petition %1"), receipt_code)
        return f"{named} · {subject}" if subject else named
    return fmt(translate("Labels", "petition %1"), petition_id[:8] + "…") if petition_id else ""


def petition_status(code: str | None) -> str:
    return {
        "registered": translate("Labels", "registered"),
        "accepted": translate("Labels", "accepted"),
        "not_accepted": translate("Labels", "not accepted"),
        "replied": translate("Labels", "replied"),
        "closed": translate("Labels", "closed"),
        "merged": translate("Labels", "merged"),
    }.get(code or "", code or "")


def petition_channel(code: str | None) -> str:
    return {
        "letter": translate("Labels", "letter"),
        "visit": translate("Labels", "visit"),
        "phone": translate("Labels", "phone"),
        "online": translate("Labels", "online"),
        "hotline": translate("Labels", "hotline"),
    }.get(code or "", code or "")


def petition_category(code: str | None) -> str:
    return {
        "land": translate("Labels", "land"),
        "approval": translate("Labels", "approvals"),
        "conduct": translate("Labels", "conduct"),
        "fees": translate("Labels", "fees"),
        "other": translate("Labels", "other"),
    }.get(code or "", code or "")


def petition_event(code: str | None) -> str:
    return {
        "accepted": translate("Labels", "accepted"),
        "not_accepted": translate("Labels", "not accepted"),
        "assigned": translate("Labels", "assigned to a unit"),
        "extended": translate("Labels", "handling extended"),
        "replied": translate("Labels", "replied"),
        "closed": translate("Labels", "closed"),
        "merged": translate("Labels", "merged into another"),
    }.get(code or "", code or "")


def listed(words: Iterable[str]) -> str:
    """Words one after another: 、 between them in Chinese, a comma in English."""
    return ("、" if i18n.is_chinese() else ", ").join(words)


def merge_reason(code: str) -> str:
    """Why the server suggests a merge (``shared.similarity``)."""
    return {
        "same_subject": translate("Labels", "same person"),
        "similar_subject": translate("Labels", "similar name"),
        "same_unit": translate("Labels", "same unit"),
        "similar_unit": translate("Labels", "similar unit"),
        "similar_content": translate("Labels", "similar content"),
        "likely_duplicate": translate("Labels", "likely the same complaint"),
    }.get(code, code)


def rating(code: str) -> str:
    return {
        "satisfied": translate("Labels", "satisfied"),
        "basically_satisfied": translate("Labels", "basically satisfied"),
        "dissatisfied": translate("Labels", "dissatisfied"),
        "very_poor": translate("Labels", "very poor"),
    }.get(code, code)


def when(text: object) -> str:
    """An instant the server sent (ISO 8601) as people read it: China's time, to the minute."""
    if not text:
        return ""
    try:
        return to_datetime(parse_instant(str(text))).strftime("%Y-%m-%d %H:%M")
    except ValueError:
        return str(text)


def refusal_text(refusal: Refusal) -> str:
    """Why an action was refused, whole, in the console's language (the shared action table
    writes every refusal in both)."""
    return refusal.message_zh if i18n.is_chinese() and refusal.message_zh else refusal.message


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
