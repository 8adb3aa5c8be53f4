"""The database layer's bulk writes and statement planning.

``bulk_insert`` and ``bulk_update`` on SQLite write through the driver directly: what they
store must be what SQLAlchemy's own statements would have stored (JSON, booleans, NULLs,
hostile text), and a column SQLAlchemy would have filled in (a default, an ``onupdate``) must
still be filled in. On PostgreSQL no statement is kept prepared with a stale plan."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import JSON, Boolean, Column, Integer, MetaData, String, Table, select, text

from server.db import Database, bulk_insert, bulk_update, open_database

HOSTILE = "'); DROP TABLE t; -- 鹰眼 \x00\u202e"


def _table() -> Table:
    return Table(
        "t", MetaData(),
        Column("id", Integer, primary_key=True),
        Column("name", String(200)),
        Column("flag", Boolean, nullable=False),
        Column("data", JSON),
        Column("kind", String(20), default="plain"),
        Column("touched", Integer, onupdate=1),
    )


def _rows(db_path: Path) -> tuple[Table, Database]:
    table = _table()
    db = open_database(f"sqlite:///{db_path}")
    table.metadata.create_all(db.writer)
    return table, db


def test_inserted_rows_read_back_as_sqlalchemy_would_store_them(tmp_path: Path) -> None:
    table, db = _rows(tmp_path / "a.db")
    rows: list[dict[str, Any]] = [
        {"id": 1, "name": HOSTILE, "flag": True, "data": {"k": [1, "二", None]}, "kind": "x", "touched": 0},
        {"id": 2, "name": None, "flag": False, "data": None, "kind": "y", "touched": 0},
    ]
    with db.writing() as s:
        bulk_insert(s, table, rows)
    with db.reading() as s:
        got = [dict(r._mapping) for r in s.execute(select(table).order_by(table.c.id))]
    assert got == rows
    assert got[0]["flag"] is True
    assert got[1]["flag"] is False


def test_a_left_out_column_with_a_default_still_gets_it(tmp_path: Path) -> None:
    table, db = _rows(tmp_path / "b.db")
    with db.writing() as s:
        bulk_insert(s, table, [{"id": 1, "name": "a", "flag": False, "data": {}}])
    with db.reading() as s:
        assert s.execute(select(table.c.kind)).scalar_one() == "plain"


def test_updates_change_only_their_rows_and_keep_onupdate(tmp_path: Path) -> None:
    table, db = _rows(tmp_path / "c.db")
    with db.writing() as s:
        bulk_insert(s, table, [{"id": i, "name": f"n{i}", "flag": False, "data": {"i": i}, "kind": "k", "touched": 0}
                               for i in range(1, 4)])
    with db.writing() as s:
        bulk_update(s, table, [{"_id": 2, "name": HOSTILE, "flag": True, "data": {"new": "值"}}],
                    ("name", "flag", "data"))
        bulk_update(s, table, [{"_id": 3, "kind": "z", "touched": 5}], ("kind", "touched"))
        bulk_update(s, table, [{"_id": 1, "kind": "w"}], ("kind",))
    with db.reading() as s:
        got = {r.id: r for r in s.execute(select(table))}
    assert (got[2].name, got[2].flag, got[2].data, got[2].touched) == (HOSTILE, True, {"new": "值"}, 1)
    assert (got[3].kind, got[3].touched) == ("z", 5)
    assert (got[1].kind, got[1].touched, got[1].name) == ("w", 1, "n1")


def test_postgres_statements_are_planned_for_their_own_parameters(pg_database: str) -> None:
    """No statement is kept prepared on the server: a plan made when a table was empty would be
    used for it forever after (a midnight sweep that began with no alerts scanned the whole
    alerts table for every chunk, nine times slower)."""
    db = open_database(pg_database)
    try:
        with db.writing() as s:
            for _ in range(10):
                s.execute(select(1).where(text("1 = :x")), {"x": 1})
            assert s.execute(text("SELECT count(*) FROM pg_prepared_statements")).scalar_one() == 0
    finally:
        db.dispose()
