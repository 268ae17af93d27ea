"""The canonical form of a message: what "the same message" is decided on.

The same mail reaches caseflow as a .eml file (CRLF line ends), from an mbox (LF, an
envelope ``From `` line, body lines beginning "From " quoted as ">From "), from a maildir
or over IMAP, and each relay and store on the way adds its own header lines. The bytes
are stored exactly as received; only the question "have we seen this message?" is asked
of the canonical form:

- line ends are LF (CRLF and lone CR alike), trailing spaces and tabs of every line and
  blank lines at the end are gone;
- a leading mbox envelope line (``From sender date``) is dropped, and ``>From `` quoting
  is undone (any number of ``>``: mboxo and mboxrd quote differently);
- header fields are unfolded, their names lower-cased, their values trimmed, and the
  fields in ``TRANSPORT_FIELDS`` (and with ``TRANSPORT_PREFIXES``) are left out.

What is left is what the sender wrote: From, To, Cc, Subject, Date, Message-ID, the
MIME structure, the body and every attachment, byte for byte apart from line ends and
trailing whitespace. A changed body or attachment therefore still gives another form.
"""

from __future__ import annotations

import hashlib
import re

#: Header fields the transport adds or rewrites on the way, never the sender: each relay
#: (Received, the ARC set, Authentication-Results), the delivering server (Return-Path,
#: Delivered-To, X-Original-To, Envelope-To), mbox writers and mail clients (Status,
#: X-Status, X-Keywords, X-UID, Content-Length, Lines, the Mozilla status fields, the
#: UW-IMAP folder stamps). DKIM-Signature too: a mailing list or a forwarding domain adds
#: its own, and a signature only vouches for fields that are kept here anyway.
TRANSPORT_FIELDS = frozenset(
    {
        "received", "return-path", "delivered-to", "x-original-to", "envelope-to",
        "x-envelope-from", "x-envelope-to", "x-delivered-to", "x-rcpt-to",
        "status", "x-status", "x-keywords", "x-uid", "content-length", "lines",
        "x-mozilla-status", "x-mozilla-status2", "x-mozilla-keys", "x-imap", "x-imapbase",
        "dkim-signature", "domainkey-signature", "authentication-results", "received-spf",
        "x-received", "x-google-smtp-source", "x-gm-message-state",
    }
)  # fmt: skip
#: Families of transport fields: the ARC set, spam and virus scanners' verdicts, and the
#: stamps Exchange adds at each hop inside an organisation.
TRANSPORT_PREFIXES = (
    "arc-",
    "x-spam-",
    "x-virus-",
    "x-ms-exchange-organization-",
    "x-ms-exchange-transport-",
)

# Written to scan fast: intake hashes every message, and a scanned document is megabytes of
# base64 in which none of these occurs (bytes.find and a regex with a literal prefix skip
# ahead at C speed; a regex starting with a character class looks at every byte).
_ENVELOPE = re.compile(rb"^From [^\n]*\n")
_FROM_QUOTED = re.compile(rb"\n>+(?=From )")
_FIELD = re.compile(rb"^([^:\s]+)[ \t]*:(.*)$", re.DOTALL)
_FOLD = re.compile(rb"\n[ \t]+")


def _is_transport(name: bytes) -> bool:
    lowered = name.decode("ascii", "replace").lower()
    return lowered in TRANSPORT_FIELDS or lowered.startswith(TRANSPORT_PREFIXES)


def _canonical_head(head: bytes) -> bytes:
    fields = []
    for field in re.split(rb"\n(?![ \t])", _FOLD.sub(b"\n ", head)):
        match = _FIELD.match(field)
        if match is None:  # not a field (a stray line): kept as it is
            fields.append(field)
            continue
        name, value = match[1], match[2]
        if _is_transport(name):
            continue
        value = re.sub(rb"\s+", b" ", value.replace(b"\n", b" ")).strip()
        fields.append(name.lower() + b": " + value)
    return b"\n".join(fields)


def _strip_trailing_whitespace(text: bytes) -> bytes:
    """Every line but the last without its trailing spaces and tabs."""
    space, tab = text.find(b" \n"), text.find(b"\t\n")
    if space < 0 and tab < 0:
        return text
    pieces, pos = [], 0
    while space >= 0 or tab >= 0:
        at = tab if space < 0 or 0 <= tab < space else space
        start = at
        while start > pos and text[start - 1] in b" \t":
            start -= 1
        pieces.append(text[pos:start])
        pos = at + 1
        if at == space:
            space = text.find(b" \n", pos)
        else:
            tab = text.find(b"\t\n", pos)
    pieces.append(text[pos:])
    return b"".join(pieces)


def canonical_form(raw: bytes) -> bytes:
    """The form of an RFC 5322 message that "the same message" is decided on."""
    return b"".join(_canonical_parts(raw))


def _canonical_parts(raw: bytes) -> tuple[bytes, bytes, bytes]:
    text = raw if isinstance(raw, bytes) else bytes(raw)
    if b"\r" in text:
        text = text.replace(b"\r\n", b"\n").replace(b"\r", b"\n")
    text = _strip_trailing_whitespace(text).rstrip(b" \t\n")
    if text.startswith(b"From ") and not text.startswith(b"From :"):
        text = _ENVELOPE.sub(b"", text, count=1)
    head, blank, body = text.partition(b"\n\n")
    if body.startswith(b">") or b"\n>" in body:
        body = _FROM_QUOTED.sub(b"\n", b"\n" + body)[1:]
    return _canonical_head(head), blank, body


def canonical_sha256(raw: bytes, *, is_rfc822: bool = True) -> str:
    """The sha256 of the canonical form (of the bytes themselves for other formats)."""
    if not is_rfc822:
        return hashlib.sha256(bytes(raw)).hexdigest()
    digest = hashlib.sha256()
    for part in _canonical_parts(raw):  # no copy of a large body just to hash it
        digest.update(part)
    return digest.hexdigest()


def derived_message_id(canonical: str) -> str:
    """The Message-ID given to a message without one: from its canonical hash, so that the
    same message reaching us another way gets the same id."""
    return f"<{canonical}@caseflow.invalid>"
