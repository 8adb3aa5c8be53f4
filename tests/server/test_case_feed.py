"""Case rows in the change feed carry what the console's statistics need: when the case
closed, the working hours it used, and its citizen ratings."""

from __future__ import annotations

from pathlib import Path

from tests.harness import event, running_server


def test_closed_case_reports_close_working_hours_and_ratings(tmp_path: Path) -> None:
    with running_server(tmp_path) as server:
        tokens = server.setup_basic()
        assert server.call("PUT", "/admin/clock", {"now": "2026-03-04T12:00:00+08:00"}).status == 200
        records = [
            event("S-1", "received", "2026-03-02T09:00:00+08:00"),
            event("S-1", "accepted", "2026-03-02T09:30:00+08:00", actor="A"),
            event("S-1", "node_completed", "2026-03-02T15:00:00+08:00", node="review", actor="B"),
            event("S-1", "node_completed", "2026-03-03T10:00:00+08:00", node="approve", actor="C"),
            event("S-1", "decided", "2026-03-03T12:00:00+08:00", result="approved", actor="C"),
            {"kind": "evaluation", "id": "6a0c1a0e-0000-4000-8000-000000000001", "case_no": "S-1",
             "rating": "satisfied", "at": "2026-03-03T13:00:00+08:00"},
            {"kind": "evaluation", "id": "6a0c1a0e-0000-4000-8000-000000000002", "case_no": "S-1",
             "rating": "very_poor", "at": "2026-03-03T14:00:00+08:00"},
            event("S-2", "received", "2026-03-03T09:00:00+08:00"),
            event("S-2", "accepted", "2026-03-03T09:30:00+08:00", actor="A"),
        ]
        r = server.post_batch("T01", tokens["T01"], records, complete_until="2026-03-04T12:00:00+08:00")
        assert r.json()["imported"] == len(records), r.body
        changes = server.call("GET", "/changes?limit=5000").json()["changes"]
        cases = {c["id"]: c["data"] for c in changes if c["entity"] == "case"}
        closed = cases["T01/S-1"]
        assert closed["closed_at"] == "2026-03-03T12:00:00+08:00"
        # Counting starts at 00:00 of the day after acceptance (03-03): 12 working hours by the decision.
        assert closed["used_hours"] == 12.0
        assert closed["ratings"] == {"satisfied": 1, "very_poor": 1}
        still_open = cases["T01/S-2"]
        assert still_open["closed_at"] is None
        assert still_open["used_hours"] is None  # not final while the case is open
