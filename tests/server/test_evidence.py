"""Evidence blobs (spec 06 §1) through a real server: stored by their hash, streamed, never
changed; an interrupted upload leaves nothing; ``verify-evidence`` names a tampered file;
backups carry the evidence and a restore brings it back.
"""

from __future__ import annotations

import hashlib
import os
import socket
import ssl
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.harness import ROOT, YINGYAN, ServerProcess
from tests.server.support import (
    assert_error,
    create_user,
    header,
    mutate,
    new_id,
    server_from_template,
    upload,
    wait_for,
)

MiB = 1024 * 1024


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory, server_template: Path) -> Iterator[dict[str, Any]]:
    server = server_from_template(server_template, tmp_path_factory.mktemp("evidence") / "data")
    server.start()
    try:
        tokens: dict[str, str] = {"admin": "admin"}
        tokens.update(server.setup_basic(("T01",)))
        for role, name in (("investigator", "li"), ("investigator", "zhao"), ("leader", "chen"),
                           ("operator", "op"), ("petition_officer", "xf")):
            tokens[name] = create_user(server, role, username=name)
        yield {"server": server, "tokens": tokens}
    finally:
        server.stop()


def blob_file(server: ServerProcess, sha: str) -> Path:
    return server.data_dir / "evidence" / sha[:2] / sha[2:4] / sha


def parts(server: ServerProcess) -> list[Path]:
    tmp = server.data_dir / "evidence" / "tmp"
    return list(tmp.glob("*.part")) if tmp.is_dir() else []


def put(server: ServerProcess, token: str, data: bytes, claim: str | None = None) -> Any:
    return server.call("PUT", f"/evidence/{claim or hashlib.sha256(data).hexdigest()}", raw=data, token=token,
                       headers={"Content-Type": "application/octet-stream"})


def test_stored_by_hash_once_and_never_changed(world: dict[str, Any]) -> None:
    server, tokens = world["server"], world["tokens"]
    data = "调查报告 — 证据 ".encode() * 1000
    sha = hashlib.sha256(data).hexdigest()
    first = put(server, tokens["li"], data)
    assert (first.status, first.json()) == (201, {"sha256": sha, "size": len(data), "created": True})
    path = blob_file(server, sha)
    assert path.read_bytes() == data
    stat = path.stat()
    assert stat.st_mode & 0o222 == 0, "a stored blob is read-only"
    again = put(server, tokens["op"], data)
    assert (again.status, again.json()["created"]) == (200, False)
    assert (path.stat().st_ino, path.stat().st_mtime_ns) == (stat.st_ino, stat.st_mtime_ns), "untouched"
    # Upper-case hex names the same blob.
    assert put(server, tokens["li"], data, claim=sha.upper()).status == 200


def test_a_body_that_is_not_its_hash_is_refused_and_nothing_is_stored(world: dict[str, Any]) -> None:
    server, tokens = world["server"], world["tokens"]
    claim = hashlib.sha256(b"what the client meant").hexdigest()
    assert_error(put(server, tokens["li"], b"what arrived", claim=claim), 400, "HASH_MISMATCH")
    assert not blob_file(server, claim).exists()
    assert not blob_file(server, hashlib.sha256(b"what arrived").hexdigest()).exists()
    assert parts(server) == []
    for bad in ("abc", "g" * 64, "a" * 63, "a" * 65, "../../../etc/passwd"):
        r = server.call("PUT", f"/evidence/{bad}", raw=b"x", token=tokens["li"],
                        headers={"Content-Type": "application/octet-stream"})
        assert r.status in (400, 404), (bad, r.status)
    # Empty body: its hash is the empty string's, and it is a file like any other.
    assert put(server, tokens["li"], b"").status in (200, 201)


def test_who_may_upload(world: dict[str, Any]) -> None:
    server, tokens = world["server"], world["tokens"]
    data = b"role check " + new_id().encode()
    for who in ("chen", "T01"):
        assert_error(put(server, tokens[who], data), 403, "FORBIDDEN")
    assert put(server, "admin", data).status == 201
    for who in ("li", "op", "xf"):
        assert put(server, tokens[who], data).status == 200
    assert server.call("PUT", f"/evidence/{hashlib.sha256(data).hexdigest()}", raw=data, token=None).status == 401


def test_who_may_read(world: dict[str, Any]) -> None:
    server, tokens = world["server"], world["tokens"]
    data = "初核报告 ".encode() * 300 + new_id().encode()
    sha = upload(server, tokens["op"], data)
    # The uploader reads it back, with the hash to check it against.
    r = server.call("GET", f"/evidence/{sha}", token=tokens["op"])
    assert (r.status, r.body, header(r, "X-Content-SHA256")) == (200, data, sha)
    for who in ("li", "zhao", "chen", "xf", "T01"):
        assert_error(server.call("GET", f"/evidence/{sha}", token=tokens[who]), 404, "NOT_FOUND")
    # Attached to a case: its people (and those who see every case) may read it; nobody else.
    cid = new_id()
    assert mutate(server, tokens["li"], "investigation", cid, "create",
                  {"title": "证据读取", "subject": {"name": "某"}})["status"] == "applied"
    assert mutate(server, tokens["li"], "investigation", cid, "attach",
                  {"sha256": sha, "filename": "初核报告.pdf", "kind": "preliminary_report"})["status"] == "applied"
    for who, status in (("li", 200), ("chen", 200), ("admin", 200), ("zhao", 404), ("xf", 404), ("T01", 404)):
        assert server.call("GET", f"/evidence/{sha}", token=tokens[who]).status == status, who
    assert server.call("GET", f"/evidence/{'0' * 64}").status == 404
    assert server.call("GET", "/evidence/nothex").status == 404


def _raw_upload(server: ServerProcess, token: str, sha: str, declared: int, send: bytes) -> ssl.SSLSocket:
    """Start a PUT that declares ``declared`` bytes and sends only ``send`` (the socket stays open)."""
    ctx = server.ssl_context()
    sock = ctx.wrap_socket(socket.create_connection(("127.0.0.1", server.port)), server_hostname="127.0.0.1")
    head = (f"PUT /api/v1/evidence/{sha} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {token}\r\n"
            f"Content-Type: application/octet-stream\r\nContent-Length: {declared}\r\n\r\n").encode()
    sock.sendall(head + send)
    return sock


def test_an_interrupted_upload_leaves_no_blob_and_no_partial_file(world: dict[str, Any]) -> None:
    server, tokens = world["server"], world["tokens"]
    whole = os.urandom(8 * MiB)
    sha = hashlib.sha256(whole).hexdigest()
    sock = _raw_upload(server, tokens["li"], sha, len(whole), whole[: 3 * MiB])
    # The body goes to a temporary file as it arrives (not into memory) ...
    wait_for(lambda: any(p.stat().st_size > 0 for p in parts(server)), what="the partial upload on disk")
    sock.close()  # ... and the client goes away half-way.
    wait_for(lambda: not parts(server), what="the partial file removed")
    assert not blob_file(server, sha).exists()
    assert server.call("GET", f"/evidence/{sha}", token=tokens["li"]).status == 404
    # The same upload, whole, succeeds afterwards.
    assert put(server, tokens["li"], whole).status == 201


def test_a_crash_mid_upload_leaves_no_partial_file_after_restart(tmp_path: Path, server_template: Path) -> None:
    server = server_from_template(server_template, tmp_path / "data")
    server.start()
    try:
        whole = os.urandom(4 * MiB)
        sha = hashlib.sha256(whole).hexdigest()
        sock = _raw_upload(server, server.admin_token, sha, len(whole), whole[: MiB])
        wait_for(lambda: parts(server), what="the partial upload on disk")
        server.kill()
        sock.close()
        assert parts(server), "the killed server could not clean up"
        server.start()
        assert not parts(server)
        assert not blob_file(server, sha).exists()
    finally:
        server.stop()


def test_100_mib_streams_in_and_out_and_one_byte_more_is_refused(world: dict[str, Any]) -> None:
    server, tokens = world["server"], world["tokens"]
    big = os.urandom(MiB) * 100
    sha = hashlib.sha256(big).hexdigest()
    r = put(server, tokens["li"], big)
    assert (r.status, r.json()["size"]) == (201, 100 * MiB)
    got = server.call("GET", f"/evidence/{sha}", token=tokens["li"])
    assert header(got, "X-Content-SHA256") == sha
    assert hashlib.sha256(got.body).hexdigest() == sha
    del got
    over = big + b"!"
    r = put(server, tokens["li"], over)
    assert_error(r, 413, "TOO_LARGE")
    assert not blob_file(server, hashlib.sha256(over).hexdigest()).exists()
    assert parts(server) == []


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*YINGYAN, "server", *args], capture_output=True, text=True, cwd=ROOT, timeout=300)


def test_verify_evidence_names_a_tampered_and_a_missing_file(tmp_path: Path, server_template: Path) -> None:
    server = server_from_template(server_template, tmp_path / "data")
    server.start()
    try:
        shas = [upload(server, "admin", f"证据 {i} ".encode() * 400) for i in range(3)]
        cid = new_id()
        assert mutate(server, "admin", "investigation", cid, "create",
                      {"title": "篡改检测", "subject": {"name": "某"}})["status"] == "applied"
        for sha in shas:
            assert mutate(server, "admin", "investigation", cid, "attach",
                          {"sha256": sha, "filename": f"{sha[:6]}.pdf", "kind": "other"})["status"] == "applied"
    finally:
        server.stop()
    ok = run_cli("verify-evidence", "--data-dir", str(server.data_dir))
    assert ok.returncode == 0, ok.stderr
    assert "3 files" in ok.stdout
    # One byte flipped in a stored blob.
    victim = blob_file(server, shas[1])
    content = bytearray(victim.read_bytes())
    content[100] ^= 0x01
    os.chmod(victim, 0o644)
    victim.write_bytes(bytes(content))
    broken = run_cli("verify-evidence", "--data-dir", str(server.data_dir))
    assert broken.returncode != 0
    assert str(victim) in broken.stderr
    assert "MISMATCH" in broken.stderr
    assert shas[0] not in broken.stderr, "only the tampered file is named"
    assert shas[2] not in broken.stderr, "only the tampered file is named"
    # An attached blob gone missing is named too.
    blob_file(server, shas[2]).unlink()
    gone = run_cli("verify-evidence", "--data-dir", str(server.data_dir))
    assert gone.returncode != 0
    assert shas[2] in gone.stderr
    assert "MISSING" in gone.stderr


def test_backup_carries_the_evidence_and_restore_brings_it_back(tmp_path: Path, server_template: Path) -> None:
    old = server_from_template(server_template, tmp_path / "old")
    old.start()
    try:
        data = "执行记录 ".encode() * 2000
        sha = upload(old, "admin", data)
        cid = new_id()
        assert mutate(old, "admin", "investigation", cid, "create",
                      {"title": "备份", "subject": {"name": "某"}})["status"] == "applied"
        assert mutate(old, "admin", "investigation", cid, "attach",
                      {"sha256": sha, "filename": "执行记录.pdf", "kind": "execution_record"})["status"] == "applied"
        backup = tmp_path / "backup" / "yingyan.db"
        made = run_cli("backup", "--data-dir", str(old.data_dir), "--to", str(backup))
        assert made.returncode == 0, made.stderr
    finally:
        old.stop()
    copy = backup.with_name("yingyan.db.evidence") / sha[:2] / sha[2:4] / sha
    assert copy.read_bytes() == data

    new = ServerProcess(tmp_path / "new")
    new.init()
    # A backup whose evidence was damaged is refused before the database is replaced.
    os.chmod(copy, 0o644)
    copy.write_bytes(data[:-1] + b"X")
    refused = run_cli("restore", "--data-dir", str(new.data_dir), "--from", str(backup), "--secrets-from",
                      str(old.data_dir))
    assert refused.returncode != 0
    assert str(copy) in refused.stderr
    assert not blob_file(new, sha).exists()
    copy.write_bytes(data)
    restored = run_cli("restore", "--data-dir", str(new.data_dir), "--from", str(backup), "--secrets-from",
                       str(old.data_dir))
    assert restored.returncode == 0, restored.stderr
    new.start()
    try:
        r = new.call("GET", f"/evidence/{sha}")
        assert (r.status, r.body) == (200, data)
        case = new.call("GET", f"/investigations/{cid}").json()
        assert case["evidence"][0]["sha256"] == sha
    finally:
        new.stop()
    assert run_cli("verify-evidence", "--data-dir", str(new.data_dir)).returncode == 0
