"""The limits an uploaded template must keep, so a hostile or broken file cannot pass.

Checked before a template is parsed (:func:`check_package`): how many files the .docx
holds, how large they are unpacked (a zip bomb declares a few kilobytes that unpack to
gigabytes; Python's zipfile never unpacks more than a member declares, so the declared
sizes are what bounds the work), how much they grow compared to the packed size, and how
many paragraphs the document has. Checked while rendering (:mod:`.render`): render time,
the size of a ``range``, of any text a template makes, and of the output.

The numbers are settings (``TEMPLATE_*``); the defaults are far above what a real
memo, protocol or excerpt template needs (ours: 40–60 kB packed, a few hundred paragraphs).
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, fields

from flask import current_app, has_app_context


@dataclass(frozen=True)
class Limits:
    #: Sum of the unpacked sizes of the package's files.
    max_unpacked_bytes: int = 30 * 1024 * 1024
    #: Unpacked ÷ packed, over the package (Word's XML packs about 10:1, images 1:1).
    max_ratio: int = 100
    max_files: int = 500
    #: Paragraphs in the body, headers and footers together.
    max_paragraphs: int = 5000
    #: The largest ``range()`` a template may loop over.
    max_range: int = 1000
    #: The longest text one expression may make (a string repeated, padded, joined).
    max_text: int = 200_000
    #: The rendered XML of one part, and the finished .docx.
    max_output_bytes: int = 20 * 1024 * 1024
    #: One render; the upload check runs in a process of its own that is stopped then.
    render_seconds: float = 5.0
    #: The address space of that process.
    render_memory_bytes: int = 1024 * 1024 * 1024

    @classmethod
    def current(cls) -> Limits:
        """The configured limits (``TEMPLATE_MAX_RANGE`` …), the defaults outside an app."""
        if not has_app_context():
            return cls()
        config = current_app.config
        return cls(
            **{
                f.name: type(f.default)(config.get(f"TEMPLATE_{f.name.upper()}", f.default))
                for f in fields(cls)
            }
        )


class LimitExceeded(Exception):
    """A limit was passed: ``kind`` names which (a key of render.MESSAGES), ``params`` the
    numbers for the message."""

    def __init__(self, kind: str, **params):
        super().__init__(kind)
        self.kind, self.params = kind, params


_PARAGRAPH = re.compile(rb"<w:p[\s>/]")
_TEXT_PARTS = re.compile(r"word/(document|header\d*|footer\d*|footnotes|endnotes)\.xml")


def check_package(content: bytes, limits: Limits) -> None:
    """Refuse a .docx whose package or paragraph count passes the limits."""
    with zipfile.ZipFile(io.BytesIO(content)) as package:
        members = package.infolist()
        if len(members) > limits.max_files:
            raise LimitExceeded("files", limit=limits.max_files)
        unpacked = sum(m.file_size for m in members)
        packed = sum(m.compress_size for m in members) or 1
        if unpacked > limits.max_unpacked_bytes:
            raise LimitExceeded("unpacked", limit=limits.max_unpacked_bytes // (1024 * 1024))
        if unpacked > 1024 * 1024 and unpacked / packed > limits.max_ratio:
            raise LimitExceeded("ratio", limit=limits.max_ratio)
        paragraphs = 0
        for member in members:
            if _TEXT_PARTS.fullmatch(member.filename):
                paragraphs += len(_PARAGRAPH.findall(package.read(member)))
        if paragraphs > limits.max_paragraphs:
            raise LimitExceeded("paragraphs", count=paragraphs, limit=limits.max_paragraphs)
