"""``yingyan server init | serve | migrate | backup | restore | verify-audit | verify-evidence``."""

from __future__ import annotations

import argparse
import base64
import contextlib
import copy
import os
import shlex
import shutil
import sqlite3
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from shared.timeutil import format_instant, parse_instant

if TYPE_CHECKING:
    from server.audit.anchor import Head
    from server.context import Context
    from server.security import DataKey



def _data_dir(value: str) -> Path:
    return Path(value).expanduser().resolve()


def _write_secret(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.parent.chmod(0o700)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as f:
        f.write(text + "\n")


KEY_CHECK = "data_key.check"


def key_check(key: DataKey) -> str:
    return key.digest(b"yingyan data key check")


def migrate_database(url: str) -> None:
    from alembic import command
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(Path(__file__).parent / "migrations"))
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    cfg.attributes["configure_logger"] = False
    command.upgrade(cfg, "head")


def cmd_init(args: argparse.Namespace) -> int:
    from server.audit.anchor import AuditAnchor, Head
    from server.audit.service import GENESIS
    from server.auth.models import Token, User
    from server.catalogue.models import Meta
    from server.context import real_now
    from server.db import open_database
    from server.security import DataKey, new_token, token_digest
    from server.tls import make_ca_and_server

    data = _data_dir(args.data_dir)
    if data.exists() and any(data.iterdir()):
        if not args.force:
            print(f"yingyan: {data} exists and is not empty; use --force to overwrite it", file=sys.stderr)
            return 1
        shutil.rmtree(data)
    data.mkdir(parents=True, exist_ok=True)
    data.chmod(0o700)
    url = args.db or f"sqlite:///{data / 'yingyan.db'}"
    if args.db:
        (data / "db.url").write_text(args.db + "\n")
        (data / "db.url").chmod(0o600)
    make_ca_and_server(data / "tls", args.hostname or [])
    raw_key = DataKey.generate()
    _write_secret(data / "secrets" / "data.key", base64.b64encode(raw_key).decode())
    admin_token = new_token()
    _write_secret(data / "secrets" / "admin.token", admin_token)
    migrate_database(url)
    db = open_database(url)
    with db.writing() as s:
        now = real_now()
        admin = User(username="admin", password_hash=None, role="admin", offices=[], display_name="Administrator",
                     created_at=now)
        s.add(admin)
        s.flush()
        s.add(Token(digest=token_digest(admin_token), role="admin", user_id=admin.id, created_at=now,
                    expires_at=None))
        # Lets `restore` tell whether a data key belongs to a database (it reveals nothing of the key).
        s.add(Meta(key=KEY_CHECK, value=key_check(DataKey(raw_key))))
    db.dispose()
    AuditAnchor(data, DataKey(raw_key)).reset(Head(0, GENESIS))
    shown = "(from --db)" if args.db else url
    print(f"initialised {data}\n  database  {shown}\n  CA        {data / 'tls/ca.pem'}\n"
          f"  admin token in {data / 'secrets/admin.token'}")
    print(next_steps(data))
    return 0


def next_steps(data: Path) -> str:
    """What a new administrator does after ``init`` (printed by it; the guide is docs/admin/server.md)."""
    d = shlex.quote(str(data))
    admin = f"yingyan admin --data-dir {d}"
    return f"""
The data directory holds the server's secrets: {data / 'secrets'} is readable by this account only.
Give {data / 'tls/ca.pem'} to every console and township agent (they verify the server with it);
keep {data / 'secrets/data.key'} backed up apart from the database.

Next steps:
  1. start the server (systemd runs the same command; see docs/admin/server.md):
       yingyan server serve --data-dir {d} --host 0.0.0.0 --port 8443
  2. load the power catalogue from your spreadsheet (checked first; nothing changes if a row is wrong),
     or the demo catalogue to try things out:
       {admin} catalogue import catalogue.xlsx
       {admin} catalogue import --demo
  3. add the first office and keep its token for the township's sync agent:
       {admin} office add T01 "城关镇便民服务中心" --token-file T01.token
  4. add the first operator (the password is asked for):
       {admin} user add op1 --role operator --display-name "值班员"
  5. check this year's holidays (and load next year's when the State Council announces them):
       {admin} calendar show {time.localtime().tm_year}
"""


def cmd_migrate(args: argparse.Namespace) -> int:
    from server.context import Settings

    settings = Settings.from_data_dir(_data_dir(args.data_dir))
    migrate_database(args.db or settings.db_url)
    print("database is at the latest schema")
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    import uvicorn

    from server.app import create_app, tune_collector
    from server.context import Context, Settings

    data = _data_dir(args.data_dir)
    if not (data / "secrets" / "data.key").exists():
        print(f"yingyan: {data} is not a server data directory; run `yingyan server init` first", file=sys.stderr)
        return 1
    sim = parse_instant(args.simulated_clock) if args.simulated_clock else None
    from server.context import CLOCK_EARLIEST, CLOCK_LATEST

    if sim is not None and not CLOCK_EARLIEST <= sim < CLOCK_LATEST:
        print("yingyan: --simulated-clock must lie between 2000 and 2100; check the year", file=sys.stderr)
        return 2
    if args.clock_rate and sim is None:
        print("yingyan: --clock-rate needs --simulated-clock", file=sys.stderr)
        return 2
    settings = Settings.from_data_dir(
        data, simulated_clock=sim, clock_rate=args.clock_rate or 0.0, sweep_interval=args.sweep_interval,
        sms_gateway=args.sms_gateway, sms_gateway_token=os.environ.get("YINGYAN_SMS_GATEWAY_TOKEN") or None,
        sms_gateway_ca=args.sms_gateway_ca, outbox_interval=args.outbox_interval,
    )
    if args.sms_gateway and args.sms_gateway.startswith("http://") and not _loopback_url(args.sms_gateway):
        print("yingyan: the SMS gateway must be https:// (plain http only on loopback)", file=sys.stderr)
        return 2
    if args.plain_http and args.host not in ("127.0.0.1", "localhost", "::1"):
        print("yingyan: plain HTTP is allowed only on loopback", file=sys.stderr)
        return 2
    _tighten(data)
    migrate_database(settings.db_url)
    ctx = Context(settings)
    _ensure_anchor(ctx)
    if sim is not None:
        with ctx.db.writing() as s:
            ctx.clock.start(s, sim, args.clock_rate or 0.0)
            now = ctx.now(s)
        print(f"simulated clock at {format_instant(now)}", flush=True)
    cert = args.tls_cert or str(data / "tls" / "server.pem")
    key = args.tls_key or str(data / "tls" / "server.key")
    ssl = {} if args.plain_http else {"ssl_certfile": cert, "ssl_keyfile": key}
    common = dict(host=args.host, port=args.port, log_level=None, log_config=log_config(args.log_level,
                  access_log=args.access_log), timeout_graceful_shutdown=30, access_log=args.access_log, **ssl)
    if args.workers > 1:
        os.environ["YINGYAN_DATA_DIR"] = str(data)
        if sim is not None:
            os.environ["YINGYAN_SIMULATED_CLOCK"] = str(sim)
        os.environ["YINGYAN_CLOCK_RATE"] = str(args.clock_rate or 0.0)
        os.environ["YINGYAN_SWEEP_INTERVAL"] = str(args.sweep_interval)
        os.environ["YINGYAN_OUTBOX_INTERVAL"] = str(args.outbox_interval)
        if args.sms_gateway:
            os.environ["YINGYAN_SMS_GATEWAY"] = args.sms_gateway
        if args.sms_gateway_ca:
            os.environ["YINGYAN_SMS_GATEWAY_CA"] = args.sms_gateway_ca
        ctx.db.dispose()
        uvicorn.run("server.app:app_from_environment", factory=True, workers=args.workers, **common)
    else:
        server = uvicorn.Server(uvicorn.Config(create_app(ctx), **common))
        tune_collector()
        exit_handler = server.handle_exit

        def handle_exit(sig: int, frame: object) -> None:
            # Long-polls would otherwise hold the graceful shutdown for up to their 30 s wait:
            # answer them now (empty, with their cursor) so in-flight batches are all that remain.
            ctx.stopping = True
            if ctx.notifier is not None:
                ctx.notifier.wake_all()
            exit_handler(sig, frame)  # type: ignore[arg-type]

        server.handle_exit = handle_exit  # type: ignore[method-assign]
        server.run()
    return 0


def _ensure_anchor(ctx: Context) -> None:
    """A database that never had an audit anchor (made before there were anchors) gets one now,
    at its current head; one that does not verify is reported, never overwritten."""
    from server.audit.anchor import AnchorInvalid
    from server.audit.service import tail

    try:
        if ctx.audit_anchor.read() is not None:
            return
    except AnchorInvalid as exc:
        print(f"yingyan: WARNING {ctx.audit_anchor.path}: {exc}; run `yingyan server verify-audit`",
              file=sys.stderr)
        return
    with ctx.db.reading() as s:
        head = tail(s)
    ctx.audit_anchor.reset(head)
    print(f"audit head anchored at entry {head.seq} in {ctx.audit_anchor.path}", flush=True)


def _tighten(data: Path) -> None:
    """A data directory made before files were created private (0644) is made private on start."""
    try:
        data.chmod(0o700)
        # The files init writes, one level down at most (secrets/, tls/); new ones follow the umask.
        for path in [*data.iterdir(), *(p for d in data.iterdir() if d.is_dir() for p in d.iterdir())]:
            if path.is_symlink():
                continue
            if path.is_dir():
                path.chmod(0o700)
            elif path.stat().st_mode & 0o077:
                path.chmod(0o600)
    except PermissionError as exc:
        print(f"yingyan: cannot make {data} private ({exc}); check its owner", file=sys.stderr)


def log_config(level: str, *, access_log: bool) -> dict[str, Any]:
    """Logging for ``serve``: the server's own loggers at ``level``; with ``--access-log`` one line
    per request whatever ``level`` is (uvicorn would otherwise hide them below ``info``)."""
    from uvicorn.config import LOGGING_CONFIG

    config = copy.deepcopy(LOGGING_CONFIG)
    name = level.upper()
    config["loggers"]["uvicorn"]["level"] = name
    config["loggers"]["uvicorn.error"]["level"] = name
    config["loggers"]["uvicorn.access"]["level"] = "INFO" if access_log else name
    # The server's own modules (yingyan.*, server.*) log through the same handler and level; other
    # libraries (SQLAlchemy would log every statement at info) keep Python's defaults.
    for logger in ("yingyan", "server"):
        config["loggers"][logger] = {"handlers": ["default"], "level": name, "propagate": False}
    return config


def _loopback_url(url: str) -> bool:
    from urllib.parse import urlparse

    return urlparse(url).hostname in ("127.0.0.1", "localhost", "::1")


def cmd_backup(args: argparse.Namespace) -> int:
    from server.audit.anchor import BACKUP_META_KEY, HEAD_FILE
    from server.context import Settings

    settings = Settings.from_data_dir(_data_dir(args.data_dir))
    target = Path(args.to).expanduser().resolve()
    if target.exists() and not args.force:
        print(f"yingyan: {target} exists; use --force to replace it", file=sys.stderr)
        return 1
    target.parent.mkdir(parents=True, exist_ok=True)
    # The audit head, read before the snapshot: the copy holds at least the entries it names.
    head_file = _data_dir(args.data_dir) / HEAD_FILE
    head_text = head_file.read_text() if head_file.exists() else None
    if settings.db_url.startswith("sqlite"):
        source = settings.db_url.split("sqlite:///", 1)[1]
        tmp = target.with_suffix(target.suffix + ".part")
        with contextlib.closing(sqlite3.connect(source, timeout=60)) as src, \
                contextlib.closing(sqlite3.connect(tmp)) as dst:
            # The online backup API copies a consistent snapshot while the server keeps writing.
            src.backup(dst)
            if head_text is not None:
                # The backup carries its head, so that a restore from it still verifies to its end.
                dst.execute("DELETE FROM meta WHERE key = ?", (BACKUP_META_KEY,))
                dst.execute("INSERT INTO meta (key, value) VALUES (?, ?)", (BACKUP_META_KEY, head_text))
                dst.commit()
        tmp.replace(target)
    else:
        import subprocess

        url = settings.db_url.replace("postgresql+psycopg://", "postgresql://")
        run = subprocess.run(["pg_dump", "--format=custom", "--file", str(target), url], capture_output=True,
                             text=True)
        if run.returncode != 0:
            print(f"yingyan: pg_dump failed: {run.stderr.strip()}", file=sys.stderr)
            return 1
        if head_text is not None:
            companion = target.with_name(target.name + "." + HEAD_FILE)
            companion.write_text(head_text)
            print(f"audit head written to {companion}: after pg_restore, copy it to DIR/{HEAD_FILE}")
    # Evidence after the database: every blob the copied database names was stored before it
    # was attached, so it is there now (blobs are never changed or deleted).
    from server.evidence.service import copy_blobs

    copied, _ = copy_blobs(settings.data_dir / "evidence", _evidence_of(target), check=False)
    print(f"backup written to {target} (evidence in {_evidence_of(target)}, {copied} new files)")
    return 0


def _evidence_of(backup: Path) -> Path:
    """Where a backup keeps its evidence blobs: a folder beside the database file."""
    return backup.with_name(backup.name + ".evidence")


def _key_problem(db_file: Path, key: DataKey) -> str | None:
    """Why ``key`` cannot be this database's data key, or None if it fits (or cannot be told)."""
    from cryptography.exceptions import InvalidTag

    try:
        conn = sqlite3.connect(f"file:{db_file}?immutable=1", uri=True)
    except sqlite3.Error as exc:
        return f"cannot open it: {exc}"
    try:
        row = conn.execute("SELECT value FROM meta WHERE key = ?", (KEY_CHECK,)).fetchone()
        if row is not None:
            return None if row[0] == key_check(key) else "it was made by a server with another data key"
        # Databases made before the key check: try to open one protected petitioner block.
        row = conn.execute("SELECT id, petitioner_enc FROM petitions WHERE petitioner_enc IS NOT NULL LIMIT 1"
                           ).fetchone()
        if row is not None:
            try:
                key.decrypt(row[1], associated=row[0].encode())
            except InvalidTag:
                return "its protected petitioner data does not open with this data key"
        return None
    except sqlite3.Error as exc:
        return f"it is not a Yingyan database ({exc})"
    finally:
        conn.close()


def _backup_head(db_file: Path, key: DataKey) -> Head | str:
    """The audit head a backup carries (or, for a backup made before anchors, its chain's end),
    or why it cannot be trusted."""
    from server.audit.anchor import BACKUP_META_KEY, AnchorInvalid, Head, decode

    with contextlib.closing(sqlite3.connect(f"file:{db_file}?immutable=1", uri=True)) as conn:
        row = conn.execute("SELECT value FROM meta WHERE key = ?", (BACKUP_META_KEY,)).fetchone()
        if row is None:
            last = conn.execute("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1").fetchone()
            return Head(last[0], last[1]) if last else Head(0, "0" * 64)
    try:
        return decode(key, row[0])
    except AnchorInvalid as exc:
        return f"its audit head does not verify ({exc})"


def cmd_restore(args: argparse.Namespace) -> int:
    from server.audit.anchor import AuditAnchor
    from server.context import Settings
    from server.security import DataKey

    data = _data_dir(args.data_dir)
    if not (data / "secrets" / "data.key").exists():
        print(f"yingyan: {data} is not a server data directory; run `yingyan server init` first", file=sys.stderr)
        return 1
    settings = Settings.from_data_dir(data)
    source = Path(args.source).expanduser().resolve()
    if not settings.db_url.startswith("sqlite"):
        print("yingyan: restore a PostgreSQL backup with pg_restore into an empty database", file=sys.stderr)
        return 2
    if not source.is_file():
        print(f"yingyan: no backup file {source}", file=sys.stderr)
        return 1
    old = _data_dir(args.secrets_from) if args.secrets_from else None
    if old is not None and not (old / "secrets" / "data.key").is_file():
        print(f"yingyan: {old} has no secrets/data.key", file=sys.stderr)
        return 1
    key_file = (old or data) / "secrets" / "data.key"
    problem = _key_problem(source, DataKey.from_file_text(key_file.read_text()))
    if problem:
        hint = "" if old else " — pass --secrets-from with the original data directory (or a copy of it)"
        print(f"yingyan: {source} does not fit the data key {key_file}: {problem}; nothing was changed{hint}",
              file=sys.stderr)
        return 1
    key = DataKey.from_file_text(key_file.read_text())
    head = _backup_head(source, key)
    if isinstance(head, str):
        print(f"yingyan: {source}: {head}; nothing was changed", file=sys.stderr)
        return 1
    from server.evidence.service import copy_blobs

    # Evidence first, each blob checked against its name: adding a blob never harms a server,
    # and a damaged backup is refused before its database replaces anything.
    copied, problems = copy_blobs(_evidence_of(source), data / "evidence", check=True)
    if problems:
        for problem in problems:
            print(f"yingyan: {problem}", file=sys.stderr)
        print(f"yingyan: the backup's evidence is damaged ({len(problems)} files); the database was not restored",
              file=sys.stderr)
        return 1
    target = Path(settings.db_url.split("sqlite:///", 1)[1])
    part = target.with_name(target.name + ".restoring")
    shutil.copyfile(source, part)
    for suffix in ("-wal", "-shm"):
        Path(str(target) + suffix).unlink(missing_ok=True)
    part.replace(target)
    if old is not None:
        for name in ("data.key", "admin.token"):
            if (old / "secrets" / name).is_file():
                _write_secret(data / "secrets" / name, (old / "secrets" / name).read_text().strip())
        if (old / "tls").is_dir():
            shutil.copytree(old / "tls", data / "tls", dirs_exist_ok=True)
    # The backup's head replaces this directory's: the restored chain is checked up to it.
    AuditAnchor(data, key).reset(head)
    print(f"restored {target} from {source}" + (f" with the secrets and TLS files of {old}" if old else "")
          + f"; {copied} evidence files")
    return 0


def cmd_verify_evidence(args: argparse.Namespace) -> int:
    from sqlalchemy import select

    from server.context import Settings
    from server.db import open_database
    from server.evidence.service import verify
    from server.investigations.models import InvestigationEvidence

    settings = Settings.from_data_dir(_data_dir(args.data_dir))
    db = open_database(args.db or settings.db_url)
    try:
        with db.reading() as s:
            referenced = set(s.scalars(select(InvestigationEvidence.sha256).distinct()))
    finally:
        db.dispose()
    checked, problems = verify(settings.data_dir / "evidence", referenced)
    for problem in problems:
        print(problem, file=sys.stderr)
    if problems:
        print(f"evidence BROKEN: {len(problems)} of {checked} files do not match (or are missing)", file=sys.stderr)
        return 1
    print(f"evidence intact: {checked} files, every SHA-256 verified")
    return 0


def cmd_verify_audit(args: argparse.Namespace) -> int:
    from server.audit.anchor import AnchorInvalid, AuditAnchor
    from server.audit.service import verify
    from server.context import Settings
    from server.db import open_database
    from server.security import DataKey

    data = _data_dir(args.data_dir)
    settings = Settings.from_data_dir(data)
    anchor = AuditAnchor(data, DataKey.from_file_text((data / "secrets" / "data.key").read_text()))
    try:
        head = anchor.read()
    except AnchorInvalid as exc:
        print(f"audit log BROKEN: {anchor.path}: {exc}", file=sys.stderr)
        return 1
    if head is None:
        print(f"audit log cannot be checked to its end: {anchor.path} is missing (the server writes it "
              "when it starts; a restore puts the backup's in place)", file=sys.stderr)
        return 1
    db = open_database(args.db or settings.db_url)
    with db.reading() as s:
        result = verify(s, head)
    db.dispose()
    if result.broken_seq is not None:
        print(f"audit log BROKEN at entry {result.broken_seq}: {result.reason} "
              f"({result.entries} entries read)", file=sys.stderr)
        return 1
    print(f"audit log intact: {result.entries} entries, hash chain verified up to the head recorded outside "
          f"the database (entry {head.seq})")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="yingyan server", description="The Yingyan sync server")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("init", help="create a data directory: database, private CA, secrets")
    p.add_argument("--data-dir", required=True)
    p.add_argument("--db", help="database URL (default: SQLite in the data directory)")
    p.add_argument("--hostname", action="append", help="extra host name for the server certificate")
    p.add_argument("--force", action="store_true")
    p.set_defaults(func=cmd_init)

    p = sub.add_parser("serve", help="serve HTTPS")
    p.add_argument("--data-dir", required=True)
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8443)
    p.add_argument("--simulated-clock", help="start a simulated clock at this ISO 8601 instant")
    p.add_argument("--clock-rate", type=float, default=0.0, help="with --simulated-clock: run at N × real time")
    p.add_argument("--workers", type=int, default=1)
    p.add_argument("--tls-cert")
    p.add_argument("--tls-key")
    p.add_argument("--plain-http", action="store_true", help="development only, loopback only")
    p.add_argument("--sweep-interval", type=float, default=15.0, help="seconds between clock sweeps (≤ 60)")
    p.add_argument("--sms-gateway", help="URL of the SMS/e-mail gateway for risk reminders "
                   "(token in the environment variable YINGYAN_SMS_GATEWAY_TOKEN)")
    p.add_argument("--sms-gateway-ca", help="CA file that signs the gateway's certificate")
    p.add_argument("--outbox-interval", type=float, default=5.0, help="seconds between reminder deliveries")
    p.add_argument("--log-level", default="warning")
    p.add_argument("--access-log", action="store_true")
    p.set_defaults(func=cmd_serve)

    p = sub.add_parser("migrate", help="bring the database schema up to date")
    p.add_argument("--data-dir", required=True)
    p.add_argument("--db")
    p.set_defaults(func=cmd_migrate)

    p = sub.add_parser(
        "backup", help="a consistent online copy of the database and the evidence files "
                       "(not of DIR/secrets: keep those safe apart)",
        description="Copy the database while the server runs, and the evidence files into TO.evidence beside "
                    "it (only the files it lacks: evidence never changes). The copy holds protected petitioner data "
                    "encrypted with DIR/secrets/data.key, which is deliberately not in it: keep DIR/secrets "
                    "(and DIR/tls) backed up separately; `restore --secrets-from` needs them.")
    p.add_argument("--data-dir", required=True)
    p.add_argument("--to", required=True)
    p.add_argument("--force", action="store_true")
    p.set_defaults(func=cmd_backup)

    p = sub.add_parser(
        "restore", help="replace a stopped server's SQLite database with a backup (and add its evidence files)",
        description="Replace the database of the (stopped) server in --data-dir with a backup. The backup "
                    "only opens with the data key of the server it came from: restoring onto a freshly "
                    "initialised directory needs --secrets-from OLD_DIR, which also takes over OLD_DIR's "
                    "admin token and TLS files (so consoles keep trusting the server). A backup that does "
                    "not fit the data key is refused and nothing is changed.")
    p.add_argument("--data-dir", required=True)
    p.add_argument("--from", dest="source", required=True, help="the file written by `backup --to`")
    p.add_argument("--secrets-from", metavar="OLD_DIR",
                   help="data directory (or a copy of it) whose secrets/data.key, secrets/admin.token and tls/ "
                        "to install with the backup")
    p.set_defaults(func=cmd_restore)

    p = sub.add_parser("verify-evidence", help="re-hash every evidence file and name any that does not match")
    p.add_argument("--data-dir", required=True)
    p.add_argument("--db")
    p.set_defaults(func=cmd_verify_evidence)

    p = sub.add_parser("verify-audit", help="check the audit hash chain")
    p.add_argument("--data-dir", required=True)
    p.add_argument("--db")
    p.set_defaults(func=cmd_verify_audit)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    # Everything the server writes (the database with applicants' ids, its WAL, backups, keys, the
    # audit anchor, camera URLs with passwords) is for the server's account alone: 0600 / 0700.
    os.umask(0o077)
    result: int = args.func(args)
    return result
