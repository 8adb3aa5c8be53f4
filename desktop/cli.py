"""``yingyan console [--server URL] [--ca FILE] [--check-install]``: starts or checks the console.

``--check-install`` is the administrator's self-check after an install: it prints what the
configuration chain resolved (each value with its source), checks the installation (Python,
the Qt and VLC Python packages, libvlc) and exits 0 when nothing failed, 1 otherwise. It never
opens a window, so it also runs over remote shells, in CI and under Wine.

Without it the console starts: ``desktop.app.run(config)``, imported only then so that the
check works even when the GUI cannot start.
"""

from __future__ import annotations

import argparse
import importlib
import importlib.metadata
import importlib.util
import platform
import struct
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TextIO

from desktop import vlc_locate
from desktop.config import ConfigError, ConsoleConfig, load_config

MIN_PYTHON = (3, 11)

#: Qt modules the console needs; importing them loads Qt's DLLs without creating a window.
QT_MODULES = ("PySide6.QtCore", "PySide6.QtGui", "PySide6.QtWidgets")


def _say(text: str, stream: TextIO | None = None) -> None:
    """Print, tolerating pythonw.exe, where there is no stdout/stderr at all."""
    stream = stream if stream is not None else sys.stdout
    if stream is not None:
        print(text, file=stream, flush=True)


def parse_args(argv: Sequence[str]) -> argparse.Namespace:
    ap = argparse.ArgumentParser(prog="yingyan console", description="The Yingyan supervision console.")
    ap.add_argument("--server", metavar="URL", help="sync server, e.g. https://sync.example:8443")
    ap.add_argument("--ca", metavar="FILE", help="CA certificate (PEM) that signed the server's certificate")
    ap.add_argument(
        "--check-install",
        action="store_true",
        help="print the resolved configuration, check the installation and exit",
    )
    return ap.parse_args(list(argv))


class Report:
    """Collects check results as lines; failures decide the exit code."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.failed: list[str] = []

    def ok(self, what: str, detail: str = "") -> None:
        self.lines.append(f"  [ ok ] {what}" + (f": {detail}" if detail else ""))

    def warn(self, what: str, detail: str) -> None:
        self.lines.append(f"  [warn] {what}: {detail}")

    def fail(self, what: str, detail: str) -> None:
        self.failed.append(what)
        self.lines.append(f"  [FAIL] {what}: {detail}")


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {text[0] if text else ''}"


def check_config(config: ConsoleConfig, report: Report) -> None:
    url = config.server_url.value
    if url is None:
        report.warn(
            "server URL",
            "not configured (give --server, YINGYAN_SERVER_URL, console.toml or install with SERVERURL=...)",
        )
    elif not url.lower().startswith("https://"):
        report.fail("server URL", f"{url} is not https:// (the server only speaks HTTPS)")
    else:
        report.ok("server URL", url)
    ca = config.ca_file.value
    if ca is None:
        report.ok("CA file", "not set: the server certificate is checked against the system's trusted CAs")
    elif not Path(ca).is_file():
        report.fail("CA file", f"{ca} does not exist")
    else:
        report.ok("CA file", ca)


def check_python(report: Report) -> None:
    version = platform.python_version()
    bits = struct.calcsize("P") * 8
    if sys.version_info[:2] < MIN_PYTHON:
        report.fail("Python", f"{version} is older than {'.'.join(map(str, MIN_PYTHON))}")
    elif bits != 64:
        report.fail("Python", f"{version} is {bits}-bit; the console and libvlc need 64-bit")
    else:
        report.ok("Python", f"{version} ({bits}-bit) at {sys.executable}")


def check_imports(report: Report, importer: Callable[[str], object] = importlib.import_module) -> None:
    for name in ("PySide6", *QT_MODULES):
        try:
            module = importer(name)
        except Exception as exc:  # any import failure is what this check reports
            report.fail(name, f"does not import ({_first_line(exc)})")
            continue
        version = getattr(module, "__version__", "")
        report.ok(name, f"imports{f' (version {version})' if version else ''}")


def check_vlc(report: Report) -> None:
    where = vlc_locate.prepare()
    hint = vlc_locate.INSTALL_HINT.get(sys.platform, vlc_locate.INSTALL_HINT["linux"])
    if where is None:
        report.fail("libvlc", f"not found; {hint}")
    else:
        report.ok("libvlc found", f"{where.library or '(python-vlc searches the system)'} [{where.source}]")
    try:
        # python-vlc resolves libvlc at import and calls sys.exit() when the library it was
        # told to use does not load: catch that too, it is a finding, not our exit.
        vlc = importlib.import_module("vlc")
    except (Exception, SystemExit) as exc:
        report.fail("python-vlc", f"does not import ({_first_line(exc)})")
        return
    if getattr(vlc, "dll", None) is None:
        report.fail("python-vlc", f"imports, but no libvlc is loaded; {hint}")
        return
    try:
        libvlc_version = vlc.libvlc_get_version().decode()
    except Exception as exc:  # a libvlc too old or broken to answer
        report.fail("libvlc", f"loaded but does not answer ({_first_line(exc)}); {hint}")
        return
    if not libvlc_version.startswith("3."):
        report.warn("libvlc", f"version {libvlc_version}; the console is tested with VLC 3")
    else:
        report.ok("libvlc loads", f"version {libvlc_version}")


def check_install(config: ConsoleConfig, out: TextIO | None = None) -> int:
    """Print the configuration and installation report; 0 when nothing failed."""
    try:
        version = importlib.metadata.version("yingyan")
    except importlib.metadata.PackageNotFoundError:
        version = "unknown (not installed as a package)"
    _say(f"Yingyan console {version}: installation check", out)
    _say(f"  install folder: {Path(sys.prefix)}", out)
    _say("configuration (highest-precedence source wins):", out)
    exists = "" if config.config_file.is_file() else " (not present)"
    _say(f"  user config file: {config.config_file}{exists}", out)
    for label, setting in config.describe():
        shown = f"{setting.value}  [from {setting.source}]" if setting.is_set else "(not set at any level)"
        _say(f"  {label}: {shown}", out)
    report = Report()
    check_config(config, report)
    check_python(report)
    check_imports(report)
    check_vlc(report)
    _say("checks:", out)
    for line in report.lines:
        _say(line, out)
    if report.failed:
        _say(f"result: FAILED ({', '.join(report.failed)})", out)
        return 1
    _say("result: OK", out)
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    try:
        config = load_config({"server_url": args.server, "ca_file": args.ca})
    except ConfigError as exc:
        _say(f"yingyan console: {exc}", sys.stderr)
        return 1
    if args.check_install:
        # Windows consoles and pipes use a legacy code page; a path it cannot show must not
        # turn the report into a traceback.
        for stream in (sys.stdout, sys.stderr):
            if stream is not None and hasattr(stream, "reconfigure"):
                stream.reconfigure(errors="replace")
        return check_install(config)
    if importlib.util.find_spec("desktop.app") is None:
        _say(
            "yingyan console: the console window (desktop.app) is not part of this build yet; "
            "run 'yingyan console --check-install' to check the installation.",
            sys.stderr,
        )
        return 2
    # Before anything imports vlc (the video wall does, when the window is built).
    vlc_locate.prepare()
    app = importlib.import_module("desktop.app")
    result: int = app.run(config)
    return result
