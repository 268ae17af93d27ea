"""The ``caseflow`` command. Its words and JSON are a contract: scripts rely on them.

Every command has ``--help``. Bad input prints one line on stderr and exits 2, and the
command's single transaction is rolled back, so nothing is written.
"""

from __future__ import annotations

import json
import secrets
import sys
from contextlib import contextmanager
from pathlib import Path

import click
from flask import current_app, g
from flask.cli import AppGroup, ScriptInfo
from flask_babel import gettext as _

from caseflow.common.errors import CaseflowError


class CliError(click.ClickException):
    exit_code = 2


def _create_app():
    from caseflow import create_app

    return create_app()


cli = AppGroup(
    name="caseflow",
    help="caseflow — diarium and case management. Configuration: instance/config.py "
    "and CASEFLOW_* variables; CASEFLOW_INSTANCE selects the instance folder.",
)


@contextmanager
def transaction(actor_email: str | None = None):
    """One transaction for a command: commit at the end, roll back on any error."""
    from caseflow.auth.services import get_user_by_email
    from caseflow.db import get_session

    session = get_session()
    g.cli_label = "cli"
    if actor_email:
        actor = get_user_by_email(session, actor_email)
        if actor is None:
            raise CliError(_("No user with the e-mail %(email)s.", email=actor_email))
        g.cli_actor = actor
    try:
        yield session
        session.commit()
    except CaseflowError as exc:
        session.rollback()
        raise CliError(str(exc)) from exc
    except BaseException:
        session.rollback()
        raise


def echo_json(data) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2, default=str))


@cli.command("init", with_appcontext=False)
def init_command():
    """Create the instance folder and its config.py with a new secret key."""
    from caseflow.config import instance_path

    folder = Path(instance_path())
    (folder / "files").mkdir(parents=True, exist_ok=True)
    config = folder / "config.py"
    if config.exists():
        click.echo(f"{config} exists; left as it is.")
        return
    config.write_text(
        "# caseflow instance configuration (see README: Configuration).\n"
        f"SECRET_KEY = {secrets.token_urlsafe(48)!r}\n"
        "# DATABASE_URL = 'postgresql+psycopg://caseflow@localhost/caseflow'\n"
        "# ORGANISATION_NAME = 'Region Jämtland Härjedalen'\n",
        encoding="utf-8",
    )
    config.chmod(0o600)
    click.echo(f"Created {config}")


db_group = AppGroup("db", help="Database schema.")
cli.add_command(db_group)


@db_group.command("upgrade")
def db_upgrade():
    """Apply all migrations to the configured database."""
    from caseflow.migrate import upgrade

    upgrade(current_app.config["DATABASE_URL"])
    click.echo(_("The database is up to date."))


@cli.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=click.IntRange(1, 65535))
@click.option("--threads", default=4, show_default=True, type=click.IntRange(1, 64))
def serve(host: str, port: int, threads: int):
    """Serve caseflow with waitress (production: gunicorn behind HTTPS)."""
    import waitress

    if host in ("127.0.0.1", "localhost", "::1"):
        # Plain http on loopback: a browser would drop cookies marked Secure.
        current_app.config["SESSION_COOKIE_SECURE"] = False
        current_app.config["REMEMBER_COOKIE_SECURE"] = False
    click.echo(
        _("caseflow serves http://%(host)s:%(port)s/ (Ctrl+C stops it)", host=host, port=port)
    )
    waitress.serve(current_app._get_current_object(), host=host, port=port, threads=threads)


audit_group = AppGroup("audit", help="The audit trail.")
cli.add_command(audit_group)


@audit_group.command("verify")
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
def audit_verify(as_json: bool):
    """Recompute the hash chain; name the first event that does not hold. Exit 1 if broken."""
    from caseflow.common.audit import verify_chain
    from caseflow.db import get_session

    result = verify_chain(get_session())
    if as_json:
        echo_json(result.__dict__)
    elif result.ok:
        click.echo(_("Audit trail intact: %(checked)s events.", checked=result.checked))
    else:
        click.echo(
            _(
                "Audit trail BROKEN at event %(seq)s: %(reason)s "
                "(the %(checked)s events before it are intact).",
                seq=result.broken_seq,
                reason=result.reason,
                checked=result.checked,
            ),
            err=True,
        )
    if not result.ok:
        sys.exit(1)


def _register_domain_commands() -> None:
    from caseflow.auth.cli import user_group
    from caseflow.cases.cli import case_group, import_group
    from caseflow.demo import demo_command
    from caseflow.mail.cli import mail_group
    from caseflow.meetings.cli import excerpt_group
    from caseflow.pdf.cli import converter_command
    from caseflow.scheduler import scheduler_command

    cli.add_command(user_group)
    cli.add_command(case_group)
    cli.add_command(import_group)
    cli.add_command(demo_command)
    cli.add_command(excerpt_group)
    cli.add_command(mail_group)
    cli.add_command(converter_command)
    cli.add_command(scheduler_command)


_register_domain_commands()


def main(argv: list[str] | None = None) -> None:
    """Entry point: click's errors become one line on stderr and exit code 2."""
    try:
        rv = cli.main(
            args=argv,
            prog_name="caseflow",
            standalone_mode=False,
            obj=ScriptInfo(create_app=_create_app, set_debug_flag=False),
        )
    except click.exceptions.Abort:
        click.echo("caseflow: aborted", err=True)
        sys.exit(1)
    except click.ClickException as exc:
        click.echo(f"caseflow: error: {exc.format_message()}", err=True)
        sys.exit(2)
    sys.exit(rv if isinstance(rv, int) else 0)
