"""The one `yingyan` command: dispatches to the server, console, wall and sync agent.

Subcommands are imported lazily by module path so that, for example, `yingyan server`
never loads Qt and `yingyan console` never loads the web framework.
"""

from __future__ import annotations

import importlib
import sys

#: subcommand -> (module with a ``main(argv)`` function, one-line help)
SUBCOMMANDS: dict[str, tuple[str, str]] = {
    "server": ("server.cli", "run and administer the sync server (init, serve, migrate, backup, verify-audit)"),
    "admin": ("desktop.admin.cli", "administer a running server (office, user, catalogue, calendar, camera, settings, "
                                   "audit)"),
    "sync": ("desktop.township.cli", "township sync agent (login, push, status, watch, --gui)"),
    "console": ("desktop.cli", "the desktop supervision console"),
    "wall": ("desktop.video.cli", "the standalone video wall window"),
    "demo": ("desktop.demo", "everything on one machine with demo data"),
}


def usage() -> str:
    lines = ["usage: yingyan <command> [options]", "", "commands:"]
    lines += [f"  {name:<8} {text}" for name, (_, text) in SUBCOMMANDS.items()]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or args[0] in {"-h", "--help", "help"}:
        print(usage())
        return 0
    if args[0] == "--version":
        from shared import __version__

        print(f"yingyan {__version__}")
        return 0
    entry = SUBCOMMANDS.get(args[0])
    if entry is None:
        print(f"yingyan: unknown command {args[0]!r}\n\n{usage()}", file=sys.stderr)
        return 2
    module = importlib.import_module(entry[0])
    result: int = module.main(args[1:])
    return result


if __name__ == "__main__":
    sys.exit(main())
