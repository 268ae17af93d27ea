"""The secretary keeps the proceedings of a Regionstyrelsen meeting: the roll call, who
serves for whom, motions and votes under each §, reservations and notes."""

import re
from datetime import date, datetime

import pytest
from sqlmodel import select

from caseflow.common.errors import ValidationError
from caseflow.common.timeutil import LOCAL_TZ
from caseflow.meetings import agenda_items, attestation, decisions, proceedings, services
from caseflow.meetings.models import AgendaItem, Vote
from tests.meetings.conftest import MEETING_DAY

BOARD = [
    ("Anna Ordförande", "chair"),
    ("Bertil Justerare", "member"),
    ("David Ledamot", "member"),
    ("Gunnel Ledamot", "member"),
    ("Eva Ersättare", "substitute"),
    ("Fredrik Ersättare", "substitute"),
    ("Cecilia Sekreterare", "secretary"),
]


def _hans(make):
    from caseflow.auth.services import get_user_by_email

    return get_user_by_email(make.session, "hans.svensson@regionjh.se")


@pytest.fixture
def meeting(make, app, approved):
    """An opened meeting of a board of four voting members and two substitutes, with
    three approved cases as §§ 1–3 and the roll called."""
    make.organ("Regionstyrelsen", members=BOARD)
    cases = [approved("Första ärendet"), approved("Andra ärendet"), approved("Tredje ärendet")]
    meeting = make.session.merge(
        make.meeting_with(
            starts_at=datetime(
                MEETING_DAY.year, MEETING_DAY.month, MEETING_DAY.day, 9, tzinfo=LOCAL_TZ
            )
        )
    )
    hans = _hans(make)
    with app.app_context():
        for case in cases:
            agenda_items.add_case(make.session, meeting, make.session.merge(case), user=hans)
        services.open_meeting(make.session, meeting, user=hans)
        proceedings.call_roll(make.session, meeting, user=hans)
    make.session.commit()
    return meeting


def _who(meeting, name):
    return next(a for a in meeting.attendees if a.name == name)


def _names(attendees):
    return [a.name for a in attendees]


def test_the_roll_call_lists_the_body_and_keeps_what_was_added(make, app, meeting):
    hans = _hans(make)
    rows = proceedings.attendance_rows(meeting)
    assert [(r["name"], r["role"], r["present"]) for r in rows] == [
        ("Anna Ordförande", "chair", True),
        ("Bertil Justerare", "member", True),
        ("David Ledamot", "member", True),
        ("Gunnel Ledamot", "member", True),
        ("Eva Ersättare", "substitute", True),
        ("Fredrik Ersättare", "substitute", True),
        ("Cecilia Sekreterare", "secretary", True),
    ]
    with app.app_context():
        proceedings.add_attendee(
            make.session,
            meeting,
            name="Karin Direktör",
            role="official",
            note="föredragande",
            user=hans,
        )
        assert proceedings.call_roll(make.session, meeting, user=hans) == []
    rows = proceedings.attendance_rows(meeting)
    assert len(rows) == 8
    assert rows[-1] == {
        "name": "Karin Direktör",
        "role": "official",
        "affiliation": None,
        "present": True,
        "serving_for": None,
        "note": "föredragande",
    }
    # Substitutes are there, but only members hold a vote until someone is away.
    item = meeting.items[0]
    assert _names(proceedings.serving_members(make.session, item)) == [
        "Anna Ordförande",
        "Bertil Justerare",
        "David Ledamot",
        "Gunnel Ledamot",
    ]


def test_a_substitute_serves_for_an_absent_member_one_per_seat(make, app, meeting):
    hans = _hans(make)
    david, eva, fredrik = (
        _who(meeting, n) for n in ("David Ledamot", "Eva Ersättare", "Fredrik Ersättare")
    )
    bertil = _who(meeting, "Bertil Justerare")
    with app.app_context():
        with pytest.raises(ValidationError, match="Bertil Justerare är närvarande"):
            proceedings.set_presence(
                make.session, eva, is_present=True, serving_for=bertil, user=hans
            )
        proceedings.set_presence(make.session, david, is_present=False, note="", user=hans)
        proceedings.set_presence(make.session, eva, is_present=True, serving_for=david, user=hans)
        with pytest.raises(
            ValidationError, match="Eva Ersättare tjänstgör redan för David Ledamot"
        ):
            proceedings.set_presence(
                make.session, fredrik, is_present=True, serving_for=david, user=hans
            )
        with pytest.raises(ValidationError, match="Bara en ersättare"):
            proceedings.set_presence(
                make.session, bertil, is_present=True, serving_for=david, user=hans
            )
        with pytest.raises(ValidationError, match="avsluta det först"):
            proceedings.set_presence(make.session, david, is_present=True, user=hans)
    assert _names(proceedings.serving_members(make.session, meeting.items[0])) == [
        "Anna Ordförande",
        "Bertil Justerare",
        "Eva Ersättare",
        "Gunnel Ledamot",
    ]
    row = next(r for r in proceedings.attendance_rows(meeting) if r["name"] == "Eva Ersättare")
    assert row["serving_for"] == "David Ledamot"


def test_a_recused_member_takes_no_part_in_one_paragraph(make, app, meeting):
    hans = _hans(make)
    first, second = meeting.items[0], meeting.items[1]
    bertil, fredrik = _who(meeting, "Bertil Justerare"), _who(meeting, "Fredrik Ersättare")
    with app.app_context():
        with pytest.raises(ValidationError, match="Platsen för Bertil Justerare är besatt"):
            proceedings.set_item_presence(
                make.session, second, fredrik, "serving", serving_for=bertil, user=hans
            )
        proceedings.set_item_presence(make.session, second, bertil, "recused", user=hans)
        proceedings.set_item_presence(
            make.session, second, fredrik, "serving", serving_for=bertil, user=hans
        )
        with pytest.raises(ValidationError, match="tjänstgör för Bertil Justerare under denna §"):
            proceedings.clear_item_presence(make.session, second, bertil, user=hans)
    assert "Bertil Justerare" not in _names(proceedings.serving_members(make.session, second))
    assert "Fredrik Ersättare" in _names(proceedings.serving_members(make.session, second))
    assert "Bertil Justerare" in _names(proceedings.serving_members(make.session, first))
    assert proceedings.item_record(make.session, second)["presence"] == [
        {"name": "Bertil Justerare", "status": "recused", "serving_for": None},
        {"name": "Fredrik Ersättare", "status": "serving", "serving_for": "Bertil Justerare"},
    ]
    with app.app_context():
        proceedings.clear_item_presence(make.session, second, fredrik, user=hans)
        proceedings.clear_item_presence(make.session, second, bertil, user=hans)
    assert "Bertil Justerare" in _names(proceedings.serving_members(make.session, second))


def _ballots(meeting, **by_first_name):
    return {
        next(a.id for a in meeting.attendees if a.name.startswith(first)): choice
        for first, choice in by_first_name.items()
    }


def test_a_tie_is_settled_by_the_chairs_casting_vote(make, app, meeting):
    hans = _hans(make)
    item = meeting.items[0]
    with app.app_context():
        proposal = proceedings.add_proposal_motion(make.session, item, user=hans)
        rejection = proceedings.add_motion(
            make.session,
            item,
            attendee=_who(meeting, "Bertil Justerare"),
            text="Avslag.",
            user=hans,
        )
        with pytest.raises(ValidationError, match="Ingen röst antecknad för Gunnel Ledamot"):
            proceedings.record_vote(
                make.session,
                item,
                yes_motion=proposal,
                no_motion=rejection,
                ballots=_ballots(meeting, Anna="ja", Bertil="nej", David="ja"),
                user=hans,
            )
        with pytest.raises(ValidationError, match="Eva Ersättare har ingen rösträtt under § 1"):
            proceedings.record_vote(
                make.session,
                item,
                yes_motion=proposal,
                no_motion=rejection,
                ballots=_ballots(
                    meeting, Anna="ja", Bertil="nej", David="ja", Gunnel="nej", Eva="ja"
                ),
                user=hans,
            )
        vote = proceedings.record_vote(
            make.session,
            item,
            yes_motion=proposal,
            no_motion=rejection,
            ballots=_ballots(meeting, Anna="ja", Bertil="nej", David="ja", Gunnel="nej"),
            user=hans,
        )
    assert (vote.round, vote.result, vote.casting_vote) == (1, "ja", "ja")
    assert (vote.yes_count, vote.no_count, vote.abstain_count) == (2, 2, 0)
    assert item.decided_by == "vote"
    assert proceedings.winning_motion(item) is proposal
    record = proceedings.item_record(make.session, item)
    assert record["motions"][1] == {"mover": "Bertil Justerare", "text": "Avslag."}
    assert record["votes"][0]["yes"] is None and record["votes"][0]["no"] == "Bertil Justerare"
    assert {"member": "Anna Ordförande", "vote": "ja"} in record["votes"][0]["ballots"]


def test_a_chair_who_abstained_gives_the_casting_vote(make, app, meeting):
    hans = _hans(make)
    item = meeting.items[0]
    with app.app_context():
        proposal = proceedings.add_proposal_motion(make.session, item, user=hans)
        other = proceedings.add_motion(
            make.session, item, mover="Gunnel Ledamot", text="Återremiss.", user=hans
        )
        ballots = _ballots(meeting, Anna="avstår", Bertil="nej", David="ja", Gunnel="avstår")
        with pytest.raises(ValidationError, match="ordförandens utslagsröst"):
            proceedings.record_vote(
                make.session, item, yes_motion=proposal, no_motion=other, ballots=ballots, user=hans
            )
        vote = proceedings.record_vote(
            make.session,
            item,
            yes_motion=proposal,
            no_motion=other,
            ballots=ballots,
            casting_vote="nej",
            user=hans,
        )
    assert (vote.result, vote.abstain_count) == ("nej", 2)
    assert proceedings.winning_motion(item) is other


def test_an_election_tie_is_settled_by_lot(make, app, meeting):
    hans = _hans(make)
    item = meeting.items[2]
    with app.app_context():
        first = proceedings.add_motion(
            make.session, item, mover="Bertil Justerare", text="Karin Berg", user=hans
        )
        second = proceedings.add_motion(
            make.session, item, mover="Gunnel Ledamot", text="Lars Ek", user=hans
        )
        ballots = _ballots(meeting, Anna="ja", Bertil="ja", David="nej", Gunnel="nej")
        with pytest.raises(ValidationError, match="ange hur lotten föll"):
            proceedings.record_vote(
                make.session,
                item,
                yes_motion=first,
                no_motion=second,
                ballots=ballots,
                is_election=True,
                user=hans,
            )
        vote = proceedings.record_vote(
            make.session,
            item,
            yes_motion=first,
            no_motion=second,
            ballots=ballots,
            is_election=True,
            lot="nej",
            user=hans,
        )
    assert (vote.result, vote.lot, vote.casting_vote) == ("nej", "nej", None)
    assert proceedings.item_record(make.session, item)["votes"][0]["is_election"] is True


def test_a_counter_proposition_is_decided_first_and_the_loser_is_out(make, app, meeting):
    hans = _hans(make)
    item = meeting.items[1]
    with app.app_context():
        proposal = proceedings.add_proposal_motion(make.session, item, user=hans)
        refer = proceedings.add_motion(
            make.session, item, mover="Bertil Justerare", text="Återremiss.", user=hans
        )
        reject = proceedings.add_motion(
            make.session, item, mover="David Ledamot", text="Avslag.", user=hans
        )
        # Round 1 decides which of the two alternatives stands against the proposal.
        counter = proceedings.record_vote(
            make.session,
            item,
            yes_motion=refer,
            no_motion=reject,
            ballots=_ballots(meeting, Anna="nej", Bertil="ja", David="nej", Gunnel="nej"),
            user=hans,
        )
        assert counter.result == "nej"
        assert proceedings.open_motions(item) == [proposal, reject]
        with pytest.raises(ValidationError, match="förlorade i omgång 1"):
            proceedings.record_vote(
                make.session,
                item,
                yes_motion=proposal,
                no_motion=refer,
                ballots=_ballots(meeting, Anna="ja", Bertil="ja", David="ja", Gunnel="ja"),
                user=hans,
            )
        final = proceedings.record_vote(
            make.session,
            item,
            yes_motion=proposal,
            no_motion=reject,
            ballots=_ballots(meeting, Anna="ja", Bertil="ja", David="nej", Gunnel="ja"),
            user=hans,
        )
        assert final.round == 2
        assert proceedings.winning_motion(item) is proposal
        with pytest.raises(ValidationError, match="ta bort omröstningen först"):
            proceedings.remove_motion(make.session, refer, user=hans)
        proceedings.remove_last_vote(make.session, item, user=hans)
    assert [v.round for v in item.votes] == [1]
    assert proceedings.winning_motion(item) is reject


def test_reservations_and_notes_and_nothing_changes_after_justering(make, app, meeting):
    hans = _hans(make)
    item = meeting.items[0]
    bertil = _who(meeting, "Bertil Justerare")
    with app.app_context():
        proposal = proceedings.add_proposal_motion(make.session, item, user=hans)
        proceedings.record_acclamation(make.session, item, proposal, user=hans)
        proceedings.add_statement(
            make.session, item, kind="reservation", attendee=bertil, user=hans
        )
        with pytest.raises(ValidationError, match="protokollsanteckningens text"):
            proceedings.add_statement(
                make.session, item, kind="note", name="Gunnel Ledamot", user=hans
            )
        proceedings.add_statement(
            make.session,
            item,
            kind="note",
            name="Gunnel Ledamot",
            text="Vi välkomnar satsningen.",
            user=hans,
        )
        for each in meeting.items:
            decisions.record_decision(make.session, each, kind="adopted", user=hans)
        attestation.attest(
            make.session,
            meeting,
            attested_on=date(2021, 11, 30),
            attested_by="Anna Ordförande\nBertil Justerare",
            user=hans,
        )
    record = proceedings.item_record(make.session, item)
    assert record["decided_by"] == "acclamation"
    assert proceedings.winning_motion(item) is proposal
    assert record["reservations"] == [{"name": "Bertil Justerare", "text": None}]
    assert record["notes"] == [{"name": "Gunnel Ledamot", "text": "Vi välkomnar satsningen."}]
    locked = "justerat och låst"
    david = _who(meeting, "David Ledamot")
    refused = [
        lambda: proceedings.call_roll(make.session, meeting, user=hans),
        lambda: proceedings.add_attendee(make.session, meeting, name="Ny Person", user=hans),
        lambda: proceedings.set_presence(make.session, david, is_present=False, user=hans),
        lambda: proceedings.set_item_presence(make.session, item, david, "recused", user=hans),
        lambda: proceedings.add_motion(make.session, item, mover="X", text="Y", user=hans),
        lambda: proceedings.remove_motion(make.session, proposal, user=hans),
        lambda: proceedings.add_statement(
            make.session, item, kind="reservation", name="X", user=hans
        ),
        lambda: proceedings.remove_statement(make.session, item.statements[0], user=hans),
        lambda: proceedings.record_vote(
            make.session, item, yes_motion=proposal, no_motion=proposal, ballots={}, user=hans
        ),
    ]
    with app.app_context():
        for action in refused:
            with pytest.raises(ValidationError, match=locked):
                action()


def _token(page: str) -> str:
    return re.search(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', page)[1]


def test_the_secretary_records_a_vote_on_the_meeting_page(make, app, meeting):
    from tests.factories import PASSWORD

    hans = _hans(make)
    item = meeting.items[0]
    with app.app_context():
        proposal = proceedings.add_proposal_motion(make.session, item, user=hans)
        rejection = proceedings.add_motion(
            make.session, item, mover="Bertil Justerare", text="Avslag.", user=hans
        )
    make.session.commit()
    app.config["WTF_CSRF_ENABLED"] = True
    client = app.test_client()
    login_page = client.get("/login").get_data(as_text=True)
    client.post(
        "/login", data={"email": hans.email, "password": PASSWORD, "csrf_token": _token(login_page)}
    )
    page = client.get(f"/meetings/{meeting.id}").get_data(as_text=True)
    assert "Förrätta upprop" in page
    for attendee in proceedings.serving_members(make.session, item):
        assert f'name="ballot-{attendee.id}"' in page
    url = f"/meetings/{meeting.id}/items/{item.id}/votes"
    form = {"yes_motion": proposal.id, "no_motion": rejection.id}
    form.update(
        {
            f"ballot-{k}": v
            for k, v in _ballots(meeting, Anna="ja", Bertil="nej", David="ja", Gunnel="ja").items()
        }
    )
    assert client.post(url, data=form).status_code == 400  # no CSRF token
    missing = dict(form)
    missing.pop(next(k for k in form if k.startswith("ballot-")))
    response = client.post(url, data={**missing, "csrf_token": _token(page)}, follow_redirects=True)
    assert "Ingen röst antecknad för Anna Ordförande" in response.get_data(as_text=True)
    response = client.post(url, data={**form, "csrf_token": _token(page)}, follow_redirects=True)
    shown = response.get_data(as_text=True)
    assert "Omröstningen är antecknad under § 1" in shown
    assert "3 ja, 1 nej, 0 avstår" in shown
    item_id = item.id
    make.session.rollback()  # end this session's snapshot: the request has committed
    [vote] = make.session.exec(select(Vote).where(Vote.item_id == item_id)).all()
    assert vote.result == "ja" and len(vote.ballots) == 4

    # A round recorded by mistake is taken back through the page …
    remove = f"/meetings/{meeting.id}/items/{item_id}/votes/last/remove"
    response = client.post(remove, data={"csrf_token": _token(shown)})
    assert response.status_code == 302
    make.session.rollback()
    assert make.session.exec(select(Vote).where(Vote.item_id == item_id)).all() == []
    # … and an item with motions and a vote can still be taken off the agenda.
    response = client.post(url, data={**form, "csrf_token": _token(page)}, follow_redirects=True)
    assert "Omröstningen är antecknad" in response.get_data(as_text=True)
    take_off = f"/meetings/{meeting.id}/items/{item_id}/remove"
    response = client.post(take_off, data={"reason": "Utgår", "csrf_token": _token(page)})
    assert response.status_code == 302
    make.session.rollback()
    assert make.session.get(AgendaItem, item_id) is None


def test_a_registrar_reads_the_proceedings_without_forms(make, app, meeting, client, login):
    hans = _hans(make)
    item = meeting.items[0]
    with app.app_context():
        proposal = proceedings.add_proposal_motion(make.session, item, user=hans)
        other = proceedings.add_motion(
            make.session, item, mover="Bertil Justerare", text="Avslag.", user=hans
        )
        proceedings.record_vote(
            make.session,
            item,
            yes_motion=proposal,
            no_motion=other,
            ballots=_ballots(meeting, Anna="ja", Bertil="nej", David="nej", Gunnel="ja"),
            user=hans,
        )
        proceedings.add_statement(
            make.session, item, kind="reservation", name="Bertil Justerare", user=hans
        )
    make.session.commit()
    login(make.user("registrar"))
    page = client.get(f"/meetings/{meeting.id}").get_data(as_text=True)
    assert "Närvarande (upprop)" in page and "Gunnel Ledamot" in page
    assert "2 ja, 2 nej, 0 avstår" in page and "ordförandens utslagsröst" in page
    assert "Reservation</strong>: Bertil Justerare" in page
    assert "Förrätta upprop" not in page and 'name="ballot-' not in page
    assert "/votes" not in page


def test_the_secretary_keeps_the_proceedings_through_the_page(make, app, meeting, client, login):
    ids = {a.name.split()[0]: a.id for a in meeting.attendees}
    first, second = meeting.items[0], meeting.items[1]
    base = f"/meetings/{meeting.id}"
    login(_hans(make))
    client.post(f"{base}/attendees/{ids['David']}/presence", data={"is_present": "0", "note": ""})
    client.post(
        f"{base}/attendees/{ids['Eva']}/presence",
        data={"is_present": "1", "serving_for": ids["David"], "note": "§§ 1–3"},
    )
    client.post(f"{base}/attendees", data={"name": "Karin Direktör", "role": "official"})
    client.post(
        f"{base}/items/{second.id}/presence", data={"attendee": ids["Bertil"], "status": "recused"}
    )
    client.post(f"{base}/items/{first.id}/motions/proposal")
    client.post(
        f"{base}/items/{first.id}/motions", data={"attendee": ids["Gunnel"], "text": "Avslag."}
    )
    client.post(
        f"{base}/items/{first.id}/statements",
        data={"kind": "note", "name": "Gunnel Ledamot", "text": "Ett tillägg."},
    )
    refused = client.post(
        f"{base}/items/{first.id}/statements",
        data={"kind": "note", "attendee": ids["Gunnel"]},
        follow_redirects=True,
    )
    assert "Ange protokollsanteckningens text." in refused.get_data(as_text=True)
    make.session.rollback()
    make.session.refresh(meeting)
    rows = {r["name"]: r for r in proceedings.attendance_rows(meeting)}
    assert rows["David Ledamot"]["present"] is False
    assert rows["Eva Ersättare"]["serving_for"] == "David Ledamot"
    assert rows["Eva Ersättare"]["note"] == "§§ 1–3"
    assert rows["Karin Direktör"]["role"] == "official"
    first, second = meeting.items[0], meeting.items[1]
    assert _names(proceedings.serving_members(make.session, second)) == [
        "Anna Ordförande",
        "Eva Ersättare",
        "Gunnel Ledamot",
    ]
    record = proceedings.item_record(make.session, first)
    assert [m["mover"] for m in record["motions"]] == [None, "Gunnel Ledamot"]
    assert record["notes"] == [{"name": "Gunnel Ledamot", "text": "Ett tillägg."}]


def test_a_member_removed_from_the_register_stays_on_the_meetings_list(make, app, meeting):
    from caseflow.meetings.models import OrganMember
    from caseflow.meetings.organs import remove_member

    gunnel = _who(meeting, "Gunnel Ledamot")
    with app.app_context():
        remove_member(make.session, make.session.get(OrganMember, gunnel.member_id))
    make.session.commit()
    assert gunnel.member_id is None
    assert "Gunnel Ledamot" in [r["name"] for r in proceedings.attendance_rows(meeting)]
