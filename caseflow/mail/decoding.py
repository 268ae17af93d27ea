"""Bytes and header words to text, best effort: declared charset, UTF-8, then a guess.

The guess uses charset-normalizer, first among the charsets Swedish mail really comes in
(windows-1252, ISO-8859-15): unrestricted, it reads short Swedish Latin-1 text as
cp1250 ("frĺn") or cp1006. Every function says whether it had to guess, never raises.
"""

from __future__ import annotations

import binascii
import codecs
import re

import charset_normalizer

_ENCODED_WORD = re.compile(r"=\?([^?\s]+)\?([bBqQ])\?([^?\s]*)\?=")
_LIKELY_CHARSETS = ["cp1252", "iso8859_15"]
#: Python codecs that no mail is written in; punycode also takes quadratic time.
_NOT_MAIL_CHARSETS = {"punycode", "idna", "unicode-escape", "raw-unicode-escape", "undefined"}


_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


def storable(value: str) -> str:
    """Text a database can hold: NUL removed, lone surrogates (from exotic codecs such as
    utf-7 or unicode_escape) replaced. PostgreSQL refuses both in text columns."""
    if not _UNSTORABLE.search(value):
        return value
    return _UNSTORABLE.sub(lambda match: "" if match.group() == "\x00" else "\ufffd", value)


def decode_text(data: bytes, declared: str | None) -> tuple[str, bool]:
    """Bytes to text: the declared charset, else UTF-8, else a guess. (text, guessed)."""
    text, guessed = _decode_text(data, declared)
    return storable(text), guessed


def _decode_text(data: bytes, declared: str | None) -> tuple[str, bool]:
    if declared:
        try:
            codec = codecs.lookup(declared.strip().strip("\"'"))
            if codec.name not in _NOT_MAIL_CHARSETS:
                return data.decode(codec.name), False
        except (LookupError, UnicodeError, ValueError, TypeError):
            pass
    elif data.isascii():
        return data.decode("ascii"), False
    try:
        return data.decode("utf-8"), True
    except UnicodeDecodeError:
        pass
    sample = data[: 1 << 20]
    for candidates in (_LIKELY_CHARSETS, None):
        try:
            best = charset_normalizer.from_bytes(sample, cp_isolation=candidates).best()
        except Exception:
            best = None
        if best is not None:
            try:
                return data.decode(best.encoding, "replace"), True
            except (LookupError, UnicodeError):
                continue
    return data.decode("cp1252", "replace"), True


def decode_8bit(value: str) -> tuple[str, bool]:
    """A header with raw 8-bit bytes (surrogate-escaped by the parser) as text: (text, guessed).

    UTF-8 is RFC 6532 and needs no guess; anything else is guessed.
    """
    if not any("\udc80" <= ch <= "\udcff" for ch in value):
        return value, False
    data = value.encode("utf-8", "surrogateescape")
    try:
        return data.decode("utf-8"), False
    except UnicodeDecodeError:
        return decode_text(data, None)


def decode_encoded_words(value: str) -> tuple[str, bool, bool]:
    """RFC 2047 ``=?charset?B|Q?…?=`` words decoded by hand: (text, guessed, unreadable).

    Adjacent words are joined before decoding (a character may be split between them);
    a word that cannot be decoded stays as written and makes ``unreadable`` true.
    """
    out: list[str] = []
    pending: list[tuple[bytes, str]] = []
    guessed = unreadable = False
    pos = 0

    def flush() -> None:
        nonlocal guessed
        if pending:
            text, was_guessed = decode_text(b"".join(part for part, _ in pending), pending[0][1])
            out.append(text)
            guessed = guessed or was_guessed
            pending.clear()

    for match in _ENCODED_WORD.finditer(value):
        between = value[pos : match.start()]
        if not (pending and between.strip() == ""):
            flush()
            out.append(between)
        charset = match[1].split("*")[0]  # RFC 2231 language suffix: utf-8*sv
        encoding, data = match[2].lower(), match[3]
        try:
            if encoding == "q":
                decoded = binascii.a2b_qp(data.encode("ascii", "replace"), header=True)
            else:
                decoded = binascii.a2b_base64(_pad_base64(data), strict_mode=True)
        except (binascii.Error, ValueError):
            flush()
            unreadable = True
            out.append(match.group(0))
        else:
            if pending and pending[0][1] != charset:
                flush()
            pending.append((decoded, charset))
        pos = match.end()
    flush()
    out.append(value[pos:])
    return "".join(out), guessed, unreadable


def _pad_base64(data: str) -> bytes:
    data = data.strip()
    return (data + "=" * (-len(data) % 4)).encode("ascii", "replace")
