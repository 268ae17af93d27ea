"""Migration 0017 turns a meeting's free-text attendees, motions, reservations and notes
into rows, word for word, and a fixed agenda into an opened meeting; downgrading writes
the text back."""

from __future__ import annotations

from datetime import UTC, date, datetime

import sqlalchemy as sa
from alembic import command

from caseflow.migrate import alembic_config, upgrade

AT = datetime(2021, 11, 24, 8, tzinfo=UTC)


def _insert(conn, table, **values):
    target = sa.table(table, *(sa.column(name) for name in values))
    conn.execute(target.insert().values(**values))


def _rows(conn, sql):
    return [tuple(row) for row in conn.execute(sa.text(sql)).all()]


def test_free_text_of_a_meeting_becomes_its_rows_and_back(database_url, app):
    app.extensions["caseflow.engine"].dispose()
    command.downgrade(alembic_config(database_url), "0016")
    engine = sa.create_engine(database_url)
    with engine.begin() as conn:
        _insert(conn, "series", code="RS", name="Regionstyrelsen", is_active=True)
        _insert(conn, "organ", id=1, name="Regionstyrelsen", chair_title="Ordförande")
        _insert(
            conn, "organ_member", id=1, organ_id=1, name="Anna Ordförande", role="chair",
            term_from=date(2020, 1, 1), affiliation="S", created_at=AT,
        )  # fmt: skip
        _insert(
            conn, "case_file", id=1, series_id=1, year=2021, seq=1, number="RS/1/2021",
            title="Ärende", title_is_secret=False, description_is_secret=False,
            parties_are_secret=False, status="decided", opened_on=date(2021, 11, 1),
            document_counter=0, created_at=AT, updated_at=AT, version=1,
        )  # fmt: skip
        _insert(
            conn, "meeting", id=1, organ_id=1, starts_at=AT, place="Östersund",
            chair="Anna Ordförande", secretary="Cecilia Sekreterare", attesters="",
            attendees="Anna Ordförande\nHans Svensson, regiondirektör\n", status="agenda_fixed",
            created_at=AT, version=1,
        )  # fmt: skip
        _insert(
            conn, "agenda_item", id=1, meeting_id=1, case_id=1, position=1, paragraph=1,
            decision_kind="adopted", is_immediately_attested=False,
            motions="Ordföranden yrkar bifall.",
            reservations="S-gruppen reserverar sig.", protocol_notes=None,
        )  # fmt: skip
    engine.dispose()

    upgrade(database_url)

    engine = sa.create_engine(database_url)
    with engine.connect() as conn:
        assert _rows(conn, "SELECT status FROM meeting") == [("opened",)]
        attendees = _rows(
            conn,
            "SELECT name, role, member_id, affiliation FROM meeting_attendee ORDER BY position",
        )
        assert attendees == [
            ("Anna Ordförande", "chair", 1, "S"),  # a member of the body, recognised
            ("Hans Svensson, regiondirektör", "other", None, None),
        ]
        assert _rows(conn, "SELECT mover, text FROM agenda_motion") == [
            (None, "Ordföranden yrkar bifall.")
        ]
        assert _rows(conn, "SELECT kind, text FROM agenda_statement") == [
            ("reservation", "S-gruppen reserverar sig.")
        ]
        assert _rows(conn, "SELECT kind, case_id FROM agenda_item") == [("case", 1)]
    engine.dispose()

    command.downgrade(alembic_config(database_url), "0016")
    engine = sa.create_engine(database_url)
    with engine.connect() as conn:
        assert _rows(conn, "SELECT status, attendees FROM meeting") == [
            ("agenda_fixed", "Anna Ordförande\nHans Svensson, regiondirektör")
        ]
        assert _rows(conn, "SELECT motions, reservations, protocol_notes FROM agenda_item") == [
            ("Ordföranden yrkar bifall.", "S-gruppen reserverar sig.", None)
        ]
    engine.dispose()
    upgrade(database_url)  # and up again, as the next test's template expects


def test_the_appeal_tables_come_and_go_with_migration_0020(database_url, app):
    app.extensions["caseflow.engine"].dispose()
    command.downgrade(alembic_config(database_url), "0017")
    engine = sa.create_engine(database_url)
    inspector = sa.inspect(engine)
    assert not {"appeal", "legal_force_notice"} & set(inspector.get_table_names())
    assert "notice_posted_on" not in {
        c["name"] for c in inspector.get_columns("delegated_decision")
    }
    engine.dispose()

    upgrade(database_url)

    engine = sa.create_engine(database_url)
    inspector = sa.inspect(engine)
    assert {"appeal", "legal_force_notice"} <= set(inspector.get_table_names())
    assert "notice_posted_on" in {c["name"] for c in inspector.get_columns("delegated_decision")}
    engine.dispose()
