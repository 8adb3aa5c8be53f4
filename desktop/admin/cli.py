"""``yingyan admin …``: administer a running server over HTTPS, without writing a request by hand.

Where the server is and who is asking:

* ``--server URL`` (or ``YINGYAN_SERVER_URL``; default ``https://127.0.0.1:8443``);
* ``--data-dir DIR`` on the server machine: the administrator token ``DIR/secrets/admin.token``
  and the private CA ``DIR/tls/ca.pem``;
* otherwise a token kept in the OS keyring by ``yingyan admin login`` (or the console's
  sign-in of an administrator), and ``--ca FILE`` (or ``YINGYAN_CA_FILE``) when the server's
  certificate is signed by a private CA.

Passwords are asked for (twice for a new one), never taken from the command line;
``--password-stdin`` reads one line from standard input, for scripts. Office tokens are
printed once, or written to a file readable only by its owner (``--token-file``).
Catalogue imports are checked in full before anything changes: every mistake is listed with
its row, column and reason, and nothing is sent until the file is right. Long steps show
progress bars. A wrong address, CA or token is said in plain words, with what to do.
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, NoReturn

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table
from rich.text import Text

from desktop.admin import catalogue_import
from desktop.admin.client import AdminApi
from desktop.admin.secrets import write_secret_file
from desktop.admin.views import change_text
from desktop.common.api import ApiClient, ApiError, Unreachable
from shared import settings as registry
from shared.admin import ROLES
from shared.calendar_io import ArrangementError, parse_arrangement, show_lines
from shared.catalogue_io import Problem, write_catalogue

DEFAULT_SERVER = "https://127.0.0.1:8443"


class CliError(Exception):
    """Said to the administrator on standard error; exit code 1 (2 for a usage mistake)."""

    def __init__(self, message: str, code: int = 1) -> None:
        super().__init__(message)
        self.code = code


def _consoles() -> tuple[Console, Console]:
    # Not a terminal (a script, a test): wide enough that table cells are never wrapped.
    width = None if sys.stdout.isatty() else 200
    return Console(width=width, highlight=False), Console(stderr=True, width=width, highlight=False)


out, err = _consoles()


# ---- connecting ---------------------------------------------------------------------------------
def connect(args: argparse.Namespace) -> AdminApi:
    server = args.server or os.environ.get("YINGYAN_SERVER_URL") or DEFAULT_SERVER
    data = Path(args.data_dir).expanduser() if args.data_dir else None
    if data is not None and not (data / "secrets").is_dir():
        raise CliError(f"{data} is not a server data directory (no secrets/ in it); give the DIR of "
                       "`yingyan server init --data-dir DIR`")
    ca = args.ca or os.environ.get("YINGYAN_CA_FILE") or (str(data / "tls" / "ca.pem") if data else None)
    if ca and not Path(ca).is_file():
        raise CliError(f"the CA file {ca} does not exist; give the server's CA certificate with --ca "
                       "(DIR/tls/ca.pem of the server's data directory)")
    try:
        client = ApiClient(server, ca)
    except ValueError as exc:
        raise CliError(f"{exc}; give --server https://HOST:PORT", 2) from None
    if data is not None:
        token_file = data / "secrets" / "admin.token"
        try:
            client.token = token_file.read_text().strip()
        except PermissionError:
            raise CliError(f"cannot read {token_file}: run this as the server's account "
                           "(for example: sudo -u yingyan yingyan admin …)") from None
        except OSError as exc:
            raise CliError(f"cannot read {token_file}: {exc.strerror or exc}") from None
    else:
        from desktop.common import credentials

        found = credentials.find_token(server, args.user)
        if found is None:
            raise CliError("no administrator token: on the server give --data-dir DIR, elsewhere sign in first "
                           f"with `yingyan admin --server {server} login`")
        client.token = found[1]
    return AdminApi(client)


def explain(exc: Exception, server: str) -> str:
    """A failed call in words an administrator can act on."""
    if isinstance(exc, Unreachable):
        return (f"cannot reach the server at {server}: {exc}. Is it running (systemctl status yingyan), "
                "and are the address and port right?")
    if isinstance(exc, ApiError):
        if exc.code == "TLS_UNTRUSTED":
            return (f"the server's certificate was not accepted ({exc.message.split(': ', 1)[-1][:200]}). "
                    "Give the CA that signed it with --ca (DIR/tls/ca.pem of the server), and use the host "
                    "name the certificate was made for (`server init --hostname`)")
        if exc.code == "TLS_CA_FILE":
            return f"the CA file cannot be used ({exc.message}): check the path given with --ca"
        if exc.status == 401:
            return (f"the server refused the token ({exc.message}): use --data-dir with this server's data "
                    "directory, or sign in again with `yingyan admin login`")
        if exc.status == 403:
            return f"not allowed ({exc.message}): administration needs an administrator's token"
        return f"the server said {exc.code}: {exc.message}"
    return str(exc)


# ---- small helpers ------------------------------------------------------------------------------
def _table(*columns: str, title: str | None = None) -> Table:
    table = Table(title=title, show_lines=False, header_style="bold")
    for c in columns:
        table.add_column(c, overflow="fold")
    return table


def _password(args: argparse.Namespace, prompt: str = "Password") -> str:
    if args.password_stdin:
        line = sys.stdin.readline().rstrip("\r\n")
        if not line:
            raise CliError("--password-stdin: standard input gave no password")
        return line
    if not sys.stdin.isatty():
        raise CliError("the password is asked for on a terminal; in a script, use --password-stdin", 2)
    first = getpass.getpass(f"{prompt}: ")
    if getpass.getpass(f"{prompt} again: ") != first:
        raise CliError("the two passwords differ; nothing was changed")
    return first


def _show_token(code: str, token: str, token_file: str | None) -> None:
    if token_file:
        write_secret_file(token_file, token)
        out.print(f"office {code}: token written to {token_file} (mode 0600); it is not shown again")
    else:
        out.print(f"office {code}: token (shown once; give it to the office's sync agent):")
        out.print(token, soft_wrap=True)


def _progress() -> Progress:
    return Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                    console=err, transient=False)


# ---- commands ------------------------------------------------------------------------------------
def cmd_login(args: argparse.Namespace) -> int:
    from desktop.common import credentials

    server = args.server or os.environ.get("YINGYAN_SERVER_URL") or DEFAULT_SERVER
    ca = args.ca or os.environ.get("YINGYAN_CA_FILE")
    if ca and not Path(ca).is_file():
        raise CliError(f"the CA file {ca} does not exist")
    user = args.user or input("User name: ").strip()
    password = sys.stdin.readline().rstrip("\r\n") if args.password_stdin else getpass.getpass("Password: ")
    client = ApiClient(server, ca)
    info = client.login(user, password)
    if info.get("role") != "admin":
        raise CliError(f"{user} is a {info.get('role')}, not an administrator; nothing was kept")
    if not credentials.save_token(server, user, str(info["token"])):
        raise CliError("signed in, but the OS keyring is not available: the token could not be kept")
    out.print(f"signed in to {server} as {user}; the token is kept in the OS keyring until {info.get('expires_at')}")
    return 0


def cmd_office_add(api: AdminApi, args: argparse.Namespace) -> int:
    result = api.add_office(code=args.code, name=args.name, kind=args.kind, parent=args.parent,
                            silent_hours=args.silent_hours)
    _show_token(result.code, result.token, args.token_file)
    return 0


def cmd_office_token(api: AdminApi, args: argparse.Namespace) -> int:
    result = api.office_token(args.code)
    out.print(f"office {args.code}: a new token; the old one no longer works")
    _show_token(result.code, result.token, args.token_file)
    return 0


def cmd_office_list(api: AdminApi, args: argparse.Namespace) -> int:
    offices = api.offices()
    table = _table("code", "name", "kind", "parent", "watermark", "last batch")
    for o in offices:
        table.add_row(o["code"], o["name"], o["kind"], o.get("parent") or "", o.get("watermark") or "—",
                      o.get("last_batch_at") or "—")
    out.print(table)
    out.print(f"{len(offices)} offices")
    return 0


def cmd_user_add(api: AdminApi, args: argparse.Namespace) -> int:
    password = _password(args)
    user = api.add_user(username=args.username, password=password, role=args.role, offices=args.office or [],
                        display_name=args.display_name or "")
    out.print(f"user {user.username} added ({user.role}"
              + (f", offices {', '.join(user.offices)}" if user.offices else "") + ")")
    return 0


def cmd_user_list(api: AdminApi, args: argparse.Namespace) -> int:
    users = api.users()
    table = _table("user", "name", "role", "offices", "state")
    for u in users:
        table.add_row(u.username, u.display_name, u.role, ", ".join(u.offices), "disabled" if u.disabled else "active")
    out.print(table)
    out.print(f"{len(users)} users")
    return 0


def cmd_user_disable(api: AdminApi, args: argparse.Namespace) -> int:
    user = api.update_user(args.username, disabled=True)
    out.print(f"user {user.username} is disabled and signed out everywhere")
    return 0


def cmd_user_enable(api: AdminApi, args: argparse.Namespace) -> int:
    user = api.update_user(args.username, disabled=False)
    out.print(f"user {user.username} is enabled")
    return 0


def cmd_user_reset(api: AdminApi, args: argparse.Namespace) -> int:
    password = _password(args, f"New password for {args.username}")
    result = api.reset_password(args.username, password)
    out.print(f"password of {result.username} changed; {result.sessions_ended} session(s) ended")
    return 0


def print_problems(problems: Sequence[Problem], file: str) -> None:
    table = _table("row", "column", "item", "problem", title=f"{len(problems)} problem(s) in {file}")
    for p in problems:
        table.add_row("" if p.row is None else str(p.row), p.column or "", p.code or "", p.message)
    out.print(table)


def cmd_catalogue_import(api: AdminApi, args: argparse.Namespace) -> int:
    if bool(args.file) == bool(args.demo):
        raise CliError("give a catalogue file (.xlsx, .csv or .json), or --demo", 2)
    items = None
    name = args.file
    if args.demo:
        from server.demo_data import demo_catalogue

        items = demo_catalogue(departments=args.departments, items=args.items)
        name = f"the demo catalogue ({len(items)} items)"
    started = time.monotonic()
    with _progress() as progress:
        reading = progress.add_task("reading", total=None)

        def tick(done: int, total: int) -> None:
            progress.update(reading, completed=done, total=total or None)

        progress.update(reading, description=f"reading {Path(name).name if args.file else 'demo'}")
        report = catalogue_import.check_file(api, name, progress=tick, items=items)
        progress.update(reading, completed=len(report.items) or 1, total=len(report.items) or 1,
                        description=f"checked {len(report.items)} items")
    if report.problems:
        print_problems(report.problems, name)
        out.print("nothing was changed: fix these and import the file again")
        return 1
    check = report.check
    assert check is not None
    out.print(f"{name}: {check.items} items — {len(check.added)} new, {len(check.changed)} changed, "
              f"{check.unchanged} unchanged (catalogue version now {check.version})")
    if args.dry_run:
        out.print("dry run: nothing was changed")
        return 0
    with _progress() as progress:
        task = progress.add_task(f"importing {check.items} items", total=1)
        result = catalogue_import.store(api, report)
        progress.update(task, completed=1)
    out.print(f"imported {result['items']} items as catalogue version {result['version']} "
              f"in {time.monotonic() - started:.1f} s")
    return 0


def cmd_catalogue_export(api: AdminApi, args: argparse.Namespace) -> int:
    version, items = api.catalogue()
    target = Path(args.file)
    if target.suffix.lower() not in (".xlsx", ".csv", ".json"):
        raise CliError(f"{target.name}: export to .xlsx, .csv or .json", 2)
    write_catalogue(list(items), target)
    out.print(f"wrote {len(items)} items (catalogue version {version}) to {target}")
    return 0


def cmd_calendar_import(api: AdminApi, args: argparse.Namespace) -> int:
    path = Path(args.file)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise CliError(f"cannot read {path}: {exc.strerror or exc}") from None
    try:
        arrangement = parse_arrangement(data, year=args.year)
    except ArrangementError as exc:
        table = _table("line", "problem", title=f"{len(exc.problems)} problem(s) in {path}")
        for p in exc.problems:
            table.add_row(str(p.line) if p.line else "", p.message)
        out.print(table)
        out.print("nothing was changed: fix these and import the file again")
        return 1
    out.print(f"{path}: {arrangement.year}, {len(arrangement.holidays)} holidays and "
              f"{len(arrangement.workdays)} adjusted working days")
    for line in show_lines(arrangement.year, arrangement.holidays, arrangement.workdays, arrangement.names):
        out.print(line)
    if args.dry_run:
        out.print("dry run: nothing was changed")
        return 0
    result = api.put_calendar(arrangement.year, arrangement.body())
    out.print(f"loaded {arrangement.year}: {result.get('reevaluated', 0)} cases evaluated again, "
              f"{result.get('alerts_changed', 0)} alerts changed, {result.get('dues_moved', 0)} due instants moved "
              "(each change is in the audit log, caused by this calendar change)")
    return 0


def cmd_calendar_show(api: AdminApi, args: argparse.Namespace) -> int:
    from datetime import date

    cal = api.calendar(args.year)
    status = api.calendar_status()
    source = {"admin": "loaded by an administrator", "builtin": "built in (chinese-calendar)",
              "weekdays": "NOT LOADED: Monday–Friday only"}.get(cal["source"], cal["source"])
    out.print(f"{args.year}: {source}")
    holidays = {date.fromisoformat(d) for d in cal["holidays"]}
    workdays = {date.fromisoformat(d) for d in cal["workdays"]}
    if holidays or workdays:
        out.print("休 = holiday or weekend, 班 = adjusted working day (调休), · = working day")
        for line in show_lines(args.year, holidays, workdays):
            out.print(line)
    for w in status.warnings:
        err.print(Text(f"warning: {w}", style="bold yellow"))
    if cal.get("warning") and not status.warnings:
        err.print(Text(f"warning: {cal['warning']}", style="bold yellow"))
    return 0


def cmd_camera_add(api: AdminApi, args: argparse.Namespace) -> int:
    body = {"name": args.name, "office": args.office, "window": args.window, "main_url": args.main_url,
            "sub_url": args.sub_url, "enabled": not args.disabled}
    cam = api.put_camera(args.id, body)
    out.print(f"camera {cam['id']} saved (version {cam['version']})")
    return 0


def cmd_camera_list(api: AdminApi, args: argparse.Namespace) -> int:
    cams = api.cameras()
    table = _table("id", "name", "office", "window", "enabled")
    for c in cams:
        # Stream URLs may carry camera passwords: not printed.
        table.add_row(c["id"], c["name"], c.get("office") or "", c.get("window") or "", "yes" if c["enabled"] else "no")
    out.print(table)
    out.print(f"{len(cams)} cameras")
    return 0


def cmd_camera_remove(api: AdminApi, args: argparse.Namespace) -> int:
    api.delete_camera(args.id)
    out.print(f"camera {args.id} removed")
    return 0


def cmd_settings_get(api: AdminApi, args: argparse.Namespace) -> int:
    chosen = [api.setting(args.name)] if args.name else api.settings()
    table = _table("setting", "field", "value", "default", "meaning")
    for s in chosen:
        for field, meaning in s.fields.items():
            value, default = s.value.get(field), s.default.get(field)
            shown = str(value) if value == default else f"[bold]{value}[/bold]"
            table.add_row(s.name, field, shown, str(default), meaning)
    out.print(table)
    for s in chosen:
        if s.version:
            out.print(f"{s.name}: changed by {s.updated_by} at {s.updated_at} (version {s.version})")
    return 0


def cmd_settings_set(api: AdminApi, args: argparse.Namespace) -> int:
    current = api.setting(args.name)
    try:
        if args.name in registry.SETTINGS:
            value = registry.parse_assignments(args.name, current.value, args.assignments)
            registry.validate(args.name, value)
        else:  # a setting of a newer server: its model checks the values
            value = dict(current.value)
            for text in args.assignments:
                field, _, raw = text.partition("=")
                value[field.strip()] = registry.coerce(int, raw.strip())
    except registry.SettingError as exc:
        raise CliError("; ".join(exc.problems) + "; nothing was changed", 2) from None
    result = api.put_setting(args.name, value)
    changed = [f"{k}: {current.value.get(k)} → {v}" for k, v in result.value.items() if current.value.get(k) != v]
    out.print(f"{args.name} saved (version {result.version})" + (": " + "; ".join(changed) if changed else
                                                                  ": no value changed"))
    return 0


def cmd_audit(api: AdminApi, args: argparse.Namespace) -> int:
    page = api.audit(entity=args.entity, entity_id=args.id, actor=args.actor, action=args.action, limit=args.limit)
    table = _table("#", "when", "who", "what", "entity", "before → after")
    for e in page.entries:
        table.add_row(str(e.seq), e.at[:19].replace("T", " "), e.actor, e.action, f"{e.entity} {e.entity_id}",
                      change_text(e))
    out.print(table)
    result = api.verify_audit()
    if result.intact:
        out.print(f"audit log intact: {result.entries} entries, hash chain verified")
        return 0
    err.print(Text(f"audit log BROKEN at entry {result.broken_seq}: {result.reason}", style="bold red"))
    return 1


# ---- the parser ---------------------------------------------------------------------------------
def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="yingyan admin", description="Administer a running Yingyan server.")
    p.add_argument("--server", metavar="URL", help=f"the server (default: $YINGYAN_SERVER_URL or {DEFAULT_SERVER})")
    p.add_argument("--ca", metavar="FILE", help="CA certificate that signed the server's (default: DIR/tls/ca.pem)")
    p.add_argument("--data-dir", metavar="DIR", help="the server's data directory: its admin token and CA")
    p.add_argument("--user", metavar="NAME", help="whose keyring token to use (default: the last signed in)")
    sub = p.add_subparsers(dest="group", required=True, metavar="COMMAND")

    def group(name: str, text: str) -> Any:
        g = sub.add_parser(name, help=text, description=text)
        return g.add_subparsers(dest="command", required=True, metavar="ACTION")

    def action(parent: Any, name: str, fn: Callable[..., int], text: str) -> argparse.ArgumentParser:
        a: argparse.ArgumentParser = parent.add_parser(name, help=text, description=text)
        a.set_defaults(func=fn)
        return a

    login = sub.add_parser("login", help="sign in as an administrator; the token is kept in the OS keyring")
    login.add_argument("--password-stdin", action="store_true", help="read the password from standard input")
    login.set_defaults(func=cmd_login, needs_api=False)

    office = group("office", "offices (township centres, departments) and their sync tokens")
    a = action(office, "add", cmd_office_add, "register an office; its token is shown once")
    a.add_argument("code")
    a.add_argument("name")
    a.add_argument("--kind", choices=("township", "department", "centre"), default="township")
    a.add_argument("--parent", metavar="CODE", help="the county or city office above it")
    a.add_argument("--silent-hours", type=int, help="its own OFFICE_SILENT limit (default: the server setting)")
    a.add_argument("--token-file", metavar="FILE", help="write the token here (mode 0600) instead of printing it")
    action(office, "list", cmd_office_list, "offices with their watermarks")
    a = action(office, "token", cmd_office_token, "issue a new token for an office (the old one stops working)")
    a.add_argument("code")
    a.add_argument("--token-file", metavar="FILE", help="write the token here (mode 0600) instead of printing it")

    user = group("user", "people who sign in to the console")
    a = action(user, "add", cmd_user_add, "add a user (the password is asked for)")
    a.add_argument("username")
    a.add_argument("--role", required=True, choices=ROLES)
    a.add_argument("--office", action="append", metavar="CODE", help="an office the user belongs to (repeatable)")
    a.add_argument("--display-name", metavar="NAME")
    a.add_argument("--password-stdin", action="store_true", help="read the password from standard input")
    action(user, "list", cmd_user_list, "users, their roles and offices")
    a = action(user, "disable", cmd_user_disable, "disable a user and end their sessions")
    a.add_argument("username")
    a = action(user, "enable", cmd_user_enable, "enable a disabled user")
    a.add_argument("username")
    a = action(user, "reset-password", cmd_user_reset, "set a new password (asked for); the user's sessions end")
    a.add_argument("username")
    a.add_argument("--password-stdin", action="store_true", help="read the password from standard input")

    cat = group("catalogue", "the power catalogue (权力事项目录)")
    a = action(cat, "import", cmd_catalogue_import,
               "check a catalogue file (.xlsx, .csv, .json) and import it; every problem is listed first")
    a.add_argument("file", nargs="?")
    a.add_argument("--dry-run", action="store_true", help="check and report only; change nothing")
    a.add_argument("--demo", action="store_true", help="the demo catalogue (Quangang's scale), to try things out")
    a.add_argument("--departments", type=int, default=74, help=argparse.SUPPRESS)
    a.add_argument("--items", type=int, default=2893, help=argparse.SUPPRESS)
    a = action(cat, "export", cmd_catalogue_export, "write the catalogue in force to .xlsx, .csv or .json")
    a.add_argument("file")

    cal = group("calendar", "holidays and adjusted working days (调休)")
    a = action(cal, "import", cmd_calendar_import, "load a year's arrangement from a simple file")
    a.add_argument("file")
    a.add_argument("--year", type=int, help="the year (default: the year of the dates in the file)")
    a.add_argument("--dry-run", action="store_true", help="check and show only; change nothing")
    a = action(cal, "show", cmd_calendar_show, "a year's holidays with the working days around each")
    a.add_argument("year", type=int)

    cam = group("camera", "cameras of service-hall windows")
    a = action(cam, "add", cmd_camera_add, "add or replace a camera")
    a.add_argument("id")
    a.add_argument("--name", required=True)
    a.add_argument("--main-url", required=True, help="main stream (rtsp://, http(s)://, rtp://, udp://, file://)")
    a.add_argument("--sub-url", help="sub stream for small tiles")
    a.add_argument("--office", metavar="CODE")
    a.add_argument("--window", metavar="NAME")
    a.add_argument("--disabled", action="store_true")
    action(cam, "list", cmd_camera_list, "cameras (stream URLs are not printed: they may hold passwords)")
    a = action(cam, "remove", cmd_camera_remove, "remove a camera")
    a.add_argument("id")

    st = group("settings", "server settings (risk-index weights, OFFICE_SILENT hours, …)")
    a = action(st, "get", cmd_settings_get, "show settings with their defaults")
    a.add_argument("name", nargs="?")
    a = action(st, "set", cmd_settings_set, "change fields of a setting: NAME FIELD=VALUE …")
    a.add_argument("name")
    a.add_argument("assignments", nargs="+", metavar="FIELD=VALUE")

    au = sub.add_parser("audit", help="the audit log, newest first, and whether its hash chain is intact")
    au.add_argument("--entity")
    au.add_argument("--id")
    au.add_argument("--actor")
    au.add_argument("--action")
    au.add_argument("--limit", type=int, default=50)
    au.set_defaults(func=cmd_audit)
    return p


def fail(message: str, code: int = 1) -> NoReturn:
    err.print(Text(f"yingyan admin: {message}", style="bold red"))
    raise SystemExit(code)


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(sys.argv[1:] if argv is None else argv)
    server = args.server or os.environ.get("YINGYAN_SERVER_URL") or DEFAULT_SERVER
    try:
        if getattr(args, "needs_api", True) is False:
            return int(args.func(args))
        api = connect(args)
        try:
            return int(args.func(api, args))
        finally:
            api.client.close()
    except CliError as exc:
        fail(str(exc), exc.code)
    except (ApiError, Unreachable) as exc:
        fail(explain(exc, server))
    except KeyboardInterrupt:
        fail("interrupted; nothing more was sent", 130)
