"""No widget executes SQL: every read of the replica is a ``desktop.replica.queries`` function.

The console's windows, panes and models ask ``desktop.replica`` (queries through the
background-task helper, writes through the sync engine); they never open a connection, hold a
cursor or write SQL themselves. The township agent's own queue (``desktop/township/outbox.py``)
is a store like the replica, outside the console, and is the one other place SQL lives.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

DESKTOP = Path(__file__).resolve().parents[2] / "desktop"
#: where SQL belongs: the replica, and the township agent's own queue
STORES = (DESKTOP / "replica", DESKTOP / "township" / "outbox.py")
EXECUTES = {"execute", "executemany", "executescript", "set_progress_handler", "create_function"}
#: statements as this project writes them (keywords in capitals: "Select the alerts from…" is a label)
SQL = re.compile(r"\b(SELECT\b.+\bFROM|INSERT\s+(OR\s+\w+\s+)?INTO|UPDATE\s+\w+\s+SET|DELETE\s+FROM|CREATE\s+"
                 r"(TABLE|INDEX|TRIGGER))\b", re.DOTALL)


def sql_in(source: str) -> list[str]:
    """Where a module executes SQL, connects to a database or writes an SQL statement."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            if node.func.attr in EXECUTES:
                found.append(f"line {node.lineno}: .{node.func.attr}(…)")
            elif node.func.attr == "connect" and any(k.arg == "readonly" for k in node.keywords):
                found.append(f"line {node.lineno}: a connection of its own to the replica")
        elif isinstance(node, ast.Import | ast.ImportFrom):
            names = [a.name for a in node.names] + ([node.module] if isinstance(node, ast.ImportFrom) else [])
            if "sqlite3" in names:
                found.append(f"line {node.lineno}: imports sqlite3")
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and SQL.search(node.value):
            found.append(f"line {node.lineno}: SQL {node.value[:60]!r}")
    return found


def outside_the_stores() -> list[Path]:
    return [p for p in sorted(DESKTOP.rglob("*.py"))
            if not any(p == store or store in p.parents for store in STORES)]


def test_the_check_finds_sql_where_it_is() -> None:
    widget = '''
import sqlite3
def reload(self):
    for code, name in self.conn.execute("SELECT code, name FROM offices"):
        pass
    self.conn = replica.connect(readonly=True)
    sql = "UPDATE alerts SET status = ?"
'''
    assert len(sql_in(widget)) == 5
    assert sql_in('label = self.tr("Select the alerts from the list")\nqueries.offices(conn)\n') == []


def test_the_check_reads_the_console() -> None:
    modules = {p.relative_to(DESKTOP).as_posix() for p in outside_the_stores()}
    assert {"console/wall.py", "console/wall_model.py", "console/case_pane.py", "console/stats.py",
            "console/bigscreen.py", "console/conflicts.py", "console/window.py", "video/window.py"} <= modules
    assert not any(m.startswith("replica/") for m in modules)


@pytest.mark.parametrize("module", outside_the_stores(), ids=lambda p: p.relative_to(DESKTOP).as_posix())
def test_no_sql_outside_the_replica(module: Path) -> None:
    assert sql_in(module.read_text(encoding="utf-8")) == []
