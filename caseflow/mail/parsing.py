"""Reading one raw e-mail into plain data: ``parse_message(raw, received_at=…)``.

The intake pipeline stores the raw bytes first and calls this afterwards; nothing here
touches a database or Flask, and nothing here raises, whatever the bytes. What could not
be read is said in ``flags`` instead:

- ``charset_guessed``: a body or header was not in its declared charset (or had none);
- ``date_fallback``: no readable Date header, ``date`` is the time of receipt;
- ``message_id_derived``: no Message-ID, one was derived from the bytes' sha256;
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
HTML kept as received and sanitised separately with nh3, every part kept.
"""

from __future__ import annotations

import functools
import hashlib
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email import policy
from email.message import Message
from email.parser import BytesParser
from email.policy import EmailPolicy, linesep_splitter
from email.utils import getaddresses, parsedate_to_datetime
from html import escape

from caseflow.documents.filenames import distinct_filename, safe_filename
from caseflow.mail.decoding import decode_8bit, decode_encoded_words, decode_text, storable
from caseflow.mail.forwards import Forward, has_forward_marker, innermost_forward
from caseflow.mail.htmlsafe import html_depth, html_to_text, sanitise_html
from caseflow.mail.numbers import (
    FORWARD_WORDS,
    REPLY_WORDS,
    find_case_numbers,
    strip_subject_prefixes,
    subject_prefixes,
)
from caseflow.mail.parts import (
    DAMAGE_DEFECTS,
    charset_of,
    content_type_for_name,
    content_type_of,
    disposition_of,
    extension_for,
    message_bytes,
    message_ids_in_headers,
    payload_of,
    raw_header_of,
    raw_param,
    undo_transfer_encoding,
)
from caseflow.mail.tnef import TnefUnreadable, read_winmail

__all__ = ["Attachment", "Forward", "ParsedMessage", "parse_message"]

#: Attached messages are read for their forward facts down to this depth.
MAX_ATTACHED_DEPTH = 3
#: MIME trees deeper than this are not walked further (their bytes stay in the raw mail).
MAX_MIME_DEPTH = 64
#: A Message-ID longer than this (the RFC 5322 line limit) is not used as one.
MAX_ID_LENGTH = 998
#: Longer headers skip the stdlib's structured parser: it needs seconds and hundreds of MB
#: for a 70 kB To: line. They are decoded by hand (RFC 2047 words, plain address lists).
MAX_STRUCTURED_HEADER = 16_000
#: Header values longer than this are parsed without the cache.
MAX_CACHED_HEADER = 2000
#: HTML nested deeper than this is not given to the sanitiser (its cost grows with depth²).
MAX_HTML_DEPTH = 4000


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


@dataclass
class Attachment:
    """One stored part of a message: a file, an inline image, an attached message…"""

    filename: str
    content_type: str
    content: bytes = field(repr=False)
    size: int
    sha256: str
    is_inline: bool = False
    #: The Content-ID without angle brackets, as ``cid:`` links in the HTML name it.
    content_id: str | None = None
    #: The filename of the container it was taken out of (``winmail.dat``), if any.
    extracted_from: str | None = None


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
    kind: str  # "normal" | "autoreply" | "bounce"
    bounce_of: str | None
    forward: Forward | None
    is_reply: bool
    case_numbers_in_subject: list[str]
    case_numbers_in_body: list[str]
    flags: list[str]
    raw_sha256: str


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


class _Reader:
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
        self.bounce_ids: list[str] = []
        self.returned_ids: list[str] = []
        self.tnef_bodies: list[str] = []
        self.damaged = False

    def flag(self, name: str) -> None:
        if name not in self.flags:
            self.flags.append(name)

    # -- headers --------------------------------------------------------------------------

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

    # -- bytes to text --------------------------------------------------------------------

    def decode_bytes(self, data: bytes, declared: str | None) -> str:
        text, guessed = decode_text(data, declared)
        if guessed:
            self.flag("charset_guessed")
        return text

    # -- the whole message ----------------------------------------------------------------

    def read(self, *, walk: bool = True) -> ParsedMessage:
        msg = self.msg
        raw_sha256 = hashlib.sha256(self.raw).hexdigest()

        ids = self.message_id_header("Message-ID")
        if ids:
            message_id, derived = ids[0], False
        else:
            message_id, derived = f"<{raw_sha256}@caseflow.invalid>", True
            self.flag("message_id_derived")

        subject = _collapse(self.header_text("Subject") or "")
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
            if kind == "bounce"
            else None,
            forward=forward,
            is_reply=is_reply,
            case_numbers_in_subject=find_case_numbers(strip_subject_prefixes(subject)),
            case_numbers_in_body=_unique(body_numbers),
            flags=self.flags,
            raw_sha256=raw_sha256,
        )

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

    # -- parts ----------------------------------------------------------------------------

    def walk(self, root: Message) -> None:
        """Every part, depth first in order; multipart/related and nested ones included."""
        stack: list[tuple[Message, int]] = [(root, 0)]
        seen: list[Message] = []
        while stack:
            part, depth = stack.pop()
            seen.append(part)
            content_type = content_type_of(part)
            if content_type in ("message/rfc822", "message/global"):
                self.add_attached_message(part)
            elif content_type in ("message/delivery-status", "message/global-delivery-status"):
                self.add_delivery_status(part)
            elif part.is_multipart():
                if depth >= MAX_MIME_DEPTH:
                    self.flag("mime_too_deep")
                    continue
                children = part.get_payload()
                if isinstance(children, list):
                    stack.extend((child, depth + 1) for child in reversed(children))
            else:
                self.add_leaf(part, content_type)
        for part in seen:  # after decoding: base64 defects are found while decoding
            self.note_defects(part)

    def note_defects(self, part: Message) -> None:
        """Cut-off boundaries and broken base64 are worth a flag; cosmetic defects are not."""
        names = {type(defect).__name__ for defect in getattr(part, "defects", ())}
        if names & DAMAGE_DEFECTS:
            self.damaged = True

    def add_leaf(self, part: Message, content_type: str) -> None:
        filename = self.filename_of(part)
        disposition = disposition_of(part)
        if (
            content_type in ("text/plain", "text/html")
            and not filename
            and disposition != "attachment"
        ):
            text = self.decode_bytes(payload_of(part), charset_of(part))
            (self.plain if content_type == "text/plain" else self.html).append(text)
            return
        content = payload_of(part)
        if content_type == "text/rfc822-headers":
            self.returned_ids += message_ids_in_headers(content)
        attachment = self.add_attachment(part, content_type, content, filename, disposition)
        if content_type in ("application/ms-tnef", "application/vnd.ms-tnef") or (
            attachment.filename.lower() == "winmail.dat"
        ):
            self.extract_tnef(attachment)

    def add_attachment(
        self,
        part: Message | None,
        content_type: str,
        content: bytes,
        filename: str | None,
        disposition: str | None,
        *,
        extracted_from: str | None = None,
    ) -> Attachment:
        name = safe_filename(filename, fallback="bilaga" + extension_for(content_type))
        self.name_counts[name] = count = self.name_counts.get(name, 0) + 1
        if count > 20:
            # distinct_filename counts up from (2) on every call: jump ahead for the
            # thousandth "bilaga.png" instead of trying all the numbers before it.
            stem, dot, ext = name.rpartition(".")
            name = f"{stem} ({count}).{ext}" if dot else f"{name} ({count})"
        name = distinct_filename(name, self.taken)
        self.taken.add(name)
        raw_cid = raw_header_of(part, "Content-ID") if part is not None else None
        content_id = raw_cid.strip().strip("<>").strip() or None if raw_cid else None
        attachment = Attachment(
            filename=name,
            content_type=content_type,
            content=content,
            size=len(content),
            sha256=hashlib.sha256(content).hexdigest(),
            is_inline=disposition == "inline" or (disposition is None and content_id is not None),
            content_id=content_id,
            extracted_from=extracted_from,
        )
        self.attachments.append(attachment)
        return attachment

    def filename_of(self, part: Message) -> str | None:
        try:
            name = part.get_filename()
        except Exception:
            name = None
            self.flag("header_unreadable:Content-Disposition")
        if name is None:
            return None
        name = str(name)
        if "\ufffd" in name:  # raw 8-bit bytes the stdlib could not decode: read them here
            name = (
                raw_param(part, "Content-Disposition", "filename")
                or raw_param(part, "Content-Type", "name")
                or name
            )
        name = self.unescape_8bit(name)
        if "=?" in name:
            name = self.decode_words(name, "Content-Disposition")
        return name.strip() or None

    def add_attached_message(self, part: Message) -> None:
        payload = part.get_payload()
        inner = payload[0] if isinstance(payload, list) and payload else None
        encoding = (raw_header_of(part, "Content-Transfer-Encoding") or "").strip().lower()
        if isinstance(inner, Message) and encoding in ("base64", "quoted-printable"):
            decoded = undo_transfer_encoding(message_bytes(inner, b"\n"), encoding)
            if decoded:
                inner = BytesParser(policy=READING_POLICY).parsebytes(decoded)
        if isinstance(inner, Message):
            content = message_bytes(inner, self.raw)
            self.attached_messages.append(inner)
            self.returned_ids += message_ids_in_headers(content.split(b"\n\n", 1)[0])
        else:
            content = payload_of(part)
        filename = self.filename_of(part)
        if not filename and isinstance(inner, Message):
            inner_subject = _Reader(b"", inner, self.received_at, flags=[]).header_text("Subject")
            # A subject is no path: "RS/88/2021" must not lose its beginning as a folder.
            filename = re.sub(r"[/\\]", "_", strip_subject_prefixes(_collapse(inner_subject or "")))
        filename = filename or "meddelande"
        if not filename.lower().endswith(".eml"):
            filename += ".eml"
        self.add_attachment(part, "message/rfc822", content, filename, disposition_of(part))

    def add_delivery_status(self, part: Message) -> None:
        self.has_delivery_status = True
        payload = part.get_payload()
        if isinstance(payload, list):
            linesep = b"\r\n" if b"\r\n" in self.raw else b"\n"
            content = linesep.join(message_bytes(block, linesep) for block in payload)
        else:
            content = payload_of(part)
        for value in re.findall(
            rb"(?im)^(?:x-)?original-message-id[ \t]*:[ \t]*(<[^<>\s]+>)", content
        ):
            self.bounce_ids.append(value.decode("ascii", "replace"))
        name = self.filename_of(part) or "leveransstatus.txt"
        self.add_attachment(part, "message/delivery-status", content, name, disposition_of(part))

    def extract_tnef(self, container: Attachment) -> None:
        try:
            content = read_winmail(container.content)
        except TnefUnreadable:
            self.flag("tnef_unreadable")
            return
        for name, data in content.files:
            self.add_attachment(
                None,
                content_type_for_name(name),
                data,
                name,
                "attachment",
                extracted_from=container.filename,
            )
        if content.body:
            body = html_to_text(content.body) if content.body_is_html else content.body
            self.tnef_bodies.append(body)

    # -- what kind of message -------------------------------------------------------------

    def classify(self, subject: str) -> str:
        report_type = None
        if content_type_of(self.msg) == "multipart/report":
            try:
                report_type = str(self.msg.get_param("report-type", "") or "").lower()
            except Exception:
                report_type = ""
        if report_type == "delivery-status" or self.has_delivery_status:
            return "bounce"
        if report_type == "disposition-notification":
            return "autoreply"  # a read receipt: keep, never act on it
        auto_submitted = (self.header_text("Auto-Submitted") or "").split(";")[0].strip().lower()
        precedence = (self.header_text("Precedence") or "").strip().lower()
        if (
            (auto_submitted and auto_submitted != "no")
            or precedence in ("bulk", "junk", "list", "auto_reply")
            or any(
                self.raw_header(name) is not None
                for name in ("X-Auto-Response-Suppress", "X-Autoreply", "X-Autorespond")
            )
            or _AUTOREPLY_SUBJECT.match(subject)
        ):
            return "autoreply"
        return "normal"

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

    # -- HTML -----------------------------------------------------------------------------

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


# -- helpers without state ---------------------------------------------------------------

_AUTOREPLY_SUBJECT = re.compile(
    r"^\s*(?:frånvaro|autosvar|automatiskt svar|out of (?:the )?office(?: autoreply)?"
    r"|abwesenheit(?:snotiz)?|automatische antwort|automatic reply|auto-?reply|auto reply)"
    r"\s*(?::|$)",
    re.IGNORECASE,
)


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


def _collapse(value: str) -> str:
    return re.sub(r"[ \t\r\n]+", " ", value).strip()


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
        message_id = f"<{digest}@caseflow.invalid>"
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
