"""Logins live on the server: a copied session cookie stops working when the login ends."""

from datetime import timedelta

from sqlmodel import select

from caseflow.auth.models import UserSession
from caseflow.common.timeutil import now
from tests.factories import PASSWORD

NEW_PASSWORD = "blåbärssoppa vid Storsjön"


def _logged_in(app, user, password=PASSWORD):
    client = app.test_client()
    response = client.post("/login", data={"email": user.email, "password": password})
    assert response.status_code == 302 and response.headers["Location"] == "/"
    return client


def _cookie(client) -> str:
    return client.get_cookie("session").value


def _replay(app, cookie: str):
    """Another browser that sends a copy of someone's session cookie."""
    thief = app.test_client()
    thief.set_cookie("session", cookie)
    return thief.get("/")


def _rows(make, user) -> list[UserSession]:
    make.fresh()
    return make.session.exec(select(UserSession).where(UserSession.user_id == user.id)).all()


def test_a_copied_cookie_works_until_its_owner_logs_out(make, app):
    user = make.user("registrar", name="Karin Ek")
    client = _logged_in(app, user)
    copied = _cookie(client)
    assert _replay(app, copied).status_code == 200  # the copy is as good as the original…
    client.post("/logout")
    replayed = _replay(app, copied)  # …until the login it belongs to has ended
    assert replayed.status_code == 302 and replayed.headers["Location"].startswith("/login")
    (row,) = _rows(make, user)
    assert row.ended_at is not None


def test_deactivating_a_user_ends_their_logins_at_once(make, app):
    admin = make.user("admin")
    officer = make.user("official")
    officer_browser = _logged_in(app, officer)
    assert officer_browser.get("/").status_code == 200
    admin_browser = _logged_in(app, admin)
    response = admin_browser.post(f"/admin/users/{officer.id}/deactivate", data={})
    assert response.status_code == 302
    assert officer_browser.get("/").status_code == 302
    assert all(row.ended_at is not None for row in _rows(make, officer))


def test_an_admin_setting_a_password_ends_the_users_logins(make, app):
    admin = make.user("admin")
    registrar = make.user("registrar")
    registrar_browser = _logged_in(app, registrar)
    admin_browser = _logged_in(app, admin)
    response = admin_browser.post(
        f"/admin/users/{registrar.id}/password",
        data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD},
    )
    assert response.status_code == 302
    assert registrar_browser.get("/").status_code == 302
    _logged_in(app, registrar, NEW_PASSWORD)


def test_changing_ones_own_password_ends_the_other_logins_but_not_this_one(make, app):
    user = make.user("official")
    at_the_desk = _logged_in(app, user)
    on_the_laptop = _logged_in(app, user)
    response = at_the_desk.post(
        "/account/password",
        data={"current": PASSWORD, "password": NEW_PASSWORD, "confirm": NEW_PASSWORD},
    )
    assert response.status_code == 302
    assert at_the_desk.get("/").status_code == 200
    assert on_the_laptop.get("/").status_code == 302


def test_a_login_left_idle_longer_than_the_timeout_is_refused(make, app):
    app.config["SESSION_IDLE_MINUTES"] = 30
    user = make.user("registrar")
    client = _logged_in(app, user)
    (row,) = _rows(make, user)
    row.last_seen_at = now() - timedelta(minutes=31)
    make.session.commit()
    assert client.get("/").status_code == 302


def test_logins_ended_or_idle_for_a_month_are_forgotten_the_others_kept(make, app):
    from caseflow.auth.sessions import forget_old_sessions

    user = make.user("registrar")
    for _ in range(3):
        _logged_in(app, user)
    ended_long_ago, idle_long_ago, recent = sorted(_rows(make, user), key=lambda r: r.created_at)
    ended_long_ago.ended_at = now() - timedelta(days=31)
    idle_long_ago.last_seen_at = now() - timedelta(days=31)
    make.session.commit()
    assert forget_old_sessions(make.session) == 2
    make.session.commit()
    assert [row.id for row in _rows(make, user)] == [recent.id]


def test_a_login_in_use_is_kept_alive_with_at_most_one_write_a_minute(make, app):
    app.config["SESSION_IDLE_MINUTES"] = 30
    user = make.user("admin")
    client = _logged_in(app, user)
    (row,) = _rows(make, user)
    first_seen = row.last_seen_at
    client.get("/")
    client.get("/cases/")
    assert _rows(make, user)[0].last_seen_at == first_seen  # within the minute: no write
    # 29 minutes later the officer comes back: still logged in, and the clock restarts.
    row = _rows(make, user)[0]
    row.last_seen_at = now() - timedelta(minutes=29)
    make.session.commit()
    assert client.get("/").status_code == 200
    assert _rows(make, user)[0].last_seen_at > now() - timedelta(minutes=1)
    # A writing request (a POST) keeps it alive too, in the request's own transaction.
    row = _rows(make, user)[0]
    row.last_seen_at = now() - timedelta(minutes=2)
    make.session.commit()
    assert client.post(f"/admin/users/{user.id}/edit", data={}).status_code == 302
    assert _rows(make, user)[0].last_seen_at > now() - timedelta(minutes=1)


def test_the_cookie_carries_only_a_random_login_id(make, app):
    user = make.user("registrar")
    client = _logged_in(app, user)
    (row,) = _rows(make, user)
    assert len(row.id) >= 40
    with client.session_transaction() as flask_session:
        assert flask_session["caseflow_sid"] == row.id
