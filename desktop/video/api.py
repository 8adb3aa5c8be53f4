"""Reads cameras and active alerts from the sync server, and feeds them to the wall off the UI thread.

``ServerClient`` speaks the protocol of ``03-sync-protocol.md``: bearer token, HTTPS verified
against a CA file (never ``verify=False``), list pages followed through ``next`` cursors,
errors in the ``{"error": {"code", "message"}}`` shape. ``ServerFeed`` polls it from Qt's
thread pool and hands results back as queued signals.
"""

from __future__ import annotations

import ipaddress
import threading
from typing import Any
from urllib.parse import urlsplit

import requests
from PySide6.QtCore import QObject, QThreadPool, QTimer, Signal, Slot

from desktop.video.model import ActiveAlert, Camera, parse_alerts, parse_cameras


class ApiError(RuntimeError):
    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(f"{status} {code}: {message}")
        self.status = status
        self.code = code
        self.message = message


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class ServerClient:
    def __init__(
        self,
        base_url: str,
        token: str,
        ca_file: str | None = None,
        *,
        timeout: float = 10.0,
        session: requests.Session | None = None,
    ) -> None:
        parts = urlsplit(base_url)
        if parts.scheme != "https" and not (parts.scheme == "http" and _is_loopback(parts.hostname or "")):
            raise ValueError("the server must be reached over HTTPS (plain HTTP only on loopback)")
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        self.session = session or requests.Session()
        self.session.headers["Authorization"] = f"Bearer {token}"
        self.session.headers["Accept"] = "application/json"
        # A CA file when given, else the system store: the server certificate is always verified.
        self.verify: str | bool = ca_file or True

    def _get(self, path: str, params: dict[str, Any]) -> Any:
        response = self.session.get(f"{self.base_url}{path}", params=params, timeout=self.timeout,
                                    verify=self.verify)
        if response.status_code != 200:
            code, message = "HTTP_ERROR", response.reason or ""
            try:
                error = response.json().get("error", {})
                code, message = error.get("code", code), error.get("message", message)
            except (ValueError, AttributeError):
                pass
            raise ApiError(response.status_code, str(code), str(message))
        return response.json()

    def _get_all(self, path: str, key: str, params: dict[str, Any]) -> list[Any]:
        items: list[Any] = []
        cursor: str | None = None
        for _ in range(1000):  # a server that keeps answering "next" must not hang the feed
            page = self._get(path, {**params, **({"cursor": cursor} if cursor else {})})
            items.extend(page.get(key, []))
            cursor = page.get("next")
            if not cursor:
                break
        return items

    def cameras(self) -> list[Camera]:
        return parse_cameras(self._get_all("/api/v1/cameras", "cameras", {"limit": 500}))

    def active_alerts(self) -> list[ActiveAlert]:
        return parse_alerts(self._get_all("/api/v1/alerts", "alerts", {"active": "true", "limit": 5000}))


class ServerFeed(QObject):
    """Polls cameras and active alerts in the background; results arrive as signals."""

    cameras_loaded = Signal(list)
    alerts_loaded = Signal(list)
    failed = Signal(str)

    def __init__(self, client: ServerClient, *, alert_seconds: float = 5.0, camera_seconds: float = 60.0,
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
            except (requests.RequestException, ApiError, ValueError) as exc:
                failed(f"{key}: {exc}")
            finally:
                with self._lock:
                    self._busy.discard(key)

        QThreadPool.globalInstance().start(work)

    @Slot()
    def refresh_cameras(self) -> None:
        self._run("cameras", self.client.cameras, self.cameras_loaded.emit)

    @Slot()
    def refresh_alerts(self) -> None:
        self._run("alerts", self.client.active_alerts, self.alerts_loaded.emit)
