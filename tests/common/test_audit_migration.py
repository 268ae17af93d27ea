"""Migration 0022 keeps the events written before the key as they are: the first keyed
event seals them, and verify checks them by the old rule up to the seal."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import sqlalchemy as sa
from alembic import command

from caseflow.common.audit import GENESIS_HASH, unkeyed_link
from caseflow.common.audit_verify import verify as verify_chain
from caseflow.migrate import alembic_config, upgrade
from tests.common.test_audit_chain import drop_guard, rewrite_from


def _old_events(conn, count: int) -> None:
    """Events as the code before the key wrote them: plain SHA-256 links."""
    prev = GENESIS_HASH
    for seq in range(1, count + 1):
        values = {
            "seq": seq,
            "at": datetime(2025, 3, seq, 9, 30, tzinfo=UTC),
            "actor_id": None,
            "actor_label": "registrator@regionjh.se",
            "action": "case.open",
            "object_type": "case",
            "object_id": seq,
            "case_id": seq,
            "before": None,
            "after": f'{{"title": "Ärende {seq}"}}',
            "prev_hash": prev,
        }
        values["hash"] = prev = unkeyed_link(values)
        stored = {**values, "at": values["at"].replace(tzinfo=None)}
        conn.execute(
            sa.text(
                "INSERT INTO audit_event (seq, at, actor_id, actor_label, action, object_type, "
                "object_id, case_id, before, after, prev_hash, hash) VALUES (:seq, :at, "
                ":actor_id, :actor_label, :action, :object_type, :object_id, :case_id, "
                ":before, :after, :prev_hash, :hash)"
            ),
            stored,
        )
    conn.execute(
        sa.text("UPDATE audit_head SET last_seq = :s, last_hash = :h WHERE id = 1"),
        {"s": count, "h": prev},
    )


def test_events_from_before_the_key_are_sealed_and_checked_by_the_old_rule(database_url, app, make):
    app.extensions["caseflow.engine"].dispose()
    command.downgrade(alembic_config(database_url), "0017")
    engine = sa.create_engine(database_url)
    with engine.begin() as conn:
        _old_events(conn, 3)
    engine.dispose()
    upgrade(database_url)

    rows = make.session.execute(sa.text("SELECT seq, scheme, key_id FROM audit_event")).all()
    assert [tuple(r) for r in rows] == [(1, 1, None), (2, 1, None), (3, 1, None)]
    make.case("Första ärendet med nyckel")
    head = make.session.execute(sa.text("SELECT sealed_seq FROM audit_head")).one()
    assert head.sealed_seq == 3
    result = verify_chain(make.session)
    assert result.ok, result.problems
    assert result.checked > 3

    # The triggers survived the migration; an attacker drops them and rewrites history.
    with pytest.raises(sa.exc.DatabaseError, match="append-only"):
        make.session.execute(sa.text("UPDATE audit_event SET action = 'x' WHERE seq = 1"))
    make.session.rollback()
    drop_guard(make.session)
    rewrite_from(make.session, 2, {"actor_label": "mallory"})
    problems = [(p.code, p.seq) for p in verify_chain(make.session).problems]
    assert ("sealed_history_changed", 3) in problems and ("changed", 2) not in problems


def test_the_migration_goes_down_and_up_again_with_its_guard(database_url, app, make):
    make.case("Före nedgradering")
    app.extensions["caseflow.engine"].dispose()
    command.downgrade(alembic_config(database_url), "0017")
    upgrade(database_url)
    engine = sa.create_engine(database_url)
    with engine.connect() as conn, pytest.raises(sa.exc.DatabaseError, match="append-only"):
        conn.execute(sa.text("DELETE FROM audit_event"))
    engine.dispose()
