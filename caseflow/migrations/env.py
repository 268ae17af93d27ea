"""Alembic environment: caseflow's SQLModel metadata, batch mode on SQLite."""

from alembic import context
from sqlmodel import SQLModel

import caseflow.models  # noqa: F401 - every table into SQLModel.metadata
from caseflow.db import make_engine
from caseflow.search.models import is_full_text_index

config = context.config
target_metadata = SQLModel.metadata


def _include_name(name, type_, _parent_names) -> bool:
    """Autogenerate leaves out what the models don't describe: the full-text index."""
    return not is_full_text_index(name, type_)


def _configure(connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
        include_name=_include_name,
    )


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _configure(connection)
        with context.begin_transaction():
            context.run_migrations()
        return
    engine = make_engine(config.get_main_option("sqlalchemy.url"), foreign_keys=False)
    with engine.connect() as conn:
        _configure(conn)
        with context.begin_transaction():
            context.run_migrations()
            _check_foreign_keys(conn)
    engine.dispose()


def _check_foreign_keys(conn) -> None:
    """SQLite migrates with its foreign keys off: refuse to commit a result that breaks one."""
    if conn.dialect.name != "sqlite":
        return
    broken = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
    if broken:
        table, rowid, parent, _fk = broken[0]
        raise RuntimeError(
            f"migration left {len(broken)} broken foreign key(s), e.g. {table} row {rowid} "
            f"pointing to a missing {parent}"
        )


if context.is_offline_mode():
    raise SystemExit("caseflow migrations run online only")
run_migrations_online()
