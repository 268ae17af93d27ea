"""On PostgreSQL a backup needs pg_dump of the server's version or newer, and says so."""

from __future__ import annotations

import pytest

from caseflow.cli import cli


@pytest.fixture
def postgres_app(app, database_backend):
    if database_backend[0] != "postgresql":
        pytest.skip("pg_dump is for PostgreSQL (CASEFLOW_TEST_DATABASE_URL)")
    app.config["CLI_LANGUAGE"] = "en"
    return app


def test_without_pg_dump_the_backup_says_what_to_install(postgres_app, tmp_path):
    empty_bin = tmp_path / "bin"
    empty_bin.mkdir()
    postgres_app.config["PG_BIN_DIR"] = str(empty_bin)

    result = postgres_app.test_cli_runner().invoke(cli, ["backup", "create", str(tmp_path / "b")])

    assert result.exit_code == 2, result.output
    assert "pg_dump" in result.stderr and "CASEFLOW_PG_BIN_DIR" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "b").exists()


def test_a_pg_dump_older_than_the_server_is_refused(postgres_app, tmp_path):
    # The PostgreSQL 9.6 client tools, as an old Debian would have left them.
    old_bin = tmp_path / "bin"
    old_bin.mkdir()
    old = old_bin / "pg_dump"
    old.write_text("#!/bin/sh\necho 'pg_dump (PostgreSQL) 9.6.24'\n")
    old.chmod(0o755)
    postgres_app.config["PG_BIN_DIR"] = str(old_bin)

    result = postgres_app.test_cli_runner().invoke(cli, ["backup", "create", str(tmp_path / "b")])

    assert result.exit_code == 2, result.output
    assert "pg_dump 9 is older than the server" in result.stderr, result.stderr
    assert not (tmp_path / "b").exists()
