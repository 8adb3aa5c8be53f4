"""``yingyan demo`` — the README's first command — brings up live data.

Both ways it runs: with the console (under a private Xvfb), whose local replica must fill
with live alerts from the simulated townships, and in the terminal (headless machines),
whose stream must print red and yellow signals.
"""

from __future__ import annotations

import os
import queue
import re
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from tests.xvfb import xvfb_display

ROOT = Path(__file__).resolve().parents[2]


def run_demo(args: list[str], env: dict[str, str], timeout: float = 240) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "shared.cli", "demo", *args], capture_output=True, text=True,
                          cwd=ROOT, env=env, timeout=timeout, check=False)


def test_demo_in_the_terminal_streams_live_signals(tmp_path: Path) -> None:
    env = dict(os.environ, YINGYAN_DATA_DIR=str(tmp_path / "user"))
    run = run_demo(["--terminal", "--duration", "20", "--hours-per-second", "8", "--data-dir", str(tmp_path / "d")],
                   env)
    assert run.returncode == 0, run.stderr[-2000:]
    signals = [line for line in run.stdout.splitlines() if "RED" in line or "YELLOW" in line]
    assert len(signals) >= 3, run.stdout[-2000:]


def test_demo_opens_the_console_live(tmp_path: Path) -> None:
    with xvfb_display() as display:
        env = dict(os.environ, DISPLAY=display, QT_QPA_PLATFORM="xcb", YINGYAN_DATA_DIR=str(tmp_path / "user"))
        run = run_demo(["--duration", "30", "--hours-per-second", "8", "--no-video", "--data-dir",
                        str(tmp_path / "d")], env)
    assert run.returncode == 0, (run.stdout + run.stderr)[-3000:]
    replica = tmp_path / "d" / "console" / "replica.sqlite3"
    with sqlite3.connect(replica) as db:
        alerts = db.execute("SELECT COUNT(*) FROM alerts").fetchone()[0]
        offices = db.execute("SELECT COUNT(*) FROM offices").fetchone()[0]
    assert offices >= 8
    assert alerts > 0


class _Demo:
    """``yingyan demo`` as a terminal runs it: its own process group, lines read as they come."""

    def __init__(self, args: list[str], env: dict[str, str]):
        self.proc = subprocess.Popen([sys.executable, "-m", "shared.cli", "demo", *args], cwd=ROOT, env=env,
                                     stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                                     start_new_session=True)
        self.lines: queue.Queue[str] = queue.Queue()
        self.seen: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.lines.put(line)

    def rest(self) -> str:
        """The end of everything it printed (a crash's stacks among it: faulthandler is on)."""
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:  # the reader thread's last lines, until the pipe closes
            try:
                self.seen.append(self.lines.get(timeout=0.5))
            except queue.Empty:
                break
        return "".join(self.seen)[-6000:]

    def wait_for(self, text: str, timeout: float) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                line = self.lines.get(timeout=0.5)
            except queue.Empty:
                if self.proc.poll() is not None:
                    break
                continue
            self.seen.append(line)
            if text in line:
                return line
        raise AssertionError(f"no line with {text!r} within {timeout} s: {''.join(self.seen)[-3000:]}")

    def stop(self) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(30)


def _demo_folder(line: str) -> Path:
    return Path(re.search(r"server data in (\S+);", line).group(1))  # type: ignore[union-attr]


@pytest.mark.parametrize(("how", "sig"), [("ctrl-c", signal.SIGINT), ("kill", signal.SIGTERM)])
def test_demo_in_the_terminal_stops_on_a_signal_and_removes_its_folder(tmp_path: Path, how: str, sig: int) -> None:
    temp = tmp_path / "tmp"
    temp.mkdir()
    env = dict(os.environ, YINGYAN_DATA_DIR=str(tmp_path / "user"), TMPDIR=str(temp))
    demo = _Demo(["--terminal", "--offices", "2", "--duration", "600"], env)
    try:
        folder = _demo_folder(demo.wait_for("server data in", 60))
        assert folder.parent == temp
        assert folder.name.startswith("yingyan-demo-")
        demo.wait_for("township offices", 180)  # running: server up, townships syncing
        if how == "ctrl-c":
            os.killpg(demo.proc.pid, sig)  # a terminal's Ctrl+C reaches the whole process group
        else:
            demo.proc.send_signal(sig)
        assert demo.proc.wait(60) == 0
        assert list(temp.glob("yingyan-demo-*")) == []
    finally:
        demo.stop()


def test_demo_with_the_console_stops_on_ctrl_c_and_removes_its_folder(tmp_path: Path) -> None:
    temp = tmp_path / "tmp"
    temp.mkdir()
    with xvfb_display() as display:
        env = dict(os.environ, DISPLAY=display, QT_QPA_PLATFORM="xcb", YINGYAN_DATA_DIR=str(tmp_path / "user"),
                       PYTHONFAULTHANDLER="1",
                   TMPDIR=str(temp))
        demo = _Demo(["--offices", "2", "--no-video", "--duration", "600"], env)
        try:
            folder = _demo_folder(demo.wait_for("server data in", 60))
            demo.wait_for("township offices", 180)
            # The console is up once it has its replica (it signs in after the line above).
            deadline = time.monotonic() + 120
            while not (folder / "console" / "replica.sqlite3").exists():
                assert time.monotonic() < deadline, "the console did not start"
                assert demo.proc.poll() is None, "".join(demo.seen)[-3000:]
                time.sleep(0.2)
            os.killpg(demo.proc.pid, signal.SIGINT)
            code = demo.proc.wait(60)
            assert code == 0, demo.rest()
            assert list(temp.glob("yingyan-demo-*")) == []
        finally:
            demo.stop()


def test_the_demo_month_looks_like_a_county_s(tmp_path: Path) -> None:
    """The history before the time-lapse gives a closed month a leader can read: cases paced
    over days, a spread of risk levels, cards, a notice answered on time and one answered late
    (its overdue signal raised, then resolved by the reply), a petition being handled."""
    from tests.harness import ServerProcess

    env = dict(os.environ, YINGYAN_DATA_DIR=str(tmp_path / "user"))
    run = run_demo(["--terminal", "--duration", "2", "--offices", "8", "--data-dir", str(tmp_path / "d")], env)
    assert run.returncode == 0, run.stderr[-2000:]
    assert "2026-01-01" in run.stdout  # the history begins on the first of the month before
    server = ServerProcess(tmp_path / "d" / "data", simulated_clock=None)
    server.start()
    try:
        leader = server.call("POST", "/auth/token", {"username": "leader", "password": "demo-leader-2026"},
                             token=None).json()["token"]
        stats = server.call("GET", "/statistics?month=2026-01", token=leader).json()["rows"]
        towns = [r for r in stats if r["key"].startswith("T")]
        assert len(towns) == 8
        for row in towns:
            assert row["cases_received"] > 200
            # Paced as in life: most early, not all one-time (files supplemented), days not hours.
            assert 90 <= row["early_completion_rate"] <= 100
            assert 80 <= row["one_time_rate"] < 100
            assert 0.5 <= row["average_working_days"] <= 5
        risk = server.call("GET", "/risk-index?month=2026-01", token=leader).json()
        assert {"green", "red"} <= {r["level"] for r in risk["rows"]}
        # The big screen's month band reads these answers: the eight townships ranked (not the
        # centre, which handles no cases), the red units worst first with what brought them down.
        from desktop.console.bigscreen import month_figures

        evaluation = server.call("GET", "/evaluation?month=2026-01", token=leader).json()
        band = month_figures(evaluation, risk)
        assert len(band.ranking) == 8
        assert all(u.name.endswith(("镇", "街道")) for u in band.ranking)
        assert [u.rank for u in band.ranking] == sorted(u.rank for u in band.ranking)
        assert band.red_units
        assert [u.index for u in band.red_units] == sorted(u.index for u in band.red_units)
        assert all(u.causes for u in band.red_units)
        assert sum(r["yellow_cards"] for r in towns) == 2
        notices = server.call("GET", "/notices").json()["notices"]
        assert len(notices) == 2
        assert all(n["status"] == "replied" for n in notices)
        late = [n for n in notices if n["replied_at"] > n["reply_due"]]
        assert len(late) == 1
        overdue = server.call("GET", f"/alerts?rule=NOTICE_REPLY_OVERDUE&office={late[0]['office']}").json()["alerts"]
        assert overdue
        assert all(a["status"] == "resolved" or a["condition_cleared"] for a in overdue)
        desk = server.call("POST", "/auth/token", {"username": "xinfang", "password": "demo-desk-2026"},
                           token=None).json()["token"]
        petitions = server.call("GET", "/petitions", token=desk).json()["petitions"]
        assert len(petitions) >= 3
        assert any(p["status"] == "accepted" for p in petitions)
    finally:
        server.stop()
