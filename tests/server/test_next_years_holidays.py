"""Next year's holidays on the simulated clock (issue 16, done-when 5), on SQLite and PostgreSQL.

A case accepted on 2026-12-20 with a 10-working-day limit counts into 2027, whose holidays
``chinesecalendar`` does not know: its due instant is provisional and the server warns. Loading
a 2027 arrangement (a test fixture) moves the due, re-evaluates the case's alerts, and audits
every change as caused by the calendar change.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from shared.calendar_io import parse_arrangement
from tests.admin_data import ARRANGEMENT_2027
from tests.harness import ServerProcess, event
from tests.server.support import ok_batch

ITEM = {"code": "CD-D01-010", "name": "建设工程规划许可", "department": "D01", "kind": "licensing",
        "legal_days": 20, "committed_days": 10, "nodes": []}


@pytest.fixture(params=["sqlite", "postgresql"])
def server(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[ServerProcess]:
    db_url = request.getfixturevalue("pg_database") if request.param == "postgresql" else None
    s = ServerProcess(tmp_path / "data", simulated_clock="2026-12-20T18:00:00+08:00")
    s.init(db_url)
    s.start()
    try:
        yield s
    finally:
        s.stop()


def _alerts(server: ServerProcess) -> dict[str, str]:
    case = server.call("GET", "/approval-cases/T01/2026-1220-01").json()
    return {a["rule"]: a["status"] for a in case["alerts"]}


def test_a_case_counting_into_an_unloaded_year(server: ServerProcess) -> None:
    assert server.call("PUT", "/catalogue", {"items": [ITEM]}).status == 200
    token = server.call("POST", "/offices", {"code": "T01", "name": "城关镇", "kind": "township"}).json()["token"]
    ok_batch(server, "T01", token, [
        event("2026-1220-01", "received", "2026-12-20T09:00:00+08:00", power=str(ITEM["code"])),
        event("2026-1220-01", "accepted", "2026-12-20T10:00:00+08:00", power=str(ITEM["code"])),
    ], complete_until="2026-12-20T18:00:00+08:00")

    # While 2027 is not loaded: the warning everywhere, and a provisional due (Mon–Fri in 2027).
    status = server.call("GET", "/calendar-status").json()
    assert status["missing"] == [2027]
    assert status["warn_from"] == "11-01"
    assert any("2027" in w for w in server.call("GET", "/health", token=None).json()["calendar_warnings"])
    clocks = server.call("GET", "/approval-cases/T01/2026-1220-01").json()["clocks"]
    assert clocks["due"] == "2027-01-02T00:00:00+08:00"
    assert clocks["provisional"] is True
    assert clocks["provisional_years"] == [2027]

    # The warning window is a setting: from 25 December there is nothing to say yet on the 20th.
    assert server.call("PUT", "/admin/settings/calendar-warning", {"from_month": 12, "from_day": 25}).status == 200
    assert server.call("GET", "/calendar-status").json()["missing"] == []
    assert server.call("PUT", "/admin/settings/calendar-warning", {"from_month": 11, "from_day": 1}).status == 200

    # 2026-12-31: two working days left, a yellow signal.
    assert server.call("PUT", "/admin/clock", {"now": "2026-12-31T12:00:00+08:00"}).status == 200
    ok_batch(server, "T01", token, [], complete_until="2026-12-31T12:00:00+08:00")
    assert _alerts(server) == {"DEADLINE_NEAR": "open"}

    # 2027-01-03: overdue by the Monday–Friday count (the office has declared everything so far).
    assert server.call("PUT", "/admin/clock", {"now": "2027-01-03T12:00:00+08:00"}).status == 200
    ok_batch(server, "T01", token, [], complete_until="2027-01-03T12:00:00+08:00")
    assert _alerts(server) == {"DEADLINE_NEAR": "resolved", "OVERDUE": "open"}

    # The administrator loads 2027: New Year is 01-01..01-03, so the tenth working day is 01-04.
    arrangement = parse_arrangement(ARRANGEMENT_2027)
    r = server.call("PUT", "/calendar/2027", arrangement.body())
    assert r.status == 200, r.body
    report = r.json()
    assert report["reevaluated"] == 1
    assert report["alerts_changed"] == 2
    assert report["dues_moved"] == 1
    case = server.call("GET", "/approval-cases/T01/2026-1220-01").json()
    assert case["clocks"]["due"] == "2027-01-05T00:00:00+08:00"
    assert case["clocks"]["provisional"] is False
    assert _alerts(server) == {"DEADLINE_NEAR": "open", "OVERDUE": "resolved"}
    assert server.call("GET", "/calendar-status").json()["missing"] == []

    # Each change is in the audit log, caused by the calendar change.
    calendar_entry = server.call("GET", "/audit?entity=calendar&entity_id=2027").json()["entries"][0]
    changed: list[dict[str, Any]] = server.call("GET", "/audit?action=alert.reevaluated").json()["entries"]
    by_rule = {e["detail"]["rule"]: e for e in changed}
    assert set(by_rule) == {"OVERDUE", "DEADLINE_NEAR"}
    assert by_rule["OVERDUE"]["detail"]["before"]["status"] == "open"
    assert by_rule["OVERDUE"]["detail"]["after"]["status"] == "resolved"
    assert by_rule["DEADLINE_NEAR"]["detail"]["after"]["status"] == "open"
    for e in changed:
        assert e["detail"]["cause"] == "calendar"
        assert e["detail"]["year"] == 2027
        assert e["detail"]["calendar_audit_seq"] == calendar_entry["seq"]
        assert e["detail"]["case"] == "T01/2026-1220-01"
    moved = server.call("GET", "/audit?action=case.due_moved").json()["entries"]
    assert [(m["entity_id"], m["detail"]["before"]["due"], m["detail"]["after"]["due"]) for m in moved] == [
        ("T01/2026-1220-01", "2027-01-02T00:00:00+08:00", "2027-01-05T00:00:00+08:00")]
    assert server.call("GET", "/audit/verify").json()["intact"] is True

    # Loading the same arrangement again changes nothing more.
    again = server.call("PUT", "/calendar/2027", arrangement.body()).json()
    assert (again["alerts_changed"], again["dues_moved"]) == (0, 0)
