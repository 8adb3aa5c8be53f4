"""Two ``serve`` processes on one PostgreSQL database behave as one server (spec 05 "Scale").

* A console's long-poll on process A wakes within 1 s of a batch committed through
  process B (LISTEN/NOTIFY), instead of waiting out its ``wait``.
* Both processes run the background sweep every second; when the simulated clock moves
  past the deadlines, each alert is raised exactly once: no duplicate alerts, one raise per
  alert in the change log, and the ``sweep_runs`` table shows every due subject was
  evaluated once in all, not once per process.
"""

from __future__ import annotations

import functools
import uuid
from collections import Counter
from collections.abc import Iterator
from typing import Any

import psycopg
import pytest

from shared.timeutil import HOUR, MINUTE, format_instant, parse_instant
from tests.conftest import require_postgres
from tests.harness import ServerProcess, event
from tests.server.support import alert_key, full_case, list_all, ok_batch, read_feed, send_in_background, wait_for

START = "2026-03-02T08:00:00+08:00"
CASES = 40
SILENT_OFFICES = ("S01", "S02", "S03")


@pytest.fixture(scope="module")
def pair(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[ServerProcess, ServerProcess, str]]:
    """Processes A and B serving one data directory and one fresh PostgreSQL database."""
    base = require_postgres()
    name = f"yytest_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(base, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    url = f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}"
    data = tmp_path_factory.mktemp("pg-pair") / "data"
    a = ServerProcess(data, simulated_clock=START, extra_args=["--sweep-interval", "1"])
    b = ServerProcess(data, simulated_clock=START, extra_args=["--sweep-interval", "1"])
    try:
        a.init(url)
        a.start()
        b.start()
        yield a, b, url.replace("postgresql+psycopg://", "postgresql://")
    finally:
        a.stop()
        b.stop()
        with psycopg.connect(base, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def setup(server: ServerProcess, offices: tuple[str, ...]) -> dict[str, str]:
    """Catalogue (once) and offices; returns the office tokens."""
    if not server.call("GET", "/catalogue").json()["items"]:
        return server.setup_basic(offices)
    tokens = {}
    for code in offices:
        r = server.call("POST", "/offices", {"code": code, "name": f"{code} 便民服务中心", "kind": "township"})
        assert r.status == 201, r.body
        tokens[code] = r.json()["token"]
    return tokens


def sql(url: str, query: str, *params: Any) -> list[tuple[Any, ...]]:
    with psycopg.connect(url, autocommit=True) as conn:
        return conn.execute(query, params).fetchall()


def process_name(url: str, server: ServerProcess) -> str:
    """The ``process`` column the server writes into sweep_runs (host:pid)."""
    pid = server.proc.pid  # type: ignore[union-attr]
    rows = sql(url, "SELECT DISTINCT process FROM sweep_runs WHERE process LIKE %s", f"%:{pid}")
    return rows[0][0] if rows else ""


def test_long_poll_on_one_process_wakes_on_commit_through_the_other(
    pair: tuple[ServerProcess, ServerProcess, str],
) -> None:
    a, b, _url = pair
    token = setup(a, ("LP",))["LP"]
    _, cursor = read_feed(a)
    for round_ in range(3):
        poll = send_in_background(a, "GET", f"/changes?since={cursor}&wait=10")
        assert poll.sent.wait(10)
        # The poll is parked on process A: it has not answered for a while although it was sent.
        assert not poll.done.wait(0.5), f"the long-poll answered at once: {poll.response}"
        case_no = f"LP-{round_}"
        # A case decided at once: nothing of it is left for the sweep test's clock.
        ok_batch(b, "LP", token, [*full_case(case_no, day="2026-03-01"),
                                  event(case_no, "decided", "2026-03-01T12:00:00+08:00", seq=5, result="approved")])
        poll.join(20)
        assert poll.response is not None, poll.error
        assert poll.response.status == 200
        body = poll.response.json()
        assert any(c["entity"] == "case" and c["id"] == f"LP/{case_no}" for c in body["changes"]), body
        cursor = body["cursor"]
        # Read whatever else this commit wrote, so the next round waits on an empty feed.
        _, cursor = read_feed(a, cursor)

    # And with nothing committed, the poll waits out its time and moves nowhere.
    poll = send_in_background(a, "GET", f"/changes?since={cursor}&wait=2")
    assert poll.sent.wait(10)
    assert not poll.done.wait(1), f"the long-poll answered at once: {poll.response}"
    poll.join(20)
    assert poll.response is not None, poll.error
    assert poll.response.status == 200
    assert poll.response.json()["changes"] == []
    assert poll.response.json()["cursor"] == cursor


def test_sweeps_on_two_processes_raise_each_alert_once(pair: tuple[ServerProcess, ServerProcess, str]) -> None:
    a, b, url = pair
    setup(a, ())

    def office(code: str, silent_hours: int) -> str:
        r = a.call("POST", "/offices", {"code": code, "name": code, "silent_hours": silent_hours})
        assert r.status == 201, r.body
        return r.json()["token"]

    t01 = office("T01", 24 * 90)
    records = []
    for i in range(CASES):
        no = f"SW-{i:03d}"
        records += [event(no, "received", "2026-03-02T07:00:00+08:00", seq=1),
                    event(no, "accepted", "2026-03-02T07:30:00+08:00", seq=2)]
    ok_batch(b, "T01", t01, records)
    due = parse_instant(a.call("GET", "/approval-cases/T01/SW-000").json()["clocks"]["due"])
    # An office's watermark moves only by its own batches and never ahead of the server's time (+10 min),
    # so for the sweeps (not a batch) to find the cases overdue, T01's last heartbeat comes minutes
    # before the deadline and declares its records complete until minutes after it.
    target = due + 5 * MINUTE
    assert a.call("PUT", "/admin/clock", {"now": format_instant(due - 2 * HOUR)}).status == 200
    for code in SILENT_OFFICES:
        office(code, 2)  # silent from due (two hours from now) on
    assert a.call("PUT", "/admin/clock", {"now": format_instant(due - 4 * MINUTE)}).status == 200
    ok_batch(b, "T01", t01, [], complete_until=format_instant(target))
    _, cursor = read_feed(a)
    before = {x["id"] for x in list_all(a, "/alerts", "alerts")}

    moved = a.call("PUT", "/admin/clock", {"now": format_instant(target)})
    assert moved.status == 200, moved.body

    # Both processes keep sweeping at the new instant.
    procs = {}
    for server in (a, b):
        procs[server.port] = wait_for(functools.partial(process_name, url, server), what="a sweep by each process")
    assert len(set(procs.values())) == 2

    def swept_twice_each() -> bool:
        rows = dict(sql(url, "SELECT process, count(*) FROM sweep_runs WHERE now = %s GROUP BY process", target))
        return all(rows.get(p, 0) >= 2 for p in procs.values())

    wait_for(swept_twice_each, timeout=30, interval=0.2, what="two sweeps by each process at the new instant")

    every = list_all(a, "/alerts", "alerts")
    assert every == list_all(b, "/alerts", "alerts")
    keys = Counter(alert_key(x) for x in every)
    assert [k for k, n in keys.items() if n > 1] == [], "duplicate alerts"
    alerts = [x for x in every if x["id"] not in before]
    rules = Counter(x["rule"] for x in alerts)
    assert rules["OVERDUE"] == CASES
    # The offices with a two-hour limit fell silent at this instant; T01 declared itself complete.
    assert sorted(x["subject"]["office"] for x in alerts if x["rule"] == "OFFICE_SILENT") == sorted(SILENT_OFFICES)
    assert {x["status"] for x in alerts} == {"open"}
    # Nothing else in the database either: one row per (subject, rule, node).
    dup_rows = sql(url, "SELECT subject_type, subject_id, rule, node FROM alerts "
                        "GROUP BY subject_type, subject_id, rule, node HAVING count(*) > 1")
    assert dup_rows == []

    # The change log carries each raise once, and nothing else about these alerts.
    changes, _ = read_feed(a, cursor)
    per_alert = Counter(c["id"] for c in changes if c["entity"] == "alert" and int(c["id"]) not in before)
    assert per_alert == Counter({str(x["id"]): 1 for x in alerts})

    # The sweep work was done once: every due case evaluated once over all sweeps at this instant.
    runs = sql(url, "SELECT process, evaluated FROM sweep_runs WHERE now = %s", target)
    assert sum(n for _, n in runs) == CASES, runs
    assert moved.json()["evaluated"] in (0, CASES)
