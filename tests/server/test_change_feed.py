"""The change feed consoles replicate from (spec 03 §2 ``GET /changes``).

Cursors: a cursor the server did not give is 400 INVALID_CURSOR, one from the future is
410 CURSOR_EXPIRED (never silently restarted from zero); paging with small limits yields
exactly the same changes, in order, as one big read. Role filtering: a petition officer
sees petitions but not cameras or cases; an operator sees cameras and cases but no
petitions; an office token may not read the feed. Deletions travel as ``op: delete``. A
long-poll is woken by a commit (how soon: ``bench/longpoll.py``).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.harness import ServerProcess, event
from tests.server.support import (
    assert_error,
    create_user,
    ok_batch,
    petition,
    read_feed,
    send_in_background,
    server_from_template,
)


@pytest.fixture(scope="module")
def feed(tmp_path_factory: pytest.TempPathFactory, server_template: Path) -> Iterator[dict[str, Any]]:
    server = server_from_template(server_template, tmp_path_factory.mktemp("feed") / "data")
    server.start()
    try:
        tokens = server.setup_basic(("T01",))
        for role in ("operator", "petition_officer", "leader", "investigator"):
            tokens[role] = create_user(server, role)
        tokens["admin"] = server.admin_token
        pet = petition(receipt_code="9100000000000001", received_at="2026-02-01T09:00:00+08:00")
        ok_batch(server, "T01", tokens["T01"], [event("CF-1", "received", "2026-02-26T09:00:00+08:00"), pet])
        for cam in ("cam-a", "cam-b"):
            r = server.call("PUT", f"/cameras/{cam}", {"name": cam, "main_url": f"rtsp://10.1.1.1/{cam}"})
            assert r.status == 200
        yield {"server": server, "tokens": tokens, "petition": pet}
    finally:
        server.stop()


def entities(changes: list[dict[str, Any]]) -> set[str]:
    return {c["entity"] for c in changes}


@pytest.mark.parametrize("cursor", ["garbage", "c1.", "c1.abc", "c1.-1", "c2.5", "C1.5", "c1.1e3",
                                    "%00", "c1.5%00"])
def test_a_cursor_the_server_did_not_give_is_400(feed: dict[str, Any], cursor: str) -> None:
    r = feed["server"].call("GET", f"/changes?since={cursor}")
    # U+0000 is refused in any query string before the cursor is even looked at.
    assert_error(r, 400, "INVALID_REQUEST" if "%00" in cursor else "INVALID_CURSOR")


def test_a_cursor_from_the_future_is_410_without_waiting(feed: dict[str, Any]) -> None:
    server: ServerProcess = feed["server"]
    _, head = read_feed(server)
    n = int(head.removeprefix("c1."))
    assert server.call("GET", f"/changes?since={head}").json()["changes"] == []
    for ahead in (n + 1, n + 1000, 10**30):
        # Asked to wait the longest a poll may (30 s): answered long before, or this times out.
        r = server.call("GET", f"/changes?since=c1.{ahead}&wait=30", timeout=20)
        assert_error(r, 410, "CURSOR_EXPIRED")
    # It is never silently restarted from zero: the client must ask for a snapshot itself.
    whole, _ = read_feed(server)
    assert whole[0]["seq"] == min(c["seq"] for c in whole)


def test_small_pages_give_the_same_changes_in_order(feed: dict[str, Any]) -> None:
    server: ServerProcess = feed["server"]
    whole, head = read_feed(server)
    seqs = [c["seq"] for c in whole]
    assert seqs == sorted(set(seqs))
    paged: list[dict[str, Any]] = []
    cursor = None
    pages = 0
    while True:
        r = server.call("GET", "/changes?limit=3" + (f"&since={cursor}" if cursor else ""))
        body = r.json()
        assert len(body["changes"]) <= 3
        paged += body["changes"]
        cursor = body["cursor"]
        pages += 1
        if not body["more"]:
            break
        assert len(body["changes"]) == 3
    assert pages >= len(whole) // 3
    assert paged == whole
    assert cursor == head
    # Only what happens next comes after the cursor.
    ok_batch(server, "T01", feed["tokens"]["T01"], [event("CF-2", "received", "2026-02-26T09:00:00+08:00")])
    new, _ = read_feed(server, head)
    assert ("case", "T01/CF-2") in {(c["entity"], c["id"]) for c in new}
    assert all(c["seq"] > seqs[-1] for c in new)


def test_roles_see_only_their_part_of_the_feed(feed: dict[str, Any]) -> None:
    server: ServerProcess = feed["server"]
    tokens = feed["tokens"]
    seen = {role: read_feed(server, token=tokens[role])[0] for role in
            ("admin", "operator", "petition_officer", "leader", "investigator")}
    assert {"camera", "case", "petition", "alert", "office", "power_item"} <= entities(seen["admin"])
    officer = entities(seen["petition_officer"])
    assert "petition" in officer
    assert not officer & {"camera", "case", "power_item"}, officer
    assert all(c["data"]["subject"]["type"] == "petition" for c in seen["petition_officer"] if c["entity"] == "alert")
    operator = entities(seen["operator"])
    assert {"camera", "case"} <= operator
    assert "petition" not in operator
    assert all(c["data"]["subject"]["type"] != "petition" for c in seen["operator"] if c["entity"] == "alert")
    assert "rtsp://10.1.1.1/cam-a" in {c["data"]["main_url"] for c in seen["operator"] if c["entity"] == "camera"}
    assert not entities(seen["investigator"]) & {"camera", "petition", "case", "alert"}
    leader_petitions = [c for c in seen["leader"] if c["entity"] == "petition"]
    assert leader_petitions
    assert {c["data"]["petitioner"] for c in leader_petitions} == {"[protected]"}
    assert_error(server.call("GET", "/changes", token=tokens["T01"]), 403)


def test_deleted_camera_travels_as_a_delete(feed: dict[str, Any]) -> None:
    server: ServerProcess = feed["server"]
    _, cursor = read_feed(server, token=feed["tokens"]["operator"])
    assert server.call("DELETE", "/cameras/cam-b").status == 200
    new, _ = read_feed(server, cursor, token=feed["tokens"]["operator"])
    assert [(c["entity"], c["id"], c["op"], c["data"]) for c in new] == [("camera", "cam-b", "delete", None)]
    assert_error(server.call("DELETE", "/cameras/cam-b"), 404, "NOT_FOUND")


def test_long_poll_is_woken_by_a_commit(feed: dict[str, Any]) -> None:
    server: ServerProcess = feed["server"]
    _, cursor = read_feed(server, token=feed["tokens"]["operator"])
    poll = send_in_background(server, "GET", f"/changes?since={cursor}&wait=30", token=feed["tokens"]["operator"])
    assert poll.sent.wait(10)
    assert not poll.done.wait(0.5), "the long-poll answered although nothing changed"
    assert server.call("PUT", "/cameras/cam-c", {"name": "新窗口", "main_url": "rtsp://10.1.1.2/c"}).status == 200
    # Answered with the change before its 30 s were up.
    poll.join(20)
    assert poll.response is not None, poll.error
    assert poll.response.status == 200
    assert [c["id"] for c in poll.response.json()["changes"]] == ["cam-c"]
