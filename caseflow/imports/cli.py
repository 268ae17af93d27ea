"""``caseflow import cases``: a previous diarium's register, all or nothing."""

from pathlib import Path

import click
from flask.cli import AppGroup
from flask_babel import gettext as _

from caseflow.common.cli import echo_json, transaction
from caseflow.documents.storage import file_store
from caseflow.imports.importer import import_cases, load_import_file

import_group = AppGroup("import", help="Import from a previous diarium.")


@import_group.command("cases")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True)
def import_cases_command(file, as_json):
    """Import cases from a previous diarium (format: see README). All or nothing."""
    with transaction() as session:
        data = load_import_file(file)
        report = import_cases(session, file_store(), data, base_dir=file.parent)
    if as_json:
        echo_json(report)
        return
    if report["series_created"]:
        click.echo(_("Created the series %(codes)s.", codes=", ".join(report["series_created"])))
    if report["units_created"]:
        click.echo(_("Created the units %(names)s.", names=", ".join(report["units_created"])))
    click.echo(
        _(
            "Imported %(cases)s cases and %(documents)s documents; "
            "%(unchanged)s cases were already there.",
            cases=report["cases_created"],
            documents=report["documents_created"],
            unchanged=report["cases_unchanged"],
        )
    )
