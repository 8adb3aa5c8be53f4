"""The desktop programs' one HTTPS client, against a small scripted HTTPS server, and the rule that it is the only one.

Every failure comes back as what a program does about it: ``Unreachable`` (offline, retry),
``ApiError`` with the server's code (and its Retry-After), ``ApiError(0, "TLS_UNTRUSTED")``
for a certificate the CA does not vouch for.
"""

from __future__ import annotations

import ast
import gzip
import json
import ssl
import threading
import time
from collections.abc import Iterator
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from desktop.common.api import ApiError, HttpClient, Unreachable, normalise_base, parse_retry_after
from desktop.township.client import Client, FatalError, RetryableError
from tests.desktop.tls import make_certificates

DESKTOP = Path(__file__).resolve().parents[2] / "desktop"


class Scripted(BaseHTTPRequestHandler):
    """Answers by path, as the server would, and faults as a bad day would bring them."""

    protocol_version = "HTTP/1.1"
    seen: list[dict[str, Any]] = []  # noqa: RUF012
    #: how ``/batches`` answers (like one of the paths below)
    batch_as = "/echo"

    def log_message(self, *args: Any) -> None:
        pass

    def _send(self, status: int, body: bytes, headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        for k, v in {"Content-Type": "application/json", **(headers or {})}.items():
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _answer(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        body = gzip.decompress(raw) if self.headers.get("Content-Encoding") == "gzip" else raw
        Scripted.seen.append({"path": self.path, "headers": dict(self.headers), "raw": len(raw), "body": body})
        path = self.path.split("?")[0].removeprefix("/api/v1")
        if path == "/batches":
            path = Scripted.batch_as
        if path == "/echo":
            self._send(200, json.dumps({"ok": True, "length": len(body)}).encode())
        elif path == "/busy":
            # Header names in any case, as uvicorn spells them.
            self._send(503, b"<html>maintenance</html>", {"Content-Type": "text/html", "retry-after": "7"})
        elif path == "/limited":
            when = formatdate(time.time() + 60, usegmt=True)
            self._send(429, json.dumps({"error": {"code": "RATE_LIMITED", "message": "slow down"}}).encode(),
                       {"Retry-After": when})
        elif path == "/broken":
            self._send(500, b"<html><body>Internal Server Error</body></html>", {"Content-Type": "text/html"})
        elif path == "/gone":
            self._send(410, json.dumps({"error": {"code": "CURSOR_EXPIRED", "message": "read a snapshot"}}).encode())
        elif path == "/garbage":
            self._send(200, b"\x00\xffnot json")
        elif path == "/slow":
            time.sleep(3)
            self._send(200, b"{}")
        else:
            self._send(404, json.dumps({"error": {"code": "NOT_FOUND", "message": path}}).encode())

    do_GET = do_POST = _answer  # noqa: N815 - http.server's names


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    ca, cert, key = make_certificates(tmp_path)
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Scripted)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    httpd.socket = context.wrap_socket(httpd.socket, server_side=True)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    Scripted.seen = []
    yield f"https://127.0.0.1:{httpd.server_address[1]}", ca
    httpd.shutdown()
    httpd.server_close()


def test_token_user_agent_and_json(server: tuple[str, Path]) -> None:
    url, ca = server
    client = HttpClient(url, str(ca), "tok", user_agent="yingyan-test/1")
    assert client.call("POST", "/echo", json={"a": "办件"}) == {"ok": True, "length": len('{"a": "办件"}'.encode())}
    headers = Scripted.seen[-1]["headers"]
    assert headers["Authorization"] == "Bearer tok"
    assert headers["User-Agent"] == "yingyan-test/1"
    assert headers["Content-Type"] == "application/json"
    assert "Content-Encoding" not in headers


def test_large_bodies_go_gzipped_on_fresh_connections(server: tuple[str, Path]) -> None:
    url, ca = server
    client = HttpClient(url, str(ca), "tok", keep_alive=False, compress_over=4096)
    small = b'{"records": []}'
    large = json.dumps({"records": [{"id": i, "note": "材料齐全"} for i in range(2000)]}).encode()
    client.request("POST", "/echo", body=small)
    client.request("POST", "/echo", body=large)
    first, second = Scripted.seen[-2:]
    assert "Content-Encoding" not in first["headers"]
    assert first["headers"]["Connection"] == "close"
    assert second["headers"]["Content-Encoding"] == "gzip"
    assert second["body"] == large
    assert second["raw"] < len(large) / 4


def test_unavailable_is_unreachable_with_the_servers_retry_after(server: tuple[str, Path]) -> None:
    url, ca = server
    with pytest.raises(Unreachable) as info:
        HttpClient(url, str(ca)).call("GET", "/busy")
    assert (info.value.status, info.value.retry_after) == (503, 7.0)


def test_errors_carry_the_servers_code_and_retry_after(server: tuple[str, Path]) -> None:
    url, ca = server
    client = HttpClient(url, str(ca))
    with pytest.raises(ApiError) as info:
        client.call("GET", "/limited")
    assert (info.value.status, info.value.code, info.value.message) == (429, "RATE_LIMITED", "slow down")
    assert info.value.retryable
    assert info.value.retry_after is not None
    assert 50 < info.value.retry_after <= 60
    with pytest.raises(ApiError) as info:
        client.call("GET", "/gone")
    assert (info.value.status, info.value.code) == (410, "CURSOR_EXPIRED")
    assert not info.value.retryable
    # An answer that is not the error shape still says what it was.
    with pytest.raises(ApiError) as info:
        client.call("GET", "/broken")
    assert (info.value.status, info.value.code) == (500, "HTTP_ERROR")
    assert info.value.message


def test_an_answer_that_is_not_json_is_not_taken_for_one(server: tuple[str, Path]) -> None:
    url, ca = server
    with pytest.raises(Unreachable, match="JSON"):
        HttpClient(url, str(ca)).call("GET", "/garbage")


def test_a_server_that_does_not_answer_in_time_is_unreachable(server: tuple[str, Path]) -> None:
    url, ca = server
    with pytest.raises(Unreachable, match="Timeout"):
        HttpClient(url, str(ca), timeout=0.5).call("GET", "/slow")


def test_certificates_are_always_verified(server: tuple[str, Path], tmp_path: Path) -> None:
    url, _ = server
    other = tmp_path / "other"
    other.mkdir()
    other_ca, _, _ = make_certificates(other)
    with pytest.raises(ApiError) as info:
        HttpClient(url, str(other_ca)).call("GET", "/echo")
    assert (info.value.status, info.value.code) == (0, "TLS_UNTRUSTED")
    # Without a CA file: the system's trusted CAs, which do not know this one either.
    with pytest.raises(ApiError) as info:
        HttpClient(url).call("GET", "/echo")
    assert info.value.code == "TLS_UNTRUSTED"
    with pytest.raises(ApiError) as info:
        HttpClient(url, str(tmp_path / "missing.pem")).call("GET", "/echo")
    assert (info.value.status, info.value.code) == (0, "TLS_CA_FILE")
    assert Scripted.seen == []


def test_nothing_listening_is_unreachable() -> None:
    from tests.harness import free_port

    with pytest.raises(Unreachable):
        HttpClient(f"https://127.0.0.1:{free_port()}").call("GET", "/health")


def test_server_urls() -> None:
    for spelled in ("https://h:8443", "https://h:8443/", "https://h:8443/api/v1", "https://h:8443/API/V1/"):
        assert normalise_base(spelled).lower() == "https://h:8443/api/v1"
    assert normalise_base("http://127.0.0.1:8443") == "http://127.0.0.1:8443/api/v1"  # loopback development
    for bad in ("http://supervision.example:8443", "ftp://h", "h:8443", ""):
        with pytest.raises(ValueError):
            normalise_base(bad)
    assert parse_retry_after("12") == 12.0
    assert parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT", now=0) == pytest.approx(1445412480.0)
    assert parse_retry_after("soon") is None


@pytest.mark.parametrize(("answer", "sorted_as"), [("/echo", None), ("/busy", RetryableError),
                                                  ("/limited", RetryableError), ("/broken", RetryableError),
                                                  ("/gone", FatalError), ("/nowhere", FatalError)])
def test_the_agents_batches_go_through_it(server: tuple[str, Path], answer: str, sorted_as: type | None) -> None:
    """The township agent's policy over the same client: retry what a bad day brings, stop on the rest."""
    url, ca = server
    Scripted.batch_as = answer
    agent = Client(url, "tok", str(ca))
    if sorted_as is None:
        assert json.loads(agent.post_batch(b'{"records": []}')) == {"ok": True, "length": 15}
    else:
        with pytest.raises(sorted_as):
            agent.post_batch(b'{"records": []}')
    assert Scripted.seen[-1]["headers"]["Connection"] == "close"
    assert Scripted.seen[-1]["headers"]["User-Agent"] == "yingyan-sync/1"


def test_the_agent_stops_on_a_certificate_and_retries_a_dead_link(server: tuple[str, Path]) -> None:
    url, ca = server
    with pytest.raises(FatalError, match="certificate"):
        Client(url, "tok", None).post_batch(b"{}")
    from tests.harness import free_port

    with pytest.raises(RetryableError):
        Client(f"https://127.0.0.1:{free_port()}", "tok", str(ca)).post_batch(b"{}")
    with pytest.raises(FatalError, match="HTTPS"):
        Client("http://county.example:8443", "tok", None)


def _imports(module: Path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(module.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(a.name.split(".")[0] if a.name != "http.client" else a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module if node.module.startswith(("http.", "urllib.")) else node.module.split(".")[0])
    return found


def test_there_is_one_http_client() -> None:
    """Only ``desktop/common/api.py`` speaks HTTP; the console, the wall, the agent and the demo use it."""
    speaking = {"requests", "httpx", "urllib3", "http.client", "urllib.request", "ssl", "aiohttp"}
    users = {p.relative_to(DESKTOP).as_posix(): _imports(p) & speaking for p in sorted(DESKTOP.rglob("*.py"))}
    assert {m: s for m, s in users.items() if s} == {"common/api.py": {"requests"}}
    loopback = [p for p in DESKTOP.rglob("*.py") if "def is_loopback" in p.read_text(encoding="utf-8")
                or "def _is_loopback" in p.read_text(encoding="utf-8")]
    assert [p.relative_to(DESKTOP).as_posix() for p in loopback] == ["common/api.py"]
