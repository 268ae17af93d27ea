"""``caseflow series …``: the register of series."""

import click
from flask.cli import AppGroup
from flask_babel import gettext as _

from caseflow.cases import series as register
from caseflow.common.cli import echo_json, transaction
from caseflow.db import get_session

series_group = AppGroup("series", help="Series (diarieserier): add, list, close.")


@series_group.command("add")
@click.option("--code", required=True, help="One to six letters, e.g. KS.")
@click.option("--name", required=True, help='E.g. "Kommunstyrelsen".')
@click.option("--json", "as_json", is_flag=True)
def series_add(code, name, as_json):
    """Add a series; its cases are numbered CODE/N/YEAR."""
    with transaction() as session:
        series = register.create_series(session, code=code, name=name)
    if as_json:
        echo_json(register.series_to_dict(series))
    else:
        click.echo(_("Added the series %(code)s (%(name)s).", code=series.code, name=series.name))


@series_group.command("list")
@click.option("--json", "as_json", is_flag=True)
def series_list(as_json):
    """Every series, with its number of cases."""
    rows = register.list_series(get_session())
    if as_json:
        echo_json([register.series_to_dict(series, count) for series, count in rows])
        return
    for series, count in rows:
        closed = "" if series.is_active else " (" + _("closed") + ")"
        click.echo(f"{series.code}\t{series.name}\t{count}{closed}")


@series_group.command("deactivate")
@click.argument("code")
def series_deactivate(code):
    """Close a series to new cases; its cases and numbers stay."""
    with transaction() as session:
        series = register.set_series_active(session, register.series_by_code(session, code), False)
    click.echo(_("The series %(code)s is closed to new cases.", code=series.code))


@series_group.command("activate")
@click.argument("code")
def series_activate(code):
    """Open a closed series again."""
    with transaction() as session:
        series = register.set_series_active(session, register.series_by_code(session, code), True)
    click.echo(_("The series %(code)s is open for new cases again.", code=series.code))
