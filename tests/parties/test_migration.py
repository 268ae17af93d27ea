"""Migration 0016 fills the register from what was registered before it: each case's
counterparts and each document's sender or recipient become parties, the same address
(in any case) or the same name and organisation being one party, secret ones left out."""

from __future__ import annotations

from datetime import UTC, date, datetime

import sqlalchemy as sa
from alembic import command

from caseflow.migrate import alembic_config, upgrade


def _rows(conn, sql, **params):
    return conn.execute(sa.text(sql), params).all()


def _insert(conn, table, **values):
    target = sa.table(table, *(sa.column(name) for name in values))
    return conn.execute(target.insert().values(**values))


def _case(conn, seq, *, parties_are_secret=False):
    at = datetime(2021, 11, 1, tzinfo=UTC)
    _insert(
        conn, "case_file", series_id=1, year=2021, seq=seq, number=f"RS/{seq}/2021",
        title="Ärende", title_is_secret=False, description_is_secret=False,
        parties_are_secret=parties_are_secret, status="registered", opened_on=date(2021, 11, 1),
        document_counter=0, created_at=at, updated_at=at, version=1,
    )  # fmt: skip
    return conn.execute(sa.text("SELECT id FROM case_file WHERE seq = :s"), {"s": seq}).scalar()


def _document(conn, case_id, counterpart, email=None, *, secret=False):
    _insert(
        conn, "document", case_id=case_id, seq=None, direction="incoming", title="Brev",
        title_is_secret=False, counterpart=counterpart, counterpart_email=email,
        counterpart_is_secret=secret, is_secret=False, received_on=date(2021, 11, 2),
        registered_at=datetime(2021, 11, 2, tzinfo=UTC), version=1,
    )  # fmt: skip


def test_existing_counterparts_move_into_the_register(database_url, app):
    app.extensions["caseflow.engine"].dispose()
    command.downgrade(alembic_config(database_url), "0011")
    engine = sa.create_engine(database_url)
    with engine.begin() as conn:
        _insert(conn, "series", code="RS", name="Regionstyrelsen", is_active=True)
        first, second, secret = (
            _case(conn, 1),
            _case(conn, 2),
            _case(conn, 3, parties_are_secret=True),
        )
        for case_id, name, org, email in [
            (first, "Susanna Löfgren", "Länsstyrelsen Jämtlands län", "Susanna.Lofgren@lst.se"),
            (second, "S. Löfgren", None, "susanna.lofgren@lst.se"),  # the same address
            (second, None, "Vinnova", None),
            (secret, "Hemlig Person", None, "hemlig@example.se"),
        ]:
            _insert(conn, "case_party", case_id=case_id, name=name, organisation=org, email=email)
        _document(conn, first, "Susanna Löfgren <susanna.lofgren@lst.se>", "susanna.lofgren@lst.se")
        _document(conn, second, "Vinnova")
        _document(conn, None, "Doktor X", secret=True)
    engine.dispose()

    upgrade(database_url)

    engine = sa.create_engine(database_url)
    with engine.connect() as conn:
        parties = _rows(conn, "SELECT id, kind, name, email FROM party ORDER BY id")
        names = sorted(name for _id, _kind, name, _email in parties)
        assert names == ["Länsstyrelsen Jämtlands län", "Susanna Löfgren", "Vinnova"]
        susanna = next(p for p in parties if p.name == "Susanna Löfgren")
        assert susanna.email == "susanna.lofgren@lst.se"
        links = dict(_rows(conn, "SELECT name, party_id FROM case_party WHERE name IS NOT NULL"))
        assert links["S. Löfgren"] == links["Susanna Löfgren"] == susanna.id
        assert links["Hemlig Person"] is None  # a secret case's counterpart stays out
        docs = dict(_rows(conn, "SELECT counterpart, party_id FROM document"))
        assert docs["Susanna Löfgren <susanna.lofgren@lst.se>"] == susanna.id  # text unchanged
        vinnova = next(p for p in parties if p.name == "Vinnova")
        assert docs["Vinnova"] == vinnova.id and vinnova.kind == "organisation"
        assert docs["Doktor X"] is None
    engine.dispose()
    command.downgrade(alembic_config(database_url), "0011")  # and back, without a trace
    upgrade(database_url)
