"""Rättelse: the registrar corrects a document's registration data, always with a reason,
and the timeline says what changed, from what, to what, and why."""

import json
from datetime import date

import pytest
from sqlmodel import select

from caseflow.common.errors import ValidationError
from caseflow.common.models import AuditEvent
from caseflow.documents.corrections import correct_document


def _correction_events(make, doc):
    return (
        make.fresh()
        .exec(
            select(AuditEvent).where(
                AuditEvent.action == "document.correct", AuditEvent.object_id == doc.id
            )
        )
        .all()
    )


def test_a_misspelt_sender_is_corrected_with_one_audited_event(make):
    registrar = make.user("registrar")
    case = make.case()
    doc = make.document(case, counterpart="Vinova")
    correct_document(
        make.session,
        doc,
        {"counterpart": "Vinnova", "received_on": date(2021, 10, 29)},
        "Felstavat vid registreringen",
        actor=registrar,
    )
    make.session.commit()
    (event,) = _correction_events(make, doc)
    before, after = json.loads(event.before), json.loads(event.after)
    assert (before["counterpart"], after["counterpart"]) == ("Vinova", "Vinnova")
    assert (before["received_on"], after["received_on"]) == ("2021-11-01", "2021-10-29")
    assert after["correction"]["reason"] == "Felstavat vid registreringen"
    assert event.actor_id == registrar.id and event.case_id == case.id


@pytest.mark.parametrize(
    "changes, reason, message",
    [
        ({"title": "Ny"}, " ", "reason for the correction"),
        ({"title": "Ansökan om medfinansiering"}, "Inget att rätta", "Nothing was changed"),
        ({"title": ""}, "Tömd", "what the document concerns"),
        ({"direction": "sideways"}, "Fel", "incoming, outgoing or drawn up"),
        ({"received_on": date(2999, 1, 1)}, "Fel", "cannot lie in the future"),
        ({"is_secret": True}, "Hemlig", "secrecy provision"),
        ({"counterpart_email": "inte en adress"}, "Fel", "valid e-mail"),
        ({"number": "RS/1/2021-9"}, "Fel", "Unknown fields"),
    ],
)
def test_a_correction_that_breaks_a_rule_is_refused_and_writes_nothing(
    make, changes, reason, message
):
    doc = make.document(make.case())
    with pytest.raises(ValidationError, match=message):
        correct_document(make.session, doc, changes, reason)
    make.session.rollback()
    assert _correction_events(make, doc) == []


def test_a_voided_document_is_not_corrected(make):
    from caseflow.documents.services import void_document

    case = make.case()
    doc = make.document(case)
    void_document(make.session, doc, reason="Dubblett", case=case)
    with pytest.raises(ValidationError, match="void"):
        correct_document(make.session, doc, {"title": "Ny"}, "Rättelse")


def test_the_registrar_corrects_on_the_document_page_and_the_timeline_reads_it(make, client, login):
    case = make.case()
    doc = make.document(case, title="Ansökan om medfinansering")
    login(make.user("registrar"))
    page = client.get(f"/documents/{doc.id}")
    assert page.status_code == 200
    assert f"/documents/{doc.id}/correct" in page.get_data(as_text=True)
    form = {
        "direction": "incoming",
        "received_on": "2021-11-01",
        "counterpart": "Vinnova",
        "title": "Ansökan om medfinansiering",
        "reason": "Stavfel i ärendemeningen",
    }
    assert client.post(f"/documents/{doc.id}/correct", data=form).status_code == 302
    assert make.fresh().get(type(doc), doc.id).title == "Ansökan om medfinansiering"
    expected = (
        "Rättelse: Vad handlingen rör ändrad från Ansökan om medfinansering till "
        "Ansökan om medfinansiering — skäl: Stavfel i ärendemeningen"
    )
    assert expected in client.get(f"/cases/{case.number}").get_data(as_text=True)
    assert expected in client.get(f"/documents/{doc.id}").get_data(as_text=True)


def test_without_a_reason_the_form_comes_back_with_the_error_at_the_field(make, client, login):
    doc = make.document(make.case())
    login(make.user("registrar"))
    response = client.post(
        f"/documents/{doc.id}/correct",
        data={"direction": "incoming", "received_on": "2021-11-01", "counterpart": "X"},
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert 'id="reason"' in page and 'aria-invalid="true"' in page
    assert make.fresh().get(type(doc), doc.id).counterpart == "Vinnova"


def test_a_correction_that_changes_nothing_is_refused_politely(make, client, login):
    doc = make.document(make.case())
    login(make.user("registrar"))
    form = {
        "direction": "incoming",
        "received_on": "2021-11-01",
        "counterpart": "Vinnova",
        "title": "Ansökan om medfinansiering",
        "reason": "Kontroll",
    }
    response = client.post(f"/documents/{doc.id}/correct", data=form)
    assert response.status_code == 422
    assert "Inget ändrades" in response.get_data(as_text=True)


def test_a_secret_title_corrected_is_masked_in_the_timeline_for_other_staff(make, client, login):
    officer = make.user("official")
    case = make.case(officer=officer)
    doc = make.document(
        case, title="Läkarintyg Anna A", title_is_secret=True, secrecy_provision="OSL 25 kap. 1 §"
    )
    correct_document(make.session, doc, {"title": "Läkarintyg Anna B"}, "Fel namn")
    make.session.commit()
    login(make.user("official"))  # another official: not the case's
    page = client.get(f"/cases/{case.number}").get_data(as_text=True)
    assert "Anna A" not in page and "Anna B" not in page
    assert (
        "Rättelse: Vad handlingen rör ändrad från [Sekretess: OSL 25 kap. 1 §] till "
        "[Sekretess: OSL 25 kap. 1 §] — skäl: Fel namn"
    ) in page
    client.post("/logout")
    login(officer)
    assert "ändrad från Läkarintyg Anna A till Läkarintyg Anna B" in client.get(
        f"/cases/{case.number}"
    ).get_data(as_text=True)


def test_a_correction_based_on_an_older_version_is_refused(make, client, login):
    doc = make.document(make.case(), counterpart="Vinova")
    login(make.user("registrar"))
    form = {
        "direction": "incoming",
        "received_on": "2021-11-01",
        "counterpart": "Vinnova",
        "title": "Ansökan om medfinansiering",
        "reason": "Stavfel",
        "version": str(doc.version),
    }
    assert client.post(f"/documents/{doc.id}/correct", data=form).status_code == 302
    stale = client.post(f"/documents/{doc.id}/correct", data=form | {"counterpart": "Vinnova AB"})
    assert stale.status_code == 409
    assert "ändrat handlingen sedan du öppnade den" in stale.get_data(as_text=True)
    assert make.fresh().get(type(doc), doc.id).counterpart == "Vinnova"
