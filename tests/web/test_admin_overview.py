"""The admin's start page: the set-up checklist, each step marked done once the register
behind it holds what a registrar needs."""

import re
from datetime import date

from caseflow.cli import cli

STEP = re.compile(r'<li><a href="(?P<url>[^"]+)">[^<]+</a>\s*<span class="badge(?P<todo> todo)?">')
ORDER = [
    "/admin/organisation",
    "/admin/series/",
    "/admin/units/",
    "/admin/classification/",
    "/admin/bodies/",
    "/admin/users/",
    "/admin/mailboxes/",
]


def _steps(client) -> dict[str, bool]:
    """{step url: done} in the order the page lists them."""
    response = client.get("/admin/")
    assert response.status_code == 200
    steps = {m["url"]: not m["todo"] for m in STEP.finditer(response.get_data(as_text=True))}
    assert list(steps) == ORDER
    return steps


def _done(client) -> list[str]:
    return [url for url, done in _steps(client).items() if done]


def test_a_new_installation_has_everything_to_do(make, client, login):
    login(make.user("admin"))
    assert _done(client) == []  # the admin alone is not yet a user base


def test_each_step_is_done_once_its_register_holds_what_is_needed(make, client, login, runner):
    login(make.user("admin"))
    client.post("/admin/organisation", data={"name": "Region Jämtland Härjedalen"})
    assert _done(client) == ["/admin/organisation"]

    assert (
        runner.invoke(cli, ["series", "add", "--code", "KS", "--name", "Kommunstyrelsen"]).exit_code
        == 0
    )
    assert runner.invoke(cli, ["unit", "add", "--name", "Näringsliv"]).exit_code == 0
    make.user("registrar")
    make.mailbox()
    assert _done(client) == [
        "/admin/organisation",
        "/admin/series/",
        "/admin/units/",
        "/admin/users/",
        "/admin/mailboxes/",
    ]
    make.classification()
    assert _done(client) == [
        "/admin/organisation",
        "/admin/series/",
        "/admin/units/",
        "/admin/classification/",
        "/admin/users/",
        "/admin/mailboxes/",
    ]


def test_closed_series_and_units_do_not_count(make, client, login, runner):
    runner.invoke(cli, ["series", "add", "--code", "KS", "--name", "Kommunstyrelsen"])
    runner.invoke(cli, ["unit", "add", "--name", "Näringsliv"])
    runner.invoke(cli, ["series", "deactivate", "KS"])
    runner.invoke(cli, ["unit", "deactivate", "Näringsliv"])
    login(make.user("admin"))
    steps = _steps(client)
    assert not steps["/admin/series/"] and not steps["/admin/units/"]


def test_the_bodies_step_shows_done_once_a_body_has_members(make, client, login, runner):
    login(make.user("admin"))
    assert runner.invoke(cli, ["organ", "add", "--name", "Regionstyrelsen"]).exit_code == 0
    assert not _steps(client)["/admin/bodies/"]  # a body without members cannot meet
    result = runner.invoke(
        cli,
        ["organ", "member-add", "Regionstyrelsen", "--name", "Anna Ordförande"]
        + ["--role", "chair", "--from", date(2023, 1, 1).isoformat()],
    )
    assert result.exit_code == 0, result.output
    assert _steps(client)["/admin/bodies/"]


def test_a_body_whose_members_terms_have_all_ended_is_not_done(make, client, login, runner):
    login(make.user("admin"))
    runner.invoke(cli, ["organ", "add", "--name", "Regionstyrelsen"])
    result = runner.invoke(
        cli,
        ["organ", "member-add", "Regionstyrelsen", "--name", "Gammal Ledamot", "--role", "member"]
        + ["--from", "2019-01-01", "--to", "2022-12-31"],
    )
    assert result.exit_code == 0, result.output
    assert not _steps(client)["/admin/bodies/"]  # nobody left to hold a meeting
