"""The database half of a backup: a consistent snapshot, and its restore into an empty one.

SQLite: the online backup API, read from a connection of its own; the copy is taken in one
step, so it is one consistent state and writers go on meanwhile (WAL). PostgreSQL: one
REPEATABLE READ transaction exports its snapshot, ``pg_dump --snapshot`` dumps exactly that
state, and the same transaction lists the stored files, so the dump and the file list agree.
"""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
import subprocess
from collections.abc import Callable
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from caseflow.common.errors import CaseflowError


class BackupError(CaseflowError):
    """A backup cannot be made, read or restored; the message says why in one line."""


@dataclass
class Snapshot:
    """What the database snapshot held: its schema revision and the files it refers to."""

    revision: str | None
    blobs: list[str]


def kind_of(url: str) -> str:
    """``sqlite`` or ``postgresql``: the databases a backup knows how to take."""
    backend = sa.engine.make_url(url).get_backend_name()
    if backend not in ("sqlite", "postgresql"):
        raise BackupError(_l("Backups support SQLite and PostgreSQL, not %(kind)s.", kind=backend))
    return backend


def _read_snapshot(execute: Callable[[str], list], tables: set[str]) -> Snapshot:
    """Read the revision and the file list through ``execute(sql) -> rows``."""
    if not {"alembic_version", "file_blob"} <= tables:
        raise BackupError(_l("The database has no tables yet: run `caseflow db upgrade`."))
    revisions = execute("SELECT version_num FROM alembic_version")
    blobs = execute("SELECT sha256 FROM file_blob ORDER BY sha256")
    return Snapshot(revisions[0][0] if revisions else None, [row[0] for row in blobs])


# --- SQLite -------------------------------------------------------------------------------


def sqlite_path(url: str) -> Path:
    database = sa.engine.make_url(url).database
    if not database or database == ":memory:":
        raise BackupError(_l("An in-memory SQLite database cannot be backed up."))
    return Path(database)


def sqlite_snapshot(url: str, target: Path) -> Snapshot:
    """Copy the live database at ``url`` into ``target`` and read the copy."""
    source_path = sqlite_path(url)
    if not source_path.is_file():
        raise BackupError(_l("The database %(path)s does not exist.", path=str(source_path)))
    try:
        source = sqlite3.connect(source_path, timeout=30)
    except sqlite3.Error as exc:
        raise BackupError(_l("The database cannot be read: %(error)s", error=str(exc))) from exc
    with closing(source), closing(sqlite3.connect(target)) as copy:
        # pages=-1 (the default): all pages in one step, under one read transaction.
        source.backup(copy)
        # The copy stands alone: no -wal file beside it.
        copy.execute("PRAGMA journal_mode=DELETE")
        try:
            tables = {row[0] for row in copy.execute("SELECT name FROM sqlite_master")}
            return _read_snapshot(lambda sql: copy.execute(sql).fetchall(), tables)
        except sqlite3.Error as exc:  # e.g. a database that was never migrated
            raise BackupError(_l("The database cannot be read: %(error)s", error=str(exc))) from exc


def sqlite_is_empty(url: str) -> bool:
    """Whether the database has no table at all (a missing file is empty and stays missing)."""
    path = sqlite_path(url)
    if not path.exists():
        return True
    with closing(sqlite3.connect(path, timeout=30)) as conn:
        (count,) = conn.execute(
            "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        ).fetchone()
    return count == 0


def sqlite_restore(source: Path, url: str) -> None:
    """Write the backup's database into the (empty) database at ``url``, in one step."""
    target = sqlite_path(url)
    target.parent.mkdir(parents=True, exist_ok=True)
    backup = sqlite3.connect(f"{source.as_uri()}?mode=ro", uri=True)
    with closing(backup), closing(sqlite3.connect(target, timeout=30)) as live:
        backup.backup(live)


# --- PostgreSQL ---------------------------------------------------------------------------


def libpq_target(url: str) -> tuple[str, dict[str, str]]:
    """The SQLAlchemy URL as a libpq URL, and the environment carrying its password.

    The password goes in ``PGPASSWORD`` rather than on the command line, where any user of
    the machine could read it in the process list.
    """
    parsed = sa.engine.make_url(url)
    env = dict(os.environ)
    if parsed.password:
        env["PGPASSWORD"] = str(parsed.password)
    plain = parsed.set(drivername="postgresql", password=None)
    return plain.render_as_string(hide_password=False), env


def _tool(name: str, bin_dir: str | None) -> str:
    path = shutil.which(name, path=bin_dir) if bin_dir else shutil.which(name)
    if path is None:
        raise BackupError(
            _l(
                "%(tool)s is not installed: install the PostgreSQL client tools of the "
                "server's version (or newer), or set CASEFLOW_PG_BIN_DIR.",
                tool=name,
            )
        )
    return path


def _major(version_text: str) -> int:
    match = re.search(r"(\d+)(?:\.\d+)*", version_text)
    return int(match.group(1)) if match else 0


def _first_line(text: str) -> str:
    lines = [line for line in text.strip().splitlines() if line.strip()]
    return lines[0] if lines else ""


def _run(args: list[str], env: dict[str, str], tool: str) -> None:
    result = subprocess.run(args, capture_output=True, text=True, env=env, check=False)  # noqa: S603
    if result.returncode != 0:
        raise BackupError(
            _l(
                "%(tool)s failed: %(message)s",
                tool=tool,
                message=_first_line(result.stderr) or result.returncode,
            )
        )


def _unreadable(exc: sa.exc.SQLAlchemyError) -> BackupError:
    reason = _first_line(str(getattr(exc, "orig", None) or exc))
    return BackupError(_l("The database cannot be read: %(error)s", error=reason))


def postgres_snapshot(url: str, target: Path, bin_dir: str | None = None) -> Snapshot:
    """Dump the database at ``url`` with ``pg_dump --format=custom`` into ``target``."""
    pg_dump = _tool("pg_dump", bin_dir)
    dump_version = subprocess.run(  # noqa: S603
        [pg_dump, "--version"], capture_output=True, text=True, check=False
    ).stdout
    libpq_url, env = libpq_target(url)
    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    try:
        with engine.connect() as conn:
            server = int(conn.exec_driver_sql("SHOW server_version_num").scalar()) // 10000
        if _major(dump_version) < server:
            raise BackupError(
                _l(
                    "pg_dump %(dump)s is older than the server (%(server)s): "
                    "install the client tools of version %(server)s or newer.",
                    dump=_major(dump_version),
                    server=server,
                )
            )
        reading = engine.connect().execution_options(isolation_level="REPEATABLE READ")
        with reading as conn, conn.begin():
            conn.exec_driver_sql("SET TRANSACTION READ ONLY")
            snapshot_id = conn.exec_driver_sql("SELECT pg_export_snapshot()").scalar()
            tables = set(sa.inspect(conn).get_table_names())
            snapshot = _read_snapshot(lambda sql: conn.exec_driver_sql(sql).fetchall(), tables)
            # The exported snapshot lives as long as this transaction: dump inside it.
            _run(
                [
                    pg_dump,
                    "--format=custom",
                    f"--snapshot={snapshot_id}",
                    "--no-password",
                    f"--file={target}",
                    f"--dbname={libpq_url}",
                ],
                env,
                "pg_dump",
            )
    except sa.exc.SQLAlchemyError as exc:
        raise _unreadable(exc) from exc
    finally:
        engine.dispose()
    return snapshot


def postgres_is_empty(url: str) -> bool:
    """Whether the database has no table outside PostgreSQL's own schemas."""
    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    try:
        with engine.connect() as conn:
            count = conn.exec_driver_sql(
                "SELECT count(*) FROM information_schema.tables "
                "WHERE table_schema NOT IN ('pg_catalog', 'information_schema')"
            ).scalar()
    except sa.exc.SQLAlchemyError as exc:
        raise _unreadable(exc) from exc
    finally:
        engine.dispose()
    return count == 0


def postgres_restore(source: Path, url: str, bin_dir: str | None = None) -> None:
    """``pg_restore`` the dump into the (empty) database at ``url``, all or nothing."""
    pg_restore = _tool("pg_restore", bin_dir)
    libpq_url, env = libpq_target(url)
    _run(
        [
            pg_restore,
            "--single-transaction",
            "--exit-on-error",
            # The restoring role owns what it creates; the old roles need not exist here.
            "--no-owner",
            "--no-privileges",
            "--no-password",
            f"--dbname={libpq_url}",
            str(source),
        ],
        env,
        "pg_restore",
    )


# --- both ---------------------------------------------------------------------------------


def snapshot(url: str, folder: Path, bin_dir: str | None = None) -> tuple[str, Snapshot]:
    """Take the database snapshot into ``folder``; return its file name and what it holds."""
    if kind_of(url) == "sqlite":
        name = "database.sqlite"
        return name, sqlite_snapshot(url, folder / name)
    name = "database.pgdump"
    return name, postgres_snapshot(url, folder / name, bin_dir)


def is_empty(url: str) -> bool:
    return sqlite_is_empty(url) if kind_of(url) == "sqlite" else postgres_is_empty(url)


def restore(source: Path, url: str, bin_dir: str | None = None) -> None:
    if kind_of(url) == "sqlite":
        sqlite_restore(source, url)
    else:
        postgres_restore(source, url, bin_dir)
