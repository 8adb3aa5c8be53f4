"""An alert's evidence in words: why the rule fired, as the console shows it.

The server sends evidence as JSON with English keys (``due``, ``needed_by``, ``closed`` …)
and machine values (instants, event references, amounts in fen). An investigator reads
labels in the console's language and values as a person writes them: instants as
``2026-02-18 17:30``, an event as "受理 2026-02-18 09:00 · 张三", money in yuan, node codes
by their names. Keys this console does not know are shown as they come, so nothing the
server says is ever hidden.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from desktop.console import labels
from desktop.console.labels import QT_TRANSLATE_NOOP, translate
from shared.rules.common import short
from shared.timeutil import parse_instant_or_none

#: Evidence keys the rules use, with their labels (context ``Evidence``).
LABELS: dict[str, str] = {
    "due": QT_TRANSLATE_NOOP("Evidence", "Due"),
    "warn_at": QT_TRANSLATE_NOOP("Evidence", "Warning from"),
    "now": QT_TRANSLATE_NOOP("Evidence", "Checked at"),
    "watermark": QT_TRANSLATE_NOOP("Evidence", "Office data complete until"),
    "silent_hours": QT_TRANSLATE_NOOP("Evidence", "Hours without data"),
    "received": QT_TRANSLATE_NOOP("Evidence", "Received"),
    "received_at": QT_TRANSLATE_NOOP("Evidence", "Received at"),
    "started_at": QT_TRANSLATE_NOOP("Evidence", "Clock started"),
    "counted_from": QT_TRANSLATE_NOOP("Evidence", "Counted from"),
    "decided_at": QT_TRANSLATE_NOOP("Evidence", "Decided at"),
    "finished_at": QT_TRANSLATE_NOOP("Evidence", "Finished at"),
    "closed": QT_TRANSLATE_NOOP("Evidence", "Closed by"),
    "completed": QT_TRANSLATE_NOOP("Evidence", "Node completed by"),
    "decision": QT_TRANSLATE_NOOP("Evidence", "Decision"),
    "event": QT_TRANSLATE_NOOP("Evidence", "Event"),
    "events": QT_TRANSLATE_NOOP("Evidence", "Events"),
    "changes": QT_TRANSLATE_NOOP("Evidence", "Changes after closing"),
    "needed_by": QT_TRANSLATE_NOOP("Evidence", "Done before it by"),
    "missing": QT_TRANSLATE_NOOP("Evidence", "Missing"),
    "node_days": QT_TRANSLATE_NOOP("Evidence", "Node limit (working days)"),
    "ratings": QT_TRANSLATE_NOOP("Evidence", "Ratings"),
    "suspensions": QT_TRANSLATE_NOOP("Evidence", "Suspensions"),
    "pairs": QT_TRANSLATE_NOOP("Evidence", "Same person on both steps"),
    "charged_fen": QT_TRANSLATE_NOOP("Evidence", "Charged"),
    "standard_fen": QT_TRANSLATE_NOOP("Evidence", "Standard fee"),
    "earlier": QT_TRANSLATE_NOOP("Evidence", "Earlier case"),
    "petition_id": QT_TRANSLATE_NOOP("Evidence", "Petition"),
    "reason_code": QT_TRANSLATE_NOOP("Evidence", "Reason code"),
}

#: How many entries of a list are written out before "and N more".
LIST_LIMIT = 8


def label(key: str) -> str:
    text = LABELS.get(key)
    return translate("Evidence", text) if text else key


def _instant(value: str) -> str | None:
    """A timestamp as people read it, or None for text that is not one."""
    if len(value) < 16 or value[4:5] != "-" or "T" not in value:
        return None
    instant = parse_instant_or_none(value)
    if instant is None:
        return None
    try:
        return short(instant)
    except OverflowError:  # a year 1 or 9999 instant has no local time
        return None


def _yuan(value: Any) -> str:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return str(value)
    return f"¥{value / 100:,.2f}"


def _event(ref: Mapping[str, Any], nodes: Mapping[str, str]) -> str:
    parts = [labels.event_type(str(ref.get("type", "")))]
    node = ref.get("node")
    if node:
        parts[0] += f"「{nodes.get(str(node), str(node))}」"
    at = ref.get("at")
    if isinstance(at, str):
        parts.append(_instant(at) or at)
    if ref.get("actor"):
        parts.append(f"· {ref['actor']}")
    if ref.get("amount_fen") is not None:
        parts.append(_yuan(ref["amount_fen"]))
    if ref.get("reason_code"):
        parts.append(f"({labels.suspension_reason(str(ref['reason_code']))})")
    if ref.get("id") is not None:
        parts.append(f"#{ref['id']}")
    return " ".join(parts)


def _rating(ref: Mapping[str, Any]) -> str:
    at = ref.get("at")
    when = (_instant(at) or at) if isinstance(at, str) else ""
    return " ".join(x for x in (labels.rating(str(ref.get("rating", ""))), when) if x)


def _earlier(ref: Mapping[str, Any]) -> str:
    """The earlier case or petition a duplicate repeats: its number and when it was received."""
    at = ref.get("received_at")
    when = (_instant(at) or at) if isinstance(at, str) else "—"
    if "case_no" in ref:
        return labels.fmt(translate("Evidence", "case %1 (office %2), received %3"), ref.get("case_no", ""),
                          ref.get("office", ""), when)
    return labels.fmt(translate("Evidence", "%1, received %2"),
                      labels.petition("", "", str(ref.get("petition_id") or "")), when)


def _pair(pair: Any, nodes: Mapping[str, str]) -> str:
    """A separation-of-duties clash: who did which two steps."""
    if not isinstance(pair, Mapping) or not isinstance(pair.get("steps"), list):
        return json.dumps(pair, ensure_ascii=False)
    steps = " ↔ ".join(nodes.get(str(n), labels.event_type(str(n))) for n in pair["steps"])
    return f"{pair.get('actor', '')}: {steps}"


def value_text(key: str, value: Any, nodes: Mapping[str, str] | None = None) -> str:
    """One evidence value as a person writes it."""
    nodes = nodes or {}
    if value is None:
        return "—"
    if key.endswith("_fen"):
        return _yuan(value)
    if isinstance(value, bool):
        return translate("Evidence", "yes") if value else translate("Evidence", "no")
    if isinstance(value, str):
        if key == "reason_code":
            return labels.suspension_reason(value)
        return _instant(value) or value
    if isinstance(value, int | float):
        return f"{value:g}" if isinstance(value, float) else str(value)
    if isinstance(value, Mapping):
        if "type" in value and "at" in value:
            return _event(value, nodes)
        if "rating" in value:
            return _rating(value)
        if "case_no" in value or "petition_id" in value:
            return _earlier(value)
        return json.dumps(value, ensure_ascii=False, separators=(", ", ": "))
    if isinstance(value, list):
        if key == "missing":
            return "、".join(labels.event_field(str(v)) for v in value)
        if key == "pairs":
            shown = [_pair(p, nodes) for p in value[:LIST_LIMIT]]
        else:
            shown = [value_text(key, v, nodes) for v in value[:LIST_LIMIT]]
        if len(value) > LIST_LIMIT:
            shown.append(labels.fmt(translate("Evidence", "and %1 more"), len(value) - LIST_LIMIT))
        return "\n".join(shown) if shown else "—"
    return str(value)


def rows(evidence: Any, nodes: Mapping[str, str] | None = None) -> list[tuple[str, str]]:
    """Evidence as (label, value) lines; ``evidence`` is the JSON text or the decoded value."""
    if evidence is None or evidence == "":
        return []
    if isinstance(evidence, str | bytes):
        try:
            evidence = json.loads(evidence)
        except ValueError:
            return [("", evidence.decode("utf-8", "replace") if isinstance(evidence, bytes) else evidence)]
    if not isinstance(evidence, Mapping):
        return [("", json.dumps(evidence, ensure_ascii=False))]
    return [(_label_of(str(k), v), value_text(str(k), v, nodes)) for k, v in evidence.items()]


def _label_of(key: str, value: Any) -> str:
    if key == "earlier" and isinstance(value, Mapping) and "petition_id" in value:
        return translate("Evidence", "Earlier petition")
    return label(key)


def html_table(evidence: Any, nodes: Mapping[str, str] | None = None) -> str:
    """Evidence as an HTML table for the detail panes (escaped; values keep their line breaks)."""
    from html import escape

    lines = rows(evidence, nodes)
    if not lines:
        return ""
    cells = "".join(f"<tr><td style='color:#8b949e; padding-right:12px; vertical-align:top'>{escape(k)}</td>"
                    f"<td>{escape(v).replace(chr(10), '<br>')}</td></tr>" for k, v in lines)
    return f"<table>{cells}</table>"
