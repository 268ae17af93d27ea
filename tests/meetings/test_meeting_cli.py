"""`caseflow meeting list` and `caseflow meeting show`: a meeting read at the console."""

import json
from datetime import datetime

from caseflow.cli import cli
from caseflow.common.timeutil import LOCAL_TZ
from caseflow.meetings import agenda_items, decisions, services
from caseflow.meetings.models import (
    MeetingAttendee,
    Motion,
    Statement,
    Vote,
    VoteBallot,
)
from tests.meetings.test_meetings import _hans, _meeting

SECRET_TITLE = "Vård av Anna Andersson, Storgatan 1"


def _secret(make, case):
    """Make ``case``'s title secret, with the public variant the register shows."""
    case = make.session.merge(case)
    case.title, case.title_is_secret = SECRET_TITLE, True
    case.public_title, case.secrecy_provision = "Ärende om enskilds vård", "OSL 26 kap. 1 §"
    make.session.commit()
    return case


def _held_meeting(make, app, approved):
    """Regionstyrelsen of 24 November 2021: the coworking case decided after a vote with
    a reservation, a secret case, and an information § without a case."""
    coworking, secret = approved(), _secret(make, approved("Hemligt ärende"))
    meeting = _meeting(make, app, coworking, secret)
    hans = _hans(make)
    people = [
        ("Anna Ordförande", "chair", "S", True, None, None),
        ("Bertil Justerare", "member", "M", True, None, None),
        ("Carl Ledamot", "member", "C", False, None, None),
        ("Dora Ersättare", "substitute", "C", True, "Carl Ledamot", None),
        ("Hans Svensson", "official", None, True, None, "föredragande"),
    ]
    attendees = {}
    for position, (name, role, party, present, serving_for, note) in enumerate(people):
        attendee = MeetingAttendee(
            meeting_id=meeting.id,
            name=name,
            role=role,
            affiliation=party,
            is_present=present,
            serving_for_id=attendees[serving_for].id if serving_for else None,
            position=position,
            note=note,
        )
        make.session.add(attendee)
        make.session.flush()
        attendees[name] = attendee
    with app.app_context():
        agenda_items.add_item(
            make.session, meeting, kind="information", title="Information om budgetläget", user=hans
        )
        services.open_meeting(make.session, meeting, user=hans)
        decided = meeting.items[0]
        decisions.record_decision(make.session, decided, kind="adopted", user=hans)
    proposal = Motion(item_id=decided.id, position=1, text="Bifall till förslaget")
    rejection = Motion(
        item_id=decided.id, position=2, mover="Bertil Justerare (M)", text="Avslag på förslaget"
    )
    make.session.add_all([proposal, rejection])
    make.session.flush()
    vote = Vote(
        item_id=decided.id,
        round=1,
        yes_motion_id=proposal.id,
        no_motion_id=rejection.id,
        result="ja",
        yes_count=2,
        no_count=1,
    )
    make.session.add(vote)
    make.session.flush()
    for name, choice in (("Anna Ordförande", "ja"), ("Bertil Justerare", "nej")):
        make.session.add(VoteBallot(vote_id=vote.id, attendee_id=attendees[name].id, choice=choice))
    make.session.add(
        VoteBallot(vote_id=vote.id, attendee_id=attendees["Dora Ersättare"].id, choice="ja")
    )
    make.session.add(
        Statement(
            item_id=decided.id,
            kind="reservation",
            attendee_id=attendees["Bertil Justerare"].id,
            name="Bertil Justerare (M)",
            text="Till förmån för eget yrkande.",
        )
    )
    decided.decided_by = "vote"
    make.session.commit()
    return meeting, coworking, secret


def _json(runner, *args):
    result = runner.invoke(cli, [*args, "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_show_gives_the_whole_meeting_as_json(make, app, approved, runner):
    meeting, coworking, secret = _held_meeting(make, app, approved)
    data = _json(runner, "meeting", "show", str(meeting.id))
    assert data["organ"] == "Regionstyrelsen"
    assert data["starts_at"] == "2021-11-24T09:00:00+01:00"  # Swedish winter time
    assert data["status"] == "opened" and data["ended_at"] is None
    assert (data["chair"], data["secretary"]) == ("Anna Ordförande", "Cecilia Sekreterare")
    assert data["attesters"] == ["Bertil Justerare"]
    assert data["attested_on"] is None and data["notice_posted_on"] is None
    dora = data["attendance"][3]
    assert dora == {
        "name": "Dora Ersättare",
        "role": "substitute",
        "present": True,
        "serving_for": "Carl Ledamot",
        "affiliation": "C",
        "note": None,
    }
    assert data["attendance"][2]["present"] is False
    assert data["attendance"][4]["note"] == "föredragande"

    decided, hidden, information = data["items"]
    assert (decided["number"], decided["paragraph"], decided["kind"]) == (1, 1, "case")
    assert decided["case"] == coworking.number
    assert decided["title"] == coworking.title
    assert decided["decision"]["kind"] == "adopted"
    assert decided["decision"]["points"][1] == (
        "Regiondirektören får i uppdrag att ansöka om finansiering från Vinnova."
    )
    assert decided["decided_by"] == "vote"
    assert decided["motions"] == [
        {"mover": None, "text": "Bifall till förslaget"},
        {"mover": "Bertil Justerare (M)", "text": "Avslag på förslaget"},
    ]
    (vote,) = decided["vote_rounds"]
    assert (vote["round"], vote["yes"], vote["no"], vote["result"]) == (1, 2, 1, "ja")
    assert decided["votes"] == [
        {"round": 1, "member": "Anna Ordförande", "vote": "ja"},
        {"round": 1, "member": "Bertil Justerare", "vote": "nej"},
        {"round": 1, "member": "Dora Ersättare", "vote": "ja"},
    ]
    assert decided["reservations"] == [
        {"name": "Bertil Justerare (M)", "text": "Till förmån för eget yrkande."}
    ]
    assert decided["notes"] == []
    # Not attested yet: the day it gains legal force waits for the notice of the justering.
    assert decided["legal_force"]["state"] == "pending"
    assert decided["legal_force"]["periods"] == [
        {
            "kind": "legality",
            "runs_from": None,
            "ends_on": None,
            "awaiting": "notice",
            "party": None,
        }
    ]

    assert hidden["case"] == secret.number and hidden["decision"] is None
    assert hidden["title"] == "Ärende om enskilds vård"
    assert information == {
        "number": 3,
        "paragraph": 3,
        "kind": "information",
        "case": None,
        "title": "Information om budgetläget",
        "decision": None,
        "decided_by": None,
        "legal_force": None,  # a § without a case decides nothing that can be appealed
        "motions": [],
        "votes": [],
        "vote_rounds": [],
        "reservations": [],
        "notes": [],
    }


def test_a_secret_title_never_reaches_the_export(make, app, approved, runner):
    meeting, _coworking, _secret_case = _held_meeting(make, app, approved)
    for args in (
        ["meeting", "show", str(meeting.id)],
        ["meeting", "show", str(meeting.id), "--json"],
    ):
        result = runner.invoke(cli, args)
        assert result.exit_code == 0, result.output
        assert "Anna Andersson" not in result.output and "Ärende om enskilds vård" in result.output


def test_show_as_text_reads_like_the_protocol(make, app, approved, runner):
    meeting, coworking, _secret_case = _held_meeting(make, app, approved)
    result = runner.invoke(cli, ["meeting", "show", str(meeting.id)])
    assert result.exit_code == 0, result.output
    text = result.stdout
    assert "Regionstyrelsen 2021-11-24 09:00, Regionens hus, Östersund" in text
    assert f"1. § 1  {coworking.number}  {coworking.title}" in text
    assert "Dora Ersättare (substitute, C) – tjänstgör för Carl Ledamot" in text
    assert "Reservation av Bertil Justerare (M): Till förmån för eget yrkande." in text
    assert "3. § 3  Information om budgetläget" in text


def test_list_shows_every_meeting_or_one_bodys(make, app, approved, runner):
    meeting, _coworking, _secret_case = _held_meeting(make, app, approved)
    board = make.organ("Hälso- och sjukvårdsnämnden")
    with app.app_context():
        other = services.create_meeting(
            make.session,
            organ=make.session.merge(board),
            starts_at=datetime(2021, 12, 1, 13, 30, tzinfo=LOCAL_TZ),
            place="Lilla salen",
            chair="Anna Ordförande",
            secretary="Cecilia Sekreterare",
            attesters="Bertil Justerare",
        )
        make.session.commit()
    rows = _json(runner, "meeting", "list")
    assert [row["id"] for row in rows] == [other.id, meeting.id]  # the latest first
    assert rows[1] == {
        "id": meeting.id,
        "organ": "Regionstyrelsen",
        "starts_at": "2021-11-24T09:00:00+01:00",
        "place": "Regionens hus, Östersund",
        "status": "opened",
        "items": 3,
    }
    only = _json(runner, "meeting", "list", "--organ", "regionstyrelsen")
    assert [row["id"] for row in only] == [meeting.id]
    text = runner.invoke(cli, ["meeting", "list"]).stdout
    assert "2021-12-01 13:30\tHälso- och sjukvårdsnämnden\tLilla salen\tPlanerat" in text


def test_an_unknown_meeting_or_body_is_a_clear_error(make, runner):
    make.organ("Regionstyrelsen")
    unknown = runner.invoke(cli, ["meeting", "show", "4711"])
    assert unknown.exit_code == 2 and unknown.stdout == ""
    assert unknown.stderr.strip() == "caseflow: error: Det finns inget sammanträde med id 4711."
    nobody = runner.invoke(cli, ["meeting", "list", "--organ", "Kommunfullmäktige"])
    assert nobody.exit_code == 2 and "Kommunfullmäktige" in nobody.stderr
    not_a_number = runner.invoke(cli, ["meeting", "show", "sju"])
    assert not_a_number.exit_code == 2 and len(not_a_number.stderr.splitlines()) == 1


def test_an_item_behind_closed_doors_shows_its_public_heading(make, app, approved, runner):
    meeting = _meeting(make, app, approved())
    with app.app_context():
        agenda_items.add_item(
            make.session,
            meeting,
            kind="other",
            title="Förhandling om köp av Storgatan 1",
            is_closed=True,
            public_title="Fastighetsärende",
            user=_hans(make),
        )
        make.session.commit()
    result = runner.invoke(cli, ["meeting", "show", str(meeting.id), "--json"])
    assert result.exit_code == 0, result.output
    closed = json.loads(result.stdout)["items"][1]
    assert (closed["case"], closed["title"]) == (None, "Fastighetsärende")
    assert "Storgatan" not in result.output
