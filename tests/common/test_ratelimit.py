"""Rate limits on the public pages: a flood from one client gets 429, nobody else does.

These tests limit stand-in pages of their own (try_public.search, try_public.case,
try_public.postlista…, try_request.new, try_board.*), registered after ``create_app`` to
show that limits are looked up by endpoint at the first request; the default
configuration is checked against the real public pages.
"""

from __future__ import annotations

import logging
import re

import pytest
from flask import Blueprint
from flask_babel import force_locale

from caseflow import create_app
from caseflow.common.permissions import require
from caseflow.common.ratelimit import EXTENSION, wait_in_words
from caseflow.common.roles import Role
from tests.common.redisserver import MISSING, RedisServer, free_port, redis_binary
from tests.factories import PASSWORD
from tests.support import require_or_skip

LIMITS = {
    "try_public.search": "3/minute;10/hour",
    "try_public.case": "5/minute",
    "try_public.postlista*": "2/minute",
    "try_request.new": ["10/minute", "POST: 2/minute"],
    "try_board.*": "4/minute",
    # Staff views matched by a pattern: never limited all the same.
    "cases.*": "1/minute",
    "try_public.not_built_yet": "1/minute",
}

public = Blueprint("try_public", __name__, url_prefix="/prov/diarium")
disclosure_public = Blueprint("try_request", __name__, url_prefix="/prov/begaran")
noticeboard = Blueprint("try_board", __name__, url_prefix="/prov/anslagstavla")


@public.get("/")
def search():
    return "sökträffar"


@public.get("/arende/<series>/<int:seq>/<int:year>")
def case(series, seq, year):
    return f"{series}/{seq}/{year}"


@public.get("/postlista")
def postlista():
    return "postlista"


@public.get("/postlista.json")
def postlista_json():
    return {"documents": []}


@disclosure_public.route("/ny", methods=["GET", "POST"])
def new():
    from flask import request

    if request.form.get("fel"):  # a form sent back to be corrected
        return "rätta formuläret", 400
    return "begäran"


@noticeboard.get("/")
def index():
    return "anslagstavla"


@noticeboard.get("/hantera/")
@require("case.view")
def manage():
    return "hantera anslag"


def build_app(database_url, instance, **config):
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test-secret-key",
            "DATABASE_URL": database_url,
            "WTF_CSRF_ENABLED": False,
            "SESSION_COOKIE_SECURE": False,
            "REMEMBER_COOKIE_SECURE": False,
            "RATELIMIT_ENABLED": True,
            "PUBLIC_RATE_LIMITS": LIMITS,
            **config,
        },
        instance_path=str(instance),
    )
    for blueprint in (public, disclosure_public, noticeboard):
        app.register_blueprint(blueprint)
    return app


@pytest.fixture
def apps(database_url, tmp_path):
    """Build limited apps (``apps(**config)``); each is disposed of after the test."""
    built = []

    def build(**config):
        # The instance of the ``app`` fixture: its audit key is theirs too.
        app = build_app(database_url, tmp_path / "instance", **config)
        built.append(app)
        return app

    yield build
    for app in built:
        app.extensions["caseflow.engine"].dispose()


def visitor(app, address="198.51.100.7", **headers):
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    client.environ_base.update({f"HTTP_{k.upper()}": v for k, v in headers.items()})
    return client


def statuses(client, url, times, method="get"):
    return [getattr(client, method)(url).status_code for _ in range(times)]


def test_a_visitor_over_the_search_limit_is_told_in_swedish_how_long_to_wait(apps):
    client = visitor(apps())
    assert statuses(client, "/prov/diarium/?q=bredband", 3) == [200, 200, 200]

    response = client.get("/prov/diarium/?q=bredband")

    assert response.status_code == 429
    wait = int(response.headers["Retry-After"])
    assert 1 <= wait <= 60
    page = response.get_data(as_text=True)
    assert "För många förfrågningar" in page
    assert re.search(r"Vänta \d+ (sekund|sekunder|minut)\b och försök igen", page), page
    assert "Traceback" not in page
    assert "Set-Cookie" not in response.headers
    assert response.headers["Cache-Control"] == "no-store"


def test_the_pages_under_the_limit_set_no_cookie_and_no_limit_headers(apps):
    response = visitor(apps()).get("/prov/diarium/arende/RS/720/2021")

    assert response.status_code == 200
    assert "Set-Cookie" not in response.headers
    assert not [name for name, _value in response.headers if name.lower().startswith("x-ratelimit")]


def test_another_client_and_another_page_are_unaffected(apps):
    app = apps()
    flooder = visitor(app, "198.51.100.7")
    assert statuses(flooder, "/prov/diarium/", 4)[-1] == 429

    assert visitor(app, "203.0.113.20").get("/prov/diarium/").status_code == 200
    assert flooder.get("/prov/diarium/arende/RS/720/2021").status_code == 200


def test_a_pattern_limits_every_variant_each_on_its_own(apps):
    client = visitor(apps())

    assert statuses(client, "/prov/diarium/postlista", 3) == [200, 200, 429]
    assert statuses(client, "/prov/diarium/postlista.json", 3) == [200, 200, 429]


def test_a_machine_reader_gets_the_wait_as_json(apps):
    client = visitor(apps())
    statuses(client, "/prov/diarium/postlista.json", 2)

    response = client.get("/prov/diarium/postlista.json")

    assert response.status_code == 429
    assert response.json["retry_after"] == int(response.headers["Retry-After"])
    assert "Vänta" in response.json["error"]


def test_sending_the_request_form_is_limited_harder_than_reading_it(apps):
    client = visitor(apps())

    assert statuses(client, "/prov/begaran/ny", 2, method="post") == [200, 200]
    assert client.post("/prov/begaran/ny").status_code == 429
    assert statuses(client, "/prov/begaran/ny", 3) == [200, 200, 200]


def test_a_form_sent_back_to_be_corrected_costs_nothing_of_the_post_limit(apps):
    """ "POST: 2/minute" counts the forms that were taken; the ones sent back with an
    error do not use it up (the limit for every method still counts them)."""
    client = visitor(apps())

    refused = [client.post("/prov/begaran/ny", data={"fel": "1"}).status_code for _ in range(4)]
    assert refused == [400] * 4
    assert statuses(client, "/prov/begaran/ny", 2, method="post") == [200, 200]
    assert client.post("/prov/begaran/ny").status_code == 429
    # The limit for every method (10/minute) counted all seven POSTs.
    assert statuses(client, "/prov/begaran/ny", 4) == [200, 200, 200, 429]


def test_the_notice_board_is_limited_but_its_staff_pages_never(apps, make):
    app = apps()
    assert statuses(visitor(app), "/prov/anslagstavla/", 5)[-1] == 429

    registrar = make.user(role=Role.REGISTRAR)
    staff = visitor(app, "198.51.100.7")
    login = staff.post("/login", data={"email": registrar.email, "password": PASSWORD})
    assert login.status_code == 302
    assert statuses(staff, "/prov/anslagstavla/hantera/", 8) == [200] * 8
    assert statuses(staff, "/cases/", 3) == [200] * 3


def test_only_existing_public_endpoints_are_limited(apps):
    limited = apps().extensions[EXTENSION]["limits"].limited_endpoints()

    assert limited == {
        "try_request.new": ["10/minute", "POST: 2/minute"],
        "try_board.index": ["4/minute"],
        "try_public.case": ["5/minute"],
        "try_public.postlista": ["2/minute"],
        "try_public.postlista_json": ["2/minute"],
        "try_public.search": ["3/minute;10/hour"],
    }


def test_the_default_limits_cover_the_public_pages(database_url, tmp_path):
    app = create_app(
        {"SECRET_KEY": "test-secret-key", "DATABASE_URL": database_url},
        instance_path=str(tmp_path / "instance"),
    )
    limited = app.extensions[EXTENSION]["limits"].limited_endpoints()
    app.extensions["caseflow.engine"].dispose()

    public = {
        endpoint
        for endpoint in app.view_functions
        if endpoint.split(".")[0] in ("public", "disclosure_public", "noticeboard")
    }
    assert public and public == set(limited)
    assert not any(e.startswith("noticeboard_manage.") for e in limited)
    if "disclosure_public.new" in limited:
        assert "POST: 5/minute;20/day" in limited["disclosure_public.new"]


def test_a_mistyped_limit_stops_the_app_at_start(database_url, tmp_path):
    with pytest.raises(ValueError):
        build_app(
            database_url, tmp_path, PUBLIC_RATE_LIMITS={"try_public.search": "sixty a minute"}
        )


def test_a_forged_forwarded_for_header_does_not_make_a_new_client(apps):
    app = apps()
    answers = [
        visitor(app, "198.51.100.7", x_forwarded_for=f"192.0.2.{n}")
        .get("/prov/diarium/")
        .status_code
        for n in range(4)
    ]
    assert answers == [200, 200, 200, 429]


def test_behind_a_trusted_proxy_the_forwarded_address_is_the_client(apps):
    app = apps(PROXY_FIX_X_FOR=1)
    proxy = "10.0.0.2"
    assert (
        statuses(visitor(app, proxy, x_forwarded_for="192.0.2.1"), "/prov/diarium/", 4)[-1] == 429
    )

    assert visitor(app, proxy, x_forwarded_for="192.0.2.2").get("/prov/diarium/").status_code == 200


def test_an_ipv6_client_is_counted_by_its_64_network(apps):
    app = apps()
    for n in range(3):
        assert visitor(app, f"2001:db8:0:1::{n + 1}").get("/prov/diarium/").status_code == 200

    assert visitor(app, "2001:db8:0:1::ffff").get("/prov/diarium/").status_code == 429
    assert visitor(app, "2001:db8:0:2::1").get("/prov/diarium/").status_code == 200


def test_the_wait_is_said_in_words_rounded_up(apps):
    with apps().test_request_context("/"):
        with force_locale("sv"):
            assert wait_in_words(1) == "1 sekund"
            assert wait_in_words(59) == "59 sekunder"
            assert wait_in_words(61) == "2 minuter"
        with force_locale("en"):
            assert wait_in_words(120) == "2 minutes"
            assert wait_in_words(3599) == "1 hour"
            assert wait_in_words(3601) == "2 hours"


@pytest.fixture
def redis_server():
    if redis_binary() is None:
        require_or_skip(MISSING)
    with RedisServer() as server:
        yield server


def test_two_workers_sharing_redis_count_one_client_together(apps, redis_server):
    first = apps(RATELIMIT_STORAGE_URI=redis_server.url)
    second = apps(RATELIMIT_STORAGE_URI=redis_server.url)

    assert statuses(visitor(first), "/prov/diarium/", 2) == [200, 200]
    assert visitor(second).get("/prov/diarium/").status_code == 200

    assert visitor(first).get("/prov/diarium/").status_code == 429
    assert visitor(second).get("/prov/diarium/").status_code == 429
    assert visitor(second, "203.0.113.20").get("/prov/diarium/").status_code == 200


def test_pages_keep_working_when_the_storage_is_down(apps, caplog):
    closed = f"redis://127.0.0.1:{free_port()}/0"
    app = apps(RATELIMIT_STORAGE_URI=closed)
    client = visitor(app)

    with caplog.at_level(logging.WARNING, logger="flask-limiter"):
        assert client.get("/prov/diarium/").status_code == 200

    assert "unreachable" in caplog.text
    # The limits are still counted, in this process's memory, until Redis answers again.
    assert statuses(client, "/prov/diarium/", 3) == [200, 200, 429]
