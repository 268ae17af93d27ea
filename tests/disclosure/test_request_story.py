"""An anonymous visitor asks for the application in RS/720/2021 without giving a name; the
request is due the next working day and goes to the case's officer; Erik Noaksson releases
it, and the visitor's mailbox receives the application."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import select

from caseflow.common.calendar import is_weekday
from caseflow.common.models import AuditEvent as Event
from caseflow.common.timeutil import today
from caseflow.disclosure.models import DocumentRequest
from tests.disclosure.conftest import ask, decide, private_link


def next_working_day(day):
    """The next day that is no weekend, holiday or eve in the law's calendar."""
    day += timedelta(days=1)
    while not is_weekday(day):
        day += timedelta(days=1)
    return day


def test_anonymous_request_is_released_and_mailed(client, make, login, rs720, smtp):
    answer = ask(
        client,
        case="RS/720/2021",
        document=str(rs720.application.id),
        email="nyfiken@example.org",
    )
    assert answer.status_code == 200, answer.get_data(as_text=True)[:800]
    receipt = answer.get_data(as_text=True)
    year = today().year
    assert f"BEG-{year}-0001" in receipt
    link = private_link(receipt)

    session = make.fresh()
    found = session.exec(select(DocumentRequest)).one()
    assert found.requester_name is None  # anonymity is the requester's right
    first = today()
    while not is_weekday(first):  # a request on a day off counts from the next working day
        first += timedelta(days=1)
    assert found.due_on == next_working_day(first)
    assert found.assigned_to_id == rs720.erik.id
    assert [i.document_id for i in found.items] == [rs720.application.id]

    # The requester follows it at the private link, without an account.
    status = client.get(link)
    assert status.status_code == 200
    assert "BEG-" in status.get_data(as_text=True)

    # The registrar sees it among the open requests.
    login(rs720.registrar)
    listing = client.get("/begaran/").get_data(as_text=True)
    assert found.number in listing and "Erik Noaksson" in listing
    client.post("/logout")

    # The officer releases the application in full and sends it.
    login(rs720.erik)
    item = found.items[0]
    decided = decide(client, found, item, outcome="released")
    assert decided.status_code == 302
    page = client.get(f"/begaran/{found.number}").get_data(as_text=True)
    assert "3 sidor, 0 kr" in page  # three pages: within the nine free ones
    sent = client.post(f"/begaran/{found.number}/send")
    assert sent.status_code == 302

    assert len(smtp.messages) == 1
    recipients, message = smtp.messages[0]
    assert recipients == ["nyfiken@example.org"]
    assert found.number in message["Subject"]
    attachments = list(message.iter_attachments())
    assert [a.get_filename() for a in attachments] == ["Ansokan.pdf"]
    assert attachments[0].get_content().startswith(b"%PDF")

    session = make.fresh()
    found = session.get(DocumentRequest, found.id)
    assert found.status == "delivered" and found.delivered_at is not None
    client.post("/logout")
    assert "Levererad" in client.get(link).get_data(as_text=True)

    events = session.exec(
        select(Event).where(Event.object_type == "documentrequest").order_by(Event.seq)
    ).all()
    actions = [e.action for e in events]
    assert (events[0].actor_id, events[0].actor_label) == (None, "public")
    assert events[1].actor_label == "erik.noaksson@regionjh.se"
    assert actions == [
        "disclosure.receive",
        "disclosure.decide",
        "disclosure.decided",
        "disclosure.send",
        "disclosure.delivered",
    ]
