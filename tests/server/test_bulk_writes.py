"""The database layer's bulk writes and statement planning.

``bulk_insert`` and ``bulk_update`` on SQLite write through the driver directly: what they
store must be what SQLAlchemy's own statements would have stored (JSON, booleans, NULLs,
hostile text), and a column SQLAlchemy would have filled in (a default, an ``onupdate``) must
still be filled in. On PostgreSQL updates go as one statement over arrays, and must store the
same; no statement is kept prepared with a stale plan."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import JSON, BigInteger, Boolean, Column, Float, Integer, MetaData, String, Table, func, select, text

from server.db import Database, bulk_insert, bulk_update, one_of, one_of_each, open_database

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


@pytest.fixture(params=["sqlite", "postgresql"])
def any_database(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A SQLite file or a fresh PostgreSQL database."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'any.db'}"
    return str(request.getfixturevalue("pg_database"))


def _hostile(url: str) -> str:
    # PostgreSQL's text cannot hold NUL at all; requests carrying one are refused before this.
    return HOSTILE if url.startswith("sqlite") else HOSTILE.replace("\x00", "")


def _any_rows(url: str) -> tuple[Table, Database]:
    table = _table()
    db = open_database(url)
    table.metadata.create_all(db.writer)
    return table, db


def test_updates_change_only_their_rows_and_keep_onupdate(any_database: str) -> None:
    table, db = _any_rows(any_database)
    with db.writing() as s:
        bulk_insert(s, table, [{"id": i, "name": f"n{i}", "flag": False, "data": {"i": i}, "kind": "k", "touched": 0}
                               for i in range(1, 4)])
    with db.writing() as s:
        bulk_update(s, table, [{"_id": 2, "name": _hostile(any_database), "flag": True, "data": {"new": "值"}}],
                    ("name", "flag", "data"))
        bulk_update(s, table, [{"_id": 3, "kind": "z", "touched": 5}], ("kind", "touched"))
        bulk_update(s, table, [{"_id": 1, "kind": "w"}], ("kind",))
    with db.reading() as s:
        got = {r.id: r for r in s.execute(select(table))}
    assert (got[2].name, got[2].flag, got[2].data, got[2].touched) == (_hostile(any_database), True, {"new": "值"}, 1)
    assert (got[3].kind, got[3].touched) == ("z", 5)
    assert (got[1].kind, got[1].touched, got[1].name) == ("w", 1, "n1")
    db.dispose()


def test_bulk_updates_store_what_sqlalchemy_would(any_database: str) -> None:
    """Thousands of rows at once, NULLs, JSON null, whole-column NULLs, floats, hostile text:
    read back exactly as an ordinary update would have left them."""
    table = Table(
        "u", MetaData(),
        Column("id", Integer, primary_key=True),
        Column("name", String(200)),
        Column("flag", Boolean),
        Column("data", JSON),
        Column("hours", Float),
        Column("due", BigInteger),
        Column("blank", BigInteger),
    )
    db = open_database(any_database)
    table.metadata.create_all(db.writer)
    n = 12_000  # more than one statement's worth of rows
    with db.writing() as s:
        bulk_insert(s, table, [{"id": i, "name": "old", "flag": False, "data": {"old": i}, "hours": 0.0, "due": 0,
                                "blank": 7} for i in range(1, n + 1)])
    expected: dict[int, dict[str, Any]] = {}
    updates: list[dict[str, Any]] = []
    for i in range(1, n + 1, 2):  # every other row; the rest must not change
        row = {"name": _hostile(any_database) if i % 3 else None, "flag": i % 4 == 1,
               "data": None if i % 5 == 0 else {"值": [i, None]},
               "hours": i / 7 if i % 11 else None, "due": 1_790_000_000_000 + i if i % 13 else None, "blank": None}
        expected[i] = row
        updates.append({"_id": i, **row})
    with db.writing() as s:
        bulk_update(s, table, updates, ("name", "flag", "data", "hours", "due", "blank"))
    with db.reading() as s:
        got = {r.id: r._mapping for r in s.execute(select(table))}
        json_nulls = s.execute(select(func.count()).select_from(table).where(table.c.data.is_(None))).scalar_one()
    for i in range(1, n + 1):
        want = expected.get(i, {"name": "old", "flag": False, "data": {"old": i}, "hours": 0.0, "due": 0, "blank": 7})
        assert {k: got[i][k] for k in want} == want, i
    # None in a JSON column is stored as JSON null, as SQLAlchemy's own update stores it.
    assert json_nulls == 0
    db.dispose()


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


def test_one_of_finds_what_in_finds(any_database: str) -> None:
    """``one_of`` (an array on PostgreSQL) selects exactly the rows ``IN`` would: numbers,
    text with quotes and braces (an array literal's own syntax), none at all, many."""
    table, db = _any_rows(any_database)
    names = [f"n{i}" for i in range(600)] + ['a"b', "{c,d}", "e'f", "NULL", _hostile(any_database)]
    with db.writing() as s:
        bulk_insert(s, table, [{"id": i + 1, "name": n, "flag": False, "data": None, "kind": "k", "touched": 0}
                               for i, n in enumerate(names)])
    with db.reading() as s:
        for wanted in ([], [3], list(range(1, 700, 3)), [10**12]):
            got = set(s.scalars(select(table.c.id).where(one_of(s, table.c.id, wanted))))
            assert got == {i for i in wanted if i <= len(names)}
        for wanted_names in (names[-5:], names[::7], ["absent"]):
            got_names = set(s.scalars(select(table.c.name).where(one_of(s, table.c.name, wanted_names))))
            assert got_names == set(wanted_names) & set(names)
    db.dispose()


def test_one_of_does_not_cut_a_long_value_down_to_a_match(any_database: str) -> None:
    table, db = _any_rows(any_database)  # name is VARCHAR(200)
    with db.writing() as s:
        bulk_insert(s, table, [{"id": 1, "name": "x" * 200, "flag": False, "data": None, "kind": "k", "touched": 0}])
    with db.reading() as s:
        assert list(s.scalars(select(table.c.id).where(one_of(s, table.c.name, ["x" * 201])))) == []
        assert list(s.scalars(select(table.c.id).where(one_of(s, table.c.name, ["x" * 200])))) == [1]
    db.dispose()


def test_one_of_sends_the_same_statement_for_any_number_of_values(any_database: str) -> None:
    """The database is sent one statement text however many values ``one_of`` is given (an
    array, one JSON text), so neither SQLAlchemy nor the database compiles it again per list;
    a list holding a NUL character keeps SQLite's plain IN, which still finds it."""
    from sqlalchemy import event

    table, db = _any_rows(any_database)
    names = [f"n{i}" for i in range(3000)]
    with db.writing() as s:
        bulk_insert(s, table, [{"id": i + 1, "name": n, "flag": False, "data": None, "kind": "k", "touched": 0}
                               for i, n in enumerate(names)])
    sent: list[str] = []

    def seen(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        if statement.lstrip().upper().startswith("SELECT"):
            sent.append(statement)

    event.listen(db.reader, "before_cursor_execute", seen)
    try:
        with db.reading() as s:
            found = [set(s.scalars(select(table.c.id).where(one_of(s, table.c.name, names[:k]))))
                     for k in (1, 40, 3000)]
    finally:
        event.remove(db.reader, "before_cursor_execute", seen)
    assert found == [set(range(1, k + 1)) for k in (1, 40, 3000)]
    assert len(sent) == 3
    assert len(set(sent)) == 1, "one statement text for 1, 40 and 3,000 values"
    if any_database.startswith("sqlite"):
        with db.writing() as s:
            bulk_insert(s, table, [{"id": 9999, "name": "a\x00b", "flag": False, "data": None, "kind": "k",
                                    "touched": 0}])
        with db.reading() as s:
            assert sorted(s.scalars(select(table.c.id).where(one_of(s, table.c.name, ["a\x00b", "n0"])))) == [1, 9999]
    db.dispose()


def test_one_of_each_finds_in_every_column_what_in_finds_and_sends_the_values_once(any_database: str) -> None:
    """Conditions from ``one_of_each`` over two columns in one statement (a UNION, as the
    batch's check of its ids in every record table) each select what ``IN`` would, hostile
    values among them; on PostgreSQL the values go as one array, not one a column (SQLite's
    parameters are positional: its JSON text is bound at each place)."""
    from sqlalchemy import event, literal, union_all

    table, db = _any_rows(any_database)
    names = [f"n{i}" for i in range(50)] + ['a"b', "{c,d}", _hostile(any_database)]
    kinds = ["k", "{c,d}", *names[:3]]
    with db.writing() as s:
        bulk_insert(s, table, [{"id": i + 1, "name": n, "flag": False, "data": None, "kind": kinds[i % len(kinds)],
                                "touched": 0} for i, n in enumerate(names)])
    sent: list[Any] = []

    def seen(_conn: Any, _cursor: Any, statement: str, parameters: Any, *_: Any) -> None:
        if "UNION ALL" in statement:
            sent.append(parameters)

    wanted = ["{c,d}", "n1", "n2", _hostile(any_database), "absent"]
    event.listen(db.reader, "before_cursor_execute", seen)
    try:
        with db.reading() as s:
            by_name, by_kind = one_of_each(s, [table.c.name, table.c.kind], wanted)
            rows = s.execute(union_all(select(literal(0).label("col"), table.c.id).where(by_name),
                                       select(literal(1).label("col"), table.c.id).where(by_kind))).all()
    finally:
        event.remove(db.reader, "before_cursor_execute", seen)
    expected = {(0, i + 1) for i, n in enumerate(names) if n in wanted}
    expected |= {(1, i + 1) for i in range(len(names)) if kinds[i % len(kinds)] in wanted}
    assert set(rows) == expected
    assert len(rows) == len(expected)
    assert {c for c, _ in rows} == {0, 1}
    (parameters,) = sent
    if any_database.startswith("postgresql"):
        assert [v for v in parameters.values() if isinstance(v, list)] == [wanted]
    db.dispose()
