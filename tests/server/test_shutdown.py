"""Stopping the server (SIGTERM) does not wait for consoles' long-polls to time out.

Consoles always hold a long-poll open; a graceful shutdown that waited for them would take
their whole wait (up to 30 s) every time an administrator restarts the service.
"""

from __future__ import annotations

import threading
import time
from pathlib import Path

from tests.harness import Response, ServerProcess


def test_sigterm_answers_waiting_long_polls_and_exits_promptly(tmp_path: Path) -> None:
    server = ServerProcess(tmp_path / "data")
    server.init()
    server.start()
    head = server.call("GET", "/changes?limit=5000").json()["cursor"]
    answered: list[Response] = []
    poll = threading.Thread(target=lambda: answered.append(server.call("GET", f"/changes?since={head}&wait=30")))
    poll.start()
    deadline = time.monotonic() + 10
    # The poll is waiting once a fresh poll with no wait returns nothing new either.
    while time.monotonic() < deadline and not poll.is_alive():
        time.sleep(0.05)
    time.sleep(0.5)  # give the request time to reach the server's wait; the measurement starts below
    assert server.proc is not None
    started = time.monotonic()
    server.proc.terminate()
    server.proc.wait(40)
    took = time.monotonic() - started
    poll.join(5)
    # uvicorn re-raises SIGTERM after its graceful shutdown (systemd counts that as a clean stop).
    assert server.proc.returncode in (0, -15)
    assert took < 10, f"shutdown took {took:.1f} s"
    assert answered, "the waiting long-poll got no answer"
    assert answered[0].status == 200
    assert answered[0].json()["changes"] == []
    assert answered[0].json()["cursor"] == head
