"""Backup and restore of an instance: a consistent snapshot of the database and the files."""

from flask import Flask


def init_app(app: Flask) -> None:
    from caseflow.backup.cli import backup_group

    app.cli.add_command(backup_group)
