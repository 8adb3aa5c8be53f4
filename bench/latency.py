"""Latencies the tests used to assert, measured here against baselines from the same run.

    .venv/bin/python bench/latency.py                # every measure
    .venv/bin/python bench/latency.py --only wall --rounds 50

* ``wall`` — a batch's red alert on the console's wall: from just before a township posts it
  to the moment its row is in the wall's model (a real server, the real console window
  offscreen, its sync engine live). Baseline: a plain ``GET /changes?wait=30`` long-poll
  waiting for the same batch, in the same round: the ratio is what the console adds (apply the
  page to the replica, read it back, place it).
* ``shutdown`` — SIGTERM to exit of a server holding a console's 30 s long-poll. Baseline: the
  same server shutting down with nothing waiting, alternating rounds.
* ``expired`` — the answer to a cursor from the future asked to wait 30 s (410 at once).
  Baseline: a read of the feed's head without waiting, alternating requests.
* Video tiles going stalled, offline and back are measured by ``bench/video_soak.py``.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from bench.common import Client, setup, start_server
from tests.harness import ServerProcess, event

OPERATOR = ("bench-op", "bench-operator-pass-1")


def red_batch(case_no: str) -> list[dict[str, Any]]:
    """A case decided without its procedure nodes: SKIPPED_NODE (red), raised on arrival."""
    return [event(case_no, "received", "2026-02-26T09:00:00+08:00"),
            event(case_no, "accepted", "2026-02-26T09:10:00+08:00"),
            event(case_no, "decided", "2026-03-02T07:00:00+08:00", result="approved")]


def summary(name: str, values: list[float]) -> dict[str, float]:
    values = sorted(values)
    return {f"{name}_p50_ms": round(statistics.median(values) * 1000, 1),
            f"{name}_p90_ms": round(values[min(len(values) - 1, int(len(values) * 0.9))] * 1000, 1),
            f"{name}_max_ms": round(values[-1] * 1000, 1)}


def wall(rounds: int) -> dict[str, Any]:
    from PySide6.QtCore import QCoreApplication, QSettings
    from PySide6.QtWidgets import QApplication

    tmp = Path(tempfile.mkdtemp(prefix="yy-bench-wall-"))
    os.environ["YINGYAN_DATA_DIR"] = str(tmp / "userdata")
    app = QApplication.instance() or QApplication(["bench"])
    QCoreApplication.setOrganizationName("YingyanBench")
    QCoreApplication.setApplicationName("latency")
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp / "settings"))
    from desktop import i18n
    from desktop.common.api import ApiClient
    from desktop.console.session import open_session
    from desktop.console.window import ConsoleWindow
    from desktop.replica import sync

    i18n.install(app, "zh_CN")
    server = start_server(clock="2026-03-02T08:00:00+08:00")
    try:
        tokens = setup(server, ["T01"])
        admin = Client(server, server.admin_token)
        status, body = admin.call("POST", "/users", {"username": OPERATOR[0], "password": OPERATOR[1],
                                                    "role": "operator"})
        assert status == 201, body
        client = ApiClient(f"https://127.0.0.1:{server.port}", str(server.ca_file))
        client.login(*OPERATOR)
        session = open_session(client, OPERATOR[0], role="operator", replica_file=tmp / "replica.sqlite3")
        window = ConsoleWindow(session)
        window.resize(1600, 900)
        window.show()
        session.engine.start()

        def until(done: Callable[[], bool], what: str, timeout: float = 60) -> float:
            deadline = time.perf_counter() + timeout
            while not done():
                if time.perf_counter() > deadline:
                    raise RuntimeError(f"timed out waiting for {what}")
                app.processEvents()
                time.sleep(0.0005)
            return time.perf_counter()

        until(lambda: session.engine.state == sync.LIVE, "the console to go live")
        writer = Client(server, tokens["T01"])
        reader = Client(server, server.admin_token)
        _, page = reader.call("GET", "/changes?limit=5000")
        cursor = page["cursor"]
        shown: list[float] = []
        polled: list[float] = []
        for n in range(rounds):
            result: dict[str, Any] = {}

            def poll(since: str = cursor, result: dict[str, Any] = result) -> None:
                _, p = reader.call("GET", f"/changes?since={since}&wait=30&limit=5000")
                result["t"] = time.perf_counter()
                result["cursor"] = p["cursor"]

            thread = threading.Thread(target=poll)
            thread.start()
            # Let the baseline's poll reach the server and the console's next poll wait there too
            # (not part of the measurement).
            until(lambda: session.engine.state == sync.LIVE and not window.wall.model.busy, "a settled wall", 10)
            time.sleep(0.2)
            before = set(window.wall.model.loaded_ids())
            sent = time.perf_counter()
            status, _ = writer.call("POST", "/batches", {"batch_id": str(uuid.uuid4()), "office": "T01",
                                                        "records": red_batch(f"2026-9{n:06d}")})
            assert status == 200
            def on_the_wall(before: set[int] = before) -> bool:
                return bool(set(window.wall.model.loaded_ids()) - before)

            arrived = until(on_the_wall, "the alert on the wall")
            thread.join(35)
            shown.append(arrived - sent)
            polled.append(result["t"] - sent)
            cursor = result["cursor"]
        window.close()
        session.shutdown()
    finally:
        server.stop()
    ratios = sorted(s / p for s, p in zip(shown, polled, strict=True))
    return {"wall_rounds": rounds, **summary("wall_batch_to_row", shown), **summary("baseline_long_poll", polled),
            "wall_over_long_poll_ratio_p50": round(statistics.median(ratios), 2)}


def shutdown(rounds: int) -> dict[str, Any]:
    from tests.server.support import send_in_background

    holding: list[float] = []
    idle: list[float] = []
    for _ in range(rounds):
        for waiting in (True, False):
            server = ServerProcess(Path(tempfile.mkdtemp(prefix="yy-bench-stop-")) / "data")
            server.init()
            server.start()
            if waiting:
                head = server.call("GET", "/changes?limit=5000").json()["cursor"]
                poll = send_in_background(server, "GET", f"/changes?since={head}&wait=30")
                poll.sent.wait(30)
                time.sleep(0.3)  # let the poll reach the server's wait; not part of the measurement
            assert server.proc is not None
            started = time.perf_counter()
            server.proc.terminate()
            server.proc.wait(60)
            (holding if waiting else idle).append(time.perf_counter() - started)
    return {"shutdown_rounds": rounds, **summary("shutdown_with_a_waiting_poll", holding),
            **summary("baseline_shutdown_idle", idle),
            "shutdown_ratio_p50": round(statistics.median(holding) / statistics.median(idle), 2)}


def expired(rounds: int) -> dict[str, Any]:
    server = start_server()
    try:
        reader = Client(server, server.admin_token)
        _, page = reader.call("GET", "/changes?limit=5000")
        head = page["cursor"]
        ahead = f"c1.{int(head.removeprefix('c1.')) + 1000}"
        answers: list[float] = []
        reads: list[float] = []
        for _ in range(rounds):
            t = time.perf_counter()
            status, _ = reader.call("GET", f"/changes?since={ahead}&wait=30")
            answers.append(time.perf_counter() - t)
            assert status == 410
            t = time.perf_counter()
            status, _ = reader.call("GET", f"/changes?since={head}")
            reads.append(time.perf_counter() - t)
            assert status == 200
    finally:
        server.stop()
    return {"expired_rounds": rounds, **summary("expired_cursor_answer", answers),
            **summary("baseline_head_read", reads),
            "expired_ratio_p50": round(statistics.median(answers) / statistics.median(reads), 2)}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("--only", choices=("wall", "shutdown", "expired"))
    ap.add_argument("--rounds", type=int, default=0, help="rounds of each (default: 30 wall, 3 shutdown, 50 expired)")
    args = ap.parse_args()
    results: dict[str, Any] = {"load_average_1min": os.getloadavg()[0]}
    for name, measure, default in (("wall", wall, 30), ("shutdown", shutdown, 3), ("expired", expired, 50)):
        if args.only in (None, name):
            results.update(measure(args.rounds or default))
    for key, value in results.items():
        print(f"{key}: {value}")
    sys.stdout.flush()
    # Skip interpreter finalisation: tearing Qt down there is slow and may crash on exit.
    os._exit(0)


if __name__ == "__main__":
    sys.exit(main())
