"""SQLite writers of one process take the write lock in the order they asked for it.

SQLite itself grants its lock to whoever asks first after a commit, and a writer kept
waiting asks again only after a sleep: under eight townships' batches at once some waited
many turns. ``FairLock`` queues them; these tests check the order, the hand-over, a wait that
runs out and a writer that fails while waiting.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import text

from server.db import Database, FairLock, open_database


def _until(condition: Callable[[], bool], timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.001)


def test_waiters_get_the_lock_in_the_order_they_asked() -> None:
    lock = FairLock()
    assert lock.acquire(timeout=1)
    order: list[str] = []

    def worker(name: str) -> None:
        assert lock.acquire(timeout=10)
        order.append(name)
        lock.release()

    threads = []
    for name in "ABCDE":
        t = threading.Thread(target=worker, args=(name,))
        t.start()
        threads.append(t)
        _until(lambda: len(lock._queue) == len(threads))
    lock.release()
    for t in threads:
        t.join(10)
    assert order == list("ABCDE")
    assert lock.acquire(timeout=0)  # free again once the last one gave it back
    lock.release()


def test_a_wait_that_runs_out_leaves_the_queue_as_it_was() -> None:
    lock = FairLock()
    assert lock.acquire(timeout=1)
    assert not lock.acquire(timeout=0.01)
    assert not lock._queue
    lock.release()
    assert lock.acquire(timeout=0)


def test_writers_of_one_database_commit_in_the_order_they_asked(tmp_path: Path) -> None:
    db: Database = open_database(f"sqlite:///{tmp_path / 'w.db'}")
    with db.writing() as s:
        s.execute(text("CREATE TABLE t (n INTEGER)"))
    order: list[int] = []
    first = db.writing()
    session = first.__enter__()  # the first writer holds SQLite's lock

    def writer(n: int) -> None:
        with db.writing() as s:
            s.execute(text("INSERT INTO t VALUES (:n)"), {"n": n})
            order.append(n)

    threads = []
    for n in range(6):
        t = threading.Thread(target=writer, args=(n,))
        t.start()
        threads.append(t)
        _until(lambda: len(db._write_turn._queue) == len(threads))
    session.execute(text("INSERT INTO t VALUES (-1)"))
    first.__exit__(None, None, None)
    for t in threads:
        t.join(30)
    assert order == list(range(6))
    with db.reading() as s:
        assert [r for (r,) in s.execute(text("SELECT n FROM t"))] == [-1, *range(6)]
    db.dispose()


def test_a_writer_that_fails_gives_its_turn_to_the_next(tmp_path: Path) -> None:
    db: Database = open_database(f"sqlite:///{tmp_path / 'w.db'}")
    with pytest.raises(RuntimeError), db.writing():
        raise RuntimeError("a batch that fails half-way")
    with db.writing() as s:  # not kept waiting by the failed one
        s.execute(text("CREATE TABLE t (n INTEGER)"))
    assert not db._write_turn._held
    db.dispose()
