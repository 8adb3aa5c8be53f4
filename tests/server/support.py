"""Helpers shared by the server tests: records, users, error checks, polling, direct DB reads.

Everything here talks to a real server started by ``tests.harness.ServerProcess``; the
only direct database access is read-only inspection (or deliberate tampering in the
audit tests) that the API does not offer.
"""

from __future__ import annotations

import http.client
import json
import sqlite3
import subprocess
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from tests.harness import ROOT, YINGYAN, Response, ServerProcess, event

T = TypeVar("T")

#: Text that must be stored and returned verbatim and never interpreted. (U+0000 is refused
#: instead: PostgreSQL text cannot hold it; see test_hostile_input.test_nul_characters_*.)
HOSTILE_TEXTS = (
    "'; DROP TABLE approval_events; --",
    "Robert'); DROP TABLE petitions;--",
    "<script>alert(1)</script>",
    "\u202egnp.exe\u202c 右到左",
    "\x7f\x1b[31m red \u200b\ufeff \ud7ff \U0010ffff",
    "👁️‍🗨️🦅 鹰眼 %s %d {0} ${x} \\x00",
)


def wait_for(predicate: Callable[[], T], *, timeout: float = 30, interval: float = 0.05, what: str = "") -> T:
    """Poll ``predicate`` until it returns something truthy; fail after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {what or predicate}")
        time.sleep(interval)


def assert_error(resp: Response, status: int | tuple[int, ...], code: str | None = None) -> dict[str, Any]:
    """The response is the spec's error shape with this status (and code); returns the error."""
    statuses = (status,) if isinstance(status, int) else status
    assert resp.status in statuses, f"expected {statuses}, got {resp.status}: {resp.body[:500]!r}"
    assert_clean_error(resp)
    err = resp.json()["error"]
    if code is not None:
        assert err["code"] == code, err
    return err


def header(resp: Response, name: str) -> str | None:
    """A response header, looked up case-insensitively."""
    for key, value in resp.headers.items():
        if key.lower() == name.lower():
            return value
    return None


def assert_clean_error(resp: Response) -> None:
    """Any 4xx/5xx: never a 500, always ``{"error": {"code", "message"}}``, no stack trace."""
    assert resp.status < 500, f"server error {resp.status}: {resp.body[:500]!r}"
    assert (header(resp, "Content-Type") or "").startswith("application/json"), resp.headers
    body = resp.json()
    assert set(body) == {"error"}, body
    err = body["error"]
    for key in ("code", "message"):
        assert isinstance(err.get(key), str), body
        assert err[key], body
    assert set(err) <= {"code", "message", "details"}, body
    text = resp.body.decode("utf-8", "replace")
    for marker in ("Traceback", 'File "/', "sqlalchemy", "psycopg", "sqlite3."):
        assert marker not in text, f"error leaks internals ({marker}): {text[:500]}"


def new_id() -> str:
    return str(uuid.uuid4())


def petition(
    *, receipt_code: str | None = None, password: str | None = "query-pw-1", anonymous: bool = False,
    received_at: str = "2026-02-26T09:30:00+08:00", name: str = "李某某", id_number: str = "350521197003154411",
    phone: str = "13905951234", address: str = "泉港区某村", subject: str = "张某", **extra: Any,
) -> dict[str, Any]:
    rec: dict[str, Any] = {
        "kind": "petition", "id": new_id(), "channel": "letter", "received_at": received_at,
        "petitioner": None if anonymous else {"name": name, "id_number": id_number, "phone": phone,
                                              "address": address},
        "anonymous": anonymous, "subject": {"name": subject, "unit": "某镇国土所", "title": "所长"},
        "category": "land", "content": "反映宅基地审批问题",
    }
    if receipt_code is not None:
        rec["receipt_code"] = receipt_code
        rec["query_password"] = password
    rec.update(extra)
    return rec


def petition_event(petition_id: str, type_: str, at: str, **extra: Any) -> dict[str, Any]:
    return {"kind": "petition_event", "id": new_id(), "petition_id": petition_id, "type": type_, "at": at, **extra}


def evaluation(case_no: str, rating: str, at: str, **extra: Any) -> dict[str, Any]:
    return {"kind": "evaluation", "id": new_id(), "case_no": case_no, "rating": rating, "at": at, **extra}


def full_case(case_no: str, day: str = "2026-02-26", **extra: Any) -> list[dict[str, Any]]:
    """received → accepted → review → approve for QG-D07-001 on one day (different actors)."""
    return [
        event(case_no, "received", f"{day}T09:00:00+08:00", seq=1, actor="S01", **extra),
        event(case_no, "accepted", f"{day}T09:10:00+08:00", seq=2, actor="S01"),
        event(case_no, "node_completed", f"{day}T10:00:00+08:00", seq=3, node="review", actor="S02"),
        event(case_no, "node_completed", f"{day}T11:00:00+08:00", seq=4, node="approve", actor="S03"),
    ]


def ok_batch(
    server: ServerProcess, office: str, token: str, records: list[Any], **kw: Any
) -> dict[str, Any]:
    r = server.post_batch(office, token, records, **kw)
    assert r.status == 200, r.body[:1000]
    return r.json()


def create_user(server: ServerProcess, role: str, *, username: str | None = None,
                password: str = "correct horse battery", offices: list[str] | None = None) -> str:
    """Create a user through the API and sign in; returns the user's token."""
    username = username or f"{role}-{uuid.uuid4().hex[:8]}"
    r = server.call("POST", "/users", {"username": username, "password": password, "role": role,
                                      "offices": offices or []})
    assert r.status == 201, r.body
    return login(server, username, password)


def login(server: ServerProcess, username: str, password: str) -> str:
    r = server.call("POST", "/auth/token", {"username": username, "password": password}, token=None)
    assert r.status == 200, r.body
    return r.json()["token"]


def list_all(server: ServerProcess, path: str, key: str, *, token: str | None = "admin") -> list[dict[str, Any]]:
    """Every item of a paginated list endpoint."""
    out: list[dict[str, Any]] = []
    cursor: str | None = None
    sep = "&" if "?" in path else "?"
    while True:
        r = server.call("GET", f"{path}{sep}limit=5000" + (f"&cursor={cursor}" if cursor else ""), token=token)
        assert r.status == 200, r.body[:500]
        body = r.json()
        out += body[key]
        cursor = body["next"]
        if not cursor:
            return out


def read_feed(server: ServerProcess, since: str | None = None, *, token: str | None = "admin",
              limit: int = 5000) -> tuple[list[dict[str, Any]], str]:
    """Read the change feed to its end; returns (changes, cursor)."""
    changes: list[dict[str, Any]] = []
    while True:
        q = f"/changes?limit={limit}" + (f"&since={since}" if since else "")
        r = server.call("GET", q, token=token)
        assert r.status == 200, r.body[:500]
        body = r.json()
        changes += body["changes"]
        since = body["cursor"]
        if not body["more"]:
            return changes, since


def alert_key(a: dict[str, Any]) -> tuple[Any, ...]:
    s = a["subject"]
    return (a["rule"], s["type"], s["office"], s.get("case_no") or s.get("petition_id"), a["node"])


def run_cli(*args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*YINGYAN, "server", *args], capture_output=True, text=True, cwd=ROOT, timeout=timeout)


def sqlite_db(server: ServerProcess) -> Path:
    return server.data_dir / "yingyan.db"


@contextmanager
def sqlite_connect(server: ServerProcess) -> Iterator[sqlite3.Connection]:
    conn = sqlite3.connect(sqlite_db(server), timeout=30)
    try:
        yield conn
    finally:
        conn.close()


def cpu_seconds(pid: int) -> float:
    """User + system CPU time a process has used (Linux /proc)."""
    import os

    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@dataclass
class InFlight:
    """A request sent from a background thread, with when it was fully sent and its outcome."""

    sent: threading.Event = field(default_factory=threading.Event)
    done: threading.Event = field(default_factory=threading.Event)
    sent_at: float = 0.0
    done_at: float = 0.0
    response: Response | None = None
    error: BaseException | None = None
    thread: threading.Thread | None = None

    def join(self, timeout: float = 120) -> None:
        assert self.thread is not None
        self.thread.join(timeout)
        assert not self.thread.is_alive(), "request thread did not finish"


def send_in_background(server: ServerProcess, method: str, path: str, body: Any = None, *,
                       token: str | None = "admin", timeout: float = 120) -> InFlight:
    """Send a request from a thread; ``sent`` is set once the whole request is on the wire."""
    flight = InFlight()
    if token == "admin":
        token = server.admin_token
    data = json.dumps(body, ensure_ascii=False).encode() if body is not None else None
    headers = {"Accept": "application/json"}
    if data is not None:
        headers["Content-Type"] = "application/json"
    if token:
        headers["Authorization"] = f"Bearer {token}"

    def run() -> None:
        conn = http.client.HTTPSConnection("127.0.0.1", server.port, context=server.ssl_context(), timeout=timeout)
        try:
            conn.request(method, "/api/v1" + path, body=data, headers=headers)
            flight.sent_at = time.monotonic()
            flight.sent.set()
            r = conn.getresponse()
            flight.response = Response(r.status, r.read(), dict(r.headers))
        except BaseException as exc:  # the server may be killed mid-request
            flight.error = exc
        finally:
            flight.done_at = time.monotonic()
            flight.sent.set()
            flight.done.set()
            conn.close()

    flight.thread = threading.Thread(target=run, daemon=True)
    flight.thread.start()
    return flight


def server_from_template(template: Path, data_dir: Path, **kwargs: Any) -> ServerProcess:
    """A server on a copy of a data directory made once by ``yingyan server init`` (see conftest).

    ``init`` (a CA, keys and the schema migrations) costs seconds; most tests only need a fresh
    SQLite server, so they share one initialised directory, copied.
    """
    import shutil

    shutil.copytree(template, data_dir)
    return ServerProcess(data_dir, **kwargs)


def mutate(server: ServerProcess, token: str | None, entity: str, entity_id: object, action: str,
           data: dict[str, Any] | None = None, *, base_version: int | None = None,
           mutation_id: str | None = None) -> dict[str, Any]:
    """One mutation through ``POST /mutations``; its result."""
    m: dict[str, Any] = {"id": mutation_id or new_id(), "entity": entity, "entity_id": entity_id, "action": action,
                         "data": data or {}}
    if base_version is not None:
        m["base_version"] = base_version
    r = server.call("POST", "/mutations", {"mutations": [m]}, token=token)
    assert r.status == 200, r.body[:500]
    return r.json()["results"][0]


def upload(server: ServerProcess, token: str | None, data: bytes) -> str:
    """Store a blob through ``PUT /evidence/{sha256}``; its hash."""
    import hashlib

    digest = hashlib.sha256(data).hexdigest()
    r = server.call("PUT", f"/evidence/{digest}", raw=data, token=token,
                    headers={"Content-Type": "application/octet-stream"})
    assert r.status in (200, 201), r.body[:500]
    return digest


def copied_context(source: Path, target: Path, now: str) -> Any:
    """A server context over a copy of the data dir ``source`` (a server that has stopped),
    its simulated clock at ``now``: each test works on its own copy of one prepared database."""
    import shutil

    from server.context import Context, Settings
    from shared.timeutil import parse_instant

    shutil.copytree(source, target)
    return Context(Settings.from_data_dir(target, simulated_clock=parse_instant(now)))
