"""The manifest of a backup: what it holds, from which caseflow, and every file's sha256.

It is written last, so a folder without one is no (complete) backup. Its paths are checked
before use: a backup is data, and a crafted manifest must not reach outside its folder.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from dataclasses import dataclass
from pathlib import Path

from flask_babel import lazy_gettext as _l

from caseflow.backup.database import BackupError

NAME = "manifest.json"
FORMAT = "caseflow-backup"
FORMAT_VERSION = 1
CHUNK = 1024 * 1024

#: The only paths a manifest may list: the database file and the content-addressed files.
_SAFE_PATH = re.compile(
    r"(database\.sqlite|database\.pgdump|files/([0-9a-f]{2})/([0-9a-f]{2})/\2\3[0-9a-f]{60})"
)


@dataclass
class Entry:
    path: str
    sha256: str
    size: int


def hash_file(path: Path) -> tuple[str, int]:
    """The sha256 and size of a file, read in chunks."""
    digest, size = hashlib.sha256(), 0
    with path.open("rb") as stream:
        while chunk := stream.read(CHUNK):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


def write(folder: Path, data: dict) -> None:
    """Write the manifest beside the files, under its real name only once complete."""
    partial = folder / f".{NAME}.partial"
    with partial.open("w", encoding="utf-8") as stream:
        json.dump(data, stream, ensure_ascii=False, indent=2)
        stream.flush()
        os.fsync(stream.fileno())
    os.replace(partial, folder / NAME)


def read(folder: Path) -> dict:
    """The manifest of the backup in ``folder``, its format and paths checked."""
    path = folder / NAME
    if not path.is_file():
        raise BackupError(
            _l(
                "%(folder)s is not a caseflow backup: it has no %(name)s.",
                folder=str(folder),
                name=NAME,
            )
        )
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("format") != FORMAT:
            raise ValueError("format")
        entries = [Entry(str(e["path"]), str(e["sha256"]), int(e["size"])) for e in data["files"]]
        for key in ("database_file", "database", "alembic_revision"):
            data[key]  # noqa: B018 - a KeyError here means no readable manifest
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise BackupError(_l("The backup's %(name)s cannot be read.", name=NAME)) from exc
    if int(data.get("format_version", 0)) > FORMAT_VERSION:
        raise BackupError(_l("The backup was made by a newer caseflow: update caseflow first."))
    for entry in entries:
        if not _SAFE_PATH.fullmatch(entry.path):
            raise BackupError(
                _l(
                    "The backup's %(name)s names an unexpected file: %(path)s",
                    name=NAME,
                    path=entry.path,
                )
            )
    if not data["database_file"].startswith("database.") or data["database_file"] not in {
        entry.path for entry in entries
    }:
        raise BackupError(_l("The backup's %(name)s cannot be read.", name=NAME))
    data["entries"] = entries
    return data


def verify(folder: Path, entries: list[Entry]) -> int:
    """Check every listed file's size and sha256; raise naming the first that fails.

    Returns the number of bytes checked.
    """
    total = 0
    for entry in entries:
        path = folder / entry.path
        if not path.is_file():
            raise BackupError(_l("The backup is damaged: %(path)s is missing.", path=entry.path))
        sha, size = hash_file(path)
        if sha != entry.sha256 or size != entry.size:
            raise BackupError(
                _l("The backup is damaged: %(path)s does not match its sha256.", path=entry.path)
            )
        total += size
    return total
