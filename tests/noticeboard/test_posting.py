"""The notice of an attested protocol: posted at justering, its appeal period counted as
the law counts it, taken down when that period has run, kept in the public history.

KL 8 kap. 12 §: the notice is posted no later than two days after justering and stays
until the appeal period has run. KL 13 kap. 5 §: an appeal must arrive within three weeks
of the day the notice was posted; a period ending on a Saturday, Sunday, public holiday,
midsommarafton, julafton or nyårsafton ends on the next weekday (lag 1930:173).
"""

from __future__ import annotations

from datetime import date, timedelta

from sqlmodel import select

from caseflow.common.models import AuditEvent
from caseflow.common.timeutil import today
from caseflow.meetings import attestation
from caseflow.meetings.legal_force import Awaiting, period
from caseflow.noticeboard import jobs
from caseflow.noticeboard.models import Notice
from tests.noticeboard.conftest import OPEN_TITLE


def _notices(make) -> list[Notice]:
    return list(make.fresh().exec(select(Notice).order_by(Notice.id)).all())


def _page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.get_data(as_text=True)


def test_attesting_a_protocol_posts_its_notice_the_same_day(make, app, held, client):
    meeting = held(date(2021, 11, 24))
    with app.app_context():
        attestation.attest(
            make.session,
            meeting,
            attested_on=today(),
            attested_by="Anna Ordförande\nBertil Justerare",
            user=held.hans,
        )
    make.session.commit()

    meeting = make.fresh().merge(meeting)
    assert meeting.notice_posted_on == today()
    (notice,) = _notices(make)
    assert (notice.kind, notice.meeting_id, notice.posted_on) == ("protocol", meeting.id, today())
    # The notice and the decisions' legal force run from the same day: three weeks.
    appeal_ends = period("legality", today(), Awaiting.NOTICE).ends_on
    assert notice.appeal_ends_on == notice.take_down_on == appeal_ends
    assert notice.paragraphs == "§§ 1–3" and notice.organ_name == "Regionstyrelsen"

    board = _page(client, "/anslagstavla/")
    assert "Protokoll från Regionstyrelsen, sammanträde 2021-11-24" in board
    page = _page(client, f"/anslagstavla/{notice.id}")
    for sentence in (
        f"Protokollet justerades {today().isoformat()}.",
        f"Anslaget {today().isoformat()} – {appeal_ends.isoformat()}.",
        f"Sista dag att överklaga {appeal_ends.isoformat()}.",
        "Protokollet förvaras hos Region Jämtland Härjedalen, Box 654, 831 27 Östersund.",
        "Paragrafer: §§ 1–3.",
    ):
        assert sentence in page
    actions = [e.action for e in make.session.exec(select(AuditEvent)).all()]
    assert actions[-3:] == ["meeting.attest", "meeting.notice", "notice.post"]


def test_three_weeks_from_a_notice_before_midsummer_end_on_the_monday_after(
    make, app, held, client
):
    # Justering on Wednesday 27 May 2026, the notice posted Friday 29 May. Three weeks later
    # is Friday 19 June, midsommarafton; Saturday 20th is midsommardagen, then a Sunday: the
    # appeal period, and the notice, end on Monday 22 June.
    meeting = held(date(2026, 5, 20))
    with app.app_context():
        attestation.attest(
            make.session,
            meeting,
            attested_on=date(2026, 5, 27),
            attested_by="Anna Ordförande\nBertil Justerare",
            notice_posted_on=date(2026, 5, 29),
            user=held.hans,
        )
    make.session.commit()

    (notice,) = _notices(make)
    assert notice.posted_on == date(2026, 5, 29)
    assert notice.appeal_ends_on == notice.take_down_on == date(2026, 6, 22)
    meeting = make.session.merge(meeting)
    assert attestation.deadlines_of(meeting).appeal_ends == date(2026, 6, 22)
    page = _page(client, f"/anslagstavla/{notice.id}")
    assert "Protokollet justerades 2026-05-27." in page
    assert "Anslaget 2026-05-29 – 2026-06-22." in page
    assert "Sista dag att överklaga 2026-06-22." in page
    # Its time on the board is over: it is in the history, not on the board.
    assert f"/anslagstavla/{notice.id}" not in _page(client, "/anslagstavla/")
    assert f"/anslagstavla/{notice.id}" in _page(client, "/anslagstavla/arkiv")


def test_the_take_down_job_moves_the_notice_to_the_history(make, app, held, client):
    meeting = held()
    with app.app_context():
        attestation.attest(
            make.session,
            meeting,
            attested_on=today(),
            attested_by="Anna Ordförande",
            user=held.hans,
        )
    make.session.commit()
    (notice,) = _notices(make)
    assert f"/anslagstavla/{notice.id}" in _page(client, "/anslagstavla/")
    assert f"/anslagstavla/{notice.id}" not in _page(client, "/anslagstavla/arkiv")

    with app.app_context():
        assert jobs.take_down_expired(notice.take_down_on) == 0  # its last day: it stays
        assert jobs.take_down_expired(notice.take_down_on + timedelta(days=1)) == 1
        assert jobs.take_down_expired(notice.take_down_on + timedelta(days=1)) == 0

    (notice,) = _notices(make)
    assert notice.taken_down_at is not None and notice.take_down_reason is None
    assert f"/anslagstavla/{notice.id}" not in _page(client, "/anslagstavla/")
    assert f"/anslagstavla/{notice.id}" in _page(client, "/anslagstavla/arkiv")
    page = _page(client, f"/anslagstavla/{notice.id}")
    assert "Anslaget finns inte längre på anslagstavlan." in page


def test_without_automatic_posting_the_secretary_posts_the_notice_by_hand(
    make, app, held, client, login
):
    app.config["NOTICEBOARD_AUTO_POST"] = False
    meeting = held()
    with app.app_context():
        attestation.attest(
            make.session,
            meeting,
            attested_on=today(),
            attested_by="Anna Ordförande",
            user=held.hans,
        )
    make.session.commit()
    assert _notices(make) == [] and make.session.merge(meeting).notice_posted_on is None

    login(held.hans)
    staff = _page(client, "/anslagstavla/hantera/")
    assert "Justerade protokoll som inte har anslagits" in staff
    response = client.post(
        f"/anslagstavla/hantera/protokoll/{meeting.id}", data={f"p{meeting.id}-posted_on": today()}
    )
    assert response.status_code == 302
    (notice,) = _notices(make)
    assert make.session.merge(meeting).notice_posted_on == today() == notice.posted_on
    assert notice.posted_by_id == held.hans.id
    # Twice is refused: the notice is up.
    again = client.post(
        f"/anslagstavla/hantera/protokoll/{meeting.id}", data={f"p{meeting.id}-posted_on": today()}
    )
    assert again.status_code == 303 and len(_notices(make)) == 1


def test_a_manager_takes_a_notice_down_early_with_a_reason(make, app, held, client, login):
    meeting = held()
    with app.app_context():
        attestation.attest(
            make.session,
            meeting,
            attested_on=today(),
            attested_by="Anna Ordförande",
            user=held.hans,
        )
    make.session.commit()
    (notice,) = _notices(make)
    login(held.hans)
    url = f"/anslagstavla/hantera/{notice.id}/ta-ned"
    assert client.post(url, data={}).status_code == 302
    assert _notices(make)[0].taken_down_at is None  # no reason, not taken down

    reason = "Fel protokoll anslaget; rätt version anslås i dag."
    assert client.post(url, data={f"t{notice.id}-reason": reason}).status_code == 302
    (notice,) = _notices(make)
    assert notice.take_down_reason == reason and notice.taken_down_by_id == held.hans.id
    event = make.session.exec(
        select(AuditEvent).where(AuditEvent.action == "notice.take_down")
    ).one()
    assert reason in event.after and event.actor_id == held.hans.id
    assert f"/anslagstavla/{notice.id}" not in _page(client, "/anslagstavla/")
    assert OPEN_TITLE not in _page(client, "/anslagstavla/")
