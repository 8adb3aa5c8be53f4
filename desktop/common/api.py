"""The one HTTPS client of the desktop programs — console, video wall and township agent — on ``requests``.

``HttpClient`` is the transport every program uses: the server certificate is always
verified (against the configured CA file, else the system store — never ``verify=False``);
plain HTTP is accepted only for loopback development servers; a bearer token; request bodies
gzipped above a size; timeouts; and every failure sorted into what a program does about it:

* ``Unreachable`` — no useful answer (connection refused, DNS, TLS handshake cut, timeout,
  502/503/504 while the server restarts): the console goes *offline*, the agent retries;
* ``ApiError`` with the server's stable ``code`` from its ``{"error": {"code", "message"}}`` —
  a real answer (401 → sign in again, 410 ``CURSOR_EXPIRED`` → re-read a snapshot, 409, 413 …),
  with ``Retry-After`` when the server gave one. A certificate the CA does not vouch for is
  ``ApiError(0, "TLS_UNTRUSTED")``: not "offline", the user must see it.

``ApiClient`` adds the console's and the video wall's calls (spec 03 §2); the township agent's
batch upload is ``desktop.township.client``. Each thread gets its own ``requests.Session``
(sessions are not thread-safe); with ``keep_alive=False`` every request opens a fresh
connection (township links drop idle ones silently). Every call blocks: the console runs them
through ``desktop.common.tasks``.
"""

from __future__ import annotations

import email.utils
import gzip
import ipaddress
import json as jsonlib
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

import requests

API_PREFIX = "/api/v1"
#: Answers worth retrying: the link or the server is having a bad moment. Everything else is a
#: problem a person must fix (token, office, request), and retrying would only hide it.
RETRY_STATUSES = frozenset({408, 425, 429, 500, 502, 503, 504})
#: Answers meaning the server is not there to answer (restarting, overloaded, a proxy without it).
UNAVAILABLE_STATUSES = frozenset({502, 503, 504})


class ClientError(RuntimeError):
    """A request that did not get the answer it asked for."""


class Unreachable(ClientError):
    """The server could not be reached or did not answer usefully (offline; worth retrying)."""

    def __init__(self, message: str, *, status: int | None = None, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.retry_after = retry_after


class ApiError(ClientError):
    """The server answered with an error (``{"error": {"code", "message"}}``); status 0 for a refused certificate."""

    def __init__(self, status: int, code: str, message: str, retry_after: float | None = None) -> None:
        super().__init__(f"{status} {code}: {message}")
        self.status = status
        self.code = code
        self.message = message
        self.retry_after = retry_after

    @property
    def retryable(self) -> bool:
        return self.status in RETRY_STATUSES


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def normalise_base(url: str) -> str:
    """``https://host:8443`` or ``https://host:8443/api/v1`` → the API base URL; ``ValueError`` otherwise."""
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    if scheme not in {"https", "http"} or not parts.hostname:
        raise ValueError(f"not a server URL: {url!r} (expected https://host:port)")
    if scheme == "http" and not is_loopback(parts.hostname):
        raise ValueError("the server must be reached over HTTPS (plain HTTP only on loopback)")
    base = url.strip().rstrip("/")
    if base.lower().endswith(API_PREFIX):
        base = base[: -len(API_PREFIX)]
    return base + API_PREFIX


def parse_retry_after(value: str | None, now: float | None = None) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or an HTTP date)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    current = datetime.now(UTC).timestamp() if now is None else now
    return max(0.0, when.timestamp() - current)


def _short(text: str) -> str:
    return text if len(text) < 240 else text[:237] + "..."


class _ProgressReader:
    """A file streamed as a request body, saying how much has gone (``requests`` reads it in blocks)."""

    def __init__(self, f: Any, total: int, progress: Callable[[int, int], None] | None) -> None:
        self._f = f
        self._total = total
        self._sent = 0
        self._progress = progress

    def __len__(self) -> int:
        return self._total

    def read(self, size: int = -1) -> bytes:
        chunk: bytes = self._f.read(size if size and size > 0 else 1024 * 1024)
        self._sent += len(chunk)
        if self._progress is not None and chunk:
            self._progress(self._sent, self._total)
        return chunk


@dataclass(frozen=True)
class Reply:
    """A successful answer: status, body and headers."""

    status: int
    body: bytes
    #: case-insensitive, as HTTP header names are
    headers: Mapping[str, str]

    def json(self) -> Any:
        return jsonlib.loads(self.body)


def error_of(status: int, body: bytes, reason: str, headers: Mapping[str, str]) -> ApiError:
    """The server's ``{"error": {"code", "message"}}``, or the start of whatever came back."""
    code, message = "HTTP_ERROR", reason or f"HTTP {status}"
    try:
        err = jsonlib.loads(body)["error"]
        code = str(err.get("code") or code)
        message = str(err.get("message") or message)
    except (ValueError, KeyError, TypeError, AttributeError):
        text = body[:200].decode("utf-8", "replace").strip()
        if text and not reason:
            message = text
    return ApiError(status, code, message, parse_retry_after(headers.get("Retry-After")))


class HttpClient:
    """HTTPS to one server's API. ``token`` may be set after construction (sign-in)."""

    def __init__(self, server_url: str, ca_file: str | None = None, token: str | None = None, *,
                 timeout: float | tuple[float, float] = 15.0, user_agent: str = "yingyan/1",
                 keep_alive: bool = True, compress_over: int | None = None) -> None:
        self.base = normalise_base(server_url)
        self.server_url = server_url
        # A CA file when given, else the system store: the server certificate is always verified.
        self.verify: str | bool = ca_file or True
        self.token = token
        self.timeout = timeout
        self.user_agent = user_agent
        self.keep_alive = keep_alive
        #: request bodies larger than this many bytes are sent gzipped (None: never)
        self.compress_over = compress_over
        self._local = threading.local()
        self._sessions: list[requests.Session] = []
        self._lock = threading.Lock()

    # ---------------------------------------------------------------- plumbing
    def _session(self) -> requests.Session:
        session: requests.Session | None = getattr(self._local, "session", None)
        if session is None:
            session = requests.Session()
            session.headers["Accept"] = "application/json"
            session.headers["User-Agent"] = self.user_agent
            self._local.session = session
            with self._lock:
                self._sessions.append(session)
        return session

    def close(self) -> None:
        with self._lock:
            for s in self._sessions:
                s.close()
            self._sessions.clear()
        self._local = threading.local()

    def read_timeout(self, extra: float) -> float | tuple[float, float]:
        """The timeout for a request the server may hold ``extra`` seconds (a long-poll)."""
        if isinstance(self.timeout, tuple):
            return self.timeout[0], self.timeout[1] + extra
        return self.timeout + extra

    def request(self, method: str, path: str, *, params: dict[str, Any] | None = None, json: Any = None,
                body: bytes | Any | None = None, timeout: float | tuple[float, float] | None = None,
                auth: bool = True, content_type: str = "application/json") -> Reply:
        """Send one request; the answer when it is 2xx, ``Unreachable`` or ``ApiError`` otherwise.

        ``body`` is bytes, or a file-like object with ``read`` and ``__len__`` that is streamed
        as it is read (an evidence file is never held in memory whole)."""
        headers: dict[str, str] = {}
        if auth and self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        if json is not None:
            body = jsonlib.dumps(json, ensure_ascii=False).encode("utf-8")
        if body is not None:
            headers["Content-Type"] = content_type
            if isinstance(body, bytes) and self.compress_over is not None and len(body) > self.compress_over:
                # Level 1: most of the size gain for a fraction of the CPU (JSON compresses ~8x).
                body = gzip.compress(body, compresslevel=1, mtime=0)
                headers["Content-Encoding"] = "gzip"
        if not self.keep_alive:
            headers["Connection"] = "close"
        try:
            if self.keep_alive:
                r = self._session().request(method, self.base + path, params=params, data=body, headers=headers,
                                            verify=self.verify, timeout=timeout or self.timeout)
            else:
                with requests.Session() as session:
                    session.headers["Accept"] = "application/json"
                    session.headers["User-Agent"] = self.user_agent
                    r = session.request(method, self.base + path, params=params, data=body, headers=headers,
                                        verify=self.verify, timeout=timeout or self.timeout)
            content = r.content
        except requests.exceptions.SSLError as exc:
            text = str(exc)
            if "CERTIFICATE_VERIFY_FAILED" in text or "certificate verify failed" in text or "hostname" in text:
                # A certificate that does not verify is not "offline": the user must see it.
                raise ApiError(0, "TLS_UNTRUSTED", f"the server's certificate is not trusted by the configured "
                                                   f"CA ({_short(text)})") from None
            raise Unreachable(f"TLS connection to {self.server_url} failed: {_short(text)}") from None
        except (requests.exceptions.ConnectionError, requests.exceptions.Timeout,
                requests.exceptions.ChunkedEncodingError) as exc:
            raise Unreachable(f"cannot reach {self.server_url}: {type(exc).__name__}: {_short(str(exc))}") from None
        except OSError as exc:  # e.g. the CA file vanished: a setting to fix, not a network to wait for
            raise ApiError(0, "TLS_CA_FILE", f"cannot use the CA file {self.verify}: {exc}") from None
        answer = r.headers  # case-insensitive: servers spell "retry-after" as they like
        if r.status_code in UNAVAILABLE_STATUSES:
            raise Unreachable(f"{self.server_url} answered {r.status_code} (restarting or overloaded)",
                              status=r.status_code, retry_after=parse_retry_after(answer.get("Retry-After")))
        if r.status_code >= 400:
            raise error_of(r.status_code, content, r.reason or "", answer)
        return Reply(r.status_code, content, answer)

    def call(self, method: str, path: str, *, params: dict[str, Any] | None = None, json: Any = None,
             timeout: float | tuple[float, float] | None = None, auth: bool = True) -> Any:
        """``request``, and the answer's JSON (an answer that is not JSON is ``Unreachable``)."""
        reply = self.request(method, path, params=params, json=json, timeout=timeout, auth=auth)
        try:
            return reply.json()
        except ValueError as exc:
            raise Unreachable(f"{self.server_url} did not answer JSON") from exc

    def get_all(self, path: str, key: str, params: dict[str, Any] | None = None, *,
                max_pages: int = 1000) -> list[Any]:
        """Every item of a list endpoint, following its ``next`` cursors."""
        items: list[Any] = []
        cursor: str | None = None
        for _ in range(max_pages):  # a server that keeps answering "next" must not hang the caller
            page = self.call("GET", path, params={**(params or {}), **({"cursor": cursor} if cursor else {})})
            items.extend(page.get(key, []))
            cursor = page.get("next")
            if not cursor:
                break
        return items


class ApiClient(HttpClient):
    """The console's and the video wall's calls."""

    def __init__(self, server_url: str, ca_file: str | None = None, token: str | None = None, *,
                 timeout: float = 15.0, user_agent: str = "yingyan-console/1") -> None:
        super().__init__(server_url, ca_file, token, timeout=timeout, user_agent=user_agent)

    def login(self, username: str, password: str) -> dict[str, Any]:
        out: dict[str, Any] = self.call("POST", "/auth/token", json={"username": username, "password": password},
                                        auth=False)
        self.token = str(out["token"])
        return out

    def me(self) -> dict[str, Any]:
        out: dict[str, Any] = self.call("GET", "/auth/me")
        return out

    def health(self) -> dict[str, Any]:
        out: dict[str, Any] = self.call("GET", "/health", auth=False)
        return out

    def changes(self, since: str | None, *, wait: float = 0, limit: int = 1000) -> dict[str, Any]:
        params: dict[str, Any] = {"limit": limit, "wait": wait}
        if since:
            params["since"] = since
        # The read timeout must outlast the long-poll.
        out: dict[str, Any] = self.call("GET", "/changes", params=params, timeout=self.read_timeout(wait))
        return out

    def mutations(self, mutations: list[dict[str, Any]]) -> list[dict[str, Any]]:
        out = self.call("POST", "/mutations", json={"mutations": mutations})
        results: list[dict[str, Any]] = out["results"]
        return results

    def case(self, office: str, case_no: str) -> dict[str, Any]:
        out: dict[str, Any] = self.call("GET", f"/approval-cases/{quote(office, safe='')}/{quote(case_no, safe='')}")
        return out

    def alert(self, alert_id: int) -> dict[str, Any]:
        out: dict[str, Any] = self.call("GET", f"/alerts/{int(alert_id)}")
        return out

    def put_evidence(self, sha256: str, path: Path,
                     progress: Callable[[int, int], None] | None = None) -> dict[str, Any]:
        """Upload a file as evidence under its SHA-256, streamed from disk; ``progress(sent, total)``."""
        with path.open("rb") as f:
            reader = _ProgressReader(f, path.stat().st_size, progress)
            # An upload of up to 100 MiB over a township link: minutes, not the usual 15 s.
            reply = self.request("PUT", f"/evidence/{quote(sha256, safe='')}", body=reader,
                                 content_type="application/octet-stream", timeout=(15.0, 600.0))
        out: dict[str, Any] = reply.json()
        return out

    def get_evidence(self, sha256: str) -> bytes:
        """A stored evidence file's bytes (the caller checks they hash to ``sha256``)."""
        return self.request("GET", f"/evidence/{quote(sha256, safe='')}", timeout=(15.0, 600.0)).body

    def investigation(self, investigation_id: str) -> dict[str, Any]:
        out: dict[str, Any] = self.call("GET", f"/investigations/{quote(investigation_id, safe='')}")
        return out

    def logout(self) -> None:
        """Revoke this client's token on the server (signing out); the client forgets it."""
        try:
            self.call("POST", "/auth/logout")
        finally:
            self.token = None

    def people(self) -> dict[str, Any]:
        """The active users, ``{"people": [{"username", "display_name", "role"}]}``."""
        out: dict[str, Any] = self.call("GET", "/people")
        return out

    def calendar(self, year: int) -> dict[str, Any]:
        out: dict[str, Any] = self.call("GET", f"/calendar/{int(year)}")
        return out

    def cameras(self) -> list[dict[str, Any]]:
        """Every camera (the video wall's), all pages."""
        return self.get_all("/cameras", "cameras", {"limit": 500})

    def active_alerts(self) -> list[dict[str, Any]]:
        """Every active alert (for the video wall's tiles), all pages."""
        return self.get_all("/alerts", "alerts", {"active": "true", "limit": 5000})

    def figures(self, which: str, month: str | None, by: str) -> dict[str, Any]:
        """One month's ``risk-index``, ``evaluation`` or ``statistics`` (spec 07), ``month`` as YYYY-MM
        (None: the server's current month, which the answer names)."""
        if which not in ("risk-index", "evaluation", "statistics"):
            raise ValueError(f"no figures called {which!r}")
        params = {"by": by, **({"month": month} if month else {})}
        out: dict[str, Any] = self.call("GET", f"/{which}", params=params)
        return out

    def record(self, kind: str, record_id: str) -> dict[str, Any]:
        """The record behind a risk point (its ``ref``): an alert, card, notice, petition or case."""
        paths = {"alert": "/alerts/{}", "card": "/cards/{}", "notice": "/notices/{}", "petition": "/petitions/{}"}
        if kind == "case":
            office, _, case_no = str(record_id).partition("/")
            return self.case(office, case_no)
        if kind not in paths:
            raise ValueError(f"no record of kind {kind!r}")
        out: dict[str, Any] = self.call("GET", paths[kind].format(quote(str(record_id), safe="")))
        return out
