"""The reference data the feed brings beside alerts and cases: offices, catalogue items, cameras, calendars.

(Petitions were here until the desk acted on them: ``desktop.replica.petitions``.)

Each is a row per item holding the feed's JSON (``data``) and the few columns the console
looks things up by (an office's name, an item's department, a camera's office).
"""

from __future__ import annotations

import json
from typing import Any

from desktop.replica.kind import Kind, single_key


def _simple(entity: str, table: str, key: str, extras: tuple[str, ...], ddl: str) -> Kind:
    """A kind whose row is its key, a few fields copied from the data, and the data itself."""

    def row(feed_id: str, data: dict[str, Any]) -> dict[str, Any]:
        return {key: feed_id, **{c: data.get(c) for c in extras}, "data": json.dumps(data, ensure_ascii=False)}

    return Kind(entity=entity, table=table, keys=(key,), columns=(key, *extras, "data"), row=row, ddl=ddl)


OFFICE = _simple("office", "offices", "code", ("name", "kind", "parent"), """
CREATE TABLE IF NOT EXISTS offices (code TEXT PRIMARY KEY, name TEXT, kind TEXT, parent TEXT, data TEXT,
                                    gen INTEGER NOT NULL DEFAULT 0);
""")
POWER_ITEM = _simple("power_item", "power_items", "code", ("name", "department"), """
CREATE TABLE IF NOT EXISTS power_items (code TEXT PRIMARY KEY, name TEXT, department TEXT, data TEXT,
                                        gen INTEGER NOT NULL DEFAULT 0);
""")
CAMERA = _simple("camera", "cameras", "id", ("office",), """
CREATE TABLE IF NOT EXISTS cameras (id TEXT PRIMARY KEY, office TEXT, data TEXT, gen INTEGER NOT NULL DEFAULT 0);
""")
CALENDAR = Kind(
    entity="calendar", table="calendars", keys=("year",), columns=("year", "data"),
    row=lambda feed_id, data: {"year": int(feed_id), "data": json.dumps(data, ensure_ascii=False)},
    key_of=single_key(int),
    ddl="CREATE TABLE IF NOT EXISTS calendars (year INTEGER PRIMARY KEY, data TEXT, gen INTEGER NOT NULL DEFAULT 0);",
)

KINDS = (OFFICE, POWER_ITEM, CAMERA, CALENDAR)
