"""A petitioner's identity reaches the petition officer and nobody else (spec 01 Roles, 04).

After batches with petitions — good ones, a duplicate, anonymous ones, and malformed ones
whose bad values *are* identity (an ID number sent as a number, the petitioner block as a
string) — and after the clock moved so petition alerts were raised, none of the identity
values appears in: the batch answers and stored summaries, ``/alerts``, ``/changes``,
``/petitions`` and ``/petitions/{id}`` as admin or leader, the public status answer, or the
server's log file (run at debug level with the access log on). A petition officer's
``GET /petitions/{id}`` does show it, and each such view adds an audit entry. Camera
passwords in stream URLs stay out of the log too.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from tests.harness import ServerProcess
from tests.server.support import (
    create_user,
    list_all,
    new_id,
    petition,
    petition_event,
    read_feed,
    server_from_template,
    sqlite_connect,
)

NAME = "欧阳秘密人"
ID_NUMBER = "110101199003078888"
PHONE = "13800138000"
ADDRESS = "秘密街道99号"
IDENTITY = (NAME, ID_NUMBER, PHONE, ADDRESS, "110101199003078889", "欧阳另一人")
CAMERA_PASSWORD = "CamSecret-7731"


@dataclass
class Desk:
    server: ServerProcess
    tokens: dict[str, str] = field(default_factory=dict)
    petitions: list[dict[str, Any]] = field(default_factory=list)
    answers: list[bytes] = field(default_factory=list)
    officer: str = ""


def assert_no_identity(text: str | bytes, where: str) -> None:
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    for value in IDENTITY:
        assert value not in text, f"{where} reveals {value!r}"


@pytest.fixture(scope="module")
def desk(tmp_path_factory: pytest.TempPathFactory, server_template: Path) -> Iterator[Desk]:
    server = server_from_template(server_template, tmp_path_factory.mktemp("privacy") / "data",
                                  extra_args=["--log-level", "debug", "--access-log"])
    server.start()
    try:
        d = Desk(server)
        d.tokens.update(server.setup_basic(("T01",)))
        d.officer = f"desk-{uuid.uuid4().hex[:6]}"
        d.tokens["petition_officer"] = create_user(server, "petition_officer", username=d.officer)
        d.tokens["leader"] = create_user(server, "leader")
        d.tokens["operator"] = create_user(server, "operator")
        first = petition(receipt_code="6100000000000001", name=NAME, id_number=ID_NUMBER, phone=PHONE,
                         address=ADDRESS, subject="王某", received_at="2026-02-20T09:00:00+08:00")
        # The same petitioner about the same person again: PETITION_DUPLICATE.
        again = petition(receipt_code="6100000000000002", name=NAME, id_number=f" {ID_NUMBER.lower()} ",
                         phone=PHONE, address=ADDRESS, subject="王某", received_at="2026-02-25T09:00:00+08:00")
        other = petition(receipt_code="6100000000000003", name="欧阳另一人", id_number="110101199003078889",
                         received_at="2026-02-26T09:00:00+08:00")
        anonymous = petition(anonymous=True)
        d.petitions = [first, again, other, anonymous]
        malformed = [
            petition(receipt_code="6100000000000004") | {"petitioner": {"name": NAME, "id_number": int(ID_NUMBER)}},
            petition(receipt_code="6100000000000005") | {"petitioner": f"{NAME} {ID_NUMBER} {PHONE}"},
            petition(receipt_code="6100000000000006") | {"petitioner": {"name": NAME, "phone": PHONE * 20}},
            petition(receipt_code="6100000000000007") | {"petitioner": {"name": [NAME], "address": ADDRESS}},
            petition(receipt_code="6100000000000008", anonymous=True) | {"petitioner": {"name": NAME}},
        ]
        events = [petition_event(first["id"], "accepted", "2026-02-21T09:00:00+08:00", actor="S1"),
                  petition_event(first["id"], "assigned", "2026-02-21T10:00:00+08:00", text="某镇纪委")]
        for records in ([*d.petitions, *malformed], events):
            r = server.post_batch("T01", d.tokens["T01"], records)
            assert r.status == 200, r.body
            d.answers.append(r.body)
        summary = d.answers[0]
        assert b'"rejected":5' in summary
        # Time passes: acceptance deadlines run out and the office's heartbeat raises the petition alerts.
        assert server.call("PUT", "/admin/clock", {"now": "2026-04-01T00:00:00+08:00"}).status == 200
        assert server.call("POST", "/batches", {"batch_id": new_id(), "office": "T01", "records": [],
                                                "complete_until": "2026-04-01T00:00:00+08:00"},
                           token=d.tokens["T01"]).status == 200
        url = f"rtsp://admin:{CAMERA_PASSWORD}@10.0.0.5/main"
        assert server.call("PUT", "/cameras/cam-9", {"name": "信访接待室", "main_url": url}).status == 200
        yield d
    finally:
        server.stop()


def test_batch_answers_do_not_echo_identity(desk: Desk) -> None:
    for body in desk.answers:
        assert_no_identity(body, "a batch answer")
    summary = desk.server.call("GET", "/batches/" + json.loads(desk.answers[0])["batch_id"])
    assert summary.status == 200
    assert_no_identity(summary.body, "a stored batch summary")
    errors = json.loads(desk.answers[0])["errors"]
    assert [e["field"] for e in errors] == ["petitioner.id_number", "petitioner", "petitioner.phone",
                                            "petitioner.name", "petitioner"]
    assert all(e["message"] for e in errors)


def test_alerts_changes_and_petition_lists_hide_identity(desk: Desk) -> None:
    server = desk.server
    alerts = list_all(server, "/alerts", "alerts")
    rules = {a["rule"] for a in alerts}
    assert {"PETITION_DUPLICATE", "PETITION_ACCEPT_OVERDUE"} <= rules, rules
    for role in ("admin", "leader", "petition_officer", "operator"):
        token = server.admin_token if role == "admin" else desk.tokens[role]
        r = server.call("GET", "/alerts?limit=5000", token=token)
        assert r.status == 200
        assert_no_identity(r.body, f"/alerts as {role}")
        changes, _ = read_feed(server, token=token)
        assert_no_identity(repr(changes), f"/changes as {role}")
        if role != "operator":
            assert any(c["entity"] == "petition" for c in changes), role
    for role in ("admin", "leader"):
        token = server.admin_token if role == "admin" else desk.tokens[role]
        listed = server.call("GET", "/petitions?limit=5000", token=token)
        assert listed.status == 200
        assert_no_identity(listed.body, f"/petitions as {role}")
        by_id = {p["id"]: p for p in listed.json()["petitions"]}
        for pet in desk.petitions:
            expected = None if pet["anonymous"] else "[protected]"
            assert by_id[pet["id"]]["petitioner"] == expected
            one = server.call("GET", f"/petitions/{pet['id']}", token=token)
            assert one.status == 200
            assert_no_identity(one.body, f"/petitions/{{id}} as {role}")
            assert one.json()["petitioner"] == expected
            assert one.json()["subject"] == pet["subject"]
    # The petition officer's list is protected too; only the single view reveals.
    listed = server.call("GET", "/petitions", token=desk.tokens["petition_officer"])
    assert_no_identity(listed.body, "/petitions as petition_officer")


def test_public_status_answers_without_identity(desk: Desk) -> None:
    pet = desk.petitions[0]
    r = desk.server.call("POST", "/public/petition-status",
                         {"receipt_code": pet["receipt_code"], "password": pet["query_password"]}, token=None)
    assert r.status == 200, r.body
    assert_no_identity(r.body, "the public status answer")
    assert set(r.json()) <= {"receipt_code", "status", "received_at", "deadlines", "reply"}


def audit_views(desk: Desk, petition_id: str) -> list[tuple[str, str]]:
    with sqlite_connect(desk.server) as conn:
        return conn.execute("SELECT actor, action FROM audit_log WHERE entity = 'petition' AND entity_id = ? "
                            "AND action = 'petition.identity_viewed' ORDER BY seq", (petition_id,)).fetchall()


def test_petition_officer_sees_identity_and_every_view_is_audited(desk: Desk) -> None:
    pet = desk.petitions[0]
    before = audit_views(desk, pet["id"])
    for role in ("admin", "leader"):
        token = desk.server.admin_token if role == "admin" else desk.tokens[role]
        assert desk.server.call("GET", f"/petitions/{pet['id']}", token=token).status == 200
    assert audit_views(desk, pet["id"]) == before, "a protected view was audited as an identity view"
    for n in (1, 2):
        r = desk.server.call("GET", f"/petitions/{pet['id']}", token=desk.tokens["petition_officer"])
        assert r.status == 200
        body = r.json()
        assert body["petitioner"] == pet["petitioner"]
        assert [e["type"] for e in body["events"]] == ["accepted", "assigned"]
        assert audit_views(desk, pet["id"]) == [*before, *[(desk.officer, "petition.identity_viewed")] * n]
    anonymous = desk.petitions[3]
    r = desk.server.call("GET", f"/petitions/{anonymous['id']}", token=desk.tokens["petition_officer"])
    assert r.json()["petitioner"] is None


def test_server_log_holds_no_identity_and_no_camera_password(desk: Desk) -> None:
    # Make sure the log has seen requests of every kind before reading it.
    assert desk.server.call("GET", "/cameras").status == 200
    log = (desk.server.log_path.read_text(errors="replace") if desk.server.log_path else "")
    assert "POST /api/v1/batches" in log, "the access log is on: the batches must be in it"
    assert_no_identity(log, "the server log")
    assert CAMERA_PASSWORD not in log
