"""``yingyan sync …``: the township agent's command line (for clerks and scheduled tasks).

    yingyan sync login --server URL --office T03 [--ca FILE]   token from stdin or a hidden prompt
    yingyan sync push [FILE…] [--mapping NAME] [--until DATE]  queue the files, send everything queued
    yingyan sync status [--json]                               queued, sent, rejected, watermark
    yingyan sync rejected [--export FILE.csv|.xlsx] [--clear]  rejected rows with the reasons
    yingyan sync watch DIR [--mapping NAME]                    take new export files as they appear
    yingyan sync mappings                                      the mapping files available
    yingyan sync --gui                                         the window

Exit codes (for scheduled tasks): 0 everything sent and accepted; 1 some records rejected
(see ``rejected``); 2 usage or setup problem; 3 records still queued (server unreachable —
the next run resumes where this one stopped); 4 the server refused the request (token,
office, certificate).
"""

from __future__ import annotations

import argparse
import getpass
import json
import sys
import threading
import uuid
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from desktop.township import credentials
from desktop.township import outbox as ob
from desktop.township.agent import GaveUp, ImportFailed, Stopped, import_file, parse_until, push_files
from desktop.township.client import Backoff, Client, FatalError, RetryableError
from desktop.township.mapping import MappingError, available_mappings, find_mapping

EXIT_OK, EXIT_REJECTED, EXIT_USAGE, EXIT_QUEUED, EXIT_REFUSED = 0, 1, 2, 3, 4


class SetupError(Exception):
    """The agent is not set up (no login, no token)."""


def _err(text: str) -> None:
    print(f"yingyan sync: {text}", file=sys.stderr, flush=True)


def configured(box: ob.Outbox) -> tuple[str, str, str | None]:
    server, office = box.get("server"), box.get("office")
    if not server or not office:
        raise SetupError("not logged in: run 'yingyan sync login --server URL --office CODE [--ca FILE]'")
    return server, office, box.get("ca_file")


def make_client(box: ob.Outbox, *, compress: bool = True) -> tuple[Client, str]:
    server, office, ca = configured(box)
    token = credentials.load_token(server, office)
    if not token:
        raise SetupError(f"no token for office {office} at {server} in the OS keyring: run 'yingyan sync login'")
    return Client(server, token, ca, compress=compress), office


def build_parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(prog="yingyan sync", description="Township sync agent: sends this office's "
                                 "approval events, ratings and petitions to the county server.")
    ap.add_argument("--gui", action="store_true", help="open the window")
    sub = ap.add_subparsers(dest="command")

    p = sub.add_parser("login", help="store the office token in the OS keyring")
    p.add_argument("--server", required=True, metavar="URL", help="e.g. https://county.example:8443")
    p.add_argument("--office", required=True, metavar="CODE", help="this office's code, e.g. T03")
    p.add_argument("--ca", metavar="FILE", help="CA certificate (PEM) that signed the server's certificate")
    p.add_argument("--no-check", action="store_true", help="store without asking the server (offline setup)")

    sub.add_parser("logout", help="remove the office token from the OS keyring")

    def push_options(q: argparse.ArgumentParser) -> None:
        q.add_argument("--mapping", metavar="NAME|FILE", help="mapping name or .toml file (default: by columns)")
        q.add_argument("--until", metavar="DATE|TIME",
                       help="end of the exported period (a date means the end of that day); default: from the "
                            "file name, else the latest time in the file")
        q.add_argument("--batch-size", type=int, default=ob.DEFAULT_BATCH_RECORDS, metavar="N",
                       help=f"records per batch (at most {ob.DEFAULT_BATCH_RECORDS} by default)")
        q.add_argument("--give-up-after", type=float, default=1800, metavar="SECONDS",
                       help="stop retrying a batch after this long (records stay queued); default 1800")
        q.add_argument("--retry-base", type=float, default=1.0, metavar="SECONDS",
                       help="first retry delay; doubles each time, with jitter")
        q.add_argument("--no-gzip", action="store_true", help="send batches uncompressed")
        q.add_argument("--no-progress", action="store_true", help="plain lines, no progress bar")

    p = sub.add_parser("push", help="queue export files and send everything queued")
    p.add_argument("files", nargs="*", type=Path)
    push_options(p)
    p.add_argument("--queue-only", action="store_true", help="only read and queue the files")

    p = sub.add_parser("status", help="queued, sent, rejected, watermark")
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("rejected", help="list rejected records; export them to fix and import again")
    p.add_argument("--export", type=Path, metavar="FILE", help="write a .csv or .xlsx report")
    p.add_argument("--clear", action="store_true", help="dismiss all open rejections")
    p.add_argument("--limit", type=int, default=200)

    p = sub.add_parser("watch", help="import and send export files as they appear in a folder")
    p.add_argument("directory", type=Path)
    push_options(p)
    p.add_argument("--interval", type=float, default=5.0, metavar="SECONDS", help="how often to look")
    p.add_argument("--settle", type=float, default=3.0, metavar="SECONDS",
                   help="a file must stop growing this long before it is taken")
    p.add_argument("--max-scans", type=int, default=0, help=argparse.SUPPRESS)

    sub.add_parser("mappings", help="list the mapping files")

    p = sub.add_parser("notices", help="the supervision notices addressed to this office, and when each reply is due")
    p.add_argument("--awaiting", action="store_true", help="only those still waiting for a reply")
    p.add_argument("--json", action="store_true")
    return ap


# -- commands -----------------------------------------------------------------------------


def cmd_login(args: argparse.Namespace, box: ob.Outbox) -> int:
    server = args.server.rstrip("/")
    ca = str(Path(args.ca).resolve()) if args.ca else None
    if ca and not Path(ca).is_file():
        _err(f"CA file {args.ca} does not exist")
        return EXIT_USAGE
    old_office = box.get("office")
    if old_office and old_office != args.office and box.counts().queued:
        _err(f"{box.counts().queued} records of office {old_office} are still queued; push them before "
             f"switching to {args.office}")
        return EXIT_USAGE
    # Before the token is asked for: without a keyring to keep it, typing it would be in vain.
    problem = credentials.missing_keyring()
    if problem:
        _err(problem)
        return EXIT_USAGE
    if sys.stdin is not None and sys.stdin.isatty():
        token = getpass.getpass(f"office token for {args.office}: ")
    else:
        token = (sys.stdin.readline() if sys.stdin is not None else "").strip()
    if not token:
        _err("no token given (type it at the prompt or pipe it on standard input)")
        return EXIT_USAGE
    if not args.no_check:
        # A dry-run heartbeat: checks the certificate, the token and that it belongs to this
        # office, and stores nothing on the server.
        try:
            client = Client(server, token, ca)
            body = json.dumps({"batch_id": str(uuid.uuid4()), "office": args.office, "records": []}).encode()
            client.post_batch(body, dry_run=True)
        except FatalError as exc:
            _err(f"login refused: {exc}")
            return EXIT_REFUSED
        except RetryableError as exc:
            _err(f"cannot reach {server}: {exc} (use --no-check to store the token anyway)")
            return EXIT_QUEUED
    try:
        credentials.store_token(server, args.office, token)
    except credentials.NoKeyring as exc:
        _err(str(exc))
        return EXIT_USAGE
    box.set("server", server)
    box.set("office", args.office)
    box.set("ca_file", ca)
    # The window's header names the office as people call it; --no-check leaves it to the
    # first push to ask.
    box.set("office_name", None if args.no_check else Client(server, token, ca).office_name())
    print(f"logged in: office {args.office} at {server}" + (f" (CA {ca})" if ca else "")
          + "; the token is in the OS keyring")
    return EXIT_OK


def cmd_logout(box: ob.Outbox) -> int:
    server, office, _ = configured(box)
    removed = credentials.delete_token(server, office)
    print(f"token for {office} at {server} {'removed' if removed else 'was not stored'}")
    return EXIT_OK


def _progress(args: argparse.Namespace) -> Any:
    from desktop.township.progress import Progress

    return Progress(bar=False if args.no_progress else None)


def cmd_push(args: argparse.Namespace, box: ob.Outbox) -> int:
    for f in args.files:
        if not f.is_file():
            _err(f"{f} does not exist")
            return EXIT_USAGE
    if args.mapping:
        find_mapping(args.mapping, box.home)  # fail early on a wrong name
    until = parse_until(args.until) if args.until else None
    if args.queue_only:
        _server, office, _ = configured(box)
        from desktop.township.progress import Progress

        show = Progress(bar=False)
        failed = False
        for f in args.files:
            try:
                res = import_file(box, f, office, mapping=args.mapping, until=until)
            except ImportFailed as exc:
                _err(str(exc))
                failed = True
                continue
            from desktop.township.agent import PushEvent

            show(PushEvent("import", imported=res))
        return EXIT_USAGE if failed else EXIT_OK
    client, office = make_client(box, compress=not args.no_gzip)
    progress = _progress(args)
    try:
        result, imports, failures = push_files(
            box.home, client, office, args.files, mapping=args.mapping, until=until, batch_size=args.batch_size,
            backoff=Backoff(base=args.retry_base), give_up_after=args.give_up_after, on_event=progress)
    except GaveUp as exc:
        progress.finish()
        _err(f"{exc}; {box.counts().queued} records stay queued — the next push resumes")
        return EXIT_QUEUED
    except ob.Busy as exc:
        _err(str(exc))
        return EXIT_QUEUED
    except FatalError as exc:
        progress.finish()
        _err(f"{exc}; {box.counts().queued} records stay queued")
        return EXIT_REFUSED
    except (KeyboardInterrupt, Stopped):
        progress.finish()
        _err(f"interrupted; {box.counts().queued} records stay queued — the next push resumes")
        return EXIT_QUEUED
    progress.finish()
    for failure in failures:
        _err(failure)
    c = box.counts()
    local = sum(r.rejected for r in imports)
    print(f"sent {result.records} records in {result.batches} batches; rejected by the server {result.rejected}, "
          f"here {local}; queued {c.queued}; open rejections {c.rejected}; watermark {box.get('watermark')}")
    if failures:
        return EXIT_USAGE
    if c.queued:
        return EXIT_QUEUED
    return EXIT_REJECTED if (result.rejected or local) else EXIT_OK


def status_dict(box: ob.Outbox) -> dict[str, Any]:
    c = box.counts()
    last = box.recent_batches(1)
    return {
        "server": box.get("server"), "office": box.get("office"),
        "queued": c.queued, "in_flight": c.in_flight, "sent": c.sent, "rejected": c.rejected,
        "batches": c.batches_done, "imported": c.imported, "duplicates": c.duplicates,
        "watermark": box.get("watermark"), "last_summary_at": box.get("last_summary_at"),
        "last_batch": json.loads(last[0]["summary"]) if last and last[0]["summary"] else None,
        "interrupted_imports": [r["path"] for r in box.interrupted_uploads()],
    }


def cmd_status(args: argparse.Namespace, box: ob.Outbox) -> int:
    s = status_dict(box)
    if args.json:
        print(json.dumps(s, ensure_ascii=False, indent=2))
        return EXIT_OK
    print(f"office      {s['office'] or '(not logged in)'} at {s['server'] or '-'}")
    print(f"queued      {s['queued']}" + (f" ({s['in_flight']} in a batch awaiting its summary)" if s["in_flight"]
                                          else ""))
    print(f"sent        {s['sent']} ({s['imported']} imported, {s['duplicates']} duplicates, in {s['batches']} "
          "batches)")
    print(f"rejected    {s['rejected']} open ('yingyan sync rejected' lists them)")
    print(f"watermark   {s['watermark'] or '-'} (from the summary of {s['last_summary_at'] or '-'})")
    for path in s["interrupted_imports"]:
        print(f"unfinished  {path}: the import was interrupted; push the file again")
    return EXIT_OK


def cmd_rejected(args: argparse.Namespace, box: ob.Outbox) -> int:
    if args.export:
        from desktop.township.report import export_rejections

        for path in export_rejections(box, args.export):
            print(f"wrote {path}")
        return EXIT_OK
    if args.clear:
        print(f"dismissed {box.clear_rejections()} rejections")
        return EXIT_OK
    rows = box.open_rejections()
    for r in rows[: args.limit]:
        where = f", column {r['column_name']}" if r["column_name"] else ""
        origin = "server" if r["origin"] == "server" else "local check"
        print(f"{r['file']} row {r['row_no']}{where}: {r['code']} ({origin}) {r['message']}")
    if len(rows) > args.limit:
        print(f"… {len(rows) - args.limit} more; --export FILE writes them all")
    print(f"{len(rows)} open rejections")
    return EXIT_REJECTED if rows else EXIT_OK


def cmd_watch(args: argparse.Namespace, box: ob.Outbox) -> int:
    from desktop.township.agent import Pusher, PushEvent
    from desktop.township.watch import Watcher

    if not args.directory.is_dir():
        _err(f"{args.directory} is not a folder")
        return EXIT_USAGE
    client, office = make_client(box, compress=not args.no_gzip)
    until = parse_until(args.until) if args.until else None
    progress = _progress(args)
    stop = threading.Event()

    def process(path: Path) -> int:
        res = import_file(box, path, office, mapping=args.mapping, until=until)
        progress(PushEvent("import", imported=res))
        return res.upload_id

    watcher = Watcher(box, args.directory, process, settle=args.settle)
    pusher = Pusher(box, client, office, batch_size=args.batch_size, backoff=Backoff(base=args.retry_base),
                    give_up_after=args.give_up_after, stop=stop, on_event=progress)
    print(f"watching {args.directory.resolve()} every {args.interval:g} s (Ctrl-C stops)", flush=True)
    scans = 0
    try:
        lock = ob.push_lock(box.home)
        lock.__enter__()
    except ob.Busy as exc:
        _err(str(exc))
        return EXIT_QUEUED
    try:
        while True:
            for outcome in watcher.scan():
                if not outcome.processed:
                    print(f"{outcome.path.name}: {outcome.message}", flush=True)
            try:
                pusher.drain()
            except GaveUp as exc:
                _err(f"{exc}; will try again")
            except FatalError as exc:
                _err(str(exc))
                return EXIT_REFUSED
            progress.finish()
            scans += 1
            if args.max_scans and scans >= args.max_scans:
                return EXIT_OK
            if stop.wait(args.interval):
                return EXIT_OK
    except KeyboardInterrupt:
        progress.finish()
        return EXIT_OK
    finally:
        lock.__exit__(None, None, None)


def cmd_mappings(box: ob.Outbox) -> int:
    for name, m in sorted(available_mappings(box.home).items()):
        print(f"{name:<12} {m.kind if m.format == 'table' else 'records':<16} {m.title}  [{m.path}]")
    return EXIT_OK


def cmd_notices(args: argparse.Namespace, box: ob.Outbox) -> int:
    """List the notices the county addressed to this office: answer one with a ``notice_reply``
    record (the ``duban_huifu`` mapping) naming its id."""
    client, _office = make_client(box)
    try:
        notices = client.notices(status="awaiting" if args.awaiting else None)
    except (FatalError, RetryableError) as exc:
        _err(f"cannot read the notices: {exc}")
        return EXIT_REFUSED
    if args.json:
        print(json.dumps(notices, ensure_ascii=False, indent=2))
        return EXIT_OK
    for n in notices:
        state = "replied " + str(n.get("replied_at") or "") if n.get("status") == "replied" else "awaiting"
        print(f"{n['id']}  due {n.get('reply_due') or '-'}  {state}  {n.get('subject', '')}")
    print(f"{len(notices)} notices")
    return EXIT_OK


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(list(sys.argv[1:] if argv is None else argv))
    if args.gui:
        from desktop.township.window import run

        return run()
    if args.command is None:
        build_parser().print_help()
        return EXIT_USAGE
    box = ob.Outbox()
    try:
        if args.command == "login":
            return cmd_login(args, box)
        if args.command == "logout":
            return cmd_logout(box)
        if args.command == "push":
            return cmd_push(args, box)
        if args.command == "status":
            return cmd_status(args, box)
        if args.command == "rejected":
            return cmd_rejected(args, box)
        if args.command == "watch":
            return cmd_watch(args, box)
        if args.command == "mappings":
            return cmd_mappings(box)
        if args.command == "notices":
            return cmd_notices(args, box)
    except (SetupError, MappingError, credentials.NoKeyring, ValueError) as exc:
        _err(str(exc))
        return EXIT_USAGE
    finally:
        box.close()
    return EXIT_USAGE
