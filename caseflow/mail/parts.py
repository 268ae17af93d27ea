"""Reading single MIME parts without letting a broken header raise.

Each helper answers for one part of a message parsed by the stdlib ``email`` package
(either policy) and falls back to a plain default where the stdlib would raise.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import mimetypes
import quopri
import re
from email.message import Message

#: Defects that mean content is damaged (a truncated message, broken base64); the
#: stdlib records many more that are only cosmetic.
DAMAGE_DEFECTS = {
    "StartBoundaryNotFoundDefect",
    "CloseBoundaryNotFoundDefect",
    "NoBoundaryInMultipartDefect",
    "MultipartInvariantViolationDefect",
    "InvalidBase64PaddingDefect",
    "InvalidBase64CharactersDefect",
    "InvalidBase64LengthDefect",
    "MissingHeaderBodySeparatorDefect",
}
_EXTENSIONS = {
    "application/pdf": ".pdf",
    "image/png": ".png",
    "image/jpeg": ".jpg",
    "image/gif": ".gif",
    "text/plain": ".txt",
    "text/html": ".html",
    "text/calendar": ".ics",
    "text/rfc822-headers": ".txt",
    "message/rfc822": ".eml",
    "application/ms-tnef": ".dat",
    "application/vnd.ms-tnef": ".dat",
}


def content_type_of(part: Message) -> str:
    """``text/plain`` …, lower-case; application/octet-stream when it cannot be read."""
    try:
        return str(part.get_content_type()).lower()
    except Exception:
        return "application/octet-stream"


def disposition_of(part: Message) -> str | None:
    """``inline``, ``attachment`` or None."""
    try:
        value = part.get_content_disposition()
    except Exception:
        return None
    return str(value).lower() if value else None


def charset_of(part: Message) -> str | None:
    """The declared charset parameter as written, or None."""
    try:
        value = part.get_param("charset")
    except Exception:
        return None
    if isinstance(value, tuple):  # RFC 2231 form: (charset, language, value)
        value = value[2]
    return str(value) if value else None


def payload_of(part: Message) -> bytes:
    """The decoded content (base64/quoted-printable undone) as bytes; b"" at worst."""
    try:
        data = part.get_payload(decode=True)
    except Exception:
        data = None
    if isinstance(data, bytes):
        return data
    try:
        text = part.get_payload()
    except Exception:
        return b""
    return text.encode("utf-8", "surrogateescape") if isinstance(text, str) else b""


def raw_header_of(part: Message, name: str) -> str | None:
    """The first header of that name exactly as received (no parsing, cannot raise)."""
    for key, value in part.raw_items():
        if isinstance(key, str) and key.lower() == name.lower():
            return str(value)
    return None


def raw_param(part: Message, header: str, param: str) -> str | None:
    """A plain ``name="…"`` parameter exactly as written (8-bit bytes as surrogates)."""
    value = raw_header_of(part, header)
    if not value:
        return None
    found = re.search(rf'(?i)(?:^|;)\s*{param}\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^;"]+))', value)
    if not found:
        return None
    return (found.group(1) if found.group(1) is not None else found.group(2)).strip()


def message_bytes(message: Message, raw_or_linesep: bytes) -> bytes:
    """A parsed message as bytes again, from its headers and payloads as received.

    Not the stdlib generator: it re-encodes text parts, refolds headers and can raise
    (or change the message) on 8-bit content. This puts back what the parser kept, so the
    result differs from the source only where the parser normalised (boundary lines).
    """
    linesep = b"\r\n" if b"\r\n" in raw_or_linesep else b"\n"
    out: list[bytes] = []
    with contextlib.suppress(RecursionError, TypeError, ValueError):
        _serialise(message, out, linesep, 0)
    return b"".join(out)


def _serialise(part: Message, out: list[bytes], linesep: bytes, depth: int) -> None:
    for name, value in part.raw_items():
        out.append(_bytes(f"{name}: {value}") + linesep)
    out.append(linesep)
    # get_payload() decodes 8-bit text with the declared charset (U+FFFD where it does not
    # fit); the stored payload keeps the bytes as received, surrogate-escaped.
    payload = getattr(part, "_payload", None)
    if isinstance(payload, list):
        boundary = None
        if part.get_content_maintype() == "multipart":
            try:
                boundary = part.get_boundary()
            except Exception:
                boundary = None
        if boundary is None:  # message/rfc822, delivery-status blocks
            for child in payload:
                if isinstance(child, Message):
                    _serialise(child, out, linesep, depth + 1)
            return
        marker = b"--" + _bytes(boundary)
        if part.preamble:
            out.append(_bytes(part.preamble) + linesep)
        for child in payload:
            if isinstance(child, Message):
                out.append(marker + linesep)
                _serialise(child, out, linesep, depth + 1)
                out.append(linesep)
        out.append(marker + b"--" + linesep)
        if part.epilogue:
            out.append(_bytes(part.epilogue))
    elif isinstance(payload, str):
        out.append(_bytes(payload))
    elif isinstance(payload, bytes):
        out.append(payload)


def _bytes(text: str) -> bytes:
    # The parser keeps 8-bit bytes as surrogates: this gives them back unchanged.
    return text.encode("utf-8", "surrogateescape")


def message_ids_in_headers(data: bytes) -> list[str]:
    """The Message-ID lines in a block of returned headers (text/rfc822-headers)."""
    head = data.replace(b"\r\n", b"\n").split(b"\n\n", 1)[0]
    return [
        m.decode("ascii", "replace") for m in re.findall(rb"(?im)^message-id:\s*(<[^<>\s]+>)", head)
    ]


def extension_for(content_type: str) -> str:
    """``.pdf`` for application/pdf…: the same on every machine for the common types."""
    if content_type in _EXTENSIONS:
        return _EXTENSIONS[content_type]
    try:
        return mimetypes.guess_extension(content_type, strict=True) or ""
    except Exception:
        return ""


def content_type_for_name(name: str | None) -> str:
    """A type from the file extension (for files taken out of a winmail.dat)."""
    try:
        return mimetypes.guess_type(name or "", strict=True)[0] or "application/octet-stream"
    except Exception:
        return "application/octet-stream"


def undo_transfer_encoding(data: bytes, encoding: str) -> bytes | None:
    """Base64 / quoted-printable undone, for a message/rfc822 part sent encoded (which
    RFC 2046 forbids, and which the stdlib then parses as a message of encoded text)."""
    try:
        if encoding == "base64":
            return base64.b64decode(b"".join(data.split()) + b"==", validate=False)
        if encoding == "quoted-printable":
            return quopri.decodestring(data)
    except (binascii.Error, ValueError):
        return None
    return None
