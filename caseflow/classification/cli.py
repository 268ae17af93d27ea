"""``caseflow classification …``: import, export and list the structure."""

from pathlib import Path

import click
from flask.cli import AppGroup
from flask_babel import gettext as _

from caseflow.classification import files, services
from caseflow.common.cli import echo_json, transaction

classification_group = AppGroup(
    "classification", help="The classification structure (klassificeringsstruktur)."
)


@classification_group.command("import")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True)
def import_command(file, as_json):
    """Import classes from CSV (header row) or JSON (format: see README). All or nothing;
    codes that exist are updated, and cases whose old code is now a process are linked."""
    with transaction() as session:
        report = files.import_classes(session, files.read_entries(file))
    if as_json:
        echo_json(report)
    else:
        click.echo(
            _(
                "%(created)s classes added, %(updated)s updated, %(unchanged)s unchanged; "
                "%(linked)s cases linked to their class.",
                created=report["created"],
                updated=report["updated"],
                unchanged=report["unchanged"],
                linked=report["cases_linked"],
            )
        )


@classification_group.command("export")
@click.option(
    "--format", "fmt", type=click.Choice(["csv", "json"]), default="csv", show_default=True
)
def export_command(fmt):
    """Print the whole structure in the import's format (it imports back unchanged)."""
    with transaction() as session:
        rows = files.export_rows(session)
    click.echo(files.rows_to_csv(rows) if fmt == "csv" else files.rows_to_json(rows), nl=False)
    if fmt == "json":
        click.echo()


@classification_group.command("list")
@click.option("--json", "as_json", is_flag=True)
def list_command(as_json):
    """List the classes in tree order, with their kind and retention rule."""
    with transaction() as session:
        tree = services.build_tree(services.all_classes(session))
        codes = {row["cls"].id: row["cls"].code for row in tree}
        rows = [
            {
                "code": row["cls"].code,
                "title": row["cls"].title,
                "kind": row["kind"].value,
                "depth": row["depth"],
                "parent_code": codes.get(row["cls"].parent_id),
                "active": row["cls"].is_active,
                "retention": services.RETENTION_EXPORT.get(row["cls"].retention_action),
                "retention_years": row["cls"].retention_years,
                "retention_decision": row["cls"].retention_decision,
                "secrecy_note": row["cls"].secrecy_note,
            }
            for row in tree
        ]
    if as_json:
        echo_json(rows)
        return
    for row in rows:
        inactive = "" if row["active"] else "  " + _("(not in use)")
        click.echo(f"{'  ' * (row['depth'] - 1)}{row['code']}  {row['title']}{inactive}")
