"""winmail.dat (TNEF, Outlook's rich-text wrapper): the files and the body inside it.

tnefparse does the reading. It trusts the counts written in the file, though: a property
count of 4 billion in a 20-byte winmail.dat makes it loop for hours. So the counts are
checked against the bytes that could hold them first (``is_plausible``, which walks the
file the way tnefparse does), and a file that fails is reported unreadable and kept as is.
"""

from __future__ import annotations

import logging
import struct
from dataclasses import dataclass, field

from tnefparse.tnef import TNEF

from caseflow.mail.decoding import decode_text

SIGNATURE = 0x223E9F78
_MAPI_ATTRIBUTES = {0x9003, 0x9005}  # attMAPIProps, attAttachment
_RECIPIENT_TABLE = 0x9004
_EMBEDDED_MESSAGE = 0x3701  # PR_ATTACH_DATA_OBJ
_IMESSAGE = b"\x07\x03\x02\x00\x00\x00\x00\x00\xc0\x00\x00\x00\x00\x00\x00\x46"
_FIXED_SIZES = {0x0002: 2, 0x000B: 2, 0x0003: 4, 0x0004: 4, 0x000A: 4, 0x0048: 16}
_FIXED_SIZES |= dict.fromkeys((0x0005, 0x0006, 0x0007, 0x0014, 0x0040), 8)
_VARIABLE = {0x0000, 0x000D, 0x001E, 0x001F, 0x0102}
_MAX_EMBEDDING = 4

# tnefparse logs every oddity of a broken file (some at ERROR); the flag says it all.
logging.getLogger("tnefparse").setLevel(logging.CRITICAL)


class TnefUnreadable(Exception):
    """The winmail.dat could not be read (or was not safe to give to tnefparse)."""


@dataclass
class TnefContent:
    files: list[tuple[str | None, bytes]] = field(default_factory=list)
    body: str | None = None
    body_is_html: bool = False


def read_winmail(data: bytes) -> TnefContent:
    """The files (name, bytes) and the message body inside a winmail.dat."""
    if not is_plausible(data):
        raise TnefUnreadable("counts larger than the file")
    try:
        tnef = TNEF(data, do_checksum=False)
        content = TnefContent()
        for item in tnef.attachments:
            payload = item.data if isinstance(item.data, bytes) else b""
            content.files.append((_filename(item, tnef.codepage), payload))
        body, html = tnef.body, tnef.htmlbody
    except Exception as error:
        raise TnefUnreadable(str(error)) from error
    chosen = body or html
    if isinstance(chosen, bytes):
        chosen, _ = decode_text(chosen.rstrip(b"\x00"), None)
    if isinstance(chosen, str) and chosen.strip():
        content.body = chosen.rstrip("\x00")
        content.body_is_html = not body
    return content


def _filename(item: object, codepage: str | None) -> str | None:
    """tnefparse decodes names as UTF-8; Outlook writes them in the TNEF's codepage."""
    try:
        name = item.long_filename()  # type: ignore[attr-defined]
    except Exception:
        name = getattr(item, "_name", b"")
    if isinstance(name, bytes):
        name = name.rstrip(b"\x00")
        try:
            name = name.decode(codepage or "cp1252")
        except (LookupError, UnicodeError):
            name, _ = decode_text(name, None)
    return str(name).strip("\x00").strip() or None


# -- the plausibility walk: the same offsets as tnefparse.TNEF and tnefparse.mapi ---------
#
# Where tnefparse would stop (it raises at the end of the data, or on an unknown type),
# the walk stops too; where tnefparse would give up on a value but read on (a string that
# does not decode), the walk reads on: it checks at least everything tnefparse will read.


class _Budget:
    """Real winmail.dat files hold a few hundred properties; 50,000 is no real file."""

    def __init__(self, limit: int = 50_000):
        self.left = limit

    def take(self, count: int) -> bool:
        self.left -= count
        return self.left >= 0


def is_plausible(data: bytes, depth: int = 0, budget: _Budget | None = None) -> bool:
    """Whether no count in ``data`` promises more items than its bytes could hold."""
    budget = budget or _Budget()
    if depth > _MAX_EMBEDDING:
        return False
    if len(data) < 6 or _u32(data, 0) != SIGNATURE:
        return True  # tnefparse refuses it at once
    offset = 6
    while offset + 12 < len(data):
        name = _u16(data, offset + 1)
        length = min(len(data) - offset, _u32(data, offset + 5) + 11)
        body = data[offset + 9 : offset + length - 2]
        if name in _MAPI_ATTRIBUTES and not _mapi_plausible(body, 0, depth, budget)[0]:
            return False
        if (
            name == _RECIPIENT_TABLE
            and len(body) >= 4
            and not _table_plausible(body, depth, budget)
        ):
            return False
        offset += length
    return True


def _table_plausible(body: bytes, depth: int, budget: _Budget) -> bool:
    # tnefparse reads every row from wherever the row before stopped; a row that stops
    # early is no real table: refuse it rather than follow tnefparse into the rest.
    rows, position = _u32(body, 0), 4
    if rows > len(body) // 4 or not budget.take(rows):
        return False
    for _ in range(rows):
        ok, position = _mapi_plausible(body, position, depth, budget)
        if not ok or position is None:
            return False
    return True


def _mapi_plausible(
    data: bytes, offset: int, depth: int, budget: _Budget
) -> tuple[bool, int | None]:
    """(plausible, offset after) for one MAPI property list; None: tnefparse stops here."""
    size = len(data)
    try:
        count = _u32(data, offset)
        offset += 4
        if count > (size - offset) // 4 + 1 or not budget.take(count):
            return False, None
        for _ in range(count):
            if offset >= size:
                break
            kind, name = _u16(data, offset), _u16(data, offset + 2)
            offset += 4
            if name >= 0x8000:  # a named property: GUID, then an id or a name
                offset += 16
                if _u32(data, offset) == 0:
                    offset += 8
                else:
                    length = _u32(data, offset + 4)
                    offset += 8 + length + (-length % 4)
            values = None
            if kind & 0x1000:
                kind ^= 0x1000
                values = _u32(data, offset)
                offset += 4
                if values > (size - offset) // 2 + 1 or not budget.take(values):
                    return False, None
            for _ in range(values or 1):
                if kind in _FIXED_SIZES:
                    offset += _FIXED_SIZES[kind]
                elif kind in _VARIABLE:
                    items = 1 if values else _u32(data, offset)
                    offset += 0 if values else 4
                    for _ in range(items):
                        length = _u32(data, offset) + (-_u32(data, offset) % 4)
                        item = data[offset + 4 : offset + 4 + length]
                        offset += 4 + length
                        embedded = name == _EMBEDDED_MESSAGE and item.startswith(_IMESSAGE)
                        if embedded and not is_plausible(item[16:], depth + 1, budget):
                            return False, None
                else:
                    return True, None  # tnefparse raises on an unknown type and stops
            if (values or 1) % 2 and kind in (0x0002, 0x000B):
                offset += 2
    except struct.error:
        return True, None  # tnefparse raises where the data ends and stops
    return True, offset


def _u16(data: bytes, offset: int) -> int:
    return struct.unpack_from("<H", data, offset)[0]


def _u32(data: bytes, offset: int) -> int:
    return struct.unpack_from("<I", data, offset)[0]
