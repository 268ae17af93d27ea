"""``caseflow user …``: what an admin's scripts rely on."""

import json

import pytest
from sqlmodel import select

from caseflow.auth.models import User
from caseflow.auth.passwords import password_matches
from caseflow.cases.models import Case
from caseflow.cli import cli
from caseflow.common.models import AuditEvent
from tests.factories import PASSWORD

NEW_PASSWORD = "blåbärssoppa vid Storsjön"


def run(runner, *args, input=None):
    return runner.invoke(cli, list(args), input=input)


def _user(make, user_id) -> User:
    make.fresh()
    return make.session.get(User, user_id)


def _imported_officer(make):
    user = make.user("official", name="Erik Noaksson", enabled=False)
    user.password_hash = None
    make.session.commit()
    return user


@pytest.mark.parametrize(
    "command", ["add", "set-password", "set-role", "activate", "deactivate", "list"]
)
def test_every_user_command_has_help(runner, command):
    result = run(runner, "user", command, "--help")
    assert result.exit_code == 0 and "Usage:" in result.output


def test_set_password_reads_it_from_stdin_and_ends_the_users_logins(runner, make, app):
    user = make.user("registrar")
    browser = app.test_client()
    browser.post("/login", data={"email": user.email, "password": PASSWORD})
    result = run(
        runner, "user", "set-password", user.email, "--password-stdin", input=NEW_PASSWORD + "\n"
    )
    assert result.exit_code == 0, result.output
    assert password_matches(_user(make, user.id), NEW_PASSWORD)
    assert browser.get("/").status_code == 302
    make.fresh()
    event = make.session.exec(
        select(AuditEvent).where(AuditEvent.action == "user.set_password")
    ).one()
    assert event.actor_label == "cli" and "$argon2" not in (event.after or "")


def test_set_role_changes_the_role_and_reports_it_as_json(runner, make):
    user = make.user("official")
    result = run(runner, "user", "set-role", user.email, "manager", "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["role"] == "manager"
    assert _user(make, user.id).role == "manager"


def test_set_role_keeps_the_last_admin(runner, make):
    admin = make.user("admin")
    result = run(runner, "user", "set-role", admin.email, "registrar")
    assert result.exit_code == 2
    assert len(result.output.strip().splitlines()) == 1 and "Traceback" not in result.output
    assert _user(make, admin.id).role == "admin"


def test_activate_without_a_password_prints_a_one_time_link(runner, make, app):
    app.config["BASE_URL"] = "https://caseflow.regionjh.se/"
    officer = _imported_officer(make)
    result = run(runner, "user", "activate", officer.email, "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["link"].startswith("https://caseflow.regionjh.se/auth/set-password/")
    assert data["link_valid_hours"] == 24 and data["is_enabled"]
    path = data["link"].removeprefix("https://caseflow.regionjh.se")
    assert app.test_client().get(path).status_code == 200


def test_activate_with_a_password_from_stdin(runner, make):
    officer = _imported_officer(make)
    result = run(
        runner, "user", "activate", officer.email, "--password-stdin", input=NEW_PASSWORD + "\n"
    )
    assert result.exit_code == 0, result.output
    stored = _user(make, officer.id)
    assert stored.is_enabled and password_matches(stored, NEW_PASSWORD)


def test_activate_refuses_a_user_who_was_never_imported(runner, make):
    user = make.user("official")
    result = run(runner, "user", "activate", user.email)
    assert result.exit_code == 2 and "redan aktiverad" in result.output


def test_deactivate_hands_the_open_cases_to_the_successor(runner, make):
    leaving = make.user("official")
    successor = make.user("official")
    case = make.case(officer=leaving)
    refused = run(runner, "user", "deactivate", leaving.email)
    assert refused.exit_code == 2 and "öppna ärenden: 1" in refused.output
    assert _user(make, leaving.id).is_enabled
    result = run(runner, "user", "deactivate", leaving.email, "--cases-to", successor.email)
    assert result.exit_code == 0, result.output
    assert not _user(make, leaving.id).is_enabled
    assert make.session.get(Case, case.id).officer_id == successor.id


def test_deactivate_refuses_an_inactive_successor_and_writes_nothing(runner, make):
    leaving = make.user("official")
    gone = make.user("official", enabled=False)
    case = make.case(officer=leaving)
    result = run(runner, "user", "deactivate", leaving.email, "--cases-to", gone.email)
    assert result.exit_code == 2
    assert _user(make, leaving.id).is_enabled
    assert make.session.get(Case, case.id).officer_id == leaving.id


def test_list_shows_the_users_as_json_and_filters_the_never_activated(runner, make):
    make.user("registrar", name="Karin Ek", unit="Kansli")
    officer = _imported_officer(make)
    everyone = json.loads(run(runner, "user", "list", "--json").output)
    karin = next(u for u in everyone if u["name"] == "Karin Ek")
    assert karin["unit"] == "Kansli" and karin["is_activated"] and "password_hash" not in karin
    waiting = json.loads(run(runner, "user", "list", "--show", "not_activated", "--json").output)
    assert [u["email"] for u in waiting] == [officer.email]


@pytest.mark.parametrize(
    "args",
    [
        ("set-password", "nobody@regionjh.se", "--password-stdin"),
        ("set-role", "nobody@regionjh.se", "admin"),
        ("set-role", "{email}", "king"),
        ("activate", "nobody@regionjh.se"),
        ("deactivate", "{email}", "--cases-to", "nobody@regionjh.se"),
        ("list", "--show", "everyone"),
    ],
)
def test_bad_input_is_one_line_exit_2_and_nothing_written(runner, make, args):
    user = make.user("official")
    before = _user(make, user.id).model_dump()
    result = run(
        runner, "user", *(a.format(email=user.email) for a in args), input=NEW_PASSWORD + "\n"
    )
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    # One line of ours (click's own usage errors add their usage lines above it).
    assert result.output.strip().splitlines()[-1].startswith("caseflow: error: ")
    assert _user(make, user.id).model_dump() == before
