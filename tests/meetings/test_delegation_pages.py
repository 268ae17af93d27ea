"""The delegationsordning's pages under the body, and the decision's page with its dispatch."""

import re
from datetime import date

from sqlmodel import select

from caseflow.cases.models import Case
from caseflow.meetings import delegation as register
from caseflow.meetings.dispatch_models import Dispatch
from tests.meetings.conftest import RESTING_ON
from tests.meetings.test_delegation import _decide


def test_the_admin_keeps_the_delegationsordning_under_the_body(make, app, client, login):
    organ = make.organ("Regionstyrelsen")
    login(make.user("admin"))
    body = client.get(f"/admin/bodies/{organ.id}").get_data(as_text=True)
    assert f"/admin/bodies/{organ.id}/delegations" in body
    added = client.post(
        f"/admin/bodies/{organ.id}/delegations",
        data={
            "code": "3.2",
            "matter": "Beslut om medfinansiering av projekt upp till 500 000 kr",
            "delegate": "Regiondirektör",
            "resting_on": RESTING_ON,
            "valid_from": "2021-03-01",
        },
    )
    assert added.status_code == 302
    refused = client.post(
        f"/admin/bodies/{organ.id}/delegations",
        data={"code": "3.2", "matter": "x", "delegate": "y", "resting_on": RESTING_ON}
        | {"valid_from": "2021-03-01"},
    )
    assert refused.status_code == 422 and "redan" in refused.get_data(as_text=True)
    (delegation,) = register.delegations_of(make.fresh(), make.session.merge(organ))
    make.fresh()
    edited = client.post(
        f"/admin/bodies/{organ.id}/delegations/{delegation.id}",
        data={"code": "3.2", "matter": "Medfinansiering", "delegate": "Regiondirektör"}
        | {"resting_on": RESTING_ON, "valid_from": "2021-03-01", "valid_to": "2022-12-31"},
    )
    assert edited.status_code == 302
    client.post(f"/admin/bodies/{organ.id}/delegations/{delegation.id}/deactivate")
    page = client.get(f"/admin/bodies/{organ.id}/delegations").get_data(as_text=True)
    assert "Medfinansiering" in page and "används inte" in page
    stored = make.fresh().get(type(delegation), delegation.id)
    assert (stored.valid_to, stored.is_active) == (date(2022, 12, 31), False)
    make.fresh()
    from tests.factories import PASSWORD

    official, other = make.user("official"), app.test_client()
    other.post("/login", data={"email": official.email, "password": PASSWORD})
    assert other.get(f"/admin/bodies/{organ.id}/delegations").status_code == 403


def test_the_manager_sends_the_decision_from_its_page(make, app, board, preparing, client, login):
    _organ, delegation = board
    case = preparing()
    _decide(make, app, case, delegation, user=preparing.erik)
    login(preparing.hans)
    case_page = client.get(f"/cases/{case.number}").get_data(as_text=True)
    assert "Skicka delegationsbeslutet" in case_page
    page = client.get(f"/cases/{case.number}/delegated-decision").get_data(as_text=True)
    assert "Regionstyrelsen 3.2" in page and "Hans Svensson, Regiondirektör" in page
    assert f"/cases/{case.number}/delegated-decision/dispatch" in page
    form = client.get(f"/cases/{case.number}/delegated-decision/dispatch").get_data(as_text=True)
    # The "Utdrag till" list is chosen: Vinnova and Erik Noaksson.
    chosen = re.findall(r'name="recipients" id="[^"]+" value="([^"]+)" checked', form)
    assert len(chosen) == 2 and "registrator@vinnova.se" in form
    sent = client.post(
        f"/cases/{case.number}/delegated-decision/dispatch", data={"recipients": chosen}
    )
    assert sent.status_code == 302
    make.fresh()
    (dispatch,) = make.session.exec(select(Dispatch)).all()
    assert dispatch.status == "sent" and dispatch.sent_via == "outbox"  # no mail server here
    assert make.session.get(Case, case.id).status == "dispatched"
    page = client.get(f"/cases/{case.number}/delegated-decision").get_data(as_text=True)
    assert "registrator@vinnova.se" in page
