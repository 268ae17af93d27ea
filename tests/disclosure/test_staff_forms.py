"""The staff's forms on a request's page: a form that is not filled in right comes back
with what is wrong said at its field, what was typed kept, and nothing recorded; every
staff form needs its CSRF token, while the anonymous form keeps working without one."""

from __future__ import annotations

import io
import re

from sqlmodel import select

from caseflow.common.models import AuditEvent
from caseflow.disclosure.models import DocumentRequest
from tests.disclosure.conftest import ask, decide, pdf_of


def _request(make, client, rs720, document, **fields):
    fields.setdefault("email", "nyfiken@example.org")
    assert ask(client, case="RS/720/2021", document=str(document.id), **fields).status_code == 200
    return make.fresh().exec(select(DocumentRequest)).one()


def _steps(make, found) -> list[str]:
    return (
        make.fresh()
        .exec(
            select(AuditEvent.action).where(
                AuditEvent.object_type == "documentrequest", AuditEvent.object_id == found.id
            )
        )
        .all()
    )


def _error_at(page: str, field_id: str) -> str:
    """The error shown in the field's own box on the page."""
    box = re.search(
        rf'<div class="field[^"]*has-error[^"]*">(?:(?!</div>).)*id="{field_id}"'
        rf"(?:(?!</div>).)*</div>",
        page,
        re.S,
    )
    assert box, f"no error at {field_id}"
    return re.search(r'<p class="error" role="alert">([^<]+)</p>', box.group(0)).group(1)


def test_a_decision_without_a_choice_says_so_at_the_field(client, make, login, rs720):
    found = _request(make, client, rs720, rs720.application)
    item = found.items[0]
    login(rs720.erik)
    answer = decide(client, found, item, provision="OSL 31 kap. 16 §")
    assert answer.status_code == 422
    page = answer.get_data(as_text=True)
    assert "Välj att lämna ut, lämna ut med maskering eller avslå." in page
    assert 'value="OSL 31 kap. 16 §"' in page  # what was typed is kept
    assert make.fresh().get(DocumentRequest, found.id).items[0].outcome is None
    assert _steps(make, found) == ["disclosure.receive"]


def test_redactions_need_their_file_and_pages_are_a_number(client, make, login, rs720):
    found = _request(make, client, rs720, rs720.plan)
    item = found.items[0]
    login(rs720.erik)
    answer = decide(
        client, found, item, outcome="redacted", provision="OSL 31 kap. 16 §", page_count="tolv"
    )
    assert answer.status_code == 422
    page = answer.get_data(as_text=True)
    assert _error_at(page, f"item{item.id}-redacted") == (
        "Ladda upp den maskerade versionen av handlingen."
    )
    assert _error_at(page, f"item{item.id}-page_count") == (
        "Ange antalet sidor som ett heltal större än noll."
    )
    assert make.fresh().get(DocumentRequest, found.id).items[0].redacted_document_id is None

    answer = decide(
        client,
        found,
        item,
        outcome="redacted",
        provision="OSL 31 kap. 16 §",
        redacted=(io.BytesIO(pdf_of(2)), "Affarsplan maskerad.pdf", "application/pdf"),
        secrecy_reviewed="y",
    )
    assert answer.status_code == 302
    assert make.fresh().get(DocumentRequest, found.id).status == "decided"


def test_a_document_that_does_not_exist_is_said_and_rolled_back(client, make, login, rs720):
    found = _request(make, client, rs720, rs720.application)
    login(rs720.registrar)
    answer = client.post(f"/begaran/{found.number}/documents", data={"document": "RS/720/2021-9"})
    assert answer.status_code == 422
    page = answer.get_data(as_text=True)
    assert "Handlingen RS/720/2021-9 finns inte." in page
    assert 'value="RS/720/2021-9"' in page
    empty = client.post(f"/begaran/{found.number}/documents", data={"document": " "})
    assert empty.status_code == 422
    assert "Skriv handlingens nummer, t.ex. RS/720/2021-3." in empty.get_data(as_text=True)
    assert len(make.fresh().get(DocumentRequest, found.id).items) == 1


def test_the_registrar_assigns_only_an_officer(client, make, login, rs720):
    found = _request(make, client, rs720, rs720.application)
    anders = make.user("official", name="Anders Byström")
    login(rs720.registrar)
    wrong = client.post(
        f"/begaran/{found.number}/assign", data={"officer_id": str(rs720.registrar.id)}
    )
    assert wrong.status_code == 422
    assert _error_at(wrong.get_data(as_text=True), "officer_id") == "Välj en handläggare."
    assert make.fresh().get(DocumentRequest, found.id).assigned_to_id == rs720.erik.id
    moved = client.post(f"/begaran/{found.number}/assign", data={"officer_id": str(anders.id)})
    assert moved.status_code == 302
    assert make.fresh().get(DocumentRequest, found.id).assigned_to_id == anders.id
    client.post(f"/begaran/{found.number}/assign", data={"officer_id": ""})
    assert make.fresh().get(DocumentRequest, found.id).assigned_to_id is None  # the registrars


def test_a_hand_over_must_say_how(client, make, login, rs720):
    found = _request(make, client, rs720, rs720.application, delivery="pickup", email="")
    login(rs720.registrar)
    decide(client, found, found.items[0], outcome="released")
    answer = client.post(f"/begaran/{found.number}/handed-over", data={"how": "brevduva"})
    assert answer.status_code == 422
    assert _error_at(answer.get_data(as_text=True), "how") == "Ange hur handlingarna lämnades ut."
    assert make.fresh().get(DocumentRequest, found.id).status == "decided"
    client.post(f"/begaran/{found.number}/handed-over", data={"how": "pickup"})
    assert make.fresh().get(DocumentRequest, found.id).status == "delivered"


def test_staff_forms_need_their_csrf_token_the_public_form_does_not(app, make, rs720):
    from tests.factories import PASSWORD

    app.config["WTF_CSRF_ENABLED"] = True
    visitor = app.test_client()
    assert ask(visitor, case="RS/720/2021", document=str(rs720.application.id), email="a@b.se")
    found = make.fresh().exec(select(DocumentRequest)).one()  # sent without a cookie

    staff = app.test_client()
    login_page = staff.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', login_page)[1]
    staff.post(
        "/login", data={"email": rs720.registrar.email, "password": PASSWORD, "csrf_token": token}
    )
    note = {"note": "Ring sökanden"}
    assert staff.post(f"/begaran/{found.number}/note", data=note).status_code == 400
    assert make.fresh().get(DocumentRequest, found.id).internal_note is None
    page = staff.get(f"/begaran/{found.number}").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page)[1]
    assert f'name="item{found.items[0].id}-csrf_token"' in page  # each decision its own
    answer = staff.post(f"/begaran/{found.number}/note", data={**note, "csrf_token": token})
    assert answer.status_code == 302
    assert make.fresh().get(DocumentRequest, found.id).internal_note == "Ring sökanden"
