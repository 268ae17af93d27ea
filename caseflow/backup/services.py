"""Make, check and restore a backup of an instance: its database and its stored files.

Consistency: the database snapshot is taken first, and then exactly the files the snapshot
refers to (its ``file_blob`` rows) are copied. A file is written, synced and renamed into
the store before the row naming it is committed, and stored files never change or go away,
so every file the snapshot names is already complete in the store when it is copied,
however much is written meanwhile. Files stored after the snapshot, and files of
transactions that were rolled back, are left out: the restored database knows none of them.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from alembic.script import ScriptDirectory
from alembic.util import CommandError
from flask import current_app
from flask_babel import lazy_gettext as _l

from caseflow.backup import database, manifest
from caseflow.backup.database import BackupError
from caseflow.common.timeutil import now
from caseflow.db import dispose_engines
from caseflow.documents.storage import FileStore, file_store
from caseflow.migrate import alembic_config


@dataclass
class BackupReport:
    """What a backup holds (or a restore put back)."""

    directory: str
    database: str
    alembic_revision: str | None
    files: int
    bytes: int
    #: After a restore: the code knows newer migrations than the backup's.
    needs_upgrade: bool = False


def _migrations() -> ScriptDirectory:
    return ScriptDirectory.from_config(alembic_config("sqlite://"))


def _code_head() -> str | None:
    return _migrations().get_current_head()


def _known_revision(revision: str | None) -> bool:
    """Whether this code's migrations know ``revision`` (a newer caseflow's would not)."""
    try:
        return revision is None or _migrations().get_revision(revision) is not None
    except CommandError:
        return False


def _caseflow_version() -> str:
    try:
        return metadata.version("caseflow")
    except metadata.PackageNotFoundError:
        return "unknown"


def _prepare_folder(folder: Path) -> None:
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise BackupError(
            _l(
                "%(folder)s is not empty: a backup goes into a new or empty folder.",
                folder=str(folder),
            )
        )
    # A backup holds every secret document: readable by its owner only.
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)


def _copy(source: Path, target: Path, mode: int = 0o444) -> None:
    """Copy through a temporary name, synced, so a crash never leaves half a file."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, partial = tempfile.mkstemp(dir=target.parent, prefix=".partial-")
    try:
        with os.fdopen(fd, "wb") as out, source.open("rb") as src:
            shutil.copyfileobj(src, out, manifest.CHUNK)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(partial, mode)
        os.replace(partial, target)
    except BaseException:
        if os.path.exists(partial):
            os.unlink(partial)
        raise


def create_backup(folder: str | os.PathLike) -> BackupReport:
    """Snapshot the database and copy the files it refers to into ``folder``.

    ``folder`` must be new or empty; if the backup fails, it is left as it was found.
    """
    folder = Path(folder).resolve()
    existed = folder.exists()
    _prepare_folder(folder)
    try:
        return _write_backup(folder)
    except BaseException:
        # Everything in the folder is this backup's own: it was empty or new.
        if existed:
            for path in folder.iterdir():
                if path.is_dir():
                    shutil.rmtree(path)
                else:
                    path.unlink()
        else:
            shutil.rmtree(folder, ignore_errors=True)
        raise


def _write_backup(folder: Path) -> BackupReport:
    url = current_app.config["DATABASE_URL"]
    kind = database.kind_of(url)
    db_name, snapshot = database.snapshot(url, folder, current_app.config.get("PG_BIN_DIR"))
    store = file_store()
    entries = [manifest.Entry(db_name, *manifest.hash_file(folder / db_name))]
    for sha in snapshot.blobs:
        source = store.path_for(sha)
        relative = source.relative_to(store.root).as_posix()
        target = folder / "files" / relative
        if not source.is_file():
            raise BackupError(
                _l("The stored file %(sha)s is missing from the file store.", sha=sha)
            )
        _copy(source, target)
        # Hash the copy, not the original: the manifest vouches for what the backup holds.
        copied_sha, size = manifest.hash_file(target)
        if copied_sha != sha:
            raise BackupError(_l("The stored file %(sha)s is damaged in the file store.", sha=sha))
        entries.append(manifest.Entry(f"files/{relative}", sha, size))
    manifest.write(
        folder,
        {
            "format": manifest.FORMAT,
            "format_version": manifest.FORMAT_VERSION,
            "caseflow_version": _caseflow_version(),
            "alembic_revision": snapshot.revision,
            "database": kind,
            "database_file": db_name,
            "created_at": now().isoformat(),
            "files": [entry.__dict__ for entry in entries],
        },
    )
    return BackupReport(
        str(folder), kind, snapshot.revision, len(entries) - 1, sum(e.size for e in entries)
    )


def verify_backup(folder: str | os.PathLike) -> BackupReport:
    """Check the manifest and every file's sha256 without restoring anything."""
    folder = Path(folder).resolve()
    data = manifest.read(folder)
    total = manifest.verify(folder, data["entries"])
    return BackupReport(
        str(folder), data["database"], data["alembic_revision"], len(data["entries"]) - 1, total
    )


def _store_is_empty(store: FileStore) -> bool:
    return not store.root.exists() or not any(p.is_file() for p in store.root.rglob("*"))


def restore_backup(folder: str | os.PathLike) -> BackupReport:
    """Restore the backup in ``folder`` into this instance, whose database and store are empty.

    Everything is checked before anything is written: the manifest, the kind of database,
    the schema revision, that the instance is empty, and every sha256. The files go in
    first and the database last, in one step; if the database cannot be restored, the
    files copied are removed again.
    """
    folder = Path(folder).resolve()
    data = manifest.read(folder)
    url = current_app.config["DATABASE_URL"]
    kind = database.kind_of(url)
    if data["database"] != kind:
        raise BackupError(
            _l(
                "The backup holds a %(backup)s database; this instance uses %(instance)s.",
                backup=data["database"],
                instance=kind,
            )
        )
    revision = data["alembic_revision"]
    if not _known_revision(revision):
        raise BackupError(
            _l(
                "The backup's database revision %(revision)s is newer than this caseflow: "
                "update caseflow first.",
                revision=revision,
            )
        )
    store = file_store()
    if not database.is_empty(url):
        raise BackupError(
            _l("The database is not empty: a backup is restored into a new, empty one.")
        )
    if not _store_is_empty(store):
        raise BackupError(
            _l(
                "The file store %(path)s is not empty: restore into a new instance.",
                path=str(store.root),
            )
        )
    total = manifest.verify(folder, data["entries"])
    # The engine may hold connections to the (empty) database; restore underneath none.
    dispose_engines(current_app)
    copied: list[Path] = []
    try:
        for entry in data["entries"]:
            if entry.path.startswith("files/"):
                target = store.root / entry.path.removeprefix("files/")
                _copy(folder / entry.path, target)
                copied.append(target)
        database.restore(folder / data["database_file"], url, current_app.config.get("PG_BIN_DIR"))
    except BaseException:
        for path in copied:
            path.unlink(missing_ok=True)
        raise
    return BackupReport(
        str(folder),
        kind,
        revision,
        len(data["entries"]) - 1,
        total,
        needs_upgrade=revision != _code_head(),
    )
