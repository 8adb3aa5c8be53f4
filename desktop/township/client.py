"""The agent's batch upload to the county server, and the retry policy around it.

HTTP is the desktop programs' one client (``desktop.common.api.HttpClient``): the server's
certificate is always checked — against the configured CA file, or the system's trusted CAs
when none is configured; ``verify=False`` is never used. Each attempt opens a fresh connection
(``keep_alive=False``): township links drop idle connections silently (NAT timeouts), and a
batch is megabytes, so a new TLS handshake per batch costs nothing that matters. Bodies over
4 KiB go gzipped.

What is the agent's own is the policy: which failures are worth retrying (``RetryableError``,
with the server's Retry-After) and which a person must fix (``FatalError``: token, office,
certificate, request), and the backoff between attempts.
"""

from __future__ import annotations

import random
import time
from dataclasses import dataclass
from typing import Any

from desktop.common.api import RETRY_STATUSES, ApiError, HttpClient, Unreachable, parse_retry_after

__all__ = ["RETRY_STATUSES", "Backoff", "Client", "FatalError", "RetryableError", "parse_retry_after",
           "sleep_or_stop"]

USER_AGENT = "yingyan-sync/1"
#: request bodies above this size go gzipped
COMPRESS_OVER = 4096


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
        try:
            self.http = HttpClient(server, ca_file, token, timeout=timeout, user_agent=USER_AGENT, keep_alive=False,
                                   compress_over=COMPRESS_OVER if compress else None)
        except ValueError as exc:
            raise FatalError(f"{server}: {exc}") from None

    @property
    def base(self) -> str:
        return self.http.base

    def post_batch(self, body: bytes, *, dry_run: bool = False) -> bytes:
        """The summary's bytes; ``RetryableError`` or ``FatalError`` otherwise."""
        try:
            reply = self.http.request("POST", "/batches", params={"dry_run": "true"} if dry_run else None, body=body)
        except Unreachable as exc:
            raise RetryableError(str(exc), exc.retry_after) from None
        except ApiError as exc:
            if exc.status == 0:
                # The certificate or the CA file: a setting to fix.
                raise FatalError(f"{exc.message}; check --ca", exc.code) from None
            if exc.retryable:
                raise RetryableError(f"HTTP {exc.status} {exc.code} {exc.message}", exc.retry_after) from None
            if exc.status == 401:
                raise FatalError(f"the server refused the office token ({exc.message}); run 'yingyan sync login' "
                                 "again", exc.code, 401) from None
            raise FatalError(f"HTTP {exc.status} {exc.code}: {exc.message}", exc.code, exc.status) from None
        if reply.status != 200:
            raise FatalError(f"HTTP {reply.status}: unexpected answer to a batch", None, reply.status)
        return reply.body


    def office_name(self) -> str | None:
        """The office's name as the server knows it (``GET /auth/me``); None if it cannot say."""
        try:
            me = self.http.call("GET", "/auth/me")
        except (Unreachable, ApiError):
            return None
        name = me.get("office_name") if isinstance(me, dict) else None
        return name if isinstance(name, str) and name.strip() else None

    def notices(self, *, status: str | None = None, limit: int = 1000) -> list[dict[str, Any]]:
        """The supervision notices addressed to this office (the server answers its own only),
        newest first, every page; ``FatalError`` or ``RetryableError`` as for a batch."""
        out: list[dict[str, Any]] = []
        cursor: str | None = None
        for _ in range(1000):
            params: dict[str, Any] = {"limit": str(limit)}
            if status:
                params["status"] = status
            if cursor:
                params["cursor"] = cursor
            try:
                page = self.http.request("GET", "/notices", params=params).json()
            except Unreachable as exc:
                raise RetryableError(str(exc), exc.retry_after) from None
            except ApiError as exc:
                if exc.retryable:
                    raise RetryableError(f"HTTP {exc.status} {exc.code} {exc.message}", exc.retry_after) from None
                raise FatalError(f"HTTP {exc.status} {exc.code}: {exc.message}", exc.code, exc.status) from None
            out += list(page.get("notices") or ())
            cursor = page.get("next")
            if not cursor:
                break
        return out


def sleep_or_stop(seconds: float, stop: Any = None) -> bool:
    """Wait; True if ``stop`` (a threading.Event) was set meanwhile."""
    if stop is not None:
        return bool(stop.wait(seconds))
    time.sleep(seconds)
    return False
