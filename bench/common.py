"""Shared pieces of the server benchmarks: a server subprocess and a keep-alive HTTPS client."""

from __future__ import annotations

import http.client
import json
import sqlite3
import ssl
import subprocess
import sys
import tempfile
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.harness import CATALOGUE, YINGYAN, ServerProcess


class Client:
    """One persistent HTTPS connection (what the township agent uses)."""

    def __init__(self, server: ServerProcess, token: str):
        self.conn = http.client.HTTPSConnection("127.0.0.1", server.port,
                                                context=ssl.create_default_context(cafile=str(server.ca_file)))
        self.token = token

    def call(self, method: str, path: str, body: Any = None) -> tuple[int, Any]:
        data = json.dumps(body, ensure_ascii=False).encode() if body is not None else None
        self.conn.request(method, "/api/v1" + path, body=data,
                          headers={"Content-Type": "application/json", "Authorization": f"Bearer {self.token}"})
        r = self.conn.getresponse()
        raw = r.read()
        return r.status, json.loads(raw) if raw else None


def start_server(db_url: str | None = None, clock: str = "2026-12-31T00:00:00+08:00",
                 extra: list[str] | None = None, prepare: Callable[[Path], None] | None = None) -> ServerProcess:
    """A server on a fresh data dir (on ``db_url``, else SQLite); ``prepare`` is given the
    initialised data dir before the server starts (to seed its database directly)."""
    root = Path(tempfile.mkdtemp(prefix="yy-bench-"))
    server = ServerProcess(root / "data", simulated_clock=clock, extra_args=extra or [])
    server.init(db_url)
    if prepare is not None:
        prepare(server.data_dir)
    server.start()
    return server


#: the maintenance database the benchmarks create their own databases from (trust auth, see the brief)
PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/test"


@contextmanager
def postgres_database(prefix: str) -> Iterator[str]:
    """A fresh PostgreSQL database for one run, dropped afterwards; yields its server URL
    (``postgresql+psycopg://…``)."""
    import psycopg

    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(PG_ADMIN, autocommit=True) as c:
        c.execute(f"CREATE DATABASE {name}")
    try:
        yield f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}"
    finally:
        with psycopg.connect(PG_ADMIN, autocommit=True) as c:
            c.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def setup(server: ServerProcess, offices: list[str], catalogue: list[dict[str, Any]] | None = None) -> dict[str, str]:
    """Load ``catalogue`` (the tests' two items unless given) and register each office as a
    township through the admin API; returns office code → the office's token."""
    admin = Client(server, server.admin_token)
    assert admin.call("PUT", "/catalogue", {"items": catalogue or CATALOGUE})[0] == 200
    tokens = {}
    for code in offices:
        status, body = admin.call("POST", "/offices", {"code": code, "name": code, "kind": "township"})
        assert status == 201, body
        tokens[code] = body["token"]
    return tokens


def percentile(values: list[float], q: float) -> float:
    """The ``q`` quantile (0–1) of ``values``, nearest rank."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def pump(app: Any, until: Any, timeout: float = 120.0) -> None:
    """Run Qt's event loop until ``until()`` holds (a console script waiting on its window)."""
    import time

    deadline = time.monotonic() + timeout
    while not until():
        if time.monotonic() > deadline:
            raise TimeoutError("the console did not get there in time")
        app.processEvents()
        time.sleep(0.0005)


def settle(app: Any, seconds: float = 0.6) -> None:
    """Run Qt's event loop for ``seconds`` (layouts and paints done before a screenshot)."""
    import time

    end = time.monotonic() + seconds
    while time.monotonic() < end:
        app.processEvents()
        time.sleep(0.01)


def in_process_context(prefix: str, now: int, db_url: str | None = None) -> tuple[Any, int]:
    """A freshly initialised data dir opened in this process (no HTTP): its clock started at
    ``now``, the test catalogue loaded and one township ``T01``; returns the context and the
    office's id, for benchmarks that call the import directly (profiles, history growth).
    With ``db_url`` (a PostgreSQL database of ``postgres_database``) the data is kept there."""
    from server.offices.models import Office

    root = Path(tempfile.mkdtemp(prefix=prefix))
    init = [sys.executable, "-m", "shared.cli", "server", "init", "--data-dir", str(root / "d")]
    subprocess.run(init + (["--db", db_url] if db_url else []), check=True, capture_output=True)
    ctx = open_context(root / "d", now)
    with ctx.db.writing() as s:
        s.add(Office(code="T01", name="T01", kind="township", created_at=0, version=1))
    with ctx.db.reading() as s:
        office_id = int(s.query(Office.id).scalar())
    return ctx, office_id


def open_context(data_dir: Path, now: int) -> Any:
    """An initialised data dir (SQLite or PostgreSQL, whichever it was made for) opened in this
    process: its simulated clock started at ``now`` and the tests' catalogue loaded, as
    ``setup`` loads it over HTTPS."""
    from server.catalogue.models import PowerItemVersion
    from server.context import Context, Settings, bump_meta
    from shared.catalogue import parse_catalogue

    ctx = Context(Settings.from_data_dir(data_dir, simulated_clock=now))
    with ctx.db.writing() as s:
        ctx.clock.start(s, now, 0)
        v = bump_meta(s, "catalogue.version")
        for it in parse_catalogue(CATALOGUE):
            s.add(PowerItemVersion(code=it.code, version=v, valid_from=0, name=it.name, department=it.department,
                                   data=it.model_dump(mode="json")))
    return ctx


def fresh_sqlite(data_dir: Path, *, foreign_keys: bool) -> sqlite3.Connection:
    """A new SQLite database made by ``server init`` in ``data_dir`` (the server's tables,
    indexes and pragmas), opened on the driver alone in autocommit: where a benchmark replays
    what the server wrote, raw, to measure the floor under it."""
    subprocess.run([*YINGYAN, "server", "init", "--data-dir", str(data_dir)], check=True, capture_output=True)
    conn = sqlite3.connect(data_dir / "yingyan.db", isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=NORMAL")
    conn.execute(f"PRAGMA foreign_keys={'ON' if foreign_keys else 'OFF'}")
    return conn
