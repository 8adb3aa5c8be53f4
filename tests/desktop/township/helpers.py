"""Polling with deadlines (never a bare sleep) and read-only looks into the agent's outbox."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any


def wait_until(check: Callable[[], Any], timeout: float = 60, what: str = "condition") -> Any:
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {what}")
        time.sleep(0.02)


def outbox_query(home: Path, sql: str) -> Any:
    """One value from the agent's outbox, read-only (the agent may be writing meanwhile)."""
    db = home / "outbox.db"
    if not db.exists():
        return None
    try:
        con = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=10)
        try:
            row = con.execute(sql).fetchone()
        finally:
            con.close()
    except sqlite3.OperationalError:
        return None  # tables not created yet
    return row[0] if row else None


def batches_done(home: Path) -> int:
    return int(outbox_query(home, "SELECT COUNT(*) FROM batches WHERE state = 'done'") or 0)


def failed_attempts(home: Path) -> int:
    return int(outbox_query(home, "SELECT COALESCE(SUM(attempts), 0) FROM batches") or 0)
