"""Step 1 of mail intake, and reading stored mail back.

``store_raw`` commits nothing itself: it stores the raw bytes (content-addressed) and a row
with their sha256, the sha256 of their canonical form (``caseflow.mail.canonical``), the
source and the Message-ID read from the header block, without parsing anything. Duplicates
(the same message, whatever way it came: the same canonical form) and collisions (the same
Message-ID with another canonical form: a changed body or attachment) are told here, from
what was stored, never from what a parser made of it.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.utils import parsedate_to_datetime

import sqlalchemy as sa
from flask import current_app
from sqlmodel import Session

from caseflow.common.timeutil import now
from caseflow.documents.services import store_blob
from caseflow.documents.storage import FileStore
from caseflow.mail.canonical import canonical_sha256, derived_message_id
from caseflow.mail.models import MailMessage, MailStatus
from caseflow.mail.parsing import ParsedMessage, parse_message
from caseflow.mail.reasons import Reason

_MESSAGE_ID = re.compile(rb"^message-id:[ \t]*(<[^>\r\n]+>)", re.IGNORECASE | re.MULTILINE)
_RECEIVED = re.compile(rb"^received:(.*)$", re.IGNORECASE | re.MULTILINE)

#: Formats of raw mail intake can store.
RFC822, OUTLOOK_MSG = "rfc822", "outlook-msg"


@dataclass
class RawMail:
    """One message as a source delivered it, and where exactly it came from."""

    raw: bytes
    source: str
    #: Unique per source position *and content* (a reused name, a compacted mbox or a
    #: reused IMAP UID never makes new mail look taken).
    source_key: str
    raw_format: str = RFC822
    mailbox_id: int | None = None
    imap_folder: str | None = None
    imap_uidvalidity: int | None = None
    imap_uid: int | None = None
    #: When the mail system got it, if the source says (IMAP INTERNALDATE).
    delivered_at: datetime | None = None

    def __post_init__(self):
        if len(self.source_key) > 1000:  # a deep path: keep it unique within the column
            digest = hashlib.sha256(self.source_key.encode("utf-8", "surrogateescape"))
            self.source_key = f"{self.source_key[:900]}#{digest.hexdigest()}"


def _head(raw: bytes) -> bytes:
    """The raw header block, up to the first blank line; at most the first MB is looked at."""
    return re.split(rb"\r?\n\r?\n", raw[: 1 << 20], maxsplit=1)[0]


def header_block(raw: bytes) -> bytes:
    """The raw header block, unfolded, without parsing."""
    return re.sub(rb"\r?\n[ \t]+", b" ", _head(raw))


def quick_message_id(
    raw: bytes,
    raw_format: str = RFC822,
    *,
    head: bytes | None = None,
    canonical: str | None = None,
) -> str:
    """The Message-ID from the header block, without parsing; derived from the canonical
    hash if none (``canonical``, when the caller has it already)."""
    if raw_format == RFC822:
        match = _MESSAGE_ID.search(header_block(raw) if head is None else head)
        if match and len(match[1]) <= 998:
            return match[1].decode("ascii", "replace").strip()
    if canonical is None:
        canonical = canonical_sha256(raw, is_rfc822=raw_format == RFC822)
    return derived_message_id(canonical)


def delivery_time(raw: bytes, *, head: bytes | None = None) -> datetime | None:
    """When the receiving mail system took the message: the date of the newest Received:."""
    match = _RECEIVED.search(header_block(raw) if head is None else head)
    if match is None or b";" not in match[1]:
        return None
    try:
        when = parsedate_to_datetime(match[1].rsplit(b";", 1)[1].decode("ascii").strip())
    except (TypeError, ValueError, IndexError, OverflowError, UnicodeDecodeError):
        return None
    if when is None or when.tzinfo is None:
        return None
    return when if when <= now() + timedelta(days=1) else None


@dataclass
class Stored:
    """What step 1 did with a message."""

    id: int
    status: str
    #: False when this source position (with this content) was taken before.
    is_new: bool


# Built once: intake runs these for every message, and building them costs more than
# running them on SQLite.
_TABLE = MailMessage.__table__
_TAKEN = sa.select(_TABLE.c.id, _TABLE.c.status).where(_TABLE.c.source_key == sa.bindparam("key"))
_SAME = (
    sa.select(_TABLE.c.id, _TABLE.c.sha256, _TABLE.c.canonical_sha256)
    .where(
        sa.or_(
            _TABLE.c.canonical_sha256 == sa.bindparam("canonical"),
            _TABLE.c.sha256 == sa.bindparam("sha"),
            _TABLE.c.header_message_id == sa.bindparam("mid"),
        )
    )
    .limit(20)
)
_INSERT = sa.insert(_TABLE).returning(_TABLE.c.id)


def store_raw(session: Session, store: FileStore, mail: RawMail) -> Stored:
    """Step 1: the raw bytes and what identifies them, nothing parsed."""
    taken = session.execute(_TAKEN, {"key": mail.source_key}).first()
    if taken is not None:
        return Stored(taken.id, taken.status, is_new=False)
    sha, size = store_blob(session, store, mail.raw)
    is_rfc822 = mail.raw_format == RFC822
    head = header_block(mail.raw) if is_rfc822 else b""
    canonical = canonical_sha256(mail.raw, is_rfc822=is_rfc822)
    # A derived id contains the canonical hash: it matches exactly when the message does.
    header_id = quick_message_id(mail.raw, mail.raw_format, head=head, canonical=canonical)
    others = session.execute(_SAME, {"canonical": canonical, "sha": sha, "mid": header_id}).all()
    same = [o for o in others if o.canonical_sha256 == canonical or o.sha256 == sha]
    status, flags, reason = MailStatus.RECEIVED, None, None
    if same:
        status = MailStatus.DUPLICATE
        first = min(other.id for other in same)
        # The very bytes again, or the same message as another source wrote it down.
        same_bytes = any(other.sha256 == sha for other in same)
        reason = Reason("same_bytes" if same_bytes else "same_message", first=first)
    elif others:
        flags = json.dumps(["message_id_collision"])
    delivered = mail.delivered_at
    if delivered is None and mail.raw_format == RFC822:
        delivered = delivery_time(mail.raw, head=head)
    mail_id = session.execute(
        _INSERT,
        {
            "sha256": sha,
            "canonical_sha256": canonical,
            "size": size,
            "message_id": header_id,
            "header_message_id": header_id,
            "source": mail.source[:1000],
            "source_key": mail.source_key,
            "raw_format": mail.raw_format,
            "mailbox_id": mail.mailbox_id,
            "imap_folder": mail.imap_folder,
            "imap_uidvalidity": mail.imap_uidvalidity,
            "imap_uid": mail.imap_uid,
            "delivered_at": delivered,
            "status": status,
            "attempts": 0 if same else 1,  # this run is about to process it
            "flags": flags,
            "reason_code": reason.code if reason else None,
            "reason_params": json.dumps(reason.params, ensure_ascii=False) if reason else None,
            "attachment_count": 0,
            "received_at": now(),
        },
    ).scalar_one()
    return Stored(mail_id, status, is_new=True)


def read_raw(store: FileStore, mail: MailMessage) -> bytes:
    with store.open(mail.sha256) as handle:
        return handle.read()


def as_rfc822(mail: MailMessage, raw: bytes) -> bytes:
    """The message as RFC 5322 bytes: Outlook .msg files are converted first."""
    if mail.raw_format == OUTLOOK_MSG:
        from caseflow.mail.outlook import msg_to_rfc822

        return msg_to_rfc822(raw)
    return raw


def read_parsed(store: FileStore, mail: MailMessage) -> tuple[bytes, ParsedMessage]:
    """The stored raw bytes and what they say (the queue shows and files from this)."""
    raw = read_raw(store, mail)
    return raw, parse_message(as_rfc822(mail, raw), received_at=mail.received_at)


def is_oversized(mail: MailMessage) -> bool:
    return mail.size > current_app.config["MAIL_MAX_MESSAGE_BYTES"]


def read_headers(store: FileStore, mail: MailMessage) -> ParsedMessage:
    """Only the header block, for mail too large to be parsed whole without a reason."""
    with store.open(mail.sha256) as handle:
        head = handle.read(1 << 20)
    block = _head(head) if mail.raw_format == RFC822 else b""
    return parse_message(block + b"\n\n", received_at=mail.received_at)


def read_mail(store: FileStore, mail: MailMessage) -> tuple[bytes | None, ParsedMessage]:
    """What intake and the queue read of a stored mail: all of it, or for a mail over the
    size limit only its headers (raw is then None)."""
    if is_oversized(mail):
        return None, read_headers(store, mail)
    return read_parsed(store, mail)
