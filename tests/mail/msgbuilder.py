"""Writes small Outlook .msg files for the tests (no library writes them for us).

Two layers: ``compound_file`` lays a tree of storages (dicts) and streams (bytes) out as
an MS-CFB compound file (version 3, 512-byte sectors, one FAT, a mini FAT and mini stream
for streams under 4096 bytes, every directory node black, siblings as a balanced tree);
``build_msg`` lays an MS-OXMSG message out as such a tree: a property stream for each
object, strings as UTF-16-LE ``__substg1.0_*001F`` streams, recipients, attachments and
embedded messages (attach method 5, a ``__substg1.0_3701000D`` storage).
"""

from __future__ import annotations

import struct
from datetime import UTC, datetime

SECTOR = 512
MINI_SECTOR = 64
MINI_CUTOFF = 4096
FREE, END_OF_CHAIN, FAT_SECTOR, NO_STREAM = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFF
SIGNATURE = bytes.fromhex("D0CF11E0A1B11AE1")
STORAGE, STREAM, ROOT = 1, 2, 5

PT_LONG, PT_BOOLEAN, PT_SYSTIME = 0x0003, 0x000B, 0x0040
PT_UNICODE, PT_BINARY, PT_OBJECT = 0x001F, 0x0102, 0x000D
ATTACH_BY_VALUE, ATTACH_EMBEDDED_MSG = 1, 5
RECIPIENT_TO, RECIPIENT_CC = 1, 2
_READABLE_WRITABLE = 0x00000006
_STORE_UNICODE_OK = 0x00040000
_FILETIME_EPOCH = datetime(1601, 1, 1, tzinfo=UTC)


# -- MS-CFB ----------------------------------------------------------------------------


def compound_file(tree: dict) -> bytes:
    """A compound file whose root storage holds ``tree`` (name -> bytes or dict)."""
    entries: list[dict] = []

    def add(name: str, node: dict | bytes, kind: int) -> int:
        index = len(entries)
        entry = {"name": name, "kind": kind, "data": b"", "left": NO_STREAM,
                 "right": NO_STREAM, "child": NO_STREAM, "start": END_OF_CHAIN}  # fmt: skip
        entries.append(entry)
        if isinstance(node, dict):
            children = [add(key, value, STORAGE if isinstance(value, dict) else STREAM)
                        for key, value in node.items()]  # fmt: skip
            entry["child"] = _sibling_tree(entries, children)
        else:
            entry["data"] = bytes(node)
        return index

    add("Root Entry", tree, ROOT)

    # Small streams go into the mini stream (64-byte mini sectors, chained in the mini FAT).
    mini_stream, mini_fat = bytearray(), []
    for entry in entries:
        data = entry["data"]
        if entry["kind"] == STREAM and 0 < len(data) < MINI_CUTOFF:
            first, count = len(mini_fat), -(-len(data) // MINI_SECTOR)
            entry["start"] = first
            mini_fat += [first + i + 1 for i in range(count - 1)] + [END_OF_CHAIN]
            mini_stream += data + bytes(-len(data) % MINI_SECTOR)
    mini_fat_bytes = _pad(struct.pack(f"<{len(mini_fat)}I", *mini_fat), fill=b"\xff")
    big = [e for e in entries if e["kind"] == STREAM and len(e["data"]) >= MINI_CUTOFF]

    per_sector = SECTOR // 128
    directory_size = (len(entries) + -len(entries) % per_sector) * 128
    runs = [b"", mini_fat_bytes, bytes(mini_stream)] + [e["data"] for e in big]
    sizes = [-(-directory_size // SECTOR)] + [-(-len(run) // SECTOR) for run in runs[1:]]
    fat_count = 1
    while fat_count * (SECTOR // 4) < fat_count + sum(sizes):
        fat_count += 1
    if fat_count > 109:
        raise ValueError("too large for a compound file without DIFAT sectors")

    fat = [FAT_SECTOR] * fat_count
    starts = []
    for size in sizes:
        starts.append(len(fat) if size else END_OF_CHAIN)
        fat += [len(fat) + i + 1 for i in range(size - 1)] + ([END_OF_CHAIN] if size else [])
    fat += [FREE] * (fat_count * (SECTOR // 4) - len(fat))
    dir_start, mini_fat_start, mini_stream_start, *big_starts = starts
    entries[0]["start"], entries[0]["size"] = mini_stream_start, len(mini_stream)
    for entry, start in zip(big, big_starts, strict=True):
        entry["start"] = start
    runs[0] = b"".join(_directory_entry(e) for e in entries)
    runs[0] += _directory_entry(None) * (-len(entries) % per_sector)

    difat = list(range(fat_count)) + [FREE] * (109 - fat_count)
    header = SIGNATURE + bytes(16) + struct.pack(
        "<HHHHH6sIIIIIIIII", 0x003E, 0x0003, 0xFFFE, 9, 6, bytes(6), 0, fat_count,
        dir_start, 0, MINI_CUTOFF, mini_fat_start, sizes[1], END_OF_CHAIN, 0,
    ) + struct.pack("<109I", *difat)  # fmt: skip
    body = struct.pack(f"<{len(fat)}I", *fat) + b"".join(_pad(run) for run in runs)
    return header + body


def _sibling_tree(entries: list[dict], children: list[int]) -> int:
    """Siblings as a balanced binary search tree (shorter names first, then upper case)."""
    ordered = sorted(children, key=lambda i: (len(entries[i]["name"]), entries[i]["name"].upper()))

    def build(items: list[int]) -> int:
        if not items:
            return NO_STREAM
        middle = len(items) // 2
        node = entries[items[middle]]
        node["left"], node["right"] = build(items[:middle]), build(items[middle + 1 :])
        return items[middle]

    return build(ordered)


def _directory_entry(entry: dict | None) -> bytes:
    if entry is None:
        return (
            bytes(64)
            + struct.pack("<HBBIII", 0, 0, 0, NO_STREAM, NO_STREAM, NO_STREAM)
            + bytes(16 + 4 + 16 + 4 + 8)
        )
    name = entry["name"].encode("utf-16-le")
    if len(name) > 62:
        raise ValueError(f"directory name too long: {entry['name']!r}")
    size = entry.get("size", len(entry["data"]))
    return (
        name.ljust(64, b"\x00")
        + struct.pack("<HBB", len(name) + 2, entry["kind"], 1)  # 1: black
        + struct.pack("<III", entry["left"], entry["right"], entry["child"])
        + bytes(16 + 4 + 16)  # CLSID, state bits, creation and modification times
        + struct.pack("<IQ", entry["start"], size)
    )


def _pad(data: bytes, *, fill: bytes = b"\x00") -> bytes:
    return data + fill * (-len(data) % SECTOR)


# -- MS-OXMSG --------------------------------------------------------------------------


def build_msg(**message) -> bytes:
    """An Outlook .msg file; see ``message_storage`` for the keyword arguments."""
    tree = message_storage(top_level=True, **message)
    # Named property mapping: empty GUID, entry and string streams (no named properties).
    tree["__nameid_version1.0"] = {
        "__substg1.0_00020102": b"",
        "__substg1.0_00030102": b"",
        "__substg1.0_00040102": b"",
    }
    return compound_file(tree)


def message_storage(
    *,
    top_level: bool = False,
    subject: str | None = None,
    sender_name: str | None = None,
    sender_email: str | None = None,
    to: list[tuple[str, str]] | tuple = (),
    cc: list[tuple[str, str]] | tuple = (),
    date: datetime | None = None,
    body: str | None = None,
    html: str | bytes | None = None,
    message_id: str | None = None,
    in_reply_to: str | None = None,
    transport_headers: str | None = None,
    attachments: list[tuple] | tuple = (),
    embedded: list[dict] | tuple = (),
    message_class: str = "IPM.Note",
    unsent: bool = False,
    extra: dict[int, object] | None = None,
) -> dict:
    """The storage of one message: its properties, recipients and attachments.

    ``attachments`` are (filename, bytes, MIME type or None[, Content-ID]); ``embedded``
    are keyword dicts of this function. ``extra`` adds raw properties by tag (0x0037001F:
    "subject"); None leaves a property out. Empty strings are left out (MS-OXMSG wants
    one character at least).
    """
    props: dict[int, object] = {
        0x001A001F: message_class,
        0x340D0003: _STORE_UNICODE_OK,
        0x0E070003: 0x08 if unsent else 0x01,  # MSGFLAG_UNSENT, MSGFLAG_READ
        0x0037001F: subject,
        0x0C1A001F: sender_name,
        0x0042001F: sender_name,
        0x0C1E001F: "SMTP" if sender_email else None,
        0x0C1F001F: sender_email,
        0x0065001F: sender_email,
        0x5D01001F: sender_email,
        0x0E04001F: "; ".join(name for name, _ in to) or None,
        0x0E03001F: "; ".join(name for name, _ in cc) or None,
        0x00390040: date,
        0x0E060040: date,
        0x1000001F: body,
        0x10130102: html.encode("utf-8") if isinstance(html, str) else html,
        0x3FDE0003: 65001 if html is not None else None,  # PR_INTERNET_CPID: UTF-8
        0x1035001F: message_id,
        0x1042001F: in_reply_to,
        0x007D001F: transport_headers,
    }
    props.update(extra or {})
    storage: dict = {}
    recipients = [(RECIPIENT_TO, *r) for r in to] + [(RECIPIENT_CC, *r) for r in cc]
    for number, (kind, name, address) in enumerate(recipients):
        storage[f"__recip_version1.0_#{number:08X}"] = _object_storage(
            {
                0x0C150003: kind,
                0x3000_0003: number,  # PR_ROWID
                0x3001001F: name,
                0x3002001F: "SMTP",
                0x3003001F: address,
                0x39FE001F: address,
                0x5FF6001F: name,
            },
            header=bytes(8),
        )
    parts = [_attachment(*attachment) for attachment in attachments]
    parts += [_embedded(spec) for spec in embedded]
    for number, (attach_props, extra_children) in enumerate(parts):
        attach_props[0x0E210003] = number  # PR_ATTACH_NUM
        attach_props[0x370B0003] = 0xFFFFFFFF  # PR_RENDERING_POSITION: not in the text
        child = _object_storage(attach_props, header=bytes(8))
        child.update(extra_children)
        storage[f"__attach_version1.0_#{number:08X}"] = child
    counts = struct.pack("<IIII", len(recipients), len(parts), len(recipients), len(parts))
    header = bytes(8) + counts + (bytes(8) if top_level else b"")
    storage.update(_object_storage(props, header=header))
    return storage


def _attachment(
    name: str, data: bytes, mime: str | None, content_id: str | None = None
) -> tuple[dict, dict]:
    """A file attached by value; with a Content-ID, an inline (hidden) one."""
    extension = "." + name.rsplit(".", 1)[1] if "." in name else None
    props = {
        0x3712001F: content_id,  # PR_ATTACH_CONTENT_ID
        0x7FFE000B: 1 if content_id else None,  # PR_ATTACHMENT_HIDDEN
        0x37050003: ATTACH_BY_VALUE,
        0x37010102: bytes(data),
        0x3707001F: name,
        0x3704001F: name,
        0x3001001F: name,
        0x3703001F: extension,
        0x370E001F: mime,
    }
    return props, {}


def _embedded(spec: dict) -> tuple[dict, dict]:
    inner = message_storage(**spec)
    props = {
        0x37050003: ATTACH_EMBEDDED_MSG,
        0x3701000D: inner,
        0x3001001F: spec.get("subject") or "Meddelande",
        0x370E001F: "message/rfc822",
    }
    return props, {"__substg1.0_3701000D": inner}


def _object_storage(props: dict[int, object], *, header: bytes) -> dict:
    """A property stream (``header`` then 16-byte entries) and a stream for each value
    that does not fit into an entry."""
    storage: dict = {}
    entries = []
    for tag, value in sorted(props.items()):
        if value is None:
            continue
        kind = tag & 0xFFFF
        if kind in (PT_LONG, PT_BOOLEAN):
            value = int(value) & 0xFFFFFFFF
            entries.append(struct.pack("<IIII", tag, _READABLE_WRITABLE, value, 0))
        elif kind == PT_SYSTIME:
            entries.append(struct.pack("<IIQ", tag, _READABLE_WRITABLE, _filetime(value)))
        elif kind == PT_OBJECT:  # the storage itself is added by the caller
            entries.append(struct.pack("<IIII", tag, _READABLE_WRITABLE, 0xFFFFFFFF, 0))
        elif kind in (PT_UNICODE, PT_BINARY):
            data = value.encode("utf-16-le") if kind == PT_UNICODE else bytes(value)
            if kind == PT_UNICODE and not data:
                continue
            storage[f"__substg1.0_{tag:08X}"] = data
            size = len(data) + (2 if kind == PT_UNICODE else 0)
            entries.append(struct.pack("<IIII", tag, _READABLE_WRITABLE, size, 0))
        else:
            raise ValueError(f"property type {kind:04X} is not written by this builder")
    storage["__properties_version1.0"] = header + b"".join(entries)
    return storage


def _filetime(value: datetime) -> int:
    """100-nanosecond intervals since 1601-01-01 UTC."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    delta = value - _FILETIME_EPOCH
    return (delta.days * 86_400 + delta.seconds) * 10_000_000 + delta.microseconds * 10
