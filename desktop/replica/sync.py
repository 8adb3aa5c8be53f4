"""Keeps the replica current and the outbox replayed, entirely through the background-task helper.

The change feed is read as a chain of tasks: each task long-polls ``GET /changes`` from the
stored cursor and applies the page to the replica in one transaction; its completion (on the
UI thread) schedules the next poll. Pages with ``more`` are read back to back with
``wait=0`` (*catching up*); once a page says there is no more, the console is *live* and
polls with ``wait=25``. When the server cannot be reached the console is *offline*, keeps
working on the replica, and retries with a capped backoff. ``410 CURSOR_EXPIRED`` starts a
re-snapshot.

``401`` (the token expired or was revoked) makes the engine *signed out*: ``auth_failed`` is
emitted once, the engine stops sending anything with the refused token, and the operator
keeps working on the replica (actions are queued as usual). Once the client holds a new
token, ``resume()`` reads the change feed on from the stored cursor and replays the outbox.
A 401 answering a request sent with a token that has since been replaced is stale and only
retried. A 401 to another request (a case's details, an alert's history) is reported with
``check_token()``: the engine asks the server about the current token at once, so the
operator does not wait for the next poll to be asked to sign in, and there is still one
signed-out state and one ``auth_failed``.

Operator actions go into the outbox (applied to the replica at once) and are replayed with
``POST /mutations`` whenever the server answers; replay is idempotent by mutation id, so a
request whose answer was lost is simply sent again.
"""

from __future__ import annotations

import logging
import time
import weakref
from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal

from desktop.common.api import ApiClient, ApiError, Unreachable
from desktop.common.tasks import BackgroundTasks
from desktop.replica import local
from desktop.replica.store import ApplyResult, OutboxResult, Replica
from shared.timeutil import SECOND, parse_instant

log = logging.getLogger(__name__)
_ENGINES: weakref.WeakSet[SyncEngine] = weakref.WeakSet()

LIVE = "live"
CATCHING_UP = "catching_up"
OFFLINE = "offline"
SIGNED_OUT = "signed_out"


def upload_kept_files(replica: Replica, client: ApiClient, batch: Sequence[dict[str, Any]]) -> None:
    """Upload the kept files the ``attach`` mutations of ``batch`` name and the server may lack.

    The network failing stops the replay (it is retried with the rest); a file the server
    refuses (its bytes changed here, so its hash no longer matches) is left out: its mutation
    is sent anyway and the server's ``EVIDENCE_MISSING`` comes back as a rejection the person
    sees, instead of the whole outbox waiting on it forever.
    """
    for sha in replica.blobs_to_upload(batch):
        try:
            client.put_evidence(sha, replica.evidence_path(sha))
        except ApiError as exc:
            if exc.status == 401 or exc.retryable:
                raise
            log.warning("the server refused kept file %s: %s", sha, exc)
            continue
        except FileNotFoundError:
            log.warning("kept file %s is gone", sha)
            continue
        replica.mark_uploaded(sha)


class SyncEngine(QObject):
    """The replica's connection to the server. Create and use it on the UI thread."""

    #: (state, since as a UNIX time, detail for the status bar)
    state_changed = Signal(str, float, str)
    #: an ``ApplyResult`` for each applied change-feed page
    applied = Signal(object)
    #: an ``OutboxResult`` after each replay
    replayed = Signal(object)
    #: alert ids whose shown state changed by a local action (applied locally at once)
    local_changed = Signal(list)
    #: (entity, ids) of another kind (cards, notices, petitions, investigations) changed by a local
    #: action or a replayed answer; entity "" when only the id is known (a conflict decided)
    entities_changed = Signal(str, list)
    #: the outbox counts may have changed (pending, conflicts, rejected)
    outbox_changed = Signal()
    #: the server refused the token: sign in again (the server's message; ``refusal`` has the code)
    auth_failed = Signal(str)
    #: (mutation id, why) "apply mine again" was refused locally: the conflict stays as it was
    resolve_refused = Signal(str, str)

    def __init__(self, replica: Replica, client: ApiClient, tasks: BackgroundTasks, *,
                 wait: float = 25.0, page_size: int = 1000, max_backoff: float = 15.0,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.replica = replica
        self.client = client
        self.tasks = tasks
        self.wait = wait
        self.page_size = page_size
        self.max_backoff = max_backoff
        self.state = OFFLINE
        self.since = time.time()
        self.detail = ""
        #: what made the engine go offline (for the window to say why in its own language)
        self.error: BaseException | None = None
        self.last_sync: float | None = None
        #: the server's clock minus this machine's, in seconds (a demo or training server runs a
        #: simulated clock): what the console adds to local instants it shows beside the server's
        self.server_offset = 0.0
        self._clock_read_at = 0.0
        self.paused = False
        self._running = False
        self._polling = False
        self._flushing = False
        self._flush_again = False
        self._failures = 0
        self._analyzed = False
        #: the server refused the token; nothing is sent until ``resume()``
        self.signed_out = False
        #: the server's answer that signed the engine out (its ``code`` says expired or revoked)
        self.refusal: ApiError | None = None
        self._checking_token = False
        # Whether the outbox may hold unsent mutations: set by every enqueue and failed replay,
        # cleared by a replay that left nothing pending. Each successful poll replays while set,
        # so a replay that failed on a stale connection is retried as soon as the server answers.
        self._outbox_dirty = True
        self._actions: list[tuple[str, list[Any], str, dict[str, Any],
                                  Callable[[list[local.Refused]], None] | None]] = []
        self._writing_action = False
        self._retry = QTimer(self)
        self._retry.setSingleShot(True)
        self._retry.timeout.connect(self._poll)
        _ENGINES.add(self)

    @staticmethod
    def instances() -> list[SyncEngine]:
        return list(_ENGINES)

    # ------------------------------------------------------------------ control
    def start(self) -> None:
        """Start (or, after a sign-in, resume) reading the change feed and replaying the outbox."""
        self._running = True
        self.signed_out = False
        self.refusal = None
        self._failures = 0
        self._set_state(CATCHING_UP if not self.paused else OFFLINE,
                        "" if not self.paused else "working offline")
        self._poll()
        self.flush()
        if not self.paused:
            self._read_server_clock()

    def _read_server_clock(self) -> None:
        # A simulated clock may run faster than this one (the demo's time-lapse): read it again
        # now and then, from the polls' rhythm, never more than twice a minute.
        self._clock_read_at = time.time()
        client = self.client

        def read() -> float:
            asked = time.time()
            now = client.health().get("now")
            return parse_instant(str(now)) / SECOND - (asked + time.time()) / 2 if now else 0.0

        def done(offset: float) -> None:
            # Within a few seconds is this machine's own clock: keep local times as they are.
            self.server_offset = offset if abs(offset) > 60 else 0.0

        self.tasks.run(read, done, lambda exc: log.info("could not read the server's clock: %r", exc),
                       label="server clock", owner=self)

    def resume(self) -> None:
        """The client holds a new token: carry on from the stored cursor and replay the outbox."""
        self._outbox_dirty = True
        self.start()

    def stop(self) -> None:
        """Stop scheduling work; a long-poll in flight finishes in the background and is applied."""
        self._running = False
        self._retry.stop()

    def set_paused(self, paused: bool) -> None:
        """"Work offline": stop talking to the server until switched back (investigators' laptops)."""
        self.paused = paused
        if paused:
            self._retry.stop()
            self._set_state(OFFLINE, "working offline")
        elif self.signed_out:
            self._set_state(SIGNED_OUT, self.detail)
        elif self._running:
            self._failures = 0
            self._set_state(CATCHING_UP, "")
            self._poll()
            self.flush()

    def _set_state(self, state: str, detail: str = "") -> None:
        if state != self.state:
            self.since = time.time()
        changed = state != self.state or detail != self.detail
        self.state = state
        self.detail = detail
        if changed:
            self.state_changed.emit(state, self.since, detail)

    # ------------------------------------------------------------------ change feed
    def _poll(self) -> None:
        if not self._running or self.paused or self._polling or self.signed_out:
            return
        self._polling = True
        wait = self.wait if self.state == LIVE else 0.0
        replica, client, limit = self.replica, self.client, self.page_size
        token = client.token

        def work() -> ApplyResult:
            page = client.changes(replica.cursor(), wait=wait, limit=limit)
            return replica.apply_changes(page)

        self.tasks.run(work, self._on_page, lambda exc: self._on_poll_error(exc, token), label="changes",
                       owner=self)

    def _refused(self, exc: BaseException, token: str | None) -> bool:
        """Whether ``exc`` means the token is no longer accepted (and the engine is now signed out).

        A 401 to a request sent with a token that has since been replaced says nothing about
        the new one: not a refusal.
        """
        if not (isinstance(exc, ApiError) and exc.status == 401) or token != self.client.token:
            return False
        self._retry.stop()
        if not self.signed_out:
            self.signed_out = True
            self.refusal = exc
            log.warning("the server refused the token: %s", exc.message)
            self._set_state(SIGNED_OUT, exc.message)
            self.auth_failed.emit(exc.message)
        return True

    def check_token(self) -> None:
        """Another request was answered 401: ask the server now whether the token still holds.

        A refusal signs the engine out exactly as a refused poll would (once, however many
        panes report); a token that still holds (the 401 answered a token replaced since) changes
        nothing. The in-flight long-poll passed its check when it was sent, so without this the
        engine would only notice at its next poll.
        """
        if self.signed_out or self._checking_token:
            return
        self._checking_token = True
        client = self.client
        token = client.token

        def done(_me: Any) -> None:
            self._checking_token = False

        def failed(exc: BaseException) -> None:
            self._checking_token = False
            self._refused(exc, token)

        self.tasks.run(client.me, done, failed, label="check token", owner=self)

    def _on_page(self, result: ApplyResult) -> None:
        self._polling = False
        if self.signed_out:
            # A long-poll sent before the token was refused: its page is in the replica; the
            # next poll waits for a new token.
            if result.count or result.snapshot_finished:
                self.applied.emit(result)
            return
        self._failures = 0
        self.last_sync = time.time()
        if self.paused:
            # A long-poll sent before "work offline" was switched on: its page is kept, and the
            # console stays offline (it must not say "live" while the operator chose otherwise).
            if result.count or result.snapshot_finished:
                self.applied.emit(result)
            return
        was_offline = self.state != LIVE and self.state != CATCHING_UP
        result.live = self.state == LIVE
        if not result.more and not self._analyzed:
            # Caught up for the first time this session: refresh the planner's statistics.
            self._analyzed = True
            self.tasks.run(self.replica.analyze_if_needed, label="analyze", owner=self)
        self._set_state(CATCHING_UP if result.more else LIVE, "")
        if time.time() - self._clock_read_at > 30:
            self._read_server_clock()
        if result.count or result.snapshot_finished:
            self.applied.emit(result)
        if was_offline or self._outbox_dirty:
            # The server answers: replay what the operator did meanwhile.
            self.flush()
        self._poll()

    def _on_poll_error(self, exc: BaseException, token: str | None = None) -> None:
        self._polling = False
        if isinstance(exc, ApiError) and exc.code == "CURSOR_EXPIRED":
            log.warning("change feed cursor expired: re-reading a snapshot")
            self._set_state(CATCHING_UP, "re-reading a snapshot")
            self.tasks.run(self.replica.begin_resnapshot, lambda _r: self._poll(), self._on_poll_error,
                           label="resnapshot")
            return
        if self._refused(exc, token) or self.signed_out:
            return
        if isinstance(exc, ApiError) and exc.status == 401:
            # Refused a token that has been replaced since: ask again with the new one.
            self._poll()
            return
        if isinstance(exc, ApiError):
            detail = exc.message
            delay = exc.retry_after
        elif isinstance(exc, Unreachable):
            detail = str(exc)
            delay = None
        else:
            log.error("change feed failed: %r", exc)
            detail = f"{type(exc).__name__}: {exc}"
            delay = None
        self._failures += 1
        self.error = exc
        self._set_state(OFFLINE, detail)
        if self._running and not self.paused:
            backoff = delay if delay is not None else min(self.max_backoff, 0.5 * 2 ** min(self._failures, 6))
            self._retry.start(int(backoff * 1000))

    # ------------------------------------------------------------------ outbox
    def enqueue(self, alert_ids: Sequence[Any], action: str, data: dict[str, Any],
                on_done: Callable[[list[local.Refused]], None] | None = None, *, entity: str = "alert") -> None:
        """Queue an action on alerts (or on ``entity``'s ids; a create names the new id): applied to
        the replica at once, replayed to the server.

        Actions are written one after another in the order the operator took them (A then E
        must be an acknowledgement then an escalation, never the reverse), so each waits for
        the previous one's write.
        """
        self._actions.append((entity, list(alert_ids), action, dict(data), on_done))
        if not self._writing_action:
            self._next_action()

    def _next_action(self) -> None:
        if not self._actions:
            self._writing_action = False
            return
        self._writing_action = True
        entity, ids, action, data, on_done = self._actions.pop(0)

        def done(result: tuple[list[Any], list[local.Refused]]) -> None:
            changed, refused = result
            if changed:
                self._outbox_dirty = True
                if entity == "alert":
                    self.local_changed.emit(changed)
                else:
                    self.entities_changed.emit(entity, [str(i) for i in changed])
                self.outbox_changed.emit()
                self.flush()
            if on_done is not None:
                on_done(refused)
            self._next_action()

        def failed(exc: BaseException) -> None:
            log.error("could not queue %s: %r", action, exc)
            self._next_action()

        self.tasks.run(lambda: self.replica.enqueue(ids, action, data, entity=entity), done, failed,
                       label=f"enqueue {action}", owner=self, local=True)

    def resolve(self, mutation_id: str, *, retry: bool) -> None:
        """Close a conflict or rejection: keep the server's state, or apply mine again."""

        def done(entity_id: Any) -> None:
            self._outbox_dirty = True
            if isinstance(entity_id, int):
                self.local_changed.emit([entity_id])
            elif isinstance(entity_id, str):
                self.entities_changed.emit("", [entity_id])
            self.outbox_changed.emit()
            if retry:
                self.flush()

        def failed(exc: BaseException) -> None:
            # The conflict is as it was; the server's version may have moved on (redraw it).
            self.outbox_changed.emit()
            if isinstance(exc, local.ActionRefused):
                self.resolve_refused.emit(mutation_id, str(exc))
            else:
                log.error("could not resolve %s: %r", mutation_id, exc)

        self.tasks.run(lambda: self.replica.resolve(mutation_id, retry=retry), done, failed, label="resolve",
                       owner=self, local=True)

    def flush(self) -> None:
        """Replay pending mutations (one request at a time, in order)."""
        if not self._running or self.paused or self.signed_out:
            return
        if self._flushing:
            self._flush_again = True
            return
        self._flushing = True
        self._flush_again = False
        replica, client = self.replica, self.client
        token = client.token

        def work() -> OutboxResult | None:
            batch = replica.pending_mutations(200)
            if not batch:
                return None
            # A file attached offline reaches the server before the mutation that names it.
            upload_kept_files(replica, client, batch)
            replica.mark_attempt([m["id"] for m in batch])
            results = client.mutations(batch)
            out = replica.record_results(results)
            # Anything the server did not answer for stays pending and is sent again.
            out.more = bool(replica.pending_mutations(1))
            return out

        self.tasks.run(work, self._on_flushed, lambda exc: self._on_flush_error(exc, token), label="mutations",
                       owner=self)

    def _on_flushed(self, result: OutboxResult | None) -> None:
        self._flushing = False
        self._outbox_dirty = result is not None and result.more
        if result is not None:
            self.replayed.emit(result)
            self.outbox_changed.emit()
            if result.alert_ids:
                self.local_changed.emit(result.alert_ids)
            for entity, keys in result.changed.items():
                if entity != "alert":
                    self.entities_changed.emit(entity, [k[0] if len(k) == 1 else k for k in keys])
            if result.more:
                self._flush_again = True
        if self._flush_again:
            self.flush()

    def _on_flush_error(self, exc: BaseException, token: str | None = None) -> None:
        self._flushing = False
        self._outbox_dirty = True
        if self._refused(exc, token) or self.signed_out:
            return
        if isinstance(exc, ApiError) and exc.status == 401:
            # Refused a token that has been replaced since: send again with the new one.
            self.flush()
            return
        if isinstance(exc, Unreachable | ApiError):
            # Stays pending; the next successful poll replays it.
            if self.state == LIVE:
                self._set_state(OFFLINE, str(exc))
                self._retry.start(1000)
            return
        log.error("replaying the outbox failed: %r", exc)
