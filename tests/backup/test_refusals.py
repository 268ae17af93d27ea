"""A restore that cannot be done whole is not begun: one line on stderr, exit 2, nothing written."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlmodel import func, select

from caseflow.backup.database import is_empty
from caseflow.cases.models import Case
from caseflow.cli import cli


def caseflow(app, *args):
    """Run the real ``caseflow`` command on the instance ``app`` is configured for."""
    environment = os.environ | {
        "CASEFLOW_INSTANCE": app.instance_path,
        "CASEFLOW_SECRET_KEY": "test-secret-key",
        "CASEFLOW_DATABASE_URL": app.config["DATABASE_URL"],
        "CASEFLOW_FILES_DIR": app.config["FILES_DIR"],
        "CASEFLOW_CLI_LANGUAGE": "en",
    }
    return subprocess.run(
        [sys.executable, "-m", "caseflow", *args],
        capture_output=True,
        text=True,
        env=environment,
        timeout=120,
    )


def assert_refused(result, *words):
    assert result.returncode == 2, result.stdout + result.stderr
    assert result.stdout == ""
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert result.stderr.startswith("caseflow: error:") and "Traceback" not in result.stderr
    for word in words:
        assert word in result.stderr, result.stderr


def assert_untouched(instance):
    assert is_empty(instance.config["DATABASE_URL"])
    files = Path(instance.config["FILES_DIR"])
    assert not files.exists() or not any(p.is_file() for p in files.rglob("*"))


@pytest.fixture
def backup(app, make, tmp_path):
    """A backup of a diarium with one case and its application."""
    case = make.case("Projekt Test av coworking och hybridarbete inom Samverket i Östersund")
    make.document(case, files=[("ansokan.pdf", b"%PDF-1.7 ansokan om medfinansiering")])
    make.document(case, title="Budget", files=[("budget.xlsx", b"budget 2021-2023")])
    folder = tmp_path / "backup"
    result = app.test_cli_runner().invoke(cli, ["backup", "create", str(folder)])
    assert result.exit_code == 0, result.output
    return folder


def test_restore_refuses_an_instance_that_has_data(app, make, backup):
    cases_before = make.fresh().exec(select(func.count()).select_from(Case)).one()
    files_before = sorted(Path(app.config["FILES_DIR"]).rglob("*"))

    assert_refused(caseflow(app, "backup", "restore", str(backup)), "database is not empty")

    assert make.fresh().exec(select(func.count()).select_from(Case)).one() == cases_before
    assert sorted(Path(app.config["FILES_DIR"]).rglob("*")) == files_before


def test_restore_refuses_a_file_store_that_has_files(backup, empty_instance):
    stray = Path(empty_instance.config["FILES_DIR"]) / "ab" / "cd" / "left-over"
    stray.parent.mkdir(parents=True)
    stray.write_bytes(b"from another instance")

    assert_refused(caseflow(empty_instance, "backup", "restore", str(backup)), "file store")

    assert is_empty(empty_instance.config["DATABASE_URL"])
    assert [p for p in Path(empty_instance.config["FILES_DIR"]).rglob("*") if p.is_file()] == [
        stray
    ]


def test_a_damaged_backup_is_refused_naming_the_file(backup, empty_instance):
    damaged = next(p for p in (backup / "files").rglob("*") if p.is_file())
    damaged.chmod(0o644)
    damaged.write_bytes(damaged.read_bytes()[:-1] + b"X")
    name = damaged.relative_to(backup).as_posix()

    assert_refused(caseflow(empty_instance, "backup", "verify", str(backup)), name)
    assert_refused(caseflow(empty_instance, "backup", "restore", str(backup)), name)
    assert_untouched(empty_instance)


def test_a_damaged_database_file_is_refused_too(backup, empty_instance):
    database = next(backup.glob("database.*"))
    with database.open("ab") as stream:
        stream.write(b"\0")

    assert_refused(caseflow(empty_instance, "backup", "restore", str(backup)), database.name)
    assert_untouched(empty_instance)


def test_a_folder_without_a_manifest_is_no_backup(backup, empty_instance):
    (backup / "manifest.json").unlink()

    assert_refused(caseflow(empty_instance, "backup", "restore", str(backup)), "manifest.json")
    assert_untouched(empty_instance)


def test_a_backup_goes_into_a_new_or_empty_folder_only(app, backup, tmp_path):
    before = sorted(backup.rglob("*"))

    assert_refused(caseflow(app, "backup", "create", str(backup)), "not empty")

    assert sorted(backup.rglob("*")) == before


def test_a_manifest_naming_a_file_outside_the_backup_is_refused(backup, empty_instance):
    manifest = backup / "manifest.json"
    data = json.loads(manifest.read_text())
    data["files"][1]["path"] = "files/../../../outside"
    manifest.write_text(json.dumps(data))

    result = empty_instance.test_cli_runner().invoke(cli, ["backup", "restore", str(backup)])

    assert result.exit_code == 2 and "files/../../../outside" in result.stderr, result.output
    assert_untouched(empty_instance)


def test_a_backup_that_fails_leaves_no_half_backup(app, make, tmp_path):
    case = make.case("Projekt Test av coworking och hybridarbete inom Samverket i Östersund")
    document = make.document(case, files=[("ansokan.pdf", b"%PDF-1.7 ansokan")])
    lost = Path(app.config["FILES_DIR"]).rglob(document.files[0].sha256)
    next(lost).unlink()  # a file store damaged behind caseflow's back
    folder = tmp_path / "new-backup"

    result = app.test_cli_runner().invoke(cli, ["backup", "create", str(folder)])

    assert result.exit_code == 2 and document.files[0].sha256 in result.stderr, result.output
    assert not folder.exists()
