"""Failed sign-ins and failed petition-status queries are rate-limited (spec 03 §2, §4).

* Sign-in: after 10 failures for one user name (any letter case) the next attempt — even
  with the right password — is 429 with a ``Retry-After``; other users are unaffected;
  after 50 failures from one address every sign-in from it is 429.
* Public petition status: a wrong password and an unknown receipt code get the same 404
  answer, in about the same time; after 5 failures for one receipt code that code is
  locked (429 with ``Retry-After``) while other codes still work; failures from one
  address are limited too (30).

The address limits lock this module's server for everything after them, so those tests
run last.
"""

from __future__ import annotations

import statistics
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.harness import ServerProcess
from tests.server.support import assert_error, header, login, ok_batch, petition, server_from_template

PASSWORD = "the right password 1"


@pytest.fixture(scope="module")
def gate(tmp_path_factory: pytest.TempPathFactory, server_template: Path) -> Iterator[dict[str, Any]]:
    server = server_from_template(server_template, tmp_path_factory.mktemp("limits") / "data")
    server.start()
    try:
        tokens = server.setup_basic(("T01",))
        for name in ("rl-locked", "rl-other", "rl-late"):
            r = server.call("POST", "/users", {"username": name, "password": PASSWORD, "role": "leader"})
            assert r.status == 201
        pets = [petition(receipt_code=f"420000000000000{i}", password=f"status-pw-{i}") for i in range(4)]
        ok_batch(server, "T01", tokens["T01"], pets)
        yield {"server": server, "petitions": pets}
    finally:
        server.stop()


def sign_in(server: ServerProcess, username: str, password: str) -> Any:
    return server.call("POST", "/auth/token", {"username": username, "password": password}, token=None)


def assert_retry_after(r: Any, *, at_most: int) -> None:
    assert_error(r, 429, "RATE_LIMITED")
    retry = header(r, "Retry-After")
    assert retry is not None
    assert retry.isdigit(), retry
    assert 1 <= int(retry) <= at_most


def test_login_locks_one_user_after_ten_failures(gate: dict[str, Any]) -> None:
    server: ServerProcess = gate["server"]
    wrong_user = sign_in(server, f"nobody-{uuid.uuid4().hex[:6]}", "whatever")
    for i in range(10):
        name = "rl-locked" if i % 2 else "RL-Locked"
        r = sign_in(server, name, f"wrong {i}")
        assert_error(r, 401, "BAD_CREDENTIALS")
        # A wrong password and an unknown user look the same.
        assert r.body == wrong_user.body
    assert_retry_after(sign_in(server, "rl-locked", PASSWORD), at_most=15 * 60)
    assert_retry_after(sign_in(server, "rl-locked", "wrong again"), at_most=15 * 60)
    # Someone else is not affected.
    assert login(server, "rl-other", PASSWORD)


def status(server: ServerProcess, code: str, password: str) -> Any:
    return server.call("POST", "/public/petition-status", {"receipt_code": code, "password": password}, token=None)


def test_wrong_password_and_unknown_code_look_the_same(gate: dict[str, Any]) -> None:
    server: ServerProcess = gate["server"]
    pet = gate["petitions"][2]
    ok = status(server, pet["receipt_code"], pet["query_password"])
    assert ok.status == 200, ok.body
    wrong: list[float] = []
    unknown: list[float] = []
    bodies = set()
    for _ in range(4):  # below the per-code limit of 5
        for samples, code, password in ((wrong, pet["receipt_code"], "not it"),
                                        (unknown, f"{uuid.uuid4().int % 10**16:016d}", "not it")):
            started = time.perf_counter()
            r = status(server, code, password)
            samples.append(time.perf_counter() - started)
            assert_error(r, 404, "NOT_FOUND")
            bodies.add(r.body)
    assert len(bodies) == 1
    # Both paths verify a password hash: neither is several times faster than the other.
    fast, slow = sorted((statistics.median(wrong), statistics.median(unknown)))
    assert slow < 4 * fast, (wrong, unknown)


def test_public_status_locks_one_receipt_code_after_five_failures(gate: dict[str, Any]) -> None:
    server: ServerProcess = gate["server"]
    locked, other = gate["petitions"][0], gate["petitions"][1]
    for i in range(5):
        assert_error(status(server, locked["receipt_code"], f"guess-{i}"), 404, "NOT_FOUND")
    assert_retry_after(status(server, locked["receipt_code"], locked["query_password"]), at_most=15 * 60)
    r = status(server, other["receipt_code"], other["query_password"])
    assert r.status == 200
    assert r.json()["receipt_code"] == other["receipt_code"]


def test_public_status_limits_failures_per_address(gate: dict[str, Any]) -> None:
    server: ServerProcess = gate["server"]
    pet = gate["petitions"][3]
    for _ in range(40):
        r = status(server, f"{uuid.uuid4().int % 10**16:016d}", "guess")
        if r.status == 429:
            break
        assert_error(r, 404, "NOT_FOUND")
    else:
        pytest.fail("40 failed guesses from one address were never limited")
    # Now even a correct query from this address waits.
    assert_retry_after(status(server, pet["receipt_code"], pet["query_password"]), at_most=15 * 60)


def test_login_limits_failures_per_address(gate: dict[str, Any]) -> None:
    server: ServerProcess = gate["server"]
    for i in range(60):
        r = sign_in(server, f"guess-{i}-{uuid.uuid4().hex[:4]}", "guess")
        if r.status == 429:
            break
        assert_error(r, 401, "BAD_CREDENTIALS")
    else:
        pytest.fail("60 failed sign-ins from one address were never limited")
    assert_retry_after(sign_in(server, "rl-late", PASSWORD), at_most=15 * 60)
