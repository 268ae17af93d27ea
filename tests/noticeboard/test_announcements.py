"""Kungörelse of a coming meeting, with the agenda as the public may read it, posted when
the kallelse is sent or by the secretary; and the other notices a manager posts."""

from __future__ import annotations

import io
from datetime import timedelta

from sqlmodel import select

from caseflow.common.timeutil import today
from caseflow.meetings import summons_mail
from caseflow.noticeboard.models import Notice
from tests.markers import PUBLIC_TITLE, docx_text, fetch, found_markers
from tests.noticeboard.conftest import CLOSED_PUBLIC_TITLE, OPEN_TITLE

BOARD = [
    ("Anna Ordförande", "chair", "anna.ordforande@politik.regionjh.se", "S"),
    ("Bertil Justerare", "member", "bertil.justerare@politik.regionjh.se", "M"),
    ("Cecilia Sekreterare", "secretary", None, None),
]


def _announcements(make) -> list[Notice]:
    query = select(Notice).where(Notice.kind == "announcement").order_by(Notice.id)
    return list(make.fresh().exec(query).all())


def test_sending_the_kallelse_announces_the_meeting_with_its_public_agenda(
    make, app, agenda, client
):
    make.organ("Regionstyrelsen", members=BOARD)
    day = today() + timedelta(days=10)
    meeting = agenda(day)
    with app.app_context():
        summons_mail.send_summons(make.session, make.store, meeting, user=agenda.hans)
    make.session.commit()

    (notice,) = _announcements(make)
    assert (notice.posted_on, notice.take_down_on) == (today(), day)
    page = client.get(f"/anslagstavla/{notice.id}").get_data(as_text=True)
    assert (
        f"Regionstyrelsen sammanträder {day.isoformat()} kl. 09.00, Regionens hus, Östersund."
        in page
    )
    for title in (OPEN_TITLE, PUBLIC_TITLE, CLOSED_PUBLIC_TITLE):
        assert title in page
    assert found_markers(page) == set()
    (agenda_file,) = notice.files
    download = fetch(client, f"/anslagstavla/{notice.id}/filer/{agenda_file.id}")
    text = docx_text(download.data)
    assert PUBLIC_TITLE in text and found_markers(text) == set()
    assert f"/anslagstavla/{notice.id}" in client.get("/anslagstavla/").get_data(as_text=True)

    # A revised kallelse replaces the announcement; the first goes to the history.
    with app.app_context():
        summons_mail.send_summons(
            make.session, make.store, make.session.merge(meeting), user=agenda.hans
        )
    make.session.commit()
    first, revised = _announcements(make)
    assert first.taken_down_at is not None and "reviderad" in first.take_down_reason
    assert revised.taken_down_at is None
    history = client.get("/anslagstavla/arkiv").get_data(as_text=True)
    assert f"/anslagstavla/{first.id}" in history


def test_the_secretary_announces_a_meeting_by_hand(make, app, agenda, client, login):
    meeting = agenda(today() + timedelta(days=7))
    login(agenda.hans)
    staff = client.get("/anslagstavla/hantera/").get_data(as_text=True)
    assert "Kommande sammanträden som inte har kungjorts" in staff
    response = client.post(f"/anslagstavla/hantera/kungorelse/{meeting.id}", data={})
    assert response.status_code == 302
    (notice,) = _announcements(make)
    assert notice.posted_by_id == agenda.hans.id and notice.meeting_id == meeting.id


def test_a_manager_posts_an_other_notice_with_a_pdf(make, app, client, login):
    manager = make.user("manager")
    login(manager)
    pdf = b"%PDF-1.4\n% Kungorelse om granskning\n%%EOF\n"
    last = today() + timedelta(days=21)
    response = client.post(
        "/anslagstavla/hantera/ny",
        data={
            "title": "Granskning av regional plan",
            "text": "Förslaget finns i regionens hus.\nSynpunkter lämnas senast 31 januari.",
            "posted_on": today().isoformat(),
            "take_down_on": last.isoformat(),
            "attachment": (io.BytesIO(pdf), "Regional plan – granskning.pdf"),
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    notice = make.fresh().exec(select(Notice)).one()
    assert (notice.kind, notice.posted_by_id) == ("other", manager.id)

    anonymous = app.test_client()
    page = anonymous.get(f"/anslagstavla/{notice.id}").get_data(as_text=True)
    assert "Granskning av regional plan" in page
    assert "Synpunkter lämnas senast 31 januari." in page
    assert f"Anslaget {today().isoformat()} – {last.isoformat()}." in page
    (attachment,) = notice.files
    download = fetch(anonymous, f"/anslagstavla/{notice.id}/filer/{attachment.id}")
    assert download.data == pdf and download.mimetype == "application/pdf"

    # Only a PDF is posted.
    refused = client.post(
        "/anslagstavla/hantera/ny",
        data={
            "title": "Fel fil",
            "posted_on": today().isoformat(),
            "take_down_on": last.isoformat(),
            "attachment": (io.BytesIO(b"MZ\x90\x00"), "program.pdf"),
        },
        content_type="multipart/form-data",
    )
    assert refused.status_code == 303
    assert len(make.fresh().exec(select(Notice)).all()) == 1
