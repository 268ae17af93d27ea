"""The register of series: an admin adds KS and a registrar numbers cases in it; a closed
series keeps its cases and refuses new ones; a series is renamed but its code never changes."""

import json

import pytest
from sqlmodel import func, select

from caseflow.cases.models import Case, Series
from caseflow.cases.services import open_case
from caseflow.cli import cli
from caseflow.common.errors import ValidationError
from caseflow.common.timeutil import today


def _series(make) -> list[tuple[str, str, bool]]:
    make.fresh()
    rows = make.session.exec(select(Series).order_by(Series.code)).all()
    result = [(s.code, s.name, s.is_active) for s in rows]
    make.fresh()  # end the read, so that the next request may write
    return result


def _open_case_on_the_web(client, series, title="Ny cykelväg till Frösön"):
    data = {"series": series, "title": title, "officer_id": 0, "unit_id": 0, "class_id": 0}
    return client.post("/cases/new", data=data)


def test_an_admin_adds_ks_and_a_registrar_opens_the_first_case_in_it(make, client, login):
    login(make.user("admin"))
    response = client.post("/admin/series/", data={"code": " ks ", "name": "Kommunstyrelsen"})
    assert response.status_code == 302
    assert _series(make) == [("KS", "Kommunstyrelsen", True)]
    assert client.post("/logout").status_code == 302
    login(make.user("registrar"))
    form = client.get("/cases/new").get_data(as_text=True)
    assert "KS – Kommunstyrelsen" in form
    response = _open_case_on_the_web(client, "KS")
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    number = f"KS/1/{today().year}"
    assert response.headers["Location"].endswith(f"/cases/{number}")
    case = make.fresh().exec(select(Case)).one()
    make.fresh()
    assert case.number == number and case.title == "Ny cykelväg till Frösön"


@pytest.mark.parametrize("code", ["K1", "KOMMUNS", "K S", "", "KS-2"])
def test_a_code_that_is_not_one_to_six_letters_is_refused(make, client, login, code):
    login(make.user("admin"))
    response = client.post("/admin/series/", data={"code": code, "name": "Något"})
    assert response.status_code == 422
    assert _series(make) == []


def test_swedish_letters_make_a_code_and_the_same_code_twice_is_refused(runner, make):
    result = runner.invoke(cli, ["series", "add", "--code", "vå", "--name", "Vården", "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output) == {
        "code": "VÅ",
        "name": "Vården",
        "is_active": True,
        "publish_files_from": None,
    }
    result = runner.invoke(cli, ["series", "add", "--code", "VÅ", "--name", "Annat"])
    assert result.exit_code == 2
    assert "VÅ" in result.output and len(result.output.strip().splitlines()) == 1
    assert _series(make) == [("VÅ", "Vården", True)]


def test_cli_refuses_a_bad_code_in_one_line_and_writes_nothing(runner, make):
    result = runner.invoke(cli, ["series", "add", "--code", "KS1", "--name", "Kommunstyrelsen"])
    assert result.exit_code == 2
    assert "seriekod" in result.output and len(result.output.strip().splitlines()) == 1
    assert _series(make) == []


def test_a_closed_series_keeps_its_cases_and_refuses_a_new_one(runner, make, app):
    make.series("KS", "Kommunstyrelsen")
    first = make.case("Första ärendet", series="KS", year=2026)
    make.series("RS", "Regionstyrelsen")
    result = runner.invoke(cli, ["series", "deactivate", "ks"])
    assert result.exit_code == 0, result.output
    listed = json.loads(runner.invoke(cli, ["series", "list", "--json"]).output)
    assert listed == [  # open ones first, each with its number of cases
        {"code": "RS", "name": "Regionstyrelsen", "is_active": True, "cases": 0}
        | {"publish_files_from": None},
        {"code": "KS", "name": "Kommunstyrelsen", "is_active": False, "cases": 1}
        | {"publish_files_from": None},
    ]
    session = make.fresh()
    assert session.get(Case, first.id).number == "KS/1/2026"
    with app.app_context(), pytest.raises(ValidationError) as refused:
        open_case(session, series_code="KS", title="Andra ärendet", year=2026)
    session.rollback()
    assert str(refused.value) == "The series »KS« is closed to new cases."
    assert session.exec(select(func.count()).select_from(Case)).one() == 1
    make.fresh()
    # Opened again, it goes on from where it was.
    assert runner.invoke(cli, ["series", "activate", "KS"]).exit_code == 0
    assert make.case("Andra ärendet", series="KS", year=2026).number == "KS/2/2026"


def test_a_closed_series_is_not_offered_to_the_registrar(make, client, login):
    make.series("KS", "Kommunstyrelsen")
    make.series("RS", "Regionstyrelsen")
    login(make.user("admin"))
    ks_id = make.fresh().exec(select(Series.id).where(Series.code == "KS")).one()
    make.fresh()
    assert client.post(f"/admin/series/{ks_id}/active", data={"active": "0"}).status_code == 302
    assert client.post("/logout").status_code == 302
    login(make.user("registrar"))
    form = client.get("/cases/new").get_data(as_text=True)
    assert "RS – Regionstyrelsen" in form and "KS – Kommunstyrelsen" not in form
    assert _open_case_on_the_web(client, "KS").status_code == 422
    assert make.fresh().exec(select(func.count()).select_from(Case)).one() == 0


def test_renaming_a_series_keeps_its_code_and_its_case_numbers(make, client, login):
    case = make.case("Ärende", series="KS", year=2026)
    login(make.user("admin"))
    ks_id = make.fresh().exec(select(Series.id).where(Series.code == "KS")).one()
    make.fresh()
    response = client.post(
        f"/admin/series/{ks_id}", data={"name": "Kommunstyrelsen 2027", "code": "XX"}
    )
    assert response.status_code == 302
    assert _series(make) == [("KS", "Kommunstyrelsen 2027", True)]
    assert make.session.get(Case, case.id).number == "KS/1/2026"
