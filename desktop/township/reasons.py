"""Why a record was rejected, in the clerk's language and in the clerk's own terms.

The server and the protocol's validator answer in English with the protocol's names
(``node 'fushen' is not a node of QG-D07-001 (its nodes: review, approve)``). The clerk
typed 复审 in the column 办理环节 and knows the nodes as 初审 and 审批: this module turns a
stored rejection (code, field, column, message, the row's cells, the mapping it was read
with) into a sentence that names the column, the cell as typed and — for nodes and other
value tables — the words of the mapping's table instead of the protocol's codes.

The sentences are English source strings in the context ``Reason`` of the township
catalogue (``resources/translations/yingyan_township_zh_CN.ts``): the window shows them in
the language it runs in, and the rejected-records report (always Chinese, like its column
headers) reads the Chinese catalogue directly, without a running application.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from collections.abc import Mapping as MappingABC
from pathlib import Path
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QTranslator

from desktop.township.mapping import Mapping, MappingError, find_mapping

CONTEXT = "Reason"
Translate = Callable[[str], str]

_SOURCES = {
    "UNKNOWN_NODE": QT_TRANSLATE_NOOP("Reason", "%1 “%2” is not a step of item %3; its steps are: %4"),
    "UNKNOWN_POWER": QT_TRANSLATE_NOOP("Reason", "Item code %1 is not in the county's catalogue of powers"),
    "CASE_MISMATCH": QT_TRANSLATE_NOOP("Reason", "Case %1 was reported before with item code %2; this row has %3"),
    "FUTURE_SERVER": QT_TRANSLATE_NOOP("Reason", "The time %1 is later than the server's time %2"),
    "FUTURE_HERE": QT_TRANSLATE_NOOP("Reason", "The time %1 is later than this computer's time %2"),
    "FUTURE": QT_TRANSLATE_NOOP("Reason", "The time in column %1 is later than now"),
    "BEFORE_1970": QT_TRANSLATE_NOOP("Reason", "The time %1 is before 1970; check the year"),
    "DUPLICATE_IN_BATCH": QT_TRANSLATE_NOOP("Reason", "The same record was sent twice in one batch"),
    "UNKNOWN_KIND": QT_TRANSLATE_NOOP("Reason", "The kind of record %1 is not one the server knows"),
    "ID_CONFLICT_ROW": QT_TRANSLATE_NOOP(
        "Reason", "This row is the same step as row %1 (same case, step and time) but its other cells differ"),
    "ID_CONFLICT_SENT": QT_TRANSLATE_NOOP(
        "Reason", "This step was already sent with other content; a sent record cannot be changed"),
    "MISSING": QT_TRANSLATE_NOOP("Reason", "Column %1 is empty; it must be filled in"),
    "MISSING_FIELD": QT_TRANSLATE_NOOP("Reason", "A required value (%1) is missing"),
    "NOT_IN_TABLE": QT_TRANSLATE_NOOP("Reason", "“%1” in column %2 is not one of the words the mapping knows: %3"),
    "NOT_DATETIME": QT_TRANSLATE_NOOP(
        "Reason", "“%1” in column %2 is not a date and time (write it like 2026-03-01 09:30:00)"),
    "NOT_NUMBER": QT_TRANSLATE_NOOP("Reason", "“%1” in column %2 is not a whole number"),
    "NOT_YUAN": QT_TRANSLATE_NOOP("Reason", "“%1” in column %2 is not an amount in yuan"),
    "FEN": QT_TRANSLATE_NOOP("Reason", "“%1” in column %2 has more than two decimals (fen)"),
    "RECEIPT_TAKEN": QT_TRANSLATE_NOOP("Reason", "The receipt code %1 is already used by another petition"),
    "INVALID_CELL": QT_TRANSLATE_NOOP("Reason", "“%1” in column %2 is not valid here"),
    "INVALID_COLUMN": QT_TRANSLATE_NOOP("Reason", "The content of column %1 is not valid"),
    "INVALID_FIELD": QT_TRANSLATE_NOOP("Reason", "A value of this row is not valid (%1)"),
    "UNREADABLE": QT_TRANSLATE_NOOP("Reason", "This row could not be read from the file"),
    "OTHER": QT_TRANSLATE_NOOP("Reason", "Refused by the server (%1)"),
}

#: Protocol field names → what the clerk's export calls them, when no column is known.
_FIELD_SOURCES = {
    "case_no": QT_TRANSLATE_NOOP("Reason", "case number"),
    "power_code": QT_TRANSLATE_NOOP("Reason", "item code"),
    "type": QT_TRANSLATE_NOOP("Reason", "operation"),
    "node": QT_TRANSLATE_NOOP("Reason", "step"),
    "at": QT_TRANSLATE_NOOP("Reason", "time"),
    "kind": QT_TRANSLATE_NOOP("Reason", "kind of record"),
    "received_at": QT_TRANSLATE_NOOP("Reason", "time received"),
}


# QT_TRANSLATE_NOOP only marks the strings for pyside6-lupdate (its stub says "object").
_T: dict[str, str] = {k: str(v) for k, v in _SOURCES.items()}
FIELD_NAMES: dict[str, str] = {k: str(v) for k, v in _FIELD_SOURCES.items()}


def qt_translate(source: str) -> str:
    """The installed application translation (the window's language)."""
    return QCoreApplication.translate(CONTEXT, source)


def catalogue_translate(language: str = "zh_CN") -> Translate:
    """A catalogue read directly (the report is Chinese whatever the window's language)."""
    from desktop.township.i18n import compiled_translation

    translator = QTranslator()
    qm = compiled_translation(language)
    if qm is None or not translator.load(str(qm)):
        return lambda s: s
    return lambda s: translator.translate(CONTEXT, s) or s


def _fill(template: str, *args: object) -> str:
    # Right to left, so %1 never eats the start of %10 and a value containing "%2" stays as it is.
    out = template
    for i, value in reversed(list(enumerate(args, 1))):
        out = out.replace(f"%{i}", str(value))
    return out


def _header_of(column: str | None) -> str | None:
    """``办理环节 (E)`` → ``办理环节``."""
    if not column:
        return None
    return re.sub(r" \([A-Z]{1,3}\)$", "", column)


def _cells(row: MappingABC[str, Any]) -> dict[str, Any]:
    try:
        source = json.loads(row.get("source") or "null")
        headers = json.loads(row.get("headers") or "[]")
    except ValueError:
        return {}
    if isinstance(source, dict):
        return source
    if isinstance(source, list):
        return dict(zip(headers, source, strict=False))
    return {}


class Explainer:
    """Turns stored rejections into the clerk's sentences (mapping files read once per name)."""

    def __init__(self, home: Path | None, translate: Translate = qt_translate):
        self.home = home
        self.tr = translate
        self._mappings: dict[str, Mapping | None] = {}

    def _mapping(self, name: str | None) -> Mapping | None:
        if not name:
            return None
        if name not in self._mappings:
            try:
                self._mappings[name] = find_mapping(name, self.home)
            except (MappingError, OSError, ValueError):
                self._mappings[name] = None
        return self._mappings[name]

    def _clerk_words(self, mapping: Mapping | None, field: str, codes: list[str]) -> list[str]:
        """The words of the mapping's value table for ``field`` that stand for ``codes``."""
        table: dict[str, Any] = {}
        for rule in mapping.rules if mapping else []:
            if rule.name == field and rule.values:
                table = rule.values
                break
        words = []
        for code in codes:
            word = next((w for w, v in table.items() if v == code), None)
            words.append(word or code)
        return words

    def _field(self, field: str | None) -> str:
        root = (field or "").split(".")[0]
        source = FIELD_NAMES.get(root)
        return self.tr(source) if source else (field or "?")

    def explain(self, row: MappingABC[str, Any]) -> str:
        """The sentence for one rejection (a row of ``Outbox.open_rejections``)."""
        code = str(row.get("code") or "")
        message = str(row.get("message") or "")
        field = row.get("field")
        column = _header_of(row.get("column_name"))
        cells = _cells(row)
        value = cells.get(column, "") if column else ""
        where = column or self._field(field)
        t = self.tr
        if code == "UNKNOWN_NODE":
            m = re.search(r"node '(.*)' is not a node of (\S+) \(its nodes: (.*)\)$", message)
            if m:
                mapping = self._mapping(row.get("mapping"))
                codes = [c.strip() for c in m.group(3).split(",") if c.strip() and c.strip() != "none"]
                words = self._clerk_words(mapping, "node", codes)
                return _fill(t(_T["UNKNOWN_NODE"]), column or t(FIELD_NAMES["node"]), value or m.group(1),
                             m.group(2), "、".join(words))
        if code == "UNKNOWN_POWER":
            m = re.search(r"power code '(.*)' is not in the catalogue", message)
            return _fill(t(_T["UNKNOWN_POWER"]), m.group(1) if m else value)
        if code == "CASE_MISMATCH":
            m = re.search(r"case (\S+) already has events with power code '(.*)', not '(.*)'", message)
            if m:
                return _fill(t(_T["CASE_MISMATCH"]), m.group(1), m.group(2), m.group(3))
        if code == "FUTURE_TIMESTAMP":
            m = re.search(r"\S+ (\S+) is more than 10 minutes after (the server's|this computer's) time (\S+)",
                          message)
            if m:
                key = "FUTURE_SERVER" if m.group(2) == "the server's" else "FUTURE_HERE"
                return _fill(t(_T[key]), _shown_time(m.group(1)), _shown_time(m.group(3)))
            return _fill(t(_T["FUTURE"]), where)
        if code == "DUPLICATE_IN_BATCH":
            return t(_T["DUPLICATE_IN_BATCH"])
        if code == "UNKNOWN_KIND":
            m = re.search(r"record kind (.*) is not one", message)
            return _fill(t(_T["UNKNOWN_KIND"]), m.group(1) if m else "")
        if code == "ID_CONFLICT":
            m = re.search(r"as row (\d+) but different content", message)
            if m:
                return _fill(t(_T["ID_CONFLICT_ROW"]), m.group(1))
            return t(_T["ID_CONFLICT_SENT"])
        if code == "MISSING_FIELD":
            return _fill(t(_T["MISSING"]), column) if column else _fill(t(_T["MISSING_FIELD"]), self._field(field))
        if code == "INVALID_FIELD":
            return self._invalid(message, field, column, value)
        return _fill(t(_T["OTHER"]), code or "?")

    def _invalid(self, message: str, field: str | None, column: str | None, value: Any) -> str:
        t = self.tr
        where = column or self._field(field)
        m = re.search(r": '(.*)' is not in the mapping's value table for .* \(known: (.*)\)$", message)
        if m:
            return _fill(t(_T["NOT_IN_TABLE"]), m.group(1), where, m.group(2))
        m = re.search(r"'(.*)' is not a date and time", message)
        if m:
            return _fill(t(_T["NOT_DATETIME"]), m.group(1), where)
        m = re.search(r"'(.*)' is not a whole number", message)
        if m:
            return _fill(t(_T["NOT_NUMBER"]), m.group(1), where)
        m = re.search(r"'(.*)' is not an amount in yuan", message)
        if m:
            return _fill(t(_T["NOT_YUAN"]), m.group(1), where)
        m = re.search(r"'(.*)' yuan has fractions of a fen", message)
        if m:
            return _fill(t(_T["FEN"]), m.group(1), where)
        m = re.search(r"\S+ (\S+) is before 1970", message)
        if m:
            return _fill(t(_T["BEFORE_1970"]), _shown_time(m.group(1)))
        if message.startswith("receipt_code is already used"):
            return _fill(t(_T["RECEIPT_TAKEN"]), value or "")
        if column is None and field is None and not value:
            return t(_T["UNREADABLE"]) if message else _fill(t(_T["INVALID_FIELD"]), "?")
        if value not in (None, ""):
            return _fill(t(_T["INVALID_CELL"]), value, where)
        if column:
            return _fill(t(_T["INVALID_COLUMN"]), column)
        return _fill(t(_T["INVALID_FIELD"]), self._field(field))


def _shown_time(text: str) -> str:
    """``2062-03-01T10:00:00+08:00`` → ``2062-03-01 10:00:00`` (as the export writes it)."""
    return text.replace("T", " ")[:19]
