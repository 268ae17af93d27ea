"""Received mail: the raw bytes first, what intake made of them second."""

import json
from datetime import datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from caseflow.common.timeutil import now
from caseflow.db import UTCDateTime
from caseflow.mail.reasons import DEFAULT_FAILURE, TEXT, Reason, describe, describe_failure


class MailStatus(StrEnum):
    RECEIVED = "received"  #: stored, not yet processed (a crash leaves it here)
    FILED = "filed"
    QUEUED = "queued"
    DUPLICATE = "duplicate"
    AUTOREPLY = "autoreply"
    BOUNCE = "bounce"
    DELAYED = "delayed"  #: a delivery-status notice: our mail is delayed, still retried
    RECEIPT = "receipt"  #: a read receipt or a delivery receipt
    REJECTED = "rejected"  #: marked by the registrar as not to be registered
    FAILED = "failed"


#: Statuses that wait for the registrar.
WAITING = (MailStatus.QUEUED, MailStatus.FAILED)
#: What intake keeps but sets aside; the registrar may still put it in the queue.
SET_ASIDE = (
    MailStatus.AUTOREPLY,
    MailStatus.BOUNCE,
    MailStatus.DELAYED,
    MailStatus.RECEIPT,
    MailStatus.DUPLICATE,
)


class Mailbox(SQLModel, table=True):
    """A functional mailbox (funktionsbrevlåda) read over IMAP, configured by an admin."""

    __tablename__ = "mailbox"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(sa_column=sa.Column(sa.String(100), unique=True, nullable=False))
    #: The mailbox's own address, e.g. platina@regionjh.se (shown to the registrar).
    address: str | None = Field(default=None, max_length=254)
    host: str = Field(max_length=255)
    port: int = 993
    #: "ssl" (IMAPS), "starttls" or "none" (loopback and tests only).
    security: str = Field(default="ssl", max_length=10)
    username: str = Field(max_length=254)
    #: The IMAP password, encrypted with a key derived from SECRET_KEY; never shown.
    password_encrypted: str = Field(sa_type=sa.Text)
    folder: str = Field(default="INBOX", max_length=200)
    processed_folder: str = Field(default="caseflow-processed", max_length=200)
    failed_folder: str = Field(default="caseflow-failed", max_length=200)
    is_active: bool = True
    #: The one fetcher at a time: who holds the mailbox and until when (a lease, so a
    #: crashed fetcher does not block the mailbox for ever).
    lease_holder: str | None = Field(default=None, max_length=100)
    lease_until: datetime | None = Field(default=None, sa_type=UTCDateTime)
    last_polled_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    #: The result of the last poll: counts per status, or the error it stopped on.
    last_result: str | None = Field(default=None, sa_type=sa.Text)
    last_error: str | None = Field(default=None, sa_type=sa.Text)
    created_at: datetime = Field(default_factory=now, sa_type=UTCDateTime)


class MailMessage(SQLModel, table=True):
    __tablename__ = "mail_message"
    __table_args__ = (sa.Index("ix_mail_message_status_received", "status", "received_at"),)

    id: int | None = Field(default=None, primary_key=True)
    #: The raw message in the file store; identical bytes are stored once.
    sha256: str = Field(foreign_key="file_blob.sha256", max_length=64, index=True)
    #: The sha256 of the canonical form (``caseflow.mail.canonical``): the same message
    #: whatever way it came (file, mbox, maildir, IMAP). Filled by intake for rows stored
    #: before it existed (``backfill.fill_canonical_hashes``).
    canonical_sha256: str | None = Field(default=None, max_length=64, index=True)
    size: int
    #: The Message-ID the parser read (the real one of a converted .msg, too).
    message_id: str = Field(max_length=998, index=True)
    #: The Message-ID as found in the raw header block when stored, never changed: what
    #: duplicates and collisions are told by (derived from the hash when there is none).
    header_message_id: str = Field(default="", max_length=998, index=True)
    #: Where it came from, e.g. "file:/in/a.eml", "mbox:/in/box.mbox#3".
    source: str = Field(max_length=1000)
    #: One per source position, so re-running an import finds what it already took.
    source_key: str = Field(sa_column=sa.Column(sa.String(1000), unique=True, nullable=False))
    #: "rfc822" (an e-mail as sent) or "outlook-msg" (a .msg file, converted when read).
    raw_format: str = Field(default="rfc822", max_length=12)
    mailbox_id: int | None = Field(default=None, foreign_key="mailbox.id", index=True)
    imap_folder: str | None = Field(default=None, max_length=200)
    imap_uidvalidity: int | None = Field(default=None, sa_type=sa.BigInteger)
    imap_uid: int | None = Field(default=None, sa_type=sa.BigInteger)
    #: The folder the message was moved to on the server after its commit.
    moved_to: str | None = Field(default=None, max_length=200)
    status: str = Field(default=MailStatus.RECEIVED, max_length=12, index=True)
    #: Why the mail has its status, as a code of ``caseflow.mail.reasons`` (words only when
    #: shown, in the reader's language) and a JSON object of its parameters.
    reason_code: str | None = Field(default=None, max_length=40)
    reason_params: str | None = Field(default=None, sa_type=sa.Text)
    case_id: int | None = Field(default=None, foreign_key="case_file.id", index=True)
    document_id: int | None = Field(default=None, foreign_key="document.id")
    #: JSON list of case numbers the registrar may want.
    suggested_cases: str | None = Field(default=None, sa_type=sa.Text)
    from_address: str | None = Field(default=None, max_length=254)
    from_name: str | None = Field(default=None, max_length=300)
    original_from: str | None = Field(default=None, max_length=254)
    original_from_name: str | None = Field(default=None, max_length=300)
    subject: str | None = Field(default=None, sa_type=sa.Text)
    attachment_count: int = 0
    sent_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    #: JSON list of flags from parsing and intake (charset_guessed, message_id_collision…).
    flags: str | None = Field(default=None, sa_type=sa.Text)
    #: Why processing failed: a code of ``caseflow.mail.reasons.FAILURES`` for the
    #: registrar, and the technical detail (the exception) behind it.
    error_code: str | None = Field(default=None, max_length=40)
    error_detail: str | None = Field(default=None, sa_type=sa.Text)
    received_at: datetime = Field(default_factory=now, sa_type=UTCDateTime)
    #: When the authority's mail system got it (IMAP INTERNALDATE, or the newest Received:
    #: header); the registration's "date received" when known.
    delivered_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    #: Processing runs begun; a message that crashed the process three times is given up.
    attempts: int = 0
    processed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    #: The registrar who last decided on it in the queue (filed, rejected, undid…).
    handled_by_id: int | None = Field(default=None, foreign_key="user_account.id")
    handled_at: datetime | None = Field(default=None, sa_type=UTCDateTime)

    @property
    def reason(self) -> str | None:
        """Why the mail has its status, in the reader's language."""
        return describe(self.reason_code, self.reason_params)

    @reason.setter
    def reason(self, value: Reason | str | None) -> None:
        """Takes a :class:`Reason`; plain text is kept as free text, shown as it is."""
        if value is None:
            self.reason_code = self.reason_params = None
            return
        if not isinstance(value, Reason):
            value = Reason(TEXT, text=str(value))
        self.reason_code = value.code
        self.reason_params = json.dumps(value.params, ensure_ascii=False)

    @property
    def error_message(self) -> str | None:
        """What the registrar reads about a failure; the detail is in ``error_detail``."""
        return describe_failure(self.error_code)

    @property
    def error(self) -> str | None:
        """The failure as one line: the registrar's sentence, then the technical detail."""
        if self.error_code is None or not self.error_detail:
            return self.error_message
        return f"{self.error_message} ({self.error_detail})"

    @error.setter
    def error(self, value: str | None) -> None:
        """Takes the technical detail; a :class:`Failure` also names its code."""
        self.error_code = getattr(value, "code", DEFAULT_FAILURE) if value is not None else None
        self.error_detail = str(value) if value else None

    @property
    def sender_label(self) -> str:
        """Who the mail is from for the registrar: the original sender of a forward."""
        if self.original_from or self.original_from_name:
            name, address = self.original_from_name, self.original_from
        else:
            name, address = self.from_name, self.from_address
        if name and address:
            return f"{name} <{address}>"
        return name or address or "–"
