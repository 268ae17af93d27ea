"""``caseflow series …``: the register of series."""

import click
from flask.cli import AppGroup
from flask_babel import gettext as _

from caseflow.cases import series as register
from caseflow.common.cli import echo_json, transaction
from caseflow.db import get_session

series_group = AppGroup("series", help="Series (diarieserier): add, edit, list, close.")

_FILES_FROM_HELP = (
    "The date (YYYY-MM-DD) from which the series publishes the files a registrar marks "
    "published in the public register (by the document's date)."
)


@series_group.command("add")
@click.option("--code", required=True, help="One to six letters, e.g. KS.")
@click.option("--name", required=True, help='E.g. "Kommunstyrelsen".')
@click.option("--publish-files-from", "files_from", help=_FILES_FROM_HELP + " Default: none.")
@click.option("--json", "as_json", is_flag=True)
def series_add(code, name, files_from, as_json):
    """Add a series; its cases are numbered CODE/N/YEAR."""
    with transaction() as session:
        series = register.create_series(
            session, code=code, name=name, publish_files_from=files_from
        )
    if as_json:
        echo_json(register.series_to_dict(series))
    else:
        click.echo(_("Added the series %(code)s (%(name)s).", code=series.code, name=series.name))


@series_group.command("edit")
@click.argument("code")
@click.option("--name", help="A new name; the code never changes.")
@click.option(
    "--publish-files-from",
    "files_from",
    help=_FILES_FROM_HELP + ' "" (empty): the series publishes no files.',
)
@click.option("--json", "as_json", is_flag=True)
def series_edit(code, name, files_from, as_json):
    """Rename a series or set from which date it publishes files."""
    with transaction() as session:
        series = register.series_by_code(session, code)
        register.update_series(
            session,
            series,
            name=series.name if name is None else name,
            publish_files_from=series.publish_files_from if files_from is None else files_from,
        )
    if as_json:
        echo_json(register.series_to_dict(series))
    else:
        click.echo(_("The series %(code)s has been saved.", code=series.code))


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
