"""A newcomer follows docs/admin/server.md on a fresh data directory (issue 16, done-when 4).

The guide's shell blocks marked ``<!-- doc-test: run -->`` run as written, in order, in
``bash -euo pipefail`` with only the guide's own variables set to a scratch directory and a
free port (``DATA``, ``PORT``, ``BACKUPS``: the first block gives them defaults, so the
values here replace only those); the block marked ``serve`` runs in the background as the
server, and ``password`` blocks run on a terminal that answers the password prompts. Blocks
that need root (apt, systemd, adduser) are not marked and are not run. At the end the
server has one office, one operator and an imported catalogue, and the restore drill passed.
"""

from __future__ import annotations

import os
import pty
import re
import select
import signal
import subprocess
import sys
import time
from pathlib import Path

from tests.harness import ROOT, ServerProcess, free_port

GUIDE = ROOT / "docs" / "admin" / "server.md"
BLOCK = re.compile(r"<!-- doc-test: ([a-z, ]+) -->\n```sh\n(.*?)```", re.S)
PASSWORD = "operator-password-1"


def blocks() -> list[tuple[set[str], str]]:
    return [({m.strip() for m in marks.split(",")}, body) for marks, body in BLOCK.findall(GUIDE.read_text())]


def run_on_terminal(script: str, env: dict[str, str], cwd: Path, timeout: float = 300) -> tuple[int, str]:
    """Run ``script`` with a pseudo-terminal as its terminal, typing the password at each prompt."""
    pid, fd = pty.fork()
    if pid == 0:  # the child: bash on the terminal
        os.chdir(cwd)
        os.execvpe("bash", ["bash", "-euo", "pipefail", "-c", script], env)
    output = b""
    answered = 0
    deadline = time.monotonic() + timeout
    try:
        while time.monotonic() < deadline:
            ready, _, _ = select.select([fd], [], [], 0.5)
            if not ready:
                if os.waitpid(pid, os.WNOHANG)[0]:
                    break
                continue
            try:
                chunk = os.read(fd, 4096)
            except OSError:  # EIO: the child closed the terminal
                break
            if not chunk:
                break
            output += chunk
            if re.search(rb"[Pp]assword( again)?: $", output[answered:]):
                os.write(fd, PASSWORD.encode() + b"\n")
                answered = len(output)
        else:
            os.kill(pid, signal.SIGKILL)
            raise AssertionError(f"timed out:\n{output.decode(errors='replace')}")
        _, status = os.waitpid(pid, 0)
    finally:
        os.close(fd)
    return os.waitstatus_to_exitcode(status), output.decode(errors="replace")


def test_the_server_guide_as_written(tmp_path: Path) -> None:
    found = blocks()
    assert [m for m, _ in found].count({"serve"}) == 1
    assert sum("run" in m for m, _ in found) >= 8
    port = free_port()
    work = tmp_path / "work"
    work.mkdir()
    env = {**os.environ, "DATA": str(tmp_path / "srv" / "yingyan"), "PORT": str(port),
           "BACKUPS": str(tmp_path / "backups"), "PATH": f"{Path(sys.executable).parent}:{os.environ['PATH']}",
           "HOME": str(tmp_path / "home"), "COLUMNS": "160"}
    (tmp_path / "home").mkdir()
    variables = found[0][1]
    server: subprocess.Popen[bytes] | None = None
    log = open(tmp_path / "serve.log", "wb")  # noqa: SIM115 - the server process writes it
    transcript = []
    try:
        for marks, body in found:
            script = variables + "\n" + body
            if "serve" in marks:
                server = subprocess.Popen(["bash", "-euo", "pipefail", "-c", script], cwd=work, env=env,
                                          stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
                probe = ServerProcess(Path(env["DATA"]), port=port)
                deadline = time.monotonic() + 60
                while True:
                    try:
                        if probe.call("GET", "/health", token=None).status == 200:
                            break
                    except OSError:
                        pass
                    assert server.poll() is None, (tmp_path / "serve.log").read_text()
                    assert time.monotonic() < deadline, "the guide's server did not become healthy"
                    time.sleep(0.2)
                continue
            if "password" in marks:
                code, out = run_on_terminal(script, env, work)
            else:
                done = subprocess.run(["bash", "-euo", "pipefail", "-c", script], cwd=work, env=env,
                                      capture_output=True, text=True, timeout=600, check=False)
                code, out = done.returncode, done.stdout + done.stderr
            transcript.append(f"$ {body.strip()}\n{out}")
            assert code == 0, "a command of the guide failed:\n" + "\n".join(transcript)

        # What the newcomer has now: one office, one operator, an imported catalogue.
        probe = ServerProcess(Path(env["DATA"]), port=port)
        offices = probe.call("GET", "/offices").json()["offices"]
        assert [o["code"] for o in offices] == ["T01"]
        users = {u["username"]: u["role"] for u in probe.call("GET", "/users").json()["users"]}
        assert users == {"admin": "admin", "op1": "operator"}
        assert probe.call("POST", "/auth/token", {"username": "op1", "password": PASSWORD},
                          token=None).status == 200
        catalogue = probe.call("GET", "/catalogue").json()
        assert len(catalogue["items"]) > 1000
        assert catalogue["version"] == 2  # the demo, then the edited template
        token = (work / "T01.token").read_text().strip()
        assert probe.call("GET", "/auth/me", token=token).json()["office"] == "T01"
        text = "\n".join(transcript)
        assert "audit log intact" in text  # the restore drill's check
        assert "Next steps:" in text  # what init told the newcomer
    finally:
        if server is not None and server.poll() is None:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(60)
        log.close()
