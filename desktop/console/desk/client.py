"""The petition desk's reads from the server, over the one HTTP client (``desktop.common.api``).

Changes never go here: they are mutations queued in the outbox (``SyncEngine.enqueue``), so the
desk works offline. These reads need the server: merge suggestions (compared over every
petition, on the server) and a petitioner's identity, which the server gives the desk alone and
writes to the audit log each time it does — so it is asked for only when the officer says so,
and never kept.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from desktop.common.api import ApiClient


class DeskApi:
    def __init__(self, client: ApiClient) -> None:
        self.client = client

    def similar(self, petition_id: str, limit: int = 5) -> list[dict[str, Any]]:
        """Other unmerged petitions that may be the same complaint, best first."""
        answer = self.client.call("GET", f"/petitions/{quote(petition_id, safe='')}/similar",
                                  params={"limit": limit})
        return list(answer.get("suggestions") or [])

    def identity(self, petition_id: str) -> dict[str, Any] | None:
        """The petitioner in clear (None when anonymous). The server audits this read."""
        answer = self.client.call("GET", f"/petitions/{quote(petition_id, safe='')}")
        who = answer.get("petitioner")
        return who if isinstance(who, dict) else None
