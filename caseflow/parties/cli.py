"""``caseflow party …``: the parties register from scripts."""

import click
from flask import g
from flask.cli import AppGroup
from flask_babel import gettext as _

from caseflow.common.cli import echo_json, transaction
from caseflow.common.permissions import may_see_secrets
from caseflow.common.projection import Audience, party_label, party_to_dict
from caseflow.parties.models import PartyKind
from caseflow.parties.services import create_party, search_parties

party_group = AppGroup("party", help="The parties register: list and add.")

AS_HELP = "See and act as this user (protected persons are masked for users without the right)."


def _audience() -> Audience:
    actor = g.get("cli_actor")
    return Audience.HOLDER if may_see_secrets(actor, None) else Audience.STAFF


@party_group.command("list")
@click.option("--search", "q", default=None, help="Part of a name, an address or a number.")
@click.option("--as", "actor_email", default=None, help=AS_HELP)
@click.option("--json", "as_json", is_flag=True)
def party_list(q, actor_email, as_json):
    """List the register (merged duplicates left out)."""
    with transaction(actor_email) as session:
        audience = _audience()
        found = search_parties(session, q, sees_protected=audience == Audience.HOLDER)
        rows = [party_to_dict(p, audience) for p in found]
    if as_json:
        echo_json(rows)
        return
    for party, row in zip(found, rows, strict=True):
        click.echo(
            f"{party.id}\t{row['kind']}\t{party_label(party, audience)}\t{row['email'] or ''}"
        )


@party_group.command("add")
@click.option(
    "--kind", type=click.Choice([k.value for k in PartyKind]), default=PartyKind.PERSON.value
)
@click.option("--name", required=True)
@click.option("--email", default=None)
@click.option("--phone", default=None)
@click.option("--organisation-id", type=int, default=None, help="A person's organisation.")
@click.option("--protected", "is_protected", is_flag=True, help="Skyddade personuppgifter.")
@click.option("--org-number", default=None, help="Organisationsnummer, NNNNNN-NNNN.")
@click.option("--country", default=None, help="Two-letter code of a foreign organisation.")
@click.option("--domain", "domains", multiple=True, help="An organisation's e-mail domain.")
@click.option("--address", "postal_address", default=None, help="Postal address.")
@click.option("--as", "actor_email", default=None, help="Registered by this user.")
@click.option("--json", "as_json", is_flag=True)
def party_add(kind, actor_email, as_json, domains, **values):
    """Add an organisation or a person to the register."""
    with transaction(actor_email) as session:
        party = create_party(session, kind=kind, domains=list(domains), **values)
        row = party_to_dict(party, _audience())
    if as_json:
        echo_json(row)
    else:
        click.echo(_("Party %(id)s added.", id=party.id))
