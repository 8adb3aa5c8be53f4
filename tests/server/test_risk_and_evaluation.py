"""The risk index and the monthly evaluation on a month computed by hand (spec 07 §1–3), on
SQLite and PostgreSQL.

March 2026 at three townships (offices registered in February, so March is judged at its
end). Expected figures, from the spec's default weights:

T01 — every item of the risk table once at least:
  case A: fee 80 元 over the 50 元 standard, charged by S0101 → FEE_EXCESS red        −10 (S0101)
  case B: the same by S0102, dismissed by the operator as unfounded                  not counted
  case C: the same by S0101, escalated and then dismissed (a person had confirmed it) −10 (S0101)
  case F: same applicant and item as D within 30 days → DUPLICATE_CASE yellow          −3
  a red card (staff S0102) −15, a yellow card −5
  a notice due 03-10, never answered, T01 complete until 03-12                         −8
  ratings: A satisfied; D dissatisfied −2 and E very_poor −4 (deciders S0201, S0202)
  a petition about "T01 便民服务中心" closed as substantiated                           −10
  → 100 − 67 = 33, red; S0101 80 yellow, S0102 85 green, S0201 98, S0202 96.
  Evaluation: 6 decided the day they were accepted (early, no time used) → efficiency 100;
  anomalies 100 − (10×2 + 3×1) per 100 decided → 0; supervision 100 − 15 − 5 − 8 = 72;
  public 1 of 3 satisfied → 33.3; total (40·100 + 25·0 + 15·72 + 20·33.3) / 100 = 57.5.
T02, T03 — two cases each, no ratings, a yellow card each: index 95 green. One case decided
  at once (no time used), the other 1.5 working days into its 3 (half the limit used), both
  before their due: efficiency 50·1 + 50·(1 − 0.25) = 87.5; evaluation without the public
  component, weights renormalised over 80: (40·87.5 + 25·100 + 15·95) / 80 = 92.8 — a tie:
  both rank 1, T01 ranks 3.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

import pytest

from tests.harness import ServerProcess
from tests.server.support import create_user, evaluation, list_all, mutate, new_id, ok_batch, petition, petition_event

POWER = "QG-D03-002"  # 食品经营许可: committed 3 working days, fee standard 5000 fen


def ev(case_no: str, seq: int, type_: str, at: str, actor: str, **extra: Any) -> dict[str, Any]:
    return {"kind": "approval_event", "id": new_id(), "case_no": case_no, "power_code": POWER, "seq": seq,
            "type": type_, "at": f"2026-03-02T{at}:00+08:00", "actor": actor, **extra}


def case(case_no: str, start: str, *, fee_by: str | None = None, decider: str = "S0201",
         applicant: str | None = None) -> list[dict[str, Any]]:
    """received → accepted → (fee) → check → sign → decided, a minute apart from ``start`` (HH:MM)."""
    h, m = (int(x) for x in start.split(":"))

    def t(k: int) -> str:
        return f"{h + (m + k) // 60:02d}:{(m + k) % 60:02d}"

    # Each case its own applicant unless told (so that only D and F are duplicates).
    own = f"35050519800{sum(map(ord, case_no)) * 7919 % 10**7:07d}"
    out = [ev(case_no, 1, "received", t(0), "S0100", applicant_id=applicant or own),
           ev(case_no, 2, "accepted", t(1), "S0100")]
    if fee_by:
        out.append(ev(case_no, 3, "fee_charged", t(2), fee_by, amount_fen=8000))
    n = len(out) + 1
    out += [ev(case_no, n, "node_completed", t(3), "S0301", node="check"),
            ev(case_no, n + 1, "node_completed", t(4), "S0302", node="sign"),
            ev(case_no, n + 2, "decided", t(5), decider, result="approved")]
    return out


@dataclass
class County:
    server: ServerProcess
    tokens: dict[str, str] = field(default_factory=dict)
    ids: dict[str, str] = field(default_factory=dict)

    def clock(self, now: str) -> None:
        r = self.server.call("PUT", "/admin/clock", {"now": now})
        assert r.status == 200, r.body

    def get(self, path: str, role: str = "leader") -> dict[str, Any]:
        r = self.server.call("GET", path, token=self.tokens[role])
        assert r.status == 200, (path, r.status, r.body[:500])
        return dict(r.json())

    def act(self, entity: str, entity_id: object, action: str, data: dict[str, Any] | None = None,
            role: str = "operator") -> dict[str, Any]:
        done = mutate(self.server, self.tokens[role], entity, entity_id, action, data)
        assert done["status"] == "applied", done
        return done

    def alert_of(self, rule: str, case_no: str) -> dict[str, Any]:
        [found] = [a for a in list_all(self.server, f"/alerts?rule={rule}", "alerts")
                   if a["subject"].get("case_no") == case_no]
        return found


def _rows(answer: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {r["key"]: r for r in answer["rows"]}


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def county(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[County]:
    db_url = None
    if request.param == "postgresql":
        import psycopg

        from tests.conftest import require_postgres

        base = require_postgres()
        name = f"yytest_{uuid.uuid4().hex[:12]}"
        with psycopg.connect(base, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        db_url = f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}"
    server = ServerProcess(tmp_path_factory.mktemp("county") / "data", simulated_clock="2026-02-27T08:00:00+08:00")
    server.init(db_url)
    server.start()
    try:
        c = County(server)
        c.tokens.update(server.setup_basic(("T01", "T02", "T03")))
        c.tokens["leader"] = create_user(server, "leader")
        c.tokens["operator"] = create_user(server, "operator")
        c.tokens["admin"] = server.admin_token
        # Nobody is silent in this county: OFFICE_SILENT is not what these figures are about.
        r = server.call("PUT", "/admin/settings/office-silent", {"hours": 2000})
        assert r.status == 200, r.body
        _march(c)
        yield c
    finally:
        server.stop()
        if db_url is not None:
            import psycopg

            from tests.conftest import require_postgres

            with psycopg.connect(require_postgres(), autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{db_url.rsplit("/", 1)[1]}" WITH (FORCE)')


def _march(c: County) -> None:
    c.clock("2026-03-02T11:30:00+08:00")
    pet = petition(anonymous=True, password=None, received_at="2026-03-02T09:00:00+08:00",
                   subject="赵某", id_number="", phone="")
    pet["subject"] = {"name": "赵某", "unit": "T01 便民服务中心"}
    records = (case("A", "09:00", fee_by="S0101") + case("B", "09:10", fee_by="S0102")
               + case("C", "09:20", fee_by="S0101") + case("D", "09:30", applicant="350505198001011111")
               + case("E", "09:40", decider="S0202") + case("F", "09:50", applicant="350505198001011111")
               + [evaluation("A", "satisfied", "2026-03-02T10:30:00+08:00"),
                  evaluation("D", "dissatisfied", "2026-03-02T10:31:00+08:00"),
                  evaluation("E", "very_poor", "2026-03-02T10:32:00+08:00"),
                  pet,
                  petition_event(pet["id"], "accepted", "2026-03-02T10:40:00+08:00"),
                  petition_event(pet["id"], "replied", "2026-03-02T10:41:00+08:00", text="属实，已处理"),
                  petition_event(pet["id"], "closed", "2026-03-02T10:42:00+08:00", substantiated=True)])
    summary = ok_batch(c.server, "T01", c.tokens["T01"], records, complete_until="2026-03-02T11:30:00+08:00")
    assert summary["status"] == "ok", summary
    c.ids["petition"] = pet["id"]
    for office, first in (("T02", "G"), ("T03", "J")):
        # The second case waits for its decision until 03-04 12:00 (below).
        recs = case(f"{first}1", "09:00") + case(f"{first}2", "09:10")[:-1]
        ok_batch(c.server, office, c.tokens[office], recs, complete_until="2026-03-02T11:30:00+08:00")

    # The operator's verdicts: B unfounded; C confirmed, then dismissed after all.
    c.act("alert", c.alert_of("FEE_EXCESS", "B")["id"], "dismiss", {"reason": "收费标准已调整，误报"})
    c.ids["C"] = str(c.alert_of("FEE_EXCESS", "C")["id"])
    c.act("alert", c.ids["C"], "escalate")
    c.act("alert", c.ids["C"], "dismiss", {"reason": "已退费"})

    c.ids["red"] = str(uuid.uuid4())
    c.act("card", c.ids["red"], "issue", {"kind": "red", "office": "T01", "staff": "S0102", "reason": "多次超标准收费"})
    c.act("card", str(uuid.uuid4()), "issue", {"kind": "yellow", "office": "T01", "reason": "群众评价差"})
    for office in ("T02", "T03"):
        c.act("card", str(uuid.uuid4()), "issue", {"kind": "yellow", "office": office, "reason": "窗口纪律"})
    c.ids["notice"] = str(uuid.uuid4())
    c.act("notice", c.ids["notice"], "issue", {"office": "T01", "subject": "关于超标准收费的督办通知",
                                               "body": "请书面回复", "reply_days": 5})
    c.ids["notice2"] = str(uuid.uuid4())
    c.act("notice", c.ids["notice2"], "issue", {"office": "T02", "subject": "关于窗口纪律的督办通知",
                                                "body": "请书面回复", "reply_days": 5})

    c.clock("2026-03-04T09:00:00+08:00")
    reply = {"kind": "notice_reply", "id": new_id(), "notice_id": c.ids["notice2"],
             "at": "2026-03-04T08:30:00+08:00", "text": "已整改"}
    # Another office cannot answer T02's notice.
    wrong = c.server.post_batch("T03", c.tokens["T03"], [dict(reply, id=new_id())],
                                complete_until="2026-03-04T09:00:00+08:00")
    assert wrong.status == 200, wrong.body
    assert [(e["code"], e["field"]) for e in wrong.json()["errors"]] == [("INVALID_FIELD", "notice_id")]
    ok_batch(c.server, "T02", c.tokens["T02"], [reply], complete_until="2026-03-04T09:00:00+08:00")

    # 1.5 working days of the 3 committed (03-03 whole, 03-04 until noon): half the limit used.
    c.clock("2026-03-04T13:00:00+08:00")
    for office, first in (("T02", "G"), ("T03", "J")):
        decided = dict(ev(f"{first}2", 6, "decided", "00:00", "S0201", result="approved"),
                       at="2026-03-04T12:00:00+08:00")
        ok_batch(c.server, office, c.tokens[office], [decided], complete_until="2026-03-04T13:00:00+08:00")

    c.clock("2026-03-12T09:00:00+08:00")
    for office in ("T01", "T02", "T03"):
        ok_batch(c.server, office, c.tokens[office], [], complete_until="2026-03-12T09:00:00+08:00")


def test_the_notices_tracker(county: County) -> None:
    notices = {n["id"]: n for n in county.get("/notices", "operator")["notices"]}
    late, answered = notices[county.ids["notice"]], notices[county.ids["notice2"]]
    assert late["reply_due"] == "2026-03-10T00:00:00+08:00", "5 working days from 03-03"
    assert (late["status"], late["reply"]) == ("awaiting", None)
    assert (answered["status"], answered["reply"], answered["replied_by"]) == ("replied", "已整改", "T02")
    active = [a for a in list_all(county.server, "/alerts?rule=NOTICE_REPLY_OVERDUE", "alerts")
              if a["status"] not in ("resolved", "dismissed")]
    assert [(a["subject"]["notice_id"], a["severity"]) for a in active] == [(county.ids["notice"], "red")]
    # An office reads its own notices only.
    mine = county.server.call("GET", "/notices", token=county.tokens["T02"]).json()["notices"]
    assert [n["id"] for n in mine] == [county.ids["notice2"]]
    other = county.server.call("GET", f"/notices/{county.ids['notice']}", token=county.tokens["T02"])
    assert other.status == 404


def test_the_risk_index_of_march(county: County) -> None:
    offices = county.get("/risk-index?month=2026-03&by=office")
    rows = _rows(offices)
    assert [r["key"] for r in offices["rows"]] == ["T01", "T02", "T03"], "worst first, ties by key"
    assert (rows["T01"]["index"], rows["T01"]["level"]) == (33, "red")
    assert sorted(p["item"] for p in rows["T01"]["points"]) == sorted([
        "red_alert", "red_alert", "yellow_alert", "red_card", "yellow_card", "notice_overdue", "dissatisfied",
        "very_poor", "substantiated_petition"])
    assert {r["key"]: (r["index"], r["level"]) for r in offices["rows"][1:]} == {"T02": (95, "green"),
                                                                                 "T03": (95, "green")}
    assert county.ids["red"] in {p["ref"]["id"] for p in rows["T01"]["points"] if p["item"] == "red_card"}
    assert county.ids["C"] in {str(p["ref"]["id"]) for p in rows["T01"]["points"] if p["ref"]["type"] == "alert"}, \
        "a dismissed alert a person had confirmed still counts"

    people = _rows(county.get("/risk-index?month=2026-03&by=staff"))
    assert {k: (r["index"], r["level"]) for k, r in people.items()} == {
        "S0101": (80, "yellow"), "S0102": (85, "green"), "S0201": (98, "green"), "S0202": (96, "green")}

    february = county.get("/risk-index?month=2026-02&by=office")
    assert {r["key"]: r["index"] for r in february["rows"]} == {"T01": 100, "T02": 100, "T03": 100}


def test_every_point_resolves_to_its_record(county: County) -> None:
    paths = {"alert": "/alerts/{}", "card": "/cards/{}", "notice": "/notices/{}", "petition": "/petitions/{}"}
    for by in ("office", "staff"):
        for row in county.get(f"/risk-index?month=2026-03&by={by}")["rows"]:
            for point in row["points"]:
                ref = point["ref"]
                if ref["type"] == "case":
                    office, case_no = str(ref["id"]).split("/", 1)
                    record = county.get(f"/approval-cases/{office}/{quote(case_no)}")
                    assert ref["record"] in {r["id"] for r in record["evaluations"]}
                    continue
                record = county.get(paths[ref["type"]].format(ref["id"]))
                assert str(record["id"]) == str(ref["id"])
                if ref["type"] == "alert":
                    assert record["subject"]["office"] == "T01"


def test_the_evaluation_of_march(county: County) -> None:
    answer = county.get("/evaluation?month=2026-03&by=office")
    rows = _rows(answer)
    t1 = rows["T01"]
    assert t1["components"] == {"efficiency": 100.0, "anomalies": 0.0, "supervision": 72.0, "public": 33.3}
    assert (t1["total"], t1["rank"]) == (57.5, 3)
    assert (t1["counts"]["decided"], t1["counts"]["red_alerts"], t1["counts"]["yellow_alerts"]) == (6, 2, 1)
    for key in ("T02", "T03"):
        assert rows[key]["components"] == {"efficiency": 87.5, "anomalies": 100.0, "supervision": 95.0,
                                           "public": None}, "no ratings: the public component drops out"
        assert (rows[key]["total"], rows[key]["rank"]) == (92.8, 1), "a tie shares the rank"
        assert (rows[key]["counts"]["early"], rows[key]["counts"]["used_fraction_sum"]) == (2, 0.5)
    assert [r["key"] for r in answer["rows"]] == ["T02", "T03", "T01"]
    assert rows["T01"]["before"] is not None

    stats = county.get("/statistics?month=2026-03&by=office")
    s1 = _rows(stats)["T01"]
    assert (s1["cases_decided"], s1["early_completion_rate"], s1["one_time_rate"]) == (6, 100.0, 100.0)
    assert (s1["red_cards"], s1["yellow_cards"], s1["notices_issued"], s1["satisfaction_rate"]) == (1, 1, 1, 33.3)
    assert _rows(stats)["T02"]["notices_on_time"] == 1
    assert _rows(stats)["T02"]["average_working_days"] == 0.75
    assert stats["total"]["cases_decided"] == 10

    departments = county.get("/evaluation?month=2026-03&by=department")
    [d03] = departments["rows"]
    assert d03["key"] == "D03"
    assert d03["components"]["supervision"] is None, "cards and notices go to offices, not departments"


def test_a_closed_month_judged_cached_and_recomputed_when_its_records_change(county: County) -> None:
    county.clock("2026-04-02T09:00:00+08:00")
    # At the month's end, T01's level worsened (green in February): RISK_LEVEL, red, on the office.
    levels = list_all(county.server, "/alerts?rule=RISK_LEVEL", "alerts")
    assert [(a["subject"]["office"], a["node"], a["severity"]) for a in levels] == [("T01", "2026-03", "red")]

    first = county.get("/evaluation?month=2026-03&by=office")
    assert county.get("/evaluation?month=2026-03&by=office") == first, "a closed month answers the same"

    # A rating for March arriving late changes March's figures.
    ok_batch(county.server, "T03", county.tokens["T03"],
             [evaluation("J1", "dissatisfied", "2026-03-31T10:00:00+08:00")],
             complete_until="2026-04-02T09:00:00+08:00")
    after = _rows(county.get("/evaluation?month=2026-03&by=office"))
    assert after["T03"]["components"]["public"] == 0.0
    assert abs(after["T03"]["total"] - (40 * 87.5 + 25 * 100 + 15 * 95 + 20 * 0) / 100) < 0.06
    assert [(k, after[k]["rank"]) for k in ("T02", "T03", "T01")] == [("T02", 1), ("T03", 2), ("T01", 3)]
    assert _rows(county.get("/risk-index?month=2026-03&by=office"))["T03"]["index"] == 93

    # An operator dismissing one of March's alerts as unfounded takes its points back.
    county.act("alert", county.alert_of("FEE_EXCESS", "A")["id"], "dismiss", {"reason": "复核后确认收费无误"})
    t1 = _rows(county.get("/risk-index?month=2026-03&by=office"))["T01"]
    assert (t1["index"], t1["level"]) == (43, "red")
    assert _rows(county.get("/evaluation?month=2026-03&by=office"))["T01"]["counts"]["red_alerts"] == 1


def test_changed_weights_change_the_index(county: County) -> None:
    r = county.server.call("PUT", "/admin/settings/risk-index", {"yellow_card": -20})
    assert r.status == 200, r.body
    rows = _rows(county.get("/risk-index?month=2026-03&by=office"))
    assert (rows["T02"]["index"], rows["T02"]["level"]) == (80, "yellow")
    assert rows["T01"]["index"] == 43 - 15
    audit = county.server.call("GET", "/audit?entity=setting&entity_id=risk-index").json()["entries"]
    assert audit[0]["detail"]["changed"] == {"yellow_card": {"before": -5, "after": -20}}, "the change is audited"
    assert county.server.call("PUT", "/admin/settings/risk-index", {"yellow_card": 200}).status == 400
    refused = county.server.call("GET", "/risk-index?month=2026-13", token=county.tokens["leader"])
    assert refused.status == 400
    for role in ("T01",):
        assert county.server.call("GET", "/risk-index?month=2026-03", token=county.tokens[role]).status == 403
