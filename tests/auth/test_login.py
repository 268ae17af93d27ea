"""Logging in: argon2 hashes, throttling, inactive users, safe redirects, cookies, CSRF."""

import re

import pytest
from sqlmodel import select

from caseflow.auth.models import LoginAttempt, User
from tests.factories import PASSWORD


def _failures(make) -> int:
    make.session.rollback()  # see what the requests committed
    return len(make.session.exec(select(LoginAttempt)).all())


def test_passwords_are_stored_as_argon2_hashes(make):
    user = make.user("registrar")
    stored = make.session.get(User, user.id).password_hash
    assert stored.startswith("$argon2id$") and PASSWORD not in stored


def test_a_registrar_logs_in_and_out(make, client, login):
    user = make.user("registrar", name="Karin Ek")
    login(user)
    assert "Karin Ek" in client.get("/").get_data(as_text=True)
    assert client.post("/logout").status_code == 302
    assert client.get("/").status_code == 302


def test_a_wrong_password_is_refused_without_saying_which_part_was_wrong(make, client):
    user = make.user("registrar")
    for email in (user.email, "nobody@regionjh.se"):
        page = client.post("/login", data={"email": email, "password": "fel lösenord"})
        assert page.status_code == 200
        assert "Fel e-postadress eller lösenord" in page.get_data(as_text=True)
    assert client.get("/").status_code == 302


def test_an_inactive_user_cannot_log_in(make, client):
    user = make.user("official", enabled=False)
    response = client.post("/login", data={"email": user.email, "password": PASSWORD})
    assert response.status_code == 200
    assert client.get("/").status_code == 302


def test_too_many_failures_lock_the_account_for_a_while(make, client, app):
    app.config["LOGIN_MAX_FAILURES"] = 5
    user = make.user("registrar")
    for _ in range(4):
        client.post("/login", data={"email": user.email, "password": "gissning"})
    assert _failures(make) == 4
    # The fifth failure is still answered as a failure; it is the last one allowed.
    fifth = client.post("/login", data={"email": user.email, "password": "gissning"})
    assert fifth.status_code == 200
    # Even the right password is refused now: the attacker learns nothing.
    locked = client.post("/login", data={"email": user.email, "password": PASSWORD})
    assert locked.status_code == 429
    assert client.get("/").status_code == 302
    assert _failures(make) == 5


def test_a_successful_login_clears_earlier_failures(make, client, login):
    user = make.user("registrar")
    client.post("/login", data={"email": user.email, "password": "gissning"})
    login(user)
    assert _failures(make) == 0


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/", "/\\evil.example"])
def test_login_never_redirects_to_another_site(make, client, target):
    user = make.user("registrar")
    response = client.post(
        f"/login?next={target}", data={"email": user.email, "password": PASSWORD}
    )
    assert response.headers["Location"] == "/"


def test_login_returns_to_the_page_asked_for(make, client):
    user = make.user("registrar")
    first = client.get("/cases/")
    assert first.status_code == 302 and "/login" in first.headers["Location"]
    response = client.post("/login?next=/cases/", data={"email": user.email, "password": PASSWORD})
    assert response.headers["Location"] == "/cases/"


def test_security_headers_and_cookie_flags(make, app):
    app.config["SESSION_COOKIE_SECURE"] = True
    client = app.test_client()
    response = client.get("/login", base_url="https://caseflow.regionjh.se")
    csp = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
    user = make.user("registrar")
    login = client.post(
        "/login",
        data={"email": user.email, "password": PASSWORD},
        base_url="https://caseflow.regionjh.se",
    )
    cookie = login.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "Secure" in cookie and "SameSite=Lax" in cookie


def test_the_default_configuration_marks_cookies_secure():
    from caseflow.config import Defaults

    assert Defaults.SESSION_COOKIE_SECURE and Defaults.REMEMBER_COOKIE_SECURE
    assert Defaults.WTF_CSRF_ENABLED


def test_every_form_post_needs_a_csrf_token(make, app):
    app.config["WTF_CSRF_ENABLED"] = True
    client = app.test_client()
    user = make.user("registrar")
    case = make.case()
    no_token = client.post("/login", data={"email": user.email, "password": PASSWORD})
    assert no_token.status_code == 400
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page)[1]
    ok = client.post(
        "/login", data={"email": user.email, "password": PASSWORD, "csrf_token": token}
    )
    assert ok.status_code == 302
    for url in (
        f"/cases/{case.number}/void",
        "/cases/new",
        f"/cases/{case.number}/parties",
        "/documents/new",
        "/logout",
        "/language/en",
    ):
        assert client.post(url, data={"reason": "x", "title": "x"}).status_code == 400, url
    assert make.session.get(type(case), case.id).voided_at is None
