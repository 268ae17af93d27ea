"""The public side of a request: anonymous, cookie-free, protected by its own form token,
and never showing the secrets the review kept back."""

from __future__ import annotations

import time

from itsdangerous import TimestampSigner, URLSafeTimedSerializer
from sqlmodel import select

from caseflow.disclosure import tokens
from caseflow.disclosure.models import DocumentRequest
from tests.disclosure.conftest import ask, decide, form_token_of, private_link


def test_no_cookie_on_any_public_get(client, rs720):
    form = client.get(
        "/diarium/begaran/ny",
        query_string={"case": "RS/720/2021", "document": rs720.application.id},
    )
    assert form.status_code == 200
    assert "Set-Cookie" not in form.headers
    answer = ask(client, case="RS/720/2021", document=str(rs720.application.id), email="a@b.se")
    assert "Set-Cookie" not in answer.headers
    status = client.get(private_link(answer.get_data(as_text=True)))
    assert status.status_code == 200
    assert "Set-Cookie" not in status.headers
    assert status.headers["Cache-Control"] == "no-store, private"
    unknown = client.get("/diarium/begaran/ingen-sadan-lank")
    assert unknown.status_code == 404
    assert "Set-Cookie" not in unknown.headers


def test_the_form_says_anonymity_is_a_right_and_names_the_document(client, rs720):
    page = client.get(
        "/diarium/begaran/ny",
        query_string={"case": "RS/720/2021", "document": rs720.application.id},
    ).get_data(as_text=True)
    assert "du har rätt att vara anonym" in page
    assert "RS/720/2021-1 Ansökan om medfinansiering" in page


def test_a_secret_title_never_reaches_the_form(client, rs720):
    page = client.get(
        "/diarium/begaran/ny",
        query_string={"case": "RS/720/2021", "document": rs720.plan.id},
    ).get_data(as_text=True)
    assert "HEMLIGTITELMARKÖR" not in page
    assert "OSL 31 kap. 16 §" in page  # the mask names the provision


def test_a_forged_token_is_refused(client, make, rs720):
    forged = URLSafeTimedSerializer("not-our-key", salt=tokens.SALT).dumps({"n": "x"})
    answer = client.post(
        "/diarium/begaran/ny",
        data={"form_token": forged, "delivery": "pickup", "wanted": "Protokollen 2021"},
    )
    assert answer.status_code == 400
    assert "skickades inte från vår sida" in answer.get_data(as_text=True)
    assert make.fresh().exec(select(DocumentRequest)).all() == []


def test_a_missing_token_is_refused(client, make, rs720):
    answer = client.post("/diarium/begaran/ny", data={"delivery": "pickup", "wanted": "x"})
    assert answer.status_code == 400
    assert make.fresh().exec(select(DocumentRequest)).all() == []


def test_an_expired_token_is_refused(app, client, make, rs720):
    class ThreeHoursAgo(TimestampSigner):
        def get_timestamp(self):
            return int(time.time()) - 3 * 3600

    # Signed with our key and salt, but three hours ago (the form lives two).
    old = URLSafeTimedSerializer(
        app.config["SECRET_KEY"], salt=tokens.SALT, signer=ThreeHoursAgo
    ).dumps({"n": "x"})
    answer = client.post(
        "/diarium/begaran/ny", data={"form_token": old, "delivery": "pickup", "wanted": "x"}
    )
    assert answer.status_code == 400
    assert "öppet för länge" in answer.get_data(as_text=True)
    assert make.fresh().exec(select(DocumentRequest)).all() == []


def test_the_honeypot_catches_a_robot(client, make, rs720):
    answer = ask(client, wanted="Allt", delivery="pickup", website="http://spam.example")
    assert answer.status_code == 400
    assert make.fresh().exec(select(DocumentRequest)).all() == []


def test_only_the_contact_the_delivery_needs_is_kept(client, make, rs720):
    answer = ask(
        client,
        wanted="Protokollen från Regionstyrelsen i november 2021",
        delivery="post",
        email="behovs.inte@example.org",
        postal_address="Storgatan 1\r\n831 30 Östersund",
        name="  Nils   Nyfiken ",
    )
    assert answer.status_code == 200
    found = make.fresh().exec(select(DocumentRequest)).one()
    assert found.email is None
    assert found.postal_address == "Storgatan 1\n831 30 Östersund"
    assert found.requester_name == "Nils Nyfiken"
    assert found.assigned_to_id is None  # no case named: the registrars review it
    assert found.items[0].wanted.startswith("Protokollen")


def test_email_delivery_needs_an_address(client, make, rs720):
    answer = ask(client, wanted="Protokollen", delivery="email", email="")
    assert answer.status_code == 400
    assert "Ange den e-postadress" in answer.get_data(as_text=True)


def test_numbers_run_without_gaps(client, make, rs720):
    for _ in range(3):
        assert ask(client, wanted="Något", delivery="pickup").status_code == 200
    numbers = [r.number[-4:] for r in make.fresh().exec(select(DocumentRequest)).all()]
    assert sorted(numbers) == ["0001", "0002", "0003"]


def test_the_private_page_shows_no_secrets_and_no_internal_note(client, make, login, rs720):
    answer = ask(
        client,
        case="RS/720/2021",
        document=str(rs720.plan.id),
        delivery="pickup",
        wanted="Även bilagorna",
    )
    link = private_link(answer.get_data(as_text=True))
    found = make.fresh().exec(select(DocumentRequest)).one()
    login(rs720.erik)
    client.post(
        f"/begaran/{found.number}/note", data={"note": "INTERNANTECKNING ring Samverket först"}
    )
    plan_item = found.items[0]
    decide(client, found, plan_item, outcome="refused", provision="OSL 31 kap. 16 §")
    client.post("/logout")
    page = client.get(link).get_data(as_text=True)
    assert "HEMLIGTITELMARKÖR" not in page
    assert "INTERNANTECKNING" not in page
    assert "lämnas inte ut: sekretess enligt OSL 31 kap. 16 §" in page
    assert "Begär skriftligt beslut" in page
    assert form_token_of(page)
