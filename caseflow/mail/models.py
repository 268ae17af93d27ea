"""Received mail: the raw bytes first, what intake made of them second."""

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from caseflow.common.timeutil import now
from caseflow.db import UTCDateTime


class MailStatus:
    RECEIVED = "received"  #: stored, not yet processed (a crash leaves it here)
    FILED = "filed"
    QUEUED = "queued"
    DUPLICATE = "duplicate"
    AUTOREPLY = "autoreply"
    BOUNCE = "bounce"
    REJECTED = "rejected"  #: marked by the registrar as not to be registered
    FAILED = "failed"


class MailMessage(SQLModel, table=True):
    __tablename__ = "mail_message"

    id: int | None = Field(default=None, primary_key=True)
    #: The raw message in the file store; identical bytes are stored once.
    sha256: str = Field(foreign_key="file_blob.sha256", max_length=64, index=True)
    size: int
    message_id: str = Field(max_length=998, index=True)
    #: Where it came from, e.g. "file:/in/a.eml", "mbox:/in/box.mbox#3".
    source: str = Field(max_length=1000)
    #: One per source position, so re-running an import finds what it already took.
    source_key: str = Field(sa_column=sa.Column(sa.String(1000), unique=True, nullable=False))
    status: str = Field(default=MailStatus.RECEIVED, max_length=12, index=True)
    reason: str | None = Field(default=None, sa_type=sa.Text)
    case_id: int | None = Field(default=None, foreign_key="case_file.id", index=True)
    document_id: int | None = Field(default=None, foreign_key="document.id")
    #: JSON list of case numbers the registrar may want.
    suggested_cases: str | None = Field(default=None, sa_type=sa.Text)
    from_address: str | None = Field(default=None, max_length=254)
    original_from: str | None = Field(default=None, max_length=254)
    subject: str | None = Field(default=None, sa_type=sa.Text)
    sent_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    #: JSON list of flags from parsing and intake (charset_guessed, message_id_collision…).
    flags: str | None = Field(default=None, sa_type=sa.Text)
    error: str | None = Field(default=None, sa_type=sa.Text)
    received_at: datetime = Field(default_factory=now, sa_type=UTCDateTime)
    processed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
