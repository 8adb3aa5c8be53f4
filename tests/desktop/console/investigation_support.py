"""Shared steps of the investigation console tests: people on the test server, a case moved
along by the server's own mutations, and a console window signed in as one of them."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

INVESTIGATOR = ("li.inv", "investigator-pass-1")
REVIEWER = ("wang.rev", "reviewer-pass-1")
LEADER = ("zhao.lead", "leader-pass-1")
PEOPLE = ((INVESTIGATOR, "investigator", "李调查"), (REVIEWER, "investigator", "王会审"), (LEADER, "leader", "赵书记"))


def add_people(server: Any) -> None:
    for (name, password), role, display in PEOPLE:
        r = server.call("POST", "/users", {"username": name, "password": password, "role": role,
                                           "display_name": display})
        assert r.status == 201, r.body


def token_of(server: Any, user: tuple[str, str]) -> str:
    r = server.call("POST", "/auth/token", {"username": user[0], "password": user[1]}, token=None)
    assert r.status == 200, r.body
    return str(r.json()["token"])


def mutate(server: Any, entity_id: str, action: str, data: dict[str, Any], *, token: str = "admin",
           base_version: int | None = None) -> dict[str, Any]:
    m: dict[str, Any] = {"id": str(uuid.uuid4()), "entity": "investigation", "entity_id": entity_id,
                         "action": action, "data": data}
    if base_version is not None:
        m["base_version"] = base_version
    r = server.call("POST", "/mutations", {"mutations": [m]}, token=token)
    assert r.status == 200, r.body
    result: dict[str, Any] = r.json()["results"][0]
    return result


def create_case(server: Any, title: str = "城关镇国土所张某违规审批问题线索", *,
                investigators: tuple[str, ...] = (INVESTIGATOR[0],),
                subject: dict[str, str] | None = None) -> str:
    case_id = str(uuid.uuid4())
    res = mutate(server, case_id, "create", {
        "title": title, "subject": subject or {"name": "张某", "unit": "城关镇国土所", "title": "所长"},
        "investigators": list(investigators)})
    assert res["status"] == "applied", res
    return case_id


def upload(server: Any, content: bytes, token: str = "admin") -> str:
    import hashlib

    sha = hashlib.sha256(content).hexdigest()
    r = server.call("PUT", f"/evidence/{sha}", raw=content, token=token,
                    headers={"Content-Type": "application/octet-stream"})
    assert r.status in (200, 201), r.body
    return sha


def case(server: Any, case_id: str) -> dict[str, Any]:
    r = server.call("GET", f"/investigations/{case_id}")
    assert r.status == 200, r.body
    out: dict[str, Any] = r.json()
    return out


def open_console(qtbot: Any, server: Any, tmp_path: Path, user: tuple[str, str], role: str, *,
                 replica_name: str | None = None) -> Any:
    """The console window signed in as ``user`` against ``server``, live (its replica in ``tmp_path``)."""
    from desktop.common.api import ApiClient
    from desktop.console.session import open_session
    from desktop.console.window import ConsoleWindow
    from desktop.replica import sync

    client = ApiClient(f"https://127.0.0.1:{server.port}", str(server.ca_file))
    client.login(*user)
    replica_file = tmp_path / (replica_name or f"replica-{user[0]}.sqlite3")
    session = open_session(client, user[0], role=role, replica_file=replica_file, wait=2.0)
    window = ConsoleWindow(session)
    qtbot.addWidget(window)
    window.resize(1600, 900)
    window.show()
    session.engine.max_backoff = 1.0
    session.engine.start()
    qtbot.waitUntil(lambda: session.engine.state == sync.LIVE, timeout=15000)
    return window


def close_console(window: Any) -> None:
    window.close()
    window.session.shutdown(15000)


def case_at_execution(server: Any, title: str = "城关镇国土所张某违规审批问题线索") -> str:
    """A case taken to ``execution`` the way people would: a corrected preliminary report that
    supersedes the first, the leader's filing approval, a joint review with one dissent, notes
    and a leader's annotation."""
    case_id = create_case(server, title)
    inv = token_of(server, INVESTIGATOR)
    lead = token_of(server, LEADER)
    rev = token_of(server, REVIEWER)

    def ok(action: str, data: dict[str, Any], token: str = inv) -> None:
        res = mutate(server, case_id, action, data, token=token)
        assert res["status"] == "applied", (action, res)

    def attach(name: str, kind: str, content: bytes, supersedes: str | None = None) -> str:
        sha = upload(server, content, token=inv)
        ok("attach", {"sha256": sha, "filename": name, "kind": kind, **({"supersedes": supersedes} if supersedes
                                                                        else {})})
        return sha

    ok("transition", {"to": "preliminary_check"})
    first = attach("初核报告.docx", "preliminary_report", "初核报告（初稿）".encode() * 300)
    ok("note", {"text": "初稿漏列两笔审批，已补正"})
    attach("初核报告（修订）.docx", "preliminary_report", "初核报告（修订稿）".encode() * 320, supersedes=first)
    ok("approve_filing", {"text": "同意立案，抓紧调查"}, token=lead)
    ok("transition", {"to": "filing"})
    ok("transition", {"to": "investigation"})
    attach("调查报告.pdf", "investigation_report", "调查报告正文".encode() * 500)
    attach("谈话笔录.pdf", "other", "谈话笔录".encode() * 200)
    ok("transition", {"to": "trial_review"})
    ok("request_review", {"reviewers": [REVIEWER[0], LEADER[0]]})
    ok("opinion", {"opinion": "disagree", "text": "违纪金额认定依据不足，建议补充银行流水后再定性"}, token=rev)
    ok("opinion", {"opinion": "agree", "text": "事实清楚，同意审理意见"}, token=lead)
    ok("annotate", {"text": "请审理室注意王会审的不同意见，一并归档"}, token=lead)
    attach("审理决定书.pdf", "trial_decision", "审理决定书".encode() * 300)
    ok("transition", {"to": "execution"})
    return case_id


def open_case_file(qtbot: Any, window: Any, case_id: str) -> Any:
    """The case file of ``case_id`` in ``window``'s investigations pane, once the list has it and it is shown."""
    pane = window.investigations
    qtbot.waitUntil(lambda: case_id in pane.ids(), timeout=10000)
    pane.select(case_id)
    cf = pane.casefile
    qtbot.waitUntil(lambda: cf.file is not None and cf.file.inv["id"] == case_id, timeout=5000)
    return cf
