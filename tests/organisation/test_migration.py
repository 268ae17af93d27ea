"""Migration 0012 turns the free-text unit on cases and users into the register of units: one
unit per name compared without regard to case and spacing, each case and user linked to it;
the bodies already in use stay in use. Downgrading writes the names back as text."""

from __future__ import annotations

from datetime import UTC, date, datetime

import sqlalchemy as sa
from alembic import command
from sqlmodel import Session, select

from caseflow.migrate import alembic_config, upgrade
from caseflow.organisation.models import Unit

AT = datetime(2021, 11, 1, tzinfo=UTC)


def _insert(conn, table, **values):
    target = sa.table(table, *(sa.column(name) for name in values))
    conn.execute(target.insert().values(**values))


def _case(conn, seq, unit):
    _insert(
        conn, "case_file", series_id=1, year=2021, seq=seq, number=f"RS/{seq}/2021",
        title=f"Ärende {seq}", title_is_secret=False, description_is_secret=False,
        parties_are_secret=False, status="registered", opened_on=date(2021, 11, 1),
        document_counter=0, created_at=AT, updated_at=AT, version=1, unit=unit,
    )  # fmt: skip


def _user(conn, email, unit):
    _insert(
        conn, "user_account", email=email, name=email.split("@")[0], role="official",
        unit=unit, is_enabled=True, created_at=AT,
    )  # fmt: skip


def _by_key(conn, table, key, column):
    sql = f"SELECT {key}, {column} FROM {table}"  # noqa: S608 - names from this test only
    return dict(conn.execute(sa.text(sql)).all())


def test_free_text_units_become_one_register_entry_per_name(database_url, app):
    app.extensions["caseflow.engine"].dispose()
    command.downgrade(alembic_config(database_url), "0011")
    engine = sa.create_engine(database_url)
    with engine.begin() as conn:
        _insert(conn, "series", code="RS", name="Regionstyrelsen", is_active=True)
        _insert(conn, "organ", name="Regionstyrelsen", chair_title="Ordförande")
        _case(conn, 1, "Näringsliv")
        _case(conn, 2, "näringsliv ")  # the same unit, typed otherwise
        _case(conn, 3, "Ledningsstab")
        _case(conn, 4, None)
        _user(conn, "erik@regionjh.se", "NÄRINGSLIV")
        _user(conn, "lena@regionjh.se", "  Ledningsstab")
        _user(conn, "hans@regionjh.se", None)
    engine.dispose()

    upgrade(database_url)

    engine = sa.create_engine(database_url)
    with engine.connect() as conn:
        units = conn.execute(sa.text("SELECT id, name, name_key, is_active FROM org_unit")).all()
        assert sorted((u.name_key, u.is_active) for u in units) == [
            ("ledningsstab", True),
            ("näringsliv", True),
        ]
        unit_id = {u.name_key: u.id for u in units}
        cases = _by_key(conn, "case_file", "number", "unit_id")
        assert cases == {
            "RS/1/2021": unit_id["näringsliv"],
            "RS/2/2021": unit_id["näringsliv"],
            "RS/3/2021": unit_id["ledningsstab"],
            "RS/4/2021": None,
        }
        users = _by_key(conn, "user_account", "email", "unit_id")
        assert users == {
            "erik@regionjh.se": unit_id["näringsliv"],
            "lena@regionjh.se": unit_id["ledningsstab"],
            "hans@regionjh.se": None,
        }
        organ = conn.execute(sa.text("SELECT is_active, short_name FROM organ")).one()
        assert tuple(organ) == (True, None)  # a body already registered stays in use
    with Session(engine) as session:  # the rows read back as the app reads them
        loaded = session.exec(select(Unit)).all()
        assert all(u.created_at.tzinfo is not None and u.created_at.year >= 2026 for u in loaded)
    engine.dispose()

    command.downgrade(alembic_config(database_url), "0011")
    engine = sa.create_engine(database_url)
    with engine.connect() as conn:
        # Each holder gets its unit's name back (the register's spelling).
        names = {u.name_key: u.name for u in units}
        assert _by_key(conn, "case_file", "number", "unit") == {
            "RS/1/2021": names["näringsliv"],
            "RS/2/2021": names["näringsliv"],
            "RS/3/2021": "Ledningsstab",
            "RS/4/2021": None,
        }
        assert _by_key(conn, "user_account", "email", "unit") == {
            "erik@regionjh.se": names["näringsliv"],
            "lena@regionjh.se": "Ledningsstab",
            "hans@regionjh.se": None,
        }
        tables = sa.inspect(conn).get_table_names()
        assert "org_unit" not in tables and "organ_member" not in tables
    engine.dispose()
    upgrade(database_url)  # and up again, as the next test's template expects
