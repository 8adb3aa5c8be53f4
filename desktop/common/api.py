"""HTTPS client of the sync server's console API (spec 03 §2), on ``requests``.

The server certificate is always verified: against the configured CA file, else the system
store — never ``verify=False``. Plain HTTP is accepted only for loopback development servers.

Failures are sorted into what the console does about them:

* ``Unreachable`` — no answer (connection refused, DNS, TLS handshake cut, timeout, 5xx
  while the server restarts): the console goes *offline* and retries;
* ``ApiError`` with the server's stable ``code`` — a real answer (401 → sign in again,
  410 ``CURSOR_EXPIRED`` → re-read a snapshot, 404, 409 …).

Each thread gets its own ``requests.Session`` (sessions are not thread-safe); every call is
blocking and meant to run through ``desktop.common.tasks``.
"""

from __future__ import annotations

import ipaddress
import threading
from typing import Any
from urllib.parse import quote, urlsplit

import requests

API_PREFIX = "/api/v1"


class ApiError(RuntimeError):
    """The server answered with an error (``{"error": {"code", "message"}}``)."""

    def __init__(self, status: int, code: str, message: str, retry_after: float | None = None) -> None:
        super().__init__(f"{status} {code}: {message}")
        self.status = status
        self.code = code
        self.message = message
        self.retry_after = retry_after


class Unreachable(RuntimeError):
    """The server could not be reached or did not answer usefully; the console is offline."""


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def normalise_base(url: str) -> str:
    """``https://host:8443`` or ``https://host:8443/api/v1`` → the API base URL."""
    parts = urlsplit(url.strip())
    if parts.scheme not in {"https", "http"} or not parts.hostname:
        raise ValueError(f"not a server URL: {url!r} (expected https://host:port)")
    if parts.scheme == "http" and not _is_loopback(parts.hostname):
        raise ValueError("the server must be reached over HTTPS (plain HTTP only on loopback)")
    base = url.strip().rstrip("/")
    if not base.endswith(API_PREFIX):
        base += API_PREFIX
    return base


class ApiClient:
    """The console's calls. ``token`` may be set after construction (sign-in)."""

    def __init__(self, server_url: str, ca_file: str | None = None, token: str | None = None,
                 *, timeout: float = 15.0) -> None:
        self.base = normalise_base(server_url)
        self.server_url = server_url
        self.verify: str | bool = ca_file or True
        self.token = token
        self.timeout = timeout
        self._local = threading.local()
        self._sessions: list[requests.Session] = []
        self._lock = threading.Lock()

    # ---------------------------------------------------------------- plumbing
    def _session(self) -> requests.Session:
        session: requests.Session | None = getattr(self._local, "session", None)
        if session is None:
            session = requests.Session()
            session.headers["Accept"] = "application/json"
            session.headers["User-Agent"] = "yingyan-console/1"
            self._local.session = session
            with self._lock:
                self._sessions.append(session)
        return session

    def close(self) -> None:
        with self._lock:
            for s in self._sessions:
                s.close()
            self._sessions.clear()

    def request(self, method: str, path: str, *, params: dict[str, Any] | None = None,
                json: Any = None, timeout: float | None = None, auth: bool = True) -> Any:
        headers = {}
        if auth and self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        try:
            r = self._session().request(method, self.base + path, params=params, json=json, headers=headers,
                                        verify=self.verify, timeout=timeout or self.timeout)
        except requests.exceptions.SSLError as exc:
            # A certificate that does not verify is not "offline": the user must see it.
            raise ApiError(0, "TLS_ERROR", f"the server's certificate was not accepted: {exc}") from exc
        except (requests.ConnectionError, requests.Timeout) as exc:
            raise Unreachable(f"cannot reach {self.server_url}: {type(exc).__name__}") from exc
        if r.status_code in (502, 503, 504):
            raise Unreachable(f"{self.server_url} answered {r.status_code} (restarting or overloaded)")
        if r.status_code >= 400:
            code, message = "HTTP_ERROR", r.reason or str(r.status_code)
            try:
                err = r.json().get("error", {})
                code = str(err.get("code") or code)
                message = str(err.get("message") or message)
            except (ValueError, AttributeError):
                pass
            retry = r.headers.get("Retry-After")
            raise ApiError(r.status_code, code, message, float(retry) if retry and retry.isdigit() else None)
        try:
            return r.json()
        except ValueError as exc:
            raise Unreachable(f"{self.server_url} did not answer JSON") from exc

    # ---------------------------------------------------------------- calls
    def login(self, username: str, password: str) -> dict[str, Any]:
        out: dict[str, Any] = self.request("POST", "/auth/token", json={"username": username, "password": password},
                                           auth=False)
        self.token = str(out["token"])
        return out

    def me(self) -> dict[str, Any]:
        out: dict[str, Any] = self.request("GET", "/auth/me")
        return out

    def health(self) -> dict[str, Any]:
        out: dict[str, Any] = self.request("GET", "/health", auth=False)
        return out

    def changes(self, since: str | None, *, wait: float = 0, limit: int = 1000) -> dict[str, Any]:
        params: dict[str, Any] = {"limit": limit, "wait": wait}
        if since:
            params["since"] = since
        # The read timeout must outlast the long-poll.
        out: dict[str, Any] = self.request("GET", "/changes", params=params, timeout=wait + self.timeout)
        return out

    def mutations(self, mutations: list[dict[str, Any]]) -> list[dict[str, Any]]:
        out = self.request("POST", "/mutations", json={"mutations": mutations})
        results: list[dict[str, Any]] = out["results"]
        return results

    def case(self, office: str, case_no: str) -> dict[str, Any]:
        out: dict[str, Any] = self.request("GET", f"/approval-cases/{quote(office, safe='')}/{quote(case_no, safe='')}")
        return out

    def alert(self, alert_id: int) -> dict[str, Any]:
        out: dict[str, Any] = self.request("GET", f"/alerts/{int(alert_id)}")
        return out

    def calendar(self, year: int) -> dict[str, Any]:
        out: dict[str, Any] = self.request("GET", f"/calendar/{int(year)}")
        return out
