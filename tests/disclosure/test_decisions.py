"""The officer's review: a redacted copy registered beside the original, a refusal with its
provision and the written, appealable decision; and a delivery that did not happen."""

from __future__ import annotations

import io
import re
from datetime import date, datetime

import sqlalchemy as sa
from docx import Document as Docx
from sqlmodel import select

from caseflow.common.models import AuditEvent
from caseflow.common.timeutil import LOCAL_TZ
from caseflow.disclosure.models import DocumentRequest
from caseflow.documents.models import Document
from caseflow.mail.models import MailMessage
from tests.disclosure.conftest import ask, decide, form_token_of, pdf_of, private_link
from tests.meetings.conftest import _free_port


def _request(make, client, rs720, *documents, **fields):
    fields.setdefault("email", "nyfiken@example.org")
    answer = ask(client, case="RS/720/2021", document=str(documents[0].id), **fields)
    assert answer.status_code == 200
    found = make.fresh().exec(select(DocumentRequest)).one()
    return found, private_link(answer.get_data(as_text=True))


def test_release_with_redactions_registers_the_redacted_copy(client, make, login, rs720, smtp):
    found, link = _request(make, client, rs720, rs720.plan)
    login(rs720.erik)
    item = found.items[0]
    answer = decide(
        client,
        found,
        item,
        outcome="redacted",
        provision="OSL 31 kap. 16 §",
        redacted=(io.BytesIO(pdf_of(11)), "Affarsplan maskerad.pdf", "application/pdf"),
        secrecy_reviewed="y",  # the plan is marked secret: the review is confirmed
    )
    assert answer.status_code == 302
    session = make.fresh()
    found = session.get(DocumentRequest, found.id)
    item = found.items[0]
    copy = session.get(Document, item.redacted_document_id)
    assert copy.case_id == rs720.case.id and copy.seq == 3  # the case's next number
    assert copy.title == f"Maskerad kopia av RS/720/2021-2 ({found.number})"
    assert not copy.is_secret
    assert item.document_id == rs720.plan.id  # linked to the original
    assert (found.pages, found.fee) == (11, 52)  # the redacted copy's pages are counted

    client.post(f"/begaran/{found.number}/send")
    ((_rcpt, message),) = smtp.messages
    names = [a.get_filename() for a in message.iter_attachments()]
    assert names == ["Affarsplan maskerad.pdf"]  # never the secret original
    body = message.get_body(("plain",)).get_content()
    assert "HEMLIGTITELMARKÖR" not in body + message["Subject"]
    assert "52 kr" in body


def test_a_refusal_needs_its_provision(client, make, login, rs720):
    found, _link = _request(make, client, rs720, rs720.plan)
    login(rs720.erik)
    answer = decide(client, found, found.items[0], outcome="refused")
    assert answer.status_code == 422
    assert "Ange den bestämmelse i OSL som sekretessen grundas på" in answer.get_data(as_text=True)
    session = make.fresh()
    assert session.get(DocumentRequest, found.id).items[0].outcome is None


def test_refused_requester_gets_a_written_decision(client, make, login, rs720):
    found, link = _request(make, client, rs720, rs720.plan, delivery="pickup", email="")
    login(rs720.erik)
    decide(client, found, found.items[0], outcome="refused", provision="OSL 31 kap. 16 §")
    client.post("/logout")

    # The requester asks on the private page, still anonymous.
    page = client.get(link).get_data(as_text=True)
    assert "Avgjord: inget kunde lämnas ut." in page  # nothing is said to be on its way
    asked = client.post(f"{link}/beslut", data={"form_token": form_token_of(page)})
    assert asked.status_code == 303
    page = client.get(link).get_data(as_text=True)
    assert "Hämta beslutet" in page

    download = client.get(f"{link}/beslut.docx")
    assert download.status_code == 200
    text = "\n".join(p.text for p in Docx(io.BytesIO(download.data)).paragraphs)
    assert "OSL 31 kap. 16 §" in text
    assert "Anonym sökande" in text
    assert "kammarrätten" in text and "inom tre veckor" in text
    assert found.number in text
    assert "HEMLIGTITELMARKÖR" not in text
    assert "Erik Noaksson" in text

    session = make.fresh()
    found = session.get(DocumentRequest, found.id)
    decision = session.get(Document, found.written_decision_id)
    assert decision.direction == "outgoing" and decision.case_id == rs720.case.id
    assert decision.kind == "Avslagsbeslut"
    assert decision.counterpart == "Anonym sökande"


def test_a_forged_token_cannot_ask_for_the_decision(client, make, login, rs720):
    found, link = _request(make, client, rs720, rs720.plan)
    assert client.post(f"{link}/beslut", data={"form_token": "x.y.z"}).status_code == 400


def test_smtp_down_means_not_delivered_and_says_so(app, client, make, login, rs720):
    # The relay is configured, but nothing answers on its port.
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=_free_port())
    found, link = _request(make, client, rs720, rs720.application)
    login(rs720.erik)
    decide(client, found, found.items[0], outcome="released")
    client.post(f"/begaran/{found.number}/send")
    session = make.fresh()
    found = session.get(DocumentRequest, found.id)
    assert found.status == "decided" and found.delivered_at is None
    assert found.delivery_error == "unreachable"
    staff = client.get(f"/begaran/{found.number}").get_data(as_text=True)
    assert "Inte levererad" in staff and "Inget nådde sökanden" in staff
    client.post("/logout")
    public = client.get(link).get_data(as_text=True)
    assert "Vi kunde inte skicka handlingarna med e-post" in public
    assert "Levererad." not in public
    events = session.exec(select(AuditEvent.action).where(AuditEvent.object_id == found.id)).all()
    assert "disclosure.not_delivered" in events and "disclosure.delivered" not in events


def test_a_refusing_server_is_not_a_delivery(client, make, login, rs720, smtp):
    found, _link = _request(make, client, rs720, rs720.application)
    login(rs720.erik)
    decide(client, found, found.items[0], outcome="released")
    smtp.refuse = True
    client.post(f"/begaran/{found.number}/send")
    found = make.fresh().get(DocumentRequest, found.id)
    assert found.status == "decided" and found.delivery_error == "unreachable"
    smtp.refuse = False
    client.post(f"/begaran/{found.number}/send")  # sent again, now taken
    found = make.fresh().get(DocumentRequest, found.id)
    assert found.status == "delivered" and found.delivery_error is None
    assert len(smtp.messages) == 1


def test_only_the_assigned_official_decides(client, make, login, rs720):
    found, _link = _request(make, client, rs720, rs720.application)
    other = make.user("official", name="Olle Annan")
    login(other)
    assert client.get(f"/begaran/{found.number}").status_code == 403
    assert found.number not in client.get("/begaran/").get_data(as_text=True)
    answer = decide(client, found, found.items[0], outcome="released")
    assert answer.status_code == 403
    assert make.fresh().get(DocumentRequest, found.id).items[0].outcome is None


def test_a_mailed_request_becomes_a_tracked_one(client, make, login, rs720, smtp):
    raw = (
        "From: Nils Nyfiken <nils@example.org>\r\nTo: platina@regionjh.se\r\n"
        "Subject: =?utf-8?q?Beg=C3=A4ran_om_handlingar_i_RS/720/2021?=\r\n"
        "Message-ID: <req-1@example.org>\r\nDate: Thu, 03 Dec 2026 09:00:00 +0100\r\n"
        "Content-Type: text/plain; charset=utf-8\r\n\r\nJag vill ha ansökan.\r\n"
    ).encode()
    mail = make.mail(raw)
    login(rs720.registrar)
    page = client.get(f"/mail/{mail.id}").get_data(as_text=True)
    assert "Gör en begäran om allmän handling av detta e-brev" in page
    answer = client.post(f"/begaran/from-mail/{mail.id}")
    assert answer.status_code == 302
    found = make.fresh().exec(select(DocumentRequest)).one()
    assert (found.source, found.mail_id, found.email) == ("mail", mail.id, "nils@example.org")
    assert found.delivery == "email"
    # The requester is told the number, the deadline and the private link by e-mail.
    ((recipients, receipt),) = smtp.messages
    assert recipients == ["nils@example.org"] and found.number in receipt["Subject"]
    link = re.search(r"http://localhost(/diarium/begaran/\S+)", receipt.get_content()).group(1)
    assert found.number in client.get(link).get_data(as_text=True)
    assert "Kvitto på en begäran e-postat" in client.get(f"/begaran/{found.number}").get_data(
        as_text=True
    )
    assert re.search(found.number, client.get(f"/mail/{mail.id}").get_data(as_text=True))
    # Naming the document the mail means, then it can be decided like any other.
    client.post(f"/begaran/{found.number}/documents", data={"document": "RS/720/2021-1"})
    found = make.fresh().get(DocumentRequest, found.id)
    assert [i.document_id for i in found.items] == [None, rs720.application.id]


def test_a_letter_by_post_and_its_hand_over(client, make, login, rs720):
    found, link = _request(
        make,
        client,
        rs720,
        rs720.application,
        delivery="post",
        email="",
        name="Nils Nyfiken",
        postal_address="Storgatan 1\n831 30 Östersund",
    )
    login(rs720.registrar)
    decide(client, found, found.items[0], outcome="released")
    letter = client.get(f"/begaran/{found.number}/letter").get_data(as_text=True)
    assert "Nils Nyfiken" in letter and "Storgatan 1, 831 30 Östersund" in letter
    assert "RS/720/2021-1 Ansökan om medfinansiering" in letter
    assert "lämnas ut i sin helhet (bifogas)" in letter
    assert client.post(f"/begaran/{found.number}/send").status_code == 303  # not by e-mail
    client.post(f"/begaran/{found.number}/handed-over", data={"how": "post"})
    found = make.fresh().get(DocumentRequest, found.id)
    assert found.status == "delivered"


def test_a_mailed_request_counts_its_deadline_from_the_day_the_mail_came(
    client, make, login, rs720, smtp
):
    """The mail came on Friday 27 November 2026 and waited in the queue: "skyndsamt" ran
    out on Monday the 30th, whenever the registrar turns it into a request."""
    raw = (
        "From: Nils Nyfiken <nils@example.org>\r\nTo: platina@regionjh.se\r\n"
        "Subject: Handlingar i RS/720/2021\r\nMessage-ID: <req-2@example.org>\r\n"
        "Date: Fri, 27 Nov 2026 10:00:00 +0100\r\n\r\nJag vill ha ansökan.\r\n"
    ).encode()
    mail = make.mail(raw)
    came = datetime(2026, 11, 27, 10, 0, tzinfo=LOCAL_TZ)
    make.session.execute(
        sa.update(MailMessage).where(MailMessage.id == mail.id).values(received_at=came)
    )
    make.session.commit()
    login(rs720.registrar)
    assert client.post(f"/begaran/from-mail/{mail.id}").status_code == 302
    found = make.fresh().exec(select(DocumentRequest)).one()
    assert (found.received_on, found.due_on) == (date(2026, 11, 27), date(2026, 11, 30))
