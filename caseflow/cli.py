"""The ``caseflow`` command. Its words and JSON are a contract: scripts rely on them.

Every command has ``--help``. Bad input prints one line on stderr and exits 2, and the
command's single transaction is rolled back, so nothing is written. The group below keeps
that contract for every command, the domains' included (``caseflow/cli_contract.py``):
the database is checked before a command runs, and no traceback reaches the terminal.

``init``, ``db``, ``serve`` and ``audit`` are the instance's own commands, defined here.
Every domain adds its commands to ``app.cli`` in its ``init_app``; the group below finds
them by building the app, as Flask's ``FlaskGroup`` does.
"""

from __future__ import annotations

import copy
import secrets
import sys
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup, ScriptInfo
from flask_babel import gettext as _

from caseflow.cli_contract import (
    EXIT_INTERRUPTED,
    keep_tracebacks_off_the_terminal,
    report_failure,
    under_contract,
)
from caseflow.common.audit_cli import audit_group
from caseflow.common.cli import (
    CliError,
    needs_no_database,
    needs_reachable_database,
)
from caseflow.config import NotConfigured

#: Stands in for the secret key of an instance that has none, only so that ``--help`` can
#: list and describe the domains' commands; such an app never runs a command.
_HELP_ONLY_KEY = "help-only: this app runs no command"


def _create_app():
    from caseflow import create_app

    return create_app()


def _help_only_app():
    from caseflow import create_app

    return create_app({"SECRET_KEY": _HELP_ONLY_KEY})


def _refusing(command: click.Command, reason: str) -> click.Command:
    """A copy of ``command`` (and of its subcommands) that shows its help but runs nothing."""
    refusing = copy.copy(command)
    if isinstance(command, click.Group):
        refusing.commands = {name: _refusing(sub, reason) for name, sub in command.commands.items()}
    else:

        def refuse(*args, **kwargs):
            raise CliError(reason)

        refusing.callback = refuse
    return refusing


class CaseflowGroup(AppGroup):
    """The top-level group: its own commands plus the ones the app's domains registered.

    On an instance without configuration the domains' commands still show their help
    (from an app built only for that) but refuse to run: one line, exit 2. Every command
    it hands out is under the contract (``cli_contract.under_contract``), and :meth:`main`
    turns every failure into one line on stderr and an exit code.
    """

    def main(self, args=None, prog_name=None, standalone_mode=True, **extra):
        """Run the command; on failure print one line on stderr and exit 1, 2 or 130."""
        if not standalone_mode:
            return super().main(args, prog_name, standalone_mode=False, **extra)
        args = list(sys.argv[1:] if args is None else args)
        try:
            rv = super().main(args, prog_name or "caseflow", standalone_mode=False, **extra)
        except click.exceptions.Abort as exc:
            if isinstance(exc.__cause__, KeyboardInterrupt):
                sys.exit(EXIT_INTERRUPTED)
            click.echo("caseflow: aborted", err=True)
            sys.exit(1)
        except KeyboardInterrupt:
            sys.exit(EXIT_INTERRUPTED)
        except click.exceptions.NoArgsIsHelpError as exc:  # `caseflow`, `caseflow case`
            with exc.ctx:  # listing the commands builds the app; the context pops it again
                click.echo(exc.ctx.get_help())
            sys.exit(0)
        except Exception as exc:
            sys.exit(report_failure(exc, extra.get("obj"), args))
        sys.exit(rv if isinstance(rv, int) else 0)

    def _app(self, ctx: click.Context):
        """(app, None), or (a help-only app, why the real one cannot be built)."""
        try:
            return ctx.ensure_object(ScriptInfo).load_app(), None
        except NotConfigured as exc:
            return _help_only_app(), str(exc)

    def list_commands(self, ctx: click.Context) -> list[str]:
        app, _reason = self._app(ctx)
        return sorted(set(super().list_commands(ctx)) | set(app.cli.list_commands(ctx)))

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        command = super().get_command(ctx, name)
        if command is not None:
            return under_contract(command)
        app, reason = self._app(ctx)
        command = app.cli.get_command(ctx, name)
        if command is not None:
            under_contract(command)
        if command is None or reason is not None:
            return command and _refusing(command, reason)
        if not current_app or current_app._get_current_object() is not app:
            ctx.with_resource(app.app_context())
        return command


cli = CaseflowGroup(
    name="caseflow",
    help="caseflow — diarium and case management. Configuration: instance/config.py "
    "and CASEFLOW_* variables; CASEFLOW_INSTANCE selects the instance folder.",
)


@needs_no_database
@cli.command("init", with_appcontext=False)
def init_command():
    """Create the instance folder and its config.py with a new secret key, and the audit
    key file unless CASEFLOW_AUDIT_KEY is set."""
    import os

    from caseflow.common.audit_key import KEY_FILE_NAME, create_key_file
    from caseflow.config import instance_path

    folder = Path(instance_path())
    (folder / "files").mkdir(parents=True, exist_ok=True)
    if not os.environ.get("CASEFLOW_AUDIT_KEY") and create_key_file(folder / KEY_FILE_NAME):
        click.echo(f"Created {folder / KEY_FILE_NAME} (keep it out of the database's backups)")
    config = folder / "config.py"
    if config.exists():
        click.echo(f"{config} exists; left as it is.")
        return
    seal = _demo_seal_lines(folder)
    config.write_text(
        "# caseflow instance configuration (see README: Configuration).\n"
        f"SECRET_KEY = {secrets.token_urlsafe(48)!r}\n"
        "# DATABASE_URL = 'postgresql+psycopg://caseflow@localhost/caseflow'\n"
        "# ORGANISATION_NAME = 'Region Jämtland Härjedalen'\n" + seal,
        encoding="utf-8",
    )
    config.chmod(0o600)
    click.echo(f"Created {config}")


def _demo_seal_lines(folder: Path) -> str:
    """A new instance seals with a demonstration seal until the real one is configured, so
    that the demo shows sealed documents; an existing seal file is kept and used."""
    from caseflow.config import Defaults
    from caseflow.seal import demo_seal

    path = folder / demo_seal.DEMO_FILENAME
    if path.exists():
        return "# SEAL_PKCS12_PATH = 'demo-seal.p12'  # an earlier demo seal, password unknown\n"
    password = demo_seal.new_password()
    demo_seal.create_demo_seal(path, password=password, organisation=Defaults.ORGANISATION_NAME)
    click.echo(f"Created the demonstration seal {path}")
    return demo_seal.config_lines(Path(demo_seal.DEMO_FILENAME), password)


db_group = needs_reachable_database(AppGroup("db", help="Database schema."))
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


cli.add_command(audit_group)


def main(argv: list[str] | None = None) -> None:
    """Entry point: ``caseflow …``; exits 0, 1 (could not finish), 2 (refused) or 130."""
    keep_tracebacks_off_the_terminal()
    cli.main(
        args=argv,
        prog_name="caseflow",
        obj=ScriptInfo(create_app=_create_app, set_debug_flag=False),
    )
