"""``caseflow user …``"""

import sys

import click
from flask.cli import AppGroup
from flask_babel import gettext as _

from caseflow.auth.models import Role
from caseflow.auth.services import create_user
from caseflow.common.cli import echo_json, transaction
from caseflow.organisation.services import unit_for_name

user_group = AppGroup("user", help="Users and roles.")


@user_group.command("add")
@click.option("--email", required=True)
@click.option("--name", required=True)
@click.option("--role", required=True, type=click.Choice([r.value for r in Role]))
@click.option("--unit", default=None)
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
@click.option("--json", "as_json", is_flag=True)
def user_add(email, name, role, unit, password_stdin, as_json):
    """Add a user. Without --password-stdin the user cannot log in until given one."""
    password = sys.stdin.readline().rstrip("\r\n") if password_stdin else None
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
