"""The audit trail: every change recorded, append-only, hash-chained, verifiable."""

import json

import pytest
import sqlalchemy as sa
from sqlmodel import select

from caseflow.cases.services import update_case, void_case
from caseflow.common.audit import events_for_case
from caseflow.common.audit_verify import verify as verify_chain
from caseflow.common.models import AuditEvent


def _actions(session, case):
    return [e.action for e in events_for_case(session, case.id)]


def test_every_change_to_a_case_is_in_its_trail_with_before_and_after(make):
    case = make.case("Ursprunglig titel")
    make.document(case)
    update_case(
        make.session, case, expected_version=case.version, reason="Stavfel", title="Rättad titel"
    )
    void_case(make.session, case, reason="Dubblett")
    make.session.commit()
    assert _actions(make.session, case) == [
        "case.open",
        "document.register",
        "case.update",
        "case.void",
    ]
    update = events_for_case(make.session, case.id)[2]
    assert json.loads(update.before)["title"] == "Ursprunglig titel"
    assert json.loads(update.after)["title"] == "Rättad titel"


def test_a_rolled_back_change_leaves_no_event(make):
    case = make.case()
    update_case(
        make.session, case, expected_version=case.version, reason="Stavfel", title="Aldrig sparad"
    )
    make.session.rollback()
    assert _actions(make.session, case) == ["case.open"]
    assert verify_chain(make.session).ok


def test_the_database_refuses_to_change_or_delete_events(make):
    make.case()
    with pytest.raises(sa.exc.DatabaseError, match="append-only"):
        make.session.execute(sa.text("UPDATE audit_event SET action = 'x'"))
    make.session.rollback()
    with pytest.raises(sa.exc.DatabaseError, match="append-only"):
        make.session.execute(sa.text("DELETE FROM audit_event"))
    make.session.rollback()


def _drop_guard(session):
    if session.get_bind().dialect.name == "postgresql":
        session.execute(sa.text("DROP TRIGGER audit_event_no_change ON audit_event"))
    else:
        session.execute(sa.text("DROP TRIGGER audit_event_no_update"))
        session.execute(sa.text("DROP TRIGGER audit_event_no_delete"))


def test_verify_names_the_first_tampered_event(make):
    for n in range(5):
        make.case(f"Ärende {n}")
    assert verify_chain(make.session).ok
    _drop_guard(make.session)  # an attacker with database access
    make.session.execute(
        sa.text("UPDATE audit_event SET after = :v WHERE seq = 3"), {"v": '{"title": "Falsk"}'}
    )
    make.session.commit()
    result = verify_chain(make.session)
    assert (result.ok, result.broken_seq, result.reason) == (False, 3, "changed")


def test_verify_notices_a_deleted_event(make):
    for n in range(4):
        make.case(f"Ärende {n}")
    _drop_guard(make.session)
    make.session.execute(sa.text("DELETE FROM audit_event WHERE seq = 2"))
    make.session.commit()
    result = verify_chain(make.session)
    assert not result.ok and result.broken_seq == 2


def test_verify_notices_a_cut_off_tail(make):
    for n in range(4):
        make.case(f"Ärende {n}")
    last = make.session.exec(select(AuditEvent.seq).order_by(AuditEvent.seq.desc())).first()
    _drop_guard(make.session)
    make.session.execute(sa.text("DELETE FROM audit_event WHERE seq = :s"), {"s": last})
    make.session.commit()
    result = verify_chain(make.session)
    assert not result.ok and result.broken_seq == last


def test_cli_audit_verify(make, runner):
    from caseflow.cli import cli

    make.case()
    ok = runner.invoke(cli, ["audit", "verify"])
    assert ok.exit_code == 0 and "Granskningsloggen är hel" in ok.output
    _drop_guard(make.session)
    make.session.execute(sa.text("UPDATE audit_event SET actor_label = 'mallory' WHERE seq = 1"))
    make.session.commit()
    broken = runner.invoke(cli, ["audit", "verify", "--json"])
    assert broken.exit_code == 1
    assert json.loads(broken.output)["broken_seq"] == 1


def test_each_domain_names_the_audit_actions_it_records(app):
    from caseflow.common.audit import action_labels

    labels = action_labels(app)
    for action in (
        "case.open",
        "case.transition.submit",
        "document.read_secret",
        "memo.generate",
        "meeting.decision",
        "case.transition.decide",
        "mail.filed",
    ):
        assert action in labels, action
