"""``caseflow case …``."""

import click
from flask import g
from flask.cli import AppGroup
from flask_babel import gettext as _
from sqlmodel import select

from caseflow.auth.models import User
from caseflow.auth.services import get_user_by_email
from caseflow.cases.forms import STATUS_LABELS
from caseflow.cases.queries import CaseFilter, list_cases
from caseflow.cases.services import get_case_by_number, open_case
from caseflow.cases.workflow import apply_transition
from caseflow.classification.services import process_by_code
from caseflow.common.cli import CliError, echo_json, transaction
from caseflow.common.secrecy import case_to_dict
from caseflow.documents.services import case_documents
from caseflow.organisation.services import unit_for_name

case_group = AppGroup("case", help="Cases: create, show, list.")

AS_HELP = "Act and see as this user (secret fields are masked for users who may not see them)."


def _viewer(session, email):
    if not email:
        return None
    user = get_user_by_email(session, email)
    if user is None:
        raise CliError(_("No user with the e-mail %(email)s.", email=email))
    return user


def _users(session, ids):
    ids = {i for i in ids if i}
    return (
        {u.id: u for u in session.exec(select(User).where(User.id.in_(ids))).all()} if ids else {}
    )


@case_group.command("create")
@click.option("--series", required=True, help="Series code, e.g. RS.")
@click.option("--title", required=True)
@click.option("--officer", "officer_email", default=None, help="E-mail of the responsible officer.")
@click.option("--year", type=int, default=None, help="Defaults to the current year.")
@click.option("--unit", default=None)
@click.option("--class", "class_code", default=None, help="The process's class code, e.g. 2.3.1.")
@click.option("--as", "actor_email", default=None, help="Registered by this user.")
@click.option("--json", "as_json", is_flag=True)
def case_create(series, title, officer_email, year, unit, class_code, actor_email, as_json):
    """Open a case with the next number of its series."""
    with transaction(actor_email) as session:
        officer = _viewer(session, officer_email)
        if officer_email and officer is None:
            raise CliError(_("No user with the e-mail %(email)s.", email=officer_email))
        process = process_by_code(session, class_code) if class_code is not None else None
        case = open_case(
            session,
            series_code=series,
            title=title,
            officer=officer,
            year=year,
            unit=unit_for_name(session, unit),
            class_id=process.id if process else None,
        )
    if as_json:
        echo_json(case_to_dict(case, officer, officer=officer))
    else:
        click.echo(case.number)


@case_group.command("show")
@click.argument("number")
@click.option("--as", "viewer_email", default=None, help=AS_HELP)
@click.option("--json", "as_json", is_flag=True)
def case_show(number, viewer_email, as_json):
    """Show a case with its documents."""
    with transaction() as session:
        viewer = _viewer(session, viewer_email)
        case = get_case_by_number(session, number)
        documents = case_documents(session, case)
        officer = _users(session, [case.officer_id]).get(case.officer_id)
        data = case_to_dict(case, viewer, officer=officer, documents=documents)
    if as_json:
        echo_json(data)
        return
    click.echo(f"{data['number']}  {data['title']}  [{STATUS_LABELS[data['status']]}]")
    click.echo(
        _(
            "Officer: %(officer)s  Unit: %(unit)s  Opened: %(opened)s",
            officer=data["officer_name"] or "—",
            unit=data["unit"] or "—",
            opened=data["opened"],
        )
    )
    for doc in data["documents"]:
        click.echo(
            f"  {doc['number']}  {doc['date']}  {doc['direction']:<8}  "
            f"{doc['counterpart']}: {doc['title']}"
        )


@case_group.command("list")
@click.option("--status", type=click.Choice(list(STATUS_LABELS)), default=None)
@click.option("--series", default=None)
@click.option("--year", type=int, default=None)
@click.option("--officer", "officer_email", default=None)
@click.option("--search", "q", default=None, help="Number, title or counterpart.")
@click.option("--limit", type=click.IntRange(1, 100000), default=1000, show_default=True)
@click.option("--as", "viewer_email", default=None, help=AS_HELP)
@click.option("--json", "as_json", is_flag=True)
def case_list(status, series, year, officer_email, q, limit, viewer_email, as_json):
    """List cases, newest first."""
    with transaction() as session:
        viewer = _viewer(session, viewer_email)
        officer = _viewer(session, officer_email)
        if officer_email and officer is None:
            raise CliError(_("No user with the e-mail %(email)s.", email=officer_email))
        page = list_cases(
            session,
            viewer,
            CaseFilter(
                status=status,
                series=series,
                year=year,
                officer_id=officer.id if officer else None,
                q=q,
            ),
            per_page=limit,
        )
        users = _users(session, [c.officer_id for c in page.items])
        rows = [case_to_dict(c, viewer, officer=users.get(c.officer_id)) for c in page.items]
    if as_json:
        echo_json(rows)
        return
    for row in rows:
        click.echo(f"{row['number']:<16} {row['status']:<15} {row['title']}")


@case_group.command("transition")
@click.argument("number")
@click.argument("action")
@click.option("--comment", default=None, help="Required when returning, withdrawing, reopening.")
@click.option("--as", "actor_email", required=True, help="The user who takes the action.")
@click.option("--json", "as_json", is_flag=True)
def case_transition(number, action, comment, actor_email, as_json):
    """Move a case along its path: start, submit, approve, return, close, withdraw, reopen.
    The same rules as in the web UI apply; a delegated decision is made with
    ``caseflow delegation decide``."""
    with transaction(actor_email) as session:
        case = get_case_by_number(session, number)
        before = case.status
        apply_transition(session, case, action, user=g.cli_actor, comment=comment)
    if as_json:
        echo_json({"number": case.number, "action": action, "from": before, "status": case.status})
    else:
        click.echo(f"{case.number}: {before} → {case.status}")
