"""Content-addressed file storage under the instance folder: ``files/ab/cd/<sha256>``.

A file is written to a temporary name, synced, then renamed into place, so a crash never
leaves half a file under a real name. Files are never changed or removed: equal content
is stored once.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path
from typing import BinaryIO

from flask import current_app

CHUNK = 1024 * 1024


class FileStore:
    def __init__(self, root: str | os.PathLike):
        self.root = Path(root)

    def path_for(self, sha256: str) -> Path:
        if len(sha256) != 64 or any(c not in "0123456789abcdef" for c in sha256):
            raise ValueError("not a sha256 hex digest")
        return self.root / sha256[:2] / sha256[2:4] / sha256

    def put(self, source: bytes | BinaryIO) -> tuple[str, int]:
        """Store bytes or a stream; return (sha256, size)."""
        known = None
        if isinstance(source, bytes | bytearray):
            known = hashlib.sha256(source).hexdigest()
            if self.path_for(known).exists():  # stored before (a mail and its .eml copy)
                return known, len(source)
        self.root.mkdir(parents=True, exist_ok=True)
        digest, size = hashlib.sha256(), 0
        fd, tmp_name = tempfile.mkstemp(dir=self.root, prefix=".incoming-")
        try:
            with os.fdopen(fd, "wb") as tmp:
                if known is not None:
                    tmp.write(source)
                    size = len(source)
                else:
                    while chunk := source.read(CHUNK):
                        digest.update(chunk)
                        tmp.write(chunk)
                        size += len(chunk)
                tmp.flush()
                os.fsync(tmp.fileno())
            sha = known or digest.hexdigest()
            target = self.path_for(sha)
            if target.exists():
                os.unlink(tmp_name)
            else:
                target.parent.mkdir(parents=True, exist_ok=True)
                os.chmod(tmp_name, 0o444)
                os.replace(tmp_name, target)
            return sha, size
        except BaseException:
            if os.path.exists(tmp_name):
                os.unlink(tmp_name)
            raise

    def open(self, sha256: str) -> BinaryIO:
        return self.path_for(sha256).open("rb")


def file_store() -> FileStore:
    return FileStore(current_app.config["FILES_DIR"])
