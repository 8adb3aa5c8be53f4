"""What importing a catalogue would do, without storing anything (the import's dry run).

Every item is checked with the catalogue's own model (``shared.catalogue``), every problem
reported with the item's position, code and field; the items that pass are compared with
the versions in force: new codes, changed items, unchanged ones.
"""

from __future__ import annotations

from typing import Any

from server.context import CatalogueSnapshot
from shared.admin import CatalogueCheck, CatalogueProblem
from shared.catalogue import PowerItem
from shared.catalogue_io import check_item


def check_catalogue(snapshot: CatalogueSnapshot, *, items: list[dict[str, Any]]) -> CatalogueCheck:
    problems: list[CatalogueProblem] = []
    added: list[str] = []
    changed: list[str] = []
    unchanged = 0
    seen: dict[str, int] = {}
    for index, raw in enumerate(items):
        # Never echo more of a bad code than a code may hold.
        code = raw["code"][:64] if isinstance(raw.get("code"), str) else None
        found = check_item(raw)
        if found:
            problems.extend(CatalogueProblem(index=index, code=code, field=f, message=m) for f, m in found)
            continue
        item = PowerItem.model_validate(raw)
        if item.code in seen:
            problems.append(CatalogueProblem(index=index, code=item.code, field="code",
                                             message=f"{item.code!r} already appears at items[{seen[item.code]}]"))
            continue
        seen[item.code] = index
        latest = snapshot.latest(item.code)
        if latest is None:
            added.append(item.code)
        elif latest != item:
            changed.append(item.code)
        else:
            unchanged += 1
    return CatalogueCheck(items=len(items), added=added, changed=changed, unchanged=unchanged, problems=problems,
                          version=snapshot.version)
