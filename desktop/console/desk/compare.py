"""Two petitions side by side with what differs marked: the desk decides a merge by reading both.

Character by character (Chinese has no spaces to split words on), with ``difflib``: on the left
what only the petition at hand says, on the right what only the suggestion says; the text both
share stays plain. Qt-free: HTML for two ``QTextBrowser``.
"""

from __future__ import annotations

from difflib import SequenceMatcher
from html import escape
from typing import Any

#: the marks: left (this petition's own text), right (the suggestion's own text)
LEFT_MARK = "background-color:#7a4a00; color:#ffffff"
RIGHT_MARK = "background-color:#1f5a8a; color:#ffffff"


def marked(a: str, b: str) -> tuple[str, str]:
    """``a`` and ``b`` as HTML, each with the parts the other lacks marked."""
    left: list[str] = []
    right: list[str] = []
    for op, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            left.append(escape(a[i1:i2]))
            right.append(escape(b[j1:j2]))
            continue
        if i2 > i1:
            left.append(f"<span style='{LEFT_MARK}'>{escape(a[i1:i2])}</span>")
        if j2 > j1:
            right.append(f"<span style='{RIGHT_MARK}'>{escape(b[j1:j2])}</span>")
    return "".join(left), "".join(right)


def _subject(p: dict[str, Any]) -> str:
    s = p.get("subject") if isinstance(p.get("subject"), dict) else {}
    assert isinstance(s, dict)
    return " · ".join(str(s[k]) for k in ("name", "unit", "title") if s.get(k))


def side_by_side(this: dict[str, Any], other: dict[str, Any], headings: tuple[str, str, str]
                 ) -> tuple[str, str]:
    """HTML of both petitions (receipt code, subject, content) with their differences marked.

    ``headings``: the words for the subject, the content and "received" in the console's language.
    """
    subject_a, subject_b = marked(_subject(this), _subject(other))
    content_a, content_b = marked(str(this.get("content") or ""), str(other.get("content") or ""))

    def page(p: dict[str, Any], subject: str, content: str) -> str:
        return (f"<p><b>{escape(str(p.get('receipt_code') or ''))}</b> · {escape(headings[2])} "
                f"{escape(str(p.get('received_at') or '')[:16].replace('T', ' '))}</p>"
                f"<p><b>{escape(headings[0])}</b>：{subject}</p>"
                f"<p><b>{escape(headings[1])}</b>：{content}</p>")

    return page(this, subject_a, content_a), page(other, subject_b, content_b)
