"""The petition desk against a real server (spec 06 §3): what the desk does, who may, what the
rules make of it at once, merges, conversions, the desk's list and its merge suggestions.

One server for the module; the tests run in file order on a simulated clock that only moves
forward (each test says when it is).
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest

from tests.harness import ServerProcess
from tests.server.support import (
    create_user,
    list_all,
    mutate,
    ok_batch,
    petition,
    read_feed,
    server_from_template,
    sqlite_connect,
    upload,
)

CENTRE = "C00"


@dataclass
class Desk:
    server: ServerProcess
    tokens: dict[str, str] = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=dict)

    def act(self, entity_id: str, action: str, data: dict[str, Any] | None = None, *, role: str = "desk",
            **kw: Any) -> dict[str, Any]:
        token = "admin" if role == "admin" else self.tokens[role]
        return mutate(self.server, token, "petition", entity_id, action, data, **kw)

    def get(self, petition_id: str, role: str = "desk") -> dict[str, Any]:
        r = self.server.call("GET", f"/petitions/{petition_id}", token=self.tokens.get(role, "admin"))
        assert r.status == 200, r.body[:300]
        return r.json()

    def clock(self, now: str) -> None:
        r = self.server.call("PUT", "/admin/clock", {"now": now})
        assert r.status == 200, r.body

    def alerts(self, petition_id: str) -> dict[str, str]:
        found = list_all(self.server, "/alerts", "alerts")
        return {a["rule"]: a["status"] for a in found
                if a["subject"]["type"] == "petition" and a["subject"]["petition_id"] == petition_id}


def new_pid() -> str:
    return str(uuid.uuid4())


def registration(received_at: str, **changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "office": CENTRE, "channel": "visit", "received_at": received_at,
        "petitioner": {"name": "孙某某", "id_number": "350521198512120033", "phone": "13800001111",
                       "address": "城关镇某村"},
        "anonymous": False, "subject": {"name": "赵某", "unit": "城关镇市场监管所", "title": "窗口人员"},
        "category": "fees", "content": "反映城关镇市场监管所赵某办理食品经营许可时超标准收费八十元",
        "query_password": "Sun-query-2026",
    }
    data.update(changes)
    return data


@pytest.fixture(scope="module")
def desk(tmp_path_factory: pytest.TempPathFactory, server_template: Path) -> Iterator[Desk]:
    server = server_from_template(server_template, tmp_path_factory.mktemp("desk") / "data",
                                  simulated_clock="2026-03-02T08:00:00+08:00")
    server.start()
    try:
        d = Desk(server)
        d.tokens.update(server.setup_basic(("T01",)))
        r = server.call("POST", "/offices", {"code": CENTRE, "name": "县电子监察中心", "kind": "centre"})
        assert r.status == 201, r.body
        for role, key in (("petition_officer", "desk"), ("petition_officer", "desk2"), ("operator", "operator"),
                          ("leader", "leader"), ("investigator", "investigator")):
            d.names[key] = f"{key}-{uuid.uuid4().hex[:6]}"
            d.tokens[key] = create_user(server, role, username=d.names[key])
        yield d
    finally:
        server.stop()


def test_what_the_centre_records_is_complete_at_once(desk: Desk) -> None:
    """03-02 → 03-15: a desk petition's clocks run on the server's now, without any batch."""
    pid = new_pid()
    done = desk.act(pid, "register", registration("2026-03-02T08:00:00+08:00"))
    assert done["status"] == "applied", done
    assert done["version"] == 1
    assert len(done["receipt_code"]) == 16
    shown = desk.get(pid)
    assert shown["petitioner"]["name"] == "孙某某", "the desk sees who petitioned"
    assert shown["deadlines"]["accept_due"] == "2026-03-18T00:00:00+08:00"
    assert (shown["status"], shown["overdue"], shown["events"]) == ("registered", False, [])
    answer = desk.server.call("POST", "/public/petition-status",
                              {"receipt_code": done["receipt_code"], "password": "Sun-query-2026"}, token=None)
    assert answer.status == 200, answer.body
    assert answer.json()["status"] == "registered"

    desk.clock("2026-03-15T08:00:00+08:00")
    assert desk.alerts(pid) == {"PETITION_ACCEPT_DUE": "open"}, "the sweep judged it on the server's now"
    offices = {o["office"] for o in (a["subject"] for a in list_all(desk.server, "/alerts?rule=OFFICE_SILENT",
                                                                          "alerts"))}
    assert "T01" in offices, "a township that never synced is silent"
    assert CENTRE not in offices, "the centre is never silent"

    assert desk.act(pid, "accept")["status"] == "applied"
    assert desk.alerts(pid) == {"PETITION_ACCEPT_DUE": "resolved"}, "the decision counted at once"


def test_desk_events_count_at_once_whatever_the_township_watermark(desk: Desk) -> None:
    """03-15 → 04-02: T01 sends a petition and then nothing; the desk decides late."""
    pet = petition(receipt_code="7100000000000001", received_at="2026-03-15T07:00:00+08:00", subject="钱某")
    ok_batch(desk.server, "T01", desk.tokens["T01"], [pet], complete_until="2026-03-15T08:00:00+08:00")
    late_at_desk = new_pid()
    late = registration("2026-03-10T09:00:00+08:00", content="反映某村低保评定不公",
                        subject={"name": "周某", "unit": "某村委会"})
    assert desk.act(late_at_desk, "register", late)["status"] == "applied"
    desk.clock("2026-04-02T08:00:00+08:00")
    assert "PETITION_ACCEPT_OVERDUE" not in desk.alerts(pet["id"]), \
        "T01 is only offline: it is not accused before its records arrive"
    overdue = {p["id"] for p in list_all(desk.server, "/petitions?overdue=true", "petitions",
                                         token=desk.tokens["desk"])}
    assert late_at_desk in overdue
    assert pet["id"] not in overdue, "overdue is judged on each office's own evaluation time"

    result = desk.act(pet["id"], "accept")
    assert result["status"] == "applied", result
    assert desk.alerts(pet["id"]).get("PETITION_ACCEPT_OVERDUE") == "open", "decided after the due date, seen at once"
    shown = desk.get(pet["id"])
    assert shown["events"][-1]["actor"] == desk.names["desk"]
    assert shown["events"][-1]["at"] == "2026-04-02T08:00:00+08:00", "a desk event happens at the server's now"
    assert shown["office"] == "T01", "the petition stays the township's"


def test_a_petition_worked_to_the_end(desk: Desk) -> None:
    pid = new_pid()
    reg = desk.act(pid, "register", registration("2026-04-02T07:30:00+08:00", receipt_code="7200000000000001"))
    assert reg["status"] == "applied"
    assert "receipt_code" not in reg, "a code the desk chose is not generated again"
    steps: list[tuple[str, dict[str, Any]]] = [("accept", {}), ("assign", {"unit": "城关镇纪委"}),
                                               ("extend", {"days": 20})]
    for n, (action, data) in enumerate(steps, start=2):
        res = desk.act(pid, action, data)
        assert (res["status"], res["version"]) == ("applied", n), res
    refused = desk.act(pid, "extend", {"days": 11})
    assert refused["status"] == "rejected"
    assert refused["error"]["code"] == "EXTENSION_LIMIT"
    assert "还可延期 10 日" in refused["error"]["message_zh"]
    assert refused["version"] == 4, "a refusal names the version it was judged on"
    assert desk.act(pid, "reply", {"text": "经核查，反映问题属实，已责令退还多收的八十元。"})["version"] == 5
    closed = desk.act(pid, "close", {"text": "已办结", "substantiated": True}, base_version=5)
    assert (closed["status"], closed["version"]) == ("applied", 6)
    shown = desk.get(pid, "leader")
    assert shown["petitioner"] == "[protected]"
    assert [e["type"] for e in shown["events"]] == ["accepted", "assigned", "extended", "replied", "closed"]
    assert shown["events"][-1]["substantiated"] is True
    assert shown["deadlines"]["extension_days"] == 20
    assert (shown["status"], shown["version"]) == ("closed", 6)
    assert desk.act(pid, "reply", {"text": "再答复"})["error"]["code"] == "PETITION_STATE"

    # The feed carries the petition as it is, to the roles that read petitions, never the identity.
    changes, _ = read_feed(desk.server, token=desk.tokens["leader"])
    mine = [c["data"] for c in changes if c["entity"] == "petition" and c["id"] == pid]
    assert mine[-1]["version"] == 6
    assert mine[-1]["status"] == "closed"
    assert "孙某某" not in json.dumps(changes, ensure_ascii=False)
    operator_feed, _ = read_feed(desk.server, token=desk.tokens["operator"])
    assert not [c for c in operator_feed if c["entity"] == "petition"]

    # Every action is on the record, the password and the identity never in it.
    with sqlite_connect(desk.server) as conn:
        rows = conn.execute("SELECT actor, action, detail FROM audit_log WHERE entity = 'petition' AND entity_id = ? "
                            "ORDER BY seq", (pid,)).fetchall()
    actions = [a for _, a, _ in rows if a != "petition.identity_viewed"]
    assert actions == ["petition.register", "petition.accept", "petition.assign", "petition.extend",
                       "petition.reply", "petition.close"]
    text = json.dumps(rows, ensure_ascii=False)
    for secret in ("Sun-query-2026", "孙某某", "350521198512120033", "13800001111"):
        assert secret not in text
    assert "[secret]" in rows[0][2]
    assert "[protected]" in rows[0][2]


def test_decisions_conflict_on_a_stale_version_and_a_replay_answers_the_same(desk: Desk) -> None:
    pid = new_pid()
    assert desk.act(pid, "register", registration("2026-04-02T07:40:00+08:00"))["version"] == 1
    first = desk.act(pid, "accept", base_version=1, mutation_id="7f0e0000-0000-4000-8000-000000000001")
    assert first["status"] == "applied"
    again = desk.act(pid, "accept", base_version=1, mutation_id="7f0e0000-0000-4000-8000-000000000001")
    assert again == first, "the same mutation id answers its stored result"
    other = desk.act(pid, "not_accept", {"reason": "不属于受理范围"}, role="desk2", base_version=1)
    assert other["status"] == "conflict"
    assert other["error"]["code"] == "CONFLICT"
    assert other["current"]["version"] == 2
    assert other["current"]["petitioner"] == "[protected]", "a conflict never carries the identity"
    assert other["yours"]["data"] == {"reason": "不属于受理范围"}
    assert desk.act(pid, "assign", {"unit": "纪委"}, role="desk2", base_version=1)["status"] == "applied", \
        "an assignment overwrites no decision: it never conflicts"


def test_only_the_desk_and_admin_work_petitions(desk: Desk) -> None:
    pid = new_pid()
    assert desk.act(pid, "register", registration("2026-04-02T07:50:00+08:00"))["status"] == "applied"
    for role in ("operator", "leader", "investigator"):
        res = desk.act(pid, "accept", role=role)
        assert (res["status"], res["error"]["code"]) == ("rejected", "FORBIDDEN"), role
        res = desk.act(new_pid(), "register", registration("2026-04-02T07:50:00+08:00"), role=role)
        assert res["error"]["code"] == "FORBIDDEN", role
    assert desk.act(pid, "accept", role="admin")["status"] == "applied"
    shown = desk.get(pid, "admin")
    assert shown["petitioner"] == "[protected]", "not even the administrator reads the identity"
    for role in ("operator", "investigator"):
        assert desk.server.call("GET", f"/petitions/{pid}", token=desk.tokens[role]).status == 403
        assert desk.server.call("GET", "/petitions", token=desk.tokens[role]).status == 403
    assert desk.server.call("GET", f"/petitions/{pid}/similar", token=desk.tokens["leader"]).status == 403
    assert desk.server.call("GET", f"/petitions/{pid}/similar", token=desk.tokens["desk"]).status == 200


def test_merging_the_same_complaint_and_the_duplicate_status(desk: Desk) -> None:
    primary, dup, other = new_pid(), new_pid(), new_pid()
    assert desk.act(primary, "register", registration(
        "2026-04-02T07:00:00+08:00", subject={"name": "吴某", "unit": "东关镇财政所", "title": "会计"},
        content="反映东关镇财政所会计吴某在发放耕地地力保护补贴时克扣我家补贴三百元"))["status"] == "applied"
    dup_reg = desk.act(dup, "register", registration(
        "2026-04-02T07:20:00+08:00", channel="phone", petitioner=None, anonymous=True,
        subject={"name": "吴某", "unit": "东关镇财政所"},
        content="东关镇财政所的吴某发耕地地力保护补贴的时候少发了三百元，群众意见很大"))
    assert dup_reg["status"] == "applied"
    assert desk.act(other, "register", registration(
        "2026-04-02T07:25:00+08:00", subject={"name": "吴某", "unit": "东关镇财政所"},
        content="吴某上班时间经常在办公室打牌，群众办事找不到人"))["status"] == "applied"

    suggestions = desk.server.call("GET", f"/petitions/{primary}/similar", token=desk.tokens["desk"]).json()
    ids = [s["petition_id"] for s in suggestions["suggestions"]]
    assert ids[0] == dup, suggestions
    assert "likely_duplicate" in suggestions["suggestions"][0]["why"]
    assert other in ids, "another complaint about the same person is shown too, below"
    assert ids.index(other) > ids.index(dup)

    assert desk.act(dup, "merge", {"into": dup})["error"]["code"] == "PETITION_STATE"
    merged = desk.act(dup, "merge", {"into": primary}, base_version=1)
    assert merged["status"] == "applied", merged
    assert desk.get(dup)["merged_into"] == primary
    assert desk.get(primary)["duplicates"] == [dup]
    assert dup not in [s["petition_id"] for s in desk.server.call(
        "GET", f"/petitions/{other}/similar", token=desk.tokens["desk"]).json()["suggestions"]], \
        "a merged petition is never suggested"
    assert desk.act(other, "merge", {"into": dup})["error"]["code"] == "PETITION_STATE", "not into a merged one"
    assert desk.act(dup, "accept")["error"]["code"] == "PETITION_STATE"

    # The primary's handling answers the duplicate's status check.
    desk.act(primary, "accept")
    desk.act(primary, "reply", {"text": "经核查，已责令补发克扣的补贴三百元。"})
    status = desk.server.call("POST", "/public/petition-status",
                              {"receipt_code": dup_reg["receipt_code"], "password": "Sun-query-2026"}, token=None)
    assert status.status == 200, status.body
    body = status.json()
    assert body["status"] == "replied"
    assert body["reply"] == "经核查，已责令补发克扣的补贴三百元。"
    assert body["received_at"] == "2026-04-02T07:20:00+08:00", "the petitioner's own petition"

    # Attaching a scanned letter is the one thing a merged petition still takes.
    blob = upload(desk.server, desk.tokens["desk"], "来电记录：东关镇 吴某 补贴".encode())
    res = desk.act(dup, "attach", {"sha256": blob, "filename": "来电记录.txt"})
    assert res["status"] == "applied", res
    assert desk.get(dup)["attachments"][0]["sha256"] == blob
    assert desk.get(dup)["attachments"][0]["filename"] == "来电记录.txt", "the desk reads the file's name"
    assert desk.get(dup, "leader")["attachments"][0]["filename"] == "[protected]", "nobody else does"
    # Another officer reads the letter through the petition (audited); nobody else does.
    read = desk.server.call("GET", f"/petitions/{dup}/attachments/{blob}", token=desk.tokens["desk2"])
    assert read.status == 200
    assert read.body == "来电记录：东关镇 吴某 补贴".encode()
    assert desk.server.call("GET", f"/petitions/{dup}/attachments/{blob}", token=desk.tokens["leader"]).status == 403
    assert desk.server.call("GET", f"/petitions/{primary}/attachments/{blob}", token=desk.tokens["desk2"]).status \
        == 404, "only where it is attached"
    assert desk.server.call("GET", f"/evidence/{blob}", token=desk.tokens["leader"]).status == 404
    with sqlite_connect(desk.server) as conn:
        viewed = conn.execute("SELECT actor FROM audit_log WHERE action = 'petition.attachment_viewed' "
                              "AND entity = 'petition' AND entity_id = ?", (dup,)).fetchall()
    assert viewed == [(desk.names["desk2"],)]
    missing = desk.act(dup, "attach", {"sha256": "0" * 64, "filename": "x.pdf"})
    assert missing["error"]["code"] == "EVIDENCE_MISSING"


def test_convert_opens_an_investigation_linked_both_ways(desk: Desk) -> None:
    desk.clock("2026-04-02T08:00:00+08:00")  # its own clock: the module's server is shared
    pid, inv = new_pid(), new_pid()
    assert desk.act(pid, "register", registration("2026-04-02T07:55:00+08:00"))["status"] == "applied"
    res = desk.act(pid, "convert", {"investigation_id": inv, "title": "信访转立:超标准收费"})
    assert (res["status"], res["investigation_id"], res["version"]) == ("applied", inv, 2), res
    assert desk.get(pid, "leader")["investigations"] == [inv]
    case = desk.server.call("GET", f"/investigations/{inv}", token=desk.tokens["desk"])
    assert case.status == 200, case.body
    assert {"type": "petition", "id": pid} in case.json()["links"]
    assert case.json()["stage"] == "acceptance"
    assert case.json()["subject"]["name"] == "赵某"
    assert "孙某某" not in case.body.decode()
    assert desk.server.call("GET", f"/investigations/{inv}", token=desk.tokens["operator"]).status == 404


def test_the_desk_list_filters(desk: Desk) -> None:
    token = desk.tokens["desk"]
    everything = list_all(desk.server, "/petitions", "petitions", token=token)
    accepted = list_all(desk.server, "/petitions?status=accepted", "petitions", token=token)
    assert accepted
    assert {p["status"] for p in accepted} == {"accepted"}
    assert len(list_all(desk.server, "/petitions?status=accepted,closed", "petitions", token=token)) > len(accepted)
    by_unit = list_all(desk.server, "/petitions?q=" + quote("东关镇财政所"), "petitions", token=token)
    assert len(by_unit) == 3
    assert {p["subject"]["name"] for p in by_unit} == {"吴某"}
    by_text = list_all(desk.server, "/petitions?q=" + quote("低保"), "petitions", token=token)
    assert [p["subject"]["name"] for p in by_text] == ["周某"]
    by_code = list_all(desk.server, "/petitions?q=" + quote("7200 0000 0000 0001"), "petitions", token=token)
    assert [p["receipt_code"] for p in by_code] == ["7200000000000001"]
    assert list_all(desk.server, "/petitions?q=%25", "petitions", token=token) == [], "% is text, not a wildcard"
    assert list_all(desk.server, "/petitions?q=_", "petitions", token=token) == []
    bad = desk.server.call("GET", "/petitions?status=pending", token=token)
    assert bad.status == 400
    assert bad.json()["error"]["code"] == "INVALID_REQUEST"
    assert desk.server.call("GET", "/petitions?q=" + quote("长" * 201), token=token).status == 400
    for p in everything:
        assert p["petitioner"] in ("[protected]", None), "a list never reveals"


def test_register_over_http_refuses_bad_input_and_keeps_hostile_text(desk: Desk) -> None:
    taken = desk.act(new_pid(), "register", registration("2026-04-02T08:00:00+08:00",
                                                         receipt_code="7100000000000001"))
    assert (taken["error"]["code"], taken["error"]["field"]) == ("INVALID_FIELD", "receipt_code"), \
        "a code a township already gave"
    future = desk.act(new_pid(), "register", registration("2026-04-02T08:11:00+08:00"))
    assert future["error"]["code"] == "FUTURE_TIMESTAMP"
    for change in ({"channel": "email"}, {"petitioner": None}, {"subject": "赵某"}, {"content": "长" * 100_001},
                   {"query_password": ["x"]}, {"office": "T99"}, {"received_at": "昨天"}, {"extra": 1}):
        res = desk.act(new_pid(), "register", registration("2026-04-02T08:00:00+08:00") | change)
        assert res["status"] == "rejected", change
        assert res["error"]["code"] in ("INVALID_FIELD", "MISSING_FIELD"), (change, res)
        assert res["version"] is None
    for bad_id in ("not-a-uuid", 17, "", "x" * 64):
        res = desk.act(bad_id, "accept")  # type: ignore[arg-type]
        assert res["error"]["code"] == "NOT_FOUND", bad_id
    hostile = "<script>alert(1)</script>'; DROP TABLE petitions;-- 👁️ %s {0}"
    pid = new_pid()
    assert desk.act(pid, "register", registration("2026-04-02T08:00:00+08:00", content=hostile))["status"] == "applied"
    assert desk.get(pid)["content"] == hostile
    assert desk.act(pid, "reply", {"text": hostile})["error"]["code"] == "PETITION_STATE"
