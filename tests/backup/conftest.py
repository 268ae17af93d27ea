"""An empty instance to restore into: a new instance folder and a database with no tables."""

from __future__ import annotations

import os
import uuid

import pytest
import sqlalchemy as sa

from caseflow import create_app


@pytest.fixture
def empty_database_url(database_backend, tmp_path):
    """A database that exists (PostgreSQL) or may be created (SQLite), with no table at all."""
    kind, _new_database, _drop = database_backend
    if kind == "sqlite":
        yield f"sqlite:///{tmp_path / 'restored' / 'caseflow.sqlite'}"
        return
    base = sa.engine.make_url(os.environ["CASEFLOW_TEST_DATABASE_URL"])
    name = f"cf_restore_{uuid.uuid4().hex[:8]}"
    admin = sa.create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    yield base.set(database=name).render_as_string(hide_password=False)
    with admin.connect() as conn:
        conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.dispose()


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
