"""The admin keeps the users: details, roles, deactivation with hand-over, activation."""

import json
import re
from datetime import date, timedelta

from sqlmodel import select

from caseflow.auth.models import PasswordToken, User
from caseflow.auth.passwords import password_matches
from caseflow.cases.models import Case
from caseflow.common.models import AuditEvent
from caseflow.common.timeutil import now

NEW_PASSWORD = "blåbärssoppa vid Storsjön"


def _events(make, action, **where):
    make.fresh()
    query = select(AuditEvent).where(AuditEvent.action == action)
    for name, value in where.items():
        query = query.where(getattr(AuditEvent, name) == value)
    return make.session.exec(query.order_by(AuditEvent.seq)).all()


def _imported_officer(make, name="Erik Noaksson"):
    """An officer the import brought from the old diarium: no password, not enabled."""
    user = make.user("official", name=name, enabled=False)
    user.password_hash = None
    make.session.commit()
    return user


def test_an_admin_corrects_a_users_details_and_the_change_is_audited(make, client, login):
    admin = make.user("admin")
    user = make.user("official", name="Erik Noakson", unit="Näringsliv")
    ledningsstab = make.unit("Ledningsstab")
    login(admin)
    response = client.post(
        f"/admin/users/{user.id}/edit",
        data={
            "name": "Erik Noaksson",
            "email": "Erik.Noaksson@RegionJH.se",
            "role": "manager",
            "unit_id": str(ledningsstab.id),
            "phone": "063-14 75 00",
        },
    )
    assert response.status_code == 302
    make.fresh()
    stored = make.session.get(User, user.id)
    assert (stored.name, stored.email, stored.role, stored.unit.name, stored.phone) == (
        "Erik Noaksson",
        "erik.noaksson@regionjh.se",
        "manager",
        "Ledningsstab",
        "063-14 75 00",
    )
    (event,) = _events(make, "user.update", object_id=user.id)
    before, after = json.loads(event.before), json.loads(event.after)
    assert (before["name"], after["name"]) == ("Erik Noakson", "Erik Noaksson")
    assert (before["unit"], after["unit"]) == ("Näringsliv", "Ledningsstab")
    assert event.actor_id == admin.id
    assert "password_hash" not in event.after and "$argon2" not in event.after


def test_the_last_active_admin_can_be_neither_demoted_nor_deactivated(make, client, login):
    admin = make.user("admin", name="Alva Admin")
    make.user("admin", name="Gamla Admin", enabled=False)  # an inactive admin does not count
    login(admin)
    demote = client.post(
        f"/admin/users/{admin.id}/edit",
        data={"name": admin.name, "email": admin.email, "role": "registrar"},
    )
    assert demote.status_code == 422
    assert "sista aktiva administratören" in demote.get_data(as_text=True)
    make.fresh()
    assert make.session.get(User, admin.id).role == "admin"


def test_with_a_second_admin_the_first_may_be_demoted(make, client, login):
    first = make.user("admin")
    second = make.user("admin")
    login(second)
    response = client.post(
        f"/admin/users/{first.id}/edit",
        data={"name": first.name, "email": first.email, "role": "manager"},
    )
    assert response.status_code == 302
    make.fresh()
    assert make.session.get(User, first.id).role == "manager"


def test_an_admin_cannot_deactivate_themselves(make, client, login):
    admin = make.user("admin")
    make.user("admin")
    login(admin)
    response = client.post(f"/admin/users/{admin.id}/deactivate", data={})
    assert response.status_code == 422
    make.fresh()
    assert make.session.get(User, admin.id).is_enabled


def test_a_leaving_officers_open_cases_and_reminders_go_to_their_successor(make, client, login):
    leaving = make.user("official", name="Erik Noaksson")
    successor = make.user("official", name="Anders Byström")
    open_case = make.case("Projekt coworking", officer=leaving, due_on=date(2021, 12, 1))
    other_open = make.case("Bredband Jämtland", officer=leaving)
    closed = make.case("Avslutat projekt", officer=leaving)
    closed.status = "closed"
    make.session.commit()
    login(make.user("admin"))

    form = client.get(f"/admin/users/{leaving.id}/deactivate").get_data(as_text=True)
    assert "öppna ärenden: 2" in form and "bevakningar: 1" in form
    assert "Anders Byström" in form
    refused = client.post(f"/admin/users/{leaving.id}/deactivate", data={"successor": ""})
    assert refused.status_code == 422
    assert "välj vem som tar över" in refused.get_data(as_text=True)

    response = client.post(
        f"/admin/users/{leaving.id}/deactivate", data={"successor": str(successor.id)}
    )
    assert response.status_code == 302
    make.fresh()
    officers = {c.title: c.officer_id for c in make.session.exec(select(Case)).all()}
    assert officers == {
        "Projekt coworking": successor.id,
        "Bredband Jämtland": successor.id,
        "Avslutat projekt": leaving.id,  # a closed case keeps the officer who handled it
    }
    assert make.session.get(Case, open_case.id).due_on == date(2021, 12, 1)
    moved = _events(make, "case.update")
    assert sorted(e.case_id for e in moved) == sorted([open_case.id, other_open.id])
    assert all(json.loads(e.after)["officer_id"] == successor.id for e in moved)
    (deactivation,) = _events(make, "user.deactivate", object_id=leaving.id)
    assert json.loads(deactivation.after)["work_to"] == successor.email
    assert not make.session.get(User, leaving.id).is_enabled


def test_a_deactivated_user_is_reactivated_with_their_old_password(make, client, login, app):
    user = make.user("registrar", enabled=False)
    login(make.user("admin"))
    response = client.post(f"/admin/users/{user.id}/reactivate")
    assert response.status_code == 302
    make.fresh()
    assert make.session.get(User, user.id).is_enabled
    assert _events(make, "user.reactivate", object_id=user.id)


def test_an_imported_officer_is_not_reactivated_without_a_password(make, client, login):
    officer = _imported_officer(make)
    login(make.user("admin"))
    response = client.post(f"/admin/users/{officer.id}/reactivate")
    assert response.status_code == 303
    assert not _user_enabled(make, officer.id)


def _user_enabled(make, user_id) -> bool:
    make.fresh()
    return make.session.get(User, user_id).is_enabled


def test_imported_officers_are_listed_until_activated(make, client, login):
    _imported_officer(make, "Erik Noaksson")
    make.user("official", name="Anders Byström")
    login(make.user("admin"))
    page = client.get("/admin/users/?show=not_activated").get_data(as_text=True)
    assert "Erik Noaksson" in page and "Anders Byström" not in page


def test_an_imported_officer_is_activated_with_a_one_time_link(make, app, client, login):
    officer = _imported_officer(make)
    login(make.user("admin"))
    page = client.post(f"/admin/users/{officer.id}/password-link").get_data(as_text=True)
    link = re.search(r'value="(http://localhost/auth/set-password/[^"]+)"', page)[1]
    token = link.rsplit("/", 1)[1]
    make.fresh()
    (stored,) = make.session.exec(select(PasswordToken)).all()
    assert token not in stored.token_hash  # only the hash is kept
    assert timedelta(hours=23) < stored.expires_at - now() <= timedelta(hours=24)
    assert make.session.get(User, officer.id).is_enabled
    assert all(token not in (e.after or "") for e in _events(make, "user.password_link"))

    officer_browser = app.test_client()
    path = link.removeprefix("http://localhost")
    assert "Välj ditt lösenord" in officer_browser.get(path).get_data(as_text=True)
    done = officer_browser.post(path, data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert done.status_code == 302 and done.headers["Location"] == "/login"
    logged_in = officer_browser.post(
        "/login", data={"email": officer.email, "password": NEW_PASSWORD}
    )
    assert logged_in.status_code == 302 and logged_in.headers["Location"] == "/"
    # Used once: the link says it no longer works and sets nothing.
    again = app.test_client().post(path, data={"password": "annat långt lösenord", "confirm": "x"})
    assert again.status_code == 404
    make.fresh()
    assert password_matches(make.session.get(User, officer.id), NEW_PASSWORD)


def test_a_link_older_than_a_day_does_not_work(make, app, client, login):
    user = make.user("registrar")
    login(make.user("admin"))
    page = client.post(f"/admin/users/{user.id}/password-link").get_data(as_text=True)
    path = re.search(r'value="http://localhost(/auth/set-password/[^"]+)"', page)[1]
    make.fresh()
    (stored,) = make.session.exec(select(PasswordToken)).all()
    stored.expires_at = now() - timedelta(minutes=1)
    make.session.commit()
    expired = app.test_client().get(path)
    assert expired.status_code == 404
    assert "Länken gäller inte" in expired.get_data(as_text=True)


def test_a_new_link_makes_the_earlier_one_useless(make, app, client, login):
    user = make.user("registrar")
    login(make.user("admin"))
    first = client.post(f"/admin/users/{user.id}/password-link").get_data(as_text=True)
    client.post(f"/admin/users/{user.id}/password-link")
    path = re.search(r'value="http://localhost(/auth/set-password/[^"]+)"', first)[1]
    assert app.test_client().get(path).status_code == 404


def test_an_imported_officer_is_activated_with_a_password(make, app, client, login):
    officer = _imported_officer(make)
    login(make.user("admin"))
    response = client.post(
        f"/admin/users/{officer.id}/password",
        data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD},
    )
    assert response.status_code == 302
    assert _events(make, "user.activate", object_id=officer.id)
    browser = app.test_client()
    login_page = browser.post("/login", data={"email": officer.email, "password": NEW_PASSWORD})
    assert login_page.headers["Location"] == "/"
