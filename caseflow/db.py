"""Engine, the session per request, and the metadata naming convention.

One session per request (or CLI command, or job); services flush and never commit; the
request commits once in ``after_request`` when the response is a success. Side effects
that must not happen for a transaction that is rolled back (mail, moving IMAP messages,
starting background work on a row) are registered with :func:`after_commit` and run only
once the transaction that registered them has committed.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC

import sqlalchemy as sa
from flask import Flask, current_app, g, has_request_context, request
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlmodel import Session, SQLModel

log = logging.getLogger("caseflow.db")

SQLModel.metadata.naming_convention = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(sa.TypeDecorator):
    """A timestamp stored in UTC and always read back timezone-aware, on every backend."""

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetimes are not stored; use caseflow.common.timeutil.now()")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


#: Execution option that marks a connection whose transaction will write.
WRITE_OPTION = "caseflow_write"


def _casefold(value):
    return value.casefold() if isinstance(value, str) else value


def make_engine(url: str, *, foreign_keys: bool = True, **kwargs) -> Engine:
    """Create an engine; SQLite gets WAL, foreign keys and write transactions that queue.

    pysqlite's own transaction handling is switched off. Sessions that will write (see
    :func:`new_session`) start with ``BEGIN IMMEDIATE`` and so wait for the other writer
    instead of failing with "database is locked" when they read first and write later;
    reading sessions start a plain ``BEGIN`` and never block anyone (WAL).

    Migrations pass ``foreign_keys=False``: SQLite's batch mode rebuilds a table by
    dropping it, which foreign keys from other tables would refuse (the migration checks
    the keys itself afterwards).
    """
    if url.startswith("sqlite"):
        engine = sa.create_engine(
            url, connect_args={"check_same_thread": False, "timeout": 30}, **kwargs
        )

        @event.listens_for(engine, "connect")
        def _sqlite_connect(dbapi_connection, _record):
            dbapi_connection.isolation_level = None
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute(f"PRAGMA foreign_keys={'ON' if foreign_keys else 'OFF'}")
            cursor.execute("PRAGMA busy_timeout=30000")
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.close()
            dbapi_connection.create_function("casefold", 1, _casefold, deterministic=True)

        @event.listens_for(engine, "begin")
        def _sqlite_begin(conn):
            writes = conn.get_execution_options().get(WRITE_OPTION)
            conn.exec_driver_sql("BEGIN IMMEDIATE" if writes else "BEGIN")

        return engine
    kwargs.setdefault("pool_pre_ping", True)
    return sa.create_engine(url, **kwargs)


_AFTER_COMMIT = "caseflow.after_commit"


class CaseflowSession(Session):
    """A session whose :meth:`commit` runs, once it has returned, what was registered
    with :func:`after_commit`; a rollback forgets it."""

    def commit(self) -> None:
        super().commit()
        # Taken as a whole first: a step that commits or rolls back this session again
        # neither reruns nor drops the others.
        for fn, propagate in self.info.pop(_AFTER_COMMIT, []):
            try:
                fn()
            except Exception:
                if propagate:
                    raise
                # The commit stands; the side effect records its own failure.
                log.exception("after-commit step %r failed", fn)

    def rollback(self) -> None:
        self.info.pop(_AFTER_COMMIT, None)
        super().rollback()


def after_commit(
    fn: Callable[[], object], *, session: Session | None = None, propagate: bool = False
) -> None:
    """Run ``fn()`` once ``session``'s transaction (default: the request's) has committed.

    Forgotten if the transaction is rolled back instead. ``fn`` runs after ``commit()`` has
    returned, so it may open its own session or use this one for a new transaction. Its
    errors are logged and never undo the commit (a side effect records its own failure,
    e.g. a dispatch marks itself failed); a job that wants them raised passes
    ``propagate=True``.
    """
    (session or get_session()).info.setdefault(_AFTER_COMMIT, []).append((fn, propagate))


def new_session(engine: Engine, *, write: bool = False) -> Session:
    """A session that keeps loaded values after commit (views render after the commit).

    ``write=True`` declares that the session will write: on SQLite it then takes the write
    lock when its transaction begins. PostgreSQL ignores the flag.
    """
    bind = engine.execution_options(**{WRITE_OPTION: True}) if write else engine
    return CaseflowSession(bind, expire_on_commit=False)


def writes_on_get(view):
    """Mark a GET view that writes (e.g. logs the reading of a secret document)."""
    view.caseflow_writes = True
    return view


def _request_writes() -> bool:
    if not has_request_context():
        return True  # CLI commands and jobs
    if request.method not in ("GET", "HEAD", "OPTIONS"):
        return True
    view = current_app.view_functions.get(request.endpoint)
    return bool(getattr(view, "caseflow_writes", False))


def keep_despite_status() -> None:
    """Commit this request although its answer is an error status: a refusal that is
    itself a record (a throttled login, audited, answered 429)."""
    g.caseflow_keep_despite_status = True


def get_engine() -> Engine:
    return current_app.extensions["caseflow.engine"]


def get_autocommit_engine() -> Engine:
    """The engine for one-statement reads outside any transaction (see :func:`init_app`)."""
    return current_app.extensions["caseflow.autocommit_engine"]


def dispose_engines(app: Flask) -> None:
    """Close every pooled connection of ``app`` (before a restore, at a test's end)."""
    for key in ("caseflow.engine", "caseflow.autocommit_engine"):
        engine = app.extensions.get(key)
        if engine is not None:
            engine.dispose()


def get_session() -> Session:
    """The session of the current request or command, opened on first use."""
    if "db_session" not in g:
        g.db_session = new_session(get_engine(), write=_request_writes())
    return g.db_session


def init_app(app: Flask) -> None:
    app.extensions["caseflow.engine"] = make_engine(app.config["DATABASE_URL"])
    # One-statement reads outside any transaction (the public generation, read first by
    # every cached public page): autocommit, and no ping or rollback around each checkout,
    # which cost PostgreSQL 0.3 ms of a 0.1 ms read. A connection the server dropped fails
    # one read; the reader replaces it (caseflow.public.generation).
    app.extensions["caseflow.autocommit_engine"] = make_engine(
        app.config["DATABASE_URL"],
        pool_pre_ping=False,
        pool_reset_on_return=None,
        isolation_level="AUTOCOMMIT",
    )

    @app.after_request
    def _commit(response):
        session = g.get("db_session")
        if session is not None:
            if response.status_code < 400 or g.pop("caseflow_keep_despite_status", False):
                session.commit()
            else:
                session.rollback()
        return response

    @app.teardown_appcontext
    def _close(exc):
        session = g.pop("db_session", None)
        if session is not None:
            if exc is not None:
                session.rollback()
            session.close()
