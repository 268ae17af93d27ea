"""``caseflow unit …`` and ``caseflow organisation …``."""

import click
from flask.cli import AppGroup
from flask_babel import gettext as _

from caseflow.common.cli import echo_json, transaction
from caseflow.db import get_session
from caseflow.organisation import services

unit_group = AppGroup("unit", help="Organisational units (enheter).")
organisation_group = AppGroup("organisation", help="The organisation profile.")


def _unit_dict(row: services.UnitRow) -> dict:
    return {"name": row.unit.name, "path": row.path, "is_active": row.unit.is_active}


@unit_group.command("add")
@click.option("--name", required=True)
@click.option("--parent", default=None, help="The unit it is part of.")
@click.option("--json", "as_json", is_flag=True)
def unit_add(name, parent, as_json):
    """Add a unit, optionally inside another."""
    with transaction() as session:
        parent_unit = services.get_unit(session, parent) if parent else None
        unit = services.create_unit(session, name=name, parent=parent_unit)
    if as_json:
        echo_json({"name": unit.name, "parent": parent_unit.name if parent_unit else None})
    else:
        click.echo(_("Added the unit %(name)s.", name=unit.name))


@unit_group.command("list")
@click.option("--json", "as_json", is_flag=True)
def unit_list(as_json):
    """Every unit, in tree order."""
    rows = services.unit_tree(get_session())
    if as_json:
        echo_json([_unit_dict(row) for row in rows])
        return
    for row in rows:
        closed = "" if row.unit.is_active else " (" + _("closed") + ")"
        click.echo(f"{row.path}{closed}")


@unit_group.command("deactivate")
@click.argument("name")
def unit_deactivate(name):
    """Close a unit: it keeps its cases and users but takes no new ones."""
    with transaction() as session:
        unit = services.set_unit_active(session, services.get_unit(session, name), False)
    click.echo(_("The unit %(name)s is closed.", name=unit.name))


@unit_group.command("activate")
@click.argument("name")
def unit_activate(name):
    """Put a closed unit in use again."""
    with transaction() as session:
        unit = services.set_unit_active(session, services.get_unit(session, name), True)
    click.echo(_("The unit %(name)s is in use again.", name=unit.name))


def _profile_dict(snapshot: services.ProfileSnapshot) -> dict:
    return {
        "name": snapshot.name,
        "org_number": snapshot.org_number,
        "postal_address": snapshot.postal_address,
        "phone": snapshot.phone,
        "email": snapshot.email,
        "web": snapshot.web,
        "has_logo": snapshot.has_logo,
    }


@organisation_group.command("show")
@click.option("--json", "as_json", is_flag=True)
def organisation_show(as_json):
    """The profile printed on documents and e-mail."""
    data = _profile_dict(services.profile_snapshot(get_session()))
    if as_json:
        echo_json(data)
    else:
        for key, value in data.items():
            click.echo(f"{key}: {value}")


@organisation_group.command("set")
@click.option("--name", default=None)
@click.option("--org-number", default=None)
@click.option("--postal-address", default=None)
@click.option("--phone", default=None)
@click.option("--email", default=None)
@click.option("--web", default=None)
@click.option("--logo", type=click.File("rb"), default=None, help="A PNG or JPEG file.")
@click.option("--json", "as_json", is_flag=True)
def organisation_set(name, org_number, postal_address, phone, email, web, logo, as_json):
    """Change the profile; options left out keep their value."""
    with transaction() as session:
        current = services.get_profile(session)
        given = {
            "name": name,
            "org_number": org_number,
            "postal_address": postal_address,
            "phone": phone,
            "email": email,
            "web": web,
        }
        values = {
            key: value if value is not None else getattr(current, key)
            for key, value in given.items()
        }
        services.update_profile(session, **values, logo=logo.read() if logo else None)
    data = _profile_dict(services.profile_snapshot(get_session()))
    if as_json:
        echo_json(data)
    else:
        click.echo(_("The organisation profile has been saved."))
