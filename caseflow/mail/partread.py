"""Walking the parts of one message and keeping every one: text and HTML bodies,
attachments, inline images, attached messages, delivery reports, winmail.dat contents.

Filenames are decoded (RFC 2231/2047, raw 8-bit) and made safe and distinct.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from email.message import Message
from email.parser import BytesParser

from caseflow.documents.filenames import distinct_filename, safe_filename, without_folders
from caseflow.mail.headerread import READING_POLICY
from caseflow.mail.htmlsafe import html_to_text
from caseflow.mail.numbers import strip_subject_prefixes
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

#: MIME trees deeper than this are not walked further (their bytes stay in the raw mail).
MAX_MIME_DEPTH = 64


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


def collapse(value: str) -> str:
    """Runs of whitespace as one space."""
    return re.sub(r"[ \t\r\n]+", " ", value).strip()


class PartReading:
    """The part half of a message reader; it keeps what it finds on the reader's lists."""

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
            reader = type(self)(b"", inner, self.received_at, flags=[])
            inner_subject = reader.header_text("Subject")
            filename = without_folders(strip_subject_prefixes(collapse(inner_subject or "")))
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
        # RFC 3464: each recipient's Action (failed, delayed, delivered, relayed, expanded).
        self.dsn_actions += [
            value.decode("ascii", "replace").lower()
            for value in re.findall(rb"(?im)^action[ \t]*:[ \t]*([a-z]+)", content)
        ]
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
