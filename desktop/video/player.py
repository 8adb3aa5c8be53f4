"""One live stream in one tile: state, frame statistics, stall detection and reconnects.

libvlc decodes and draws straight into the tile's native window; this class only drives it.
Three rules keep the console responsive and crash-free:

* libvlc calls that may wait (stop, set_media, play, snapshot) run on the tile's own worker
  thread, in order, so the UI thread never waits on the network;
* libvlc event callbacks arrive on libvlc threads and do nothing but emit a Qt signal,
  which Qt queues to the UI thread (calling libvlc from a callback deadlocks it);
* every connection attempt gets a new generation number and events of older generations
  are ignored, so the ``Stopped`` of an old attempt cannot end a new one.

Liveness is judged from ``media.get_stats()``: a stream is *playing* while
``displayed_pictures`` keeps growing, *stalled* once no new picture has been shown for
``stall_after`` seconds (or the input ended), and *offline* after ``offline_after``
seconds without a picture. Reconnects back off exponentially with jitter, capped low
enough that a camera that comes back is playing again within a few seconds.
"""

from __future__ import annotations

import contextlib
import random
import time
from collections import deque
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal, Slot

from desktop.video import engine
from desktop.video.model import redact_url

# libvlc_state_t values (vlc.State): Opening=1, Buffering=2, Playing=3, Stopped=5, Ended=6, Error=7
_VLC_ENDED = 6
_VLC_ERROR = 7


class TileState(StrEnum):
    IDLE = "idle"
    CONNECTING = "connecting"
    PLAYING = "playing"
    STALLED = "stalled"
    OFFLINE = "offline"
    UNSUPPORTED = "unsupported"


@dataclass(frozen=True)
class ReconnectPolicy:
    stall_after: float = 3.0
    offline_after: float = 8.0
    # an attempt that shows no picture within this time is abandoned and retried
    connect_timeout: float = 6.0
    backoff_base: float = 0.5
    backoff_cap: float = 3.0
    jitter: float = 0.25
    poll_interval: float = 0.5

    def delay(self, attempt: int, rng: random.Random) -> float:
        """Seconds before reconnect attempt number ``attempt`` (0-based)."""
        base = min(self.backoff_cap, self.backoff_base * (2 ** min(attempt, 16)))
        # Jitter keeps 16 tiles of one dead NVR from reconnecting in lock-step.
        return max(0.05, base * (1.0 + rng.uniform(-self.jitter, self.jitter)))


@dataclass
class FrameCounters:
    displayed: int = 0
    lost: int = 0
    decoded: int = 0


class StreamPlayer(QObject):
    """Plays one URL into one native window and keeps it alive."""

    state_changed = Signal(str)
    # emitted after each poll: fps and seconds since the last new picture may have changed
    stats_updated = Signal()
    # seconds from the last picture before an outage to the first picture after it
    recovered = Signal(float)
    _vlc_state = Signal(int, int)

    def __init__(
        self,
        policy: ReconnectPolicy | None = None,
        clock: Callable[[], float] = time.monotonic,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.policy = policy or ReconnectPolicy()
        self._clock = clock
        self._rng = random.Random()  # noqa: S311 - jitter, not cryptography
        self._vlc = engine.import_vlc()
        self._instance = engine.instance()
        self._player = self._instance.media_player_new()
        # Mouse and keys must reach Qt (double-click, drag) instead of VLC's own window.
        self._player.video_set_mouse_input(False)
        self._player.video_set_key_input(False)
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="vlc-tile")
        self._closed = False
        self._url: str | None = None
        self._media_options: tuple[str, ...] = ()
        self._state = TileState.IDLE
        self.reason = ""
        self._media: Any = None
        self._worker_media: Any = None
        self._generation = 0
        self._attempt = 0
        self._attempt_started: float | None = None
        self._next_attempt_at: float | None = None
        self._last_frame: float | None = None
        self._outage_since: float | None = None
        self._connect_since: float | None = None
        self._last_displayed = 0
        self._last_lost = 0
        self._last_decoded = 0
        self._samples: deque[tuple[float, int]] = deque(maxlen=8)
        self.totals = FrameCounters()
        self.reconnects = 0
        self.last_recovery: float | None = None
        self._vlc_state.connect(self._on_vlc_state)
        self._timer = QTimer(self)
        self._timer.setInterval(int(self.policy.poll_interval * 1000))
        self._timer.timeout.connect(self.poll)

    # ----------------------------------------------------------------- public API
    @property
    def state(self) -> TileState:
        return self._state

    @property
    def url(self) -> str | None:
        return self._url

    @property
    def fps(self) -> float:
        if len(self._samples) < 2 or self._state != TileState.PLAYING:
            return 0.0
        (t0, n0), (t1, n1) = self._samples[0], self._samples[-1]
        return (n1 - n0) / (t1 - t0) if t1 > t0 else 0.0

    def seconds_since_frame(self) -> float | None:
        return None if self._last_frame is None else max(0.0, self._clock() - self._last_frame)

    def set_window(self, handle: int) -> None:
        """Bind the player to a native window (X11 window id or HWND); call before ``play``."""
        import sys

        if sys.platform == "win32":
            self._player.set_hwnd(handle)
        elif sys.platform == "darwin":
            self._player.set_nsobject(handle)
        else:
            self._player.set_xwindow(handle)

    def play(self, url: str | None, options: tuple[str, ...] = ()) -> None:
        """Start playing ``url`` (None: stop and show nothing). Same URL again is a no-op."""
        if self._closed or url == self._url:
            return
        self._url = url
        self._media_options = options
        self._last_frame = None
        self._outage_since = None
        self._attempt = 0
        self._samples.clear()
        if url is None:
            self._timer.stop()
            self._next_attempt_at = None
            self._attempt_started = None
            self._media = None
            self._generation += 1
            self._submit(self._stop_and_release)
            self._set_state(TileState.IDLE)
            return
        reason = engine.capabilities().unsupported_reason(url)
        if reason is not None:
            self._timer.stop()
            self._generation += 1
            self._media = None
            self._submit(self._stop_and_release)
            self.reason = reason
            self._set_state(TileState.UNSUPPORTED)
            return
        self.reason = ""
        self._set_state(TileState.CONNECTING)
        self._connect_since = self._clock()
        self._start_attempt(self._connect_since)
        self._timer.start()

    def restart(self) -> None:
        """Reconnect now (operator asked, or a tile became visible again)."""
        if self._url is not None and self._state != TileState.UNSUPPORTED:
            self._start_attempt(self._clock())

    def submit(self, fn: Callable[[], Any]) -> Future[Any] | None:
        """Run ``fn`` on this tile's libvlc worker thread, after the commands already queued."""
        return self._submit(fn)

    def snapshot_png(self, path: str) -> bool:
        """Write the current picture to ``path``; blocking, so call it only from ``submit``."""
        return bool(self._player.video_take_snapshot(0, path, 0, 0) == 0)

    def close(self, wait: float | None = 5.0) -> Future[Any] | None:
        """Stop and release the player; waits up to ``wait`` seconds (None: not at all) for
        libvlc to let go. Returns the release's future, done once libvlc no longer draws."""
        if self._closed:
            return None
        self._closed = True
        self._timer.stop()
        self._generation += 1
        player = self._player

        def release() -> None:
            self._stop_and_release()
            player.release()

        future = self._executor.submit(release)
        self._executor.shutdown(wait=False)
        # A player that will not stop is abandoned rather than hanging the console.
        if wait is not None:
            with contextlib.suppress(Exception):
                future.result(timeout=wait)
        self._media = None
        return future

    # ----------------------------------------------------------------- internals
    def _submit(self, fn: Callable[[], Any]) -> Future[Any] | None:
        if self._closed:
            return None
        return self._executor.submit(fn)

    def _set_state(self, state: TileState) -> None:
        if state != self._state:
            self._state = state
            self.state_changed.emit(state.value)

    def _start_attempt(self, now: float) -> None:
        assert self._url is not None
        self._generation += 1
        generation = self._generation
        media = self._instance.media_new(self._url, *self._media_options)
        emit = self._vlc_state.emit

        def on_state(event: Any) -> None:
            # libvlc thread: only hand the news to the UI thread.
            emit(generation, int(event.u.new_state))

        media.event_manager().event_attach(self._vlc.EventType.MediaStateChanged, on_state)
        self._media = media
        self._last_displayed = self._last_lost = self._last_decoded = 0
        self._samples.clear()
        self._attempt_started = now
        self._next_attempt_at = None
        player = self._player

        def work() -> None:
            player.stop()
            player.set_media(media)
            player.play()
            self._release_worker_media(media)

        self._submit(work)

    def _release_worker_media(self, keep: Any) -> None:
        # Worker thread only. python-vlc never frees a Media by itself: without this every
        # reconnect attempt would leak one libvlc media (a day of outages is thousands).
        old, self._worker_media = self._worker_media, keep
        if old is not None and old is not keep:
            self._forget_media(old)
            old.release()
            engine.memory.trim()

    def _forget_media(self, media: Any) -> None:
        # python-vlc memoises every Media's event manager in a class-level dict, which would
        # keep each attempt's Media, callback and closure alive for ever: detach and drop it.
        with contextlib.suppress(Exception):
            media.event_manager().event_detach(self._vlc.EventType.MediaStateChanged)
        cache = getattr(type(media).__dict__.get("event_manager"), "_cache", None)
        if isinstance(cache, dict):
            cache.pop(media, None)

    def _stop_and_release(self) -> None:
        self._player.stop()
        self._release_worker_media(None)

    def _schedule_retry(self, now: float) -> None:
        if self._next_attempt_at is None:
            self._next_attempt_at = now + self.policy.delay(self._attempt, self._rng)
            self._attempt += 1
            self._attempt_started = None

    def _begin_outage(self, now: float) -> None:
        if self._state == TileState.PLAYING:
            self._outage_since = self._last_frame if self._last_frame is not None else now
            self._set_state(TileState.STALLED)

    @Slot(int, int)
    def _on_vlc_state(self, generation: int, vlc_state: int) -> None:
        if generation != self._generation or self._closed:
            return
        if vlc_state in (_VLC_ENDED, _VLC_ERROR):
            now = self._clock()
            self._begin_outage(now)
            self._schedule_retry(now)

    def _read_stats(self) -> FrameCounters | None:
        media = self._media
        if media is None:
            return None
        stats = self._vlc.MediaStats()
        if not media.get_stats(stats):
            return None
        return FrameCounters(stats.displayed_pictures, stats.lost_pictures, stats.decoded_video)

    @Slot()
    def poll(self) -> None:
        """Read frame statistics and advance the state machine (runs every ``poll_interval``)."""
        if self._closed or self._url is None or self._state in (TileState.IDLE, TileState.UNSUPPORTED):
            return
        now = self._clock()
        counters = self._read_stats()
        if counters is not None:
            self._account(counters)
            if counters.displayed > self._last_displayed:
                self._last_displayed = counters.displayed
                self._last_frame = now
                self._samples.append((now, counters.displayed))
                if self._state != TileState.PLAYING:
                    if self._outage_since is not None:
                        self.last_recovery = now - self._outage_since
                        self.reconnects += 1
                        self.recovered.emit(self.last_recovery)
                    self._outage_since = None
                    self._attempt = 0
                    self._next_attempt_at = None
                    self._set_state(TileState.PLAYING)
        p = self.policy
        if self._state == TileState.PLAYING:
            if self._last_frame is not None and now - self._last_frame > p.stall_after:
                self._begin_outage(now)
                self._schedule_retry(now)
        else:
            # Offline counts from the last picture, or from the start for a camera never seen.
            reference = self._outage_since if self._outage_since is not None else self._connect_since
            if (
                self._state in (TileState.STALLED, TileState.CONNECTING)
                and reference is not None
                and now - reference > p.offline_after
            ):
                self._set_state(TileState.OFFLINE)
            if (
                self._attempt_started is not None
                and self._next_attempt_at is None
                and now - self._attempt_started > p.connect_timeout
            ):
                self._schedule_retry(now)
        if self._next_attempt_at is not None and now >= self._next_attempt_at:
            self._start_attempt(now)
        self.stats_updated.emit()

    def _account(self, c: FrameCounters) -> None:
        # Counters restart at zero with every new media; keep running totals for the benches.
        self.totals.displayed += max(0, c.displayed - self._last_displayed)
        self.totals.lost += max(0, c.lost - self._last_lost)
        self.totals.decoded += max(0, c.decoded - self._last_decoded)
        self._last_lost = max(self._last_lost, c.lost)
        self._last_decoded = max(self._last_decoded, c.decoded)

    def describe(self) -> str:
        """For logs: never prints camera passwords."""
        return f"{self._state.value} {redact_url(self._url or '')}"
