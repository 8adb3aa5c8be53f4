"""The outbox and the pusher without a network: order, watermarks, retries, crashes, rejections."""

from __future__ import annotations

import json
import random
import threading
from pathlib import Path
from typing import Any

import pytest

from desktop.township import outbox as ob
from desktop.township.agent import GaveUp, Pusher, import_file
from desktop.township.client import Backoff, FatalError, RetryableError, parse_retry_after
from tests.desktop.township.data import make_export, write_csv
from tests.desktop.township.fakes import FakeServer


def pusher(box: ob.Outbox, server: FakeServer, delays: list[float] | None = None, **kw: Any) -> Pusher:
    waits = delays if delays is not None else []

    def sleep(seconds: float) -> bool:
        """Notes the wait instead of waiting; never stopped."""
        waits.append(seconds)
        return False

    return Pusher(box, server, "T03", backoff=Backoff(base=1, rng=random.Random(1)),  # type: ignore[arg-type]
                  sleep=sleep, **kw)


@pytest.fixture
def box(tmp_path: Path) -> ob.Outbox:
    return ob.Outbox(tmp_path / "home")


def test_only_the_last_batch_of_a_file_claims_its_period(box: ob.Outbox, tmp_path: Path) -> None:
    export = make_export(20)
    path = write_csv(tmp_path / "办件流水_2026-03-01.csv", export.rows())
    res = import_file(box, path, "T03")
    assert res.complete_until == "2026-03-02T00:00:00+08:00"
    server = FakeServer()
    pusher(box, server, batch_size=50).drain()
    untils = [b["complete_until"] for b in server.bodies]
    assert len(untils) == -(-len(export.steps) // 50)
    # Earlier batches claim no more than the start of the file; only the last claims its end.
    assert all(u < "2026-03-02" for u in untils[:-1])
    assert untils[-1] == "2026-03-02T00:00:00+08:00"
    assert len(server.stored) == len(export.steps)
    # Records went out in file order.
    sent = [r["id"] for b in server.bodies for r in b["records"]]
    assert sent == [r["id"] for r in sorted(server.stored.values(), key=lambda r: sent.index(r["id"]))]
    assert box.counts().queued == 0


def test_retry_after_is_honoured_and_backoff_grows(box: ob.Outbox, tmp_path: Path) -> None:
    import_file(box, write_csv(tmp_path / "a.csv", make_export(2).rows()), "T03")
    server = FakeServer()
    server.faults = [RetryableError("HTTP 429", retry_after=7), RetryableError("reset"), RetryableError("reset"),
                     RetryableError("HTTP 503", retry_after=2)]
    delays: list[float] = []
    pusher(box, server, delays).drain()
    assert 7 <= delays[0] <= 8
    assert 1 <= delays[1] <= 2
    assert 2 <= delays[2] <= 4
    assert 2 <= delays[3] <= 2.5
    # Every attempt carried the same batch, byte for byte.
    assert len(set(server.raw_bodies)) == 1
    assert box.counts().queued == 0


def test_give_up_leaves_everything_queued(box: ob.Outbox, tmp_path: Path) -> None:
    export = make_export(2)
    import_file(box, write_csv(tmp_path / "a.csv", export.rows()), "T03")
    server = FakeServer()
    server.faults = [RetryableError("down")] * 50
    now = [0.0]

    def clock() -> float:
        now[0] += 10
        return now[0]

    with pytest.raises(GaveUp):
        pusher(box, server, give_up_after=30, clock=clock).drain()
    assert box.counts().queued == len(export.steps)


def test_a_refused_token_stops_at_once(box: ob.Outbox, tmp_path: Path) -> None:
    import_file(box, write_csv(tmp_path / "a.csv", make_export(2).rows()), "T03")
    server = FakeServer()
    server.faults = [FatalError("token refused", "UNAUTHORIZED", 401)]
    with pytest.raises(FatalError):
        pusher(box, server).drain()
    assert len(server.raw_bodies) == 1
    assert box.counts().queued > 0


def test_crash_after_sending_resends_the_same_batch(box: ob.Outbox, tmp_path: Path) -> None:
    export = make_export(10)
    import_file(box, write_csv(tmp_path / "a.csv", export.rows()), "T03")
    server = FakeServer()
    stop = threading.Event()

    class Crash(BaseException):
        pass

    def crash_after_first_summary(e: Any) -> None:
        if e.kind == "summary":
            raise Crash  # the process dies before anything else is written

    # The server stored batch 1 and answered; the agent "dies" while writing what comes next.
    with pytest.raises(Crash):
        pusher(box, server, batch_size=20, stop=stop, on_event=crash_after_first_summary).drain()
    box.close()
    again = ob.Outbox(box.home)
    pusher(again, server, batch_size=20).drain()
    ids = [r["id"] for b in server.bodies for r in b["records"]]
    assert len(server.stored) == len(export.steps)
    # Whatever was resent went with its original batch_id, so the server answered from its store.
    by_batch: dict[str, list[str]] = {}
    for b in server.bodies:
        by_batch.setdefault(b["batch_id"], [r["id"] for r in b["records"]])
        assert [r["id"] for r in b["records"]] == by_batch[b["batch_id"]]
    assert len(ids) >= len(export.steps)
    assert again.counts().queued == 0


def test_server_rejections_are_kept_with_row_and_column(box: ob.Outbox, tmp_path: Path) -> None:
    rows = make_export(3).rows()
    rows[4]["事项编码"] = "QG-D99-001"
    import_file(box, write_csv(tmp_path / "a.csv", rows), "T03")
    server = FakeServer(reject=lambda r: "UNKNOWN_POWER" if r.get("power_code") == "QG-D99-001" else None)
    result = pusher(box, server).drain()
    assert result.rejected == 1
    [rej] = box.open_rejections()
    got = (rej["row_no"], rej["code"], rej["column_name"], rej["origin"])
    assert got == (6, "UNKNOWN_POWER", "事项编码 (B)", "server")
    c = box.counts()
    assert (c.queued, c.sent, c.rejected) == (0, len(rows) - 1, 1)


def test_retry_after_header_forms() -> None:
    assert parse_retry_after("120") == 120
    assert parse_retry_after("Wed, 21 Oct 2015 07:28:10 GMT", now=1445412480.0) == 10
    assert parse_retry_after("soon") is None


def test_after_giving_up_the_next_round_resends_that_batch_first(box: ob.Outbox, tmp_path: Path) -> None:
    export = make_export(10)
    import_file(box, write_csv(tmp_path / "a.csv", export.rows()), "T03")
    server = FakeServer()
    server.faults = [RetryableError("down")] * 3
    now = [0.0]

    def clock() -> float:
        now[0] += 10
        return now[0]

    # `watch` keeps one pusher and drains it every round.
    p = pusher(box, server, batch_size=20, give_up_after=15, clock=clock)
    with pytest.raises(GaveUp):
        p.drain()
    first_try = json.loads(server.raw_bodies[0])["batch_id"]
    p.drain()
    assert server.bodies[0]["batch_id"] == first_try
    sent = [r["id"] for b in server.bodies for r in b["records"]]
    assert len(sent) == len(set(sent)) == len(export.steps)
    assert box.counts().queued == 0


def test_one_push_at_a_time_per_outbox(box: ob.Outbox, tmp_path: Path) -> None:
    from desktop.township.agent import push_files

    with ob.push_lock(box.home), pytest.raises(ob.Busy, match="another push"):
        push_files(box.home, FakeServer(), "T03", [])  # type: ignore[arg-type]
    # Released with its holder: the next push goes ahead.
    result, _, _ = push_files(box.home, FakeServer(), "T03", [])  # type: ignore[arg-type]
    assert result.batches == 0


def test_a_time_in_the_future_is_rejected_here(box: ob.Outbox, tmp_path: Path) -> None:
    rows = make_export(1).rows()
    rows[0]["操作时间"] = "2062-03-01 09:00:00"  # 2026 mistyped
    res = import_file(box, write_csv(tmp_path / "a.csv", rows), "T03")
    [rej] = res.rejections
    assert (rej.row_no, rej.code, rej.column) == (2, "FUTURE_TIMESTAMP", "操作时间 (F)")


# A main thread that sleeps through the signal would sleep through pytest-timeout's SIGALRM too.
@pytest.mark.timeout(60, method="thread")
def test_ctrl_c_while_a_batch_is_being_retried_stops_at_once(box: ob.Outbox, tmp_path: Path) -> None:
    """``watch`` stopped with Ctrl-C while the server keeps answering 503: the sending thread
    gives up its retries instead of holding the program until it would have given up."""
    import signal

    import_file(box, write_csv(tmp_path / "a.csv", make_export(2).rows()), "T03")
    server = FakeServer()
    server.faults = [RetryableError("HTTP 503")] * 10_000
    retrying = threading.Event()
    real_post = server.post_batch

    def post(body: bytes, *, dry_run: bool = False) -> bytes:
        retrying.set()
        return real_post(body, dry_run=dry_run)

    server.post_batch = post  # type: ignore[method-assign]
    stop = threading.Event()
    # Real waits between retries (an hour each): only the stop event can end them.
    p = Pusher(box, server, "T03", backoff=Backoff(base=3600, rng=random.Random(1)),  # type: ignore[arg-type]
               stop=stop)
    def interrupt() -> None:
        if retrying.wait(30):
            # As Ctrl-C in a terminal, which the kernel may hand to any thread of the process:
            # here to this one, not the main thread, which the pusher must still notice.
            signal.pthread_kill(threading.get_ident(), signal.SIGINT)

    threading.Thread(target=interrupt, daemon=True).start()
    with pytest.raises(KeyboardInterrupt):
        p.drain()
    assert stop.is_set()
    assert box.counts().queued > 0, "nothing sent is lost: it waits for the next push"
