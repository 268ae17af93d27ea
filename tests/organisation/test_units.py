"""The register of units: one unit per name whatever the letter case, nested units, and a
closed unit that stays on the cases and users that have it but takes no new ones."""

import json

from sqlmodel import func, select

from caseflow.auth.models import User
from caseflow.cases.models import Case
from caseflow.cli import cli
from caseflow.organisation.models import Unit


def _units(make) -> list[tuple[str, int | None, bool]]:
    make.fresh()
    rows = make.session.exec(select(Unit).order_by(Unit.id)).all()
    return [(u.name, u.parent_id, u.is_active) for u in rows]


def _admin(make, login):
    login(make.user("admin"))


def test_a_unit_typed_in_another_letter_case_is_the_same_unit(make, client, login, runner):
    _admin(make, login)
    assert client.post("/admin/units/", data={"name": "Näringsliv", "parent": 0}).status_code == 302
    response = client.post("/admin/units/", data={"name": "  NÄRINGSLIV ", "parent": 0})
    assert response.status_code == 422
    assert "Det finns redan en enhet" in response.get_data(as_text=True)
    result = runner.invoke(cli, ["unit", "add", "--name", "näringsliv"])
    assert result.exit_code == 2 and len(result.output.strip().splitlines()) == 1
    assert _units(make) == [("Näringsliv", None, True)]
    # A user given "näringsliv" is placed in the one unit there is.
    erik = make.user("official", unit="näringsliv")
    assert make.fresh().get(User, erik.id).unit.name == "Näringsliv"


def test_units_nest_and_list_with_their_path(runner, make):
    result = runner.invoke(cli, ["unit", "add", "--name", "Regional utveckling", "--json"])
    assert json.loads(result.output) == {"name": "Regional utveckling", "parent": None}
    result = runner.invoke(
        cli, ["unit", "add", "--name", "Näringsliv", "--parent", "regional utveckling", "--json"]
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.output) == {"name": "Näringsliv", "parent": "Regional utveckling"}
    runner.invoke(cli, ["unit", "add", "--name", "Ledningsstab"])
    listed = json.loads(runner.invoke(cli, ["unit", "list", "--json"]).output)
    assert [row["path"] for row in listed] == [
        "Ledningsstab",
        "Regional utveckling",
        "Regional utveckling › Näringsliv",
    ]


def test_a_unit_under_a_missing_parent_is_refused_and_nothing_written(runner, make):
    result = runner.invoke(cli, ["unit", "add", "--name", "Näringsliv", "--parent", "Finns ej"])
    assert result.exit_code == 2
    assert "Finns ej" in result.output and len(result.output.strip().splitlines()) == 1
    assert _units(make) == []


def test_a_unit_cannot_be_moved_inside_its_own_sub_unit(make, client, login):
    top = make.unit("Regional utveckling")
    sub = make.unit("Näringsliv", parent=top)
    _admin(make, login)
    response = client.post(f"/admin/units/{top.id}", data={"name": top.name, "parent": sub.id})
    assert response.status_code == 422
    assert "under sig själv" in response.get_data(as_text=True)
    assert _units(make) == [("Regional utveckling", None, True), ("Näringsliv", top.id, True)]


def test_renaming_a_unit_renames_it_for_its_users(make, client, login):
    erik = make.user("official", unit="Näringsliv")
    unit = make.unit("Näringsliv")
    _admin(make, login)
    response = client.post(
        f"/admin/units/{unit.id}", data={"name": "Näringsliv och turism", "parent": 0}
    )
    assert response.status_code == 302
    assert make.fresh().get(User, erik.id).unit.name == "Näringsliv och turism"
    assert "Näringsliv och turism" in client.get("/admin/users/").get_data(as_text=True)


def test_a_closed_unit_stays_on_those_that_have_it_and_takes_no_new(make, client, login, runner):
    erik = make.user("official", name="Erik Noaksson", unit="Näringsliv")
    case = make.case(unit=make.unit("Näringsliv"))
    unit = make.unit("Näringsliv")
    make.unit("Ledningsstab")
    result = runner.invoke(cli, ["unit", "deactivate", "NÄRINGSLIV"])
    assert result.exit_code == 0, result.output
    listed = json.loads(runner.invoke(cli, ["unit", "list", "--json"]).output)
    assert listed == [
        {"name": "Ledningsstab", "path": "Ledningsstab", "is_active": True},
        {"name": "Näringsliv", "path": "Näringsliv", "is_active": False},
    ]
    make.fresh()
    assert make.session.get(Case, case.id).unit_id == unit.id  # the case keeps it
    _admin(make, login)
    # Editing Erik without touching his unit keeps the closed unit.
    response = client.post(
        f"/admin/users/{erik.id}/edit",
        data={"name": "Erik Noaksson", "email": erik.email, "role": "official", "unit_id": unit.id},
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:300]
    assert make.fresh().get(User, erik.id).unit_id == unit.id
    # A new user cannot be placed in it.
    users_before = make.session.exec(select(func.count()).select_from(User)).one()
    make.fresh()
    response = client.post(
        "/admin/users/new",
        data={
            "email": "ny@regionjh.se",
            "name": "Ny Handläggare",
            "role": "official",
            "unit_id": unit.id,
            "password": "ett långt lösenord för test",
            "is_enabled": "y",
        },
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Inte ett giltigt val" in page and ">Näringsliv</option>" not in page
    assert make.fresh().exec(select(func.count()).select_from(User)).one() == users_before
    make.fresh()  # end the read, so that the requests below can write
    # … and the new-case form does not offer it.
    assert client.post("/logout").status_code == 302
    login(make.user("registrar"))
    form = client.get("/cases/new")
    assert form.status_code == 200 and ">Ledningsstab</option>" in form.get_data(as_text=True)
    assert ">Näringsliv</option>" not in form.get_data(as_text=True)
    # Opened again, it is offered again.
    assert runner.invoke(cli, ["unit", "activate", "Näringsliv"]).exit_code == 0
    assert ">Näringsliv</option>" in client.get("/cases/new").get_data(as_text=True)


def test_a_unit_inside_a_closed_unit_can_still_be_renamed(make, client, login, runner):
    top = make.unit("Regional utveckling")
    sub = make.unit("Näringsliv", parent=top)
    assert runner.invoke(cli, ["unit", "deactivate", "Regional utveckling"]).exit_code == 0
    _admin(make, login)
    page = client.get(f"/admin/units/{sub.id}").get_data(as_text=True)
    assert f'<option selected value="{top.id}">' in page  # its place is shown as it is
    response = client.post(
        f"/admin/units/{sub.id}", data={"name": "Näringsliv och turism", "parent": top.id}
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:300]
    assert _units(make) == [
        ("Regional utveckling", None, False),
        ("Näringsliv och turism", top.id, True),
    ]
    # Moving another unit into the closed one is still refused.
    other = make.unit("Ledningsstab")
    response = client.post(
        f"/admin/units/{other.id}", data={"name": "Ledningsstab", "parent": top.id}
    )
    assert response.status_code == 422
    assert _units(make)[-1] == ("Ledningsstab", None, True)


def test_no_new_unit_is_placed_inside_a_closed_unit_from_the_command_line(runner, make):
    runner.invoke(cli, ["unit", "add", "--name", "Regional utveckling"])
    runner.invoke(cli, ["unit", "deactivate", "Regional utveckling"])
    result = runner.invoke(
        cli, ["unit", "add", "--name", "Näringsliv", "--parent", "Regional utveckling"]
    )
    assert result.exit_code == 2
    assert "används inte längre" in result.output and len(result.output.strip().splitlines()) == 1
    assert _units(make) == [("Regional utveckling", None, False)]


def test_a_name_too_long_once_case_folded_is_refused_not_a_database_error(runner, make):
    result = runner.invoke(cli, ["unit", "add", "--name", "Straße" * 30])  # 180 letters, 210 folded
    assert result.exit_code == 2 and "200" in result.output
    assert _units(make) == []
