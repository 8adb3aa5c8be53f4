"""A fake server for pusher tests without the network: answers batches like the real one would."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from desktop.township.client import FatalError, RetryableError


class FakeServer:
    """Stores records by id; ``faults`` are raised on the next calls, in order."""

    def __init__(self, reject: Callable[[dict[str, Any]], str | None] | None = None):
        self.stored: dict[str, dict[str, Any]] = {}
        self.summaries: dict[str, bytes] = {}
        self.bodies: list[dict[str, Any]] = []
        self.raw_bodies: list[bytes] = []
        self.faults: list[Exception] = []
        self.reject = reject or (lambda r: None)

    def post_batch(self, body: bytes, *, dry_run: bool = False) -> bytes:
        self.raw_bodies.append(body)
        if self.faults:
            raise self.faults.pop(0)
        batch = json.loads(body)
        self.bodies.append(batch)
        if batch["batch_id"] in self.summaries:
            return self.summaries[batch["batch_id"]]
        errors, imported, duplicates = [], 0, 0
        for i, r in enumerate(batch["records"]):
            code = self.reject(r)
            if code:
                errors.append({"index": i, "id": r["id"], "code": code, "field": "power_code", "message": "no"})
            elif r["id"] in self.stored:
                duplicates += 1
            else:
                self.stored[r["id"]] = r
                imported += 1
        summary = json.dumps({
            "batch_id": batch["batch_id"], "office": batch["office"],
            "status": "ok" if not errors else "partial", "received": len(batch["records"]), "imported": imported,
            "duplicates": duplicates, "rejected": len(errors), "errors": errors, "alerts_raised": 0,
            "watermark": batch.get("complete_until"), "processed_at": "2026-03-02T08:00:00+08:00",
        }).encode()
        self.summaries[batch["batch_id"]] = summary
        return summary


__all__ = ["FakeServer", "FatalError", "RetryableError"]
