"""Digital justering: Regionstyrelsen's chair Anna Ordförande and its chosen attester
Bertil Justerare attest the protocol in caseflow, each logged in with their own account."""

from datetime import datetime, timedelta

import pytest
from sqlmodel import select

from caseflow.common.errors import ValidationError
from caseflow.common.models import AuditEvent
from caseflow.common.timeutil import LOCAL_TZ, today
from caseflow.meetings import agenda_items, attestation, decisions, justering, proceedings, services
from caseflow.meetings.justering_mail import notify
from caseflow.meetings.justering_models import MeetingSignature
from caseflow.meetings.member_accounts import create_member_account
from caseflow.meetings.models import OrganMember
from tests.meetings.test_meetings import _hans

BOARD = [
    ("Anna Ordförande", "chair", "anna.ordforande@politik.regionjh.se", "S"),
    ("Bertil Justerare", "member", "bertil.justerare@politik.regionjh.se", "M"),
    ("David Ledamot", "member", "david.ledamot@politik.regionjh.se", "C"),
    ("Cecilia Sekreterare", "secretary", None, None),
]


def _member(make, organ, name) -> OrganMember:
    return make.session.exec(
        select(OrganMember).where(OrganMember.organ_id == organ.id, OrganMember.name == name)
    ).one()


def _account(make, app, organ, name):
    """The member's account, made from the register as the secretary does."""
    with app.app_context():
        account, _token = create_member_account(
            make.session, _member(make, organ, name), email=None, link_hours=24
        )
    make.session.commit()
    return account


@pytest.fixture
def held(make, app, approved):
    """Regionstyrelsen's meeting of three days ago: opened, decided, ready for justering;
    Anna (chair) and Bertil (attester) have accounts."""
    organ = make.session.merge(make.organ("Regionstyrelsen", members=BOARD))
    case = approved()
    day = today() - timedelta(days=3)
    meeting = make.session.merge(
        make.meeting_with(starts_at=datetime(day.year, day.month, day.day, 9, tzinfo=LOCAL_TZ))
    )
    hans = _hans(make)
    with app.app_context():
        agenda_items.add_case(make.session, meeting, make.session.merge(case), user=hans)
        services.open_meeting(make.session, meeting, user=hans)
        (item,) = meeting.items
        decisions.record_decision(make.session, item, kind="adopted", user=hans)
    make.session.commit()
    anna, bertil = (_account(make, app, organ, n) for n in ("Anna Ordförande", "Bertil Justerare"))
    return meeting, hans, anna, bertil


def _send(make, app, meeting, hans):
    with app.app_context():
        rows = justering.send_for_justering(make.session, meeting, user=hans)
        make.session.commit()  # the notices go after the commit
    return rows


def _sign(make, app, meeting, user):
    with app.app_context():
        signature = justering.sign_protocol(make.session, meeting, user=user)
    make.session.commit()
    return signature


def _actions(make, meeting) -> list[str]:
    events = make.fresh().exec(
        select(AuditEvent).where(
            AuditEvent.object_type == "meeting", AuditEvent.object_id == meeting.id
        )
    )
    return [e.action for e in events]


def test_when_the_chair_and_the_attester_have_attested_the_protocol_is(make, app, held):
    meeting, hans, anna, bertil = held
    rows = _send(make, app, meeting, hans)
    assert [(r.name, r.is_chair) for r in rows] == [
        ("Anna Ordförande", True),
        ("Bertil Justerare", False),
    ]
    # The attester may attest before the chair: the order is free.
    _sign(make, app, meeting, bertil)
    assert not meeting.is_attested
    _sign(make, app, meeting, anna)
    meeting = make.fresh().merge(meeting)
    assert meeting.is_attested
    assert meeting.attested_on == today()
    assert meeting.attested_by.split("\n") == ["Anna Ordförande", "Bertil Justerare"]
    actions = _actions(make, meeting)
    assert actions.count("meeting.attest_signature") == 2
    # The notice board posts the notice the same day (caseflow.noticeboard's hook).
    assert actions[-2:] == ["meeting.attest", "meeting.notice"]
    assert meeting.notice_posted_on == today()
    # An excerpt may now be made of the §.
    assert decisions.exportable_items(meeting) == list(meeting.items)


def test_no_attestation_before_the_protocol_is_sent(make, app, held):
    meeting, _hans, anna, _bertil = held
    with app.app_context(), pytest.raises(ValidationError, match="inte skickats för justering"):
        justering.sign_protocol(make.session, meeting, user=anna)


def test_a_member_not_chosen_to_attest_is_refused(make, app, held):
    meeting, hans, _anna, _bertil = held
    organ = meeting.organ
    david = _account(make, app, organ, "David Ledamot")
    _send(make, app, meeting, hans)
    with app.app_context(), pytest.raises(ValidationError, match="inte bland dem som valts"):
        justering.sign_protocol(make.session, meeting, user=david)


def test_a_member_of_another_body_is_refused(make, app, held):
    meeting, hans, _anna, _bertil = held
    hsn = make.session.merge(
        make.organ(
            "Hälso- och sjukvårdsnämnden",
            members=[("Anna Ordförande", "chair", "anna.hsn@politik.regionjh.se", "S")],
        )
    )
    other_anna = _account(make, app, hsn, "Anna Ordförande")
    _send(make, app, meeting, hans)
    with app.app_context(), pytest.raises(ValidationError, match="inte bland dem som valts"):
        justering.sign_protocol(make.session, meeting, user=other_anna)


def test_attesting_twice_is_refused(make, app, held):
    meeting, hans, anna, _bertil = held
    _send(make, app, meeting, hans)
    _sign(make, app, meeting, anna)
    with app.app_context(), pytest.raises(ValidationError, match="redan justerat"):
        justering.sign_protocol(make.session, meeting, user=anna)


def test_a_correction_after_an_attestation_withdraws_it(make, app, held):
    meeting, hans, anna, bertil = held
    _send(make, app, meeting, hans)
    _sign(make, app, meeting, anna)
    (item,) = meeting.items
    with app.app_context():
        decisions.undo_decision(make.session, item, reason="Fel beslut antecknat.", user=hans)
        decisions.record_decision(
            make.session, item, kind="amended", points=["Ändrad punkt."], user=hans
        )
    make.session.commit()
    (chair, attester) = justering_rows(make, meeting)
    assert chair.signed_at is None and chair.withdrawn_at is not None
    assert "meeting.attest_withdrawn" in _actions(make, meeting)
    # Anna's page tells her, and she attests the corrected protocol anew.
    (waiting,) = justering.awaiting(make.session, anna)
    assert waiting[1].withdrawn_at is not None
    _sign(make, app, meeting, bertil)
    assert not make.fresh().merge(meeting).is_attested
    _sign(make, app, meeting, anna)
    assert make.fresh().merge(meeting).is_attested


def justering_rows(make, meeting):
    return (
        make.fresh()
        .exec(
            select(MeetingSignature)
            .where(MeetingSignature.meeting_id == meeting.id)
            .order_by(MeetingSignature.position)
        )
        .all()
    )


def test_paper_justering_closes_the_digital_one_in_progress(make, app, held):
    meeting, hans, anna, bertil = held
    _send(make, app, meeting, hans)
    _sign(make, app, meeting, bertil)
    with app.app_context():
        attestation.attest(
            make.session,
            meeting,
            attested_on=today(),
            attested_by="Anna Ordförande\nBertil Justerare",
            user=hans,
        )
    make.session.commit()
    assert "meeting.justering_closed" in _actions(make, meeting)
    assert justering.awaiting(make.session, anna) == []
    with app.app_context(), pytest.raises(ValidationError, match="redan justerat"):
        justering.sign_protocol(make.session, meeting, user=anna)


def test_the_attesters_must_have_been_present_and_have_accounts(make, app, held):
    meeting, hans, _anna, _bertil = held
    with app.app_context():
        people = proceedings.call_roll(make.session, meeting, user=hans)
        bertil = next(a for a in people if a.name == "Bertil Justerare")
        proceedings.set_presence(make.session, bertil, is_present=False, user=hans)
        with pytest.raises(ValidationError, match="inte bland de närvarande"):
            justering.send_for_justering(make.session, meeting, user=hans)
        proceedings.set_presence(make.session, bertil, is_present=True, user=hans)
        _member(make, meeting.organ, "Bertil Justerare").user_id = None
        with pytest.raises(ValidationError, match="har inget konto"):
            justering.send_for_justering(make.session, meeting, user=hans)


def test_the_attesters_are_told_by_mail_and_a_failure_is_kept_in_words(make, app, held, smtp):
    meeting, hans, _anna, _bertil = held
    _send(make, app, meeting, hans)  # the commit sends the notices
    addresses = sorted(rcpt for rcpts, _msg in smtp.messages for rcpt in rcpts)
    assert addresses == [
        "anna.ordforande@politik.regionjh.se",
        "bertil.justerare@politik.regionjh.se",
    ]
    body = smtp.messages[0][1].get_body().get_content()
    assert f"/meetings/{meeting.id}" in body
    # A notice that could not go is shown to the secretary in words, and never blocks.
    for row in justering_rows(make, meeting):
        row.notice_status = "pending"
    make.session.commit()
    smtp.refuse = True
    with app.app_context():
        outcome = notify(meeting.id, "http://caseflow.test/meetings/1")
        assert set(outcome.values()) == {"failed"}
        from caseflow.meetings.justering_mail import notice_problem

        problem = notice_problem(justering_rows(make, meeting)[0])
    assert "meddela personen på annat sätt" in problem and "Error" not in problem


def test_saving_the_meeting_unchanged_keeps_the_attestations_a_new_place_withdraws(make, app, held):
    meeting, hans, anna, _bertil = held
    _send(make, app, meeting, hans)
    _sign(make, app, meeting, anna)
    facts = {
        "starts_at": meeting.starts_at,
        "place": meeting.place,
        "chair": meeting.chair,
        "secretary": meeting.secretary,
        "attesters": meeting.attesters,
    }
    with app.app_context():
        services.update_meeting(make.session, meeting, **facts, user=hans)
        assert justering_rows(make, meeting)[0].signed_at is not None
        meeting = make.session.merge(meeting)
        services.update_meeting(
            make.session, meeting, **(facts | {"place": "Regionens hus, sal Storsjön"}), user=hans
        )
        make.session.commit()
        assert justering_rows(make, meeting)[0].signed_at is None
        # Nor can the attesters change once they were asked: paper is the way out.
        with pytest.raises(ValidationError, match="papper"):
            services.update_meeting(
                make.session,
                make.session.merge(meeting),
                **(facts | {"attesters": "David Ledamot"}),
                user=hans,
            )
