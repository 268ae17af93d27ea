"""The delegationsordning on the command line, and a decision under delegation made there."""

import json

from sqlmodel import select

from caseflow.cases.models import Case
from caseflow.cli import cli
from caseflow.meetings.delegation_models import DelegatedDecision
from tests.meetings.conftest import RESTING_ON

ADD = ["delegation", "add", "--organ", "RS", "--code", "3.2"]
MATTER = ["--matter", "Beslut om medfinansiering av projekt upp till 500 000 kr"]


def _regionstyrelsen(make):
    organ = make.session.merge(make.organ("Regionstyrelsen"))
    organ.short_name = "RS"
    make.session.commit()


def test_a_delegation_is_added_and_listed(runner, make):
    _regionstyrelsen(make)
    result = runner.invoke(
        cli,
        [*ADD, *MATTER, "--delegate", "Regiondirektör", "--resting-on", RESTING_ON]
        + ["--limits", "Högst 500 000 kr", "--valid-from", "2021-03-01", "--json"],
    )
    assert result.exit_code == 0, result.output
    added = json.loads(result.output)
    assert (added["organ"], added["code"], added["resting_on"]) == (
        "Regionstyrelsen",
        "3.2",
        RESTING_ON,
    )
    assert (added["valid_from"], added["valid_to"], added["is_active"]) == (
        "2021-03-01",
        None,
        True,
    )
    listed = json.loads(
        runner.invoke(cli, ["delegation", "list", "--organ", "RS", "--json"]).output
    )
    assert [row["code"] for row in listed] == ["3.2"]
    text = runner.invoke(cli, ["delegation", "list"])
    assert text.exit_code == 0 and "Regionstyrelsen\t3.2\t" in text.output


def test_a_bad_delegation_is_refused_in_one_line(runner, make):
    _regionstyrelsen(make)
    base = [*ADD, *MATTER, "--delegate", "Regiondirektör", "--resting-on", RESTING_ON]
    assert runner.invoke(cli, base).exit_code == 0
    twice = runner.invoke(cli, base)
    assert twice.exit_code == 2 and "redan" in twice.output
    backwards = runner.invoke(
        cli, [*base[:5], "3.3", *base[6:], "--valid-from", "2022-01-01", "--valid-to", "2021-01-01"]
    )
    assert backwards.exit_code == 2 and "innan den börjar" in backwards.output
    no_body = runner.invoke(cli, ["delegation", "list", "--organ", "Kommunfullmäktige"])
    assert no_body.exit_code == 2 and "Kommunfullmäktige" in no_body.output
    bad_day = runner.invoke(cli, [*base[:5], "3.4", *base[6:], "--valid-from", "1 mars"])
    assert bad_day.exit_code == 2 and "--valid-from" in bad_day.output


def test_the_officer_decides_under_delegation_on_the_command_line(
    runner,
    make,
    board,
    preparing,
):
    _organ, delegation = board
    case = preparing()
    result = runner.invoke(
        cli,
        ["delegation", "decide", case.number, "--delegation", str(delegation.id)]
        + ["--decided-on", "2021-11-10", "--decided-by", "Hans Svensson, Regiondirektör"]
        + ["--as", preparing.erik.email, "--json"],
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert (data["status"], data["delegation"], data["decided_on"]) == (
        "decided",
        "3.2",
        "2021-11-10",
    )
    make.fresh()
    decision = make.session.exec(select(DelegatedDecision)).one()
    assert decision.document_id == data["document_id"]
    assert len(json.loads(decision.points)) == 2  # the memo's proposal points
    assert make.session.get(Case, case.id).status == "decided"
