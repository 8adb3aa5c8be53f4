"""After a full session at the petition desk, the petitioner's identity is nowhere but in the
desk's own audited views (spec 01 Roles, 04, 06 §3).

The desk registers petitions with identity (and one whose bad fields *are* identity), reads
them, works them through every action, merges, converts, attaches, meets a conflict; a
township sends petitions and events; the petitioner checks the status on the API and the
page; time passes and the petition clocks raise alerts. Then every response the session
produced, every GET a non-desk role can make, the change feed of every role, every table of
the database (the identity is stored only encrypted) and the whole server log (debug level,
access log on) are searched for the identity and the query password: none of them may
appear. Each time the desk read an identity, the audit log has an entry under ``petition``.
"""

from __future__ import annotations

import json
import re
import sqlite3
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from tests.harness import ServerProcess
from tests.server.support import (
    create_user,
    new_id,
    petition,
    petition_event,
    server_from_template,
    sqlite_db,
    upload,
)

NAME = "欧阳信访人"
ID_NUMBER = "110101199003071234"
PHONE = "13912345678"
ADDRESS = "幸福路88号3单元"
PASSWORD = "Secret-query-8841"
TOWN_NAME = "司马乡亲"
TOWN_ID = "350521197001019999"
SECRETS = (NAME, ID_NUMBER, PHONE, ADDRESS, PASSWORD, TOWN_NAME, TOWN_ID, "幸福路88号")


@dataclass
class Session:
    server: ServerProcess
    tokens: dict[str, str] = field(default_factory=dict)
    officer: str = ""
    answers: list[tuple[str, bytes]] = field(default_factory=list)
    ids: dict[str, str] = field(default_factory=dict)
    reveals: int = 0

    def call(self, method: str, path: str, body: Any = None, *, role: str | None = "desk") -> Any:
        token = None if role is None else ("admin" if role == "admin" else self.tokens[role])
        r = self.server.call(method, path, body, token=token)
        self.answers.append((f"{method} {path} as {role}", r.body))
        return r

    def act(self, entity_id: str, action: str, data: dict[str, Any] | None = None, **extra: Any) -> dict[str, Any]:
        m = {"id": new_id(), "entity": "petition", "entity_id": entity_id, "action": action, "data": data or {}}
        r = self.call("POST", "/mutations", {"mutations": [m | extra]})
        assert r.status == 200, r.body
        return r.json()["results"][0]


def assert_clean(text: str | bytes, where: str) -> None:
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    for secret in SECRETS:
        assert secret not in text, f"{where} reveals {secret!r}"


def identity(**changes: Any) -> dict[str, Any]:
    return {"name": NAME, "id_number": ID_NUMBER, "phone": PHONE, "address": ADDRESS} | changes


def registration(**changes: Any) -> dict[str, Any]:
    return {"office": "C00", "channel": "visit", "received_at": "2026-04-13T09:00:00+08:00",
            "petitioner": identity(), "anonymous": False,
            "subject": {"name": "赵某", "unit": "城关镇市场监管所", "title": "窗口人员"}, "category": "fees",
            "content": "反映城关镇市场监管所赵某办理食品经营许可时超标准收费八十元",
            "query_password": PASSWORD} | changes


@pytest.fixture(scope="module")
def session(tmp_path_factory: pytest.TempPathFactory, server_template: Path) -> Iterator[Session]:
    server = server_from_template(server_template, tmp_path_factory.mktemp("desk-privacy") / "data",
                                  simulated_clock="2026-04-13T10:00:00+08:00",
                                  extra_args=["--log-level", "debug", "--access-log"])
    server.start()
    try:
        s = Session(server)
        s.tokens.update(server.setup_basic(("T01",)))
        centre = {"code": "C00", "name": "县电子监察中心", "kind": "centre"}
        assert server.call("POST", "/offices", centre).status == 201
        s.officer = f"xf-{uuid.uuid4().hex[:6]}"
        s.tokens["desk"] = create_user(server, "petition_officer", username=s.officer)
        for role in ("operator", "leader", "investigator"):
            s.tokens[role] = create_user(server, role)
        run_the_desk(s)
        yield s
    finally:
        server.stop()


def run_the_desk(s: Session) -> None:
    """A day at the desk, and a township's petitions."""
    a, b, c, bad = new_id(), new_id(), new_id(), new_id()
    s.ids.update(a=a, b=b, c=c)
    code = s.act(a, "register", registration())["receipt_code"]
    s.ids["code"] = code
    reworded = registration(channel="phone", received_at="2026-04-13T09:30:00+08:00",
                            content="城关镇市场监管所的赵某在食品经营许可中多收了八十元费用")
    assert s.act(b, "register", reworded)["status"] == "applied"
    assert s.act(c, "register", registration(received_at="2026-04-13T09:40:00+08:00", content="赵某上班时间打牌",
                                             petitioner=identity(phone="13912345679")))["status"] == "applied"
    # Refusals whose bad values are the identity itself.
    for wrong in ({"petitioner": identity(name=NAME * 80)}, {"petitioner": identity(id_number=int(ID_NUMBER))},
                  {"petitioner": f"{NAME} {ID_NUMBER} {PHONE}"}, {"query_password": PASSWORD * 20},
                  {"petitioner": identity(), "anonymous": True}, {"petitioner": [NAME, PHONE]}):
        res = s.act(bad, "register", registration(**wrong))
        assert res["status"] == "rejected", wrong
    # The desk reads who petitioned: each read audited.
    for pid in (a, b):
        r = s.call("GET", f"/petitions/{pid}")
        assert r.json()["petitioner"]["name"] == NAME
        s.reveals += 1
    s.call("GET", f"/petitions/{a}/similar")
    for action, data in (("accept", {}), ("assign", {"unit": "城关镇纪委"}), ("extend", {"days": 10}),
                         ("extend", {"days": 25}), ("reply", {"text": "经核查属实，已责令退还。"}),
                         ("close", {"substantiated": True})):
        s.act(a, action, data)
    s.act(b, "merge", {"into": a}, base_version=0)  # a conflict: the current petition comes back
    s.act(b, "merge", {"into": a})
    s.act(c, "convert", {"investigation_id": new_id(), "title": "信访转立案"})
    blob = upload(s.server, s.tokens["desk"], f"来信扫描：{NAME}".encode())
    s.ids["blob"] = blob
    s.act(b, "attach", {"sha256": blob, "filename": f"{NAME}来信.pdf"})
    # The township's own register and events.
    town = petition(receipt_code="8800000000000001", name=TOWN_NAME, id_number=TOWN_ID, phone=PHONE, address=ADDRESS,
                    subject="赵某", received_at="2026-04-12T09:00:00+08:00")
    again = petition(receipt_code="8800000000000002", name=TOWN_NAME, id_number=TOWN_ID.lower(),
                     subject="赵某", received_at="2026-04-13T08:00:00+08:00")
    broken = petition(receipt_code="8800000000000003") | {"petitioner": {"name": TOWN_NAME, "id_number": int(TOWN_ID)}}
    records = [town, again, broken, petition_event(town["id"], "accepted", "2026-04-12T10:00:00+08:00")]
    r = s.call("POST", "/batches", {"batch_id": new_id(), "office": "T01", "records": records,
                                    "complete_until": "2026-04-13T09:00:00+08:00"}, role="T01")
    assert r.status == 200, r.body
    # The petitioner asks, right and wrong, on the API and the page.
    for password in (PASSWORD, "wrong-password"):
        s.call("POST", "/public/petition-status", {"receipt_code": code, "password": password}, role=None)
        s.call("POST", "/public/petition-status", {"receipt_code": "8800000000000001", "password": password},
               role=None)
    # Time passes: the petition clocks run out and raise alerts.
    s.call("PUT", "/admin/clock", {"now": "2026-05-20T10:00:00+08:00"}, role="admin")


def test_no_response_of_the_session_reveals_anything_but_the_desks_own_reads(session: Session) -> None:
    for where, body in session.answers:
        if where.startswith("GET /petitions/") and where.endswith("as desk") and "/similar" not in where:
            continue  # the desk's own audited views
        assert_clean(body, where)


ROLES = ("admin", "leader", "operator", "investigator", "desk")


def test_every_read_of_every_other_role_and_every_feed_is_clean(session: Session) -> None:
    server = session.server
    paths = ["/alerts?limit=5000", "/petitions?limit=5000", "/changes?limit=5000", "/investigations",
             "/risk-reminders", "/offices", "/approval-cases", "/rules", "/admin/stats", "/auth/me"]
    alerts = server.call("GET", "/alerts?limit=5000").json()["alerts"]
    assert {"PETITION_ACCEPT_OVERDUE", "PETITION_DUPLICATE"} & {a["rule"] for a in alerts}
    paths += [f"/alerts/{a['id']}" for a in alerts]
    paths += [f"/petitions/{pid}" for pid in (session.ids["a"], session.ids["b"], session.ids["c"])]
    paths += [f"/petitions/{session.ids['a']}/similar"]
    paths += [f"/evidence/{session.ids['blob']}"]  # a scanned letter: only whoever uploaded it reads it
    for role in ROLES:
        token = "admin" if role == "admin" else session.tokens[role]
        for path in paths:
            if role == "desk" and (re.fullmatch(r"/petitions/[0-9a-f-]{36}", path) or path.startswith("/evidence")):
                continue  # the desk's own audited views, and the letter it scanned itself
            r = server.call("GET", path, token=token)
            assert r.status < 500, (role, path, r.body[:200])
            assert_clean(r.body, f"GET {path} as {role}")


def test_the_database_holds_the_identity_only_encrypted(session: Session) -> None:
    conn = sqlite3.connect(sqlite_db(session.server), timeout=30)
    try:
        dump = "\n".join(conn.iterdump())
    finally:
        conn.close()
    assert "petitions" in dump
    assert_clean(dump, "the database")


def test_every_identity_read_is_on_the_record(session: Session) -> None:
    conn = sqlite3.connect(sqlite_db(session.server), timeout=30)
    try:
        rows = conn.execute("SELECT actor, entity, entity_id FROM audit_log WHERE action = 'petition.identity_viewed'"
                            " ORDER BY seq").fetchall()
        actions = [r[0] for r in conn.execute("SELECT action FROM audit_log WHERE entity = 'petition'")]
    finally:
        conn.close()
    assert len(rows) >= session.reveals
    assert {r[0] for r in rows} == {session.officer}, "only the desk reads identity"
    assert {r[1] for r in rows} == {"petition"}
    assert {"petition.register", "petition.accept", "petition.merge", "petition.convert", "petition.attach"} <= \
        set(actions)


def test_the_server_log_holds_no_identity(session: Session) -> None:
    assert session.server.call("GET", "/health", token=None).status == 200
    log = session.server.log_path.read_text(errors="replace") if session.server.log_path else ""
    assert "POST /api/v1/mutations" in log, "the access log is on: the desk's requests must be in it"
    assert_clean(log, "the server log")
    assert json.dumps(SECRETS[0], ensure_ascii=True).strip('"') not in log, "not even escaped"
