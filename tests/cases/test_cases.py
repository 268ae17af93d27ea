"""Opening, correcting and voiding cases; secrecy of the case title."""

from datetime import date

import pytest
from sqlmodel import select

from caseflow.cases.models import Case, CaseStatus
from caseflow.cases.queries import CaseFilter, list_cases
from caseflow.cases.services import get_case_by_number, open_case, update_case, void_case
from caseflow.common.errors import CaseflowError, ConflictError, ValidationError
from caseflow.common.secrecy import case_to_dict
from caseflow.db import new_session


def test_a_registrar_opens_the_coworking_case(make):
    erik = make.user("official", name="Erik Noaksson", unit="Näringsliv")
    case = make.case(
        "Projekt Test av coworking och hybridarbete inom Samverket i Östersund",
        officer=erik,
        parties=[{"organisation": "Vinnova", "email": "registrator@vinnova.se"}],
        due_on=date(2021, 12, 1),
    )
    assert case.status == CaseStatus.REGISTERED
    assert case.unit.name == "Näringsliv"  # taken from the officer when not given
    assert case.version == 1
    assert [p.organisation for p in case.parties] == ["Vinnova"]
    assert get_case_by_number(make.session, "rs/1/2021").id == case.id


@pytest.mark.parametrize(
    "fields, message",
    [
        ({"title": "  "}, "The case title is missing"),
        ({"title_is_secret": True, "public_title": "Ärende"}, "secrecy provision"),
        (
            {"title_is_secret": True, "secrecy_provision": "OSL 21 kap. 1 §"},
            "public title",
        ),
        ({"series_code": "XX"}, "does not exist"),
        ({"year": 1066}, "is not valid"),
    ],
)
def test_bad_case_data_is_refused_with_a_clear_message(make, fields, message):
    make.series("RS")
    args = {"series_code": "RS", "title": "Ett ärende", "year": 2021} | fields
    with pytest.raises(CaseflowError, match=message):
        open_case(make.session, **args)


def test_an_inactive_officer_cannot_be_given_a_case(make):
    retired = make.user("official", enabled=False)
    make.series("RS")
    with pytest.raises(ValidationError, match="is not active"):
        open_case(make.session, series_code="RS", title="x", officer=retired)


def test_the_second_of_two_concurrent_edits_gets_a_conflict(make, app):
    """Karin and Lena open the same case; Karin saves first; Lena's save is refused."""
    case = make.case("Ursprunglig ärendemening")
    engine = app.extensions["caseflow.engine"]

    def open_form(session):
        return session.get(Case, case.id).version  # the hidden field in the edit form

    karin, lena = new_session(engine), new_session(engine)
    karins_version = open_form(karin)
    karin.commit()
    lenas_version = open_form(lena)
    lena.commit()

    update_case(
        karin, karin.get(Case, case.id), expected_version=karins_version, title="Rättad av Karin"
    )
    karin.commit()
    with pytest.raises(ConflictError, match="Someone else has changed"):
        update_case(
            lena, lena.get(Case, case.id), expected_version=lenas_version, title="Rättad av Lena"
        )
    lena.rollback()
    make.session.expire_all()
    saved = make.session.get(Case, case.id)
    assert (saved.title, saved.version) == ("Rättad av Karin", 2)
    karin.close()
    lena.close()


def test_a_stale_object_is_caught_at_flush_as_a_conflict(make, app):
    """Even when the version check passes in memory, the database has the last word."""
    case = make.case("Ursprunglig ärendemening")
    engine = app.extensions["caseflow.engine"]
    session = new_session(engine)
    stale = session.get(Case, case.id)
    session.commit()  # ends the read; the loaded object keeps version 1
    other = new_session(engine)
    update_case(other, other.get(Case, case.id), expected_version=1, title="Först")
    other.commit()
    other.close()
    with pytest.raises(ConflictError):
        update_case(session, stale, expected_version=1, title="Sen")
    session.rollback()
    session.close()


def test_voiding_needs_a_reason_and_keeps_the_case_visible(make):
    registrar = make.user("registrar")
    case = make.case()
    with pytest.raises(ValidationError, match="reason for voiding"):
        void_case(make.session, case, reason=" ")
    void_case(make.session, case, reason="Dubbelregistrerat")
    make.session.commit()
    page = list_cases(make.session, registrar, CaseFilter())
    assert [c.number for c in page.items] == [case.number]
    assert page.items[0].is_voided and page.items[0].void_reason == "Dubbelregistrerat"
    with pytest.raises(ValidationError, match="is void"):
        update_case(make.session, case, expected_version=case.version, title="Ny")


def _secret_case(make, officer):
    return make.case(
        "Utredning om enskild patient Anna Andersson",
        officer=officer,
        title_is_secret=True,
        public_title="Utredning enligt patientsäkerhetslagen",
        secrecy_provision="OSL 25 kap. 1 §",
        parties=[{"name": "Vårdgivare AB"}],
    )


def test_a_secret_title_is_masked_for_those_who_may_not_see_it(make):
    owner = make.user("official")
    other = make.user("official")
    registrar, admin = make.user("registrar"), make.user("admin")
    case = _secret_case(make, owner)
    for viewer in (owner, registrar):
        assert case_to_dict(case, viewer)["title"] == "Utredning om enskild patient Anna Andersson"
    for viewer in (other, admin, None):
        data = case_to_dict(case, viewer)
        assert data["title"] == "Utredning enligt patientsäkerhetslagen"
        assert "Anna Andersson" not in str(data)


def test_searching_a_secret_title_finds_nothing_for_others(make):
    owner, other = make.user("official"), make.user("official")
    _secret_case(make, owner)
    make.case("Ansökan om projektmedel")
    found = lambda viewer, q: [  # noqa: E731
        c.number for c in list_cases(make.session, viewer, CaseFilter(q=q)).items
    ]
    assert found(owner, "anna andersson") == ["RS/1/2021"]
    assert found(other, "anna andersson") == []
    assert found(other, "patientsäkerhetslagen") == ["RS/1/2021"]


def test_search_by_number_title_and_counterpart(make):
    make.series("RS")
    cases = [
        make.case(
            "Inbjudan att ingå i Myndighetsnätverket",
            parties=[
                {
                    "organisation": "Länsstyrelsen Jämtlands län",
                    "email": "susanna.lofgren@lansstyrelsen.se",
                }
            ],
        ),
        make.case(
            "Projekt Test av coworking och hybridarbete i Östersund",
            parties=[{"organisation": "Vinnova"}],
        ),
    ]
    for n in range(3, 73):
        make.session.add(
            Case(
                series_id=cases[0].series_id,
                year=2021,
                seq=n,
                number=f"RS/{n}/2021",
                title=f"Ärende {n}",
                opened_on=date(2021, 1, 1),
            )
        )
    make.session.commit()
    registrar = make.user("registrar")

    def search(q):
        return [c.number for c in list_cases(make.session, registrar, CaseFilter(q=q)).items]

    assert search("RS/7/2021") == ["RS/7/2021"]  # a whole number: not RS/70/2021
    assert search("rs 7/2021") == ["RS/7/2021"]
    assert sorted(search("RS/7")) == sorted(["RS/7/2021"] + [f"RS/{n}/2021" for n in range(70, 73)])
    assert search("ÖSTERSUND") == ["RS/2/2021"]  # Swedish letters fold on SQLite too
    assert search("länsstyrelsen") == ["RS/1/2021"]
    assert search("lofgren@") == ["RS/1/2021"]
    assert search("100%") == []


def test_filters_combine(make):
    erik = make.user("official")
    make.series("HSN", "Hälso- och sjukvårdsnämnden")
    a = make.case(officer=erik, year=2021)
    make.case(year=2021)
    make.case(series="HSN", officer=erik, year=2022)
    registrar = make.user("registrar")
    page = list_cases(make.session, registrar, CaseFilter(officer_id=erik.id, series="RS"))
    assert [c.number for c in page.items] == [a.number]
    page = list_cases(make.session, registrar, CaseFilter(year=2022))
    assert [c.number for c in page.items] == ["HSN/1/2022"]
    page = list_cases(make.session, registrar, CaseFilter(status="closed"))
    assert page.items == [] and page.total == 0


def test_paging_returns_every_case_once(make):
    make.series("RS")
    for n in range(1, 124):
        make.session.add(
            Case(
                series_id=1,
                year=2020,
                seq=n,
                number=f"RS/{n}/2020",
                title=f"Ärende {n}",
                opened_on=date(2020, 1, 1 + n % 28),
            )
        )
    make.session.commit()
    registrar = make.user("registrar")
    seen = []
    for page_no in (1, 2, 3):
        page = list_cases(make.session, registrar, CaseFilter(), page=page_no, per_page=50)
        assert page.total == 123 and page.pages == 3
        seen += [c.number for c in page.items]
    assert len(seen) == len(set(seen)) == 123
    assert make.session.exec(select(Case).where(Case.number == "RS/1/2020")).one()
