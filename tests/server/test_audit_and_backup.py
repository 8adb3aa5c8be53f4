"""The audit hash chain and backups, through the administrator's commands.

* ``yingyan server verify-audit`` exits 0 on an untouched log, and non-zero naming the
  entry's seq when one byte of one entry was altered in the database (or an entry removed).
* ``yingyan server backup`` while the server is running and ingesting writes a consistent
  copy: restored into a freshly initialised directory (``restore --secrets-from`` the old
  one, since the data key is deliberately not in the backup), the new server holds exactly
  a prefix of the batches, its audit chain verifies, petition identities still open for the
  petition officer, and after the missing batches are resent it serves the same alerts as
  the original. A restore without the matching data key is refused and changes nothing.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.harness import ServerProcess, event
from tests.server.support import (
    create_user,
    evaluation,
    list_all,
    login,
    new_id,
    ok_batch,
    petition,
    run_cli,
    server_from_template,
    sqlite_connect,
    wait_for,
)


@pytest.fixture(scope="module")
def audited(tmp_path_factory: pytest.TempPathFactory, server_template: Path) -> Iterator[ServerProcess]:
    """A server with a few dozen audit entries of different kinds."""
    server = server_from_template(server_template, tmp_path_factory.mktemp("audit") / "data")
    server.start()
    try:
        token = server.setup_basic(("T01", "T02"))["T01"]
        create_user(server, "operator")
        for i in range(5):
            ok_batch(server, "T01", token, [event(f"AU-{i}", "received", "2026-02-26T09:00:00+08:00"),
                                            evaluation(f"AU-{i}", "dissatisfied", "2026-02-26T10:00:00+08:00")])
        alert = server.call("GET", "/alerts").json()["alerts"][0]
        r = server.call("POST", "/mutations", {"mutations": [
            {"id": new_id(), "entity": "alert", "entity_id": alert["id"], "action": "ack", "data": {}}]})
        assert r.json()["results"][0]["status"] == "applied"
        assert server.call("PUT", "/admin/clock", {"now": "2026-03-02T09:00:00+08:00"}).status == 200
        yield server
    finally:
        server.stop()


def verify(server: ServerProcess) -> tuple[int, str]:
    r = run_cli("verify-audit", "--data-dir", str(server.data_dir))
    return r.returncode, r.stdout + r.stderr


def entries(server: ServerProcess) -> int:
    with sqlite_connect(server) as conn:
        return int(conn.execute("SELECT count(*) FROM audit_log").fetchone()[0])


def test_verify_audit_passes_on_the_untouched_log(audited: ServerProcess) -> None:
    code, out = verify(audited)
    assert code == 0, out
    assert re.search(rf"\b{entries(audited)} entries", out), out


@pytest.mark.parametrize("column", ["detail", "actor", "at"])
def test_verify_audit_names_the_altered_entry(audited: ServerProcess, column: str) -> None:
    count = entries(audited)
    seq = count // 2 + {"detail": 0, "actor": 1, "at": 2}[column]
    with sqlite_connect(audited) as conn:
        original = conn.execute(f"SELECT {column} FROM audit_log WHERE seq = ?", (seq,)).fetchone()[0]
        if isinstance(original, int):
            altered: Any = original ^ 1  # one bit of one byte
        else:
            raw = bytearray(original.encode())
            raw[len(raw) // 2] ^= 0x01  # ASCII stays ASCII: one byte changes
            altered = raw.decode()
        assert altered != original
        conn.execute(f"UPDATE audit_log SET {column} = ? WHERE seq = ?", (altered, seq))
        conn.commit()
        try:
            code, out = verify(audited)
            assert code != 0
            assert re.search(rf"\bentry {seq}\b", out), out
        finally:
            conn.execute(f"UPDATE audit_log SET {column} = ? WHERE seq = ?", (original, seq))
            conn.commit()


def test_verify_audit_names_a_removed_entry(audited: ServerProcess) -> None:
    seq = entries(audited) // 3
    with sqlite_connect(audited) as conn:
        row = conn.execute("SELECT * FROM audit_log WHERE seq = ?", (seq,)).fetchone()
        conn.execute("DELETE FROM audit_log WHERE seq = ?", (seq,))
        conn.commit()
        try:
            code, out = verify(audited)
            assert code != 0
            assert re.search(rf"\b{seq}\b", out), out
        finally:
            conn.execute(f"INSERT INTO audit_log VALUES ({', '.join('?' * len(row))})", row)
            conn.commit()
    # Every alteration above was undone: the chain verifies again.
    assert verify(audited)[0] == 0


@pytest.mark.parametrize("removed", [1, 5])
def test_verify_audit_notices_the_newest_entries_removed(audited: ServerProcess, removed: int) -> None:
    """The chain alone cannot tell a truncated log from a short one: the head outside the database can."""
    count = entries(audited)
    with sqlite_connect(audited) as conn:
        rows = conn.execute("SELECT * FROM audit_log WHERE seq > ? ORDER BY seq", (count - removed,)).fetchall()
        conn.execute("DELETE FROM audit_log WHERE seq > ?", (count - removed,))
        conn.commit()
        try:
            code, out = verify(audited)
            assert code != 0
            assert re.search(rf"\bentry {count - removed + 1}\b", out), out
            assert "removed" in out
        finally:
            conn.executemany(f"INSERT INTO audit_log VALUES ({', '.join('?' * len(rows[0]))})", rows)
            conn.commit()
    assert verify(audited)[0] == 0


def test_verify_audit_notices_a_forged_or_missing_head(audited: ServerProcess) -> None:
    head = audited.data_dir / "audit-head.json"
    original = head.read_text()
    try:
        # Moving the head back to hide a truncation needs the data key to sign it.
        head.write_text(original.replace('"seq":', '"seq":1', 1))
        code, out = verify(audited)
        assert code != 0
        assert "signature" in out
        head.unlink()
        code, out = verify(audited)
        assert code != 0
        assert "audit-head.json" in out
    finally:
        head.write_text(original)
    assert verify(audited)[0] == 0


# -- backup and restore ---------------------------------------------------------------------

def batch_records(n: int) -> list[dict[str, Any]]:
    """Records of one loader batch: new cases (some raising alerts), a rating and a petition."""
    recs = []
    for i in range(6):
        no = f"BK-{n:03d}-{i:02d}"
        recs += [event(no, "received", "2026-02-26T09:00:00+08:00", seq=1, actor="S01"),
                 event(no, "accepted", "2026-02-26T09:10:00+08:00", seq=2, actor="S01")]
        if i % 3 == 0:
            recs.append(event(no, "node_completed", "2026-02-26T10:00:00+08:00", seq=3, node="approve",
                              actor="S01"))  # SKIPPED_NODE
    recs.append(evaluation(f"BK-{n:03d}-00", "very_poor", "2026-02-26T12:00:00+08:00"))
    recs.append(petition(receipt_code=f"{8100000000000000 + n}", name=f"张{n}", id_number=f"ID{n:06d}"))
    return recs


def test_backup_while_ingesting_restores_into_a_new_directory(tmp_path: Path, server_template: Path) -> None:
    old = server_from_template(server_template, tmp_path / "old" / "data")
    old.start()
    new = ServerProcess(tmp_path / "new" / "data")
    try:
        token = old.setup_basic()["T01"]
        create_user(old, "petition_officer", username="desk", password="petition desk pw")
        sent: list[dict[str, Any]] = []
        committed: list[str] = []
        backup_done = threading.Event()
        errors: list[BaseException] = []

        def load() -> None:
            # Keep ingesting until the backup is over, and three batches beyond.
            stop_at = 500
            try:
                for n in range(500):
                    if backup_done.is_set():
                        stop_at = min(stop_at, n + 3)
                    if n >= stop_at:
                        return
                    body: dict[str, Any] = {"batch_id": new_id(), "office": "T01", "records": batch_records(n)}
                    sent.append(body)
                    r = old.call("POST", "/batches", body, token=token)
                    assert r.status == 200, r.body[:300]
                    committed.append(body["batch_id"])
            except BaseException as exc:
                errors.append(exc)

        loader = threading.Thread(target=load, daemon=True)
        loader.start()
        wait_for(lambda: len(committed) >= 3, what="the first batches")
        before_backup = len(committed)
        backup = tmp_path / "backup" / "yingyan.db"
        r: Any  # a command's outcome, then the server's answers
        r = run_cli("backup", "--data-dir", str(old.data_dir), "--to", str(backup))
        during = len(committed)
        backup_done.set()
        assert r.returncode == 0, r.stderr
        assert during > before_backup, "no batch was committed while the backup ran"
        loader.join(120)
        assert not errors, errors
        assert len(committed) > during, "ingestion went on after the backup"

        # Restoring onto a fresh directory without the old secrets is refused, and changes nothing.
        new.init()
        fresh = (new.data_dir / "yingyan.db").read_bytes()
        refused = run_cli("restore", "--data-dir", str(new.data_dir), "--from", str(backup))
        assert refused.returncode != 0
        assert "data key" in refused.stderr
        assert "--secrets-from" in refused.stderr
        assert (new.data_dir / "yingyan.db").read_bytes() == fresh

        restored = run_cli("restore", "--data-dir", str(new.data_dir), "--from", str(backup),
                           "--secrets-from", str(old.data_dir))
        assert restored.returncode == 0, restored.stderr
        assert verify(new)[0] == 0
        new.start()

        # A consistent snapshot: every batch is there whole or not at all, and they form a prefix.
        present = [new.call("GET", f"/batches/{b['batch_id']}").status for b in sent]
        assert set(present) <= {200, 404}
        have = present.count(200)
        assert present == [200] * have + [404] * (len(sent) - have)
        assert before_backup <= have <= during
        cases = {c["case_no"] for c in list_all(new, "/approval-cases", "cases")}
        expected = {r["case_no"] for b in sent[:have] for r in b["records"] if r["kind"] == "approval_event"}
        assert cases == expected

        # The old secrets came along: the same admin token, users, and protected identities open.
        assert new.admin_token == old.admin_token
        desk = login(new, "desk", "petition desk pw")
        pet = next(r for r in sent[0]["records"] if r["kind"] == "petition")
        shown = new.call("GET", f"/petitions/{pet['id']}", token=desk).json()
        assert shown["petitioner"] == pet["petitioner"]

        # Replaying what the backup missed brings the new server to the same alerts as the old one.
        for body in sent[have:]:
            r = new.call("POST", "/batches", body, token=token)
            assert r.status == 200
            assert r.json()["imported"] == len(body["records"])

        def alert_set(s: ServerProcess) -> set[tuple[Any, ...]]:
            return {(a["rule"], a["subject"]["type"], a["subject"]["office"],
                     a["subject"].get("case_no") or a["subject"].get("petition_id"), a["node"], a["status"])
                    for a in list_all(s, "/alerts", "alerts")}
        assert alert_set(new) == alert_set(old)
        assert len(alert_set(old)) > 0
    finally:
        old.stop()
        new.stop()


def test_restore_refuses_a_file_that_is_not_a_backup(tmp_path: Path, server_template: Path) -> None:
    server = server_from_template(server_template, tmp_path / "data")
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"this is not a database" * 100)
    before = (server.data_dir / "yingyan.db").read_bytes()
    r = run_cli("restore", "--data-dir", str(server.data_dir), "--from", str(junk))
    assert r.returncode != 0
    assert "Traceback" not in r.stderr
    assert (server.data_dir / "yingyan.db").read_bytes() == before
