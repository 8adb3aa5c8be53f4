"""The wall's cameras and alerts, read with the one client from a small HTTPS server speaking the protocol's shapes."""

from __future__ import annotations

import json
import ssl
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from desktop.common.api import ApiError
from desktop.video.api import active_alerts, cameras, wall_client
from tests.desktop.tls import make_certificates

TOKEN = "t0ken-for-tests"
CAMERAS = [{"id": f"c{i}", "name": f"窗口{i}", "office": "T03", "window": str(i),
            "main_url": f"rtsp://admin:pw@10.0.0.{i}/main", "sub_url": None, "enabled": True} for i in range(5)]
ALERTS = [{"id": "A1", "rule": "overdue", "severity": "red", "status": "open", "condition_cleared": False,
           "subject": {"type": "case", "office": "T03", "case_no": "2026-0000001"}, "node": None,
           "raised_at": "2026-03-03T10:00:00+08:00", "as_of": "2026-03-03T10:00:00+08:00", "message": "m",
           "evidence": {"window": "2"}}]


class Handler(BaseHTTPRequestHandler):
    seen: list[dict[str, Any]] = []  # noqa: RUF012

    def log_message(self, *args: Any) -> None:
        pass

    def _send(self, status: int, body: Any) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self) -> None:
        url = urlsplit(self.path)
        query = {k: v[0] for k, v in parse_qs(url.query).items()}
        Handler.seen.append({"path": url.path, "query": query, "auth": self.headers.get("Authorization")})
        if self.headers.get("Authorization") != f"Bearer {TOKEN}":
            self._send(401, {"error": {"code": "UNAUTHORIZED", "message": "no or bad token"}})
        elif url.path == "/api/v1/cameras":
            # Two pages, to follow the cursor.
            if query.get("cursor") == "p2":
                self._send(200, {"cameras": CAMERAS[3:], "next": None})
            else:
                self._send(200, {"cameras": CAMERAS[:3], "next": "p2"})
        elif url.path == "/api/v1/alerts":
            self._send(200, {"alerts": ALERTS, "next": None})
        else:
            self._send(404, {"error": {"code": "NOT_FOUND", "message": "unknown"}})


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    ca, cert, key = make_certificates(tmp_path)
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    httpd.socket = context.wrap_socket(httpd.socket, server_side=True)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    Handler.seen = []
    yield f"https://127.0.0.1:{httpd.server_address[1]}", ca
    httpd.shutdown()
    httpd.server_close()


def test_cameras_are_read_over_verified_https_following_cursors(server: tuple[str, Path]) -> None:
    url, ca = server
    cams = cameras(wall_client(url, TOKEN, str(ca)))
    assert [c.id for c in cams] == ["c0", "c1", "c2", "c3", "c4"]
    assert cams[2].main_url.startswith("rtsp://")
    assert all(s["auth"] == f"Bearer {TOKEN}" for s in Handler.seen)
    assert [s["query"].get("cursor") for s in Handler.seen] == [None, "p2"]


def test_active_alerts_are_asked_for_with_active_true(server: tuple[str, Path]) -> None:
    url, ca = server
    alerts = active_alerts(wall_client(url, TOKEN, str(ca)))
    assert [(a.id, a.office, a.window, a.case_no) for a in alerts] == [("A1", "T03", "2", "2026-0000001")]
    assert Handler.seen[-1]["query"]["active"] == "true"


def test_a_server_not_signed_by_the_ca_is_refused(server: tuple[str, Path], tmp_path: Path) -> None:
    url, _ = server
    (tmp_path / "other").mkdir()
    other_ca, _, _ = make_certificates(tmp_path / "other")
    with pytest.raises(ApiError) as info:
        cameras(wall_client(url, TOKEN, str(other_ca)))
    assert (info.value.status, info.value.code) == (0, "TLS_UNTRUSTED")
    assert "certificate" in info.value.message
    assert Handler.seen == []  # nothing was asked of a server the CA does not vouch for


def test_errors_carry_the_protocol_code(server: tuple[str, Path]) -> None:
    url, ca = server
    with pytest.raises(ApiError) as info:
        cameras(wall_client(url, "wrong", str(ca)))
    assert info.value.status == 401
    assert info.value.code == "UNAUTHORIZED"


def test_plain_http_only_on_loopback() -> None:
    with pytest.raises(ValueError, match="HTTPS"):
        wall_client("http://supervision.example:8443", TOKEN)
    wall_client("http://127.0.0.1:8443", TOKEN)  # development on loopback is allowed
