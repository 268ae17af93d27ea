"""What a new registrar's walk through a request found: a secret-marked document is not
released without the officer confirming the secrecy review; an item in the requester's
own words is linked to the document it means (or answered as not held); a refusal rests
on a provision; one form makes one request; the mail is signed with the saved profile;
and the pages say times, pages and the public in words."""

from __future__ import annotations

import json
import re

from sqlmodel import select

from caseflow.common.models import AuditEvent
from caseflow.common.timeutil import LOCAL_TZ
from caseflow.disclosure.models import DocumentRequest
from caseflow.organisation.services import update_profile
from tests.disclosure.conftest import ask, decide, form_token_of, private_link


def _request(make, client, document=None, **fields):
    fields.setdefault("email", "nyfiken@example.org")
    if document is not None:
        fields["document"] = str(document.id)
    answer = ask(client, case="RS/720/2021", **fields)
    assert answer.status_code == 200, answer.get_data(as_text=True)[:500]
    found = make.fresh().exec(select(DocumentRequest).order_by(DocumentRequest.id)).all()[-1]
    return found, private_link(answer.get_data(as_text=True))


def _events(make, found, action):
    return (
        make.fresh()
        .exec(
            select(AuditEvent).where(
                AuditEvent.object_type == "documentrequest",
                AuditEvent.object_id == found.id,
                AuditEvent.action == action,
            )
        )
        .all()
    )


# --- 1. the secrecy review of a document marked secret ------------------------------


def test_the_staff_page_says_which_document_is_marked_secret(client, make, login, rs720):
    found, _link = _request(make, client, rs720.plan)
    login(rs720.erik)
    page = client.get(f"/begaran/{found.number}").get_data(as_text=True)
    assert "Sekretessmarkerad: OSL 31 kap. 16 § (hela handlingen)" in page
    assert "Jag har prövat sekretessen: handlingen kan lämnas ut" in page

    other, _link = _request(make, client, rs720.application)
    page = client.get(f"/begaran/{other.number}").get_data(as_text=True)
    assert "Sekretessmarkerad" not in page  # the application is public
    assert "Jag har prövat sekretessen" not in page


def test_a_secret_document_is_released_only_after_the_confirmed_review(client, make, login, rs720):
    found, _link = _request(make, client, rs720.plan)
    item = found.items[0]
    login(rs720.erik)
    answer = decide(client, found, item, outcome="released")
    assert answer.status_code == 422
    page = answer.get_data(as_text=True)
    assert (
        "Handlingen är sekretessmarkerad (OSL 31 kap. 16 §): bekräfta att du har prövat "
        "sekretessen och att den kan lämnas ut." in page
    )
    assert re.search(r"<input[^>]*checked[^>]*value=\"released\"", page)  # the form is kept
    assert make.fresh().get(DocumentRequest, found.id).items[0].outcome is None
    assert _events(make, found, "disclosure.decide") == []

    answer = decide(client, found, item, outcome="released", secrecy_reviewed="y")
    assert answer.status_code == 302
    assert make.fresh().get(DocumentRequest, found.id).items[0].outcome == "released"
    (event,) = _events(make, found, "disclosure.decide")
    after = json.loads(event.after)
    assert after["secrecy_marking"] == "OSL 31 kap. 16 §"
    assert after["secrecy_reviewed"] is True
    assert event.actor_label == "erik.noaksson@regionjh.se"


# --- 2. an item in the requester's own words ------------------------------------------


def test_an_item_in_the_requesters_words_is_linked_and_released(client, make, login, rs720):
    found, _link = _request(make, client, wanted="Även beslutet i ärendet.", delivery="pickup")
    (item,) = found.items
    login(rs720.registrar)
    answer = decide(client, found, item, outcome="released")
    assert answer.status_code == 422
    assert "Koppla begäran till en registrerad handling (med dess nummer)" in answer.get_data(
        as_text=True
    )

    linked = client.post(
        f"/begaran/{found.number}/items/{item.id}/document",
        data={f"link{item.id}-document": "RS/720/2021-1"},
    )
    assert linked.status_code == 302
    found = make.fresh().get(DocumentRequest, found.id)
    (item,) = found.items  # no second item: the same one has gained the document
    assert item.wanted == "Även beslutet i ärendet."
    assert item.document_id == rs720.application.id
    assert len(_events(make, found, "disclosure.link_document")) == 1
    page = client.get(f"/begaran/{found.number}").get_data(as_text=True)
    assert "RS/720/2021-1" in page and "Även beslutet i ärendet." in page

    assert decide(client, found, item, outcome="released").status_code == 302
    found = make.fresh().get(DocumentRequest, found.id)
    assert found.status == "decided" and found.items[0].outcome == "released"


def test_linking_to_a_number_that_names_nothing_is_refused(client, make, login, rs720):
    found, _link = _request(make, client, wanted="Även beslutet i ärendet.", delivery="pickup")
    (item,) = found.items
    login(rs720.registrar)
    answer = client.post(
        f"/begaran/{found.number}/items/{item.id}/document",
        data={f"link{item.id}-document": "RS/720/2021-9"},
    )
    assert answer.status_code == 422
    page = answer.get_data(as_text=True)
    assert "Handlingen RS/720/2021-9 finns inte." in page
    assert 'value="RS/720/2021-9"' in page
    assert make.fresh().get(DocumentRequest, found.id).items[0].document_id is None


def test_a_refusal_must_rest_on_a_provision(client, make, login, rs720):
    found, _link = _request(make, client, wanted="Även beslutet i ärendet.", delivery="pickup")
    (item,) = found.items
    login(rs720.registrar)
    answer = decide(client, found, item, outcome="refused", provision="Finns redan som RS/1/2026-1")
    assert answer.status_code == 422
    assert "»Finns redan som RS/1/2026-1« är ingen sekretessbestämmelse" in answer.get_data(
        as_text=True
    )
    assert make.fresh().get(DocumentRequest, found.id).items[0].outcome is None


def test_what_the_authority_does_not_hold_is_answered_so(client, make, login, rs720):
    found, link = _request(make, client, wanted="Avtalet med Samverket.", delivery="pickup")
    (item,) = found.items
    login(rs720.registrar)
    assert decide(client, found, item, outcome="not_held").status_code == 302
    found = make.fresh().get(DocumentRequest, found.id)
    assert found.status == "decided" and found.items[0].outcome == "not_held"
    assert found.refused_items == []  # not a refusal under secrecy
    client.post("/logout")
    page = client.get(link).get_data(as_text=True)
    assert "Avtalet med Samverket.: handlingen finns inte hos myndigheten" in re.sub(
        r"\s+", " ", page
    )
    assert "sekretess enligt" not in page


def test_a_registered_document_is_not_answered_as_not_held(client, make, login, rs720):
    found, _link = _request(make, client, rs720.application)
    login(rs720.erik)
    answer = decide(client, found, found.items[0], outcome="not_held")
    assert answer.status_code == 422
    assert make.fresh().get(DocumentRequest, found.id).items[0].outcome is None


# --- 3. one form, one request -------------------------------------------------------


def test_the_same_form_sent_again_makes_no_second_request(client, make, rs720):
    page = client.get("/diarium/begaran/ny", query_string={"case": "RS/720/2021"})
    data = {
        "form_token": form_token_of(page.get_data(as_text=True)),
        "delivery": "pickup",
        "wanted": "Protokollen 2021",
    }
    first = client.post("/diarium/begaran/ny", query_string={"case": "RS/720/2021"}, data=data)
    assert first.status_code == 200
    (found,) = make.fresh().exec(select(DocumentRequest)).all()
    again = client.post("/diarium/begaran/ny", query_string={"case": "RS/720/2021"}, data=data)
    text = again.get_data(as_text=True)
    assert "Din begäran har redan tagits emot" in text
    assert found.number in text
    assert not re.search(r"/diarium/begaran/[A-Za-z0-9_-]{20,}", text)  # no private link
    assert make.fresh().exec(select(DocumentRequest)).all() == [found]


# --- 4. the mail is signed with the organisation profile ---------------------------


def test_the_mail_to_the_requester_is_signed_with_the_saved_profile(
    app, client, make, login, rs720, smtp
):
    with app.app_context():
        update_profile(make.session, name="Samverkansregionen Testland")
        make.session.commit()
    raw = (
        "From: Nils Nyfiken <nils@example.org>\r\nTo: platina@regionjh.se\r\n"
        "Subject: Handlingar i RS/720/2021\r\nMessage-ID: <req-9@example.org>\r\n"
        "Date: Thu, 03 Dec 2026 09:00:00 +0100\r\n\r\nJag vill ha ansökan.\r\n"
    ).encode()
    mail = make.mail(raw)
    login(rs720.registrar)
    assert client.post(f"/begaran/from-mail/{mail.id}").status_code == 302
    found = make.fresh().exec(select(DocumentRequest)).one()
    client.post(f"/begaran/{found.number}/documents", data={"document": "RS/720/2021-1"})
    found = make.fresh().get(DocumentRequest, found.id)
    (free_text, application) = found.items
    refused = decide(client, found, free_text, outcome="refused", provision="OSL 31 kap. 16 §")
    assert refused.status_code == 302
    assert decide(client, found, application, outcome="released").status_code == 302
    client.post(f"/begaran/{found.number}/send")
    (_r1, receipt), (_r2, delivery) = smtp.messages
    for message in (receipt, delivery):
        body = message.get_body(("plain",)).get_content()
        assert body.rstrip().endswith("Samverkansregionen Testland")
        assert app.config["ORGANISATION_NAME"] not in body


# --- 5. the texts ----------------------------------------------------------------------


def test_the_staff_page_says_the_delivery_time_pages_and_the_attempt_in_words(
    client, make, login, rs720, smtp
):
    found, _link = _request(make, client, rs720.application)
    login(rs720.erik)
    decide(client, found, found.items[0], outcome="released")
    client.post(f"/begaran/{found.number}/send")
    found = make.fresh().get(DocumentRequest, found.id)
    page = client.get(f"/begaran/{found.number}").get_data(as_text=True)
    local = found.delivered_at.astimezone(LOCAL_TZ).strftime("%Y-%m-%d %H:%M")
    assert f"Levererad {local}." in page
    assert "T" not in re.search(r"Levererad ([^<]*)\.", page).group(1)
    assert "Försök att skicka begärda handlingar med e-post" in page
    assert "Begärda handlingar skickade med e-post" not in page


def test_a_one_page_file_reads_one_page(client, make, login, rs720):
    from tests.disclosure.conftest import pdf_of

    one = make.document(rs720.case, title="Kort yttrande", files=[("Yttrande.pdf", pdf_of(1))])
    found, _link = _request(make, client, one, delivery="pickup")
    login(rs720.erik)
    decide(client, found, found.items[0], outcome="released")
    page = client.get(f"/begaran/{found.number}").get_data(as_text=True)
    assert "Yttrande.pdf (1 sida)" in page
    assert "1 sida, 0 kr" in page
    assert "1 sidor" not in page


def test_the_requester_is_not_told_the_mail_set_up(app, client, make, login, rs720):
    app.config.update(MAIL_SERVER=None)  # no relay: the message goes to the outbox only
    found, link = _request(make, client, rs720.application)
    login(rs720.erik)
    decide(client, found, found.items[0], outcome="released")
    client.post(f"/begaran/{found.number}/send")
    assert make.fresh().get(DocumentRequest, found.id).delivery_error == "outbox"
    staff = client.get(f"/begaran/{found.number}").get_data(as_text=True)
    assert "Ingen e-postserver är inställd" in staff  # staff keep the detail
    client.post("/logout")
    public = client.get(link).get_data(as_text=True)
    assert "Ingen e-postserver" not in public and "utkorgen" not in public
    assert (
        "Vi kunde inte skicka handlingarna med e-post ännu. Vi skickar dem igen eller "
        "kontaktar dig." in public
    )


def test_the_public_acts_as_allmanheten_in_every_history(client, make, login, rs720):
    found, _link = _request(make, client, rs720.application)
    login(rs720.registrar)
    request_page = client.get(f"/begaran/{found.number}").get_data(as_text=True)
    assert "(allmänheten)" in request_page and "(public)" not in request_page
    case_page = client.get(f"/cases/{rs720.case.number}").get_data(as_text=True)
    audit_page = client.get("/audit/").get_data(as_text=True)
    for page in (case_page, audit_page):
        assert "allmänheten" in page
        assert not re.search(r"[—>]\s*public\s*<", page)
