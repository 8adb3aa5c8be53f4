"""``yingyan wall``: the standalone video wall for the monitoring centre's big screen.

Cameras come from the server (``--server URL --ca FILE``, token from ``--token-file``,
``YINGYAN_TOKEN`` or the OS keyring) or from a JSON file (``--cameras FILE``) when there is
no server. From the keyring the wall takes the token the console's sign-in keeps there
(``desktop.common.credentials``): the last user signed in to that server, or ``--user``.
``--snapshot-to DIR --quit-after SECONDS`` make unattended runs (CI, checks of a new screen)
that leave a picture of the wall behind.
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
import time
from pathlib import Path

EXIT_USAGE = 2


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="yingyan wall", description="Live video wall of service-hall cameras.")
    src = p.add_argument_group("cameras")
    src.add_argument("--cameras", metavar="FILE", help="JSON list of cameras (no server needed)")
    src.add_argument("--server", metavar="URL", default=os.environ.get("YINGYAN_SERVER"),
                     help="sync server, e.g. https://supervision.example:8443")
    src.add_argument("--ca", metavar="FILE", default=os.environ.get("YINGYAN_CA"),
                     help="CA certificate that signed the server's certificate")
    src.add_argument("--token-file", metavar="FILE", help="file holding the bearer token")
    src.add_argument("--user", metavar="NAME",
                     help="whose console sign-in to use from the OS keyring (default: the last user "
                          "signed in to this server)")
    src.add_argument("--alerts", metavar="FILE", help="JSON list of active alerts (without a server)")
    view = p.add_argument_group("display")
    view.add_argument("--layout", metavar="NAME",
                      help="1, 2x2, 3x3, 4x4, 1+5, 1+7, 1+12, RxC or a saved view")
    view.add_argument("--screen", type=int, metavar="N", help="open full screen on screen N (0 = first)")
    view.add_argument("--windowed", action="store_true", help="do not go full screen")
    view.add_argument("--tour", type=float, metavar="SECONDS", help="tour all cameras over the wall")
    view.add_argument("--lang", default=None, help="zh_CN (default) or en")
    run = p.add_argument_group("unattended runs")
    run.add_argument("--snapshot-to", metavar="DIR", help="save a picture of the wall here before quitting")
    run.add_argument("--quit-after", type=float, metavar="SECONDS", help="quit after this many seconds")
    run.add_argument("--operator", default=None, help="operator name written on evidence snapshots")
    run.add_argument("--evidence-dir", metavar="DIR", help="where tile snapshots are stored")
    return p


def _token(args: argparse.Namespace) -> str | None:
    if args.token_file:
        return Path(args.token_file).read_text(encoding="utf-8").strip()
    if os.environ.get("YINGYAN_TOKEN"):
        return os.environ["YINGYAN_TOKEN"]
    # The console's sign-in keeps the token in the OS keyring; the same entry names here.
    from desktop.common import credentials

    found = credentials.find_token(args.server, args.user)
    return found[1] if found else None


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if not args.cameras and not args.server:
        print("yingyan wall: give --cameras FILE or --server URL", file=sys.stderr)
        return EXIT_USAGE

    from desktop.video.model import CameraConfigError, load_cameras_file, parse_alerts

    cameras = []
    if args.cameras:
        try:
            cameras = load_cameras_file(args.cameras)
        except (OSError, CameraConfigError) as exc:
            print(f"yingyan wall: {exc}", file=sys.stderr)
            return EXIT_USAGE
    alerts = []
    if args.alerts:
        import json

        alerts = parse_alerts(json.loads(Path(args.alerts).read_text(encoding="utf-8")))
    client = None
    if args.server and not args.cameras:
        token = _token(args)
        if not token:
            print("yingyan wall: no token (use --token-file, YINGYAN_TOKEN or sign in with the console)",
                  file=sys.stderr)
            return EXIT_USAGE
        from desktop.video.api import wall_client

        try:
            client = wall_client(args.server, token, args.ca)
        except ValueError as exc:
            print(f"yingyan wall: {exc}", file=sys.stderr)
            return EXIT_USAGE

    if sys.platform.startswith("linux"):
        # libvlc draws into X11 windows; under Wayland Qt must still use XWayland.
        os.environ.setdefault("QT_QPA_PLATFORM", "xcb")
    from PySide6.QtCore import QSettings, QTimer
    from PySide6.QtWidgets import QApplication

    from desktop.video.i18n import install_translation
    from desktop.video.window import WallWindow

    app = QApplication.instance() or QApplication(["yingyan wall"])
    assert isinstance(app, QApplication)
    app.setOrganizationName("Yingyan")
    app.setApplicationName("VideoWall")
    install_translation(app, args.lang)
    settings = QSettings("Yingyan", "VideoWall")
    window = WallWindow(settings=settings, operator=args.operator or getpass.getuser(),
                        evidence_dir=args.evidence_dir,
                        tour_seconds=args.tour or 10.0)
    layout = args.layout or settings.value("last_layout") or "3x3"
    if not window.apply_layout_or_view(str(layout)):
        print(f"yingyan wall: unknown layout or view {layout!r}", file=sys.stderr)
        return EXIT_USAGE
    if cameras:
        window.set_cameras(cameras)
    window.set_active_alerts(alerts)
    if args.tour:
        window.tour_action.setChecked(True)
    feed = None
    if client is not None:
        from desktop.video.api import ServerFeed

        feed = ServerFeed(client, parent=window)
        feed.cameras_loaded.connect(window.set_cameras)
        feed.alerts_loaded.connect(window.set_active_alerts)
        feed.failed.connect(lambda msg: window.statusBar().showMessage(msg, 10000))
        feed.start()

    remembered = bool(settings.value("full_screen", False, type=bool))
    full_screen = not args.windowed and (args.screen is not None or remembered)
    window.place(args.screen, full_screen)

    if args.quit_after is not None:
        def finish() -> None:
            if args.snapshot_to:
                stamp = time.strftime("%Y%m%d-%H%M%S")
                name = window.wall.layout_spec().name.replace("+", "p")
                path = window.wall.save_picture(Path(args.snapshot_to) / f"wall-{name}-{stamp}.png")
                print(f"wall picture: {path}")
            window.close()
            app.quit()

        QTimer.singleShot(int(args.quit_after * 1000), finish)
    code = app.exec()
    if feed is not None:
        feed.stop()
    return int(code)


if __name__ == "__main__":
    sys.exit(main())
