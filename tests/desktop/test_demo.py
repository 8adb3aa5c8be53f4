"""``yingyan demo`` — the README's first command — brings up live data.

Both ways it runs: with the console (under a private Xvfb), whose local replica must fill
with live alerts from the simulated townships, and in the terminal (headless machines),
whose stream must print red and yellow signals.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

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
