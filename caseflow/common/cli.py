"""What every ``caseflow`` command shares: the error that exits 2, one transaction, JSON,
and the marks for the few commands that need less of the database than the others.

A leaf: it imports no domain. Each domain adds its own command group to ``app.cli`` in its
``init_app`` and takes these helpers from here, so the top-level command and the domains
never import each other.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from contextlib import contextmanager

import click
from flask import Flask, current_app, g
from flask_babel import gettext as _

from caseflow.common.errors import CaseflowError
from caseflow.db import get_session

_ACTOR_LOOKUP = "caseflow.cli_actor_lookup"


class CliError(click.ClickException):
    """Bad input or a broken rule: one line on stderr, exit code 2."""

    exit_code = 2


_NEEDS_DATABASE = "caseflow_needs_database"

#: What a command needs of the database before it runs, weakest first.
NO_DATABASE, REACHABLE_DATABASE, MIGRATED_DATABASE = "none", "reachable", "migrated"
_ORDER = (NO_DATABASE, REACHABLE_DATABASE, MIGRATED_DATABASE)


def needs_no_database(command: click.Command) -> click.Command:
    """Mark a command (or a group, with all its commands) that runs without the database.

    Every command not marked is refused, in one line, when the database cannot be reached
    or is not migrated to this code's revision (``caseflow/cli_contract.py``). Put it above
    the command's decorator: ``@needs_no_database`` then ``@group.command("verify")``.
    """
    setattr(command, _NEEDS_DATABASE, NO_DATABASE)
    return command


def needs_reachable_database(command: click.Command) -> click.Command:
    """Mark a command that needs the database reachable but at any revision, or empty:
    ``db upgrade``, a backup taken before an upgrade, a restore into a new database."""
    setattr(command, _NEEDS_DATABASE, REACHABLE_DATABASE)
    return command


def database_need(command: click.Command, inherited: str = MIGRATED_DATABASE) -> str:
    """What ``command`` needs: its own mark or its group's (``inherited``), the weaker."""
    own = getattr(command, _NEEDS_DATABASE, MIGRATED_DATABASE)
    return min(own, inherited, key=_ORDER.index)


def register_actor_lookup(app: Flask, lookup: Callable) -> None:
    """Let ``transaction(actor_email)`` find users: ``lookup(session, email) -> user | None``.

    The auth domain registers it; a hook rather than an import keeps this module below auth.
    """
    app.extensions[_ACTOR_LOOKUP] = lookup


@contextmanager
def transaction(actor_email: str | None = None):
    """One transaction for a command: commit at the end, roll back on any error."""
    session = get_session()
    g.cli_label = "cli"
    if actor_email is not None and not actor_email.strip():
        raise CliError(_("--as needs the e-mail address of a user; it was empty."))
    if actor_email:
        actor = current_app.extensions[_ACTOR_LOOKUP](session, actor_email)
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
    """Print ``data`` as indented JSON, Swedish letters as they are."""
    click.echo(json.dumps(data, ensure_ascii=False, indent=2, default=str))


def parse_day(value: str | None, option: str):
    """An ISO date given to ``option``, or None when empty; a clear error otherwise."""
    from datetime import date

    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise CliError(
            _(
                "%(option)s must be a date like 2023-01-01, not »%(value)s«.",
                option=option,
                value=value,
            )
        ) from None
