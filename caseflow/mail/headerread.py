"""Reading the headers of one message, each on its own, so one broken header does not sink
the rest: RFC 2047 words, raw 8-bit bytes, address lists, Message-IDs, the date.

The stdlib parses a header anew on every access; ``READING_POLICY`` parses each distinct
value once (``parsed_header``), which is most of what made intake as fast as a bare parse.
"""

from __future__ import annotations

import functools
import re
from datetime import UTC, datetime
from email import policy
from email.message import Message
from email.policy import EmailPolicy, linesep_splitter
from email.utils import getaddresses, parsedate_to_datetime

from caseflow.mail.decoding import decode_8bit, decode_encoded_words, decode_text, storable

#: A Message-ID longer than this (the RFC 5322 line limit) is not used as one.
MAX_ID_LENGTH = 998
#: Longer headers skip the stdlib's structured parser: it needs seconds and hundreds of MB
#: for a 70 kB To: line. They are decoded by hand (RFC 2047 words, plain address lists).
MAX_STRUCTURED_HEADER = 16_000
#: Header values longer than this are parsed without the cache.
MAX_CACHED_HEADER = 2000


@functools.lru_cache(maxsize=512)
def parsed_header(name: str, value: str):
    """``policy.default``'s structured header, parsed once for each distinct value.

    The stdlib parses a header anew on every access, and reading a part asks for its
    Content-Type and Content-Disposition several times; most values repeat from part to
    part and mail to mail ("text/plain; charset=utf-8", "base64"). Header objects are
    immutable, so sharing them is safe.
    """
    return policy.default.header_factory(name, value)


def header_object(name: str, value: str):
    """A structured header; short values (nearly all) come from the cache."""
    if len(value) > MAX_CACHED_HEADER:  # a hostile mail must not fill the cache
        return policy.default.header_factory(name, value)
    return parsed_header(name, value)


class _ReadingPolicy(EmailPolicy):
    """policy.default, with each distinct header value parsed once (``parsed_header``)."""

    def header_fetch_parse(self, name, value):
        if hasattr(value, "name"):
            return value
        return header_object(name, "".join(linesep_splitter.split(value)))


READING_POLICY = _ReadingPolicy()


class HeaderReading:
    """The header half of a message reader; it needs ``msg``, ``flags`` and ``received_at``."""

    msg: Message
    flags: list[str]
    received_at: datetime

    def flag(self, name: str) -> None:
        if name not in self.flags:
            self.flags.append(name)

    def raw_header(self, name: str) -> str | None:
        for key, value in self.msg.raw_items():
            if isinstance(key, str) and key.lower() == name.lower():
                return value if isinstance(value, str) else str(value)
        return None

    def header_text(self, name: str) -> str | None:
        """A header decoded to text: RFC 2047 words, 8-bit bytes and all."""
        raw = self.raw_header(name)
        if raw is None:
            return None
        cleaned = self.unescape_8bit(re.sub(r"\r?\n|\r", "", raw))
        if len(cleaned) > MAX_STRUCTURED_HEADER:
            return self.decode_words(cleaned, name)
        try:
            value = str(header_object(name, cleaned))
        except Exception:
            value = "\ufffd"
        if "\ufffd" in value and "\ufffd" not in cleaned:
            value = self.decode_words(cleaned, name)
        return value

    def unescape_8bit(self, value: str) -> str:
        """Raw 8-bit header bytes arrive as surrogates: UTF-8 if they are, else guessed."""
        text, guessed = decode_8bit(value)
        if guessed:
            self.flag("charset_guessed")
        return text

    def decode_words(self, value: str, name: str) -> str:
        """RFC 2047 encoded words by hand, for when the stdlib could not read them."""
        text, guessed, unreadable = decode_encoded_words(value)
        if guessed:
            self.flag("charset_guessed")
        if unreadable:
            self.flag(f"header_unreadable:{name}")
        return text

    def addresses(self, name: str) -> list[tuple[str, str]]:
        """(display name, address) pairs of an address header; broken ones best effort."""
        raw = self.raw_header(name)
        if raw is None:
            return []
        cleaned = self.unescape_8bit(re.sub(r"\r?\n|\r", "", raw))
        pairs: list[tuple[str, str]] = []
        try:
            if len(cleaned) > MAX_STRUCTURED_HEADER:
                raise ValueError("too long for the structured parser")
            header = header_object(name, cleaned)
            for address in header.addresses:
                pairs.append((str(address.display_name or ""), str(address.addr_spec or "")))
            if any("\ufffd" in display for display, _ in pairs) and "\ufffd" not in cleaned:
                raise ValueError("undecodable display name")
        except Exception:
            text = self.decode_words(cleaned, name)
            pairs = [(display, address) for display, address in getaddresses([text])]
        result = []
        for display, address in pairs:
            address = address.strip().strip("<>").lower()
            if "@" in address and not any(ch.isspace() for ch in address):
                result.append((display.strip(), address))
        return result

    def message_id_header(self, name: str) -> list[str]:
        """The ``<…>`` identifiers of Message-ID / In-Reply-To / References.

        Folding whitespace inside the brackets is dropped; a bare Message-ID gets its
        brackets; identifiers longer than a header line may be (998) are left out.
        """
        value = self.raw_header(name)
        if value is None:
            return []
        value = self.unescape_8bit(value)
        items = re.findall(r"<([^<>]*)>", value)
        if not items and name.lower() == "message-id" and len(value.split()) == 1:
            items = [value.strip()]
        found = []
        for item in items:
            item = storable(re.sub(r"[\s\x00-\x1f\x7f<>]+", "", item))
            if 0 < len(item) <= MAX_ID_LENGTH - 2:
                found.append(f"<{item}>")
            elif item:
                self.flag(f"header_unreadable:{name}")
        return found

    def decode_bytes(self, data: bytes, declared: str | None) -> str:
        text, guessed = decode_text(data, declared)
        if guessed:
            self.flag("charset_guessed")
        return text

    def read_date(self) -> datetime:
        value = self.raw_header("Date")
        parsed = None
        if value is not None:
            try:
                parsed = parsedate_to_datetime(self.unescape_8bit(value).strip())
            except (TypeError, ValueError, IndexError, OverflowError):
                parsed = None
        if parsed is None:
            self.flag("date_fallback")
            return self.received_at
        return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
