"""A backup carries its schema revision: an older one is restored and then upgraded."""

from __future__ import annotations

import json

import pytest

from caseflow import create_app
from caseflow.cli import cli
from caseflow.migrate import upgrade
from tests.backup.conftest import instance_config


@pytest.fixture
def instance_at(new_empty_database, tmp_path):
    """A new instance whose database is migrated up to ``revision`` (None: not at all)."""
    apps = []

    def make(revision: str | None, name: str):
        url = new_empty_database()
        folder = tmp_path / name
        folder.mkdir()
        if revision:
            upgrade(url, revision)
        # The audit key lives outside the database and outside the backup: an authority that
        # moves its instance keeps its key, as both instances here do.
        config = instance_config(url, folder) | {
            "AUDIT_KEY": "k" * 16 + "same-key-on-both-instances"
        }
        apps.append(create_app(config, instance_path=str(folder)))
        return apps[-1]

    yield make
    for app in apps:
        app.extensions["caseflow.engine"].dispose()


def test_a_backup_from_before_the_last_migration_asks_for_db_upgrade(instance_at, tmp_path):
    older = instance_at("0010", "older")
    created = older.test_cli_runner().invoke(cli, ["backup", "create", str(tmp_path / "b")])
    assert created.exit_code == 0, created.output

    target = instance_at(None, "target")
    restored = target.test_cli_runner().invoke(cli, ["backup", "restore", str(tmp_path / "b")])

    assert restored.exit_code == 0, restored.output
    assert "revision 0010" in restored.stdout
    assert "run `caseflow db upgrade`" in restored.stdout
    upgraded = target.test_cli_runner().invoke(cli, ["db", "upgrade"])
    assert upgraded.exit_code == 0, upgraded.output
    assert target.test_cli_runner().invoke(cli, ["audit", "verify"]).exit_code == 0


def test_a_backup_from_a_newer_caseflow_is_refused(instance_at, tmp_path):
    current = instance_at("head", "current")
    created = current.test_cli_runner().invoke(cli, ["backup", "create", str(tmp_path / "b")])
    assert created.exit_code == 0, created.output
    manifest = tmp_path / "b" / "manifest.json"
    data = json.loads(manifest.read_text())
    manifest.write_text(json.dumps(data | {"alembic_revision": "9999"}))

    target = instance_at(None, "target")
    restored = target.test_cli_runner().invoke(cli, ["backup", "restore", str(tmp_path / "b")])

    assert restored.exit_code == 2 and "9999" in restored.stderr, restored.output


def test_a_database_that_was_never_migrated_has_nothing_to_back_up(instance_at, tmp_path):
    bare = instance_at(None, "bare")
    if bare.config["DATABASE_URL"].startswith("sqlite"):
        # A SQLite database appears on first connection: there is one, with no table.
        bare.extensions["caseflow.engine"].connect().close()

    result = bare.test_cli_runner().invoke(cli, ["backup", "create", str(tmp_path / "b")])

    assert result.exit_code == 2 and "caseflow db upgrade" in result.stderr, result.output
    assert not (tmp_path / "b").exists()
