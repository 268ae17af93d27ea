"""``caseflow user …``"""

import sys

import click
from flask import current_app
from flask.cli import AppGroup
from flask_babel import gettext as _

from caseflow.auth.accounts import (
    USER_FILTERS,
    activate_user,
    deactivate_user,
    is_not_activated,
    list_users,
)
from caseflow.auth.models import Role
from caseflow.auth.passwords import set_password
from caseflow.auth.services import create_user, get_user_by_email, set_role
from caseflow.auth.units import unit_of
from caseflow.common.cli import CliError, echo_json, transaction
from caseflow.organisation.services import unit_for_name

user_group = AppGroup("user", help="Users and roles.")
ROLE_CHOICE = click.Choice([r.value for r in Role])


def _read_password() -> str:
    return sys.stdin.readline().rstrip("\r\n")


def _user(session, email: str):
    user = get_user_by_email(session, email)
    if user is None:
        raise CliError(_("No user with the e-mail %(email)s.", email=email))
    return user


def _public(user) -> dict:
    return {
        "id": user.id,
        "email": user.email,
        "name": user.name,
        "role": user.role,
        "unit": unit_of(user),
        "phone": user.phone,
        "is_enabled": user.is_enabled,
        "is_activated": not is_not_activated(user),
    }


def _link(token: str) -> str:
    """The one-time link: BASE_URL (if configured) and the page's path."""
    path = current_app.url_map.bind("").build("auth.set_password_by_link", {"token": token})
    return (current_app.config.get("BASE_URL") or "").rstrip("/") + path


@user_group.command("add")
@click.option("--email", required=True)
@click.option("--name", required=True)
@click.option("--role", required=True, type=ROLE_CHOICE)
@click.option("--unit", default=None)
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
@click.option("--json", "as_json", is_flag=True)
def user_add(email, name, role, unit, password_stdin, as_json):
    """Add a user. Without --password-stdin the user cannot log in until given one."""
    password = _read_password() if password_stdin else None
    with transaction() as session:
        user = create_user(
            session,
            email=email,
            name=name,
            role=role,
            unit=unit_for_name(session, unit),
            password=password,
        )
    if as_json:
        echo_json({"id": user.id, "email": user.email, "name": user.name, "role": user.role})
    else:
        click.echo(_("Added %(email)s (%(role)s).", email=user.email, role=user.role))


@user_group.command("set-password")
@click.argument("email")
@click.option(
    "--password-stdin", is_flag=True, required=True, help="Read the password from standard input."
)
def user_set_password(email, password_stdin):
    """Give a user a new password; every login of theirs ends."""
    password = _read_password()
    with transaction() as session:
        user = set_password(session, _user(session, email), password)
    click.echo(_("The password of %(email)s has been set.", email=user.email))


@user_group.command("set-role")
@click.argument("email")
@click.argument("role", type=ROLE_CHOICE)
@click.option("--json", "as_json", is_flag=True)
def user_set_role(email, role, as_json):
    """Give a user another role (the last active administrator keeps theirs)."""
    with transaction() as session:
        user = set_role(session, _user(session, email), role)
    if as_json:
        echo_json(_public(user))
    else:
        click.echo(_("%(email)s is now %(role)s.", email=user.email, role=user.role))


@user_group.command("activate")
@click.argument("email")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
@click.option("--json", "as_json", is_flag=True)
def user_activate(email, password_stdin, as_json):
    """Activate an officer imported from the previous diarium: with a password read from
    standard input, or else print a one-time link (valid PASSWORD_LINK_HOURS) to hand over."""
    password = _read_password() if password_stdin else None
    hours = current_app.config["PASSWORD_LINK_HOURS"]
    with transaction() as session:
        user = _user(session, email)
        token = activate_user(
            session, user, password=password, link_hours=None if password_stdin else hours
        )
    link = _link(token) if token else None
    if as_json:
        echo_json(dict(_public(user), link=link, link_valid_hours=hours if link else None))
    elif link:
        click.echo(
            _(
                "%(email)s is active. Hand over this link; it works once, for %(hours)s hours:",
                email=user.email,
                hours=hours,
            )
        )
        click.echo(link)
    else:
        click.echo(_("%(email)s is active and can log in.", email=user.email))


@user_group.command("deactivate")
@click.argument("email")
@click.option(
    "--cases-to",
    "successor_email",
    default=None,
    help="E-mail of who takes over the open cases and reminders.",
)
@click.option("--json", "as_json", is_flag=True)
def user_deactivate(email, successor_email, as_json):
    """Deactivate a user: their logins end and their open work goes to --cases-to."""
    with transaction() as session:
        user = _user(session, email)
        successor = _user(session, successor_email) if successor_email else None
        deactivate_user(session, user, successor=successor)
    if as_json:
        echo_json(_public(user))
    else:
        click.echo(_("%(email)s has been deactivated.", email=user.email))


@user_group.command("list")
@click.option("--show", type=click.Choice(list(USER_FILTERS)), default="all", show_default=True)
@click.option("--json", "as_json", is_flag=True)
def user_list(show, as_json):
    """List the users (e.g. --show not_activated: imported officers never activated)."""
    with transaction() as session:
        users = list_users(session, show)
        rows = [_public(u) for u in users]
    if as_json:
        echo_json(rows)
        return
    for row in rows:
        state = (
            _("active")
            if row["is_enabled"]
            else (_("deactivated") if row["is_activated"] else _("not yet activated"))
        )
        click.echo(f"{row['email']}\t{row['name']}\t{row['role']}\t{row['unit'] or ''}\t{state}")
