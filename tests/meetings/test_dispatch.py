"""A registrar dispatches an excerpt and sees, recipient by recipient, what became of it:
the case is dispatched only when every recipient is served."""

from __future__ import annotations

import io
import re
from datetime import date, timedelta
from email import message_from_bytes
from email.header import decode_header, make_header
from email.policy import compat32

import pytest
from pypdf import PdfReader
from sqlmodel import select

from caseflow.cases.models import Case
from caseflow.common.models import AuditEvent
from caseflow.common.projection import Audience
from caseflow.common.timeutil import LOCAL_TZ, now, today
from caseflow.meetings import dispatch as dispatching
from caseflow.meetings import jobs, serving
from caseflow.meetings.dispatch_models import Dispatch, DispatchRecipient
from caseflow.meetings.dispatch_recipients import chosen as choose
from caseflow.meetings.dispatch_recipients import default_choice
from caseflow.memos.services import get_memo
from tests.meetings.relay import Relay, free_port
from tests.meetings.test_meetings import _decide_and_attest, _hans, _meeting

VINNOVA, ERIK = "registrator@vinnova.se", "erik.noaksson@regionjh.se"
#: What a page must never show: the system's own words for a failure.
SYSTEM_WORDS = ("ConnectionRefusedError", "Errno", "Traceback", "SMTP", "Exception")


@pytest.fixture
def relay(app):
    server = Relay().start()
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=server.port)
    yield server
    server.stop()


def _attested(make, app, approved, **memo):
    case = approved(**memo)
    meeting = _meeting(make, app, case)
    _decide_and_attest(make, app, meeting)
    return case, make.session.merge(meeting)


def _rows(make, dispatch_id) -> dict[str, DispatchRecipient]:
    make.fresh()
    found = make.session.exec(
        select(DispatchRecipient).where(DispatchRecipient.dispatch_id == dispatch_id)
    ).all()
    return {r.email or r.name: r for r in found}


def _status(make, case) -> str:
    make.fresh()
    return make.session.get(Case, case.id).status


def _dispatch_from_the_form(client, item_id, *extra) -> None:
    form = client.get(f"/meetings/items/{item_id}/dispatch").get_data(as_text=True)
    chosen = re.findall(r'name="recipients" id="[^"]+" value="([^"]+)" checked', form)
    assert chosen, form
    sent = client.post(
        f"/meetings/items/{item_id}/dispatch", data={"recipients": [*chosen, *extra]}
    )
    assert sent.status_code == 302, sent.get_data(as_text=True)[:300]


def _due_now(make, dispatch_id) -> None:
    """Let the retry time of every failed address come (the scheduler's ten minutes)."""
    for row in _rows(make, dispatch_id).values():
        if row.next_retry_at is not None:
            row.next_retry_at = now() - timedelta(seconds=1)
    make.session.commit()


def test_a_server_that_is_down_then_accepts_dispatches_the_case_only_after_the_retry(
    make, app, approved, client, login
):
    case, meeting = _attested(make, app, approved)
    port = free_port()  # nothing listens here yet: the connection is refused
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=port)
    login(approved.hans)
    _dispatch_from_the_form(client, meeting.items[0].id)

    (dispatch,) = make.fresh().exec(select(Dispatch)).all()
    rows = _rows(make, dispatch.id)
    assert {r.status for r in rows.values()} == {"failed"}
    assert {r.error_code for r in rows.values()} == {"unreachable"}
    assert _status(make, case) == "decided"  # nothing accepted: not dispatched
    page = client.get(f"/meetings/{meeting.id}").get_data(as_text=True)
    assert "E-postservern gick inte att nå" in page
    retry_at = rows[VINNOVA].next_retry_at.astimezone(LOCAL_TZ).strftime("%H:%M")
    assert f"Nästa automatiska försök kl. {retry_at}" in page
    assert "inte klar" in page
    for word in SYSTEM_WORDS:
        assert word not in page, word

    server = Relay(port).start()
    try:
        with app.app_context():
            assert jobs.retry_dispatches(make.store) == {}  # its ten minutes have not passed
            _due_now(make, dispatch.id)
            assert jobs.retry_dispatches(make.store) == {dispatch.id: "sent"}
    finally:
        server.stop()
    ((envelope, message),) = server.messages
    assert sorted(envelope) == [ERIK, VINNOVA]
    assert message["Message-ID"] == dispatch.message_id
    rows = _rows(make, dispatch.id)
    assert {r.status for r in rows.values()} == {"accepted"}
    assert {r.served_on for r in rows.values()} == {today()}
    assert _status(make, case) == "dispatched"
    page = client.get(f"/meetings/{meeting.id}").get_data(as_text=True)
    assert "Skickat: e-postservern tog emot det" in page and "ärendet är expedierat" in page


def test_one_address_accepted_one_refused_then_a_posted_letter_completes_it(
    make, app, approved, relay, client, login
):
    relay.refused = {VINNOVA}
    case, meeting = _attested(make, app, approved)
    with app.app_context():
        dispatch = dispatching.prepare_dispatch(
            make.session, make.store, meeting.items[0], user=_hans(make), prefer_pdf=False
        )
        make.session.commit()
    ((envelope, _message),) = relay.messages
    assert envelope == [ERIK]
    rows = _rows(make, dispatch.id)
    assert (rows[ERIK].status, rows[ERIK].served_on) == ("accepted", today())
    assert (rows[VINNOVA].status, rows[VINNOVA].error_code) == ("failed", "refused")
    assert rows[VINNOVA].next_retry_at is None  # refused for good: a person decides
    assert _status(make, case) == "decided"
    login(approved.hans)
    page = client.get(f"/meetings/{meeting.id}").get_data(as_text=True)
    assert "Avvisat: adressen är okänd för e-postservern" in page
    assert "550" not in page and "5.1.1" not in page

    # Sent again by hand: only the address not yet served, with the same Message-ID.
    assert client.post(f"/meetings/dispatches/{dispatch.id}/retry").status_code == 302
    assert relay.rcpts == [VINNOVA, ERIK, VINNOVA]
    assert len(relay.messages) == 1  # Erik got it once
    assert _rows(make, dispatch.id)[VINNOVA].attempts == 2

    # The registrar sends Vinnova a letter instead, and posts it.
    vinnova = _rows(make, dispatch.id)[VINNOVA]
    url = f"/meetings/dispatches/{dispatch.id}/recipients/{vinnova.id}"
    answer = client.post(f"{url}/as-letter", data={"postal_address": "Box 1\n101 58 Stockholm"})
    assert answer.status_code == 302
    assert _rows(make, dispatch.id)[VINNOVA].status == "letter"
    assert _status(make, case) == "decided"
    letter = client.get(f"{url}/letter")
    assert letter.status_code == 200 and letter.data
    posted_on = today() - timedelta(days=1)
    answer = client.post(f"{url}/posted", data={"posted_on": posted_on.isoformat()})
    assert answer.status_code == 302
    rows = _rows(make, dispatch.id)
    assert (rows[VINNOVA].status, rows[VINNOVA].served_on) == ("posted", posted_on)
    assert rows[ERIK].served_on == today()
    assert _status(make, case) == "dispatched"
    page = client.get(f"/meetings/{meeting.id}").get_data(as_text=True)
    assert f"Brevet postades {posted_on.isoformat()}" in page


def test_a_party_without_an_address_gets_a_printable_letter_with_its_address_block(
    make, app, approved, relay, client, login
):
    from caseflow.pdf import converter

    assert converter.is_available(), "LibreOffice is installed on this machine"
    case, meeting = _attested(make, app, approved)
    party = make.party(
        "Samverket Östersund",
        kind="organisation",
        postal_address="Samverket i Östersund AB\nStorgatan 12\n831 30 Östersund",
    )
    login(approved.hans)
    form = client.get(f"/meetings/items/{meeting.items[0].id}/dispatch?q=Samverket")
    assert f'value="party-{party.id}"' in form.get_data(as_text=True)
    _dispatch_from_the_form(client, meeting.items[0].id, f"party-{party.id}")
    (dispatch,) = make.fresh().exec(select(Dispatch)).all()
    rows = _rows(make, dispatch.id)
    letter_row = rows["Samverket Östersund"]
    assert (letter_row.channel, letter_row.status, letter_row.party_id) == (
        "letter",
        "letter",
        party.id,
    )
    assert {rows[ERIK].status, rows[VINNOVA].status} == {"accepted"}
    assert _status(make, case) == "decided"  # the letter is not posted yet
    ((envelope, _message),) = relay.messages
    assert sorted(envelope) == [ERIK, VINNOVA]

    page = client.get(f"/meetings/{meeting.id}").get_data(as_text=True)
    assert "Brev att skriva ut och posta" in page
    letter = client.get(f"/meetings/dispatches/{dispatch.id}/recipients/{letter_row.id}/letter")
    assert letter.mimetype == "application/pdf"
    pages = PdfReader(io.BytesIO(letter.data)).pages
    address = pages[0].extract_text()
    for line in ("Samverket Östersund", "Storgatan 12", "831 30 Östersund", case.number):
        assert line in address, line
    rest = "\n".join(p.extract_text() for p in pages[1:])
    assert "PROTOKOLLSUTDRAG" in rest.upper() and "Regionstyrelsen beslutar" in rest


def test_without_a_pdf_the_letter_is_the_address_page_as_docx(make, app, approved, relay):
    from docx import Document as Docx

    case, meeting = _attested(make, app, approved)
    firm = make.party("Ankeborg AB", kind="organisation", postal_address="Paradisäppelvägen 111")
    party = make.party("Kalle Anka", kind="person", organisation_id=firm.id)
    with app.app_context():
        case = make.session.merge(case)
        chosen = default_choice(make.session, case)
        extra = choose(make.session, case, [f"party-{party.id}"], audience=Audience.HOLDER)
        dispatch = dispatching.prepare_dispatch(
            make.session,
            make.store,
            meeting.items[0],
            user=_hans(make),
            prefer_pdf=False,
            recipients=chosen + extra,
        )
        make.session.commit()
    row = _rows(make, dispatch.id)["Kalle Anka, Ankeborg AB"]
    assert row.letter_filename.endswith(".docx")
    with make.store.open(row.letter_sha256) as handle:
        text = "\n".join(p.text for p in Docx(handle).paragraphs)
    assert "Kalle Anka" in text and "Paradisäppelvägen 111" in text


def _left_half_done(make, app, approved):
    """A dispatch whose sender claimed the addresses and died before the server answered,
    six minutes ago; the mail server (on ``port``) is down until the test starts it."""
    case, meeting = _attested(make, app, approved)
    port = free_port()
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=port)
    with app.app_context():
        dispatch = dispatching.prepare_dispatch(
            make.session, make.store, meeting.items[0], user=_hans(make), prefer_pdf=False
        )
        make.session.commit()  # the server is down: failed
        assert jobs.claim(make.session, dispatch.id, by_hand=True)
        make.session.commit()
    for row in _rows(make, dispatch.id).values():
        assert row.status == "sending"
        row.last_attempt_at = now() - timedelta(minutes=6)
    make.session.commit()
    return case, meeting, dispatch, port


def test_an_uncertain_send_is_sent_again_by_hand_before_the_scheduler_saw_it(
    make, app, approved, client, login
):
    case, _meeting_, dispatch, port = _left_half_done(make, app, approved)
    login(approved.hans)
    server = Relay(port).start()
    try:
        assert client.post(f"/meetings/dispatches/{dispatch.id}/retry").status_code == 302
    finally:
        server.stop()
    ((envelope, message),) = server.messages
    assert sorted(envelope) == [ERIK, VINNOVA] and message["Message-ID"] == dispatch.message_id
    assert _status(make, case) == "dispatched"


def test_a_send_left_half_done_becomes_uncertain_and_a_person_decides(
    make, app, approved, client, login
):
    case, meeting, dispatch, port = _left_half_done(make, app, approved)
    login(approved.hans)
    page = client.get(f"/meetings/{meeting.id}").get_data(as_text=True)
    assert "Osäkert: sändningen påbörjades" in page and "Markera som skickat" in page
    assert "Skicka igen till dem som inte har delgetts" in page  # before the scheduler's turn
    server = Relay(port).start()
    try:
        with app.app_context():
            assert jobs.retry_dispatches(make.store) == {}  # never resent by itself
        assert server.messages == []
        rows = _rows(make, dispatch.id)
        assert {r.status for r in rows.values()} == {"uncertain"}
        assert make.session.get(Dispatch, dispatch.id).status == "uncertain"

        # The registrar learns that Erik's copy did reach the server: marked sent …
        answer = client.post(f"/meetings/dispatches/{dispatch.id}/recipients/{rows[ERIK].id}/sent")
        assert answer.status_code == 302
        assert (
            _rows(make, dispatch.id)[ERIK].served_on
            == (now() - timedelta(minutes=6)).astimezone(LOCAL_TZ).date()
        )
        assert _status(make, case) == "decided"
        # … and sends Vinnova's again: the same message, to Vinnova alone.
        assert client.post(f"/meetings/dispatches/{dispatch.id}/retry").status_code == 302
    finally:
        server.stop()
    ((envelope, message),) = server.messages
    assert envelope == [VINNOVA] and message["Message-ID"] == dispatch.message_id
    assert _status(make, case) == "dispatched"
    make.fresh()
    actions = [e.action for e in make.session.exec(select(AuditEvent)).all()]
    assert "dispatch.marked_sent" in actions and "dispatch.resend" in actions


def test_text_from_any_field_cannot_break_the_message(make, app, approved, relay):
    title = 'Beslut om "medel"\r\nBcc: spion@example.org\nför Åre, Östersund & ' + "å" * 150
    recipients = [
        ('Svensson, "Kalle"\r\nBcc: spion@example.org', "Åre kommun, Miljö", "kalle@example.se"),
        (None, "Ö" * 190, VINNOVA),
    ]
    case, meeting = _attested(make, app, approved, recipients=recipients)
    get_memo(make.session, make.session.merge(case)).title = title  # as stored, line breaks too
    make.session.commit()
    with app.app_context():
        dispatch = dispatching.prepare_dispatch(
            make.session, make.store, meeting.items[0], user=_hans(make), prefer_pdf=False
        )
        make.session.commit()
    ((envelope, message),) = relay.messages
    assert sorted(envelope) == ["kalle@example.se", VINNOVA]
    assert "Bcc" not in message and message.get_all("Bcc") is None
    subject = str(message["Subject"])
    assert "\n" not in subject and "\r" not in subject
    assert subject.startswith("Protokollsutdrag Regionstyrelsen § 1") and "Åre" in subject
    named = {a.addr_spec: a.display_name for a in message["To"].addresses}
    assert set(named) == {"kalle@example.se", VINNOVA}
    assert named["kalle@example.se"].startswith('Svensson, "Kalle" Bcc: spion@example.org')
    # Python's own parser puts spaces between the encoded words of a long name (RFC 2047
    # says to ignore them); decode the header as a mail reader does.
    (raw,) = relay.raw
    to = str(make_header(decode_header(message_from_bytes(raw, policy=compat32)["To"])))
    assert f"{'Ö' * 190} <{VINNOVA}>" in to
    assert {r.status for r in _rows(make, dispatch.id).values()} == {"accepted"}


def test_an_address_no_message_can_carry_fails_alone_in_words():
    assert jobs.mail_address("Kalle", "kalle@example.se") is not None
    for broken in ("kalle@example.se\r\nBcc: x@y.se", "inte en adress", "a@b@c", ""):
        assert jobs.mail_address("Kalle", broken) is None, broken
    assert jobs.one_line("Rad ett\r\nRad\ttvå\x00") == "Rad ett Rad två"


def test_a_dispatch_completed_after_the_case_moved_on_does_not_fail(
    make, app, approved, relay, client, login
):
    relay.refused = {VINNOVA}
    case, meeting = _attested(make, app, approved)
    with app.app_context():
        dispatch = dispatching.prepare_dispatch(
            make.session, make.store, meeting.items[0], user=_hans(make), prefer_pdf=False
        )
        make.session.commit()
        case = make.session.get(Case, case.id)
        case.status = "closed"  # closed meanwhile, by whatever route
        make.session.commit()
    relay.refused = set()
    login(approved.hans)
    assert client.post(f"/meetings/dispatches/{dispatch.id}/retry").status_code == 302
    make.fresh()
    assert make.session.get(Dispatch, dispatch.id).completed_at is not None
    assert _status(make, case) == "closed"


def test_one_dispatch_at_a_time(make, app, approved, relay):
    relay.refused = {VINNOVA}
    case, meeting = _attested(make, app, approved)
    with app.app_context():
        dispatching.prepare_dispatch(
            make.session, make.store, meeting.items[0], user=_hans(make), prefer_pdf=False
        )
        make.session.commit()
        with pytest.raises(Exception, match="redan på att expedieras"):
            dispatching.prepare_dispatch(
                make.session,
                make.store,
                make.session.merge(meeting).items[0],
                user=_hans(make),
                prefer_pdf=False,
            )


def test_served_on_is_the_day_in_stockholm(monkeypatch):
    """A message accepted at 23:30 UTC on 30 November is served on 1 December here."""
    from datetime import UTC, datetime

    monkeypatch.setattr(serving, "now", lambda: datetime(2021, 11, 30, 23, 30, tzinfo=UTC))
    monkeypatch.setattr(serving.audit, "record", lambda *args, **kwargs: None)
    row = DispatchRecipient(dispatch_id=1, name="x", email="x@example.se", status="sending")
    serving.record_accepted(None, row, via="smtp")
    assert row.served_on == date(2021, 12, 1)
