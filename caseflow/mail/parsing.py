"""Reading one raw e-mail into plain data: ``parse_message(raw, received_at=…)``.

The intake pipeline stores the raw bytes first and calls this afterwards; nothing here
touches a database or Flask, and nothing here raises, whatever the bytes. What could not
be read is said in ``flags`` instead:

- ``charset_guessed``: a body or header was not in its declared charset (or had none);
- ``date_fallback``: no readable Date header, ``date`` is the time of receipt;
- ``message_id_derived``: no Message-ID, one was derived from the canonical form's sha256
  (``caseflow.mail.canonical``);
- ``header_unreadable:<Name>``: that header could not be decoded as written;
- ``tnef_unreadable``: a winmail.dat that could not be opened (it is kept as it is);
- ``html_only``: no text/plain part, ``text`` was made from the HTML;
- ``html_too_deep``: HTML nested too deep to sanitise; ``html_safe`` shows the text;
- ``html_unsanitisable``: the sanitiser failed; ``html_safe`` shows the text;
- ``mime_fallback``: the message was read with the lenient legacy parser;
- ``mime_unreadable``: only the headers could be read; ``text`` is the whole body as text;
- ``mime_defects``: cut-off boundaries or broken base64 (a truncated message, say);
- ``mime_too_deep``: parts nested deeper than ``MAX_MIME_DEPTH`` were not walked;
- ``unparseable``: not even that worked; only the Message-ID and the bytes as text.

Every text field is storable: no NUL, no lone surrogate (the raw bytes keep them).

Decoding follows DESIGN.md "Mail intake": stdlib ``email`` with ``policy.default``, every
header read on its own and guarded, unknown charsets guessed with charset-normalizer,
HTML kept as received and sanitised separately with nh3, every part kept. The reader is
in three parts: ``headerread`` (each header on its own), ``partread`` (every part) and this
module (the whole message: forwards, case numbers, the fallbacks); ``classify`` tells
its kind by the standards.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email import policy
from email.message import Message
from email.parser import BytesParser
from html import escape

from caseflow.mail.canonical import canonical_sha256, derived_message_id
from caseflow.mail.classify import Classifying, original_ids
from caseflow.mail.decoding import decode_text, storable
from caseflow.mail.forwards import Forward, has_forward_marker, innermost_forward
from caseflow.mail.headerread import READING_POLICY, HeaderReading
from caseflow.mail.htmlsafe import html_depth, html_to_text, sanitise_html
from caseflow.mail.numbers import (
    FORWARD_WORDS,
    REPLY_WORDS,
    find_case_numbers,
    find_other_spellings,
    strip_subject_prefixes,
    subject_prefixes,
)
from caseflow.mail.partread import Attachment, PartReading, collapse
from caseflow.mail.parts import payload_of

__all__ = ["Attachment", "Forward", "ParsedMessage", "parse_message"]

#: Attached messages are read for their forward facts down to this depth.
MAX_ATTACHED_DEPTH = 3
#: HTML nested deeper than this is not given to the sanitiser (its cost grows with depth²).
MAX_HTML_DEPTH = 4000


@dataclass
class ParsedMessage:
    """Everything the intake needs from one message; see the module docstring for flags."""

    message_id: str
    message_id_derived: bool
    subject: str
    from_address: str | None
    from_name: str | None
    to: list[str]
    cc: list[str]
    date: datetime
    in_reply_to: str | None
    references: list[str]
    text: str
    html: str | None
    html_safe: str | None
    attachments: list[Attachment]
    #: "normal", "autoreply" (RFC 3834), "bounce" (a DSN: failed), "delay" (a DSN: delayed,
    #: still being retried), "receipt" (a read receipt, or a DSN: delivered)
    kind: str
    bounce_of: str | None
    forward: Forward | None
    is_reply: bool
    case_numbers_in_subject: list[str]
    case_numbers_in_body: list[str]
    flags: list[str]
    raw_sha256: str
    #: Numbers written another way (``RS-720-2021``, ``2021/720``) in the subject or the
    #: body: suggestions for the registrar, never a reason to file.
    other_numbers: list = field(default_factory=list)


def parse_message(raw: bytes, *, received_at: datetime) -> ParsedMessage:
    """Read ``raw`` (one RFC 5322 message) into a ``ParsedMessage``. Never raises."""
    raw = bytes(raw)
    if received_at.tzinfo is None:
        received_at = received_at.replace(tzinfo=UTC)
    # Ever more lenient: the modern parser, the legacy one, the headers alone (a MIME tree
    # nested thousands deep exhausts the stdlib's recursion), and at last the bytes as text.
    attempts = (
        (BytesParser(policy=READING_POLICY), False, []),
        (BytesParser(policy=policy.compat32), False, ["mime_fallback"]),
        (BytesParser(policy=READING_POLICY), True, ["mime_unreadable"]),
    )
    for parser, headers_only, flags in attempts:
        try:
            message = parser.parsebytes(raw, headersonly=headers_only)
            reader = _Reader(raw, message, received_at, flags=list(flags))
            return _make_storable(reader.read(walk=not headers_only))
        except Exception:  # noqa: S112 - any failure: try the next, more lenient way
            continue
    return _make_storable(_unparseable(raw, received_at))


# -- the reader ----------------------------------------------------------------------------


class _Reader(HeaderReading, PartReading, Classifying):
    def __init__(
        self,
        raw: bytes,
        message: Message,
        received_at: datetime,
        *,
        flags: list[str] | None = None,
        depth: int = 0,
    ):
        self.raw = raw
        self.msg = message
        self.received_at = received_at
        self.flags: list[str] = flags if flags is not None else []
        self.depth = depth
        self.plain: list[str] = []
        self.html: list[str] = []
        self.attachments: list[Attachment] = []
        self.taken: set[str] = set()
        self.name_counts: dict[str, int] = {}
        self.attached_messages: list[Message] = []
        self.attached_read: dict[int, ParsedMessage | None] = {}
        self.has_delivery_status = False
        self.dsn_actions: list[str] = []
        self.bounce_ids: list[str] = []
        self.returned_ids: list[str] = []
        self.tnef_bodies: list[str] = []
        self.damaged = False

    def read(self, *, walk: bool = True) -> ParsedMessage:
        msg = self.msg
        raw_sha256 = hashlib.sha256(self.raw).hexdigest()

        ids = self.message_id_header("Message-ID")
        if ids:
            message_id, derived = ids[0], False
        else:
            # From the canonical form: the same mail read from an mbox or a file gets one id.
            message_id, derived = derived_message_id(canonical_sha256(self.raw)), True
            self.flag("message_id_derived")

        subject = collapse(self.header_text("Subject") or "")
        senders = self.addresses("From") or self.addresses("Sender")
        if not senders and (self.raw_header("From") or "").strip():
            self.flag("header_unreadable:From")
        from_name, from_address = (
            (senders[0][0] or None, senders[0][1]) if senders else (None, None)
        )
        to = _unique(address for _, address in self.addresses("To"))
        cc = _unique(address for _, address in self.addresses("Cc"))
        date = self.read_date()
        in_reply_to_ids = self.message_id_header("In-Reply-To")
        in_reply_to = in_reply_to_ids[0] if in_reply_to_ids else None
        references = _unique(self.message_id_header("References"))

        if walk:
            self.walk(msg)
        else:
            self.plain.append(self.decode_bytes(payload_of(msg), None))
        if self.damaged:
            self.flag("mime_defects")

        html = "\n".join(self.html) if self.html else None
        text = "\n".join(self.plain).replace("\r\n", "\n").replace("\r", "\n")
        html_text = html_to_text(html) if html else ""
        if not self.plain and html:
            text = html_text
            self.flag("html_only")
        if not text.strip() and self.tnef_bodies:
            text = "\n".join(self.tnef_bodies)
        html_safe = self.sanitise(html) if html else None

        kind = self.classify(subject)
        forward = (
            self.find_forward(subject, text, html_text, in_reply_to) if kind == "normal" else None
        )
        prefixes = subject_prefixes(subject)
        is_reply = forward is None and (
            bool(prefixes and prefixes[0] in REPLY_WORDS) or in_reply_to is not None
        )

        stripped = strip_subject_prefixes(subject)
        other_numbers = _unique(
            find_other_spellings(stripped)
            + find_other_spellings(text)
            + find_other_spellings(html_text)
        )
        if kind == "receipt" and not self.bounce_ids:
            self.bounce_ids = original_ids(self.raw)
        body_numbers = find_case_numbers(text) + find_case_numbers(html_text)
        for inner in self.attached_messages:
            body_numbers += self.numbers_of_attached(inner)

        return ParsedMessage(
            message_id=message_id,
            message_id_derived=derived,
            subject=subject,
            from_address=from_address,
            from_name=from_name,
            to=to,
            cc=cc,
            date=date,
            in_reply_to=in_reply_to,
            references=references,
            text=text,
            html=html,
            html_safe=html_safe,
            attachments=self.attachments,
            kind=kind,
            bounce_of=(self.bounce_ids + self.returned_ids + [None])[0]
            if kind in ("bounce", "delay", "receipt")
            else None,
            forward=forward,
            is_reply=is_reply,
            case_numbers_in_subject=find_case_numbers(stripped),
            case_numbers_in_body=_unique(body_numbers),
            flags=self.flags,
            raw_sha256=raw_sha256,
            other_numbers=other_numbers,
        )

    def find_forward(
        self, subject: str, text: str, html_text: str, in_reply_to: str | None
    ) -> Forward | None:
        prefixes = subject_prefixes(subject)
        outer = prefixes[0] if prefixes else None
        if outer in REPLY_WORDS:
            return None
        by_subject = outer in FORWARD_WORDS
        marked = has_forward_marker(text) or has_forward_marker(html_text)
        block = innermost_forward(text) or innermost_forward(html_text)
        attached = self.forward_from_attached()
        if not (by_subject or marked or attached or (block and in_reply_to is None)):
            return None
        if block:
            return block
        if attached:
            return attached
        return Forward(original_subject=strip_subject_prefixes(subject) or None, source="subject")

    def forward_from_attached(self) -> Forward | None:
        if not self.attached_messages or self.depth >= MAX_ATTACHED_DEPTH:
            return None
        inner = self.read_attached(self.attached_messages[0])
        if inner is None:
            return None
        if inner.forward is not None and inner.forward.source != "subject":
            return inner.forward
        return Forward(
            original_from_name=inner.from_name,
            original_from_address=inner.from_address,
            original_date=None if "date_fallback" in inner.flags else inner.date,
            original_subject=inner.subject or None,
            original_to=inner.to,
            source="attachment",
        )

    def read_attached(self, inner: Message) -> ParsedMessage | None:
        """An attached message read like any other (once), for its forward facts and numbers."""
        if self.depth >= MAX_ATTACHED_DEPTH:
            return None
        if id(inner) not in self.attached_read:
            try:
                reader = _Reader(b"", inner, self.received_at, flags=[], depth=self.depth + 1)
                self.attached_read[id(inner)] = reader.read()
            except Exception:
                self.attached_read[id(inner)] = None
        return self.attached_read[id(inner)]

    def numbers_of_attached(self, inner: Message) -> list[str]:
        parsed = self.read_attached(inner)
        if parsed is None:
            return []
        return parsed.case_numbers_in_subject + parsed.case_numbers_in_body

    def sanitise(self, html: str) -> str:
        # nh3's cost grows with the square of the nesting depth: 40,000 <div>s take seconds.
        if html_depth(html) > MAX_HTML_DEPTH:
            self.flag("html_too_deep")
            return "<pre>" + escape(html_to_text(html)) + "</pre>"
        try:
            return sanitise_html(html)
        except Exception:
            self.flag("html_unsanitisable")
            return "<pre>" + escape(html_to_text(html)) + "</pre>"


def _make_storable(parsed: ParsedMessage) -> ParsedMessage:
    """No NUL and no lone surrogate in any text field (bodies are cleaned when decoded)."""
    for name in ("message_id", "subject", "from_address", "from_name", "in_reply_to"):
        value = getattr(parsed, name)
        if value is not None:
            setattr(parsed, name, storable(value))
    parsed.to = [storable(value) for value in parsed.to]
    parsed.cc = [storable(value) for value in parsed.cc]
    parsed.references = [storable(value) for value in parsed.references]
    if parsed.bounce_of is not None:
        parsed.bounce_of = storable(parsed.bounce_of)
    for attachment in parsed.attachments:
        if attachment.content_id is not None:
            attachment.content_id = storable(attachment.content_id)
    forward = parsed.forward
    if forward is not None:
        for name in ("original_from_name", "original_from_address", "original_date_text"):
            value = getattr(forward, name)
            if value is not None:
                setattr(forward, name, storable(value))
        if forward.original_subject is not None:
            forward.original_subject = storable(forward.original_subject)
        forward.original_to = [storable(value) for value in forward.original_to]
    return parsed


def _unique(items) -> list:
    return list(dict.fromkeys(items))


def _unparseable(raw: bytes, received_at: datetime) -> ParsedMessage:
    """The last resort: the bytes as text, the Message-ID if a line names one."""
    digest = hashlib.sha256(raw).hexdigest()
    found = re.search(rb"(?im)^message-id:[ \t]*(<[^<>\s]+>)", raw[: 1 << 16])
    flags = ["unparseable", "date_fallback"]
    if found:
        message_id = found.group(1).decode("ascii", "replace")
    else:
        message_id = derived_message_id(canonical_sha256(raw))
        flags.append("message_id_derived")
    text, guessed = decode_text(raw, None)
    if guessed:
        flags.append("charset_guessed")
    return ParsedMessage(
        message_id=message_id,
        message_id_derived=not found,
        subject="",
        from_address=None,
        from_name=None,
        to=[],
        cc=[],
        date=received_at,
        in_reply_to=None,
        references=[],
        text=text,
        html=None,
        html_safe=None,
        attachments=[],
        kind="normal",
        bounce_of=None,
        forward=None,
        is_reply=False,
        case_numbers_in_subject=[],
        case_numbers_in_body=[],
        flags=flags,
        raw_sha256=digest,
    )
