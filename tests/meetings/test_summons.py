"""The kallelse: the secretary sends the notice of Regionstyrelsen's meeting with its papers
to the members and substitutes, through a real SMTP server, and sends an update later."""

from __future__ import annotations

import io
import json
from datetime import date, datetime

import pytest
from docx import Document as Docx
from sqlmodel import select

from caseflow.cases.workflow import apply_transition
from caseflow.common.errors import ValidationError
from caseflow.common.timeutil import LOCAL_TZ
from caseflow.meetings import agenda_items, summons, summons_mail
from caseflow.meetings.models import MeetingSummons, OrganMember
from caseflow.memos.services import save_memo
from tests.markers import MARKERS, PUBLIC_TITLE, eml_text, found_markers
from tests.meetings.conftest import _free_port
from tests.meetings.test_meetings import _decide_and_attest, _hans, _meeting
from tests.memos.conftest import memo_of_rs720

BOARD = [
    ("Anna Ordförande", "chair", "anna.ordforande@politik.regionjh.se", "S"),
    ("Bertil Justerare", "member", "bertil.justerare@example.se", "M"),
    ("David Ledamot", "member", None, "C"),
    ("Eva Ersättare", "substitute", "eva.ersattare@example.se", "V"),
    ("Fredrik Avgången", "member", "fredrik@example.se", "L"),
    ("Cecilia Sekreterare", "secretary", "cecilia.sekreterare@regionjh.se", None),
]
SUMMONED = [
    "anna.ordforande@politik.regionjh.se",
    "bertil.justerare@example.se",
    "eva.ersattare@example.se",
]
SUBJECT = "Kallelse: Regionstyrelsen 2021-11-24 kl. 09.00"


@pytest.fixture
def board(make):
    """Regionstyrelsen: a member without an address, and one whose term ended in June."""
    organ = make.organ("Regionstyrelsen", members=BOARD)
    left = make.session.exec(
        select(OrganMember).where(OrganMember.name == "Fredrik Avgången")
    ).one()
    left.term_to = date(2021, 6, 30)
    make.session.commit()
    return organ


@pytest.fixture
def ready(make, app, approved, board):
    """Builder: an approved case whose memo lists the given documents as its papers."""

    def build(title, *, papers=(), **case_fields):
        case = make.case(title, officer=approved.erik, **case_fields)
        documents = [make.document(case, **paper) for paper in papers]
        case = make.session.merge(case)
        with app.app_context():
            memo = memo_of_rs720(title=title, support_ids=[d.id for d in documents])
            save_memo(make.session, case, memo, expected_version=case.version, user=approved.erik)
            apply_transition(make.session, case, "submit", user=approved.erik)
            apply_transition(make.session, case, "approve", user=approved.hans)
        make.session.commit()
        return case

    return build


def _text(content: bytes) -> str:
    doc = Docx(io.BytesIO(content))
    header = [p.text for p in doc.sections[0].header.paragraphs]
    return "\n".join(header + [p.text for p in doc.paragraphs])


def _attachments(message) -> dict[str, bytes]:
    return {part.get_filename(): part.get_content() for part in message.iter_attachments()}


def _kallelse(message) -> str:
    (name,) = [n for n in _attachments(message) if "allelse" in n]
    return _text(_attachments(message)[name])


def _sendings(make) -> list[MeetingSummons]:
    make.fresh()
    return list(make.session.exec(select(MeetingSummons).order_by(MeetingSummons.id)).all())


APPLICATION = {
    "title": "Ansökan om medfinansiering",
    "files": [("Ansökan Vinnova.txt", "Ansökan om medfinansiering".encode())],
}


def test_the_kallelse_reaches_the_members_and_substitutes_with_the_papers(
    make, app, ready, smtp, client, login
):
    case = ready("Projekt Test av coworking och hybridarbete", papers=[APPLICATION])
    meeting = make.meeting_with(case)
    login(make.user("manager", name="Cecilia Sekreterare"))

    response = client.post(f"/meetings/{meeting.id}/summons")

    assert response.status_code == 302
    ((envelope, message),) = smtp.messages
    # Members and the substitute with an address; not the secretary, nor a former member.
    assert sorted(envelope) == SUMMONED
    # Each receives it in Bcc: nobody learns the others' addresses.
    headers = "\n".join(f"{k}: {v}" for k, v in message.items())
    assert not any(address in headers for address in SUMMONED)
    assert message["Subject"] == SUBJECT
    (sent,) = _sendings(make)
    assert (sent.status, sent.version, sent.error_code) == ("sent", 1, None)
    assert sent.sent_at is not None
    assert message["Message-ID"] == sent.message_id
    assert sent.message_id.endswith("@caseflow.regionjh.se>")
    assert [u["name"] for u in json.loads(sent.unreachable)] == ["David Ledamot"]

    names = list(_attachments(message))
    assert names[0] == "Kallelse Regionstyrelsen 2021-11-24.docx"
    assert any(name.startswith("1. Tjänsteskrivelse") for name in names)
    assert "1. Ansökan Vinnova.txt" in names
    text = _kallelse(message)
    assert "KALLELSE" in text and "REVIDERAD" not in text
    assert "Ledamöter kallas till sammanträde. Ersättare för kännedom." in text
    assert "Regionens hus, Östersund" in text and "2021-11-24 kl. 09.00" in text
    assert "Anna Ordförande (S), ordförande" in text and "Eva Ersättare (V)" in text
    assert "Fredrik" not in text
    assert f"1. Projekt Test av coworking och hybridarbete (Dnr {case.number})" in text
    assert f"Ansökan om medfinansiering ({case.number}-1)" in text

    page = client.get(f"/meetings/{meeting.id}").get_data(as_text=True)
    assert "Version 1" in page and "David Ledamot" in page
    assert "Skicka en uppdaterad kallelse" in page
    # What was sent can be read again, as it was sent.
    with client.get(f"/meetings/{meeting.id}/summons/{sent.id}.docx") as download:
        assert _text(download.get_data()) == text


def test_a_secret_case_title_and_a_secret_document_never_travel(make, app, ready, smtp):
    case = ready(
        f"Utredning om {MARKERS['title']}",
        title_is_secret=True,
        public_title=PUBLIC_TITLE,
        secrecy_provision="OSL 26 kap. 1 §",
        papers=[
            {
                "title": f"Läkarintyg {MARKERS['document_title']}",
                "is_secret": True,
                "title_is_secret": True,
                "secrecy_provision": "OSL 25 kap. 1 §",
                "files": [("intyg.txt", f"Intyget: {MARKERS['file']}".encode())],
            }
        ],
    )
    meeting = make.session.merge(make.meeting_with(case))
    with app.app_context():
        agenda_items.add_item(
            make.session,
            meeting,
            kind="other",
            title="Personalärende Karin Andersson",
            is_closed=True,
            public_title="Personalärende",
            user=None,
        )
        summons_mail.send_summons(make.session, make.store, meeting, user=None)
        make.session.commit()

    ((_envelope, message),) = smtp.messages
    assert found_markers(eml_text(bytes(message))) == set()
    # The item behind closed doors is marked so, and its heading stays out.
    assert "2. Personalärende" in _kallelse(message)
    assert "Karin Andersson" not in _kallelse(message)
    assert "Karin" not in eml_text(bytes(message))
    text = _kallelse(message)
    assert PUBLIC_TITLE in text
    assert (
        f"Sekretessmarkerad handling (OSL 25 kap. 1 §) – tillhandahålls av sekreteraren "
        f"({case.number}-1)" in text
    )
    # The memo carries the secret title too: listed, never attached. Only the kallelse goes.
    assert list(_attachments(message)) == ["Kallelse Regionstyrelsen 2021-11-24.docx"]
    assert "sekreteraren" in message.get_body().get_content()


def test_a_second_sending_is_the_revised_kallelse(make, app, ready, smtp, client, login):
    meeting = make.meeting_with(ready("Ärende A"))
    login(make.user("manager"))
    client.post(f"/meetings/{meeting.id}/summons")
    with app.app_context():
        agenda_items.add_case(
            make.session, make.session.merge(meeting), ready("Ärende B"), user=_hans(make)
        )
    make.session.commit()

    client.post(f"/meetings/{meeting.id}/summons")

    first, second = _sendings(make)
    assert (first.version, second.version) == (1, 2)
    assert second.status == "sent"
    _envelope, revised = smtp.messages[1]
    assert revised["Subject"] == "Reviderad " + SUBJECT[0].lower() + SUBJECT[1:]
    text = _kallelse(revised)
    assert "REVIDERAD KALLELSE" in text
    first_sent_on = first.created_at.astimezone(LOCAL_TZ).date().isoformat()
    assert f"ersätter tidigare utskickad kallelse av {first_sent_on}" in text
    assert "1. Ärende A" in text and "2. Ärende B" in text


def test_with_the_mail_server_down_the_sending_fails_in_words(
    make, app, ready, smtp, client, login
):
    meeting = make.meeting_with(ready("Ärende A"))
    login(make.user("manager"))
    app.config["MAIL_PORT"] = _free_port()  # nothing listens there

    client.post(f"/meetings/{meeting.id}/summons")

    (failed,) = _sendings(make)
    assert (failed.status, failed.error_code, failed.sent_at) == ("failed", "unreachable", None)
    page = client.get(f"/meetings/{meeting.id}").get_data(as_text=True)
    assert "ingen har fått den här kallelsen" in page  # what happened, in words
    assert "skicka sedan kallelsen igen" in page  # and what to do
    for technical in ("Errno", "ConnectionRefused", "Traceback", "OSError"):
        assert technical not in page

    # Nobody received it: once the server is back, the kallelse is still the first one.
    app.config["MAIL_PORT"] = smtp.port
    client.post(f"/meetings/{meeting.id}/summons")
    retried = _sendings(make)[-1]
    assert (retried.status, retried.version) == ("sent", 1)
    assert smtp.messages[0][1]["Subject"] == SUBJECT


def test_papers_beyond_the_size_limit_are_listed_not_attached(make, app, ready, smtp):
    big = {"title": "Projektplan", "files": [("Projektplan.txt", b"x" * 5000)]}
    meeting = make.session.merge(make.meeting_with(ready("Ärende A", papers=[big])))
    app.config["SUMMONS_MAX_ATTACHMENT_BYTES"] = 4000
    with app.app_context():
        summons_mail.send_summons(make.session, make.store, meeting, user=None)
        make.session.commit()

    ((_envelope, message),) = smtp.messages
    assert not any("Projektplan" in name for name in _attachments(message))
    body = message.get_body().get_content()
    assert "Projektplan" in body and "för stort" in body


def test_no_kallelse_after_justering_without_an_agenda_or_without_addresses(
    make, app, approved, smtp, client, login
):
    make.organ("Regionstyrelsen", members=BOARD)
    # A later meeting, so that the attested one below keeps the §§ in order.
    empty = make.session.merge(
        make.meeting_with(starts_at=datetime(2021, 12, 15, 9, tzinfo=LOCAL_TZ))
    )
    with app.app_context(), pytest.raises(ValidationError, match="tom"):
        summons_mail.send_summons(make.session, make.store, empty, user=None)
    make.session.rollback()

    attested = _meeting(make, app, approved())
    _decide_and_attest(make, app, attested)
    login(make.user("manager"))
    response = client.post(f"/meetings/{attested.id}/summons", follow_redirects=True)
    assert "justerat" in response.get_data(as_text=True)
    assert _sendings(make) == [] and smtp.messages == []


def test_refused_when_nobody_summoned_has_an_address(make, app, approved):
    make.organ("Regionstyrelsen")  # the default board: no addresses
    meeting = make.session.merge(make.meeting_with(approved()))
    with app.app_context(), pytest.raises(ValidationError, match="e-postadress"):
        summons_mail.send_summons(make.session, make.store, meeting, user=None)


def test_without_a_mail_server_it_is_written_to_the_outbox_and_said_so(make, app, ready, tmp_path):
    app.config["MAIL_OUTBOX_DIR"] = str(tmp_path / "outbox")
    meeting = make.session.merge(make.meeting_with(ready("Ärende A")))
    with app.app_context():
        summons_mail.send_summons(make.session, make.store, meeting, user=None)
        make.session.commit()
        (written,) = _sendings(make)
        assert written.status == "outbox"
        assert written.sent_at is None
        assert summons.next_version(make.session, meeting) == 1  # nobody received it
    (eml,) = (tmp_path / "outbox").glob("*.eml")
    assert SUBJECT in eml_text(eml.read_bytes())


def test_a_registrar_may_read_the_kallelse_but_not_send_it(make, app, ready, client, login):
    meeting = make.meeting_with(ready("Ärende A"))
    login(make.user("registrar"))

    with client.get(f"/meetings/{meeting.id}/summons/preview.docx") as preview:
        assert "1. Ärende A" in _text(preview.get_data())
    assert client.post(f"/meetings/{meeting.id}/summons").status_code == 403
    assert _sendings(make) == []


@pytest.fixture
def smtp_server(app):
    """Builder: a real SMTP server that refuses some addresses, or answers the message
    itself with ``reply``; it keeps the envelope recipients of what it takes."""
    from aiosmtpd.controller import Controller

    started = []

    def start(*, refuse=(), reply="250 OK"):
        received = []

        class Handler:
            async def handle_RCPT(self, server, session, envelope, address, options):  # noqa: N802
                if address in refuse:
                    return "550 No such user here"
                envelope.rcpt_tos.append(address)
                return "250 OK"

            async def handle_DATA(self, server, session, envelope):  # noqa: N802
                if reply.startswith("250"):
                    received.append(envelope.rcpt_tos)
                return reply

        port = _free_port()
        controller = Controller(Handler(), hostname="127.0.0.1", port=port)
        controller.start()
        started.append(controller)
        app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=port)
        return received

    yield start
    for controller in started:
        controller.stop()


def test_an_address_the_server_refuses_is_to_be_reached_another_way(
    make, app, ready, smtp_server, client, login
):
    received = smtp_server(refuse={"bertil.justerare@example.se"})
    meeting = make.meeting_with(ready("Ärende A"))
    login(make.user("manager"))

    client.post(f"/meetings/{meeting.id}/summons")

    assert sorted(received[0]) == [a for a in SUMMONED if not a.startswith("bertil")]
    (sent,) = _sendings(make)
    assert sent.status == "sent"  # the others have it
    page = client.get(f"/meetings/{meeting.id}").get_data(as_text=True)
    assert "Bertil Justerare (e-postservern avvisade adressen)" in page
    assert "David Ledamot (saknar e-postadress)" in page


def test_a_message_too_large_for_the_server_says_what_to_do(
    make, app, ready, smtp_server, client, login
):
    smtp_server(reply="552 Message size exceeds fixed maximum message size")
    meeting = make.meeting_with(ready("Ärende A"))
    login(make.user("manager"))

    client.post(f"/meetings/{meeting.id}/summons")

    (failed,) = _sendings(make)
    assert (failed.status, failed.error_code) == ("failed", "too_large")
    page = client.get(f"/meetings/{meeting.id}").get_data(as_text=True)
    assert "avvisade meddelandet som för stort" in page and "552" not in page


def test_a_kallelse_rolled_back_is_never_sent(make, app, ready, smtp):
    meeting = make.session.merge(make.meeting_with(ready("Ärende A")))
    with app.app_context():
        summons_mail.send_summons(make.session, make.store, meeting, user=None)
        make.session.flush()
        make.session.rollback()  # e.g. a later step of the same request failed
        make.session.commit()
    assert smtp.messages == [] and _sendings(make) == []
