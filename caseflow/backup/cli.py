"""``caseflow backup create|verify|restore``"""

from __future__ import annotations

import click
from flask.cli import AppGroup
from flask_babel import gettext as _

from caseflow.backup import services
from caseflow.common.cli import (
    CliError,
    echo_json,
    needs_no_database,
    needs_reachable_database,
)
from caseflow.common.errors import CaseflowError

backup_group = AppGroup("backup", help="Backup and restore of the database and the stored files.")

_FOLDER = click.Path(file_okay=False, path_type=str)


def _run(action, folder):
    try:
        return action(folder)
    except CaseflowError as exc:
        raise CliError(str(exc)) from exc
    except OSError as exc:  # a folder we may not write, a full disk
        raise CliError(
            _("%(path)s: %(error)s", path=exc.filename or folder, error=exc.strerror)
        ) from exc


def _report_json(report: services.BackupReport) -> None:
    echo_json(report.__dict__)


@needs_reachable_database  # the backup before `db upgrade` is of the older revision
@backup_group.command("create")
@click.argument("folder", type=_FOLDER)
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
def backup_create(folder: str, as_json: bool):
    """Back up the database and the files into FOLDER.

    FOLDER must be new or empty. The database is one consistent moment; caseflow may keep
    working meanwhile.
    """
    report = _run(services.create_backup, folder)
    if as_json:
        _report_json(report)
        return
    click.echo(
        _(
            "Backup written to %(folder)s: the %(database)s database (revision %(revision)s) "
            "and %(files)s files, %(bytes)s bytes.",
            folder=report.directory,
            database=report.database,
            revision=report.alembic_revision,
            files=report.files,
            bytes=report.bytes,
        )
    )


@needs_no_database  # it reads the backup folder only
@backup_group.command("verify")
@click.argument("folder", type=_FOLDER)
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
def backup_verify(folder: str, as_json: bool):
    """Check a backup's files against its manifest.

    Every file's sha256 and size; nothing is restored.
    """
    report = _run(services.verify_backup, folder)
    if as_json:
        _report_json(report)
        return
    click.echo(
        _(
            "The backup in %(folder)s is intact: the database and %(files)s files, "
            "%(bytes)s bytes.",
            folder=report.directory,
            files=report.files,
            bytes=report.bytes,
        )
    )


@needs_reachable_database  # it restores into a new, empty database
@backup_group.command("restore")
@click.argument("folder", type=_FOLDER)
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
def backup_restore(folder: str, as_json: bool):
    """Restore the backup in FOLDER into this instance.

    The instance's database and file store must be empty; every file is checked first.
    """
    report = _run(services.restore_backup, folder)
    if as_json:
        _report_json(report)
        return
    click.echo(
        _(
            "Restored from %(folder)s: the %(database)s database (revision %(revision)s) "
            "and %(files)s files.",
            folder=report.directory,
            database=report.database,
            revision=report.alembic_revision,
            files=report.files,
        )
    )
    if report.needs_upgrade:
        click.echo(_("This caseflow has newer migrations: run `caseflow db upgrade`."))
