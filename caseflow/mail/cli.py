"""``caseflow mail import``"""

import json
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

mail_group = AppGroup("mail", help="Mail intake.")


@mail_group.command("import")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option(
    "--json", "as_json", is_flag=True, help="One JSON object per message, in input order."
)
def import_command(paths, as_json):
    """Import .eml files, folders of them, mbox files and maildirs. Safe to run again."""
    from caseflow.documents.storage import file_store
    from caseflow.mail.intake import import_one, read_sources

    app = current_app._get_current_object()
    counts: dict[str, int] = {}
    for mail in read_sources(list(paths)):
        report = import_one(app, file_store(), mail)
        counts[report["status"]] = counts.get(report["status"], 0) + 1
        if as_json:
            click.echo(json.dumps(report, ensure_ascii=False))
    if not as_json:
        click.echo(
            ", ".join(f"{status}: {n}" for status, n in sorted(counts.items())) or "No messages."
        )
