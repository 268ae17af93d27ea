"""``caseflow excerpt export``"""

from pathlib import Path

import click
from flask.cli import AppGroup
from flask_babel import gettext as _

from caseflow.cases.services import get_case_by_number
from caseflow.common.cli import CliError, transaction
from caseflow.documents.storage import file_store
from caseflow.meetings import excerpts
from caseflow.meetings.services import latest_decided_item
from caseflow.pdf import converter

excerpt_group = AppGroup("excerpt", help="Protocol excerpts.")


@excerpt_group.command("export")
@click.argument("number")
@click.option(
    "--format", "fmt", type=click.Choice(["docx", "pdf"]), default="pdf", show_default=True
)
@click.option(
    "-o",
    "--output",
    "output",
    required=True,
    type=click.Path(dir_okay=True, path_type=Path),
    help="A file, or a folder to write the excerpt into under its own name.",
)
def export_excerpt(number, fmt, output):
    """Write the excerpt of the case's latest decided § (attested protocols only)."""
    with transaction() as session:
        case = get_case_by_number(session, number)
        item = latest_decided_item(session, case)
        if item is None:
            raise CliError(_("%(number)s has no decided paragraph.", number=case.number))
        if fmt == "pdf":
            try:
                content = excerpts.excerpt_pdf(session, file_store(), item)
            except converter.PdfError as exc:
                raise CliError(str(exc)) from exc
        else:
            content, _template = excerpts.render_excerpt(session, file_store(), item)
        target = (
            output / excerpts.excerpt_filename(session, item, fmt) if output.is_dir() else output
        )
    target.write_bytes(content)
    click.echo(str(target))
