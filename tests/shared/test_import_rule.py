"""``shared/`` must stay free of Qt and web frameworks: the console and server both build on it."""

from __future__ import annotations

import ast
from pathlib import Path
from typing import Any

FORBIDDEN = ("PySide6", "PyQt5", "PyQt6", "fastapi", "starlette", "uvicorn", "sqlalchemy", "vlc", "requests",
             "server", "desktop", "pyqtgraph", "flask")
SHARED = Path(__file__).resolve().parents[2] / "shared"


def test_shared_imports_no_framework() -> None:
    offenders = []
    for path in SHARED.rglob("*.py"):
        if path.name == "cli.py":
            continue  # the command dispatcher imports subcommands by name only, lazily
        tree = ast.parse(path.read_text(), str(path))
        node: Any
        for node in ast.walk(tree):
            names: list[str] = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names = [node.module]
            for name in names:
                if name.split(".")[0] in FORBIDDEN:
                    offenders.append(f"{path.relative_to(SHARED.parent)}:{node.lineno} imports {name}")
    assert offenders == []


def test_the_dispatcher_names_modules_not_imports() -> None:
    tree = ast.parse((SHARED / "cli.py").read_text())
    top_level = [n for n in tree.body if isinstance(n, ast.Import | ast.ImportFrom)]
    assert all(
        ((n.module or "") if isinstance(n, ast.ImportFrom) else n.names[0].name).split(".")[0] not in FORBIDDEN
        for n in top_level
    )
