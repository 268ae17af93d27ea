"""``caseflow mail import|poll|mailbox …``"""

import json
import mailbox
import sys
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup
from flask_babel import gettext as _
from sqlmodel import select

from caseflow.common.cli import CliError, echo_json, transaction
from caseflow.common.errors import CaseflowError
from caseflow.db import get_session
from caseflow.documents.storage import file_store
from caseflow.mail.imap import MailboxBusy, PollResult
from caseflow.mail.jobs import Intake, poll_all, poll_mailbox, process_stranded
from caseflow.mail.mailboxes import create_mailbox, get_mailbox, mailbox_snapshot
from caseflow.mail.models import Mailbox
from caseflow.mail.sources import read_sources

mail_group = AppGroup("mail", help="Mail intake.")
mailbox_group = AppGroup("mailbox", help="Functional mailboxes read over IMAP.")
mail_group.add_command(mailbox_group)


def _summary(counts: dict[str, int]) -> str:
    return ", ".join(f"{status}: {n}" for status, n in sorted(counts.items())) or _("No messages.")


@mail_group.command("import")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option(
    "--json", "as_json", is_flag=True, help="One JSON object per message, in input order."
)
def import_command(paths, as_json):
    """Import .eml and .msg files, folders of them, mbox files and maildirs. Safe to run
    again: what was taken before is reported as duplicate and filed nothing twice. A path
    that cannot be read is named on stderr, the others are imported, and the exit code is 1."""
    counts: dict[str, int] = {}
    unreadable = []
    with Intake(current_app._get_current_object(), file_store()) as taker:
        for path in paths:
            try:  # an unreadable file or mbox must not stop the others
                for mail in read_sources([path]):
                    _status, report = taker.take(mail)
                    counts[report["status"]] = counts.get(report["status"], 0) + 1
                    if as_json:
                        click.echo(json.dumps(report, ensure_ascii=False))
            except (OSError, mailbox.Error, UnicodeError) as exc:
                unreadable.append(path)
                click.echo(
                    _("caseflow: cannot read %(path)s: %(error)s", path=path, error=exc), err=True
                )
    if not as_json:
        click.echo(_summary(counts))
    if unreadable:
        sys.exit(1)


@mail_group.command("poll")
@click.option(
    "--mailbox", "mailbox_ref", default=None, help="Name or id; default: every active one."
)
@click.option("--json", "as_json", is_flag=True, help="One JSON object per message, then none.")
def poll_command(mailbox_ref, as_json):
    """Fetch the IMAP mailboxes once: store, route, then move each message on the server."""
    app = current_app._get_current_object()
    if mailbox_ref:
        session = get_session()
        try:
            mailbox = get_mailbox(session, mailbox_ref)
            mailbox_id, name = mailbox.id, mailbox.name
        except CaseflowError as exc:
            raise CliError(str(exc)) from exc
        finally:
            session.rollback()  # intake writes in sessions of its own: hold no lock here
        try:
            results = [poll_mailbox(app, file_store(), mailbox_id)]
        except MailboxBusy as exc:
            results = [PollResult(name, error=str(exc))]
    else:
        results = poll_all(app, file_store())
    process_stranded(app, file_store())
    failed = False
    for result in results:
        if as_json:
            for report in result.reports:
                click.echo(json.dumps(report, ensure_ascii=False))
        else:
            click.echo(f"{result.mailbox}: {_summary(result.counts)}")
        if result.error:
            failed = True
            click.echo(f"{result.mailbox}: {result.error}", err=True)
    if failed:
        sys.exit(1)


@mailbox_group.command("add")
@click.option("--name", required=True)
@click.option("--host", required=True)
@click.option("--port", type=int, default=993, show_default=True)
@click.option("--security", type=click.Choice(["ssl", "starttls", "none"]), default="ssl")
@click.option("--user", "username", required=True)
@click.option("--address", default=None, help="The mailbox's own e-mail address.")
@click.option("--folder", default="INBOX", show_default=True)
@click.option("--processed-folder", default="caseflow-processed", show_default=True)
@click.option("--failed-folder", default="caseflow-failed", show_default=True)
@click.option("--password-stdin", is_flag=True, required=True, help="Read the password from stdin.")
@click.option("--json", "as_json", is_flag=True)
def mailbox_add(as_json, password_stdin, **values):
    """Add an IMAP mailbox for intake (the password is read from standard input)."""
    password = sys.stdin.readline().rstrip("\r\n")
    with transaction() as session:
        mailbox = create_mailbox(session, password=password, is_active=True, **values)
    if as_json:
        echo_json({"id": mailbox.id, "name": mailbox.name, "host": mailbox.host})
    else:
        click.echo(_("Added the mailbox %(name)s.", name=mailbox.name))


@mailbox_group.command("list")
@click.option("--json", "as_json", is_flag=True)
def mailbox_list(as_json):
    """The configured mailboxes and how their last poll went (never the password)."""
    rows = get_session().exec(select(Mailbox).order_by(Mailbox.name)).all()
    data = [
        {
            "id": m.id,
            **mailbox_snapshot(m),
            "last_polled_at": m.last_polled_at.isoformat() if m.last_polled_at else None,
            "last_error": m.last_error,
        }
        for m in rows
    ]
    if as_json:
        echo_json(data)
    else:
        for item in data:
            state = _("active") if item["is_active"] else _("inactive")
            click.echo(
                f"{item['name']}: {item['username']}@{item['host']}:{item['port']} ({state})"
            )
