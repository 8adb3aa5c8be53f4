"""HTTPS to the county server: one batch POST, and the retry policy around it.

The server's certificate is always checked — against the configured CA file, or the
system's trusted CAs when none is configured; ``verify=False`` is never used. Each attempt
opens a fresh connection: township links drop idle connections silently (NAT timeouts),
and a batch is megabytes, so a new TLS handshake per batch costs nothing that matters.
"""

from __future__ import annotations

import email.utils
import gzip
import random
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import requests

#: Retried: the link or the server is having a bad moment. Everything else is a problem a
#: person must fix (token, office, request), and retrying would only hide it.
RETRY_STATUSES = frozenset({408, 425, 429, 500, 502, 503, 504})
USER_AGENT = "yingyan-sync/1"


class FatalError(Exception):
    """A failure retrying will not fix (bad token, wrong office, certificate, malformed request)."""

    def __init__(self, message: str, code: str | None = None, status: int | None = None):
        super().__init__(message)
        self.code = code
        self.status = status


class RetryableError(Exception):
    """A failure worth retrying; ``retry_after`` is the server's Retry-After in seconds, if any."""

    def __init__(self, message: str, retry_after: float | None = None):
        super().__init__(message)
        self.retry_after = retry_after


@dataclass(frozen=True)
class Reply:
    status: int
    body: bytes
    headers: dict[str, str]

    def error(self) -> tuple[str | None, str]:
        """The spec's ``{"error": {"code", "message"}}``, or the start of whatever came back."""
        try:
            import json

            err = json.loads(self.body)["error"]
            return str(err.get("code")), str(err.get("message"))
        except (ValueError, KeyError, TypeError):
            return None, self.body[:200].decode("utf-8", "replace") or f"HTTP {self.status}"


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


@dataclass
class Backoff:
    """Exponential backoff with jitter; a server's Retry-After wins when it asks for longer.

    Jitter matters here: 1,500 township agents scheduled at the same minute must not retry
    in lockstep against a county server that just came back.
    """

    base: float = 1.0
    cap: float = 120.0
    rng: random.Random | None = None

    def delay(self, attempt: int, retry_after: float | None = None) -> float:
        rng = self.rng or random
        ceiling = min(self.cap, self.base * (2 ** min(attempt, 30)))
        jittered = ceiling * (0.5 + rng.random() / 2)
        if retry_after is not None:
            # At least what the server asked for, plus a little spread.
            return retry_after + rng.random() * min(1.0, retry_after * 0.1 + 0.05)
        return jittered


class Client:
    """Posts batches to ``<server>/api/v1/batches`` with the office token."""

    def __init__(self, server: str, token: str, ca_file: str | None, *, timeout: tuple[float, float] = (15, 600),
                 compress: bool = True):
        self.base = server.rstrip("/")
        if not self.base.endswith("/api/v1"):
            self.base += "/api/v1"
        if not self.base.lower().startswith("https://"):
            raise FatalError(f"{server} is not https:// — the server only speaks HTTPS")
        self.token = token
        self.verify: str | bool = ca_file if ca_file else True
        self.timeout = timeout
        self.compress = compress

    def _post(self, path: str, body: bytes) -> Reply:
        headers = {
            "Authorization": f"Bearer {self.token}",
            "Content-Type": "application/json",
            "Accept": "application/json",
            "User-Agent": USER_AGENT,
            "Connection": "close",
        }
        if self.compress and len(body) > 4096:
            # Level 1: most of the size gain for a fraction of the CPU (JSON compresses ~8x).
            body = gzip.compress(body, compresslevel=1, mtime=0)
            headers["Content-Encoding"] = "gzip"
        try:
            with requests.Session() as session:
                r = session.post(self.base + path, data=body, headers=headers, verify=self.verify,
                                 timeout=self.timeout)
                return Reply(r.status_code, r.content, dict(r.headers))
        except requests.exceptions.SSLError as exc:
            text = str(exc)
            if "CERTIFICATE_VERIFY_FAILED" in text or "certificate verify failed" in text or "hostname" in text:
                raise FatalError(f"the server's certificate is not trusted by the configured CA ({_short(text)}); "
                                 "check --ca", "TLS_UNTRUSTED") from None
            raise RetryableError(f"TLS connection failed: {_short(text)}") from None
        except (requests.exceptions.ConnectionError, requests.exceptions.Timeout,
                requests.exceptions.ChunkedEncodingError) as exc:
            raise RetryableError(f"connection failed: {_short(str(exc))}") from None
        except OSError as exc:  # e.g. the CA file vanished
            raise FatalError(f"cannot reach the server: {exc}") from None

    def post_batch(self, body: bytes, *, dry_run: bool = False) -> bytes:
        """The summary's bytes; ``RetryableError`` or ``FatalError`` otherwise."""
        reply = self._post("/batches" + ("?dry_run=true" if dry_run else ""), body)
        if reply.status == 200:
            return reply.body
        code, message = reply.error()
        if reply.status in RETRY_STATUSES:
            raise RetryableError(f"HTTP {reply.status} {code or ''} {message}".strip(),
                                 parse_retry_after(reply.headers.get("Retry-After")))
        if reply.status == 401:
            raise FatalError(f"the server refused the office token ({message}); run 'yingyan sync login' again",
                             code, 401)
        raise FatalError(f"HTTP {reply.status} {code or ''}: {message}", code, reply.status)


def _short(text: str) -> str:
    return text if len(text) < 240 else text[:237] + "..."


def sleep_or_stop(seconds: float, stop: Any = None) -> bool:
    """Wait; True if ``stop`` (a threading.Event) was set meanwhile."""
    if stop is not None:
        return bool(stop.wait(seconds))
    time.sleep(seconds)
    return False
