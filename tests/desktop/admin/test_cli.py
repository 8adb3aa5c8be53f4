"""``yingyan admin`` driven as an administrator would, against a real server over TLS (issue 16, done-when 1).

Every command runs as a separate process (``python -m shared.cli admin …``) with the server's
data directory or a keyring token, including the bad input: a catalogue sheet with twenty
mistakes (each reported with row, column and reason, nothing changed, then the fixed sheet
imports), a broken calendar file, bad settings, a wrong address, CA and token.
"""

from __future__ import annotations

import os
import stat
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from shared.catalogue_io import read_catalogue
from tests.admin_data import ARRANGEMENT_2027, sheet, write_xlsx
from tests.harness import ROOT, YINGYAN, ServerProcess


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    s = ServerProcess(tmp_path_factory.mktemp("admin-cli") / "data", simulated_clock="2026-12-20T18:00:00+08:00")
    s.init()
    s.start()
    try:
        yield s
    finally:
        s.stop()


def admin(server: ServerProcess, *args: str, stdin: str | None = None, data_dir: bool = True,
          env: dict[str, str] | None = None, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    cmd = [*YINGYAN, "admin", "--server", f"https://127.0.0.1:{server.port}"]
    if data_dir:
        cmd += ["--data-dir", str(server.data_dir)]
    full_env = {**os.environ, "COLUMNS": "200", **(env or {})}
    return subprocess.run([*cmd, *args], input=stdin, capture_output=True, text=True, cwd=cwd or ROOT,
                          env=full_env, timeout=180, check=False)


def ok(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 0, f"exit {result.returncode}\n{result.stdout}\n{result.stderr}"
    return result.stdout


def failed(result: subprocess.CompletedProcess[str], code: int = 1) -> str:
    assert result.returncode == code, f"exit {result.returncode}\n{result.stdout}\n{result.stderr}"
    assert "Traceback" not in result.stderr + result.stdout
    return result.stdout + result.stderr


def test_offices_and_their_tokens(server: ServerProcess, tmp_path: Path) -> None:
    token_file = tmp_path / "T01.token"
    out = ok(admin(server, "office", "add", "T01", "城关镇便民服务中心", "--token-file", str(token_file)))
    assert "written to" in out
    token = token_file.read_text().strip()
    assert len(token) >= 40
    assert token not in out
    assert stat.S_IMODE(token_file.stat().st_mode) == 0o600
    assert server.call("GET", "/auth/me", token=token).json()["role"] == "office"

    ok(admin(server, "office", "add", "C01", "泉州市", "--kind", "centre"))
    printed = ok(admin(server, "office", "add", "T02", "峰尾镇", "--parent", "C01"))
    t02 = printed.strip().splitlines()[-1].strip()
    assert server.call("GET", "/auth/me", token=t02).json()["office"] == "T02"
    listed = ok(admin(server, "office", "list"))
    assert "城关镇便民服务中心" in listed
    assert "峰尾镇" in listed
    assert "3 offices" in listed

    rotated = tmp_path / "T01-new.token"
    ok(admin(server, "office", "token", "T01", "--token-file", str(rotated)))
    assert server.call("GET", "/auth/me", token=token).status == 401
    assert server.call("GET", "/auth/me", token=rotated.read_text().strip()).status == 200

    assert "OFFICE_EXISTS" in failed(admin(server, "office", "add", "T01", "again"))
    assert "NOT_FOUND" in failed(admin(server, "office", "token", "T99"))
    assert "INVALID_REQUEST" in failed(admin(server, "office", "add", "T 03", "空格"))


def test_users_added_listed_disabled_and_reset(server: ServerProcess) -> None:
    out = ok(admin(server, "user", "add", "op1", "--role", "operator", "--display-name", "值班员",
                   "--password-stdin", stdin="first-password-1\n"))
    assert "op1 added (operator)" in out
    login = server.call("POST", "/auth/token", {"username": "op1", "password": "first-password-1"}, token=None)
    assert login.status == 200
    listed = ok(admin(server, "user", "list"))
    assert "值班员" in listed
    assert "operator" in listed

    ok(admin(server, "user", "disable", "op1"))
    assert server.call("GET", "/auth/me", token=login.json()["token"]).status == 401
    assert "disabled" in ok(admin(server, "user", "list"))
    ok(admin(server, "user", "enable", "op1"))

    out = ok(admin(server, "user", "reset-password", "op1", "--password-stdin", stdin="second-password-2\n"))
    assert "password of op1 changed" in out
    assert server.call("POST", "/auth/token", {"username": "op1", "password": "first-password-1"},
                       token=None).status == 401
    assert server.call("POST", "/auth/token", {"username": "op1", "password": "second-password-2"},
                       token=None).status == 200

    # The password is never an argument, and a terminal is needed to ask for it.
    assert failed(admin(server, "user", "add", "op2", "--role", "operator", "--password", "x"), 2)
    assert "--password-stdin" in failed(admin(server, "user", "add", "op2", "--role", "operator", stdin=""), 2)
    assert "at least 8" in failed(admin(server, "user", "add", "op2", "--role", "operator", "--password-stdin",
                                        stdin="short\n"))
    assert "invalid choice" in failed(admin(server, "user", "add", "op2", "--role", "boss"), 2)
    assert "LAST_ADMIN" in failed(admin(server, "user", "disable", "admin"))
    assert "NOT_FOUND" in failed(admin(server, "user", "disable", "nobody"))


def test_catalogue_with_twenty_mistakes_then_fixed(server: ServerProcess, tmp_path: Path) -> None:
    before = server.call("GET", "/catalogue").json()
    rows, expected = sheet(broken=True)
    bad = write_xlsx(tmp_path / "catalogue-bad.xlsx", rows)
    out = failed(admin(server, "catalogue", "import", str(bad)))
    assert "20 problem(s)" in out
    lines = out.splitlines()
    for row, column, words in expected:
        assert any(f"│ {row} " in line and column in line and words in line for line in lines), \
            f"row {row}, column {column}, {words!r} not reported:\n{out}"
    assert "nothing was changed" in out
    assert server.call("GET", "/catalogue").json() == before

    good_rows, _ = sheet(broken=False)
    good = write_xlsx(tmp_path / "catalogue.xlsx", good_rows)
    out = ok(admin(server, "catalogue", "import", str(good), "--dry-run"))
    assert "20 new, 0 changed" in out
    assert "nothing was changed" in out
    assert server.call("GET", "/catalogue").json() == before
    out = ok(admin(server, "catalogue", "import", str(good)))
    assert "imported 20 items" in out
    after = server.call("GET", "/catalogue").json()
    assert {i["code"] for i in after["items"]} >= {"GOOD-01", "BAD-01", "BAD-19"}
    assert after["version"] == before["version"] + 1

    for suffix in (".xlsx", ".csv", ".json"):
        target = tmp_path / f"export{suffix}"
        assert "wrote" in ok(admin(server, "catalogue", "export", str(target)))
        assert len(read_catalogue(target).items) == len(after["items"])
    again = ok(admin(server, "catalogue", "import", str(tmp_path / "export.csv"), "--dry-run"))
    assert f"0 new, 0 changed, {len(after['items'])} unchanged" in again

    (tmp_path / "notes.doc").write_bytes(b"\xd0\xcf\x11\xe0")
    assert "read .xlsx" in failed(admin(server, "catalogue", "import", str(tmp_path / "notes.doc")))
    assert "cannot read" in failed(admin(server, "catalogue", "import", str(tmp_path / "absent.xlsx")))
    (tmp_path / "garbage.xlsx").write_bytes(b"PK\x03\x04 not really")
    assert "not a readable workbook" in failed(admin(server, "catalogue", "import", str(tmp_path / "garbage.xlsx")))
    assert "give a catalogue file" in failed(admin(server, "catalogue", "import"), 2)
    assert "export to .xlsx" in failed(admin(server, "catalogue", "export", str(tmp_path / "x.pdf")), 2)


def test_calendar_import_and_show(server: ServerProcess, tmp_path: Path) -> None:
    shown = admin(server, "calendar", "show", "2027")
    ok(shown)
    assert "NOT LOADED" in shown.stdout
    assert "the holidays of 2027 are not loaded" in shown.stderr

    broken = tmp_path / "bad-2027.txt"
    broken.write_text("2027-01-01..2027-01-03 holiday 元旦\n2027-02-30 休\n2027-01-04 班\n")
    out = failed(admin(server, "calendar", "import", str(broken)))
    assert "│ 2 " in out
    assert "not a date" in out
    assert "working day already" in out
    assert server.call("GET", "/calendar/2027").json()["source"] == "weekdays"

    good = tmp_path / "2027.txt"
    good.write_text(ARRANGEMENT_2027, encoding="utf-8")
    assert "dry run" in ok(admin(server, "calendar", "import", str(good), "--dry-run"))
    out = ok(admin(server, "calendar", "import", str(good)))
    assert "loaded 2027" in out
    assert "cases evaluated again" in out
    shown = admin(server, "calendar", "show", "2027")
    text = ok(shown)
    assert "loaded by an administrator" in text
    assert "2027-02-06 Sat – 2027-02-12 Fri: 7 days off" in text
    assert "02-13 Sat 班" in text
    assert "not loaded" not in shown.stderr
    assert "NOT_FOUND" not in text


def test_cameras(server: ServerProcess) -> None:
    ok(admin(server, "camera", "add", "cam-01", "--name", "城关镇 1 号窗口", "--office", "T01",
             "--main-url", "rtsp://user:secret@10.0.0.5/main", "--sub-url", "rtsp://user:secret@10.0.0.5/sub"))
    listed = ok(admin(server, "camera", "list"))
    assert "城关镇 1 号窗口" in listed
    assert "secret" not in listed
    assert "a stream URL starts with" in failed(admin(server, "camera", "add", "cam-02", "--name", "x",
                                                      "--main-url", "javascript:alert(1)"))
    ok(admin(server, "camera", "remove", "cam-01"))
    assert "0 cameras" in ok(admin(server, "camera", "list"))
    assert "NOT_FOUND" in failed(admin(server, "camera", "remove", "cam-01"))


def test_settings_get_and_set(server: ServerProcess) -> None:
    out = ok(admin(server, "settings", "get"))
    for name in ("risk-index", "office-silent", "calendar-warning"):
        assert name in out
    out = ok(admin(server, "settings", "set", "risk-index", "red_alert=-12", "green_from=88"))
    assert "red_alert: -10 → -12" in out
    assert "green_from: 85 → 88" in out
    value = server.call("GET", "/admin/settings/risk-index").json()["value"]
    assert (value["red_alert"], value["green_from"], value["yellow_from"]) == (-12, 88, 70)
    assert "changed by admin" in ok(admin(server, "settings", "get", "risk-index"))
    assert "valid integer" in failed(admin(server, "settings", "set", "office-silent", "hours=many"), 2)
    assert "not a field" in failed(admin(server, "settings", "set", "office-silent", "hourz=3"), 2)
    assert "must not exceed" in failed(admin(server, "settings", "set", "risk-index", "yellow_from=99"), 2)
    assert "NOT_FOUND" in failed(admin(server, "settings", "set", "no-such", "x=1"))
    assert server.call("GET", "/admin/settings/risk-index").json()["value"] == value


def test_audit_shows_who_what_when_and_verifies(server: ServerProcess) -> None:
    ok(admin(server, "settings", "set", "office-silent", "hours=30"))
    out = ok(admin(server, "audit", "--entity", "setting", "--limit", "5"))
    assert "settings.put" in out
    assert "hours: 24 → 30" in out
    assert "audit log intact" in out


def test_sign_in_with_the_keyring_and_clear_errors(server: ServerProcess, tmp_path: Path) -> None:
    keyring_env = {"PYTHON_KEYRING_BACKEND": "tests.desktop.console.mock_keyring.MockOSKeyring",
                   "YINGYAN_TEST_KEYRING_FILE": str(tmp_path / "keyring.json")}
    ca = ["--ca", str(server.ca_file)]
    assert "no administrator token" in failed(admin(server, *ca, "user", "list", data_dir=False, env=keyring_env))

    ok(admin(server, "user", "add", "boss", "--role", "admin", "--password-stdin", stdin="boss-password-1\n"))
    ok(admin(server, "user", "add", "lead", "--role", "leader", "--password-stdin", stdin="lead-password-1\n"))
    out = ok(admin(server, *ca, "--user", "boss", "login", "--password-stdin", data_dir=False, env=keyring_env,
                   stdin="boss-password-1\n"))
    assert "kept in the OS keyring" in out
    assert f"127.0.0.1:{server.port}|boss" in (tmp_path / "keyring.json").read_text()
    assert "boss" in ok(admin(server, *ca, "user", "list", data_dir=False, env=keyring_env))
    assert "not an administrator" in failed(admin(server, *ca, "--user", "lead", "login", "--password-stdin",
                                                  data_dir=False, env=keyring_env, stdin="lead-password-1\n"))

    # A token the server no longer accepts (the user was disabled): said, with what to do.
    ok(admin(server, "user", "disable", "boss"))
    assert "refused the token" in failed(admin(server, *ca, "user", "list", data_dir=False, env=keyring_env))

    # Wrong address, wrong CA, wrong scheme, missing CA file, not a data directory.
    wrong_port = subprocess.run([*YINGYAN, "admin", "--server", "https://127.0.0.1:9", "--data-dir",
                                 str(server.data_dir), "user", "list"], capture_output=True, text=True, cwd=ROOT,
                                timeout=120, check=False)
    assert "cannot reach the server at https://127.0.0.1:9" in failed(wrong_port)
    other_ca = tmp_path / "other-ca.pem"
    other = ServerProcess(tmp_path / "other")
    other.init()
    other_ca.write_bytes(other.ca_file.read_bytes())
    assert "certificate was not accepted" in failed(admin(server, "--ca", str(other_ca), "user", "list"))
    plain = subprocess.run([*YINGYAN, "admin", "--server", "http://sync.example:8443", "--data-dir",
                            str(server.data_dir), "user", "list"], capture_output=True, text=True, cwd=ROOT,
                           timeout=120, check=False)
    assert "over HTTPS" in failed(plain, 2)
    assert "does not exist" in failed(admin(server, "--ca", str(tmp_path / "none.pem"), "user", "list"))
    assert "not a server data directory" in failed(admin(server, "--data-dir", str(tmp_path), "user", "list"))
