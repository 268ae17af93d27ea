"""A board secretary corrects a meeting before justering — and never decides before it."""

import json
from datetime import date, datetime, timedelta

import pytest
from sqlmodel import select

from caseflow.cases.models import Case
from caseflow.common.audit import AuditEvent
from caseflow.common.errors import ValidationError
from caseflow.common.timeutil import LOCAL_TZ, today
from caseflow.meetings import agenda_items, attestation, decisions, services, state
from caseflow.meetings.models import AgendaItem, Meeting, ParagraphCounter


def _at(day: date, hour: int = 9) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=LOCAL_TZ)


@pytest.fixture
def board(make, app, approved):
    """Builder: a Regionstyrelsen meeting on ``day`` with fresh approved cases on its agenda."""
    make.organ("Regionstyrelsen")

    def build(day: date, *titles: str) -> Meeting:
        meeting = make.session.merge(make.meeting_with(starts_at=_at(day)))
        with app.app_context():
            for title in titles:
                case = make.session.merge(approved(title))
                agenda_items.add_case(make.session, meeting, case, user=approved.hans)
        make.session.commit()
        return meeting

    build.hans = approved.hans
    return build


def _paragraphs(meeting: Meeting) -> list[int | None]:
    return [item.paragraph for item in meeting.items]


def test_nothing_is_decided_before_the_meeting_begins(make, app, board):
    next_week = today() + timedelta(days=7)
    meeting = board(next_week, "Projekt Samverket")
    item = meeting.items[0]
    with app.app_context():
        with pytest.raises(ValidationError, match="börjar .*har börjat"):
            services.open_meeting(make.session, meeting, user=board.hans)
        with pytest.raises(ValidationError, match="har inte öppnats"):
            decisions.record_decision(make.session, item, kind="adopted", user=board.hans)
    make.session.rollback()
    case = make.session.get(Case, item.case_id)
    assert case.status == "on_agenda"
    assert item.paragraph is None and item.decision_kind is None


def test_a_meeting_dated_by_mistake_is_moved_and_then_held(make, app, board):
    """The clumsy start of the issue: dated next week, corrected to this morning."""
    meeting = board(today() + timedelta(days=7), "Projekt Samverket")
    this_morning = datetime.now(LOCAL_TZ).replace(second=0, microsecond=0) - timedelta(hours=1)
    with app.app_context():
        services.update_meeting(
            make.session,
            meeting,
            starts_at=this_morning,
            place="Regionens hus, sal Storsjön",
            chair="Anna Ordförande",
            secretary="Cecilia Sekreterare",
            attesters="Bertil Justerare",
            user=board.hans,
        )
        services.open_meeting(make.session, meeting, user=board.hans)
        decisions.record_decision(make.session, meeting.items[0], kind="adopted", user=board.hans)
        with pytest.raises(ValidationError, match="tid som ännu inte har kommit"):
            services.update_meeting(
                make.session,
                meeting,
                starts_at=this_morning + timedelta(days=2),
                place=meeting.place,
                chair=meeting.chair,
                secretary=meeting.secretary,
                attesters=meeting.attesters,
                user=board.hans,
            )
    make.session.commit()
    assert meeting.place == "Regionens hus, sal Storsjön"
    events = make.session.exec(
        select(AuditEvent).where(AuditEvent.action == "meeting.update")
    ).all()
    assert events and "starts_at" in json.loads(events[0].after)


def test_removing_an_item_leaves_no_gap_in_the_paragraphs(make, app, board):
    first = board(date(2021, 11, 24), "Ärende A", "Ärende B", "Ärende C")
    with app.app_context():
        services.open_meeting(make.session, first, user=board.hans)
        assert _paragraphs(first) == [1, 2, 3]
        removed = first.items[1]
        case_id = removed.case_id
        agenda_items.remove_item(make.session, removed, reason="Utgår på begäran", user=board.hans)
    make.session.commit()
    assert _paragraphs(first) == [1, 2]
    assert [item.position for item in first.items] == [1, 2]
    assert make.session.get(Case, case_id).status == "approved"
    second = board(date(2021, 12, 15), "Ärende D")
    with app.app_context():
        services.open_meeting(make.session, second, user=board.hans)
    make.session.commit()
    assert _paragraphs(second) == [3]


def test_once_a_later_meeting_is_numbered_the_earlier_ones_keep_their_paragraphs(make, app, board):
    first = board(date(2021, 11, 24), "Ärende A", "Ärende B")
    second = board(date(2021, 12, 15), "Ärende C")
    with app.app_context():
        services.open_meeting(make.session, first, user=board.hans)
        services.open_meeting(make.session, second, user=board.hans)
        make.session.commit()
        with pytest.raises(ValidationError, match="senare sammanträde"):
            agenda_items.remove_item(make.session, first.items[0], reason="Utgår", user=board.hans)
    make.session.rollback()
    assert _paragraphs(first) == [1, 2] and _paragraphs(second) == [3]


def test_paragraphs_follow_the_meetings_order_in_time(make, app, board):
    """Two meetings of one body never get interleaved §§."""
    earlier = board(date(2021, 11, 24), "Ärende A")
    later = board(date(2021, 12, 15), "Ärende B")
    with app.app_context():
        with pytest.raises(ValidationError, match="kommer tidigare och har inte öppnats"):
            services.open_meeting(make.session, later, user=board.hans)
        make.session.rollback()
        services.cancel_meeting(
            make.session, make.session.merge(earlier), reason="Inställt", user=board.hans
        )
        services.open_meeting(make.session, make.session.merge(later), user=board.hans)
    make.session.commit()
    later = make.session.get(Meeting, later.id)
    assert _paragraphs(later) == [1]
    assert make.session.get(Meeting, earlier.id).status == "cancelled"
    counter = make.session.get(ParagraphCounter, (later.organ_id, 2021))
    assert counter.last_number == 1


def test_a_decision_recorded_by_mistake_is_undone_with_a_reason(make, app, board):
    meeting = board(date(2021, 11, 24), "Projekt Samverket")
    item = meeting.items[0]
    with app.app_context():
        services.open_meeting(make.session, meeting, user=board.hans)
        decisions.record_decision(make.session, item, kind="tabled", user=board.hans)
        with pytest.raises(ValidationError, match="Ange skälet"):
            decisions.undo_decision(make.session, item, reason=" ", user=board.hans)
        decisions.undo_decision(make.session, item, reason="Fel ärende markerades", user=board.hans)
        assert make.session.get(Case, item.case_id).status == "on_agenda"
        assert item.decision_kind is None and item.paragraph == 1
        decisions.record_decision(make.session, item, kind="adopted", user=board.hans)
        attestation.attest(
            make.session,
            meeting,
            attested_on=date(2021, 11, 30),
            attested_by="Anna Ordförande\nBertil Justerare",
            user=board.hans,
        )
        with pytest.raises(ValidationError, match="justerat"):
            decisions.undo_decision(make.session, item, reason="För sent", user=board.hans)
        with pytest.raises(ValidationError, match="justerat"):
            agenda_items.remove_item(make.session, item, reason="För sent", user=board.hans)
    make.session.commit()
    assert make.session.get(Case, item.case_id).status == "decided"
    undone = make.session.exec(
        select(AuditEvent).where(AuditEvent.action == "meeting.undo_decision")
    ).one()
    assert json.loads(undone.after)["reason"] == "Fel ärende markerades"
    assert json.loads(undone.before)["kind"] == "tabled"


def test_paragraphs_without_a_case_are_numbered_with_the_others(make, app, board):
    meeting = board(date(2021, 11, 24), "Projekt Samverket")
    with app.app_context():
        opening = agenda_items.add_item(
            make.session,
            meeting,
            kind="opening",
            title="Sammanträdets öppnande",
            user=board.hans,
        )
        agenda_items.move_item(make.session, meeting, opening, -1, user=board.hans)
        agenda_items.add_item(
            make.session,
            meeting,
            kind="attesters",
            title="Val av justerare",
            body="Bertil Justerare utses att jämte ordföranden justera protokollet.",
            user=board.hans,
        )
        services.open_meeting(make.session, meeting, user=board.hans)
        late = agenda_items.add_item(
            make.session,
            meeting,
            kind="information",
            title="Information om länstrafiken",
            user=board.hans,
        )
    make.session.commit()
    kinds = [(item.kind, item.paragraph) for item in meeting.items]
    assert kinds == [("opening", 1), ("case", 2), ("attesters", 3), ("information", 4)]
    assert late.paragraph == 4
    assert make.session.exec(select(AgendaItem).where(AgendaItem.case_id.is_(None))).all()


def test_justering_and_the_notice_are_recorded_when_they_happened(make, app, board):
    # The notice board is kept elsewhere: the secretary records the notice by hand.
    app.config["NOTICEBOARD_AUTO_POST"] = False
    meeting = board(today() - timedelta(days=2), "Projekt Samverket")
    with app.app_context():
        services.open_meeting(make.session, meeting, user=board.hans)
        decisions.record_decision(make.session, meeting.items[0], kind="adopted", user=board.hans)
        for attested_on, notice in (
            (today() + timedelta(days=3), None),
            (today(), today() + timedelta(days=1)),
        ):
            with pytest.raises(ValidationError, match="inte i förväg"):
                attestation.attest(
                    make.session,
                    meeting,
                    attested_on=attested_on,
                    attested_by="Anna Ordförande\nBertil Justerare",
                    notice_posted_on=notice,
                    user=board.hans,
                )
        attestation.attest(
            make.session,
            meeting,
            attested_on=today(),
            attested_by="Anna Ordförande\nBertil Justerare",
            user=board.hans,
        )
    assert meeting.is_attested and meeting.notice_posted_on is None


def test_a_cancelled_meeting_is_kept_with_its_kallelse(make, app, board):
    from caseflow.meetings.models import MeetingSummons

    meeting = board(today() + timedelta(days=7), "Projekt Samverket")
    case_id = meeting.items[0].case_id
    make.session.add(
        MeetingSummons(meeting_id=meeting.id, version=1, recipients="[]", status="sent")
    )
    make.session.commit()
    with app.app_context():
        services.cancel_meeting(make.session, meeting, reason="Inställt", user=board.hans)
        with pytest.raises(ValidationError, match="inställt"):
            agenda_items.add_item(
                make.session, meeting, kind="information", title="Info", user=board.hans
            )
    make.session.commit()
    kept = make.session.get(Meeting, meeting.id)
    assert kept.status == "cancelled" and kept.items == []
    assert make.session.get(Case, case_id).status == "approved"
    # A cancelled meeting does not hold up the §§ of the next one.
    later = board(today() - timedelta(days=1), "Ärende B")
    with app.app_context():
        services.open_meeting(make.session, later, user=board.hans)


def test_a_tabled_case_carries_no_decision_points_and_closed_items_have_a_public_heading(
    make, app, board
):
    meeting = board(date(2021, 11, 24), "Projekt Samverket")
    with app.app_context():
        with pytest.raises(ValidationError, match="rubrik som allmänheten"):
            agenda_items.add_item(
                make.session,
                meeting,
                kind="other",
                title="Förhandling med X AB",
                is_closed=True,
                user=board.hans,
            )
        services.open_meeting(make.session, meeting, user=board.hans)
        item = meeting.items[0]
        decisions.record_decision(
            make.session, item, kind="tabled", points=["Förslaget antas."], user=board.hans
        )
    assert state.decision_points(item) == []
