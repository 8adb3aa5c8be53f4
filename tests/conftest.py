"""Test-wide helpers: requirements on the machine (Xvfb, VLC, Wine, PostgreSQL).

A test that needs a part of the machine calls ``require_*``. On a plain machine the test is
skipped with a visible reason; with ``YINGYAN_REQUIRE_ALL=1`` (set by ``.ci/run``) a missing
part fails the test instead, so CI cannot pass by skipping.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
from collections.abc import Iterator

import pytest

PG_URL = os.environ.get("YINGYAN_TEST_PG", "postgresql://postgres@127.0.0.1:5432/test")


def pytest_configure(config: pytest.Config) -> None:
    # Tests press Ctrl-C on the programs they start (``sync watch``, ``demo``), as a person at a
    # terminal would. A run started in the background of a non-interactive shell (as CI may be)
    # has SIGINT ignored, and an ignored signal stays ignored in every child: ``sync watch``
    # then never hears its Ctrl-C. Give this process Python's own handler, which its children
    # do not inherit (a handled signal is reset to the default by exec).
    if signal.getsignal(signal.SIGINT) is signal.SIG_IGN:
        signal.signal(signal.SIGINT, signal.default_int_handler)


def _missing(reason: str) -> None:
    if os.environ.get("YINGYAN_REQUIRE_ALL") == "1":
        pytest.fail(f"required on CI but missing: {reason}")
    pytest.skip(f"needs {reason}")


def require_commands(*names: str) -> None:
    missing = [n for n in names if shutil.which(n) is None]
    if missing:
        _missing(f"commands {', '.join(missing)}")


def require_postgres() -> str:
    """Return a libpq URL of the test PostgreSQL server, or skip/fail."""
    try:
        with socket.create_connection(("127.0.0.1", 5432), timeout=1):
            pass
    except OSError:
        _missing("PostgreSQL on 127.0.0.1:5432")
    return PG_URL


def require_libvlc() -> None:
    try:
        import vlc

        if vlc.Instance("--quiet") is None:
            raise OSError("libvlc did not start")
    except (ImportError, OSError, NameError, AttributeError) as exc:
        _missing(f"libvlc ({exc})")


@pytest.fixture
def pg_database() -> Iterator[str]:
    """A fresh PostgreSQL database for one test; yields its SQLAlchemy URL."""
    import uuid

    import psycopg

    base = require_postgres()
    name = f"yytest_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(base, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}"
    finally:
        with psycopg.connect(base, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
