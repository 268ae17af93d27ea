"""Configuration layers, the instance folder, and a schema made only by migrations."""

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlmodel import SQLModel

from caseflow import create_app


def test_configuration_layers_in_order(tmp_path, monkeypatch):
    instance = tmp_path / "instance"
    instance.mkdir()
    (instance / "config.py").write_text(
        "SECRET_KEY = 'from-instance'\nORGANISATION_NAME = 'Region Instans'\n"
        "CASES_PER_PAGE = 10\nLOGIN_MAX_FAILURES = 3\n",
        encoding="utf-8",
    )
    monkeypatch.setenv("CASEFLOW_ORGANISATION_NAME", "Region Miljö")
    monkeypatch.setenv("CASEFLOW_CASES_PER_PAGE", "25")
    app = create_app({"LOGIN_MAX_FAILURES": 7}, instance_path=str(instance))
    assert app.config["SECRET_KEY"] == "from-instance"  # instance over defaults
    assert app.config["ORGANISATION_NAME"] == "Region Miljö"  # environment over instance
    assert app.config["CASES_PER_PAGE"] == 25  # read as a number
    assert app.config["LOGIN_MAX_FAILURES"] == 7  # test config over everything
    assert app.config["DATABASE_URL"] == f"sqlite:///{instance / 'caseflow.sqlite'}"
    assert app.config["FILES_DIR"] == str(instance / "files")


def test_caseflow_instance_selects_the_folder(tmp_path, monkeypatch):
    monkeypatch.setenv("CASEFLOW_INSTANCE", str(tmp_path / "elsewhere"))
    monkeypatch.setenv("CASEFLOW_SECRET_KEY", "k")
    app = create_app()
    assert app.instance_path == str(tmp_path / "elsewhere")


def test_create_app_refuses_to_start_without_a_secret_key(tmp_path):
    import pytest

    with pytest.raises(RuntimeError, match="caseflow init"):
        create_app(instance_path=str(tmp_path))


def test_create_app_creates_no_tables(tmp_path):
    url = f"sqlite:///{tmp_path / 'empty.sqlite'}"
    app = create_app({"SECRET_KEY": "k", "DATABASE_URL": url}, instance_path=str(tmp_path))
    with app.test_client() as client:
        client.get("/login")
    engine = sa.create_engine(url)
    assert sa.inspect(engine).get_table_names() == []
    engine.dispose()
    app.extensions["caseflow.engine"].dispose()


def test_migrations_produce_exactly_the_models(app):
    """A model changed without a migration fails here."""
    import caseflow.models  # noqa: F401
    from caseflow.search.models import is_full_text_index

    engine = app.extensions["caseflow.engine"]
    with engine.connect() as conn:
        context = MigrationContext.configure(
            conn,
            opts={
                "include_name": lambda name, type_, _parents: not is_full_text_index(name, type_)
            },
        )
        diff = compare_metadata(context, SQLModel.metadata)
    assert diff == []


def test_an_app_that_is_gone_is_not_kept_alive(tmp_path):
    """Nothing caseflow registers globally holds an app: a process that makes many (a test
    run) does not keep every one of them, their engines and their caches."""
    import gc
    import weakref

    from caseflow.db import dispose_engines

    url = f"sqlite:///{tmp_path / 'gone.sqlite'}"
    app = create_app({"SECRET_KEY": "k", "DATABASE_URL": url}, instance_path=str(tmp_path))
    gone = weakref.ref(app)
    dispose_engines(app)
    del app
    gc.collect()
    assert gone() is None
