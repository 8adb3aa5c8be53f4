"""Login: the token goes to the OS keyring (never a file or the command line); TLS is always checked."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from desktop.township import outbox as ob
from tests.desktop.township.conftest import Office, SyncEnv
from tests.desktop.township.mock_keyring import FILE_ENV
from tests.harness import ROOT, ServerProcess


def test_token_is_kept_in_the_keyring_only(sync_env: SyncEnv, server: ServerProcess, office: Office) -> None:
    r = sync_env.run("login", "--server", f"https://127.0.0.1:{server.port}", "--office", office.code,
                     "--ca", str(server.ca_file), stdin=office.token + "\n")
    assert r.returncode == 0, r.stderr
    ring = json.loads(Path(sync_env.env[FILE_ENV]).read_text())
    assert office.token in ring.values()
    for f in sync_env.home.rglob("*"):
        if f.is_file():
            assert office.token.encode() not in f.read_bytes(), f"token written to {f}"
    r = sync_env.run("status", "--json")
    assert json.loads(r.stdout)["office"] == office.code


def test_a_wrong_token_or_office_is_refused_at_login(sync_env: SyncEnv, server: ServerProcess,
                                                      office: Office) -> None:
    base = ["login", "--server", f"https://127.0.0.1:{server.port}", "--ca", str(server.ca_file)]
    r = sync_env.run(*base, "--office", office.code, stdin="not-the-token\n")
    assert r.returncode == 4
    assert "login" in r.stderr
    r = sync_env.run(*base, "--office", "T99", stdin=office.token + "\n")
    assert r.returncode == 4
    assert "FOREIGN_OFFICE" in r.stderr
    assert not Path(sync_env.env[FILE_ENV]).exists()


def test_a_server_not_signed_by_the_configured_ca_is_refused(sync_env: SyncEnv, server: ServerProcess,
                                                              office: Office, tmp_path: Path) -> None:
    import datetime as dt

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(x509.NameOID.COMMON_NAME, "someone else's CA")])
    now = dt.datetime.now(dt.UTC)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(1).not_valid_before(now).not_valid_after(now + dt.timedelta(days=1))
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True).sign(key, hashes.SHA256()))
    other_ca = tmp_path / "other-ca.pem"
    other_ca.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    r = sync_env.run("login", "--server", f"https://127.0.0.1:{server.port}", "--office", office.code,
                     "--ca", str(other_ca), stdin=office.token + "\n")
    assert r.returncode == 4
    assert "certificate" in r.stderr


def test_there_is_no_way_to_pass_the_token_as_an_argument(sync_env: SyncEnv) -> None:
    r = sync_env.run("login", "--server", "https://x", "--office", "T01", "--token", "abc")
    assert r.returncode == 2
    assert "unrecognized arguments" in r.stderr


def _without_keyring(env: dict[str, str]) -> dict[str, str]:
    """The agent as on a Linux server: the real keyring library, no desktop session."""
    bare = {k: v for k, v in env.items() if k not in ("PYTHON_KEYRING_BACKEND", "DBUS_SESSION_BUS_ADDRESS")}
    bare["XDG_CONFIG_HOME"] = str(Path(env["YINGYAN_SYNC_HOME"]) / "config")  # no keyringrc.cfg of the machine
    return bare


def test_login_without_a_secret_service_says_what_to_do_before_asking_for_the_token(sync_env: SyncEnv) -> None:
    args = [sys.executable, "-m", "shared.cli", "sync", "login", "--server", "https://127.0.0.1:9", "--office", "T99"]
    r = subprocess.run(args, input="", text=True, capture_output=True, cwd=ROOT, env=_without_keyring(sync_env.env),
                       timeout=60)
    assert r.returncode == 2, r.stdout + r.stderr
    # Said before the token is asked for (the clerk would type it in vain), and said plainly:
    # no D-Bus session, what to run instead — never the keyring library's "install keyrings.alt".
    assert "no token given" not in r.stderr
    assert "Secret Service" in r.stderr
    assert "D-Bus session" in r.stderr
    assert "dbus-run-session" in r.stderr
    assert "gnome-keyring" in r.stderr
    assert "docs/sync-agent.md" in r.stderr
    assert "keyrings.alt" not in r.stderr
    assert "Traceback" not in r.stderr
    # A push (logged in on a desktop, run later from a service) says the same, not "cannot read
    # the OS keyring (No recommended backend …)".
    with ob.Outbox(sync_env.home) as box:
        box.set("server", "https://127.0.0.1:9")
        box.set("office", "T99")
    r = subprocess.run([*args[:4], "push"], text=True, capture_output=True, cwd=ROOT,
                       env=_without_keyring(sync_env.env), timeout=60)
    assert r.returncode == 2, r.stdout + r.stderr
    assert "dbus-run-session" in r.stderr
    assert "keyrings.alt" not in r.stderr


@pytest.mark.skipif(shutil.which("dbus-run-session") is None, reason="needs dbus-run-session (package dbus)")
def test_login_in_a_dbus_session_without_a_secret_service_names_the_missing_daemon(sync_env: SyncEnv) -> None:
    args = ["dbus-run-session", "--", sys.executable, "-m", "shared.cli", "sync", "login", "--server",
            "https://127.0.0.1:9", "--office", "T99"]
    r = subprocess.run(args, input="", text=True, capture_output=True, cwd=ROOT, env=_without_keyring(sync_env.env),
                       timeout=60)
    assert r.returncode == 2, r.stdout + r.stderr
    assert "no Secret Service is running" in r.stderr
    assert "gnome-keyring-daemon" in r.stderr
    assert "no token given" not in r.stderr
