"""Every kind of entity the replica holds, by its name in the change feed and the outbox.

A new kind (investigations, petitions at the desk, cards, notices) is a module declaring its
``Kind`` — table, row, and ``LocalActions`` if the operator acts on it offline — listed here.
The schema, the feed, the outbox and the re-snapshot pick it up from this table.
"""

from __future__ import annotations

from desktop.replica import alerts, cases, investigations, oversight, petitions, reference
from desktop.replica.kind import Kind

#: in the order their tables are created and a feed page is applied: the entities an operator
#: acts on last, so the reference data and cases their rows name are in place first
KINDS: dict[str, Kind] = {k.entity: k for k in (*reference.KINDS, cases.KIND, petitions.KIND, alerts.KIND,
                                                     oversight.CARD, oversight.NOTICE, investigations.KIND)}


def kind(entity: str) -> Kind:
    """The kind named ``entity``; ``KeyError`` for one the replica does not hold."""
    return KINDS[entity]
