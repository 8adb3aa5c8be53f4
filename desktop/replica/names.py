"""Names of procedure nodes (办理环节) for display, looked up in the replica.

Alerts and events name a node by its code (``review``), which is unique only within its
catalogue item; the name an operator reads (审查) comes from the case's item. The look-up
is: the case's ``power_code`` → the item's nodes → the node's name. Both steps are cached
(an item's nodes parsed once), and a case or item the replica does not hold yet is not
cached, so its name appears once it arrives.

A ``NodeNames`` is a cache, read through whichever connection the caller's thread holds; one
thread uses it at a time (the wall's reads run one after another).
"""

from __future__ import annotations

import json
import sqlite3
from typing import Any

#: cases remembered per lookup object; beyond this the cache starts again
_CASE_LIMIT = 50_000


def item_node_names(item: Any) -> dict[str, str]:
    """Node code → name from a catalogue item (decoded JSON); empty for anything malformed."""
    if not isinstance(item, dict) or not isinstance(item.get("nodes"), list):
        return {}
    out: dict[str, str] = {}
    for node in item["nodes"]:
        if isinstance(node, dict) and isinstance(node.get("code"), str) and isinstance(node.get("name"), str):
            out[node["code"]] = node["name"]
    return out


class NodeNames:
    """Node names for cases, remembered between look-ups."""

    def __init__(self) -> None:
        self._items: dict[str, dict[str, str]] = {}
        self._cases: dict[tuple[str, str], str] = {}

    def clear(self) -> None:
        """Forget what was read (the catalogue or cases changed)."""
        self._items.clear()
        self._cases.clear()

    def for_item(self, conn: sqlite3.Connection, power_code: str) -> dict[str, str]:
        found = self._items.get(power_code)
        if found is None:
            row = conn.execute("SELECT data FROM power_items WHERE code = ?", (power_code,)).fetchone()
            if row is None or not row[0]:
                return {}
            try:
                found = item_node_names(json.loads(row[0]))
            except ValueError:
                found = {}
            self._items[power_code] = found
        return found

    def for_case(self, conn: sqlite3.Connection, office: str, case_no: str) -> dict[str, str]:
        key = (office, case_no)
        power = self._cases.get(key)
        if power is None:
            row = conn.execute("SELECT power_code FROM cases WHERE office = ? AND case_no = ?", key).fetchone()
            if row is None or not row[0]:
                return {}
            if len(self._cases) >= _CASE_LIMIT:
                self._cases.clear()
            power = self._cases[key] = str(row[0])
        return self.for_item(conn, power)

    def name(self, conn: sqlite3.Connection, office: str | None, case_no: str | None, node: str | None) -> str:
        """The node's name, or its code when the replica cannot tell."""
        if not node:
            return ""
        if not office or not case_no:
            return node
        return self.for_case(conn, office, case_no).get(node, node)
