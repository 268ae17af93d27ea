"""winmail.dat: files taken out, and hostile counts refused before tnefparse loops on them."""

from __future__ import annotations

import contextlib
import struct
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tnefparse.tnef import TNEF

from caseflow.mail.parsing import parse_message
from caseflow.mail.tnef import TnefUnreadable, is_plausible, read_winmail

CORPUS = Path(__file__).parent / "corpus"
NOW = datetime(2021, 3, 19, 9, 30, tzinfo=UTC)
HEAD = struct.pack("<IH", 0x223E9F78, 0x0001)


def attribute(level: int, kind: int, name: int, data: bytes) -> bytes:
    """One TNEF attribute (MS-OXTNEF): level, id (name | type << 16), length, data, checksum."""
    header = struct.pack("<BHHI", level, name, kind, len(data))
    return header + data + struct.pack("<H", sum(data) & 0xFFFF)


def build_tnef(files: list[tuple[str, bytes]], codepage: int = 1252) -> bytes:
    """A minimal winmail.dat as Outlook writes it: version, codepage, then each file."""
    out = HEAD
    out += attribute(1, 0x0008, 0x9006, struct.pack("<I", 0x00010000))  # attTnefVersion
    out += attribute(1, 0x0006, 0x9007, struct.pack("<II", codepage, 0))  # attOemCodepage
    for name, data in files:
        out += attribute(2, 0x0006, 0x9002, b"\x01\x00\xff\xff\xff\xff" + bytes(8))  # RendData
        out += attribute(2, 0x0001, 0x8010, name.encode("cp1252") + b"\x00")  # attAttachTitle
        out += attribute(2, 0x0006, 0x800F, data)  # attAttachData
    return out


def long_filename_props(name: str) -> bytes:
    """attAttachment MAPI properties holding PR_ATTACH_LONG_FILENAME (a string8 value)."""
    value = name.encode("cp1252") + b"\x00"
    value += bytes(-len(value) % 4)
    return struct.pack("<IHHII", 1, 0x001E, 0x3707, 1, len(name) + 1) + value


def test_the_corpus_winmail_dat_is_what_outlook_would_write():
    files = [("Protokoll.txt", "Protokoll från mötet".encode("cp1252"))]
    files.append(("Räkning.pdf", b"%PDF-1.4 rakning"))
    built = build_tnef(files)
    assert [a.data for a in TNEF(built, do_checksum=True).attachments] == [f[1] for f in files]
    parsed = parse_message((CORPUS / "att_winmail.eml").read_bytes(), received_at=NOW)
    (container,) = [a for a in parsed.attachments if a.filename == "winmail.dat"]
    assert container.content == built
    extracted = {a.filename: a.content for a in parsed.attachments if a.extracted_from}
    assert extracted == {"Protokoll.txt": files[0][1], "Räkning.pdf": files[1][1]}


def test_the_long_filename_from_the_mapi_properties_wins():
    data = build_tnef([("RKNING~1.PDF", b"%PDF")])
    data += attribute(2, 0x0006, 0x9005, long_filename_props("Räkning för mars 2021.pdf"))
    assert is_plausible(data)
    assert read_winmail(data).files == [("Räkning för mars 2021.pdf", b"%PDF")]


HOSTILE = {
    "property count": attribute(1, 0x0006, 0x9003, struct.pack("<I", 0xFFFFFFFF) + bytes(8)),
    "multi-value count": attribute(
        1, 0x0006, 0x9003, struct.pack("<IHHI", 1, 0x1002, 0x0001, 0xFFFFFFFF)
    ),
    "recipient rows": attribute(1, 0x0006, 0x9004, struct.pack("<II", 0xFFFFFFFF, 0)),
    "attachment properties": build_tnef([("a.txt", b"a")])[6:]
    + attribute(2, 0x0006, 0x9005, struct.pack("<I", 0x7FFFFFFF) + bytes(4)),
}


# Believing a count of 2**32 means hours of looping or gigabytes: refused, it takes a moment.
@pytest.mark.timeout(10)
@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_counts_are_refused_at_once(name):
    data = HEAD + HOSTILE[name]
    assert not is_plausible(data)
    with pytest.raises(TnefUnreadable):
        read_winmail(data)


def test_an_embedded_message_is_checked_too():
    inner = HEAD + HOSTILE["property count"]
    embedded = b"\x07\x03\x02\x00\x00\x00\x00\x00\xc0\x00\x00\x00\x00\x00\x00\x46" + inner
    props = struct.pack("<IHHII", 1, 0x000D, 0x3701, 1, len(embedded)) + embedded
    props += bytes(-len(embedded) % 4)
    data = build_tnef([("a.txt", b"a")]) + attribute(2, 0x0006, 0x9005, props)
    assert not is_plausible(data)


# 150 damaged files in well under a second each; one that makes the reader loop fails here.
@pytest.mark.timeout(120)
@settings(max_examples=150, deadline=None, database=None, derandomize=True)
@given(st.lists(st.tuples(st.integers(min_value=0), st.binary(min_size=1, max_size=4)), max_size=8))
def test_damaged_winmail_dat_is_read_or_refused_quickly(edits):
    data = bytearray(
        build_tnef([("a.txt", b"hej"), ("b.pdf", b"%PDF")])
        + attribute(2, 0x0006, 0x9005, long_filename_props("Långt namn.pdf"))
    )
    for position, replacement in edits:
        at = position % len(data)
        data[at : at + len(replacement)] = replacement
    with contextlib.suppress(TnefUnreadable):
        read_winmail(bytes(data))
