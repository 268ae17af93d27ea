"""``caseflow organ …``: the register of decision bodies and their members."""

import click
from flask.cli import AppGroup
from flask_babel import gettext as _

from caseflow.common.cli import echo_json, parse_day, transaction
from caseflow.db import get_session
from caseflow.meetings import organs
from caseflow.meetings.models import MemberRole

organ_group = AppGroup("organ", help="Decision bodies (organ) and their members.")


@organ_group.command("add")
@click.option("--name", required=True, help='E.g. "Regionstyrelsen".')
@click.option("--short-name", default=None, help="E.g. RS.")
@click.option(
    "--series", "series_code", default=None, help="The series its cases usually belong to."
)
@click.option("--chair-title", default=None, help='Default "Ordförande".')
@click.option("--json", "as_json", is_flag=True)
def organ_add(name, short_name, series_code, chair_title, as_json):
    """Add a decision body."""
    with transaction() as session:
        organ = organs.create_organ(
            session,
            name=name,
            short_name=short_name,
            series_code=series_code,
            chair_title=chair_title,
        )
        data = organs.organ_to_dict(session, organ)
    if as_json:
        echo_json(data)
    else:
        click.echo(_("Added the decision body %(name)s.", name=organ.name))


@organ_group.command("list")
@click.option("--members", "with_members", is_flag=True, help="Include each body's members.")
@click.option("--json", "as_json", is_flag=True)
def organ_list(with_members, as_json):
    """Every decision body."""
    session = get_session()
    data = [
        organs.organ_to_dict(session, organ, members=with_members)
        for organ in organs.list_organs(session)
    ]
    if as_json:
        echo_json(data)
        return
    for row in data:
        closed = "" if row["is_active"] else " (" + _("not in use") + ")"
        click.echo(f"{row['name']}\t{row['short_name'] or ''}\t{row['series'] or ''}{closed}")
        for member in row.get("members", []):
            click.echo(f"  {member['name']}\t{member['role']}\t{member['term_from']}")


@organ_group.command("member-add")
@click.argument("organ")
@click.option("--name", required=True)
@click.option("--role", required=True, type=click.Choice([r.value for r in MemberRole]))
@click.option("--from", "term_from", required=True, help="First day of the term, e.g. 2023-01-01.")
@click.option("--to", "term_to", default=None, help="Last day of the term.")
@click.option("--email", default=None)
@click.option("--affiliation", default=None, help="Party or affiliation, e.g. S.")
@click.option("--json", "as_json", is_flag=True)
def organ_member_add(organ, name, role, term_from, term_to, email, affiliation, as_json):
    """Add a member to the body ORGAN (its name or short name)."""
    start, end = parse_day(term_from, "--from"), parse_day(term_to, "--to")
    with transaction() as session:
        body = organs.organ_by_name(session, organ)
        member = organs.add_member(
            session,
            body,
            name=name,
            role=role,
            term_from=start,
            term_to=end,
            email=email,
            affiliation=affiliation,
        )
        data = organs.member_to_dict(member)
    if as_json:
        echo_json(data)
    else:
        click.echo(_("Added %(name)s to %(organ)s.", name=member.name, organ=body.name))
