"""What administration shows, as plain data, shared by ``yingyan admin`` and the console (no Qt).

The console's widgets and the command line read these functions: an office tree from the
flat list, catalogue rows with their search keys, a year's months laid out by week, an audit
entry's before → after. Words a person reads are the caller's (the console translates them).
"""

from __future__ import annotations

import calendar as _calendar
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from shared.admin import AuditEntry

# ---- audit --------------------------------------------------------------------------------------


def change_text(e: AuditEntry) -> str:
    """Before → after of an audit entry, from the values it records (or its digests)."""
    d = e.detail
    changed = d.get("changed")
    if isinstance(changed, dict) and changed:
        return "; ".join(f"{k}: {_short(v.get('before'))} → {_short(v.get('after'))}" for k, v in changed.items()
                         if isinstance(v, dict))
    if isinstance(d.get("before"), dict) or isinstance(d.get("after"), dict):
        before, after = d.get("before") or {}, d.get("after") or {}
        keys = [k for k in {**before, **after} if before.get(k) != after.get(k)]
        return "; ".join(f"{k}: {_short(before.get(k))} → {_short(after.get(k))}" for k in keys)
    rest = {k: v for k, v in d.items() if k not in ("before", "after")}
    if rest:
        return ", ".join(f"{k}={_short(v)}" for k, v in rest.items())[:300]
    if e.before_digest or e.after_digest:
        return f"{(e.before_digest or '—')[:8]} → {(e.after_digest or '—')[:8]}"
    return ""


def _short(value: Any) -> str:
    text = "—" if value is None else str(value)
    return text if len(text) <= 60 else text[:57] + "…"


# ---- offices ------------------------------------------------------------------------------------
@dataclass
class OfficeNode:
    code: str
    name: str
    kind: str
    record: dict[str, Any]
    children: list[OfficeNode] = field(default_factory=list)
    parent: OfficeNode | None = None


def office_tree(offices: Iterable[dict[str, Any]]) -> list[OfficeNode]:
    """City → county → township: each office under its parent; an office whose parent is not
    listed (or that would make a loop) is a root. Children in code order."""
    nodes = {str(o["code"]): OfficeNode(str(o["code"]), str(o.get("name") or ""), str(o.get("kind") or ""), dict(o))
             for o in offices}
    roots: list[OfficeNode] = []
    for code in sorted(nodes):
        node = nodes[code]
        parent_code = node.record.get("parent")
        parent = nodes.get(str(parent_code)) if parent_code else None
        # Walk up: a parent chain that comes back here is a loop; break it at this node.
        seen = {code}
        p = parent
        while p is not None and p.code not in seen:
            seen.add(p.code)
            up = p.record.get("parent")
            p = nodes.get(str(up)) if up else None
        if parent is None or p is not None:
            roots.append(node)
        else:
            node.parent = parent
            parent.children.append(node)
    return roots


# ---- catalogue ----------------------------------------------------------------------------------
@dataclass(slots=True)
class CatalogueRow:
    code: str
    name: str
    department: str
    department_name: str
    kind: str
    legal_days: int
    committed_days: int | None
    fee_fen: int
    nodes: int
    risk_points: int
    top_risk: int
    item: dict[str, Any]
    search: str
    """Lower-case code, name, department and node names: what the filter matches."""


def catalogue_rows(items: Sequence[dict[str, Any]]) -> list[CatalogueRow]:
    """One row per item, with its search key (built once: the filter only looks them up)."""
    out: list[CatalogueRow] = []
    append = out.append
    for it in items:
        code, name = str(it.get("code", "")), str(it.get("name", ""))
        department, department_name = str(it.get("department", "")), str(it.get("department_name", ""))
        parts = [code, name, department, department_name]
        nodes = it.get("nodes") or ()
        risks = top = 0
        for n in nodes:
            parts.append(str(n.get("name", "")))
            risk = n.get("risk")
            if risk:
                risks += 1
                top = max(top, int(risk.get("level") or 0))
                parts.append(str(risk.get("point", "")))
        append(CatalogueRow(code, name, department, department_name, str(it.get("kind", "other")),
                            int(it.get("legal_days") or 0), it.get("committed_days"), int(it.get("fee_fen") or 0),
                            len(nodes), risks, top, it, " ".join(parts).lower()))
    return out


def matching_rows(rows: Sequence[CatalogueRow], text: str = "", department: str = "") -> list[int]:
    """Indexes of the rows whose search key holds every word of ``text``, in ``department`` if given."""
    words = text.lower().split()
    return [i for i, r in enumerate(rows)
            if (not department or r.department == department) and all(w in r.search for w in words)]


def departments(rows: Iterable[CatalogueRow]) -> list[tuple[str, str]]:
    """(code, name) of every department, by code."""
    found: dict[str, str] = {}
    for r in rows:
        if r.department not in found or (r.department_name and not found[r.department]):
            found[r.department] = r.department_name
    return sorted(found.items())


# ---- calendar -----------------------------------------------------------------------------------
WORKDAY, WEEKEND, HOLIDAY, ADJUSTED = "workday", "weekend", "holiday", "adjusted"


@dataclass(frozen=True)
class MonthGrid:
    year: int
    month: int
    weeks: list[list[tuple[date, str] | None]]
    """Weeks Monday first; each day with its kind, None outside the month."""


def day_kind(d: date, holidays: set[date] | frozenset[date], workdays: set[date] | frozenset[date]) -> str:
    if d in workdays:
        return ADJUSTED
    if d in holidays:
        return HOLIDAY
    return WEEKEND if d.weekday() >= 5 else WORKDAY


def year_grid(year: int, holidays: set[date] | frozenset[date],
              workdays: set[date] | frozenset[date]) -> list[MonthGrid]:
    months = []
    for month in range(1, 13):
        first = date(year, month, 1)
        days = _calendar.monthrange(year, month)[1]
        weeks: list[list[tuple[date, str] | None]] = []
        week: list[tuple[date, str] | None] = [None] * first.weekday()
        for i in range(days):
            d = first + timedelta(days=i)
            week.append((d, day_kind(d, holidays, workdays)))
            if len(week) == 7:
                weeks.append(week)
                week = []
        if week:
            weeks.append(week + [None] * (7 - len(week)))
        months.append(MonthGrid(year, month, weeks))
    return months


def working_days(year: int, holidays: set[date] | frozenset[date], workdays: set[date] | frozenset[date]) -> int:
    d, n = date(year, 1, 1), 0
    while d.year == year:
        n += day_kind(d, holidays, workdays) in (WORKDAY, ADJUSTED)
        d += timedelta(days=1)
    return n
