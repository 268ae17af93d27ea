"""A registrar adds a counterpart to a case: validated, recorded, and refused on a voided case."""

import json

import pytest

from caseflow.cases.models import Case
from caseflow.cases.services import add_party, void_case
from caseflow.common.audit import events_for_case
from caseflow.common.errors import ValidationError


def test_a_registrar_adds_the_lansstyrelsen_as_counterpart(make, app):
    case = make.case("Inbjudan att ingå i Myndighetsnätverket")
    registrar = make.user("registrar")
    with app.app_context():
        add_party(
            make.session,
            make.session.merge(case),
            name=None,
            organisation="  Länsstyrelsen Jämtlands län ",
            email="jamtland@lansstyrelsen.se",
            user=registrar,
        )
        make.session.commit()
    (party,) = make.fresh().get(Case, case.id).parties
    assert party.organisation == "Länsstyrelsen Jämtlands län" and party.name is None
    event = events_for_case(make.session, case.id)[-1]
    assert event.action == "case.add_party" and event.actor_id == registrar.id
    assert "Länsstyrelsen Jämtlands län" in json.loads(event.after)["party"]


def test_a_counterpart_needs_a_name_an_organisation_or_an_address(make, app):
    case = make.case()
    with app.app_context(), pytest.raises(ValidationError, match="Ange ett namn"):
        add_party(make.session, case, name=" ", organisation="", email=None)


def test_a_voided_case_gets_no_new_counterparts(make, app):
    case = make.case()
    with app.app_context():
        void_case(make.session, case, reason="Registrerat två gånger")
        make.session.commit()
        with pytest.raises(ValidationError, match="RS/1/2021 är makulerat"):
            add_party(make.session, case, name="Anna Berg", organisation=None, email=None)


def test_the_case_page_adds_a_counterpart(make, client, login):
    case = make.case()
    login(make.user("registrar"))
    response = client.post(f"/cases/{case.number}/parties", data={"organisation": "Vinnova"})
    assert response.status_code == 302
    assert [p.organisation for p in make.fresh().get(Case, case.id).parties] == ["Vinnova"]
    timeline = client.get(f"/cases/{case.number}").get_data(as_text=True)
    assert "Motpart lades till" in timeline  # the label the cases domain registered
