"""The fee for copies: staff record the day it was paid; by default the copies go out with
an invoice, and an authority that wants prepayment makes delivery wait for the payment."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import select

from caseflow.common.models import AuditEvent
from caseflow.common.timeutil import today
from caseflow.disclosure.models import DocumentRequest
from tests.disclosure.conftest import ask, decide, pdf_of, private_link


def _decided_budget(make, client, login, rs720, fee=54, **fields):
    """The visitor asks for the 12-page budget; Erik releases it: 54 kr for copies."""
    budget = make.document(rs720.case, title="Budget", files=[("Budget.pdf", pdf_of(12))])
    fields.setdefault("email", "nyfiken@example.org")
    answer = ask(client, case="RS/720/2021", document=str(budget.id), **fields)
    found = make.fresh().exec(select(DocumentRequest)).one()
    login(rs720.erik)
    decide(client, found, found.items[0], outcome="released")
    found = make.fresh().get(DocumentRequest, found.id)
    assert (found.pages, found.fee, found.fee_paid_on) == (12, fee, None)
    return found, private_link(answer.get_data(as_text=True))


def test_copies_go_with_an_invoice_and_the_payment_is_recorded_later(
    client, make, login, rs720, smtp
):
    found, _link = _decided_budget(make, client, login, rs720)
    page = client.get(f"/begaran/{found.number}").get_data(as_text=True)
    assert "Inte betald ännu" in page and "Registrera betalningen" in page
    client.post(f"/begaran/{found.number}/send")
    ((_rcpt, message),) = smtp.messages
    assert "54 kr" in message.get_body(("plain",)).get_content()
    assert "Faktura skickas." in message.get_body(("plain",)).get_content()
    assert make.fresh().get(DocumentRequest, found.id).status == "delivered"

    paid_on = today()
    answer = client.post(f"/begaran/{found.number}/paid", data={"paid_on": paid_on.isoformat()})
    assert answer.status_code == 302
    session = make.fresh()
    assert session.get(DocumentRequest, found.id).fee_paid_on == paid_on
    page = client.get(f"/begaran/{found.number}").get_data(as_text=True)
    assert f"Betald {paid_on.isoformat()}" in page
    assert "Avgift för en begäran om allmän handling registrerad som betald" in page  # history
    event = session.exec(select(AuditEvent).where(AuditEvent.action == "disclosure.paid")).one()
    assert event.actor_id == rs720.erik.id and event.object_id == found.id


def test_prepayment_makes_delivery_wait_for_the_payment(app, client, make, login, rs720, smtp):
    app.config["DISCLOSURE_REQUIRE_PAYMENT_BEFORE_DELIVERY"] = True
    found, link = _decided_budget(make, client, login, rs720)
    page = client.get(f"/begaran/{found.number}").get_data(as_text=True)
    assert "Kopiorna väntar på att avgiften på 54 kr betalas" in page
    refused = client.post(f"/begaran/{found.number}/send", follow_redirects=True)
    assert "Avgiften på 54 kr ska betalas innan kopiorna lämnas ut" in refused.get_data(
        as_text=True
    )
    assert smtp.messages == []
    by_hand = client.post(f"/begaran/{found.number}/handed-over", data={"how": "pickup"})
    assert by_hand.status_code == 422
    assert "registrera betalningen först" in by_hand.get_data(as_text=True)
    assert make.fresh().get(DocumentRequest, found.id).status == "decided"
    client.post("/logout")
    told = client.get(link).get_data(as_text=True)
    assert "Kopiorna skickas när avgiften har betalats." in told
    login(rs720.erik)

    paid_on = today()
    client.post(f"/begaran/{found.number}/paid", data={"paid_on": paid_on.isoformat()})
    client.post(f"/begaran/{found.number}/send")
    ((_rcpt, message),) = smtp.messages
    body = message.get_body(("plain",)).get_content()
    assert f"54 kr (avgiftsförordningen 15–16 §§), betald {paid_on.isoformat()}. Tack." in body
    assert make.fresh().get(DocumentRequest, found.id).status == "delivered"
    client.post("/logout")
    assert f"Betald {paid_on.isoformat()}." in client.get(link).get_data(as_text=True)


def test_looking_on_site_is_free_and_never_waits(app, client, make, login, rs720):
    """TF 2 kap. 15 §: reading the documents at the authority costs nothing; the fee is
    for copies, so it follows how the documents were handed over in the end."""
    app.config["DISCLOSURE_REQUIRE_PAYMENT_BEFORE_DELIVERY"] = True
    found, link = _decided_budget(make, client, login, rs720, fee=0, delivery="on_site", email="")
    client.post(f"/begaran/{found.number}/handed-over", data={"how": "on_site"})
    done = make.fresh().get(DocumentRequest, found.id)
    assert (done.status, done.fee) == ("delivered", 0)
    client.post("/logout")
    assert "54 kr" not in client.get(link).get_data(as_text=True)


def test_asked_for_by_e_mail_but_read_on_site_costs_nothing(client, make, login, rs720):
    found, _link = _decided_budget(make, client, login, rs720)
    client.post(f"/begaran/{found.number}/handed-over", data={"how": "on_site"})
    done = make.fresh().get(DocumentRequest, found.id)
    assert (done.status, done.fee) == ("delivered", 0)


def test_asked_to_read_on_site_but_sent_copies_by_post_costs_the_copies(client, make, login, rs720):
    found, _link = _decided_budget(make, client, login, rs720, fee=0, delivery="on_site", email="")
    client.post(f"/begaran/{found.number}/handed-over", data={"how": "post"})
    posted = make.fresh().get(DocumentRequest, found.id)
    assert (posted.status, posted.fee, posted.fee_paid_on) == ("delivered", 54, None)


def test_a_payment_day_must_make_sense(client, make, login, rs720):
    found, _link = _decided_budget(make, client, login, rs720)
    url = f"/begaran/{found.number}/paid"
    tomorrow = (today() + timedelta(days=1)).isoformat()
    answer = client.post(url, data={"paid_on": tomorrow})
    assert answer.status_code == 422
    assert "Betalningsdagen kan inte ligga i framtiden." in answer.get_data(as_text=True)
    before = (found.received_on - timedelta(days=1)).isoformat()
    answer = client.post(url, data={"paid_on": before})
    assert "Avgiften kan inte ha betalats innan begäran kom in." in answer.get_data(as_text=True)
    empty = client.post(url, data={"paid_on": ""})
    assert empty.status_code == 422
    assert "Ange den dag avgiften betalades" in empty.get_data(as_text=True)
    assert make.fresh().get(DocumentRequest, found.id).fee_paid_on is None
    events = make.fresh().exec(select(AuditEvent).where(AuditEvent.action == "disclosure.paid"))
    assert events.all() == []


def test_no_fee_no_payment(client, make, login, rs720):
    ask(client, case="RS/720/2021", document=str(rs720.application.id), email="a@example.org")
    found = make.fresh().exec(select(DocumentRequest)).one()
    login(rs720.erik)
    decide(client, found, found.items[0], outcome="released")  # three pages: free
    page = client.get(f"/begaran/{found.number}").get_data(as_text=True)
    assert "Registrera betalningen" not in page
    answer = client.post(f"/begaran/{found.number}/paid", data={"paid_on": today().isoformat()})
    assert answer.status_code == 422
    assert "Det finns ingen avgift att betala" in answer.get_data(as_text=True)
