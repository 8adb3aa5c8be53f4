"""Stopping the server (SIGTERM) does not wait for consoles' long-polls to time out.

Consoles always hold a long-poll open; a graceful shutdown that waited for them would take
their whole wait (up to 30 s) every time an administrator restarts the service. How long a
shutdown takes is measured in ``bench/latency.py``.
"""

from __future__ import annotations

from pathlib import Path

from tests.harness import ServerProcess
from tests.server.support import send_in_background, wait_for


def _unread_bytes(port: int) -> list[int]:
    """For each open connection to the server's ``port``: the request bytes the server has not read yet.

    Read from the kernel's socket table (Linux): once the server has read a request, it is
    handling it, and a graceful shutdown answers it instead of dropping it.
    """
    queues = []
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            lines = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            fields = line.split()
            local_port = int(fields[1].rsplit(":", 1)[1], 16)
            established = fields[3] == "01"
            if local_port == port and established:
                queues.append(int(fields[4].split(":")[1], 16))
    return queues


def test_sigterm_answers_waiting_long_polls_and_exits_promptly(tmp_path: Path) -> None:
    server = ServerProcess(tmp_path / "data")
    server.init()
    server.start()
    head = server.call("GET", "/changes?limit=5000").json()["cursor"]
    # The longest a poll may wait: a shutdown that waited for it would take 30 s.
    poll = send_in_background(server, "GET", f"/changes?since={head}&wait=30")
    assert poll.sent.wait(30), "the long-poll was not sent"
    # The server has read it (it is waiting in the server, not in a socket's queue).
    wait_for(lambda: (queues := _unread_bytes(server.port)) and not any(queues) and not poll.done.is_set(),
             timeout=30, what="the server to take the long-poll")
    assert server.proc is not None
    server.proc.terminate()
    # Exits well before the poll's 30 s were up (``wait`` raises TimeoutExpired otherwise).
    server.proc.wait(20)
    poll.join(5)
    # uvicorn re-raises SIGTERM after its graceful shutdown (systemd counts that as a clean stop).
    assert server.proc.returncode in (0, -15)
    assert poll.response is not None, f"the waiting long-poll got no answer: {poll.error!r}"
    assert poll.response.status == 200
    assert poll.response.json()["changes"] == []
    assert poll.response.json()["cursor"] == head
