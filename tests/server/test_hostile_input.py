"""Hostile input on every endpoint of the API never crashes the server or leaks its insides.

The endpoint list is checked against ``/api/v1/openapi.json`` so that a new endpoint
without coverage here fails the suite. For every endpoint: no token, bad tokens and the
wrong role; for every endpoint that reads a body: garbage, truncated and empty JSON, wrong
types, unknown fields, 1 MB strings, deep nesting, a 25 MB body, a non-JSON content type,
bad gzip and a gzip bomb; for path and query parameters: huge numbers, NUL bytes, SQL,
very long values. Every answer is a 4xx in the spec's error shape (or a success), never a
500 or a stack trace. SQL and script fragments, NUL bytes, RTL overrides and emoji in every
text field of every record kind are stored and returned verbatim, and never executed.
"""

from __future__ import annotations

import gzip
import http.client
import json
import re
import urllib.parse
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from tests.harness import CATALOGUE, Response, ServerProcess, event
from tests.server.support import (
    HOSTILE_TEXTS,
    assert_clean_error,
    assert_error,
    create_user,
    evaluation,
    header,
    new_id,
    ok_batch,
    petition,
    petition_event,
    server_from_template,
    sqlite_connect,
    upload,
)

ROLES = ("admin", "operator", "leader", "investigator", "petition_officer", "office")
ANY_PERSON = frozenset(ROLES) - {"office"}
EVERYONE = frozenset(ROLES)


@dataclass(frozen=True)
class Endpoint:
    method: str
    path: str
    """With ``{name}`` placeholders filled from the world's ids."""
    roles: frozenset[str] | None
    """Who may call it; None = public (no token needed)."""
    body: bool = False
    revokes_caller: bool = False
    """Calling it ends the caller's token (sign out): the role sweep calls it with an office's only."""

    @property
    def id(self) -> str:
        return f"{self.method} {self.path}"


ENDPOINTS = [
    Endpoint("GET", "/health", None),
    Endpoint("GET", "/rules", None),
    Endpoint("POST", "/auth/token", None, body=True),
    Endpoint("POST", "/public/petition-status", None, body=True),
    Endpoint("POST", "/batches", frozenset({"office", "admin"}), body=True),
    Endpoint("GET", "/batches/{batch_id}", frozenset({"office", "admin", "operator", "leader"})),
    Endpoint("GET", "/alerts", ANY_PERSON),
    Endpoint("GET", "/alerts/{alert_id}", frozenset({"admin", "operator", "leader"})),
    Endpoint("POST", "/mutations", ANY_PERSON, body=True),
    Endpoint("GET", "/approval-cases/{office}/{case_no}", frozenset({"admin", "operator", "leader"})),
    Endpoint("GET", "/approval-cases", frozenset({"admin", "operator", "leader"})),
    Endpoint("GET", "/changes", ANY_PERSON),
    Endpoint("GET", "/users", frozenset({"admin"})),
    Endpoint("POST", "/users", frozenset({"admin"}), body=True),
    Endpoint("GET", "/auth/me", EVERYONE),
    Endpoint("POST", "/auth/logout", ANY_PERSON, revokes_caller=True),
    Endpoint("GET", "/offices", ANY_PERSON),
    Endpoint("POST", "/offices", frozenset({"admin"}), body=True),
    Endpoint("POST", "/offices/{code}/token", frozenset({"admin"})),
    Endpoint("PUT", "/offices/{code}/watermark", frozenset({"admin"}), body=True),
    Endpoint("GET", "/catalogue", ANY_PERSON),
    Endpoint("PUT", "/catalogue", frozenset({"admin"}), body=True),
    Endpoint("PUT", "/calendar/{year}", frozenset({"admin"}), body=True),
    Endpoint("GET", "/calendar/{year}", EVERYONE),
    Endpoint("GET", "/admin/clock", EVERYONE),
    Endpoint("PUT", "/admin/clock", frozenset({"admin"}), body=True),
    Endpoint("GET", "/admin/stats", frozenset({"admin"})),
    Endpoint("GET", "/cameras", frozenset({"admin", "operator", "leader"})),
    Endpoint("PUT", "/cameras/{camera_id}", frozenset({"admin"}), body=True),
    Endpoint("DELETE", "/cameras/{camera_id}", frozenset({"admin"})),
    Endpoint("GET", "/petitions", frozenset({"admin", "leader", "petition_officer"})),
    Endpoint("GET", "/petitions/{petition_id}", frozenset({"admin", "leader", "petition_officer"})),
    Endpoint("GET", "/petitions/{petition_id}/similar", frozenset({"admin", "petition_officer"})),
    Endpoint("GET", "/petitions/{petition_id}/attachments/{sha256}", frozenset({"petition_officer"})),
    Endpoint("GET", "/risk-reminders", frozenset({"admin", "operator", "leader"})),
    Endpoint("GET", "/investigations", ANY_PERSON),
    Endpoint("GET", "/investigations/{investigation_id}", ANY_PERSON),
    Endpoint("PUT", "/evidence/{sha256}", frozenset({"admin", "operator", "investigator", "petition_officer"})),
    Endpoint("GET", "/evidence/{sha256}", ANY_PERSON),
    # Administration (issue 16)
    Endpoint("GET", "/calendar-status", ANY_PERSON),
    Endpoint("POST", "/catalogue/dry-run", frozenset({"admin"}), body=True),
    Endpoint("GET", "/admin/settings", frozenset({"admin"})),
    *(Endpoint(method, f"/admin/settings/{name}", frozenset({"admin"}), body=method == "PUT")
      for name in ("risk-index", "evaluation", "office-silent", "calendar-warning") for method in ("GET", "PUT")),
    Endpoint("GET", "/users/{username}", frozenset({"admin"})),
    Endpoint("GET", "/people", ANY_PERSON),
    Endpoint("PATCH", "/users/{username}", frozenset({"admin"}), body=True),
    Endpoint("PUT", "/users/{username}/password", frozenset({"admin"}), body=True),
    Endpoint("GET", "/audit", frozenset({"admin"})),
    Endpoint("GET", "/audit/verify", frozenset({"admin"})),
    # Cards, notices, the month's figures (issue 14)
    Endpoint("GET", "/cards", frozenset({"admin", "operator", "leader"})),
    Endpoint("GET", "/cards/{card_id}", frozenset({"admin", "operator", "leader"})),
    Endpoint("GET", "/notices", frozenset({"admin", "operator", "leader", "office"})),
    Endpoint("GET", "/notices/{notice_id}", frozenset({"admin", "operator", "leader", "office"})),
    Endpoint("GET", "/risk-index", frozenset({"admin", "operator", "leader"})),
    Endpoint("GET", "/evaluation", frozenset({"admin", "operator", "leader"})),
    Endpoint("GET", "/statistics", frozenset({"admin", "operator", "leader"})),
]
#: What the caller may not see does not exist for them: 404, never 403 (spec 06 §2).
HIDDEN_NOT_FORBIDDEN = ("/alerts/{alert_id}", "/investigations/{investigation_id}", "/evidence/{sha256}",
                        "/cards/{card_id}", "/notices/{notice_id}")
BODY_ENDPOINTS = [e for e in ENDPOINTS if e.body]
PROTECTED = [e for e in ENDPOINTS if e.roles is not None]


@dataclass
class World:
    server: ServerProcess
    tokens: dict[str, str] = field(default_factory=dict)
    """Role (or office code) -> token."""
    ids: dict[str, str] = field(default_factory=dict)

    def path(self, ep: Endpoint) -> str:
        return ep.path.format(**self.ids)

    def token(self, role: str) -> str:
        return self.tokens[role]

    def call(self, method: str, path: str, body: Any = None, *, role: str | None = "admin", **kw: Any) -> Response:
        token = self.tokens[role] if role else None
        return self.server.call(method, path, body, token=token, **kw)

    def valid_body(self, ep: Endpoint) -> tuple[dict[str, Any], str]:
        """A well-formed body for the endpoint and the role to send it as."""
        bodies: dict[str, tuple[dict[str, Any], str]] = {
            "/auth/token": ({"username": "nobody-hostile", "password": "not-the-password"}, "admin"),
            "/public/petition-status": ({"receipt_code": "0000000000000000", "password": "wrong-pw"}, "admin"),
            "/batches": ({"batch_id": new_id(), "office": "T01", "records": []}, "T01"),
            "/mutations": ({"mutations": [{"id": new_id(), "entity": "alert", "entity_id": self.ids["alert_id"],
                                           "action": "comment", "data": {"text": "看过"}}]}, "admin"),
            "/users": ({"username": f"h-{uuid.uuid4().hex[:8]}", "password": "long enough pw", "role": "leader"},
                       "admin"),
            "/offices": ({"code": f"H{uuid.uuid4().hex[:6]}", "name": "hostile office", "kind": "township"},
                         "admin"),
            "/catalogue": ({"items": [CATALOGUE[0]]}, "admin"),
            "/calendar/{year}": ({"holidays": ["2027-01-01"], "workdays": []}, "admin"),
            "/admin/clock": ({"now": self.server.call("GET", "/admin/clock").json()["now"]}, "admin"),
            "/offices/{code}/watermark": ({"watermark": self.server.call("GET", "/admin/clock").json()["now"],
                                           "reason": "纠正错误的报送截止时间"}, "admin"),
            "/cameras/{camera_id}": ({"name": "窗口 1", "main_url": "rtsp://10.0.0.1/main", "office": "T01"},
                                     "admin"),
            "/catalogue/dry-run": ({"items": [CATALOGUE[0]]}, "admin"),
            "/admin/settings/office-silent": ({"hours": 24}, "admin"),
            "/admin/settings/risk-index": ({"red_alert": -10, "green_from": 85}, "admin"),
            "/admin/settings/evaluation": ({"efficiency": 40, "public": 20}, "admin"),
            "/admin/settings/calendar-warning": ({"from_month": 11, "from_day": 1}, "admin"),
            "/users/{username}": ({"display_name": "管理员"}, "admin"),
            "/users/{username}/password": ({"password": "hostile-admin-pw"}, "admin"),
        }
        return bodies[ep.path]


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory, server_template: Path) -> Iterator[World]:
    server = server_from_template(server_template, tmp_path_factory.mktemp("hostile") / "data")
    server.start()
    try:
        w = World(server)
        w.tokens.update(server.setup_basic(("T01", "T02", "ROT")))
        w.tokens["admin"] = server.admin_token
        for role in ("operator", "leader", "investigator", "petition_officer"):
            w.tokens[role] = create_user(server, role)
        w.tokens["office"] = w.tokens["T02"]
        pet = petition(receipt_code="4821937561028374")
        summary = ok_batch(server, "T01", w.tokens["T01"], [
            *[event("H-1", t, "2026-02-26T09:00:00+08:00", seq=i) for i, t in enumerate(("received", "accepted"))],
            evaluation("H-1", "very_poor", "2026-02-27T09:00:00+08:00"),
            pet,
        ])
        assert summary["imported"] == 4
        alert = server.call("GET", "/alerts?rule=POOR_RATING").json()["alerts"][0]
        assert server.call("PUT", "/cameras/cam-1", {"name": "大厅", "main_url": "rtsp://10.0.0.9/1"}).status == 200
        investigation_id = new_id()
        assert server.call("POST", "/mutations", {"mutations": [{
            "id": new_id(), "entity": "investigation", "entity_id": investigation_id, "action": "create",
            "data": {"title": "hostile", "subject": {"name": "某"}}}]}).json()["results"][0]["status"] == "applied"
        sha256 = upload(server, "admin", b"hostile evidence")
        card_id, notice_id = new_id(), new_id()
        issued = (("card", card_id, {"kind": "yellow", "office": "T01", "reason": "hostile"}),
                  ("notice", notice_id, {"office": "T02", "subject": "hostile", "alerts": [alert["id"]]}))
        for entity, eid, data in issued:
            done = server.call("POST", "/mutations", {"mutations": [{
                "id": new_id(), "entity": entity, "entity_id": eid, "action": "issue", "data": data}]})
            assert done.json()["results"][0]["status"] == "applied", done.body
        w.ids.update(card_id=card_id, notice_id=notice_id)
        w.ids.update(batch_id=summary["batch_id"], alert_id=str(alert["id"]), office="T01", case_no="H-1",
                     code="ROT", year="2027", camera_id="cam-h", petition_id=pet["id"],
                     investigation_id=investigation_id, sha256=sha256, username="admin")
        yield w
    finally:
        server.stop()


def strings_in(value: Any) -> set[str]:
    """Every string anywhere in a JSON value."""
    if isinstance(value, str):
        return {value}
    if isinstance(value, dict):
        return set().union(*(strings_in(v) for v in value.values())) if value else set()
    if isinstance(value, list):
        return set().union(*(strings_in(v) for v in value)) if value else set()
    return set()


def check(resp: Response) -> Response:
    """Any answer is fine as long as errors are clean; returns the response for more checks."""
    if resp.status >= 400:
        assert_clean_error(resp)
    return resp


def test_endpoint_list_matches_openapi(world: World) -> None:
    doc = world.call("GET", "/openapi.json", role=None)
    assert doc.status == 200
    served = {(m.upper(), p.removeprefix("/api/v1")) for p, ops in doc.json()["paths"].items() for m in ops}
    assert served == {(e.method, e.path) for e in ENDPOINTS}


def test_other_methods_and_unknown_paths(world: World) -> None:
    served: dict[str, set[str]] = {}
    for ep in ENDPOINTS:
        served.setdefault(world.path(ep), set()).add(ep.method)
    for path, methods in served.items():
        for method in {"GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS"} - methods:
            assert_error(world.call(method, path, raw=b"{}"), 405, "METHOD_NOT_ALLOWED")
    for path in ("/nope", "/alerts/1/2/3", "/../v2/alerts", "/cameras/x/y"):
        assert_error(world.call("GET", path), 404, "NOT_FOUND")


# -- tokens and roles ---------------------------------------------------------------------

BAD_AUTH = [
    None,
    "Bearer",
    "Bearer ",
    "Bearer not-a-token",
    "Basic YWRtaW46YWRtaW4=",
    "Bearer " + "A" * 10_000,
    "Bearer ' OR '1'='1",
    "Bearer \xff\xfe",
    "bearer\tx y z",
]


@pytest.mark.parametrize("ep", PROTECTED, ids=lambda e: e.id)
def test_no_or_bad_token_is_401(world: World, ep: Endpoint) -> None:
    for auth in BAD_AUTH:
        headers = {"Authorization": auth} if auth is not None else {}
        r = world.server.call(ep.method, world.path(ep), raw=b"{}" if ep.body else None, token=None, headers=headers)
        assert_error(r, 401)
        assert (header(r, "WWW-Authenticate") or "").startswith("Bearer"), (auth, r.headers)


@pytest.mark.parametrize("ep", PROTECTED, ids=lambda e: e.id)
def test_wrong_role_is_403(world: World, ep: Endpoint) -> None:
    assert ep.roles is not None
    for role in ROLES:
        if ep.revokes_caller and role in ep.roles:
            continue  # a person's sign-out is tested with a token of its own (tests/desktop/console/test_sign_out.py)
        r = world.call(ep.method, world.path(ep), raw=b"[]" if ep.body else None, role=role)
        if role in ep.roles:
            assert r.status not in (401, 403), (role, r.status, r.body[:300])
            check(r)
        elif (ep.path in HIDDEN_NOT_FORBIDDEN and ep.method == "GET") or (
                ep.path == "/batches/{batch_id}" and role == "office"):
            # Alerts a role may not see, and another office's batches, do not exist for it.
            assert_error(r, 404, "NOT_FOUND")
        else:
            assert_error(r, 403)


def test_office_token_cannot_speak_for_another_office(world: World) -> None:
    r = world.call("POST", "/batches", {"batch_id": new_id(), "office": "T01", "records": []}, role="T02")
    assert_error(r, 403, "FOREIGN_OFFICE")
    # ... nor read its batch summaries: they do not exist for it.
    assert_error(world.call("GET", f"/batches/{world.ids['batch_id']}", role="T02"), 404, "NOT_FOUND")
    assert world.call("GET", f"/batches/{world.ids['batch_id']}", role="T01").status == 200


# -- bodies ---------------------------------------------------------------------------------

GARBAGE = [
    b"{not json",
    b'{"batch_id": "abc", "records": [',
    b"",
    b"   ",
    b"null",
    b"[]",
    b'"text"',
    b"123",
    b"true",
    b'{"a": NaN}',
    b'{"a": 1e99999}',
    b'{"a": 123456789012345678901234567890}',
    b'{"a": "\xff\xfe invalid utf-8"}',
    b'{"a": "\\ud800"}',
    b"\x00\x01\x02",
    b"[" * 2_000,
    b'{"a":' * 2_000,
]
#: Endpoints whose bodies may be large (batches, catalogue uploads, mutation queues, user lists).
LARGE_BODIES = {"/batches", "/mutations", "/catalogue", "/users", "/catalogue/dry-run"}


@pytest.mark.parametrize("ep", BODY_ENDPOINTS, ids=lambda e: e.id)
def test_garbage_bodies_are_400(world: World, ep: Endpoint) -> None:
    _, role = world.valid_body(ep)
    for raw in GARBAGE:
        r = world.call(ep.method, world.path(ep), raw=raw, role=role)
        assert_bad_or_too_large(r, ep, len(raw))


@pytest.mark.parametrize("ep", BODY_ENDPOINTS, ids=lambda e: e.id)
def test_deep_nesting_is_400_not_500(world: World, ep: Endpoint) -> None:
    body, role = world.valid_body(ep)
    prefix = json.dumps(body)[:-1].encode() + b', "deep": '
    for depth in (2_000, 100_000):
        # Deep nesting inside an otherwise valid document, and alone.
        for raw in (prefix + b"[" * depth + b"]" * depth + b"}", b"[" * depth):
            r = world.call(ep.method, world.path(ep), raw=raw, role=role)
            err = assert_bad_or_too_large(r, ep, len(raw))
            if r.status == 400:
                assert err["code"] == "INVALID_JSON", err
                assert "nest" in err["message"] or "depth" in err["message"], err


def assert_bad_or_too_large(r: Response, ep: Endpoint, size: int) -> dict[str, Any]:
    """400, or — for a body beyond what a small endpoint reads at all — 413 stating a real limit."""
    if ep.path in LARGE_BODIES or size < 4096:
        return assert_error(r, 400)
    err = assert_error(r, (400, 413))
    if r.status == 413:
        limit = re.search(r"exceeds (\d+) (KiB|MiB)", err["message"])
        assert limit, err
        assert 0 < int(limit[1]) * (1024 if limit[2] == "KiB" else 1024 * 1024) < size, err
    return err


def mutations_of(body: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    """Wrong types, 1 MB strings and unknown fields, one field at a time (top level and one down)."""
    for key in body:
        for bad in (None, 0, -1, 2**63, 1.5, True, "x", "", [], {}, ["x"], {"$ne": 1}, "é" * 1_000_000):
            yield f"{key}={str(bad)[:20]!r}", body | {key: bad}
        inner = body[key]
        if isinstance(inner, list) and inner and isinstance(inner[0], dict):
            for sub in inner[0]:
                for bad in (None, 12, [], {}, "x" * 1_000_000):
                    yield f"{key}[0].{sub}={str(bad)[:20]!r}", body | {key: [inner[0] | {sub: bad}]}
    yield "unknown field", body | {"zz_unknown": {"$where": "sleep(10)"}, "__proto__": {"admin": True}}


@pytest.mark.parametrize("ep", BODY_ENDPOINTS, ids=lambda e: e.id)
def test_wrong_types_huge_strings_and_unknown_fields(world: World, ep: Endpoint) -> None:
    body, role = world.valid_body(ep)
    if ep.path == "/public/petition-status":
        # Each well-formed wrong guess counts against this address; stay far below its limit.
        body = body | {"receipt_code": "0000000000000001"}
    for label, mutated in mutations_of(body):
        if ep.path == "/auth/token" and isinstance(mutated.get("username"), str) and mutated["username"]:
            mutated = mutated | {"username": f"nobody-{uuid.uuid4().hex[:6]}"}
        r = check(world.call(ep.method, world.path(ep), mutated, role=role))
        assert len(r.body) < 100_000, f"{label}: the answer echoes the input ({len(r.body)} bytes)"
        assert "é" * 1000 not in r.body.decode("utf-8", "replace"), label


@pytest.mark.parametrize("ep", BODY_ENDPOINTS, ids=lambda e: e.id)
def test_content_type_and_encoding(world: World, ep: Endpoint) -> None:
    body, role = world.valid_body(ep)
    raw = json.dumps(body).encode()
    path = world.path(ep)
    for ctype in ("text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x",
                  "application/xml", "image/png"):
        r = world.call(ep.method, path, raw=raw, role=role, headers={"Content-Type": ctype})
        assert_error(r, 415)
    assert_error(world.call(ep.method, path, raw=b"\x1f\x8b\x08\x00garbage", role=role,
                            headers={"Content-Encoding": "gzip"}), 400, "INVALID_GZIP")
    assert_error(world.call(ep.method, path, raw=gzip.compress(raw)[:-8], role=role,
                            headers={"Content-Encoding": "gzip"}), 400, "INVALID_GZIP")
    assert_error(world.call(ep.method, path, raw=raw, role=role, headers={"Content-Encoding": "br"}), 415)
    # JSON is UTF-8: another charset is not read as if it were, and no Content-Type is not JSON.
    for ctype in ("application/json; charset=latin-1", "application/json;charset=UTF-16", "application/jsonx"):
        assert_error(world.call(ep.method, path, raw=raw, role=role, headers={"Content-Type": ctype}), 415)
    assert_error(without_content_type(world, ep.method, path, raw, role), 415, "UNSUPPORTED_MEDIA_TYPE")
    for ctype in ("application/json; charset=utf-8", "application/json;charset=\"UTF-8\"", "Application/JSON"):
        assert world.call(ep.method, path, raw=raw, role=role, headers={"Content-Type": ctype}).status != 415


def without_content_type(world: World, method: str, path: str, raw: bytes, role: str) -> Response:
    """A request with a body and no Content-Type header at all (urllib would add one)."""
    conn = http.client.HTTPSConnection("127.0.0.1", world.server.port, context=world.server.ssl_context(),
                                       timeout=60)
    try:
        conn.putrequest(method, "/api/v1" + path, skip_accept_encoding=True)
        conn.putheader("Authorization", f"Bearer {world.token(role)}")
        conn.putheader("Content-Length", str(len(raw)))
        conn.endheaders(raw)
        r = conn.getresponse()
        return Response(r.status, r.read(), dict(r.headers))
    finally:
        conn.close()


@pytest.mark.parametrize("ep", BODY_ENDPOINTS, ids=lambda e: e.id)
def test_25_mb_body_is_413(world: World, ep: Endpoint) -> None:
    body, role = world.valid_body(ep)
    # Catalogue uploads may hold tens of thousands of power items: their limit is 64 MiB.
    size = (65 if ep.path in ("/catalogue", "/catalogue/dry-run") else 25) * 1024 * 1024
    raw = json.dumps(body | {"padding": "x" * size}).encode()
    err = assert_error(world.call(ep.method, world.path(ep), raw=raw, role=role), 413)
    if ep.path == "/batches":
        assert err["code"] == "BATCH_TOO_LARGE"


def test_batch_limits(world: World) -> None:
    token_role = "T01"
    ok = {"batch_id": new_id(), "office": "T01", "records": [event("GZ-1", "received", "2026-02-26T09:00:00+08:00")]}
    r = world.call("POST", "/batches", raw=gzip.compress(json.dumps(ok).encode()), role=token_role,
                   headers={"Content-Encoding": "gzip"})
    assert r.status == 200, r.body
    assert r.json()["imported"] == 1
    # A gzip bomb: 25 MiB of spaces compress to ~25 KiB.
    bomb = gzip.compress(b'{"batch_id": "bomb", "office": "T01", "records": [' + b" " * (25 * 1024 * 1024) + b"]}")
    assert len(bomb) < 100_000
    err = assert_error(world.call("POST", "/batches", raw=bomb, role=token_role,
                                  headers={"Content-Encoding": "gzip"}), 413, "BATCH_TOO_LARGE")
    assert "20 MiB" in err["message"]
    too_many = {"batch_id": new_id(), "office": "T01", "records": [{}] * 10_001}
    err = assert_error(world.call("POST", "/batches", too_many, role=token_role), 413, "BATCH_TOO_LARGE")
    assert "10000" in err["message"]
    assert world.call("GET", f"/batches/{too_many['batch_id']}").status == 404


# -- path and query parameters ---------------------------------------------------------------

PATH_VALUES = ["99999999999999999999999", "-1", "0", "%00", "%27%20OR%20%271%27%3D%271", "x" * 5000,
               "%E9%B9%B0%E7%9C%BC", "..%2F..%2Fetc%2Fpasswd", "%F0%9F%A6%85", "%ff%fe", "1e9", "NaN"]


@pytest.mark.parametrize("ep", [e for e in ENDPOINTS if "{" in e.path], ids=lambda e: e.id)
def test_hostile_path_parameters(world: World, ep: Endpoint) -> None:
    role = "admin" if ep.roles is None or "admin" in ep.roles else sorted(ep.roles)[0]
    for value in PATH_VALUES:
        path = ep.path
        for name in ("batch_id", "alert_id", "office", "case_no", "code", "year", "camera_id", "petition_id",
                     "investigation_id", "sha256", "username", "card_id", "notice_id"):
            path = path.replace("{" + name + "}", value)
        raw = json.dumps(world.valid_body(ep)[0]).encode() if ep.body else None
        r = check(world.call(ep.method, path, raw=raw, role=role))
        if ep.method == "GET":
            assert r.status in (200, 400, 404), (path[:80], r.status, r.body[:200])


QUERIES = {
    "/alerts": ["limit=-1", "limit=0", "limit=99999999999999999999", "limit=abc", "cursor=99999999999999999999999",
                "cursor=-5", "cursor=abc", "cursor=%00", "status=%27%3B%20DROP%20TABLE%20alerts%3B--",
                "severity=" + "x" * 5000, "rule=,,,", "active=maybe", "office=%00", "case_no=%F0%9F%A6%85"],
    "/approval-cases": ["limit=100000", "cursor=99999999999999999999999", "cursor=-1", "cursor=1.5",
                        "state=%27%20OR%201%3D1--", "office=" + "y" * 5000],
    "/changes": ["since=garbage", "since=c1.", "since=c1.-1", "since=c1.1e5", "since=c1.99999999999999999999999",
                 "since=c2.5", "wait=-1", "wait=31", "wait=nan", "wait=inf", "limit=0", "limit=5001",
                 "since=%00"],
    "/investigations": ["limit=0", "limit=1001", "limit=abc", "cursor=abc", "cursor=-1",
                        "cursor=99999999999999999999999", "stage=%27%3B%20DROP%20TABLE%20investigations%3B--",
                        "status=" + "x" * 5000, "assigned=you", "assigned=%00", "stage=,,,"],
    "/petitions": ["cursor=%00", "cursor=%27%20OR%201%3D1--", "limit=-3",
                   "status=%27%3B%20DROP%20TABLE%20petitions%3B--", "status=,,,", "overdue=maybe", "q=%25%25%25",
                   "q=_", "q=" + "x" * 5000, "q=%F0%9F%A6%85",
                   "q=%27%20OR%20%271%27%3D%271", "office=%27--"],
    "/batches": ["dry_run=perhaps"],
    "/cards": ["limit=0", "limit=1001", "cursor=abc", "cursor=-1", "cursor=99999999999999999999999", "kind=green",
               "status=%00", "office=%27%20OR%201%3D1--", "office=" + "y" * 5000],
    "/notices": ["limit=-1", "cursor=%00", "status=late", "office=%27--", "office=%F0%9F%A6%85"],
    "/risk-index": ["month=2026-13", "month=0000-01", "month=%00", "month=2026-3", "month=" + "9" * 5000,
                    "by=unit", "by=%27--", "month=2026-03&by=staff"],
    "/evaluation": ["month=-1", "month=2026-00", "by=staff", "month=9999-12", "month=%F0%9F%A6%85"],
    "/statistics": ["month=1969-12", "by=x", "month=2026-03&by=department"],
    "/risk-reminders": ["cursor=99999999999999999999999", "cursor=-1", "cursor=x", "limit=0", "status=%00",
                        "office=%27%20OR%201%3D1--"],
}


@pytest.mark.parametrize("path", sorted(QUERIES))
def test_hostile_query_parameters(world: World, path: str) -> None:
    for query in QUERIES[path]:
        if path == "/batches":
            body, role = world.valid_body(next(e for e in BODY_ENDPOINTS if e.path == "/batches"))
            r = world.call("POST", f"{path}?{query}", body, role=role)
        else:
            r = world.call("GET", f"{path}?{query}")
        check(r)
        assert r.status in (200, 400, 410), (query, r.status, r.body[:300])


# -- hostile text in records -----------------------------------------------------------------

def test_hostile_text_is_stored_verbatim_and_never_executed(world: World) -> None:
    server = world.server
    token = world.tokens["T01"]
    expected_cases: dict[str, tuple[list[dict[str, Any]], dict[str, Any] | None]] = {}
    rating: dict[str, Any] | None
    sent: Any  # the events sent for a case, then what was sent for a petition
    expected_petitions: dict[str, dict[str, Any]] = {}
    records: list[dict[str, Any]] = []
    for n, text in enumerate(HOSTILE_TEXTS):
        # The case number itself is hostile too (it fits the 64-character limit).
        case_no = f"{text[:40]}#{n}"
        events = [
            event(case_no, "received", "2026-02-26T09:00:00+08:00", seq=1, actor=text, note=text, applicant_id=text,
                  applicant_name=text, channel="window"),
            event(case_no, "accepted", "2026-02-26T09:05:00+08:00", seq=2, actor=text, note=text),
            event(case_no, "suspended", "2026-02-26T09:10:00+08:00", seq=3, reason_code=text[:64], note=text),
            event(case_no, "resumed", "2026-02-26T09:20:00+08:00", seq=4),
            event(case_no, "node_completed", "2026-02-26T10:00:00+08:00", seq=5, node="review", actor=text,
                  opinion=text),
            event(case_no, "node_completed", "2026-02-26T10:30:00+08:00", seq=6, node="approve", actor=text,
                  opinion=text),
            event(case_no, "decided", "2026-02-26T11:00:00+08:00", seq=7, result="refused", reason=text,
                  legal_basis=text, actor=text),
            event(case_no, "delivered", "2026-02-26T11:30:00+08:00", seq=8, method=text),
        ]
        rating = evaluation(case_no, "dissatisfied", "2026-02-26T12:00:00+08:00", comment=text, channel=text)
        pet = petition(receipt_code=f"{7000000000000000 + n}", password=f"pw-{text}", name=text, id_number=text,
                       phone=text, address=text, subject=text, content=text)
        pet["subject"] = {"name": text, "unit": text, "title": text}
        assigned = petition_event(pet["id"], "assigned", "2026-02-27T08:00:00+08:00", actor=text, text=text)
        reply = petition_event(pet["id"], "replied", "2026-02-27T09:00:00+08:00", actor=text, text=text)
        # The other closings, with their own text fields.
        refused, dropped = f"{text[:40]}#{n}-na", f"{text[:40]}#{n}-w"
        refusal = [event(refused, "received", "2026-02-26T09:00:00+08:00", seq=1),
                   event(refused, "not_accepted", "2026-02-26T09:30:00+08:00", seq=2, reason=text, legal_basis=text,
                         actor=text, note=text)]
        withdrawal = [event(dropped, "received", "2026-02-26T09:00:00+08:00", seq=1),
                      event(dropped, "fee_charged", "2026-02-26T09:20:00+08:00", seq=2, amount_fen=1, note=text),
                      event(dropped, "withdrawn", "2026-02-26T09:40:00+08:00", seq=3, reason=text, actor=text)]
        records += [*events, rating, *refusal, *withdrawal, pet, assigned, reply]
        expected_cases[case_no] = (events, rating)
        expected_cases[refused] = (refusal, None)
        expected_cases[dropped] = (withdrawal, None)
        expected_petitions[pet["id"]] = {"petition": pet, "events": [assigned, reply]}
    summary = ok_batch(server, "T01", token, records)
    assert summary["rejected"] == 0, summary["errors"]
    assert summary["imported"] == len(records)

    for case_no, (sent, rating) in expected_cases.items():
        r = server.call("GET", "/approval-cases/T01/" + urllib.parse.quote(case_no, safe=""))
        assert r.status == 200, (case_no, r.body[:300])
        case = r.json()
        assert case["case_no"] == case_no
        stored = {e["id"]: e for e in case["events"]}
        assert set(stored) == {e["id"] for e in sent}
        for rec in sent:
            got = stored[rec["id"]]
            for key, value in rec.items():
                if key in ("kind", "case_no", "power_code", "id"):
                    continue
                if key == "at":
                    continue
                assert got[key] == value, (case_no, key)
        if rating is None:
            continue
        assert case["evaluations"][0]["comment"] == rating["comment"]
        # Alerts about the case carry the hostile values as data, not markup or SQL.
        rules = {a["rule"] for a in case["alerts"]}
        assert {"POOR_RATING", "SEGREGATION", "SUSPENSION_ABUSE"} <= rules, rules
        seg = next(a for a in case["alerts"] if a["rule"] == "SEGREGATION")
        assert sent[0]["actor"] in strings_in(seg["evidence"]), seg

    alerts = world.call("GET", "/alerts?rule=POOR_RATING").json()["alerts"]
    rated = {no for no, (_, rating) in expected_cases.items() if rating is not None}
    assert rated <= {a["subject"]["case_no"] for a in alerts}
    fees = world.call("GET", "/alerts?rule=FEE_EXCESS").json()["alerts"]
    assert {no for no in expected_cases if no.endswith("-w")} <= {a["subject"]["case_no"] for a in fees}

    for pid, sent in expected_petitions.items():
        as_officer = world.call("GET", f"/petitions/{pid}", role="petition_officer").json()
        pet = sent["petition"]
        assert as_officer["petitioner"] == pet["petitioner"]
        assert as_officer["subject"] == pet["subject"]
        assert as_officer["content"] == pet["content"]
        assert [(e["type"], e["actor"], e["text"]) for e in as_officer["events"]] == \
            [(e["type"], e["actor"], e["text"]) for e in sent["events"]]
        public = world.call("POST", "/public/petition-status",
                            {"receipt_code": pet["receipt_code"], "password": pet["query_password"]}, role=None)
        assert public.status == 200, public.body
        assert public.json()["reply"] == sent["events"][-1]["text"]

    # Nothing was executed: every table is still there and counts add up.
    with sqlite_connect(server) as conn:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert {"approval_events", "approval_cases", "petitions", "petition_events", "evaluations", "alerts",
            "audit_log", "changes", "batches"} <= tables
    stats = world.call("GET", "/admin/stats").json()
    assert stats["petitions"] >= len(HOSTILE_TEXTS)
    assert stats["events"] >= 8 * len(HOSTILE_TEXTS)


def check_nul_refused(server: ServerProcess, office_token: str) -> None:
    """U+0000 anywhere: the record is rejected naming the field (others are kept); elsewhere 400."""
    ok = event("NUL-OK", "received", "2026-02-26T09:00:00+08:00", note="fine")
    pet = petition(receipt_code="5300000000000001")
    pet["petitioner"] = pet["petitioner"] | {"name": "李\u0000某"}
    bad = [
        event("NUL-1", "received", "2026-02-26T09:00:00+08:00", actor="a\u0000b"),
        event("NUL-\u00002", "received", "2026-02-26T09:00:00+08:00"),
        event("NUL-3", "received", "2026-02-26T09:00:00+08:00", note="\u0000"),
        evaluation("NUL-OK", "satisfied", "2026-02-26T10:00:00+08:00", comment="x\u0000"),
        pet,
        event("NUL-4", "received", "2026-02-26T09:00:00+08:00") | {"extra\u0000key": 1},
    ]
    r = server.post_batch("T01", office_token, [ok, *bad])
    assert r.status == 200, r.body
    summary = r.json()
    assert (summary["imported"], summary["rejected"]) == (1, len(bad))
    assert [(e["index"], e["code"], e["field"]) for e in summary["errors"]] == [
        (1, "INVALID_FIELD", "actor"), (2, "INVALID_FIELD", "case_no"), (3, "INVALID_FIELD", "note"),
        (4, "INVALID_FIELD", "comment"), (5, "INVALID_FIELD", "petitioner.name"),
        (6, "INVALID_FIELD", "extra\u0000key")]
    assert "李" not in r.body.decode()
    assert server.call("GET", "/approval-cases/T01/NUL-OK").json()["events"][0]["note"] == "fine"
    token_body = {"batch_id": "a\u0000b", "office": "T01", "records": []}
    assert_error(server.call("POST", "/batches", token_body, token=office_token), 400, "INVALID_REQUEST")
    for method, path, body in (
        ("GET", "/approval-cases/T01/NUL%00", None), ("GET", "/batches/%00", None), ("GET", "/petitions/%00", None),
        ("GET", "/alerts?status=%00", None), ("GET", "/petitions?cursor=a%00", None),
        ("GET", "/approval-cases?office=%00", None), ("DELETE", "/cameras/x%00", None),
        ("POST", "/users", {"username": "nul-user", "password": "12345678\u0000", "role": "leader"}),
        ("PUT", "/cameras/cam-nul", {"name": "x\u0000", "main_url": "rtsp://10.0.0.1/a"}),
        ("POST", "/offices", {"code": "NUL", "name": "\u0000"}),
        ("PUT", "/catalogue", {"items": [CATALOGUE[0] | {"name": "许可\u0000"}]}),
    ):
        assert_error(server.call(method, path, body), 400, "INVALID_REQUEST")
    for path, body in (("/auth/token", {"username": "a\u0000", "password": "b"}),
                       ("/public/petition-status", {"receipt_code": "1\u0000", "password": "b"})):
        assert_error(server.call("POST", path, body, token=None), 400, "INVALID_REQUEST")


def test_nul_characters_are_refused_not_stored(world: World) -> None:
    check_nul_refused(world.server, world.tokens["T01"])


def test_nul_characters_are_refused_on_postgres_too(tmp_path: Path, pg_database: str) -> None:
    """PostgreSQL text cannot hold U+0000: the same answers there, and no 500."""
    server = ServerProcess(tmp_path / "data")
    server.init(pg_database)
    server.start()
    try:
        check_nul_refused(server, server.setup_basic(("T01",))["T01"])
        assert "Traceback" not in (server.log_path.read_text() if server.log_path else "")
    finally:
        server.stop()


def test_one_megabyte_strings_in_records_are_rejected_per_record(world: World) -> None:
    big = "x" * 1_000_000
    good = event("BIG-OK", "received", "2026-02-26T09:00:00+08:00")
    bad = [
        event("BIG-1", "received", "2026-02-26T09:00:00+08:00", note=big),
        event("BIG-2", "received", "2026-02-26T09:00:00+08:00", applicant_name=big),
        event(big, "received", "2026-02-26T09:00:00+08:00"),
        evaluation("BIG-OK", "satisfied", "2026-02-26T10:00:00+08:00", comment=big),
        petition(receipt_code="5000000000000001", content=big + big),
        petition(receipt_code="5000000000000002", name=big),
        petition_event(new_id(), "replied", "2026-02-27T09:00:00+08:00", text=big),
    ]
    r = world.server.post_batch("T01", world.tokens["T01"], [good, *bad])
    assert r.status == 200
    assert len(r.body) < 20_000, "the summary echoes the rejected values"
    summary = r.json()
    assert summary["imported"] == 1
    assert summary["rejected"] == len(bad)
    fields = {e["index"]: (e["code"], e["field"]) for e in summary["errors"]}
    assert fields == {1: ("INVALID_FIELD", "note"), 2: ("INVALID_FIELD", "applicant_name"),
                      3: ("INVALID_FIELD", "case_no"), 4: ("INVALID_FIELD", "comment"),
                      5: ("INVALID_FIELD", "content"), 6: ("INVALID_FIELD", "petitioner.name"),
                      7: ("INVALID_FIELD", "text")}
    assert world.call("GET", "/approval-cases/T01/BIG-OK").status == 200
    assert world.call("GET", "/approval-cases/T01/BIG-1").status == 404


def test_server_log_has_no_stack_traces_of_client_mistakes(world: World) -> None:
    """Everything above was the client's fault: the server logged no unhandled error for it."""
    log = Path(world.server.log_path or "").read_text(errors="replace")
    assert "Traceback" not in log, log[-3000:]
    assert "unhandled error" not in log
