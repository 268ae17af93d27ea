"""Correcting a case (rättelse): every change names its reason, is one audited event, and
reads in the timeline as what changed from what to what."""

import json

import pytest
from sqlmodel import select

from caseflow.cases.models import Case
from caseflow.cases.services import update_case
from caseflow.common.errors import ValidationError
from caseflow.common.models import AuditEvent


def _updates(make, case):
    return (
        make.fresh()
        .exec(
            select(AuditEvent).where(
                AuditEvent.action == "case.update", AuditEvent.case_id == case.id
            )
        )
        .all()
    )


def test_a_correction_without_a_reason_is_refused(make):
    case = make.case()
    with pytest.raises(ValidationError, match="reason for the correction"):
        update_case(make.session, case, expected_version=case.version, reason="  ", title="Ny")
    make.session.rollback()
    assert _updates(make, case) == []


def test_a_correction_that_changes_nothing_is_refused(make):
    case = make.case("Projekt Test")
    with pytest.raises(ValidationError, match="Nothing was changed"):
        update_case(
            make.session, case, expected_version=case.version, reason="Koll", title="Projekt Test"
        )


def test_the_officer_and_unit_are_corrected_in_one_event_with_the_reason(make):
    erik = make.user("official", name="Erik Noaksson")
    anna = make.user("official", name="Anna Berg")
    case = make.case(officer=erik, unit=make.unit("Näringsliv"))
    update_case(
        make.session,
        case,
        expected_version=case.version,
        reason="Fel handläggare vid registreringen",
        officer_id=anna.id,
        unit_id=make.unit("Ledningsstab").id,
    )
    make.session.commit()
    (event,) = _updates(make, case)
    before, after = json.loads(event.before), json.loads(event.after)
    assert (before["officer"], after["officer"]) == ("Erik Noaksson", "Anna Berg")
    assert (before["unit"], after["unit"]) == ("Näringsliv", "Ledningsstab")
    assert after["correction"]["reason"] == "Fel handläggare vid registreringen"


def test_the_edit_form_requires_a_reason_and_the_timeline_reads_the_correction(make, client, login):
    case = make.case("Projekt Test av coworking")
    login(make.user("registrar"))
    form = {
        "title": "Projekt Test av coworking och hybridarbete",
        "officer_id": "0",
        "version": "1",
    }
    missing = client.post(f"/cases/{case.number}/edit", data=form)
    assert missing.status_code == 422
    assert 'id="reason"' in missing.get_data(as_text=True)
    assert make.fresh().get(Case, case.id).title == "Projekt Test av coworking"
    saved = client.post(f"/cases/{case.number}/edit", data=form | {"reason": "Ofullständig"})
    assert saved.status_code == 302
    page = client.get(f"/cases/{case.number}").get_data(as_text=True)
    assert (
        "Rättelse: Ärendemening ändrad från Projekt Test av coworking till "
        "Projekt Test av coworking och hybridarbete — skäl: Ofullständig"
    ) in page


def test_a_secret_case_title_corrected_is_masked_for_other_staff(make, client, login):
    officer = make.user("official")
    case = make.case(
        "Utredning om Anna A",
        officer=officer,
        title_is_secret=True,
        public_title="Utredning om en enskild",
        secrecy_provision="OSL 26 kap. 1 §",
    )
    update_case(
        make.session,
        case,
        expected_version=case.version,
        reason="Fel namn",
        title="Utredning om Anna B",
    )
    make.session.commit()
    login(make.user("official"))
    page = client.get(f"/cases/{case.number}").get_data(as_text=True)
    assert "Anna A" not in page and "Anna B" not in page
    assert "Ärendemening ändrad från [Sekretess: OSL 26 kap. 1 §] till" in page
