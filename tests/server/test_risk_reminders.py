"""Risk reminders: a case reaching a risk node notifies the post and the office head, once,
through the outbox, and a failing gateway is retried.

The SMS gateway is a mock (a local HTTP server in this test): the real one is the county's
SMS platform, which cannot run here.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from tests.harness import ServerProcess, event, free_port


class MockSmsGateway:
    """Records what the server sends; fails the first ``fail_first`` requests with 503."""

    def __init__(self, fail_first: int = 0):
        self.received: list[dict[str, Any]] = []
        self.attempts = 0
        self.fail_first = fail_first
        gateway = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                gateway.attempts += 1
                if gateway.attempts <= gateway.fail_first:
                    self.send_response(503)
                    self.end_headers()
                    return
                gateway.received.append(body)
                self.send_response(200)
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                pass

        self.port = free_port()
        self.httpd = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/sms"

    def close(self) -> None:
        self.httpd.shutdown()


def wait_for(predicate: Any, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError("condition not met in time")
        time.sleep(0.05)


@pytest.fixture
def gateway() -> Iterator[MockSmsGateway]:
    gw = MockSmsGateway(fail_first=1)
    yield gw
    gw.close()


def test_reaching_a_risk_node_sends_one_reminder(tmp_path: Path, gateway: MockSmsGateway) -> None:
    server = ServerProcess(tmp_path / "data", extra_args=["--sms-gateway", gateway.url, "--outbox-interval", "0.1"])
    server.init()
    server.start()
    try:
        tokens = server.setup_basic()
        assert server.call("PUT", "/admin/clock", {"now": "2026-03-02T10:00:00+08:00"}).status == 200
        # QG-D07-001: review (no risk), then approve (risk level 3, 降低条件审批).
        records = [
            event("R-1", "received", "2026-03-02T08:10:00+08:00"),
            event("R-1", "accepted", "2026-03-02T08:20:00+08:00", actor="S1"),
            event("R-1", "node_completed", "2026-03-02T08:40:00+08:00", node="review", actor="S2"),
        ]
        r = server.post_batch("T01", tokens["T01"], records, complete_until="2026-03-02T08:45:00+08:00")
        assert r.status == 200, r.body
        assert r.json()["imported"] == 3, r.body
        wait_for(lambda: len(gateway.received) == 1)
        sms = gateway.received[0]
        assert "R-1" in sms["text"]
        assert "审批" in sms["text"]
        assert "降低条件审批" in sms["text"]
        assert {x["role"] for x in sms["recipients"]} == {"post", "office_head"}
        assert gateway.attempts == 2  # the first attempt failed and was retried

        listed = server.call("GET", "/risk-reminders").json()["reminders"]
        assert [(x["case_no"], x["node"], x["status"], x["attempts"]) for x in listed] == [
            ("R-1", "approve", "sent", 2)
        ]

        # The case staying on the risk node, or being evaluated again, sends nothing more.
        fee = event("R-1", "fee_charged", "2026-03-02T09:00:00+08:00", amount_fen=100)
        again = server.post_batch("T01", tokens["T01"], [fee], complete_until="2026-03-02T09:05:00+08:00")
        assert again.status == 200
        assert server.call("PUT", "/admin/clock", {"now": "2026-03-04T09:00:00+08:00"}).status == 200
        assert len(server.call("GET", "/risk-reminders").json()["reminders"]) == 1
        assert len(gateway.received) == 1
    finally:
        server.stop()


def test_the_gateway_must_use_https_off_loopback(tmp_path: Path) -> None:
    import subprocess
    import sys

    server = ServerProcess(tmp_path / "data")
    server.init()
    run = subprocess.run([sys.executable, "-m", "shared.cli", "server", "serve", "--data-dir", str(server.data_dir),
                          "--sms-gateway", "http://sms.example.gov.cn/send"], capture_output=True, text=True,
                         timeout=60)
    assert run.returncode == 2
    assert "https" in run.stderr
