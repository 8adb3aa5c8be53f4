"""Reads cameras and active alerts from the sync server, and feeds them to the wall off the UI thread.

The HTTP is the desktop programs' one client (``desktop.common.api.ApiClient``: bearer token,
HTTPS verified against a CA file, never ``verify=False``, list pages followed through ``next``
cursors, errors in the ``{"error": {"code", "message"}}`` shape); here its answers become the
wall's cameras and alerts. ``ServerFeed`` polls it from Qt's thread pool and hands results back
as queued signals.
"""

from __future__ import annotations

import threading
from typing import Any

from PySide6.QtCore import QObject, QThreadPool, QTimer, Signal, Slot

from desktop.common.api import ApiClient, ClientError
from desktop.video.model import ActiveAlert, Camera, parse_alerts, parse_cameras


def wall_client(server_url: str, token: str, ca_file: str | None = None, *, timeout: float = 10.0) -> ApiClient:
    """The client the wall reads with (``ValueError`` for a URL that is not HTTPS, loopback aside)."""
    return ApiClient(server_url, ca_file, token, timeout=timeout, user_agent="yingyan-wall/1")


def cameras(client: ApiClient) -> list[Camera]:
    return parse_cameras(client.cameras())


def active_alerts(client: ApiClient) -> list[ActiveAlert]:
    return parse_alerts(client.active_alerts())


class ServerFeed(QObject):
    """Polls cameras and active alerts in the background; results arrive as signals."""

    cameras_loaded = Signal(list)
    alerts_loaded = Signal(list)
    failed = Signal(str)

    def __init__(self, client: ApiClient, *, alert_seconds: float = 5.0, camera_seconds: float = 60.0,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.client = client
        self._busy: set[str] = set()
        self._lock = threading.Lock()
        self._alert_timer = QTimer(self)
        self._alert_timer.setInterval(int(alert_seconds * 1000))
        self._alert_timer.timeout.connect(self.refresh_alerts)
        self._camera_timer = QTimer(self)
        self._camera_timer.setInterval(int(camera_seconds * 1000))
        self._camera_timer.timeout.connect(self.refresh_cameras)

    def start(self) -> None:
        self.refresh_cameras()
        self.refresh_alerts()
        self._alert_timer.start()
        self._camera_timer.start()

    def stop(self) -> None:
        self._alert_timer.stop()
        self._camera_timer.stop()

    def _run(self, key: str, fetch: Any, done: Any) -> None:
        with self._lock:
            if key in self._busy:  # the previous request is still out: do not pile up
                return
            self._busy.add(key)
        failed = self.failed.emit

        def work() -> None:
            try:
                done(fetch())
            except (ClientError, ValueError) as exc:
                failed(f"{key}: {exc}")
            finally:
                with self._lock:
                    self._busy.discard(key)

        QThreadPool.globalInstance().start(work)

    @Slot()
    def refresh_cameras(self) -> None:
        client = self.client
        self._run("cameras", lambda: cameras(client), self.cameras_loaded.emit)

    @Slot()
    def refresh_alerts(self) -> None:
        client = self.client
        self._run("alerts", lambda: active_alerts(client), self.alerts_loaded.emit)
