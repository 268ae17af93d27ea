"""The parties register: a registrar keeps organisations and persons once, cases and
documents point at them, duplicates are merged without rewriting what was registered, and
a protected person stays hidden from those without the right."""

from __future__ import annotations

import json

import pytest
from sqlmodel import select

from caseflow.cases.models import CaseParty
from caseflow.common.identity import normalise_org_number
from caseflow.common.models import AuditEvent
from caseflow.documents.models import Document
from caseflow.parties.models import Party


@pytest.mark.parametrize(
    ("written", "stored"),
    [
        ("556016-0680", "556016-0680"),  # Telefonaktiebolaget L M Ericsson
        ("5560160680", "556016-0680"),
        ("16556016-0680", "556016-0680"),  # with Skatteverket's century prefix
        ("202100-2627", "202100-2627"),  # a public authority (2…)
        ("556016-0681", None),  # one digit off: the check digit fails
        ("55601-0680", None),
    ],
)
def test_a_swedish_organisation_number_carries_a_check_digit(written, stored):
    assert normalise_org_number(written) == stored


def test_a_registrar_adds_an_organisation_with_its_domains(make, client, login):
    login(make.user("registrar"))
    response = client.post(
        "/parties/new",
        data={
            "kind": "organisation",
            "name": "Länsstyrelsen Jämtlands län",
            "org_number": "2021002627",
            "domains": "lansstyrelsen.se, LST.se",
            "postal_address": "831 86 Östersund",
            "organisation_id": "0",
        },
    )
    assert response.status_code == 302
    org = make.fresh().exec(select(Party)).one()
    assert (org.kind, org.org_number) == ("organisation", "202100-2627")
    assert [d.domain for d in org.domains] == ["lansstyrelsen.se", "lst.se"]
    listing = client.get("/parties/?q=länsstyrelsen").get_data(as_text=True)
    assert "Länsstyrelsen Jämtlands län" in listing and "lansstyrelsen.se" in listing


def test_a_wrong_organisation_number_is_refused_and_nothing_is_written(make, client, login):
    login(make.user("registrar"))
    response = client.post(
        "/parties/new",
        data={"kind": "organisation", "name": "Fel AB", "org_number": "556016-0681"},
    )
    assert response.status_code == 422
    assert "556016-0681" in response.get_data(as_text=True)
    assert make.fresh().exec(select(Party)).all() == []


def test_a_foreign_organisation_needs_no_swedish_number(make, client, login):
    login(make.user("registrar"))
    response = client.post(
        "/parties/new",
        data={
            "kind": "organisation",
            "name": "Trøndelag fylkeskommune",
            "is_foreign": "y",
            "country": "no",
            "org_number": "817 920 632",
        },
    )
    assert response.status_code == 302
    org = make.fresh().exec(select(Party)).one()
    assert (org.country, org.org_number) == ("NO", "817 920 632")


def test_a_protected_person_is_hidden_from_those_without_the_right(make, client, login):
    make.party("Skyddad Persson", kind="person", email="skyddad@example.se", is_protected=True)
    login(make.user("official"))
    listing = client.get("/parties/").get_data(as_text=True)
    assert "Skyddad Persson" not in listing and "skyddad@example.se" not in listing
    assert "Skyddad identitet" in listing
    # A search by the name finds nothing: a hit would tell that the name is there.
    assert "Skyddad identitet" not in client.get("/parties/?q=skyddad").get_data(as_text=True)

    client.post("/logout")
    login(make.user("registrar"))
    assert "Skyddad Persson" in client.get("/parties/?q=skyddad").get_data(as_text=True)


def test_a_protected_sender_is_masked_on_the_case_page_of_another_official(make, client, login):
    erik = make.user("official", name="Erik Noaksson")
    person = make.party("Skyddad Persson", kind="person", is_protected=True)
    case = make.case(officer=erik, parties=[{"name": "Skyddad Persson", "party_id": person.id}])
    make.document(case, counterpart="Skyddad Persson", party_id=person.id)
    login(make.user("official"))
    page = client.get(f"/cases/{case.number}").get_data(as_text=True)
    assert "Skyddad Persson" not in page and "Skyddad identitet" in page
    client.post("/logout")
    login(erik)  # the officer of the case sees whom it concerns
    assert "Skyddad Persson" in client.get(f"/cases/{case.number}").get_data(as_text=True)


def test_a_case_counterpart_is_found_in_the_register_by_its_address(make):
    first = make.case(parties=[{"name": "Anna Vinnova", "email": "Anna@Vinnova.se"}])
    second = make.case(parties=[{"name": "Anna Andersson", "email": "anna@vinnova.se"}])
    (a,), (b,) = first.parties, second.parties
    assert a.party_id is not None and a.party_id == b.party_id
    assert b.name == "Anna Andersson"  # the case keeps the text it was registered with


def test_a_document_from_a_registered_address_is_linked_to_that_party(make):
    susanna = make.party("Susanna Löfgren", email="susanna.lofgren@lansstyrelsen.se")
    case = make.case()
    doc = make.document(
        case,
        counterpart="Länsstyrelsen Jämtlands län, Susanna Löfgren",
        counterpart_email="Susanna.Lofgren@Lansstyrelsen.se",
    )
    assert doc.party_id == susanna.id
    assert doc.counterpart == "Länsstyrelsen Jämtlands län, Susanna Löfgren"  # as registered
    unknown = make.document(case, counterpart="Okänd", counterpart_email="okand@example.se")
    secret = make.document(
        case,
        counterpart="Susanna Löfgren",
        counterpart_email="susanna.lofgren@lansstyrelsen.se",
        counterpart_is_secret=True,
        secrecy_provision="OSL 21 kap. 1 §",
    )
    # An unknown address links nothing; a secret sender is not tied to a register more
    # people read than the case.
    assert unknown.party_id is None and secret.party_id is None


def test_merging_duplicates_relinks_and_keeps_the_registered_text(make, client, login):
    keep = make.party("Vinnova", kind="organisation")
    duplicate = make.party("VINNOVA", kind="organisation")
    case = make.case(parties=[{"organisation": "VINNOVA", "party_id": duplicate.id}])
    doc = make.document(case, counterpart="VINNOVA, registrator", party_id=duplicate.id)
    login(make.user("registrar"))
    response = client.post(
        "/parties/merge", data={"keep_id": keep.id, "duplicate_id": duplicate.id}
    )
    assert response.status_code == 302
    session = make.fresh()
    assert session.get(Document, doc.id).party_id == keep.id
    assert session.get(Document, doc.id).counterpart == "VINNOVA, registrator"
    assert session.exec(select(CaseParty)).one().party_id == keep.id
    assert session.get(Party, duplicate.id).merged_into_id == keep.id
    event = session.exec(select(AuditEvent).where(AuditEvent.action == "party.merge")).one()
    assert json.loads(event.after)["relinked"] == {"case_party.party_id": 1, "document.party_id": 1}
    listing = client.get("/parties/").get_data(as_text=True)
    assert "VINNOVA" not in listing  # the merged one is no longer listed


def test_duplicates_are_found_by_address(make, client, login):
    make.party("Susanna Löfgren", kind="person", email="susanna.lofgren@lansstyrelsen.se")
    make.party("S. Löfgren", kind="person", email="Susanna.Lofgren@lansstyrelsen.se")
    login(make.user("registrar"))
    page = client.get("/parties/duplicates").get_data(as_text=True)
    assert "S. Löfgren" in page and "Slå ihop" in page


def test_the_command_adds_and_lists_parties(make, runner):
    from caseflow.cli import cli

    added = runner.invoke(
        cli, ["party", "add", "--kind", "organisation", "--name", "Vinnova",
              "--org-number", "202100-5208", "--domain", "vinnova.se", "--json"],
    )  # fmt: skip
    assert added.exit_code == 0, added.output
    assert json.loads(added.output)["domains"] == ["vinnova.se"]
    refused = runner.invoke(
        cli, ["party", "add", "--kind", "organisation", "--name", "X", "--org-number", "1"]
    )
    assert refused.exit_code == 2 and "Traceback" not in refused.output
    make.party("Skyddad Persson", kind="person", is_protected=True)
    listed = runner.invoke(cli, ["party", "list", "--json"])
    names = [row["name"] for row in json.loads(listed.output)]
    assert "Vinnova" in names and "Skyddad Persson" not in names


def test_a_search_by_a_protected_name_finds_no_case_for_others(make, client, login):
    erik = make.user("official", name="Erik Noaksson")
    person = make.party("Skyddad Persson", kind="person", is_protected=True)
    case = make.case(
        "Ansökan om färdtjänst",
        officer=erik,
        parties=[{"name": "Skyddad Persson", "party_id": person.id}],
    )
    login(make.user("official"))
    assert case.number not in client.get("/cases/?q=Persson").get_data(as_text=True)
    client.post("/logout")
    login(make.user("registrar"))
    assert case.number in client.get("/cases/?q=Persson").get_data(as_text=True)
