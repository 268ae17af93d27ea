"""A decision's legal force from what caseflow records: the notice, the dispatch to the
party, a delegated decision's report or own notice, and the appeals that came in.

Regionstyrelsen met on Wednesday 24 November 2021, attested Tuesday 30 November and posted
the notice Wednesday 1 December: laglighetsprövning ends Wednesday 22 December, and with
no party the decision gains legal force on Thursday 23 December 2021.
"""

import json
from datetime import date, datetime

import pytest
from sqlmodel import select

from caseflow.common.audit import AuditEvent
from caseflow.common.timeutil import LOCAL_TZ
from caseflow.meetings import appeals
from caseflow.meetings.dispatch_models import DispatchRecipient, RecipientStatus
from caseflow.meetings.legal_force import (
    Awaiting,
    State,
    delegated_legal_force,
    item_legal_force,
)
from caseflow.meetings.models import AgendaItem
from caseflow.meetings.records import meeting_record
from tests.meetings.conftest import VINNOVA, delegated_decision


def _sent(make, item, when: datetime):
    """The excerpt mailed to Vinnova, the mail server accepting it at ``when``."""
    dispatch = make.session.merge(make.dispatch(item))
    dispatch.sent_at = when
    make.session.add(
        DispatchRecipient(
            dispatch_id=dispatch.id,
            name="Anna Andersson, Vinnova",
            email=VINNOVA["email"],
            status=RecipientStatus.ACCEPTED,
            accepted_at=when,
            served_on=when.astimezone(LOCAL_TZ).date(),
        )
    )
    make.session.commit()
    return dispatch


def test_a_board_decision_gains_legal_force_the_day_after_three_weeks(make, app, decided):
    _case, item = decided()
    with app.app_context():
        found = item_legal_force(make.session, item, date(2021, 12, 22))
        assert (found.state, found.on) == (State.RUNNING, date(2021, 12, 23))
        assert [(p.kind, p.runs_from, p.ends_on) for p in found.periods] == [
            ("legality", date(2021, 12, 1), date(2021, 12, 22))
        ]
        # `caseflow meeting show --json` tells the same, as of today (long after).
        (record,) = meeting_record(make.session, item.meeting)["items"]
    assert record["legal_force"]["state"] == "final"
    assert record["legal_force"]["date"] == "2021-12-23"
    assert record["legal_force"]["periods"][0]["ends_on"] == "2021-12-22"


def test_a_protocol_not_yet_posted_keeps_the_day_unknown(make, app, decided):
    _case, item = decided(notice=None)
    with app.app_context():
        found = item_legal_force(make.session, item, date(2022, 6, 1))
    assert (found.state, found.awaiting) == (State.PENDING, [Awaiting.NOTICE])


def test_a_party_counts_from_the_day_the_decision_was_sent_to_them(make, app, decided):
    _case, item = decided(parties=[VINNOVA])
    with app.app_context():
        waiting = item_legal_force(make.session, item, date(2022, 6, 1))
        assert (waiting.state, waiting.awaiting) == (State.PENDING, [Awaiting.SERVICE])
        # Mailed Friday 3 December at 10:00: three weeks end on julafton, Friday 24
        # December; then Christmas Day, a Saturday, a Sunday: Monday 27th. Final Tuesday 28th.
        _sent(make, item, datetime(2021, 12, 3, 10, 0, tzinfo=LOCAL_TZ))
        found = item_legal_force(make.session, item, date(2021, 12, 27))
    assert (found.state, found.on) == (State.RUNNING, date(2021, 12, 28))
    party = found.periods[1]
    assert (party.kind, party.party, party.ends_on) == (
        "administrative",
        "Anna Andersson, Vinnova",
        date(2021, 12, 27),
    )


def test_a_secret_partys_name_is_masked_where_the_public_reads(make, app, decided):
    _case, item = decided(
        parties=[VINNOVA], parties_are_secret=True, secrecy_provision="OSL 21 kap. 1 §"
    )
    with app.app_context():
        (record,) = meeting_record(make.session, item.meeting)["items"]
    assert "Anna Andersson" not in json.dumps(record, ensure_ascii=False)
    assert record["legal_force"]["periods"][1]["awaiting"] == "service"


def test_a_delegated_decision_runs_from_its_report_or_its_own_notice(make, app):
    case = make.case("Medfinansiering under delegation")
    unreported = delegated_decision(make, case)
    with app.app_context():
        found = delegated_legal_force(make.session, unreported, date(2022, 6, 1))
        assert (found.state, found.awaiting) == (State.PENDING, [Awaiting.REPORT])
        # Reported at the meeting of 24 November 2021, its notice posted 1 December.
        meeting = make.session.merge(make.meeting_with())
        report = AgendaItem(meeting_id=meeting.id, kind="delegation_report", position=1)
        make.session.add(report)
        meeting.status, meeting.attested_on = "attested", date(2021, 11, 30)
        make.session.commit()
        unreported.reported_item_id = report.id
        assert delegated_legal_force(make.session, unreported).awaiting == [Awaiting.NOTICE]
        meeting.notice_posted_on = date(2021, 12, 1)
        assert delegated_legal_force(make.session, unreported).on == date(2021, 12, 23)
        # Its own notice, Monday 15 November: three weeks end Monday 6 December.
        appeals.record_delegated_notice(
            make.session, unreported, posted_on=date(2021, 11, 15), user=None
        )
        assert delegated_legal_force(make.session, unreported).on == date(2021, 12, 7)
    make.session.commit()


def test_an_appeal_stops_the_clock_until_it_is_withdrawn(make, app, decided):
    case, item = decided(parties=[VINNOVA])
    _sent(make, item, datetime(2021, 12, 3, 10, 0, tzinfo=LOCAL_TZ))
    registrar = make.user("registrar")
    letter = make.document(case, title="Överklagande", received_on=date(2021, 12, 20))
    (party,) = case.parties
    with app.app_context():
        appeal = appeals.record_appeal(
            make.session,
            case,
            kind="administrative",
            received_on=date(2021, 12, 20),
            case_party_id=party.id,
            document_id=letter.id,
            user=registrar,
        )
        assert appeal.appellant == "Anna Andersson, Vinnova"
        assert item_legal_force(make.session, item, date(2022, 3, 1)).state == State.APPEALED
        appeals.end_appeal(
            make.session, appeal, how="withdrawn", ended_on=date(2022, 1, 14), user=registrar
        )
        found = item_legal_force(make.session, item, date(2022, 3, 1))
    make.session.commit()
    assert (found.state, found.on) == (State.FINAL, date(2022, 1, 14))
    actions = make.session.exec(
        select(AuditEvent.action).where(AuditEvent.case_id == case.id)
    ).all()
    assert {"appeal.record", "appeal.end"} <= set(actions)


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"received_on": date(2021, 11, 1)}, "innan beslutet fattades"),
        ({"appellant": ""}, "Ange vem som har överklagat"),
        ({"kind": "complaint"}, "Välj hur beslutet överklagas"),
    ],
)
def test_an_appeal_the_records_cannot_hold_is_refused(make, app, decided, values, message):
    case, _item = decided()
    arguments = {"kind": "legality", "received_on": date(2021, 12, 10), "appellant": "Gunnel"}
    with app.app_context():
        with pytest.raises(appeals.ValidationError) as refused:
            appeals.record_appeal(make.session, case, **{**arguments, **values}, user=None)
        assert message in str(refused.value)


def test_the_court_ruling_needs_its_outcome_and_a_case_without_a_decision_has_no_appeal(
    make, app, decided
):
    case, _item = decided()
    with app.app_context():
        appeal = appeals.record_appeal(
            make.session, case, kind="legality", received_on=date(2021, 12, 10),
            appellant="Gunnel", user=None,
        )  # fmt: skip
        with pytest.raises(appeals.ValidationError):
            appeals.end_appeal(
                make.session, appeal, how="decided", ended_on=date(2022, 2, 1), user=None
            )
        with pytest.raises(appeals.ValidationError):
            appeals.record_appeal(
                make.session, make.session.merge(make.case("Oavgjort")), kind="legality",
                received_on=date(2021, 12, 10), appellant="Gunnel", user=None,
            )  # fmt: skip


def test_an_appeal_after_the_three_weeks_is_recorded_and_marked_late(make, app, decided):
    case, item = decided()
    from caseflow.meetings.legal_force_text import appeal_line

    with app.app_context():
        # The period ended Wednesday 22 December; this one came in Thursday 23rd.
        late = appeals.record_appeal(
            make.session, case, kind="legality", received_on=date(2021, 12, 23),
            appellant="Gunnel Kommunmedlem", user=None,
        )  # fmt: skip
        found = item_legal_force(make.session, item, date(2022, 1, 10))
        assert found.state == State.APPEALED  # the court, not caseflow, rejects it as late
        assert appeal_line(late, found) == (
            "Laglighetsprövning (KL 13 kap. 5 §) av Gunnel Kommunmedlem, inkom 2021-12-23 "
            "(inkom efter att överklagandetiden gått ut)"
        )
