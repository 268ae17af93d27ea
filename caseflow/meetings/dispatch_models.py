"""Dispatches (expediering) of decisions, their export jobs, and one row per recipient of
a dispatch with what became of it.

A dispatch is one registered outgoing document and, for those with an e-mail address, one
message (one Message-ID). Each recipient has a row of its own: the mail server may accept
one address of a message and refuse another, and a recipient without an address gets the
document as a letter. The case counts as dispatched only when every row is *served*.
"""

from datetime import date, datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from caseflow.common.timeutil import now
from caseflow.db import UTCDateTime


class Channel(StrEnum):
    EMAIL = "email"
    LETTER = "letter"


class RecipientStatus(StrEnum):
    PENDING = "pending"  #: e-mail waiting to be handed to the mail server
    SENDING = "sending"  #: handed over right now (claimed by one process)
    ACCEPTED = "accepted"  #: the mail server accepted the message for this address: served
    FAILED = "failed"  #: refused or not delivered to the server; see ``error_code``
    UNCERTAIN = "uncertain"  #: left "sending" by a process that stopped: nobody knows
    LETTER = "letter"  #: a letter to print and post
    POSTED = "posted"  #: the letter was posted: served


#: The states in which a recipient counts as notified.
SERVED = frozenset({RecipientStatus.ACCEPTED, RecipientStatus.POSTED})


class DispatchRecipient(SQLModel, table=True):
    __tablename__ = "dispatch_recipient"

    id: int | None = Field(default=None, primary_key=True)
    dispatch_id: int = Field(foreign_key="dispatch.id", index=True)
    position: int = 0
    #: The party of the register this recipient was chosen from, if any.
    party_id: int | None = Field(default=None, foreign_key="party.id")
    name: str = Field(max_length=300)
    email: str | None = Field(default=None, max_length=254)
    #: The postal address block of a letter, one line per line.
    postal_address: str | None = Field(default=None, sa_type=sa.Text)
    #: Named in the message's headers and the list of recipients shown to those without
    #: the right to secrets only when False (a secret party, a protected person).
    is_hidden: bool = Field(default=False, sa_column_kwargs={"server_default": sa.false()})
    channel: str = Field(default=Channel.EMAIL, max_length=10)
    status: str = Field(default=RecipientStatus.PENDING, max_length=10, index=True)
    #: Why it failed, as a code the page words ("unreachable", "refused", "deferred" …).
    error_code: str | None = Field(default=None, max_length=20)
    #: The server's or the system's own text, for the administrator; never shown raw.
    error_detail: str | None = Field(default=None, sa_type=sa.Text)
    attempts: int = 0
    last_attempt_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    #: When the scheduler sends it again by itself (None: a person must act).
    next_retry_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    #: When the mail server accepted the message for this recipient.
    accepted_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    posted_on: date | None = None
    posted_by_id: int | None = Field(default=None, foreign_key="user_account.id")
    #: The day the recipient counts as notified (delgiven): the day the mail server
    #: accepted the message, or the day the letter was posted. FL 44 § counts from it.
    served_on: date | None = None
    #: The printable letter (the document behind an address page) in the file store.
    letter_sha256: str | None = Field(default=None, foreign_key="file_blob.sha256", max_length=64)
    letter_filename: str | None = Field(default=None, max_length=300)

    @property
    def is_served(self) -> bool:
        return self.status in SERVED


class DispatchStatus(StrEnum):
    PENDING = "pending"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"
    UNCERTAIN = "uncertain"


class ExportStatus(StrEnum):
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


class Dispatch(SQLModel, table=True):
    __tablename__ = "dispatch"

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="case_file.id", index=True)
    agenda_item_id: int | None = Field(default=None, foreign_key="agenda_item.id")
    #: The outgoing document registered for what was sent.
    document_id: int = Field(foreign_key="document.id")
    #: JSON list of the e-mail addresses (the rows in ``dispatch_recipient`` say more).
    recipients: str = Field(sa_type=sa.Text)
    subject: str = Field(max_length=500)
    message_id: str = Field(sa_column=sa.Column(sa.String(250), unique=True, nullable=False))
    #: The e-mail message: pending → sending → sent (every address accepted) | failed
    #: (→ sending again on retry) | uncertain (the process stopped while sending).
    status: str = Field(default=DispatchStatus.PENDING, max_length=10, index=True)
    error: str | None = Field(default=None, sa_type=sa.Text)
    attempts: int = Field(default=0)
    created_at: datetime = Field(default_factory=now, sa_type=UTCDateTime)
    sent_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    #: "smtp": the mail server took it; "outbox": written to the outbox folder (no server).
    sent_via: str | None = Field(default=None, max_length=10)
    created_by_id: int | None = Field(default=None, foreign_key="user_account.id")
    #: When the last recipient was served and the case became dispatched.
    completed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class ExportJob(SQLModel, table=True):
    """A batch export of a meeting's excerpts into one ZIP, with its progress."""

    __tablename__ = "export_job"

    id: int | None = Field(default=None, primary_key=True)
    meeting_id: int = Field(foreign_key="meeting.id", index=True)
    fmt: str = Field(max_length=4)
    total: int = 0
    done: int = 0
    #: running → done | failed
    status: str = Field(default=ExportStatus.RUNNING, max_length=10)
    error: str | None = Field(default=None, sa_type=sa.Text)
    #: The finished ZIP in the file store.
    sha256: str | None = Field(default=None, foreign_key="file_blob.sha256", max_length=64)
    created_at: datetime = Field(default_factory=now, sa_type=UTCDateTime)
    created_by_id: int | None = Field(default=None, foreign_key="user_account.id")
