"""One password rule on every path that sets a password: 12 characters, not a common one."""

import pytest
from sqlmodel import select

from caseflow.auth.models import User
from caseflow.auth.passwords import check_password, password_matches
from caseflow.cli import cli
from caseflow.common.errors import ValidationError
from tests.factories import PASSWORD

GOOD = "blåbärssoppa vid Storsjön"
#: Long enough, and all among what an attacker tries first.
COMMON = ["password1234", "qwerty123456", "123456789qwe", "iloveyou1234", "aaaaaaaaaaaa"]


@pytest.mark.parametrize("password", COMMON)
def test_common_passwords_are_refused_however_long(password):
    assert len(password) >= 12
    with pytest.raises(ValidationError, match="common"):
        check_password(password)


def test_a_short_password_is_refused_with_the_rule_in_the_message():
    with pytest.raises(ValidationError, match="at least 12 characters"):
        check_password("Kx9#mQ2!vL")


def test_a_password_made_of_the_users_own_name_is_refused():
    with pytest.raises(ValidationError):
        check_password("noaksson2021", user_inputs=("Erik Noaksson", "erik.noaksson@regionjh.se"))


@pytest.mark.parametrize("password", [GOOD, "correct horse battery", "kaffekopp i solen"])
def test_a_few_unrelated_words_pass(password):
    check_password(password)


def _password_hash(make, email):
    make.fresh()
    return make.session.exec(select(User.password_hash).where(User.email == email)).one()


def test_the_cli_refuses_a_common_password_for_a_new_user_and_adds_nobody(app, make):
    result = app.test_cli_runner().invoke(
        cli,
        ["user", "add", "--email", "karin.ek@regionjh.se", "--name", "Karin Ek"]
        + ["--role", "registrar", "--password-stdin"],
        input="password1234\n",
    )
    assert result.exit_code == 2
    assert "Traceback" not in result.output and len(result.output.strip().splitlines()) == 1
    make.fresh()
    added = select(User).where(User.email == "karin.ek@regionjh.se")
    assert make.session.exec(added).first() is None


def test_the_cli_refuses_a_common_password_for_an_existing_user(app, make):
    user = make.user("registrar")
    before = _password_hash(make, user.email)
    result = app.test_cli_runner().invoke(
        cli, ["user", "set-password", user.email, "--password-stdin"], input="qwerty123456\n"
    )
    assert result.exit_code == 2 and "vanliga" in result.output
    assert _password_hash(make, user.email) == before


def test_the_admin_page_refuses_a_short_password_and_keeps_the_old_one(make, client, login):
    user = make.user("official")
    login(make.user("admin"))
    page = client.post(
        f"/admin/users/{user.id}/password", data={"password": "kort", "confirm": "kort"}
    )
    assert page.status_code == 422
    assert "minst 12 tecken" in page.get_data(as_text=True)
    make.fresh()
    assert password_matches(make.session.get(User, user.id), PASSWORD)


def test_adding_a_user_on_the_admin_page_follows_the_rule(make, client, login):
    login(make.user("admin"))
    page = client.post(
        "/admin/users/new",
        data={
            "email": "emma.borg@regionjh.se",
            "name": "Emma Borg",
            "role": "registrar",
            "password": "password1234",
        },
    )
    assert page.status_code == 422
    assert "vanliga" in page.get_data(as_text=True)


def test_ones_own_new_password_follows_the_rule(make, client, login):
    user = make.user("official")
    login(user)
    page = client.post(
        "/account/password",
        data={"current": PASSWORD, "password": "iloveyou1234", "confirm": "iloveyou1234"},
    )
    assert page.status_code == 422
    make.fresh()
    assert password_matches(make.session.get(User, user.id), PASSWORD)


def test_ones_own_change_needs_the_current_password(make, client, login):
    user = make.user("official")
    login(user)
    page = client.post(
        "/account/password", data={"current": "fel lösenord", "password": GOOD, "confirm": GOOD}
    )
    assert page.status_code == 422
    assert "nuvarande lösenordet stämmer inte" in page.get_data(as_text=True)
    make.fresh()
    assert password_matches(make.session.get(User, user.id), PASSWORD)


def test_the_two_new_passwords_must_agree(make, client, login):
    user = make.user("official")
    login(user)
    page = client.post(
        "/account/password",
        data={"current": PASSWORD, "password": GOOD, "confirm": GOOD + "!"},
    )
    assert page.status_code == 422
    assert "Lösenorden är olika" in page.get_data(as_text=True)
