"""``caseflow document …``: corrections for scripts, the same services as the web."""

import click
from flask import g
from flask.cli import AppGroup
from flask_babel import gettext as _

from caseflow.cases.models import Case
from caseflow.cases.services import get_case_by_number
from caseflow.common.cli import CliError, echo_json, transaction
from caseflow.common.projection import document_number
from caseflow.common.secrecy import document_to_dict
from caseflow.documents import corrections

document_group = AppGroup("document", help="Documents: correct and move registrations.")

AS_HELP = "The registrar who makes the correction (recorded in the audit trail)."


def _case_of(session, doc):
    return session.get(Case, doc.case_id) if doc.case_id else None


@document_group.command("correct")
@click.argument("number")
@click.option(
    "--field",
    "field_name",
    required=True,
    help="One of: " + ", ".join(corrections.CORRECTABLE_FIELDS) + ".",
)
@click.option("--value", required=True, help="Dates as 2021-11-03; flags as yes or no.")
@click.option("--reason", required=True, help="Why the registration was wrong.")
@click.option("--as", "actor_email", default=None, help=AS_HELP)
@click.option("--json", "as_json", is_flag=True)
def document_correct(number, field_name, value, reason, actor_email, as_json):
    """Correct one field of the document NUMBER (RS/720/2021-3): a rättelse with a reason."""
    with transaction(actor_email) as session:
        doc = corrections.get_document_by_number(session, number)
        parsed = corrections.parse_field_value(field_name, value)
        corrections.correct_document(
            session, doc, {field_name: parsed}, reason, actor=g.get("cli_actor")
        )
        case = _case_of(session, doc)
        # Shown as the acting user may see it: without --as, secrets are masked.
        data = document_to_dict(doc, case, g.get("cli_actor"))
    if as_json:
        echo_json(data | {"corrected": field_name, "reason": reason.strip()})
    else:
        click.echo(_("%(number)s: %(field)s corrected.", number=data["number"], field=field_name))


@document_group.command("move")
@click.argument("number")
@click.option("--to", "target_number", default=None, help="The case to move it to.")
@click.option("--loose", is_flag=True, help="Make it unfiled (löpande post) instead.")
@click.option("--reason", required=True, help="Why it was misfiled.")
@click.option("--as", "actor_email", default=None, help=AS_HELP)
@click.option("--json", "as_json", is_flag=True)
def document_move(number, target_number, loose, reason, actor_email, as_json):
    """Move the misfiled document NUMBER to another case (--to) or to löpande post (--loose);
    its old number stays as a voided entry pointing to the new one."""
    if bool(target_number) == bool(loose):
        raise CliError(_("Give either --to CASE_NUMBER or --loose."))
    with transaction(actor_email) as session:
        doc = corrections.get_document_by_number(session, number)
        old = document_number(doc, _case_of(session, doc))
        target = None if loose else get_case_by_number(session, target_number)
        corrections.move_document(session, doc, target, reason, actor=g.get("cli_actor"))
        new = document_number(doc, target)
    if as_json:
        echo_json({"from": old, "to": new, "reason": reason.strip()})
    else:
        click.echo(f"{old or '—'} → {new or _('(unfiled)')}")
