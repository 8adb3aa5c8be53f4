"""Database engines and sessions: SQLite (WAL) by default, PostgreSQL by URL.

SQLite write transactions begin with ``BEGIN IMMEDIATE`` so that concurrent writers queue
on the database lock instead of failing half-way with "database is locked"; readers use
ordinary deferred transactions and, in WAL mode, never block writers.
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from operator import itemgetter
from typing import Any, Protocol, TypeVar

import orjson
from sqlalchemy import (
    ARRAY,
    JSON,
    BigInteger,
    ColumnElement,
    Engine,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    any_,
    bindparam,
    create_engine,
    event,
    func,
    select,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker

T = TypeVar("T")

#: how long a SQLite writer waits for the write lock before the database answers "locked"
SQLITE_BUSY_SECONDS = 60

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

#: Instants are integer microseconds (shared.timeutil); 64-bit on every backend.
InstantColumn = BigInteger

# Transaction-scoped PostgreSQL advisory lock keys.
LOCK_CHANGES = 0x59590001
"""Held from the first change-log or audit insert to commit, so sequence order is commit order."""
LOCK_SWEEP = 0x59590002


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


def table_of(model: type[Base]) -> Table:
    """The Core table of a mapped class, for executemany inserts and updates."""
    table = model.__table__
    assert isinstance(table, Table)
    return table


def sqlite_path_url(path: str) -> str:
    return f"sqlite:///{path}"


def _json_dumps(value: Any) -> str:
    return orjson.dumps(value).decode()


JSON_CODEC: dict[str, Any] = {"json_serializer": _json_dumps, "json_deserializer": orjson.loads}


def _sqlite_engine(url: str, *, immediate: bool) -> Engine:
    # hide_parameters: a failed statement's message (which may reach a log) never carries the values.
    engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": SQLITE_BUSY_SECONDS}, pool_size=8,
                           hide_parameters=True, **JSON_CODEC)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        # Let SQLAlchemy's "begin" hook decide how transactions start.
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_SECONDS * 1000}")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

    return engine


#: ``Session.info`` key under which a transaction notes the newest audit entry it appended.
AUDIT_HEAD = "yingyan.audit_head"


class CommitHook(Protocol):
    def __call__(self, head: tuple[int, str]) -> None: ...


class FairLock:
    """A lock granted in the order it was asked for (``threading.Lock`` promises no order).

    SQLite grants its write lock to whoever asks first after a commit, and a writer kept
    waiting asks again only after a sleep of up to 100 ms: with eight townships' batches at
    once, some waited many turns (a province day's batch p99 was 3.9 s at a p50 of 0.17 s)
    and the lock sat idle while they slept. This process's writers take turns here first."""

    def __init__(self) -> None:
        self._mutex = threading.Lock()
        self._held = False
        self._queue: deque[threading.Lock] = deque()

    def acquire(self, timeout: float) -> bool:
        """Wait up to ``timeout`` seconds for the turn; False if it did not come."""
        with self._mutex:
            if not self._held:
                self._held = True
                return True
            waiter = threading.Lock()
            waiter.acquire()
            self._queue.append(waiter)
        handed = False
        try:
            handed = waiter.acquire(timeout=timeout)
        finally:
            if not handed:
                with self._mutex:
                    if waiter in self._queue:
                        self._queue.remove(waiter)
                    else:
                        handed = True  # handed over just as the wait ended: the turn is ours
        return handed

    def release(self) -> None:
        with self._mutex:
            if self._queue:
                self._queue.popleft().release()  # handed straight to the next in line
            else:
                self._held = False


@dataclass
class Database:
    """The engines of one database: one for writers, one for readers (the same on PostgreSQL)."""

    url: str
    writer: Engine
    reader: Engine
    audit_committed: CommitHook | None = None
    """Called after a commit that appended audit entries, with the newest ``(seq, hash)``."""
    #: this process's SQLite writers, in the order they came: a long job in short transactions
    #: (the sweep) asks again after each one and so goes after the batches already waiting
    _write_turn: FairLock = field(default_factory=FairLock, repr=False)

    @property
    def dialect(self) -> str:
        return "postgresql" if self.writer.dialect.name == "postgresql" else "sqlite"

    @property
    def is_postgres(self) -> bool:
        return self.dialect == "postgresql"

    def write_session(self) -> Session:
        return _write_factory(self)()

    def read_session(self) -> Session:
        return _read_factory(self)()

    @contextmanager
    def writing(self) -> Iterator[Session]:
        """A write transaction: committed on success, rolled back on any error."""
        session = self.write_session()
        turn = False
        try:
            if not self.is_postgres:
                turn = self._take_write_lock(session)
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()
            if turn:
                self._write_turn.release()

    def _take_write_lock(self, session: Session) -> bool:
        """Begin (``BEGIN IMMEDIATE``: wait for SQLite's write lock) after this process's
        writers that asked before; True if the turn was taken (to be given back after the
        transaction). Past SQLite's own busy timeout without a turn, it asks SQLite anyway,
        which then answers as it always did. PostgreSQL queues lock waiters in order itself."""
        turn = self._write_turn.acquire(timeout=SQLITE_BUSY_SECONDS)
        try:
            session.connection()
        except BaseException:
            if turn:
                self._write_turn.release()
            raise
        return turn

    @contextmanager
    def reading(self) -> Iterator[Session]:
        session = self.read_session()
        try:
            yield session
        finally:
            session.rollback()
            session.close()

    def dispose(self) -> None:
        self.writer.dispose()
        if self.reader is not self.writer:
            self.reader.dispose()


_factories: dict[int, sessionmaker[Session]] = {}


def _write_factory(db: Database) -> sessionmaker[Session]:
    key = id(db.writer)
    if key not in _factories:
        factory = sessionmaker(db.writer, expire_on_commit=False)

        @event.listens_for(factory, "after_commit")
        def _committed(session: Session) -> None:
            head = session.info.pop(AUDIT_HEAD, None)
            if head is not None and db.audit_committed is not None:
                db.audit_committed(head)

        @event.listens_for(factory, "after_rollback")
        def _rolled_back(session: Session) -> None:
            session.info.pop(AUDIT_HEAD, None)

        _factories[key] = factory
    return _factories[key]


def _read_factory(db: Database) -> sessionmaker[Session]:
    key = id(db.reader)
    if key not in _factories:
        _factories[key] = sessionmaker(db.reader, expire_on_commit=False)
    return _factories[key]


def open_database(url: str) -> Database:
    if url.startswith("sqlite"):
        return Database(url, _sqlite_engine(url, immediate=True), _sqlite_engine(url, immediate=False))
    # prepare_threshold=None: no server-side prepared statements. psycopg prepares a statement
    # after its fifth run, and PostgreSQL may then settle on a generic plan made from the
    # tables' sizes at that moment: a midnight sweep that began with no alerts kept scanning
    # the whole alerts table for each chunk's alerts, the index beside it unused, and took
    # 450 s instead of 50 s (BENCHMARKS.md, issue 17). Each statement is planned for its own
    # parameters instead.
    engine = create_engine(url, pool_size=10, max_overflow=20, pool_pre_ping=True, hide_parameters=True,
                           connect_args={"prepare_threshold": None}, **JSON_CODEC)

    @event.listens_for(engine, "connect")
    def _lists_in_binary(dbapi_conn: Any, _record: Any) -> None:
        # A list parameter (``one_of``'s array) goes in PostgreSQL's binary form: psycopg's text
        # form quotes each element through a Python regular expression, 3 % of a small batch's
        # import (BENCHMARKS.md, issue 17). Elements are typed as text or the smallest integer
        # that holds them all; ``one_of`` casts the array to the column's kind.
        from psycopg.types.array import ListBinaryDumper

        dbapi_conn.adapters.register_dumper(list, ListBinaryDumper)

    return Database(url, engine, engine)


def advisory_xact_lock(session: Session, key: int) -> None:
    """Serialize with other processes until this transaction ends (no-op on SQLite,
    whose write transactions are already serialized by BEGIN IMMEDIATE)."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": key})


def try_advisory_xact_lock(session: Session, key: int) -> bool:
    if session.get_bind().dialect.name == "postgresql":
        return bool(session.execute(text("SELECT pg_try_advisory_xact_lock(:k)"), {"k": key}).scalar())
    return True


#: How many values one ``one_of`` is given at a time. Its statement's text is the same for any
#: count (one array, one JSON text), so this only bounds one statement's work and result; 500
#: at a time cost a batch fifty round trips to look up its 5,000 record ids.
ONE_OF_CHUNK = 5000


def one_of_chunks(values: Sequence[T]) -> Iterator[Sequence[T]]:
    """``values`` in pieces of at most ``ONE_OF_CHUNK``, each for one ``one_of``."""
    for start in range(0, len(values), ONE_OF_CHUNK):
        yield values[start : start + ONE_OF_CHUNK]


def one_of(session: Session, column: Any, values: Sequence[Any]) -> ColumnElement[bool]:
    """``column IN (values)``; on PostgreSQL ``column = ANY(<one array>)``, whose text is the
    same however many values there are, so neither SQLAlchemy nor psycopg renders and parses
    the statement again for every list (psycopg caches no statement of more than 50
    parameters: an IN of 500 ids was parsed afresh each time, a seventh of a sweep's time).
    On SQLite ``column IN (SELECT value FROM json_each(<one JSON array>))``, for the same
    reason: SQLAlchemy expanded an IN of 500 values into new SQL text at every execution (about
    3 % of a batch's import in a profile), which SQLite then prepared afresh. SQLite still looks each
    value up through the column's index (``SEARCH … USING INDEX``, ``LIST SUBQUERY``)."""
    return one_of_each(session, [column], values)[0]


def one_of_each(session: Session, columns: Sequence[Any], values: Sequence[Any]) -> list[ColumnElement[bool]]:
    """:func:`one_of` for each of ``columns`` (of one kind) over the same ``values``, which a
    statement holding them all sends once: one array, not one a column (a batch's check of its
    ids in five record tables sent 5 × its ids, each element quoted in Python)."""
    # SQLite's JSON ends a string at a NUL character: such a list keeps the plain IN (nothing the
    # API accepts holds one, but ``one_of`` must find exactly what IN finds).
    dialect = session.get_bind().dialect.name
    if dialect == "sqlite" and not any(isinstance(v, str) and "\x00" in v for v in values):
        listed = bindparam(None, orjson.dumps(list(values)).decode(), type_=Text())
        return [column.in_(select(func.json_each(listed).table_valued("value").c.value)) for column in columns]
    if dialect == "postgresql":
        # The array's elements are of the widest type of the column's kind: a cast to
        # VARCHAR(64)[] would cut a longer value down to one that may match, and one to
        # INTEGER[] would fail on a large number that IN simply does not find.
        kind = columns[0].type
        element = Text() if isinstance(kind, String) else BigInteger() if isinstance(kind, Integer) else kind
        array = bindparam(None, list(values), type_=ARRAY(element))
        return [column == any_(array) for column in columns]
    return [column.in_(values) for column in columns]


def bulk_update(session: Session, table: Table, rows: list[dict[str, Any]], columns: tuple[str, ...]) -> None:
    """Update many rows by primary key ``id`` (each row dict has ``_id`` and the columns).

    PostgreSQL gets one ``UPDATE … FROM unnest(…)`` per 5,000 rows; a row-by-row
    executemany would cost one round trip each. SQLite's executemany is an in-process loop,
    run by the driver. A table with an ``onupdate`` column the update leaves out goes through
    SQLAlchemy, which fills it in.
    """
    if not rows:
        return
    if not _plain_columns(table, columns, update=True):
        statement = table.update().where(table.c.id == bindparam("_id")).values({c: bindparam(c) for c in columns})
        session.execute(statement, rows)
    elif session.get_bind().dialect.name == "postgresql":
        _pg_update_unnest(session, table, rows, columns)
    else:
        statement = table.update().where(table.c.id == bindparam("_id")).values({c: bindparam(c) for c in columns})
        _driver_executemany(session, statement, table, rows)


def _pg_update_unnest(session: Session, table: Table, rows: list[dict[str, Any]], columns: tuple[str, ...]) -> None:
    """``UPDATE … FROM unnest(<one array a column>)``: the statement's text depends only on the
    columns, so neither SQLAlchemy nor psycopg compiles it again for every batch (a ``VALUES``
    list of literal rows was compiled and parsed anew each time: 27 % of a province-day batch's
    time on PostgreSQL, in-process). JSON values travel as text and are cast row by row."""
    dialect = session.get_bind().dialect
    quote = dialect.identifier_preparer.quote
    names = ("id", *columns)
    json_columns = {n for n in columns if isinstance(table.c[n].type, JSON)}
    sql_type = {n: table.c[n].type.compile(dialect=dialect) for n in names}
    # %b: the arrays travel in binary. In text, psycopg quotes every element that needs it with a
    # regular expression, in Python, and rule states are JSON full of quotes: dumping arrays took
    # 0.49 s of a profiled 5,000-event batch as text, 0.09 s in binary (BENCHMARKS.md, stop 24).
    arrays = ", ".join(f"%b::{'TEXT' if n in json_columns else sql_type[n]}[]" for n in names)
    sets = ", ".join(
        f"{quote(c)} = CAST(v.{quote(c)} AS {sql_type[c]})" if c in json_columns else f"{quote(c)} = v.{quote(c)}"
        for c in columns
    )
    target = quote(table.name)
    # Every name and type comes from the table's metadata, never from a request.
    statement = (f"UPDATE {target} SET {sets} FROM unnest({arrays}) "  # noqa: S608
                 f"AS v({', '.join(quote(n) for n in names)}) WHERE {target}.id = v.id")
    for start in range(0, len(rows), 5000):
        chunk = rows[start : start + 5000]
        params = tuple(
            [r["_id"] for r in chunk] if n == "id"
            # None too, as SQLAlchemy's JSON type would have stored it (JSON null, not SQL NULL)
            else [_json_dumps(r[n]) for r in chunk] if n in json_columns
            else [r[n] for r in chunk]
            for n in names
        )
        session.connection().exec_driver_sql(statement, params)


def bulk_insert(session: Session, table: Table, rows: list[dict[str, Any]]) -> None:
    """Insert many rows (all with the same keys): COPY on PostgreSQL (row-by-row statements
    would cost a round trip each), executemany on SQLite."""
    if not rows:
        return
    dialect = session.get_bind().dialect
    if dialect.name != "postgresql":
        names = tuple(rows[0])
        if _plain_columns(table, names, update=False):
            _driver_executemany(session, table.insert().values({n: bindparam(n) for n in names}), table, rows)
        else:
            session.execute(table.insert(), rows)
        return
    # COPY through the session's own connection, inside the same transaction.
    names = tuple(rows[0])
    json_columns = {n for n in names if isinstance(table.c[n].type, JSON)}
    raw = session.connection().connection.driver_connection
    assert raw is not None
    with raw.cursor() as cur, cur.copy(f"COPY {table.name} ({', '.join(names)}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row([_json_dumps(row[n]) if n in json_columns else row[n] for n in names])


# SQLite's executemany is an in-process loop, so SQLAlchemy's per-row parameter handling
# (building and processing a dict of parameters for every row) cost as much as the inserts
# themselves: in a profiled midnight sweep the bulk writes took 2.6 s through SQLAlchemy and
# 1.6 s through the driver (BENCHMARKS.md, issue 17). The statements below go to the driver
# with each column's own bind processor (JSON's serializer, for one), which is what
# SQLAlchemy would have applied.


def _plain_columns(table: Table, names: tuple[str, ...], *, update: bool) -> bool:
    """Whether a statement naming only ``names`` would get nothing from SQLAlchemy beyond the
    values: no column left out of it has a client-side default (insert) or ``onupdate``
    (update) that SQLAlchemy would have filled in."""
    given = set(names)
    for c in table.columns:
        if c.name in given:
            continue
        if (c.onupdate if update else c.default) is not None:
            return False
    return True


def _driver_executemany(session: Session, statement: Any, table: Table, rows: list[dict[str, Any]]) -> None:
    """Run ``statement`` (its binds named after ``table``'s columns, or ``_id``) for every
    row, compiled once, each value through its column's bind processor."""
    dialect = session.get_bind().dialect
    compiled = statement.compile(dialect=dialect)
    order = compiled.positiontup
    processors = [None if n == "_id" else table.c[n].type.bind_processor(dialect) for n in order]
    # The values are picked by one itemgetter per row and only the few columns with a processor
    # (JSON, booleans) go through Python one by one: a generator per row cost a tenth of a batch.
    pick = itemgetter(*order)
    single = len(order) == 1
    processed = [(i, p) for i, p in enumerate(processors) if p is not None]
    params: list[Any] = []
    for r in rows:
        values = (pick(r),) if single else pick(r)
        if processed:
            changed = list(values)
            for i, p in processed:
                changed[i] = p(changed[i])
            values = tuple(changed)  # SQLAlchemy passes on tuples, not lists
        params.append(values)
    session.connection().exec_driver_sql(compiled.string, params)
