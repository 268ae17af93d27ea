"""A backup taken while registrars go on working restores into a new instance, whole."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import threading
from datetime import date
from pathlib import Path

from sqlmodel import select

from caseflow.cases.models import Case
from caseflow.cases.services import open_case
from caseflow.cli import cli
from caseflow.db import new_session
from caseflow.documents.models import Document, DocumentFile, FileBlob
from caseflow.documents.services import IncomingFile, register_document
from caseflow.documents.storage import FileStore
from tests.factories import Factory


class Registrar(threading.Thread):
    """Opens a case with one incoming document, again and again, each in its own session."""

    def __init__(self, app):
        super().__init__(daemon=True)
        self.app = app
        self.stop = threading.Event()
        self.committed = 0
        self.errors: list[BaseException] = []

    def run(self):
        store = FileStore(self.app.config["FILES_DIR"])
        engine = self.app.extensions["caseflow.engine"]
        with self.app.app_context():
            while not self.stop.is_set():
                n = self.committed + 1
                session = new_session(engine, write=True)
                try:
                    case = open_case(
                        session, series_code="RS", title=f"Inkommen under backup {n}", year=2026
                    )
                    register_document(
                        session,
                        store,
                        case=case,
                        direction="incoming",
                        title=f"Ansökan {n}",
                        counterpart="Vinnova",
                        received_on=date(2026, 12, 1),
                        files=[IncomingFile(f"ansokan-{n}.pdf", os.urandom(4096))],
                    )
                    session.commit()
                    self.committed = n
                except BaseException as exc:  # reported by the test, not lost in the thread
                    self.errors.append(exc)
                    return
                finally:
                    session.close()

    def wait_for(self, count: int) -> None:
        while self.committed < count and not self.errors and self.is_alive():
            self.stop.wait(0.01)


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_a_backup_taken_while_writes_go_on_restores_whole(app, make, empty_instance, tmp_path):
    # A diarium with some weight: documents whose files take a while to copy.
    case = make.case("Projekt Test av coworking och hybridarbete inom Samverket i Östersund")
    for n in range(15):
        make.document(case, title=f"Bilaga {n}", files=[(f"bilaga-{n}.pdf", os.urandom(256_000))])

    registrar = Registrar(app)
    registrar.start()
    registrar.wait_for(3)
    before = registrar.committed
    created = app.test_cli_runner().invoke(cli, ["backup", "create", str(tmp_path / "b"), "--json"])
    during = registrar.committed
    registrar.wait_for(during + 3)
    registrar.stop.set()
    registrar.join(timeout=30)
    assert not registrar.errors, registrar.errors
    assert created.exit_code == 0, created.output
    assert during > before, "no write went on while the backup was taken"
    report = json.loads(created.stdout)
    assert report["database"] in ("sqlite", "postgresql") and report["alembic_revision"]

    manifest = json.loads((tmp_path / "b" / "manifest.json").read_text())
    assert manifest["format_version"] == 1 and manifest["alembic_revision"] == _head_revision()
    for entry in manifest["files"]:
        assert _sha256(tmp_path / "b" / entry["path"]) == entry["sha256"], entry["path"]
    verified = app.test_cli_runner().invoke(cli, ["backup", "verify", str(tmp_path / "b")])
    assert verified.exit_code == 0, verified.output

    restored = empty_instance.test_cli_runner().invoke(
        cli, ["backup", "restore", str(tmp_path / "b"), "--json"]
    )
    assert restored.exit_code == 0, restored.output
    assert json.loads(restored.stdout)["needs_upgrade"] is False

    session = new_session(empty_instance.extensions["caseflow.engine"])
    store = FileStore(empty_instance.config["FILES_DIR"])
    # Every file row points to a stored file with its hash; the store holds nothing else.
    blobs = {blob.sha256: blob.size for blob in session.exec(select(FileBlob))}
    for item in session.exec(select(DocumentFile)):
        path = store.path_for(item.sha256)
        assert _sha256(path) == item.sha256 and path.stat().st_size == item.size, item.filename
    for sha, size in blobs.items():
        assert store.path_for(sha).stat().st_size == size
    stored = {p.name for p in Path(store.root).rglob("*") if p.is_file()}
    assert stored == set(blobs)
    # The snapshot is one moment: each registration is there whole or not at all, and it
    # holds what was committed before the backup began, and no more than by its end.
    cases = session.exec(select(Case).where(Case.title.startswith("Inkommen under backup"))).all()
    documents = session.exec(select(Document).where(Document.title.startswith("Ansökan "))).all()
    numbers = sorted(int(c.title.rsplit(" ", 1)[1]) for c in cases)
    assert numbers == sorted(int(d.title.rsplit(" ", 1)[1]) for d in documents)
    assert numbers == list(range(1, len(numbers) + 1))
    assert before <= len(numbers) <= during
    assert all(len(d.files) == 1 for d in documents)
    session.close()

    # As the README's steps say: the audit key is put back with the saved config.
    shutil.copy2(Path(app.instance_path) / "audit.key", Path(empty_instance.instance_path))
    audit = empty_instance.test_cli_runner().invoke(cli, ["audit", "verify"])
    assert audit.exit_code == 0, audit.output
    # The restored instance goes on: the counters continue where the backup left them.
    factory = Factory(empty_instance)
    new_case = factory.case("Första ärendet efter återläsningen", year=2026)
    factory.close()
    assert new_case.number == f"RS/{len(numbers) + 1}/2026"


def _head_revision() -> str:
    """The newest migration the code knows: what a freshly migrated database is at."""
    from alembic.script import ScriptDirectory

    from caseflow.migrate import alembic_config

    return ScriptDirectory.from_config(alembic_config("sqlite://")).get_current_head()
