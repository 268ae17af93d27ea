"""Migration 0025 adds the requests for documents, and its downgrade takes them away again."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import command

from caseflow.migrate import alembic_config, upgrade

TABLES = {"document_request", "document_request_item", "document_request_counter"}


def test_down_and_up_again(database_url, app):
    app.extensions["caseflow.engine"].dispose()
    command.downgrade(alembic_config(database_url), "0024")
    engine = sa.create_engine(database_url)
    assert not TABLES & set(sa.inspect(engine).get_table_names())
    engine.dispose()
    upgrade(database_url)
    engine = sa.create_engine(database_url)
    inspector = sa.inspect(engine)
    assert set(inspector.get_table_names()) >= TABLES
    uniques = {u["name"] for u in inspector.get_unique_constraints("document_request")}
    assert {"uq_document_request_year_seq", "uq_document_request_token_hash"} <= uniques
    engine.dispose()


def test_the_day_of_payment_goes_and_comes_back(database_url, app):
    """Migration 0029 adds document_request.fee_paid_on; its downgrade drops only that."""
    app.extensions["caseflow.engine"].dispose()
    command.downgrade(alembic_config(database_url), "0028")
    engine = sa.create_engine(database_url)
    columns = {c["name"] for c in sa.inspect(engine).get_columns("document_request")}
    assert "fee_paid_on" not in columns and "fee" in columns
    engine.dispose()
    upgrade(database_url)
    engine = sa.create_engine(database_url)
    columns = {c["name"] for c in sa.inspect(engine).get_columns("document_request")}
    assert "fee_paid_on" in columns
    engine.dispose()


def test_the_form_of_a_request_goes_and_comes_back(database_url, app):
    """Migration 0031 adds document_request.form_nonce (unique); its downgrade drops it."""
    app.extensions["caseflow.engine"].dispose()
    command.downgrade(alembic_config(database_url), "0030")
    engine = sa.create_engine(database_url)
    columns = {c["name"] for c in sa.inspect(engine).get_columns("document_request")}
    assert "form_nonce" not in columns and "fee_paid_on" in columns
    engine.dispose()
    upgrade(database_url)
    engine = sa.create_engine(database_url)
    inspector = sa.inspect(engine)
    assert "form_nonce" in {c["name"] for c in inspector.get_columns("document_request")}
    uniques = {u["name"] for u in inspector.get_unique_constraints("document_request")}
    assert "uq_document_request_form_nonce" in uniques
    engine.dispose()
