"""An empty instance to restore into: a new instance folder and a database with no tables."""

from __future__ import annotations

import itertools
import os
import uuid

import pytest
import sqlalchemy as sa

from caseflow import create_app


@pytest.fixture
def new_empty_database(database_backend, tmp_path):
    """Make databases that exist (PostgreSQL) or may be created (SQLite), with no table."""
    kind, _new_database, _drop = database_backend
    counter = itertools.count(1)
    if kind == "sqlite":

        def create_file_path() -> str:
            folder = tmp_path / f"empty-{next(counter)}"
            folder.mkdir()
            return f"sqlite:///{folder / 'caseflow.sqlite'}"

        yield create_file_path
        return
    base = sa.engine.make_url(os.environ["CASEFLOW_TEST_DATABASE_URL"])
    admin = sa.create_engine(base, isolation_level="AUTOCOMMIT")
    prefix, names = f"cf_restore_{uuid.uuid4().hex[:8]}", []

    def create() -> str:
        names.append(f"{prefix}_{next(counter)}")
        with admin.connect() as conn:
            conn.exec_driver_sql(f'CREATE DATABASE "{names[-1]}"')
        return base.set(database=names[-1]).render_as_string(hide_password=False)

    yield create
    with admin.connect() as conn:
        for name in names:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.dispose()


@pytest.fixture
def empty_database_url(new_empty_database):
    return new_empty_database()


def instance_config(database_url: str, folder) -> dict:
    return {
        "TESTING": True,
        "SECRET_KEY": "test-secret-key",
        "DATABASE_URL": database_url,
        "FILES_DIR": str(folder / "files"),
        "CLI_LANGUAGE": "en",
    }


@pytest.fixture
def empty_instance(empty_database_url, tmp_path):
    """A new caseflow instance (its own folder and file store) on the empty database."""
    folder = tmp_path / "restored"
    app = create_app(instance_config(empty_database_url, folder), instance_path=str(folder))
    yield app
    app.extensions["caseflow.engine"].dispose()
