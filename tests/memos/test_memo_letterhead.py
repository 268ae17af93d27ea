"""The memo's letterhead comes from the organisation profile the admin keeps."""

from __future__ import annotations

import io
import struct
import zlib

from docx import Document as Docx

from caseflow.organisation.services import update_profile
from tests.memos.test_memo_document import _generate


def tiny_png() -> bytes:
    """A real 1×1 PNG, made here (a logo an admin could upload)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\x1f\x4e\x79")
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


def _header(content: bytes):
    return Docx(io.BytesIO(content)).sections[0].header


def _images(header) -> list[bytes]:
    return [
        part.blob for part in header.part.related_parts.values() if "image" in part.content_type
    ]


def test_the_memo_carries_the_profiles_name_and_logo_in_its_header(make, app, drafted):
    case, erik, _hans = drafted
    logo = tiny_png()
    with app.app_context():
        update_profile(
            make.session,
            name="Region Testland",
            postal_address="Box 1, 831 00 Östersund",
            logo=logo,
        )
        make.session.commit()
    _item, content = _generate(make, app, case, erik)
    header = _header(content)
    assert header.paragraphs[0].text.strip() == "Region Testland"
    assert _images(header) == [logo]
    footer = Docx(io.BytesIO(content)).sections[0].footer.paragraphs[0].text
    assert "Box 1, 831 00 Östersund" in footer


def test_without_a_logo_the_header_is_the_name_alone(make, app, drafted):
    case, erik, _hans = drafted
    _item, content = _generate(make, app, case, erik)
    header = _header(content)
    assert header.paragraphs[0].text == app.config["ORGANISATION_NAME"]
    assert _images(header) == []
