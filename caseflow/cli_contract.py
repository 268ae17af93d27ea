"""The contract every ``caseflow`` command keeps, enforced here once for all of them.

- Bad input, a broken rule, an instance that is not initialised, a database that is not
  set up, out of date or cannot be reached: **one line** on stderr (``caseflow: error: …``)
  and exit code **2**; the command's transaction is rolled back, so nothing is written.
  click's usage errors ("Missing option", "No such option") are printed the same way.
- Anything unexpected: one line saying so and naming the log file in the instance folder
  (``logs/cli.log``), where the traceback went; exit code **1**. No traceback reaches the
  terminal.
- Ctrl+C: exit code **130**.

The top-level group (``caseflow.cli.CaseflowGroup``) puts every command it hands out
under the contract with :func:`under_contract`, the commands of the domains included, so a
command added later keeps it without doing anything. Before a command runs, the database
is checked (:func:`check_database`); a command that needs no database (``init``, the PDF
converter) is marked with ``caseflow.common.cli.needs_no_database``, one
that needs it reachable but at any revision (``db upgrade``, a backup) with
``needs_reachable_database``.
"""

from __future__ import annotations

import functools
import logging
import os
import tempfile
import traceback
from datetime import UTC, datetime
from pathlib import Path

import click
import sqlalchemy as sa
from flask import Flask, current_app, has_app_context
from flask.cli import ScriptInfo
from flask_babel import gettext as _

from caseflow.common.cli import (
    MIGRATED_DATABASE,
    NO_DATABASE,
    REACHABLE_DATABASE,
    CliError,
    database_need,
)
from caseflow.common.errors import CaseflowError
from caseflow.config import NotConfigured
from caseflow.migrate import current_revisions, head_revisions, is_known_revision

#: Exit codes (README: The command line).
EXIT_FAILED = 1  # caseflow could not finish: unexpected error (or the command's own "failed")
EXIT_REFUSED = 2  # bad input or a broken rule; nothing was written
EXIT_INTERRUPTED = 130  # Ctrl+C, as a shell reports SIGINT

_CONTRACT_MARK = "caseflow_under_contract"


# --- the database a command is about to use -------------------------------------------


def database_address(url: sa.URL) -> str:
    """Where the database is, for a message: the file, or host:port/name; never a password."""
    if url.get_backend_name() == "sqlite":
        return url.database or ":memory:"
    return f"{url.host or 'localhost'}:{url.port or 5432}/{url.database or ''}"


def unreachable(url: sa.URL, exc: Exception) -> CliError:
    """The one-line error for a database that cannot be opened or reached."""
    orig = getattr(exc, "orig", None) or exc
    detail = (str(orig).strip().splitlines() or [type(orig).__name__])[0]
    if url.password:  # a driver never prints it, but a message is no place to find out
        detail = detail.replace(str(url.password), "***")
    return CliError(
        _(
            "The database at %(where)s cannot be reached (%(detail)s).",
            where=database_address(url),
            detail=detail,
        )
    )


def not_set_up() -> CliError:
    return CliError(_("The database is not set up: run `caseflow db upgrade`."))


def check_reachable(url: sa.URL, engine: sa.Engine | None = None) -> None:
    """Refuse, in one line, a database that cannot be reached; creates nothing."""
    if url.get_backend_name() == "sqlite" and url.database not in (None, "", ":memory:"):
        if not Path(url.database).parent.is_dir():
            raise unreachable(url, FileNotFoundError(_("its folder does not exist")))
        return
    engine = engine or sa.create_engine(url, poolclass=sa.pool.NullPool)
    try:
        with engine.connect():
            pass
    except sa.exc.DBAPIError as exc:
        raise unreachable(url, exc) from exc


def check_database(app: Flask) -> None:
    """Refuse to run on a database that cannot be reached, was never migrated, or is at
    another revision than this code's migrations; nothing is created or written.

    A SQLite file that does not exist yet is "not set up": connecting would create it.
    """
    url = sa.engine.make_url(app.config["DATABASE_URL"])
    if url.get_backend_name() == "sqlite" and url.database not in (None, "", ":memory:"):
        check_reachable(url)
        path = Path(url.database)
        if not path.is_file() or path.stat().st_size == 0:
            raise not_set_up()
    try:
        with app.extensions["caseflow.engine"].connect() as connection:
            current = current_revisions(connection)
    except sa.exc.DBAPIError as exc:
        raise unreachable(url, exc) from exc
    heads = head_revisions()
    if current is None:
        raise not_set_up()
    if current == heads:
        return
    found = ", ".join(sorted(current)) or "—"
    if all(is_known_revision(revision) for revision in current):
        raise CliError(
            _(
                "The database is at an older revision (%(found)s) than this caseflow "
                "(%(head)s): run `caseflow db upgrade`.",
                found=found,
                head=", ".join(sorted(heads)),
            )
        )
    raise CliError(
        _(
            "The database was migrated by another version of caseflow (revision "
            "%(found)s; this one knows up to %(head)s). Run the caseflow that matches it.",
            found=found,
            head=", ".join(sorted(heads)),
        )
    )


def _app_of(ctx: click.Context) -> Flask:
    """The app the command runs with: its ScriptInfo's, else the one in context."""
    info = ctx.find_object(ScriptInfo)
    if info is not None or not current_app:
        return ctx.ensure_object(ScriptInfo).load_app()
    return current_app._get_current_object()


def _checking_database(callback, need: str):
    """``callback``, run only once the database meets ``need`` (reachable, or migrated)."""

    @functools.wraps(callback)
    def run(*args, **kwargs):
        app = _app_of(click.get_current_context())
        with app.app_context():
            if need == REACHABLE_DATABASE:
                check_reachable(sa.engine.make_url(app.config["DATABASE_URL"]))
            else:
                check_database(app)
        return callback(*args, **kwargs)

    return run


# --- the options every command shares --------------------------------------------------


def _refusing_empty_user(original):
    """A callback for ``--as``: an empty value is refused, not read as "nobody"."""

    def callback(ctx, param, value):
        if value is not None and not str(value).strip():
            raise CliError(_("--as needs the e-mail address of a user; it was empty."))
        return original(ctx, param, value) if original else value

    return callback


def under_contract(command: click.Command, *, need: str = MIGRATED_DATABASE) -> click.Command:
    """Put ``command`` (and every command under it) under the contract; idempotent.

    Each command's callback first checks that the database is reachable and migrated to
    this code's revision, or only reachable, or nothing, as the command or a group above it
    is marked (``needs_reachable_database``, ``needs_no_database``); an ``--as`` option
    refuses an empty value.
    """
    need = database_need(command, need)
    if not getattr(command, _CONTRACT_MARK, False):
        setattr(command, _CONTRACT_MARK, True)
        for param in command.params:
            if "--as" in getattr(param, "opts", ()):
                param.callback = _refusing_empty_user(param.callback)
        if command.callback is not None and need != NO_DATABASE:
            command.callback = _checking_database(command.callback, need)
    if isinstance(command, click.Group):
        for sub in command.commands.values():
            under_contract(sub, need=need)
    return command


# --- how a failure is reported ---------------------------------------------------------


def _log_path(app: Flask | None) -> Path:
    """``<instance>/logs/cli.log``; without an app (no instance yet) the temporary folder."""
    if app is None:
        return Path(tempfile.gettempdir()) / f"caseflow-cli-{os.getuid()}.log"
    return Path(app.instance_path) / "logs" / "cli.log"


def _append(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    with open(descriptor, "a", encoding="utf-8") as log:
        log.write(text)
    return path


def write_to_log(exc: BaseException, app: Flask | None, args: list[str]) -> Path:
    """Append ``exc``'s traceback to the command log (readable by its owner only)."""
    lines = "".join(traceback.format_exception(exc))
    heading = f"--- {datetime.now(UTC).isoformat()} caseflow {' '.join(args)}\n"
    return _append(_log_path(app), heading + lines)


class _TracebacksToTheLog(logging.Handler):
    """What caseflow logs goes to stderr as one line; a traceback goes to the log file."""

    def emit(self, record: logging.LogRecord) -> None:
        try:
            line = f"{self.formatter.formatTime(record)} {record.name} {record.getMessage()}"
            if record.exc_info:
                app = current_app._get_current_object() if has_app_context() else None
                heading = f"--- {line}\n"
                trace = "".join(traceback.format_exception(*record.exc_info))
                path = _append(_log_path(app), heading + trace)
                line += f" (details: {path})"
            click.echo(line.replace("\n", " "), err=True)
        except Exception:  # logging must never break the command it reports on
            self.handleError(record)


def keep_tracebacks_off_the_terminal() -> None:
    """Route the log of a ``caseflow`` process: one line per record on stderr, tracebacks
    to the command log. Left alone when the process configured logging itself."""
    root = logging.getLogger()
    if not root.handlers:
        handler = _TracebacksToTheLog()
        handler.setFormatter(logging.Formatter())
        root.addHandler(handler)


def loaded_app(obj) -> Flask | None:
    """The app the command ran with, if one could be built (for its language and folder)."""
    if not isinstance(obj, ScriptInfo):
        return None
    try:
        return obj.load_app()
    except Exception:  # not configured, or broken: the message stays in English
        return None


def describe_failure(exc: BaseException, app: Flask | None, args: list[str]) -> tuple[str, int]:
    """The one line to print for ``exc`` and the exit code, in the command's language."""
    if isinstance(exc, click.UsageError):
        message = exc.format_message()
        if exc.ctx is not None:
            message = _(
                "%(message)s See `%(command)s --help`.",
                message=message,
                command=exc.ctx.command_path,
            )
        return f"caseflow: error: {message}", EXIT_REFUSED
    if isinstance(exc, click.ClickException):
        return f"caseflow: error: {exc.format_message()}", exc.exit_code
    if isinstance(exc, (NotConfigured, CaseflowError)):
        return f"caseflow: error: {exc}", EXIT_REFUSED
    if isinstance(exc, OSError) and exc.filename is not None:
        # A file or folder named on the command line that cannot be read or written.
        text = _(
            "%(path)s: %(reason)s",
            path=exc.filename,
            reason=exc.strerror or type(exc).__name__,
        )
        return f"caseflow: error: {text}", EXIT_REFUSED
    try:
        where = str(write_to_log(exc, app, args))
    except OSError as log_error:
        where = _("(none: %(error)s)", error=log_error)
    return (
        "caseflow: error: "
        + _(
            "caseflow could not finish: an unexpected error; details were written to the "
            "log at %(path)s.",
            path=where,
        ),
        EXIT_FAILED,
    )


def report_failure(exc: BaseException, obj, args: list[str]) -> int:
    """Print ``exc`` as its one line on stderr; return the exit code."""
    app = loaded_app(obj)
    if app is None:
        line, code = describe_failure(exc, None, args)
    else:
        with app.app_context():
            line, code = describe_failure(exc, app, args)
    click.echo(line.replace("\n", " "), err=True)
    return code
