"""Soak test of the video wall: 16 live tiles for N minutes while streams die and come back.

Every ``--kill-every`` seconds a random stream's server is killed and restarted
``--down-seconds`` later. Every ``--sample-every`` seconds the wall process's CPU and RSS are
recorded; for every outage, the time from the server's restart to its tile playing again.
Passes (exit 0) when nothing crashed, RSS grew less than 10% after the warm-up, and every
recovery took less than 10 s. Results: ``bench/out/video_soak.json``.

    python bench/video_soak.py --minutes 30          # the full run
    python bench/video_soak.py --minutes 8 --warmup-minutes 2   # a shortened run

Needs ffmpeg, cvlc (run as nobody when root), libvlc and Xvfb (started here when no
DISPLAY is set, or with ``--xvfb``).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import random
import sys
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def cpu_seconds() -> float:
    t = os.times()
    return t.user + t.system


@dataclass
class Outage:
    stream: int
    killed_at: float
    stalled_after: float | None = None
    offline_after: float | None = None
    restarted_at: float | None = None
    recovered_after_restart: float | None = None


@dataclass
class Report:
    tiles: int
    minutes: float
    samples: list[dict[str, float]] = field(default_factory=list)
    outages: list[Outage] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--minutes", type=float, default=30.0)
    p.add_argument("--tiles", type=int, default=16)
    p.add_argument("--kill-every", type=float, default=60.0)
    p.add_argument("--down-seconds", type=float, default=12.0)
    p.add_argument("--sample-every", type=float, default=10.0)
    p.add_argument("--warmup-minutes", type=float, default=5.0)
    p.add_argument("--seed", type=int, default=None)
    p.add_argument("--xvfb", action="store_true", help="start a private Xvfb even if DISPLAY is set")
    p.add_argument("--out", default=str(Path(__file__).resolve().parent / "out" / "video_soak.json"))
    args = p.parse_args(argv)

    with contextlib.ExitStack() as stack:
        if args.xvfb or not os.environ.get("DISPLAY"):
            from desktop.video.demo_streams import private_xvfb as xvfb_display

            stack.enter_context(xvfb_display(1920, 1080))
        os.environ["QT_QPA_PLATFORM"] = "xcb"
        from desktop.video.demo_streams import StreamFarm

        farm = stack.enter_context(StreamFarm())
        print(f"generating {args.tiles} clips and starting cvlc servers…", flush=True)
        farm.add(args.tiles, seconds=10)
        farm.start()
        return run(args, farm)
    return 1


def run(args: argparse.Namespace, farm: object) -> int:
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from desktop.video.demo_streams import StreamFarm
    from desktop.video.player import TileState
    from desktop.video.wall import VideoWall

    assert isinstance(farm, StreamFarm)
    rng = random.Random(args.seed)
    app = QApplication.instance() or QApplication(["video-soak"])
    wall = VideoWall()
    side = max(1, int(args.tiles**0.5 + 0.999))
    wall.set_wall_layout(f"{side}x{side}")
    wall.setGeometry(0, 0, 1920, 1080)
    wall.show()
    wall.set_cameras(farm.cameras()[: args.tiles])
    report = Report(args.tiles, args.minutes)
    t0 = time.monotonic()
    cpu0 = cpu_seconds()
    last = {"t": t0, "cpu": cpu0}
    current: dict[int, Outage] = {}
    end = t0 + args.minutes * 60

    def now() -> float:
        return time.monotonic() - t0

    def on_state(index: int, state: str) -> None:
        outage = current.get(index)
        if outage is None:
            return
        t = now()
        if state == TileState.STALLED and outage.stalled_after is None:
            outage.stalled_after = round(t - outage.killed_at, 2)
        elif state == TileState.OFFLINE and outage.offline_after is None:
            outage.offline_after = round(t - outage.killed_at, 2)
        elif state == TileState.PLAYING and outage.restarted_at is not None:
            outage.recovered_after_restart = round(t - outage.restarted_at, 2)
            print(f"[{t:7.1f}s] tile {index} playing again {outage.recovered_after_restart:.2f}s after restart",
                  flush=True)
            del current[index]

    wall.tile_state_changed.connect(on_state)

    def sample() -> None:
        t = time.monotonic()
        cpu = cpu_seconds()
        pct = 100.0 * (cpu - last["cpu"]) / max(1e-6, t - last["t"])
        last.update(t=t, cpu=cpu)
        playing = sum(tile.state == TileState.PLAYING for tile in wall.tiles())
        fps = sum(tile.player.fps for tile in wall.tiles())
        row = {"t": round(t - t0, 1), "cpu_percent": round(pct, 1), "rss_mb": round(rss_mb(), 1),
               "playing": playing, "fps_total": round(fps, 1),
               "threads": len(os.listdir("/proc/self/task")), "fds": len(os.listdir("/proc/self/fd"))}
        report.samples.append(row)
        print(f"[{row['t']:7.1f}s] cpu {pct:5.1f}%  rss {row['rss_mb']:.1f} MB  playing {playing}/{args.tiles}"
              f"  fps {fps:.0f}  threads {row['threads']}  fds {row['fds']}", flush=True)

    def kill_one() -> None:
        candidates = [i for i in range(args.tiles) if i not in current]
        if not candidates:
            return
        index = rng.choice(candidates)
        outage = Outage(index, round(now(), 2))
        current[index] = outage
        report.outages.append(outage)
        farm.kill(index)
        print(f"[{now():7.1f}s] killed stream {index}", flush=True)

        def restart() -> None:
            try:
                farm.start(index)
            except (RuntimeError, TimeoutError) as exc:
                report.errors.append(f"restart of stream {index}: {exc}")
            outage.restarted_at = round(now(), 2)

        QTimer.singleShot(int(args.down_seconds * 1000), restart)

    def tick_end() -> None:
        if time.monotonic() >= end:
            app.quit()

    sampler = QTimer()
    sampler.timeout.connect(sample)
    sampler.start(int(args.sample_every * 1000))
    killer = QTimer()
    killer.timeout.connect(kill_one)
    killer.start(int(args.kill_every * 1000))
    ender = QTimer()
    ender.timeout.connect(tick_end)
    ender.start(500)
    app.exec()
    wall.shutdown()
    return summarise(args, report, current)


def summarise(args: argparse.Namespace, report: Report, pending: dict[int, Outage]) -> int:
    samples = report.samples
    warm = [s for s in samples if s["t"] >= args.warmup_minutes * 60]
    base = warm[0]["rss_mb"] if warm else (samples[0]["rss_mb"] if samples else 0.0)
    final = samples[-1]["rss_mb"] if samples else 0.0
    peak = max((s["rss_mb"] for s in warm), default=final)
    growth = (final - base) / base * 100 if base else 0.0
    finished = [o for o in report.outages if o.recovered_after_restart is not None]
    # An outage whose restart came less than 10 s before the end had no fair chance to recover.
    unfinished = [o for o in report.outages if o.recovered_after_restart is None and o.restarted_at is not None
                  and samples and samples[-1]["t"] - o.restarted_at >= 10]
    recoveries = [o.recovered_after_restart for o in finished if o.recovered_after_restart is not None]
    steady = [s["cpu_percent"] for s in samples[1:]]
    summary = {
        "tiles": args.tiles,
        "minutes": args.minutes,
        "kill_every_s": args.kill_every,
        "down_seconds": args.down_seconds,
        "cpu_percent_mean": round(sum(steady) / len(steady), 1) if steady else None,
        "cpu_percent_max": max(steady) if steady else None,
        "rss_mb_after_warmup": base,
        "rss_mb_final": final,
        "rss_mb_peak_after_warmup": peak,
        "rss_growth_percent_after_warmup": round(growth, 2),
        "outages": len(report.outages),
        "recovered": len(recoveries),
        "not_recovered": len(unfinished),
        "recovery_s_max": max(recoveries) if recoveries else None,
        "recovery_s_mean": round(sum(recoveries) / len(recoveries), 2) if recoveries else None,
        "stalled_after_kill_s_max": max((o.stalled_after for o in report.outages if o.stalled_after), default=None),
        "offline_after_kill_s_max": max((o.offline_after for o in report.outages if o.offline_after), default=None),
        "errors": report.errors,
    }
    ok = (growth < 10 and not unfinished and all(r < 10 for r in recoveries) and not report.errors)
    summary["pass"] = ok
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps({"summary": summary, "samples": samples,
                               "outages": [asdict(o) for o in report.outages]}, indent=2))
    print(json.dumps(summary, indent=2))
    print(f"details: {out}")
    return 0 if ok else 1


if __name__ == "__main__":
    code = main()
    sys.stdout.flush()
    # Skip interpreter teardown: the report is written and the streams are stopped, and
    # PySide6 can trip over Qt objects collected after QApplication during finalisation.
    os._exit(code)
