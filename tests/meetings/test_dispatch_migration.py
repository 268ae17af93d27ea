"""Migration 0018 gives each address of an existing dispatch its own recipient row: a
sent dispatch's addresses served on the day it was sent (in Stockholm), a failed one's
failed with the dispatch's reason, one left "sending" uncertain."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime

import sqlalchemy as sa
from alembic import command

from caseflow.migrate import alembic_config, upgrade

#: 23:30 UTC on 30 November 2021 is already 1 December in Stockholm.
SENT_AT = datetime(2021, 11, 30, 23, 30, tzinfo=UTC)


def test_each_address_of_a_dispatch_becomes_a_recipient_row(database_url, app, make):
    meeting = make.meeting_with(make.case())
    (item,) = make.session.merge(meeting).items
    sent = make.dispatch(item, status="sent")
    sent.recipients = json.dumps(["info@vinnova.se", "erik.noaksson@regionjh.se"])
    sent.sent_at, sent.attempts = SENT_AT, 1
    failed = make.dispatch(item, status="failed")
    failed.error = json.dumps({"code": "unreachable", "detail": "ConnectionRefusedError"})
    failed.attempts = 2
    stuck = make.dispatch(item, status="sending")
    make.session.commit()
    ids = sent.id, failed.id, stuck.id
    make.close()
    app.extensions["caseflow.engine"].dispose()
    command.downgrade(alembic_config(database_url), "0017")

    upgrade(database_url)

    engine = sa.create_engine(database_url)
    with engine.connect() as conn:
        rows = conn.execute(
            sa.text(
                "SELECT dispatch_id, email, channel, status, error_code, attempts, served_on "
                "FROM dispatch_recipient ORDER BY dispatch_id, position"
            )
        ).all()
        statuses = dict(conn.execute(sa.text("SELECT id, status FROM dispatch")).all())
        completed = conn.execute(
            sa.text("SELECT completed_at FROM dispatch WHERE id = :id"), {"id": ids[0]}
        ).scalar()
    engine.dispose()
    served = date(2021, 12, 1).isoformat()
    # A date column reads back as text on SQLite, as a date on PostgreSQL.
    rows = [(*r[:-1], None if r[-1] is None else str(r[-1])) for r in rows]
    assert rows == [
        (ids[0], "info@vinnova.se", "email", "accepted", None, 1, served),
        (ids[0], "erik.noaksson@regionjh.se", "email", "accepted", None, 1, served),
        (ids[1], "info@vinnova.se", "email", "failed", "unreachable", 2, None),
        (ids[2], "info@vinnova.se", "email", "uncertain", None, 0, None),
    ]
    assert statuses == {ids[0]: "sent", ids[1]: "failed", ids[2]: "uncertain"}
    assert completed is not None
