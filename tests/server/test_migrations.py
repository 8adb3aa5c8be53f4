"""The Alembic migrations build exactly the schema the models describe, on SQLite and PostgreSQL.

Several people add tables and columns at once; a model changed without its migration (or a
migration that drifted from its model) would work in tests that create tables from the models
and fail on a real server upgraded with ``alembic upgrade``. Here the database is built only by
the migrations, and Alembic's own comparison must find nothing to change.
"""

from __future__ import annotations

from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine

from server.cli import migrate_database
from server.models import Base


def _differences(url: str) -> list[object]:
    migrate_database(url)
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            ctx = MigrationContext.configure(conn, opts={"compare_type": False})
            return list(compare_metadata(ctx, Base.metadata))
    finally:
        engine.dispose()


def test_sqlite_schema_from_migrations_matches_the_models(tmp_path: Path) -> None:
    diffs = _differences(f"sqlite:///{tmp_path / 'm.db'}")
    assert diffs == [], diffs


def test_postgres_schema_from_migrations_matches_the_models(pg_database: str) -> None:
    diffs = _differences(pg_database)
    assert diffs == [], diffs
