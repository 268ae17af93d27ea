"""Reading mail from files: .eml, .msg, folders of them, mbox files and maildirs.

A file's source key is its path *and* a digest of its content, an mbox message's its
position and digest: a drop folder that reuses a file name, or an mbox that was
compacted, never makes a new message look like one already taken.
"""

from __future__ import annotations

import hashlib
import mailbox
from collections.abc import Iterator
from pathlib import Path

from caseflow.mail.store import OUTLOOK_MSG, RFC822, RawMail

#: File endings read as single messages inside a folder.
MESSAGE_SUFFIXES = (".eml", ".msg")


def read_sources(paths: list[Path]) -> Iterator[RawMail]:
    """Every message of ``paths``, in the order given, each with a unique source key."""
    for path in paths:
        path = Path(path)
        if path.is_dir() and (path / "cur").is_dir() and (path / "new").is_dir():
            box = mailbox.Maildir(path, factory=None, create=False)
            for key in sorted(box.keys()):
                yield RawMail(
                    box.get_bytes(key), f"maildir:{path}", f"maildir:{path.resolve()}#{key}"
                )
        elif path.is_dir():
            for item in sorted(p for p in path.iterdir() if p.suffix.lower() in MESSAGE_SUFFIXES):
                yield from read_sources([item])
        elif path.suffix.lower() in MESSAGE_SUFFIXES:
            raw = path.read_bytes()
            yield RawMail(
                raw,
                f"file:{path}",
                f"file:{path.resolve()}#{_digest(raw)}",
                raw_format=OUTLOOK_MSG if path.suffix.lower() == ".msg" else RFC822,
            )
        else:
            yield from _read_mbox(path)


def _read_mbox(path: Path) -> Iterator[RawMail]:
    box = mailbox.mbox(path, create=False)
    try:
        for index, key in enumerate(box.keys()):
            raw = box.get_bytes(key, from_=False)
            yield RawMail(
                raw, f"mbox:{path}#{index}", f"mbox:{path.resolve()}#{index}:{_digest(raw)}"
            )
    finally:
        box.close()


def _digest(raw: bytes) -> str:
    return hashlib.sha256(raw).hexdigest()[:24]
