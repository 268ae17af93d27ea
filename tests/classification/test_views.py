"""The admin's pages of the structure, and the registrar's process picker (no JavaScript)."""

import html
import json
import re

import pytest
from sqlmodel import select

from caseflow.cases.models import Case
from caseflow.classification.models import ClassificationClass
from caseflow.common.models import AuditEvent


def text(response):
    return html.unescape(response.get_data(as_text=True))


@pytest.fixture
def admin(make, login):
    user = make.user("admin")
    login(user)
    return user


def _class(make, code):
    make.fresh()
    return make.session.exec(
        select(ClassificationClass).where(ClassificationClass.code == code)
    ).first()


def test_the_admin_sees_the_tree_with_its_retention_rules(make, client, admin):
    make.classification()
    page = text(client.get("/admin/classification/"))
    for expected in ("Styra och leda", "1.1.1", "Ta fram budget", "RA-MS 2020:1",
                     "OSL 39 kap. 3 §", "Verksamhetsområde", "Processgrupp"):  # fmt: skip
        assert expected in page, expected
    # Tree order: the area, its group, the group's processes, then the next group.
    assert (
        page.index("Ta fram budget")
        < page.index("Bereda och besluta")
        < page.index("Utveckla regionen")
    )


def test_the_admin_adds_a_process_under_its_group(make, client, admin):
    make.classification()
    response = client.post(
        "/admin/classification/new",
        data={
            "code": "2.3.2",
            "title": "Följa upp projekt",
            "retention_action": "dispose",
            "retention_years": "10",
            "retention_decision": "RA-MS 2020:1",
            "secrecy_note": "",
        },
    )
    assert response.status_code == 302
    added = _class(make, "2.3.2")
    assert added.parent_id == _class(make, "2.3").id and added.retention_years == 10
    actions = make.session.exec(select(AuditEvent.action)).all()
    assert actions.count("classification.create") == 14


def test_a_broken_rule_is_refused_on_the_form_and_nothing_is_written(make, client, admin):
    make.classification()
    response = client.post(
        "/admin/classification/new",
        data={"code": "2.3.2", "title": "Följa upp projekt", "retention_action": "dispose"},
    )
    assert response.status_code == 422
    assert "hur många år handlingarna gallras" in text(response)
    assert _class(make, "2.3.2") is None
    response = client.post("/admin/classification/new", data={"code": "2..3", "title": "X"})
    assert response.status_code == 422 and _class(make, "2..3") is None


def test_the_admin_edits_and_deactivates_a_class(make, client, admin):
    classes = make.classification()
    process = classes["1.2.2"]
    form = text(client.get(f"/admin/classification/{process.id}/edit"))
    assert 'value="Regionstyrelsens gallringsbeslut RS/55/2020"' in form
    response = client.post(
        f"/admin/classification/{process.id}/edit",
        data={"title": "Anmäla delegationsbeslut till nämnd", "parent_code": "1.2",
              "retention_action": "dispose", "retention_years": "5",
              "retention_decision": "Regionstyrelsens gallringsbeslut RS/55/2020"},
    )  # fmt: skip
    assert response.status_code == 302
    assert _class(make, "1.2.2").retention_years == 5
    assert client.post(f"/admin/classification/{process.id}/active").status_code == 302
    assert _class(make, "1.2.2").is_active is False
    client.post(f"/admin/classification/{process.id}/active")
    assert _class(make, "1.2.2").is_active is True


def test_a_class_in_use_cannot_be_removed(make, client, admin):
    classes = make.classification()
    make.case("Budget 2022", class_id=classes["1.1.1"].id)
    response = client.post(f"/admin/classification/{classes['1.1.1'].id}/remove")
    assert response.status_code == 303
    assert response.headers["Location"] == "/admin/classification/"
    assert "används av 1 ärenden" in text(client.get("/admin/classification/"))
    assert _class(make, "1.1.1") is not None
    response = client.post(f"/admin/classification/{classes['1.1.2'].id}/remove")
    assert response.status_code == 302 and _class(make, "1.1.2") is None


def test_the_case_form_offers_processes_grouped_without_javascript(make, client, login):
    classes = make.classification()
    make.series("RS")
    login(make.user("registrar"))
    page = text(client.get("/cases/new"))
    select_html = re.search(r'<select[^>]*id="class_id".*?</select>', page, re.S).group(0)
    assert '<label for="class_id">' in page
    assert '<optgroup label="1 Styra och leda › 1.1 Planera och följa upp">' in select_html
    assert f'<option value="{classes["1.1.1"].id}">1.1.1 Ta fram budget</option>' in select_html
    # Areas and groups are headings, never choices.
    assert f'value="{classes["1.1"].id}"' not in select_html
    assert "<script" not in page
    response = client.post(
        "/cases/new",
        data={"series": "RS", "title": "Budget 2022", "officer_id": "0",
              "class_id": str(classes["1.1.1"].id)},
    )  # fmt: skip
    assert response.status_code == 302
    case_page = text(client.get(response.headers["Location"]))
    assert "1.1.1 Ta fram budget" in case_page
    refused = client.post(
        "/cases/new",
        data={"series": "RS", "title": "Budget", "class_id": str(classes["1.1"].id)},
    )
    assert refused.status_code == 422
    assert len(make.session.exec(select(Case)).all()) == 1


def test_a_case_keeps_its_class_when_the_class_is_deactivated(make, client, login):
    classes = make.classification()
    case = make.case("Delegationsbeslut maj", class_id=classes["1.2.2"].id)
    login(make.user("admin"))
    client.post(f"/admin/classification/{classes['1.2.2'].id}/active")
    client.post("/logout")
    login(make.user("registrar"))
    form = text(client.get(f"/cases/{case.number}/edit"))
    assert re.search(r'<option selected value="\d+">1.2.2 Anmäla delegationsbeslut', form)
    response = client.post(
        f"/cases/{case.number}/edit",
        data={"title": "Delegationsbeslut juni", "officer_id": "0", "version": "1",
              "class_id": str(classes["1.2.2"].id), "reason": "Ny månad"},
    )  # fmt: skip
    assert response.status_code == 302
    make.fresh()
    assert make.session.get(Case, case.id).class_id == classes["1.2.2"].id


def test_the_json_of_a_case_carries_its_class(make, runner):
    from caseflow.cli import cli

    classes = make.classification()
    case = make.case("Projektmedel", class_id=classes["2.3.1"].id)
    data = json.loads(runner.invoke(cli, ["case", "show", case.number, "--json"]).output)
    assert (data["class_code"], data["class_title"]) == ("2.3.1", "Handlägga projektmedel")
