"""An official follows their own case to the meeting: reads its page and documents, no more."""

from datetime import date, datetime

from caseflow.common.timeutil import LOCAL_TZ
from caseflow.meetings import agenda_items, services


def _meeting_on(make, app, case, day, hans):
    meeting = make.session.merge(
        make.meeting_with(starts_at=datetime(day.year, day.month, day.day, 9, tzinfo=LOCAL_TZ))
    )
    with app.app_context():
        agenda_items.add_case(make.session, meeting, make.session.merge(case), user=hans)
    make.session.commit()
    return meeting


def test_an_official_reads_only_the_meetings_of_their_own_cases(make, app, client, login, approved):
    erik, hans = approved.erik, approved.hans
    own = _meeting_on(make, app, approved("Eriks ärende"), date(2021, 11, 24), hans)
    lisa = make.user("official", name="Lisa Lindqvist")
    others = approved("Lisas ärende")
    others_case = make.session.merge(others)
    others_case.officer_id = lisa.id
    make.session.commit()
    foreign = _meeting_on(make, app, others, date(2021, 12, 15), hans)
    with app.app_context():  # opened: the page shows its §§ and what happened under them
        services.open_meeting(make.session, make.session.merge(own), user=hans)
    make.session.commit()

    login(erik)
    listing = client.get("/meetings/").get_data(as_text=True)
    assert f"/meetings/{own.id}" in listing
    assert f"/meetings/{foreign.id}" not in listing

    page = client.get(f"/meetings/{own.id}")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "Eriks ärende" in text and "§ 1" in text
    # Read only: no form of the meeting on the page.
    assert 'action="/meetings/' not in text
    assert "/summons" not in text  # the kallelse is the meeting's, not theirs to read
    with client.get(f"/meetings/{own.id}/agenda.docx") as agenda:
        assert agenda.status_code == 200
    with client.get(f"/meetings/{own.id}/protocol.docx") as protocol:
        assert protocol.status_code == 200

    assert client.get(f"/meetings/{own.id}/summons/preview.docx").status_code == 403
    assert client.get(f"/meetings/{foreign.id}").status_code == 403
    assert client.get(f"/meetings/{foreign.id}/agenda.docx").status_code == 403
    assert client.post(f"/meetings/{own.id}/open").status_code == 403
    assert client.get("/meetings/new").status_code == 403


def test_the_manager_still_sees_every_meeting(make, app, client, login, approved):
    hans = approved.hans
    first = _meeting_on(make, app, approved("Första"), date(2021, 11, 24), hans)
    second = _meeting_on(make, app, approved("Andra"), date(2021, 12, 15), hans)
    login(hans)
    listing = client.get("/meetings/").get_data(as_text=True)
    assert f"/meetings/{first.id}" in listing and f"/meetings/{second.id}" in listing
    assert 'action="/meetings/' in client.get(f"/meetings/{first.id}").get_data(as_text=True)
