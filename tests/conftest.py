"""Fixtures: every test gets its own database, migrated by Alembic.

SQLite (default): the schema is migrated once per run into a template file, and each test
works on its own copy. PostgreSQL (``CASEFLOW_TEST_DATABASE_URL``, e.g.
``postgresql+psycopg://postgres@127.0.0.1:5432/postgres``): a template database is
migrated once per run and each test gets ``CREATE DATABASE … TEMPLATE …``; all are
dropped at the end.
"""

from __future__ import annotations

import itertools
import os
import shutil
import uuid

import pytest
import sqlalchemy as sa

from caseflow import create_app
from caseflow.db import dispose_engines
from caseflow.migrate import upgrade
from tests.factories import Factory
from tests.markers import secret_case  # noqa: F401 - the secret-marker fixture, for every test
from tests.support import require_or_skip

PG_URL = os.environ.get("CASEFLOW_TEST_DATABASE_URL")


class PostgresDatabases:
    """Creates per-test databases from one migrated template on the server of ``base_url``."""

    def __init__(self, base_url: str):
        self.base = sa.engine.make_url(base_url)
        self.prefix = f"cf_{uuid.uuid4().hex[:8]}"
        self.template = f"{self.prefix}_tpl"
        self.counter = itertools.count(1)
        self.admin = sa.create_engine(self.base, isolation_level="AUTOCOMMIT")
        self.created: list[str] = []

    def url(self, name: str) -> str:
        return self.base.set(database=name).render_as_string(hide_password=False)

    def create_template(self) -> None:
        with self.admin.connect() as conn:
            conn.exec_driver_sql(f'CREATE DATABASE "{self.template}"')
        self.created.append(self.template)
        upgrade(self.url(self.template))
        # Dispose of Alembic's connection so the template can be copied.

    def new_database(self) -> str:
        name = f"{self.prefix}_{next(self.counter)}"
        with self.admin.connect() as conn:
            conn.exec_driver_sql(f'CREATE DATABASE "{name}" TEMPLATE "{self.template}"')
        self.created.append(name)
        return self.url(name)

    def drop(self, url: str) -> None:
        name = sa.engine.make_url(url).database
        with self.admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        self.created.remove(name)

    def drop_all(self) -> None:
        for name in list(self.created):
            with self.admin.connect() as conn:
                conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        self.admin.dispose()


@pytest.fixture(scope="session")
def database_backend(tmp_path_factory):
    """Yield a function that makes a fresh, migrated database URL for one test."""
    if PG_URL:
        try:
            dbs = PostgresDatabases(PG_URL)
            dbs.create_template()
        except sa.exc.OperationalError as exc:
            require_or_skip(f"PostgreSQL at {PG_URL} is not reachable: {exc}")
        yield ("postgresql", dbs.new_database, dbs.drop)
        dbs.drop_all()
        return
    template = tmp_path_factory.mktemp("db") / "template.sqlite"
    upgrade(f"sqlite:///{template}")
    counter = itertools.count(1)
    folder = tmp_path_factory.mktemp("dbs")

    def new_database() -> str:
        target = folder / f"test-{next(counter)}.sqlite"
        shutil.copyfile(template, target)
        return f"sqlite:///{target}"

    def drop(url: str) -> None:
        path = sa.engine.make_url(url).database
        for suffix in ("", "-wal", "-shm"):
            if os.path.exists(path + suffix):
                os.unlink(path + suffix)

    yield ("sqlite", new_database, drop)


@pytest.fixture
def database_url(database_backend):
    _kind, new_database, drop = database_backend
    url = new_database()
    yield url
    drop(url)


@pytest.fixture
def app(database_url, tmp_path):
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test-secret-key",
            "DATABASE_URL": database_url,
            "FILES_DIR": str(tmp_path / "files"),
            "WTF_CSRF_ENABLED": False,
            "SESSION_COOKIE_SECURE": False,
            "REMEMBER_COOKIE_SECURE": False,
            # A test may ask for a public page more often than a visitor may; the limits
            # have their own tests (tests/common/test_ratelimit.py).
            "RATELIMIT_ENABLED": False,
            # The tests' authority (a new instance has none until the profile is saved).
            "ORGANISATION_NAME": "Region Jämtland Härjedalen",
            "ORGANISATION_ADDRESS": "Box 654, 831 27 Östersund",
            "MAIL_FROM": "Region Jämtland Härjedalen <registrator@regionjh.se>",
            "MAIL_MESSAGE_ID_DOMAIN": "caseflow.regionjh.se",
        },
        instance_path=str(tmp_path / "instance"),
    )
    yield app
    dispose_engines(app)


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def make(app):
    """Builders for users, series, cases and documents, each committed on creation."""
    factory = Factory(app)
    yield factory
    factory.close()


@pytest.fixture
def login(client):
    """Log ``client`` in as a user made by ``make.user``."""

    def do_login(user, password=None):
        from tests.factories import PASSWORD

        response = client.post(
            "/login", data={"email": user.email, "password": password or PASSWORD}
        )
        assert response.status_code == 302, response.get_data(as_text=True)[:500]
        return response

    return do_login
