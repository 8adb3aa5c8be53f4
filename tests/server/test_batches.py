"""Batch import semantics an office clerk relies on (spec 03 §1, spec 02 §3).

Idempotency (the same batch again answers byte for byte, whatever the key order and
whitespace; other records under the same batch_id are 409), record-level duplicates and
conflicts, dry runs that store nothing, the watermark from ``complete_until``, BACKDATED
records, evaluation as of the watermark, and the validation of timestamps.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from shared.timeutil import MINUTE, format_instant, parse_instant
from tests.harness import ServerProcess, event
from tests.server.support import (
    assert_error,
    evaluation,
    full_case,
    list_all,
    new_id,
    ok_batch,
    read_feed,
    server_from_template,
)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, server_template: Path) -> Iterator[ServerProcess]:
    srv = server_from_template(server_template, tmp_path_factory.mktemp("batches") / "data")
    srv.start()
    try:
        yield srv
    finally:
        srv.stop()


_offices = iter(range(1, 1000))


@pytest.fixture
def office(server: ServerProcess) -> tuple[str, str]:
    """A fresh office of its own for each test: (code, token)."""
    code = f"B{next(_offices):02d}"
    if server.call("GET", "/catalogue").json()["items"] == []:
        server.setup_basic(())
    r = server.call("POST", "/offices", {"code": code, "name": f"{code} 便民服务中心", "kind": "township"})
    assert r.status == 201, r.body
    return code, r.json()["token"]


def post_raw(server: ServerProcess, token: str, text: str) -> Any:
    return server.call("POST", "/batches", raw=text.encode(), token=token)


def stats(server: ServerProcess) -> dict[str, int]:
    return server.call("GET", "/admin/stats").json()


def office_info(server: ServerProcess, code: str) -> dict[str, Any]:
    return next(o for o in server.call("GET", "/offices").json()["offices"] if o["code"] == code)


def test_same_batch_again_answers_byte_for_byte(server: ServerProcess, office: tuple[str, str]) -> None:
    code, token = office
    records = [*full_case("ID-1"), evaluation("ID-1", "satisfied", "2026-02-26T12:00:00+08:00", comment="好")]
    body = {"batch_id": new_id(), "office": code, "complete_until": "2026-02-27T00:00:00+08:00", "records": records}
    first = post_raw(server, token, json.dumps(body))
    assert first.status == 200
    assert first.json()["imported"] == 5
    after = stats(server)
    _, cursor = read_feed(server)
    # The same content, keys in another order and other whitespace: the same batch.
    shuffled = {"records": [dict(reversed(list(r.items()))) for r in records], "office": code,
                "batch_id": body["batch_id"], "complete_until": body["complete_until"]}
    for text in (json.dumps(body), json.dumps(shuffled, indent=3, ensure_ascii=False)):
        again = post_raw(server, token, text)
        assert again.status == 200
        assert again.body == first.body
    assert server.call("GET", f"/batches/{body['batch_id']}", token=token).body == first.body
    assert stats(server) == after
    assert read_feed(server, cursor)[0] == []


def test_same_batch_id_with_other_records_is_409(server: ServerProcess, office: tuple[str, str]) -> None:
    code, token = office
    batch_id = new_id()
    ok_batch(server, code, token, full_case("RE-1"), batch_id=batch_id)
    before = stats(server)
    for records in (full_case("RE-2"), full_case("RE-1"), [], full_case("RE-1")[:3]):
        r = server.post_batch(code, token, records, batch_id=batch_id)
        err = assert_error(r, 409, "BATCH_ID_REUSED")
        assert batch_id in err["message"]
    assert stats(server) == before
    assert server.call("GET", f"/approval-cases/{code}/RE-2").status == 404


def test_a_new_case_received_twice_in_its_first_batch_is_the_applicant_of_the_earlier_receipt(
    server: ServerProcess, office: tuple[str, str],
) -> None:
    """A new case's applicant is the one its earliest ``received`` names, wherever that record
    stands in the batch: a case received again later for another applicant is still a duplicate
    of the first applicant's earlier case."""
    code, token = office
    ok_batch(server, code, token, [event("RT-1", "received", "2026-02-20T09:00:00+08:00", seq=1,
                                         applicant_id="370102198001010011")])
    ok_batch(server, code, token, [
        event("RT-2", "received", "2026-02-26T11:00:00+08:00", seq=2, applicant_id="370102199902020022"),
        event("RT-2", "received", "2026-02-26T10:00:00+08:00", seq=1, applicant_id="370102198001010011"),
    ])
    dup = [a for a in server.call("GET", f"/approval-cases/{code}/RT-2").json()["alerts"]
           if a["rule"] == "DUPLICATE_CASE"]
    assert len(dup) == 1, dup
    assert "RT-1" in dup[0]["message"]
    # The other way round: the later receipt names the first case's applicant; nothing repeats.
    ok_batch(server, code, token, [
        event("RT-3", "received", "2026-02-27T11:00:00+08:00", seq=2, applicant_id="370102198001010011"),
        event("RT-3", "received", "2026-02-27T10:00:00+08:00", seq=1, applicant_id="370102197703030033"),
    ])
    assert not [a for a in server.call("GET", f"/approval-cases/{code}/RT-3").json()["alerts"]
                if a["rule"] == "DUPLICATE_CASE"]


def test_record_duplicates_conflicts_and_counts(server: ServerProcess, office: tuple[str, str]) -> None:
    code, token = office
    recs = full_case("DU-1")
    ok_batch(server, code, token, recs)
    changed = dict(recs[1], actor="someone else")
    twice = event("DU-2", "received", "2026-02-26T09:00:00+08:00")
    summary = ok_batch(server, code, token, [
        recs[0],                                                    # duplicate: counted, not stored again
        changed,                                                    # same id, other content
        twice, dict(twice),                                         # the same id twice in one batch
        event("DU-3", "received", "2026-02-26T09:00:00+08:00", power="XX-000"),  # unknown power
        {"kind": "approval_event", "id": new_id(), "case_no": "DU-4"},           # missing fields
        {"kind": "fax", "id": new_id()},
        "not even an object",
    ])
    assert summary["received"] == 8
    assert (summary["imported"], summary["duplicates"], summary["rejected"]) == (1, 1, 6)
    assert summary["received"] == summary["imported"] + summary["duplicates"] + summary["rejected"]
    assert summary["status"] == "partial"
    codes = [(e["index"], e["code"]) for e in summary["errors"]]
    assert codes == [(1, "ID_CONFLICT"), (3, "DUPLICATE_IN_BATCH"), (4, "UNKNOWN_POWER"), (5, "MISSING_FIELD"),
                     (6, "UNKNOWN_KIND"), (7, "INVALID_FIELD")]
    case = server.call("GET", f"/approval-cases/{code}/DU-1").json()
    assert len(case["events"]) == 4
    assert next(e for e in case["events"] if e["id"] == recs[1]["id"])["actor"] == recs[1]["actor"]
    only_bad = ok_batch(server, code, token, [{"kind": "fax"}])
    assert (only_bad["status"], only_bad["imported"], only_bad["rejected"]) == ("rejected", 0, 1)
    all_good = ok_batch(server, code, token, [event("DU-5", "received", "2026-02-26T09:00:00+08:00")])
    assert (all_good["status"], all_good["errors"]) == ("ok", [])


def test_an_id_stored_as_one_kind_of_record_conflicts_when_sent_as_another(
        server: ServerProcess, office: tuple[str, str]) -> None:
    """A record's id is its own across every kind: an approval event's id sent again as a
    rating (or a rating's as an event) is a conflict, not a second record; each sent again as
    it was is a duplicate."""
    code, token = office
    received = event("XK-1", "received", "2026-02-26T09:00:00+08:00")
    rated = evaluation("XK-1", "satisfied", "2026-02-26T10:00:00+08:00")
    ok_batch(server, code, token, [received, rated])
    summary = ok_batch(server, code, token, [
        evaluation("XK-1", "satisfied", "2026-02-26T11:00:00+08:00", id=received["id"]),
        event("XK-1", "accepted", "2026-02-26T09:30:00+08:00", id=rated["id"]),
    ])
    assert [(e["index"], e["code"]) for e in summary["errors"]] == [(0, "ID_CONFLICT"), (1, "ID_CONFLICT")]
    assert summary["imported"] == 0
    assert ok_batch(server, code, token, [received, rated])["duplicates"] == 2


def test_dry_run_judges_like_an_import_and_stores_nothing(server: ServerProcess, office: tuple[str, str]) -> None:
    code, token = office
    before_office = office_info(server, code)
    records = [*full_case("DRY-1"), event("DRY-1", "fee_charged", "2026-02-26T11:30:00+08:00", amount_fen=100),
               event("DRY-2", "received", "2026-02-26T09:00:00+08:00", power="NOPE")]
    body = {"batch_id": new_id(), "office": code, "complete_until": "2026-02-27T00:00:00+08:00", "records": records}
    before = stats(server)
    _, cursor = read_feed(server)
    alerts_before = list_all(server, "/alerts", "alerts")
    dry = server.call("POST", "/batches?dry_run=true", body, token=token)
    assert dry.status == 200
    judged = dry.json()
    assert judged["dry_run"] is True
    assert (judged["imported"], judged["rejected"]) == (5, 1)
    assert judged["alerts_raised"] >= 1  # FEE_EXCESS would be raised
    assert stats(server) == before
    assert read_feed(server, cursor)[0] == []
    assert list_all(server, "/alerts", "alerts") == alerts_before
    assert server.call("GET", f"/batches/{body['batch_id']}").status == 404
    assert server.call("GET", f"/approval-cases/{code}/DRY-1").status == 404
    assert office_info(server, code)["watermark"] == before_office["watermark"]
    # The real import under the same batch_id is not a reuse, and finds what the dry run found.
    real = server.call("POST", "/batches", body, token=token).json()
    assert "dry_run" not in real or real["dry_run"] is False
    for key in ("status", "received", "imported", "duplicates", "rejected", "errors", "alerts_raised", "watermark"):
        assert real[key] == judged[key], key
    assert {a["rule"] for a in server.call("GET", f"/approval-cases/{code}/DRY-1").json()["alerts"]} >= {"FEE_EXCESS"}


def test_complete_until_sets_the_watermark_and_backdated_records_are_flagged(
    server: ServerProcess, office: tuple[str, str],
) -> None:
    code, token = office
    assert office_info(server, code)["watermark"] is None
    # The first batch: nothing in it is BACKDATED, whatever its dates.
    first = ok_batch(server, code, token, full_case("WM-1", day="2026-02-25"),
                     complete_until="2026-02-26T18:00:00+08:00")
    assert parse_instant(first["watermark"]) == parse_instant("2026-02-26T18:00:00+08:00")
    assert office_info(server, code)["watermark"] == first["watermark"]
    case = server.call("GET", f"/approval-cases/{code}/WM-1").json()
    assert not any(e["backdated"] for e in case["events"])
    assert "BACKDATED" not in {a["rule"] for a in case["alerts"]}

    # A later batch back-fills a record before the declared watermark: BACKDATED.
    late = event("WM-2", "received", "2026-02-26T10:00:00+08:00")
    on_time = event("WM-3", "received", "2026-02-26T19:00:00+08:00")
    second = ok_batch(server, code, token, [late, on_time], complete_until="2026-02-26T12:00:00+08:00")
    # An earlier complete_until never moves the watermark back.
    assert second["watermark"] == first["watermark"]
    wm2 = server.call("GET", f"/approval-cases/{code}/WM-2").json()
    assert [e["backdated"] for e in wm2["events"]] == [True]
    assert "BACKDATED" in {a["rule"] for a in wm2["alerts"]}
    wm3 = server.call("GET", f"/approval-cases/{code}/WM-3").json()
    assert [e["backdated"] for e in wm3["events"]] == [False]
    assert "BACKDATED" not in {a["rule"] for a in wm3["alerts"]}

    # No complete_until: the watermark moves to the time of receipt.
    third = ok_batch(server, code, token, [])
    assert third["watermark"] == third["processed_at"]
    assert parse_instant(third["watermark"]) > parse_instant(first["watermark"])


@pytest.mark.parametrize("value", ["yesterday", "2026-03-01T10:00:00", "2026-13-01T00:00:00+08:00",
                                   "0202-03-01T10:00:00+08:00", "9999-12-31T23:59:59-12:00", 20260301])
def test_bad_complete_until_is_400_and_stores_nothing(server: ServerProcess, office: tuple[str, str],
                                                      value: Any) -> None:
    code, token = office
    before = stats(server)
    body = {"batch_id": new_id(), "office": code, "complete_until": value,
            "records": [event("CU-1", "received", "2026-02-26T09:00:00+08:00")]}
    err = assert_error(server.call("POST", "/batches", body, token=token), 400, "INVALID_REQUEST")
    assert "complete_until" in err["message"]
    assert stats(server) == before
    assert office_info(server, code)["watermark"] is None


def test_timestamps_too_far_ahead_or_before_1970_are_rejected(server: ServerProcess, office: tuple[str, str]) -> None:
    code, token = office
    now = parse_instant(server.call("GET", "/admin/clock").json()["now"])
    recs = [
        event("TS-1", "received", format_instant(now + 9 * MINUTE)),
        event("TS-2", "received", format_instant(now + 11 * MINUTE)),
        event("TS-3", "received", "0202-02-26T09:00:00+08:00"),
        event("TS-4", "received", "0001-01-01T00:00:00+14:00"),
        event("TS-5", "received", "2026-02-26 09:00"),
    ]
    summary = ok_batch(server, code, token, recs)
    assert [(e["index"], e["code"], e["field"]) for e in summary["errors"]] == [
        (1, "FUTURE_TIMESTAMP", "at"), (2, "INVALID_FIELD", "at"), (3, "INVALID_FIELD", "at"),
        (4, "INVALID_FIELD", "at")]
    assert "1970" in summary["errors"][1]["message"]
    assert server.call("GET", f"/approval-cases/{code}/TS-1").status == 200


def test_cases_are_judged_as_of_the_watermark(server: ServerProcess, office: tuple[str, str]) -> None:
    """An office that is merely offline does not drown the wall in overdue signals."""
    code, token = office
    recs = [event("AO-1", "received", "2026-02-26T09:00:00+08:00", seq=1),
            event("AO-1", "accepted", "2026-02-26T09:10:00+08:00", seq=2)]
    now = server.call("GET", "/admin/clock").json()["now"]
    ok_batch(server, code, token, recs, complete_until=now)
    due = server.call("GET", f"/approval-cases/{code}/AO-1").json()["clocks"]["due"]
    target = format_instant(parse_instant(due) + 60 * MINUTE)
    assert server.call("PUT", "/admin/clock", {"now": target}).status == 200
    case = server.call("GET", f"/approval-cases/{code}/AO-1").json()
    assert case["as_of"] == format_instant(parse_instant(now))
    assert "OVERDUE" not in {a["rule"] for a in case["alerts"]}
    # The office syncs again (a heartbeat): now the case is judged at the new time, and is late.
    beat = ok_batch(server, code, token, [])
    assert beat["alerts_raised"] >= 1
    case = server.call("GET", f"/approval-cases/{code}/AO-1").json()
    assert case["as_of"] == target
    overdue = [a for a in case["alerts"] if a["rule"] == "OVERDUE"]
    assert [(a["severity"], a["status"]) for a in overdue] == [("red", "open")]


def test_unknown_office_and_uuid_batch_ids(server: ServerProcess, office: tuple[str, str]) -> None:
    code, token = office
    r = server.call("POST", "/batches", {"batch_id": str(uuid.uuid4()), "office": "NOWHERE", "records": []})
    assert_error(r, 404, "UNKNOWN_OFFICE")
    for bad in ("", "x" * 65, 12, None, ["a"]):
        r = server.call("POST", "/batches", {"batch_id": bad, "office": code, "records": []}, token=token)
        assert_error(r, 400, "INVALID_REQUEST")
    for body in ({"office": code, "records": []}, {"batch_id": new_id(), "records": []},
                 {"batch_id": new_id(), "office": code}, {"batch_id": new_id(), "office": code, "records": {}}):
        assert_error(server.call("POST", "/batches", body, token=token), 400, "INVALID_REQUEST")
