"""``caseflow excerpt export|verify``, ``caseflow meeting list`` and ``caseflow meeting show``."""

from pathlib import Path

import click
from flask.cli import AppGroup
from flask_babel import gettext as _
from flask_babel import ngettext

from caseflow.cases.services import get_case_by_number
from caseflow.common.cli import CliError, echo_json, transaction
from caseflow.documents.storage import file_store
from caseflow.meetings import excerpts, records
from caseflow.meetings.cli_text import meeting_text
from caseflow.meetings.decisions import latest_decided_item
from caseflow.meetings.forms import MEETING_STATUS_LABELS
from caseflow.meetings.models import Meeting
from caseflow.pdf import converter
from caseflow.seal import unconfigured_reason
from caseflow.seal.cli import verify_command

excerpt_group = AppGroup("excerpt", help="Protocol excerpts.")
excerpt_group.add_command(verify_command)


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
    if fmt == "pdf" and (unsealed := unconfigured_reason()):
        click.echo(unsealed, err=True)


meeting_group = AppGroup("meeting", help="Meetings: their agenda, attendance and decisions.")


@meeting_group.command("list")
@click.option("--organ", default=None, help="Only this decision body's meetings (name or short).")
@click.option("--json", "as_json", is_flag=True)
def meeting_list(organ, as_json):
    """Every meeting, the latest first."""
    with transaction() as session:
        data = [records.meeting_summary(session, m) for m in records.meetings_of(session, organ)]
    if as_json:
        echo_json(data)
        return
    for row in data:
        status = str(MEETING_STATUS_LABELS.get(row["status"], row["status"]))
        items = ngettext("%(num)d item", "%(num)d items", row["items"])
        click.echo(
            f"{row['id']}\t{row['starts_at'][:16].replace('T', ' ')}\t{row['organ']}\t"
            f"{row['place']}\t{status}\t{items}"
        )


@meeting_group.command("show")
@click.argument("meeting_id", type=int)
@click.option("--json", "as_json", is_flag=True)
def meeting_show(meeting_id, as_json):
    """A meeting with its attendance and what happened under each item."""
    with transaction() as session:
        meeting = session.get(Meeting, meeting_id)
        if meeting is None:
            raise CliError(_("There is no meeting with the id %(id)s.", id=meeting_id))
        data = records.meeting_record(session, meeting)
    if as_json:
        echo_json(data)
    else:
        click.echo(meeting_text(data))
