"""``yingyan demo``: everything on one machine with no setup.

Starts a server on SQLite with a simulated clock in a temporary data directory, loads the
demo catalogue (Quangang scale) and the built-in 2026 calendar, runs simulated township
offices that sync batches in time-lapse while the simulated clock advances, serves looping
demo video for the camera wall (when ffmpeg and cvlc are installed), and opens the
supervision console signed in as the demo operator and live. ``--terminal`` prints the live
alert stream instead of opening the console (headless machines, CI smoke runs).
"""

from __future__ import annotations

import argparse
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path
from typing import Any

from desktop.common.api import ClientError, HttpClient
from shared.rules.common import RULES
from shared.timeutil import HOUR, format_instant, parse_instant

COLORS = {"red": "\033[1;31m", "yellow": "\033[1;33m"}
RESET = "\033[0m"


class Api:
    """The demo's calls to its server, through the desktop programs' one HTTPS client (verifying the demo's CA)."""

    def __init__(self, base: str, ca_file: Path, token: str):
        self.base = base
        self.ca_file = str(ca_file)
        self.token = token
        #: one client per token (the administrator's, each office's), each keeping its connections
        self._clients: dict[str, HttpClient] = {}

    def call(self, method: str, path: str, body: Any = None, token: str | None = None, timeout: float = 60) -> Any:
        key = token or self.token
        client = self._clients.get(key)
        if client is None:
            # Fresh connections: no idle keep-alive connection holds the server's shutdown up at the end.
            client = self._clients[key] = HttpClient(self.base, self.ca_file, key, user_agent="yingyan-demo/1",
                                                     keep_alive=False)
        return client.call(method, path, json=body, timeout=timeout)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_server(data_dir: Path, port: int, start: str) -> subprocess.Popen[bytes]:
    yy = [sys.executable, "-m", "shared.cli", "server"]
    subprocess.run([*yy, "init", "--data-dir", str(data_dir)], check=True, capture_output=True)
    with open(data_dir.parent / "server.log", "ab") as log:  # the child keeps its own copy of the handle
        return subprocess.Popen([*yy, "serve", "--data-dir", str(data_dir), "--port", str(port),
                                 "--simulated-clock", start], stdout=log, stderr=subprocess.STDOUT)


def stop_server(proc: subprocess.Popen[bytes] | None) -> None:
    if proc is None or proc.poll() is not None:
        return
    proc.terminate()
    try:
        proc.wait(30)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(30)


class Interrupts:
    """Ctrl+C (SIGINT) and SIGTERM end the demo the same way: stop, clean up, exit 0.

    Before the console starts the first signal raises ``KeyboardInterrupt`` in the main
    thread, which interrupts whatever startup step is running. Once its application exists
    (``in_event_loop``) the signal just sets ``stop``, which a timer in the console polls (an
    exception would only be printed by Qt, or leave a half-built window to be torn down at
    exit) (the timer also gives Python the chance to run the handler at all: while
    Qt waits for events, no Python code runs). A second signal during the clean-up is
    ignored, so the temporary folder is still removed.
    """

    def __init__(self, stop: threading.Event):
        self.stop = stop
        self.in_event_loop = False
        self._previous: dict[int, Any] = {}

    def __enter__(self) -> Interrupts:
        for sig in (signal.SIGINT, signal.SIGTERM):
            self._previous[sig] = signal.signal(sig, self._handle)
        return self

    def _handle(self, signum: int, frame: Any) -> None:
        first = not self.stop.is_set()
        self.stop.set()
        if first and not self.in_event_loop:
            raise KeyboardInterrupt

    def __exit__(self, *exc: object) -> None:
        for sig, handler in self._previous.items():
            signal.signal(sig, handler)


def wait_healthy(api: Api, proc: subprocess.Popen[bytes], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit("the demo server exited; see server.log")
        try:
            api.call("GET", "/health")
            return
        except ClientError:
            time.sleep(0.2)
    raise SystemExit("the demo server did not start")


def seed(api: Api, offices: int) -> dict[str, str]:
    """The catalogue, the centre and the township offices; the townships' tokens by code."""
    from desktop.demo_history import CENTRE
    from server.demo_data import demo_catalogue, demo_offices

    api.call("PUT", "/catalogue", {"items": demo_catalogue()}, timeout=300)
    api.call("POST", "/offices", CENTRE)
    tokens = {}
    for office in demo_offices(offices):
        tokens[office["code"]] = api.call("POST", "/offices", office)["token"]
    return tokens


def print_alerts(api: Api, stop: threading.Event) -> None:
    cursor = ""
    while not stop.is_set():
        try:
            page = api.call("GET", f"/changes?since={cursor}&wait=5&limit=500", timeout=30)
        except ClientError:
            time.sleep(0.5)
            continue
        cursor = page["cursor"]
        for change in page["changes"]:
            a = change["data"]
            if change["entity"] != "alert" or not a or a["status"] not in ("open",) or a["version"] != 1:
                continue
            rule = RULES.get(a["rule"])
            subject = a["subject"]
            what = subject.get("case_no") or subject.get("petition_id") or subject.get("office")
            color = COLORS.get(a["severity"], "")
            name = rule.name_zh if rule else a["rule"]
            node = f" [{a['node']}]" if a.get("node") else ""
            print(f"{color}{a['severity'].upper():6}{RESET} {a['as_of'][:16]}  {subject['office']:4} {what:22} "
                  f"{name}{node}: {a['message'][:70]}", flush=True)


DEMO_USER = ("demo", "demo-operator-2026")
#: how often each township breaks a rule: most rarely (a green risk index), two often enough
#: that their index goes yellow or red in a month, as in a real county
DEMO_VIOLATION_RATES = (0.002, 0.01, 0.001, 0.004, 0.015, 0.002, 0.006, 0.001)
#: satisfied, basically satisfied, dissatisfied, very poor: a county's ratings are mostly good
DEMO_RATING_WEIGHTS = (86, 12.7, 1.0, 0.3)


def create_people(api: Api) -> None:
    """The duty operator the console signs in as, a leader and the petition desk."""
    from desktop.demo_history import DEMO_PEOPLE

    for username, (password, role, name) in DEMO_PEOPLE.items():
        api.call("POST", "/users", {"username": username, "password": password, "role": role, "display_name": name})


def history_start(start: str, days: int | None) -> str:
    """When the demo's history begins: ``days`` before ``start``, or by default the first of
    the month before it, so a whole month is closed and evaluated."""
    import datetime

    moment = datetime.datetime.fromisoformat(start)
    if days is None:
        first = (moment.replace(day=1) - datetime.timedelta(days=1)).replace(day=1)
        return first.replace(hour=8, minute=0, second=0, microsecond=0).isoformat()
    return (moment - datetime.timedelta(days=days)).isoformat()


def start_cameras(api: Api, offices: int, per_office: int = 2) -> Any:
    """Looping demo streams for the wall, registered as cameras of the first offices (or None)."""
    from desktop.video.demo_streams import StreamFarm

    if StreamFarm.missing_tools():
        print(f"no demo video: {', '.join(StreamFarm.missing_tools())} not installed", flush=True)
        return None
    farm = StreamFarm()
    count = min(8, offices * per_office)
    farm.add(count, prefix="窗口", seconds=8)
    farm.start()
    for cam in farm.cameras():
        api.call("PUT", f"/cameras/{cam.id}", {"name": cam.name, "office": cam.office, "window": cam.window,
                                               "main_url": cam.main_url, "sub_url": cam.sub_url, "enabled": True})
    return farm


def run_townships(api: Api, tokens: dict[str, str], sims: list[Any], start: str, hours_per_second: float,
                  stop: threading.Event) -> None:
    """Move the simulated clock an hour at a time and let each township sync what happened."""
    now = parse_instant(start)
    while not stop.is_set():
        tick = time.monotonic()
        later = now + HOUR
        try:
            api.call("PUT", "/admin/clock", {"now": format_instant(later)})
            for sim, (code, token) in zip(sims, tokens.items(), strict=True):
                # Some offices sync late, as real townships do.
                if sim.rng.random() < 0.15:
                    continue
                records = sim.records_between(now, later)
                api.call("POST", "/batches", {"batch_id": str(uuid.uuid4()), "office": code,
                                              "complete_until": format_instant(later), "records": records},
                         token=token)
        except ClientError:
            if stop.is_set():
                return
            time.sleep(1)
            continue
        now = later
        stop.wait(max(0.0, 1.0 / hours_per_second - (time.monotonic() - tick)))


def run_console(root: Path, port: int, ca_file: Path, duration: float = 0, stop: threading.Event | None = None,
                interrupts: Interrupts | None = None) -> int:
    """The console, signed in as the demo operator, its replica and settings kept in the demo folder."""
    import os

    os.environ["YINGYAN_DATA_DIR"] = str(root / "console")
    from PySide6.QtCore import QTimer

    from desktop.app import make_app
    from desktop.common.api import ApiClient
    from desktop.common.tasks import BackgroundTasks
    from desktop.console.session import open_session
    from desktop.console.window import ConsoleWindow

    app = make_app()
    if interrupts is not None:
        # From here on a signal only sets ``stop``. A KeyboardInterrupt raised while the window
        # was being built left its video players and background threads to be torn down at
        # exit in no order: the demo died with SIGSEGV on a Ctrl+C during the console's start.
        interrupts.in_event_loop = True
    window: ConsoleWindow | None = None
    session = None
    watch = QTimer()
    code = 0
    try:
        client = ApiClient(f"https://127.0.0.1:{port}", str(ca_file))
        info = client.login(*DEMO_USER)
        session = open_session(client, DEMO_USER[0], role=str(info.get("role") or "operator"),
                               replica_file=root / "console" / "replica.sqlite3")
        window = ConsoleWindow(session)
        window.setWindowTitle(window.windowTitle() + " — demo")
        window.show()
        session.engine.start()
        window.show_video()
        if duration:
            QTimer.singleShot(int(duration * 1000), app.quit)
        if stop is not None:
            # Ctrl+C and SIGTERM set ``stop`` (see Interrupts); looking every 200 ms is also what
            # lets Python run the signal handler while Qt waits for events.
            watch.timeout.connect(lambda: stop.is_set() and app.quit())
            watch.start(200)
        if stop is None or not stop.is_set():
            code = app.exec()
    finally:
        if interrupts is not None:
            interrupts.in_event_loop = False
        watch.stop()
        # Stopped by the timer or a signal, not by closing the window: close it now, so the video
        # wall's players stop before Qt goes away (a libvlc player drawing into a destroyed window
        # crashed the demo at exit), and wait for the background reads, as the console itself does.
        if window is not None:
            window.close()
        if session is not None:
            session.shutdown()
        BackgroundTasks.shutdown_all(5000)
    return int(code)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="yingyan demo", description=__doc__)
    parser.add_argument("--offices", type=int, default=8)
    parser.add_argument("--start", default="2026-02-09T08:00:00+08:00",
                        help="simulated start (default: the week before the Spring Festival 2026)")
    parser.add_argument("--history-days", type=int, default=None,
                        help="days synced at full speed before the start (default: from the first of the month "
                             "before, so a whole month is closed); 0 for none")
    parser.add_argument("--hours-per-second", type=float, default=2.0, help="time-lapse speed")
    parser.add_argument("--duration", type=float, default=0, help="stop after N real seconds (0: until closed)")
    parser.add_argument("--data-dir", help="keep the demo data here (default: a temporary folder)")
    parser.add_argument("--terminal", action="store_true", help="print the alert stream instead of the console")
    parser.add_argument("--no-video", action="store_true", help="no looping demo camera streams")
    args = parser.parse_args(argv)

    from desktop.demo_history import sync_history
    from server.demo_data import TownshipSimulator, demo_catalogue

    temporary = not args.data_dir
    root = Path(args.data_dir) if args.data_dir else Path(tempfile.mkdtemp(prefix="yingyan-demo-"))
    data_dir = root / "data"
    port = _free_port()
    stop = threading.Event()
    farm = None
    proc = None
    timer = None
    with Interrupts(stop) as interrupts:
        try:
            print(f"Yingyan demo: server data in {root}; starting https://127.0.0.1:{port} … (Ctrl+C stops)",
                  flush=True)
            first = history_start(args.start, args.history_days)
            proc = start_server(data_dir, port, first)
            ca_file = data_dir / "tls" / "ca.pem"
            admin = (data_dir / "secrets" / "admin.token").read_text().strip()
            api = Api(f"https://127.0.0.1:{port}/api/v1", ca_file, admin)
            wait_healthy(api, proc)
            tokens = seed(api, args.offices)
            create_people(api)
            if not args.no_video and not args.terminal:
                farm = start_cameras(api, args.offices)
            catalogue = demo_catalogue()
            sims = [TownshipSimulator(code, catalogue, seed=i, violation_rate=DEMO_VIOLATION_RATES[i % 8],
                                      rating_weights=DEMO_RATING_WEIGHTS) for i, code in enumerate(tokens)]
            if first != args.start:
                print(f"syncing the townships' history from {first[:10]} to {args.start[:10]} …", flush=True)
                sync_history(api, tokens, sims, parse_instant(first), parse_instant(args.start))
            print(f"loaded {len(catalogue)} power items, {len(tokens)} township offices; the clock starts at "
                  f"{args.start}. Sign-in: {DEMO_USER[0]} / {DEMO_USER[1]} (duty operator), leader / demo-leader-2026, "
                  f"xinfang / demo-desk-2026 (petition desk).\n", flush=True)
            townships = threading.Thread(target=run_townships, args=(api, tokens, sims, args.start,
                                                                     args.hours_per_second, stop), daemon=True)
            townships.start()
            if args.duration:
                timer = threading.Timer(args.duration, stop.set)
                timer.daemon = True  # a Ctrl+C before the end must not wait for it
                timer.start()
            if args.terminal:
                threading.Thread(target=print_alerts, args=(api, stop), daemon=True).start()
                while not stop.wait(0.5):
                    pass
                return 0
            return run_console(root, port, ca_file, args.duration, stop, interrupts)
        except KeyboardInterrupt:
            print("stopping the demo …", flush=True)
            return 0
        finally:
            stop.set()
            if timer is not None:
                timer.cancel()
            if farm is not None:
                farm.cleanup()
            stop_server(proc)
            if temporary:
                # The demo's data is throwaway: nothing of it stays in the temp folder.
                shutil.rmtree(root, ignore_errors=True)
