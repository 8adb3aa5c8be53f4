"""A real Yingyan server for tests: ``server init`` + ``server serve`` over TLS in a subprocess.

Tests talk to it the way offices and consoles do, through HTTPS verified against the
server's private CA. ``ServerProcess`` can be killed (SIGKILL) and restarted on the same
data directory, for crash tests.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import ssl
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
YINGYAN = [sys.executable, "-m", "shared.cli"]

CATALOGUE = [
    {
        "code": "QG-D07-001", "name": "建筑工程施工许可", "department": "D07", "kind": "licensing",
        "legal_days": 15, "committed_days": 5, "fee_fen": 0, "legal_basis": "《中华人民共和国建筑法》第八条",
        "nodes": [
            {"code": "review", "name": "初审", "days": 2},
            {"code": "approve", "name": "审批", "days": 1,
             "risk": {"level": 3, "point": "降低条件审批", "measure": "双人复核"}},
        ],
        "separate_duties": [["review", "approve"]],
    },
    {
        "code": "QG-D03-002", "name": "食品经营许可", "department": "D03", "kind": "licensing",
        "legal_days": 20, "committed_days": 3, "fee_fen": 5000, "legal_basis": "《食品经营许可管理办法》",
        "nodes": [{"code": "check", "name": "现场核查", "days": 1}, {"code": "sign", "name": "签发", "days": 1}],
    },
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Response:
    status: int
    body: bytes
    headers: dict[str, str]

    def json(self) -> Any:
        return json.loads(self.body)


@dataclass
class ServerProcess:
    data_dir: Path
    port: int = field(default_factory=free_port)
    simulated_clock: str | None = "2026-03-02T08:00:00+08:00"
    extra_args: list[str] = field(default_factory=list)
    proc: subprocess.Popen[bytes] | None = None
    log_path: Path | None = None
    #: office code → office token, for tests that set offices up (``setup_basic``)
    tokens: dict[str, str] = field(default_factory=dict)

    @property
    def base(self) -> str:
        return f"https://127.0.0.1:{self.port}/api/v1"

    @property
    def ca_file(self) -> Path:
        return self.data_dir / "tls" / "ca.pem"

    @property
    def admin_token(self) -> str:
        return (self.data_dir / "secrets" / "admin.token").read_text().strip()

    def init(self, db_url: str | None = None) -> None:
        cmd = [*YINGYAN, "server", "init", "--data-dir", str(self.data_dir)]
        if db_url:
            cmd += ["--db", db_url]
        subprocess.run(cmd, check=True, capture_output=True, cwd=ROOT, timeout=120)

    def start(self, timeout: float = 60) -> None:
        cmd = [*YINGYAN, "server", "serve", "--data-dir", str(self.data_dir), "--port", str(self.port),
               *self.extra_args]
        if self.simulated_clock:
            cmd += ["--simulated-clock", self.simulated_clock]
        self.log_path = self.data_dir.parent / f"server-{self.port}.log"
        log = open(self.log_path, "ab")  # noqa: SIM115 - the child process owns it
        self.proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, cwd=ROOT)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"server exited with {self.proc.returncode}:\n{self.log_tail()}")
            try:
                if self.call("GET", "/health", token=None).status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.1)
        raise RuntimeError(f"server not healthy in {timeout} s:\n{self.log_tail()}")

    def log_tail(self) -> str:
        return self.log_path.read_text(errors="replace")[-4000:] if self.log_path else ""

    def kill(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait(30)

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(30)
            except subprocess.TimeoutExpired:
                self.kill()

    def ssl_context(self) -> ssl.SSLContext:
        return ssl.create_default_context(cafile=str(self.ca_file))

    def call(self, method: str, path: str, body: Any = None, *, token: str | None = "admin",
             raw: bytes | None = None, headers: dict[str, str] | None = None, timeout: float = 120) -> Response:
        hdrs = {"Accept": "application/json"}
        data = raw
        if body is not None and raw is None:
            data = json.dumps(body, ensure_ascii=False).encode()
        if data is not None:
            hdrs["Content-Type"] = "application/json"
        if token == "admin":
            token = self.admin_token
        if token:
            hdrs["Authorization"] = f"Bearer {token}"
        hdrs.update(headers or {})
        req = urllib.request.Request(self.base + path, data=data, method=method, headers=hdrs)
        try:
            with urllib.request.urlopen(req, context=self.ssl_context(), timeout=timeout) as r:
                return Response(r.status, r.read(), dict(r.headers))
        except urllib.error.HTTPError as e:
            return Response(e.code, e.read(), dict(e.headers))

    # -- setup helpers ---------------------------------------------------------------
    def setup_basic(self, offices: tuple[str, ...] = ("T01",)) -> dict[str, str]:
        """Catalogue + offices; returns office tokens."""
        assert self.call("PUT", "/catalogue", {"items": CATALOGUE}).status == 200
        tokens = {}
        for code in offices:
            r = self.call("POST", "/offices", {"code": code, "name": f"{code} 便民服务中心", "kind": "township"})
            assert r.status == 201, r.body
            tokens[code] = r.json()["token"]
        return tokens

    def post_batch(self, office: str, token: str, records: list[dict[str, Any]], *,
                   complete_until: str | None = None, batch_id: str | None = None) -> Response:
        body: dict[str, Any] = {"batch_id": batch_id or str(uuid.uuid4()), "office": office, "records": records}
        if complete_until:
            body["complete_until"] = complete_until
        return self.call("POST", "/batches", body, token=token)


@contextmanager
def running_server(tmp_path: Path, *, db_url: str | None = None, **kwargs: Any) -> Iterator[ServerProcess]:
    server = ServerProcess(tmp_path / "data", **kwargs)
    server.init(db_url)
    server.start()
    try:
        yield server
    finally:
        server.stop()


def event(case_no: str, type_: str, at: str, *, power: str = "QG-D07-001", **extra: Any) -> dict[str, Any]:
    return {"kind": "approval_event", "id": str(uuid.uuid4()), "case_no": case_no, "power_code": power,
            "type": type_, "at": at, **extra}


os.environ.setdefault("PYTHONUNBUFFERED", "1")
