"""The console's one way of doing work off the UI thread: "run this in the background, report back".

Like Anki's ``aqt.operations``: a callable runs on a worker of a private ``QThreadPool`` and
its result (or exception) comes back to the UI thread through a queued signal, where the
``on_done`` / ``on_error`` callbacks run. Nothing on the UI thread ever blocks on the network
or on a database write; callbacks never run on a worker.

The pool is private (not ``QThreadPool.globalInstance()``) because the change feed's
long-poll holds a worker for up to 25 s: on a two-core workstation the global pool has two
threads, and one long-poll must not starve the other tasks.

Work that touches only this computer (the replica, local files) is run with ``local=True``
on a second pool of its own: when the link to the server is down or stalled, each network call
holds its worker until its timeout (15 s; a long-poll 40 s), and the operator's offline reads
(the wall, a case file, the people a case names) must not queue behind them.
"""

from __future__ import annotations

import itertools
import logging
import time
import traceback
import weakref
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import shiboken6
from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot

log = logging.getLogger(__name__)
_ALL: weakref.WeakSet[BackgroundTasks] = weakref.WeakSet()

Done = Callable[[Any], None]
Failed = Callable[[BaseException], None]
#: ``run`` priorities: what only refreshes a figure (counts, groups) waits behind the rest
BACKGROUND = -1


@dataclass
class _Pending:
    on_done: Done | None
    on_error: Failed | None
    label: str
    owner: QObject | None = None


class _Runnable(QRunnable):
    def __init__(self, tasks: BackgroundTasks, task_id: int, fn: Callable[[], Any]) -> None:
        super().__init__()
        self._tasks = tasks
        self._id = task_id
        self._fn = fn
        self.setAutoDelete(True)

    def run(self) -> None:
        try:
            result = self._fn()
        except BaseException as exc:  # every failure is reported back, never lost on a worker
            exc.__traceback_text__ = traceback.format_exc()  # type: ignore[attr-defined]
            self._tasks._finished.emit(self._id, False, exc)
        else:
            self._tasks._finished.emit(self._id, True, result)


class BackgroundTasks(QObject):
    """Runs callables on worker threads; results return to the thread this object lives in.

    Create it on the UI thread. ``run`` returns at once with a task id.
    """

    #: (task id, ok, result or exception) — emitted by a worker, delivered queued.
    _finished = Signal(int, bool, object)
    #: number of tasks still running (for a busy indicator and for tests)
    busy_changed = Signal(int)

    def __init__(self, parent: QObject | None = None, *, max_threads: int = 4, local_threads: int = 2) -> None:
        super().__init__(parent)
        #: network calls and anything else not marked local
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(max_threads)
        #: work on this computer only (``run(…, local=True)``): never waits behind the network
        self.local_pool = QThreadPool(self)
        self.local_pool.setMaxThreadCount(local_threads)
        self._ids = itertools.count(1)
        self._pending: dict[int, _Pending] = {}
        self._finished.connect(self._deliver)
        _ALL.add(self)

    def run(
        self,
        fn: Callable[[], Any],
        on_done: Done | None = None,
        on_error: Failed | None = None,
        *,
        label: str = "",
        owner: QObject | None = None,
        priority: int = 0,
        local: bool = False,
    ) -> int:
        """Run ``fn`` on a worker; ``on_done(result)`` or ``on_error(exc)`` run here later.

        With ``owner``, the callbacks are dropped if the owner was deleted meanwhile (a pane
        closed while its query ran). Waiting tasks start by ``priority``, highest first: what the
        operator waits for (a page of the wall) before what only refreshes a figure (a count).
        ``local``: ``fn`` reads or writes only this computer (never the network), and runs on
        the local pool, which network calls cannot fill.
        """
        task_id = next(self._ids)
        self._pending[task_id] = _Pending(on_done, on_error, label or getattr(fn, "__name__", "task"), owner)
        (self.local_pool if local else self.pool).start(_Runnable(self, task_id, fn), priority)
        self.busy_changed.emit(len(self._pending))
        return task_id

    @property
    def running(self) -> int:
        return len(self._pending)

    def discard_pending(self) -> None:
        """Forget every callback still waiting (the session is closing; late results are dropped)."""
        self._pending.clear()
        self.busy_changed.emit(0)

    def wait_idle(self, msecs: int = 30_000) -> bool:
        """Block until the workers of both pools are idle (shutdown and tests only, never from a UI action)."""
        deadline = time.monotonic() + msecs / 1000
        idle = self.pool.waitForDone(msecs)
        left = max(0, int((deadline - time.monotonic()) * 1000))
        return bool(self.local_pool.waitForDone(left)) and bool(idle)

    @staticmethod
    def shutdown_all(msecs: int = 30_000) -> None:
        """Drop every pending callback and wait for the workers (at exit: no task may outlive Qt)."""
        for tasks in list(_ALL):
            if shiboken6.isValid(tasks):  # its Qt parent may already have deleted it
                tasks.discard_pending()
                tasks.wait_idle(msecs)

    @Slot(int, bool, object)
    def _deliver(self, task_id: int, ok: bool, payload: object) -> None:
        pending = self._pending.pop(task_id, None)
        self.busy_changed.emit(len(self._pending))
        if pending is None:
            return
        if pending.owner is not None and not shiboken6.isValid(pending.owner):
            return
        if ok:
            if pending.on_done is not None:
                pending.on_done(payload)
            return
        assert isinstance(payload, BaseException)
        if pending.on_error is not None:
            pending.on_error(payload)
        else:
            log.error("background task %s failed:\n%s", pending.label,
                      getattr(payload, "__traceback_text__", repr(payload)))
