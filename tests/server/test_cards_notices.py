"""Cards and supervision notices against a real server (spec 06 §4–5): who may do what, what
is refused and why, what the change feed carries to whom, a reply on paper or in a batch, and
bad input that changes nothing.

One server for the module, on a simulated clock that only moves forward.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from tests.harness import ServerProcess
from tests.server.support import (
    HOSTILE_TEXTS,
    create_user,
    list_all,
    mutate,
    new_id,
    ok_batch,
    read_feed,
    server_from_template,
)


@dataclass
class Centre:
    server: ServerProcess
    tokens: dict[str, str] = field(default_factory=dict)

    def act(self, entity: str, entity_id: object, action: str, data: dict[str, Any] | None = None, *,
            role: str = "operator", **kw: Any) -> dict[str, Any]:
        return mutate(self.server, self.tokens[role], entity, entity_id, action, data, **kw)

    def get(self, path: str, role: str = "operator") -> Any:
        r = self.server.call("GET", path, token=self.tokens[role])
        assert r.status == 200, (path, r.status, r.body[:300])
        return r.json()

    def overdue(self, notice_id: str) -> list[str]:
        return [a["status"] for a in list_all(self.server, "/alerts?rule=NOTICE_REPLY_OVERDUE", "alerts")
                if a["subject"]["notice_id"] == notice_id]


@pytest.fixture(scope="module")
def centre(tmp_path_factory: pytest.TempPathFactory, server_template: Path) -> Iterator[Centre]:
    server = server_from_template(server_template, tmp_path_factory.mktemp("cards") / "data",
                                  simulated_clock="2026-04-13T10:00:00+08:00")
    server.start()
    try:
        c = Centre(server)
        c.tokens.update(server.setup_basic(("T01", "T02")))
        c.tokens["admin"] = server.admin_token
        for role in ("operator", "leader", "investigator", "petition_officer"):
            c.tokens[role] = create_user(server, role)
        yield c
    finally:
        server.stop()


def test_who_may_issue_revoke_and_annotate_a_card(centre: Centre) -> None:
    cid = str(uuid.uuid4())
    data = {"kind": "red", "office": "T01", "staff": "S0101", "reason": "超标准收费"}
    for role in ("investigator", "petition_officer", "leader"):
        assert centre.act("card", cid, "issue", data, role=role)["error"]["code"] == "FORBIDDEN"
    done = centre.act("card", cid, "issue", data)
    assert (done["status"], done["version"]) == ("applied", 1)
    assert centre.act("card", cid, "issue", data)["status"] == "applied", "the same card again changes nothing"
    other = centre.act("card", cid, "issue", data | {"reason": "另一个理由"})
    assert other["error"]["code"] == "ALREADY_EXISTS"

    assert centre.act("card", cid, "revoke", {"reason": "x"})["error"]["code"] == "FORBIDDEN"
    assert centre.act("card", cid, "annotate", {"text": "阅，请整改"}, role="leader")["status"] == "applied"
    revoked = centre.act("card", cid, "revoke", {"reason": "经复核，收费符合新标准"}, role="leader")
    assert (revoked["status"], revoked["version"]) == ("applied", 2)
    again = centre.act("card", cid, "revoke", {"reason": "再撤销"}, role="leader")
    assert again["error"]["code"] == "STAGE_ORDER"
    assert "已撤销" in again["error"]["message_zh"]

    card = centre.get(f"/cards/{cid}", "leader")
    assert (card["status"], card["revoked_by"], card["staff"]) == ("revoked", card["timeline"][-1]["actor"], "S0101")
    assert [t["action"] for t in card["timeline"]] == ["issue", "annotate", "revoke"]
    assert centre.server.call("GET", f"/cards/{cid}", token=centre.tokens["investigator"]).status == 404
    assert [c["id"] for c in centre.get("/cards?status=revoked")["cards"]] == [cid]


def test_a_card_or_notice_the_caller_cannot_read_cannot_be_acted_on(centre: Centre) -> None:
    """Issue 11 #2 for the new entities: a mutation checks visibility exactly as the read does, and
    answers NOT_FOUND (never FORBIDDEN, which would confirm the card exists)."""
    cid, nid = str(uuid.uuid4()), str(uuid.uuid4())
    assert centre.act("card", cid, "issue", {"kind": "yellow", "office": "T01", "reason": "迟办"})["status"] == \
        "applied"
    assert centre.act("notice", nid, "issue", {"office": "T01", "subject": "请说明超期原因"})["status"] == "applied"
    for role in ("investigator", "petition_officer"):
        assert centre.server.call("GET", f"/cards/{cid}", token=centre.tokens[role]).status == 404
        assert centre.server.call("GET", f"/notices/{nid}", token=centre.tokens[role]).status == 404
        for entity, eid, action, data in (("card", cid, "revoke", {"reason": "x"}),
                                          ("card", cid, "annotate", {"text": "阅"}),
                                          ("notice", nid, "reply", {"text": "已整改"}),
                                          ("notice", nid, "annotate", {"text": "阅"})):
            refused = centre.act(entity, eid, action, data, role=role)
            assert refused["error"]["code"] == "NOT_FOUND", (role, entity, action, refused)
    assert centre.get(f"/cards/{cid}")["status"] == "active"
    assert centre.get(f"/notices/{nid}")["status"] == "awaiting"


def test_refused_data_changes_nothing(centre: Centre) -> None:
    cid = str(uuid.uuid4())
    cases: list[tuple[dict[str, Any], str, str | None]] = [
        ({"kind": "green", "office": "T01", "reason": "x"}, "INVALID_FIELD", "kind"),
        ({"kind": "yellow", "office": "T99", "reason": "x"}, "INVALID_FIELD", "office"),
        ({"kind": "yellow", "office": "T01", "reason": "x", "alerts": [999999]}, "INVALID_FIELD", "alerts"),
        ({"kind": "yellow", "office": "T01", "reason": "   "}, "INVALID_FIELD", "reason"),
        ({"kind": "yellow", "office": "T01"}, "MISSING_FIELD", "reason"),
        ({"kind": "yellow", "office": "T01", "reason": "x" * 2001}, "INVALID_FIELD", "reason"),
        ({"kind": "yellow", "office": 7, "reason": "x"}, "INVALID_FIELD", "office"),
        ({"kind": "yellow", "office": "T01", "reason": "x", "alerts": ["1"]}, "INVALID_FIELD", "alerts.0"),
        ({"kind": "yellow", "office": "T01", "reason": "x", "colour": "red"}, "INVALID_FIELD", "colour"),
    ]
    for data, code, where in cases:
        refused = centre.act("card", cid, "issue", data)
        assert (refused["status"], refused["error"]["code"], refused["error"].get("field")) == \
            ("rejected", code, where), data
    assert centre.server.call("GET", f"/cards/{cid}", token=centre.tokens["operator"]).status == 404
    nid = str(uuid.uuid4())
    for data, where in (({"office": "T01", "subject": "s", "reply_days": 0}, "reply_days"),
                        ({"office": "T01", "subject": "s", "reply_days": "5"}, "reply_days"),
                        ({"office": "T01", "subject": "x" * 201}, "subject")):
        assert centre.act("notice", nid, "issue", data)["error"]["field"] == where
    assert centre.act("notice", "not-a-uuid", "reply", {"text": "x"})["error"]["code"] == "NOT_FOUND"
    assert centre.server.call("GET", f"/notices/{nid}", token=centre.tokens["operator"]).status == 404


def test_hostile_text_is_kept_verbatim(centre: Centre) -> None:
    for text in HOSTILE_TEXTS:
        cid, nid = str(uuid.uuid4()), str(uuid.uuid4())
        assert centre.act("card", cid, "issue", {"kind": "yellow", "office": "T02", "reason": text})["status"] == \
            "applied"
        assert centre.act("notice", nid, "issue", {"office": "T02", "subject": text[:200], "body": text})["status"] \
            == "applied"
        assert centre.get(f"/cards/{cid}")["reason"] == text.strip()
        notice = centre.get(f"/notices/{nid}")
        assert (notice["subject"], notice["body"]) == (text[:200].strip(), text)
        assert centre.act("notice", nid, "reply", {"text": text})["status"] == "applied"
        assert centre.get(f"/notices/{nid}")["reply"] == text


def test_a_notice_goes_late_and_a_paper_reply_resolves_it_at_once(centre: Centre) -> None:
    nid = str(uuid.uuid4())
    issued = centre.act("notice", nid, "issue", {"office": "T01", "subject": "关于窗口纪律的督办通知",
                                                  "body": "请于期限内书面回复"})
    assert issued["status"] == "applied"
    notice = centre.get(f"/notices/{nid}")
    assert (notice["reply_days"], notice["reply_due"]) == (5, "2026-04-21T00:00:00+08:00"), "default 5 working days"
    r = centre.server.call("PUT", "/admin/clock", {"now": "2026-04-22T09:00:00+08:00"})
    assert r.status == 200
    assert centre.overdue(nid) == [], "T01 has sent nothing since: only offline, not accused"
    ok_batch(centre.server, "T01", centre.tokens["T01"], [], complete_until="2026-04-22T09:00:00+08:00")
    assert centre.overdue(nid) == ["open"]
    replied = centre.act("notice", nid, "reply", {"text": "书面回复已收到（纸质）"})
    assert replied["status"] == "applied"
    assert centre.overdue(nid) == ["resolved"]
    shown = centre.get(f"/notices/{nid}")
    assert (shown["status"], shown["replied_at"]) == ("replied", "2026-04-22T09:00:00+08:00")
    assert centre.act("notice", nid, "reply", {"text": "再回复"})["error"]["code"] == "STAGE_ORDER"


def test_replies_in_batches_are_idempotent_and_only_for_the_addressed_office(centre: Centre) -> None:
    nid = str(uuid.uuid4())
    assert centre.act("notice", nid, "issue", {"office": "T02", "subject": "督办", "reply_days": 1})["status"] == \
        "applied"
    reply = {"kind": "notice_reply", "id": new_id(), "notice_id": nid, "at": "2026-04-22T09:00:00+08:00",
             "text": "已整改"}
    refused = centre.server.post_batch("T01", centre.tokens["T01"], [reply])
    assert [(e["code"], e["field"]) for e in refused.json()["errors"]] == [("INVALID_FIELD", "notice_id")]
    assert ok_batch(centre.server, "T02", centre.tokens["T02"], [reply])["imported"] == 1
    assert ok_batch(centre.server, "T02", centre.tokens["T02"], [reply])["duplicates"] == 1
    changed = centre.server.post_batch("T02", centre.tokens["T02"], [reply | {"text": "改了"}]).json()
    assert [e["code"] for e in changed["errors"]] == ["ID_CONFLICT"]
    bad = centre.server.post_batch("T02", centre.tokens["T02"], [
        reply | {"id": new_id(), "text": ""}, reply | {"id": new_id(), "notice_id": "x"},
        reply | {"id": new_id(), "text": 5}, {k: v for k, v in reply.items() if k != "at"} | {"id": new_id()}]).json()
    assert [e["code"] for e in bad["errors"]] == ["INVALID_FIELD", "INVALID_FIELD", "INVALID_FIELD", "MISSING_FIELD"]
    shown = centre.get(f"/notices/{nid}")
    assert (shown["status"], shown["reply"], shown["replied_by"]) == ("replied", "已整改", "T02")
    assert [t["action"] for t in shown["timeline"]] == ["issue", "reply"]


def test_the_feed_carries_cards_and_notices_to_those_who_see_them(centre: Centre) -> None:
    for role in ("operator", "leader"):
        changes, _ = read_feed(centre.server, token=centre.tokens[role])
        entities = {c["entity"] for c in changes}
        assert {"card", "notice"} <= entities, role
        alerts = [c for c in changes if c["entity"] == "alert" and (c["data"] or {}).get("rule") ==
                  "NOTICE_REPLY_OVERDUE"]
        assert alerts, "the notice's red reaches the wall"
    for role in ("investigator", "petition_officer"):
        changes, _ = read_feed(centre.server, token=centre.tokens[role])
        assert not [c for c in changes if c["entity"] in ("card", "notice")], role
    mine = centre.server.call("GET", "/notices", token=centre.tokens["T02"]).json()["notices"]
    assert mine
    assert {n["office"] for n in mine} == {"T02"}
    assert centre.server.call("GET", "/cards", token=centre.tokens["T02"]).status == 403


def test_hostile_and_oversize_replies_in_a_batch(centre: Centre) -> None:
    for n, text in enumerate(HOSTILE_TEXTS):
        nid = str(uuid.uuid4())
        assert centre.act("notice", nid, "issue", {"office": "T01", "subject": f"督办 {n}"})["status"] == "applied"
        reply = {"kind": "notice_reply", "id": new_id(), "notice_id": nid, "at": "2026-04-22T09:00:00+08:00",
                 "text": text}
        too_long = reply | {"id": new_id(), "text": "长" * 20_001}
        summary = centre.server.post_batch("T01", centre.tokens["T01"], [too_long, reply]).json()
        assert (summary["imported"], [(e["index"], e["code"], e["field"]) for e in summary["errors"]]) == \
            (1, [(0, "INVALID_FIELD", "text")])
        shown = centre.get(f"/notices/{nid}")
        assert (shown["reply"], shown["timeline"][-1]["data"]["text"]) == (text, text), "kept verbatim"
