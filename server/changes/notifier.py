"""Wakes long-polls when a change is committed, in this process or another.

In-process commits set an event directly. Other processes are seen through PostgreSQL
``LISTEN/NOTIFY`` or, on SQLite, by watching the change log's head a few times a second.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading

from sqlalchemy import text

from server.changes.service import latest_seq
from server.db import Database

log = logging.getLogger(__name__)
CHANNEL = "yingyan_changes"


class ChangeNotifier:
    def __init__(self, db: Database):
        self.db = db
        self._loop: asyncio.AbstractEventLoop | None = None
        self._waiters: set[asyncio.Event] = set()
        self._task: asyncio.Task[None] | None = None
        self._head = 0
        self._lock = threading.Lock()

    async def start(self) -> None:
        self._loop = asyncio.get_running_loop()
        self._head = await asyncio.to_thread(self._read_head)
        runner = self._listen_postgres if self.db.is_postgres else self._watch_sqlite
        self._task = asyncio.create_task(runner())

    async def stop(self) -> None:
        if self._task:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._task

    def _read_head(self) -> int:
        with self.db.reading() as s:
            return latest_seq(s)

    def committed(self) -> None:
        """Called (from any thread) after this process committed changes."""
        if self.db.is_postgres:
            with self.db.writer.connect() as conn:
                conn.execute(text(f"NOTIFY {CHANNEL}"))
                conn.commit()
        loop = self._loop
        if loop is not None and not loop.is_closed():
            loop.call_soon_threadsafe(self._wake)

    def wake_all(self) -> None:
        """Wake every waiting long-poll (from any thread or a signal handler)."""
        loop = self._loop
        if loop is not None and not loop.is_closed():
            loop.call_soon_threadsafe(self._wake)

    def _wake(self) -> None:
        for event in list(self._waiters):
            event.set()

    async def wait(self, timeout: float) -> bool:
        """Wait until something is committed, or ``timeout`` seconds; True if woken."""
        event = asyncio.Event()
        self._waiters.add(event)
        try:
            await asyncio.wait_for(event.wait(), timeout)
            return True
        except TimeoutError:
            return False
        finally:
            self._waiters.discard(event)

    async def _watch_sqlite(self) -> None:
        while True:
            await asyncio.sleep(0.25)
            try:
                head = await asyncio.to_thread(self._read_head)
            except Exception:  # a busy database must not kill the watcher
                log.exception("change watcher could not read the head")
                continue
            if head != self._head:
                self._head = head
                self._wake()

    async def _listen_postgres(self) -> None:
        import psycopg

        url = self.db.url.replace("postgresql+psycopg://", "postgresql://")
        while True:
            try:
                async with await psycopg.AsyncConnection.connect(url, autocommit=True) as conn:
                    await conn.execute(f"LISTEN {CHANNEL}")
                    self._wake()  # anything committed while we were not listening
                    async for _ in conn.notifies():
                        self._wake()
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("LISTEN connection lost; reconnecting")
                await asyncio.sleep(1)
