"""Logging in: argon2 hashes, inactive users, safe redirects, cookies, CSRF (throttling:
test_login_throttle.py)."""

import re

import pytest
from sqlmodel import select

from caseflow.auth.models import LoginAttempt, User
from tests.factories import PASSWORD


def _failures(make) -> int:
    make.session.rollback()  # see what the requests committed
    return len(make.session.exec(select(LoginAttempt).where(~LoginAttempt.succeeded)).all())


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


def test_a_successful_login_clears_the_failures_of_its_client(make, client, login):
    user = make.user("registrar")
    client.post("/login", data={"email": user.email, "password": "gissning"})
    assert _failures(make) == 1
    login(user)
    assert _failures(make) == 0


@pytest.mark.parametrize(
    "target",
    [
        "https://evil.example/",
        "//evil.example/",
        "/\\evil.example",
        "/%09/evil.example",
        "/%5Cevil",
    ],
)
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


@pytest.mark.parametrize("target", ["//evil.example", "/\t/evil.example", "https://evil.example"])
def test_the_language_switch_stays_on_the_site(client, target):
    response = client.post("/language/en", data={"next": target})
    assert response.status_code == 302 and response.headers["Location"] == "/"


def test_the_language_switch_returns_to_the_page(client):
    response = client.post("/language/en", data={"next": "/parties/?q=Region%20J%C3%A4mtland"})
    assert response.headers["Location"] == "/parties/?q=Region%20J%C3%A4mtland"


def test_a_refused_form_goes_back_only_to_a_page_on_this_site(make, client, login):
    login(make.user("registrar"))
    case = make.case()
    for referrer, expected in (
        ("http://localhost/cases/?q=x", "/cases/?q=x"),
        ("http://localhost//evil.example/", f"/cases/{case.number}"),
        ("http://evil.example/cases/", f"/cases/{case.number}"),
    ):
        response = client.post(
            f"/cases/{case.number}/parties", data={}, headers={"Referer": referrer}
        )
        assert (response.status_code, response.headers["Location"]) == (303, expected), referrer
