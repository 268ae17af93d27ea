"""``caseflow delegation …``: the delegationsordning, and decisions taken under it."""

import click
from flask import g
from flask.cli import AppGroup
from flask_babel import gettext as _

from caseflow.cases.services import get_case_by_number
from caseflow.common.cli import echo_json, parse_day, transaction
from caseflow.common.timeutil import today
from caseflow.db import get_session
from caseflow.documents.storage import file_store
from caseflow.meetings import delegated_decisions as deciding
from caseflow.meetings import delegation as register
from caseflow.meetings.organs import organ_by_name

delegation_group = AppGroup("delegation", help="The delegationsordning of the decision bodies.")


@delegation_group.command("add")
@click.option("--organ", "organ_name", required=True, help="The body's name or short name.")
@click.option("--code", required=True, help='The number in the delegationsordning, e.g. "3.2".')
@click.option("--matter", required=True, help="The kind of decision delegated.")
@click.option("--delegate", required=True, help='A role or a person, e.g. "Regiondirektör".')
@click.option(
    "--resting-on", required=True, help='The body\'s decision it rests on: "RS 2024-02-06 § 12".'
)
@click.option("--limits", default=None, help="Limits and conditions.")
@click.option("--valid-from", default=None, help="First day it is valid (default: today).")
@click.option("--valid-to", default=None, help="Last day it is valid.")
@click.option("--json", "as_json", is_flag=True)
def delegation_add(
    organ_name, code, matter, delegate, resting_on, limits, valid_from, valid_to, as_json
):
    """Add a line to a body's delegationsordning."""
    start = parse_day(valid_from, "--valid-from") or today()
    end = parse_day(valid_to, "--valid-to")
    with transaction() as session:
        organ = organ_by_name(session, organ_name)
        delegation = register.add_delegation(
            session,
            organ,
            code=code,
            matter=matter,
            delegate=delegate,
            resting_on=resting_on,
            limits=limits,
            valid_from=start,
            valid_to=end,
        )
        data = register.delegation_values(delegation)
    if as_json:
        echo_json(data)
    else:
        click.echo(
            _("Added delegation %(code)s to %(organ)s.", code=data["code"], organ=data["organ"])
        )


@delegation_group.command("list")
@click.option("--organ", "organ_name", default=None, help="Only this body's delegations.")
@click.option("--json", "as_json", is_flag=True)
def delegation_list(organ_name, as_json):
    """Every line of the delegationsordning, those in use first."""
    session = get_session()
    if organ_name:
        rows = register.delegations_of(session, organ_by_name(session, organ_name))
    else:
        rows = register.all_delegations(session)
    data = [register.delegation_values(d) for d in rows]
    if as_json:
        echo_json(data)
        return
    for row in data:
        closed = "" if row["is_active"] else " (" + _("not in use") + ")"
        valid = f"{row['valid_from']}–{row['valid_to'] or ''}"
        click.echo(
            f"{row['organ']}\t{row['code']}\t{row['matter']}\t{row['delegate']}\t"
            f"{row['resting_on']}\t{valid}{closed}"
        )


@delegation_group.command("decide")
@click.argument("number")
@click.option("--delegation", "delegation_id", required=True, type=int, help="The delegation's id.")
@click.option("--decided-on", default=None, help="The date of the decision (default: today).")
@click.option("--decided-by", required=True, help="Name and title the decision is signed with.")
@click.option("--as", "actor_email", required=True, help="The case's officer.")
@click.option("--json", "as_json", is_flag=True)
def delegation_decide(number, delegation_id, decided_on, decided_by, actor_email, as_json):
    """Decide the case NUMBER under a delegation, with the memo's proposal points."""
    day = parse_day(decided_on, "--decided-on") or today()
    with transaction(actor_email) as session:
        case = get_case_by_number(session, number)
        decision = deciding.decide_under_delegation(
            session,
            file_store(),
            case,
            delegation=register.get_delegation(session, delegation_id),
            points=deciding.proposal_points(session, case),
            decided_on=day,
            decided_by_name=decided_by,
            user=g.cli_actor,
        )
        data = {
            "number": case.number,
            "status": case.status,
            "delegation": decision.delegation.code,
            "decided_on": decision.decided_on.isoformat(),
            "document_id": decision.document_id,
        }
    if as_json:
        echo_json(data)
    else:
        click.echo(
            _(
                "%(number)s is decided under delegation %(code)s.",
                number=data["number"],
                code=data["delegation"],
            )
        )
