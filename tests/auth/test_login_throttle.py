"""Failed logins slow the guesser down and never lock the owner out.

Time passing is told to the database: the failures are moved back by the seconds the
test lets pass, as the clock would have moved them.
"""

import time
from datetime import timedelta

from sqlmodel import select

from caseflow import create_app
from caseflow.auth.models import LoginAttempt
from caseflow.common.models import AuditEvent
from caseflow.db import dispose_engines
from tests.factories import PASSWORD

ATTACKER = "203.0.113.66"
OWNER_DESK = "10.1.2.3"
OFFICE_PROXY = "192.0.2.10"


def _client(app, address):
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return client


def _try(client, email, guess="gissning"):
    return client.post("/login", data={"email": email, "password": guess})


def _let_time_pass(make, seconds):
    session = make.fresh()
    for attempt in session.exec(select(LoginAttempt)).all():
        attempt.at -= timedelta(seconds=seconds)
    session.commit()


def _actions(make, name):
    return make.fresh().exec(select(AuditEvent).where(AuditEvent.action == name)).all()


def test_the_first_failures_are_free_then_each_wait_doubles(make, app):
    user = make.user("registrar")
    guesser = _client(app, ATTACKER)
    for _ in range(3):
        assert _try(guesser, user.email).status_code == 200
    waits = []
    for _ in range(4):
        refused = _try(guesser, user.email)
        assert refused.status_code == 429
        waits.append(int(refused.headers["Retry-After"]))
        _let_time_pass(make, waits[-1])
        assert _try(guesser, user.email).status_code == 200  # its turn: a plain failure
    assert waits == [8, 16, 32, 64]


def test_the_wait_is_said_in_words_and_stops_at_a_quarter_of_an_hour(make, app):
    user = make.user("registrar")
    guesser = _client(app, ATTACKER)
    for _ in range(3):
        _try(guesser, user.email)
    for _ in range(12):
        _let_time_pass(make, 3600)
        _try(guesser, user.email)
    refused = _try(guesser, user.email)
    assert refused.status_code == 429
    assert refused.headers["Retry-After"] == "900"
    assert "Försök igen om 900 sekunder" in refused.get_data(as_text=True)


def test_the_owner_is_not_locked_out_by_a_guesser_on_another_client(make, app):
    user = make.user("official")
    guesser = _client(app, ATTACKER)
    for _ in range(8):
        _try(guesser, user.email)
    assert _try(guesser, user.email, PASSWORD).status_code == 429  # even the right password
    owner = _client(app, OWNER_DESK)
    assert _try(owner, user.email, PASSWORD).status_code == 302
    # The owner's login gives the guesser no fresh start.
    assert _try(guesser, user.email).status_code == 429


def test_an_account_under_attack_from_many_clients_makes_unknown_clients_wait_a_minute(make, app):
    user = make.user("official")
    _try(_client(app, OWNER_DESK), user.email, PASSWORD)  # the owner's usual desk
    for n in range(12):
        _try(_client(app, f"198.51.100.{n % 4 + 1}"), user.email)
    refused = _try(_client(app, "10.9.9.9"), user.email, PASSWORD)
    assert refused.status_code == 429
    assert 0 < int(refused.headers["Retry-After"]) <= 60
    # From the desk it logged in from before, the owner goes straight in.
    assert _try(_client(app, OWNER_DESK), user.email, PASSWORD).status_code == 302


def test_failures_from_one_proxy_address_do_not_lock_out_the_office(make, app):
    colleagues = [make.user("official") for _ in range(3)]
    newcomer = make.user("registrar")
    office = _client(app, OFFICE_PROXY)
    # Someone in the office tries other people's accounts: 21 failures, 3 on each.
    for n in range(7):
        for _ in range(3):
            assert _try(office, f"kollega{n}@regionjh.se").status_code == 200
    for user in (*colleagues, newcomer):
        assert _try(_client(app, OFFICE_PROXY), user.email, PASSWORD).status_code == 302


def test_above_the_client_limit_only_accounts_known_there_go_straight_in(make, app):
    app.config["LOGIN_CLIENT_FREE_FAILURES"] = 20
    regular = make.user("official")
    newcomer = make.user("official")
    _try(_client(app, OFFICE_PROXY), regular.email, PASSWORD)
    for n in range(11):
        for _ in range(2):
            _try(_client(app, OFFICE_PROXY), f"gissad{n}@regionjh.se")
    assert _try(_client(app, OFFICE_PROXY), regular.email, PASSWORD).status_code == 302
    refused = _try(_client(app, OFFICE_PROXY), newcomer.email, PASSWORD)
    assert refused.status_code == 429 and int(refused.headers["Retry-After"]) <= 60
    # From home the newcomer is not held back by the office's address.
    assert _try(_client(app, OWNER_DESK), newcomer.email, PASSWORD).status_code == 302


def test_a_refusal_comes_at_once_without_checking_the_password(make, app, monkeypatch):
    from caseflow.auth import services

    user = make.user("registrar")
    guesser = _client(app, ATTACKER)
    for _ in range(10):
        _let_time_pass(make, 3600)
        _try(guesser, user.email)
    checked = []

    class Spy:
        def verify(self, *args):
            checked.append(args)

    def no_waiting(seconds):
        slept.append(seconds)

    slept = []
    monkeypatch.setattr(services, "password_hasher", Spy())
    monkeypatch.setattr(time, "sleep", no_waiting)
    refused = _try(guesser, user.email, PASSWORD)
    assert refused.status_code == 429 and int(refused.headers["Retry-After"]) == 900
    assert checked == [] and slept == []


def test_logins_failures_refusals_and_logouts_are_audited(make, app):
    user = make.user("registrar")
    guesser = _client(app, ATTACKER)
    for _ in range(4):
        _try(guesser, user.email)
    _try(guesser, "ingen@regionjh.se")
    owner = _client(app, OWNER_DESK)
    _try(owner, user.email, PASSWORD)
    owner.post("/logout")
    failed = _actions(make, "user.login_failed")
    assert len(failed) == 4
    assert [e.object_id for e in failed] == [user.id, user.id, user.id, None]
    assert ATTACKER in failed[0].after and "ingen@regionjh.se" in failed[-1].after
    (throttled,) = _actions(make, "user.login_throttled")
    assert throttled.object_id == user.id and '"wait_seconds": 8' in throttled.after
    (login,) = _actions(make, "user.login")
    (logout,) = _actions(make, "user.logout")
    assert login.actor_id == logout.actor_id == user.id
    assert PASSWORD not in "".join(e.after or "" for e in failed)


def test_x_forwarded_for_is_ignored_unless_proxies_are_configured(make, app):
    user = make.user("registrar")
    header = {"X-Forwarded-For": "198.51.100.77"}
    _client(app, OFFICE_PROXY).post(
        "/login", data={"email": user.email, "password": "x"}, headers=header
    )
    (row,) = make.fresh().exec(select(LoginAttempt)).all()
    assert row.remote_addr == OFFICE_PROXY

    # The same instance (its audit key too), now configured behind one proxy hop.
    behind_proxy = create_app({**app.config, "PROXY_FIX_X_FOR": 1}, instance_path=app.instance_path)
    client = _client(behind_proxy, OFFICE_PROXY)
    client.post("/login", data={"email": user.email, "password": "x"}, headers=header)
    dispose_engines(behind_proxy)
    addresses = sorted(r.remote_addr for r in make.fresh().exec(select(LoginAttempt)).all())
    assert addresses == ["192.0.2.10", "198.51.100.77"]


def test_ipv6_clients_are_counted_by_their_64_network(make, app):
    user = make.user("registrar")
    for host in range(1, 5):
        _try(_client(app, f"2001:db8:1:2::{host}"), user.email)
    refused = _try(_client(app, "2001:db8:1:2::99"), user.email, PASSWORD)
    assert refused.status_code == 429
    assert _try(_client(app, "2001:db8:1:3::1"), user.email, PASSWORD).status_code == 302


def test_a_password_typed_into_the_address_field_is_not_kept(make, app):
    _try(_client(app, ATTACKER), "Sommarsol 2024!", "x")
    (failed,) = _actions(make, "user.login_failed")
    assert "Sommarsol" not in failed.after and ATTACKER in failed.after
