"""CPU and dropped frames: the video wall against bare VLC playing the same streams.

For each tile count (default 9 and 16) the same 640×360@15fps HTTP-TS streams are played
(a) by the wall (``VideoWall`` in a child process, full 1920×1080 screen, √N×√N layout) and
(b) by N bare ``vlc -I dummy`` processes with the same libvlc options, each window scaled to
the wall's tile picture size so both draw the same number of pixels. CPU is read from
``/proc/<pid>/stat`` over the same measuring window after a warm-up; frames displayed and
lost come from libvlc's statistics (the wall's tiles; the bare players' rc interface).

    python bench/video_cpu.py                       # 9 and 16 tiles, 20 s warm-up, 60 s measured
    python bench/video_cpu.py --tiles 16 --seconds 30

Target: wall CPU ≤ 1.15 × bare VLC CPU. Results: ``bench/out/video_cpu.json``.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
TICKS = os.sysconf("SC_CLK_TCK")


def proc_cpu_seconds(pid: int) -> float:
    """CPU seconds (user + system) of a process and its live threads."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (FileNotFoundError, ProcessLookupError):
        return 0.0
    return (int(fields[11]) + int(fields[12])) / TICKS


def descendants(pid: int) -> list[int]:
    out = [pid]
    for task in Path(f"/proc/{pid}/task").glob("*"):
        with contextlib.suppress(FileNotFoundError):
            for child in (task / "children").read_text().split():
                out += descendants(int(child))
    return out


def tree_cpu(pids: list[int]) -> float:
    return sum(proc_cpu_seconds(p) for root in pids for p in descendants(root))


# ---------------------------------------------------------------------- child: the wall
def child_wall(args: argparse.Namespace) -> int:
    os.environ["QT_QPA_PLATFORM"] = "xcb"
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from desktop.video.model import parse_cameras
    from desktop.video.player import TileState
    from desktop.video.wall import VideoWall

    cameras = parse_cameras(json.loads(Path(args.cameras).read_text()))
    app = QApplication(["video-cpu-wall"])
    wall = VideoWall()
    side = max(1, int(len(cameras) ** 0.5 + 0.999))
    wall.set_wall_layout(f"{side}x{side}")
    wall.setGeometry(0, 0, 1920, 1080)
    wall.show()
    wall.set_cameras(cameras)
    marks: dict[str, object] = {}

    def totals() -> dict[str, int]:
        return {"displayed": sum(t.player.totals.displayed for t in wall.tiles()),
                "lost": sum(t.player.totals.lost for t in wall.tiles()),
                "playing": sum(t.state == TileState.PLAYING for t in wall.tiles())}

    def at_warmup() -> None:
        s = wall.tile(0).surface
        marks["surface"] = [s.width(), s.height()]
        marks["start"] = totals()
        Path(args.result).write_text(json.dumps(marks))

    def at_end() -> None:
        marks["end"] = totals()
        Path(args.result).write_text(json.dumps(marks))
        wall.shutdown()
        app.quit()

    QTimer.singleShot(int(args.warmup * 1000), at_warmup)
    QTimer.singleShot(int((args.warmup + args.seconds) * 1000), at_end)
    app.exec()
    sys.stdout.flush()
    os._exit(0)


# ---------------------------------------------------------------------- bare VLC
def rc_stats(port: int) -> dict[str, int]:
    with socket.create_connection(("127.0.0.1", port), timeout=3) as s:
        s.sendall(b"stats\n")
        data = b""
        deadline = time.monotonic() + 3
        while b"end of statistical info" not in data and time.monotonic() < deadline:
            chunk = s.recv(65536)
            if not chunk:
                break
            data += chunk
    out = {}
    for line in data.decode(errors="replace").splitlines():
        if "frames displayed" in line:
            out["displayed"] = int(line.split(":")[1])
        elif "frames lost" in line:
            out["lost"] = int(line.split(":")[1])
    return out


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def bare_vlc(urls: list[str], picture: tuple[int, int], warmup: float, seconds: float) -> dict[str, float]:
    from desktop.video.demo_streams import spawn_server
    from desktop.video.engine import INSTANCE_OPTIONS, SUB_STREAM_OPTIONS, vout_option

    zoom = min(picture[0] / 640, picture[1] / 360)
    procs, ports = [], []
    for url in urls:
        port = free_port()
        cmd = ["vlc", "-I", "dummy", "--extraintf", "oldrc", "--rc-host", f"127.0.0.1:{port}", "--rc-fake-tty",
               *INSTANCE_OPTIONS, *vout_option(), *("--" + o.lstrip(":") for o in SUB_STREAM_OPTIONS),
               f"--zoom={zoom:.3f}", "--no-video-deco", url]
        # All bare players share one session (one scheduler autogroup), as the wall's players
        # share its one process: on a busy machine, 16 sessions would get 16 fair shares.
        procs.append(spawn_server(cmd, new_session=False))
        ports.append(port)
    try:
        time.sleep(warmup)
        pids = [p.pid for p in procs]
        start_stats = [rc_stats(port) for port in ports]
        c0, t0 = tree_cpu(pids), time.monotonic()
        time.sleep(seconds)
        c1, t1 = tree_cpu(pids), time.monotonic()
        end_stats = [rc_stats(port) for port in ports]
    finally:
        for p in procs:
            with contextlib.suppress(ProcessLookupError):
                p.kill()
            p.wait(10)
    return {
        "cpu_percent": round(100 * (c1 - c0) / (t1 - t0), 1),
        "displayed": sum(e.get("displayed", 0) - s.get("displayed", 0) for s, e in zip(start_stats, end_stats,
                                                                                      strict=True)),
        "lost": sum(e.get("lost", 0) - s.get("lost", 0) for s, e in zip(start_stats, end_stats, strict=True)),
    }


def wall_run(cameras_file: Path, warmup: float, seconds: float, out: Path) -> dict[str, object]:
    result = out.with_suffix(".child.json")
    proc = subprocess.Popen([sys.executable, __file__, "--child-wall", "--cameras", str(cameras_file),
                             "--warmup", str(warmup), "--seconds", str(seconds), "--result", str(result)],
                            cwd=ROOT, start_new_session=True)
    time.sleep(warmup + 0.5)
    c0, t0 = tree_cpu([proc.pid]), time.monotonic()
    time.sleep(seconds - 1.0)
    c1, t1 = tree_cpu([proc.pid]), time.monotonic()
    proc.wait(60)
    marks = json.loads(result.read_text())
    return {
        "cpu_percent": round(100 * (c1 - c0) / (t1 - t0), 1),
        "displayed": marks["end"]["displayed"] - marks["start"]["displayed"],
        "lost": marks["end"]["lost"] - marks["start"]["lost"],
        "playing_at_end": marks["end"]["playing"],
        "surface": marks["surface"],
    }


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--tiles", type=int, nargs="+", default=[9, 16])
    p.add_argument("--seconds", type=float, default=60.0)
    p.add_argument("--warmup", type=float, default=20.0)
    p.add_argument("--rounds", type=int, choices=(1, 2), default=2, help="2: wall, bare, bare, wall")
    p.add_argument("--out", default=str(ROOT / "bench" / "out" / "video_cpu.json"))
    p.add_argument("--child-wall", action="store_true", help=argparse.SUPPRESS)
    p.add_argument("--cameras", help=argparse.SUPPRESS)
    p.add_argument("--result", help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    if args.child_wall:
        return child_wall(args)

    from desktop.video.demo_streams import StreamFarm
    from desktop.video.demo_streams import private_xvfb as xvfb_display
    from desktop.video.model import cameras_to_json

    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    results: list[dict[str, Any]] = []
    with xvfb_display(1920, 1080), StreamFarm() as farm:
        farm.add(max(args.tiles), seconds=10)
        farm.start()
        for n in args.tiles:
            cams = out.parent / f"video_cpu_cameras_{n}.json"
            cams.write_text(json.dumps(cameras_to_json(farm.cameras()[:n])))
            # Rounds in A-B-B-A order, so that load from other work on the machine drifting
            # during the run weighs on both sides alike.
            walls: list[dict[str, object]] = []
            bares: list[dict[str, float]] = []
            picture = (0, 0)
            for side in ("wall", "bare", "bare", "wall")[: 4 if args.rounds == 2 else 2]:
                print(f"{n} tiles: {side}…", flush=True)
                if side == "wall":
                    walls.append(wall_run(cams, args.warmup, args.seconds, out))
                    surface = walls[-1]["surface"]
                    assert isinstance(surface, list)
                    picture = (min(surface[0], surface[1] * 16 // 9), min(surface[1], surface[0] * 9 // 16))
                else:
                    bares.append(bare_vlc([s.url for s in farm.streams[:n]], picture, args.warmup, args.seconds))
            wall = {k: round(sum(float(w[k]) for w in walls) / len(walls), 1)  # type: ignore[arg-type,misc]
                    for k in ("cpu_percent", "displayed", "lost")}
            bare = {k: round(sum(b[k] for b in bares) / len(bares), 1) for k in ("cpu_percent", "displayed", "lost")}
            row = {"tiles": n, "seconds": args.seconds, "picture": list(picture), "wall": wall, "bare_vlc": bare,
                   "rounds": {"wall": walls, "bare_vlc": bares},
                   "cpu_ratio": round(wall["cpu_percent"] / bare["cpu_percent"], 3) if bare["cpu_percent"] else None,
                   "cpu_ms_per_frame": {
                       "wall": round(10 * wall["cpu_percent"] * args.seconds / max(1.0, wall["displayed"]), 2),
                       "bare_vlc": round(10 * bare["cpu_percent"] * args.seconds / max(1.0, bare["displayed"]), 2)}}
            results.append(row)
            print(json.dumps(row), flush=True)
    out.write_text(json.dumps({"results": results}, indent=2))
    print(f"\n{'tiles':>5} {'wall CPU%':>10} {'bare CPU%':>10} {'ratio':>6} "
          f"{'wall lost/shown':>16} {'bare lost/shown':>16}")
    for r in results:
        w, b = r["wall"], r["bare_vlc"]
        print(f"{r['tiles']:>5} {w['cpu_percent']:>10} {b['cpu_percent']:>10} {r['cpu_ratio']:>6} "
              f"{w['lost']:>7}/{w['displayed']:<8} {b['lost']:>7}/{b['displayed']:<8}")
    print(f"details: {out}")
    return 0


if __name__ == "__main__":
    code = main()
    sys.stdout.flush()
    os._exit(code)
