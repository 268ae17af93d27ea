"""Digital justering: one row per person asked to attest a protocol (the chair and the
chosen attesters), with their attestation, its withdrawal, and the mail that asked them."""

from datetime import datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from caseflow.db import UTCDateTime


class NoticeStatus(StrEnum):
    """What became of the e-mail telling an attester the protocol awaits them."""

    PENDING = "pending"
    SENT = "sent"
    OUTBOX = "outbox"  #: no mail server: written to the outbox folder
    FAILED = "failed"
    NO_ADDRESS = "no_address"  #: the register has no e-mail address for the member


class MeetingSignature(SQLModel, table=True):
    """The chair or a chosen attester of a meeting, and their digital attestation."""

    __tablename__ = "meeting_signature"
    __table_args__ = (
        sa.UniqueConstraint("meeting_id", "member_id", name="uq_meeting_signature_member"),
    )

    id: int | None = Field(default=None, primary_key=True)
    meeting_id: int = Field(foreign_key="meeting.id", index=True)
    member_id: int = Field(foreign_key="organ_member.id")
    #: The name as the protocol prints it among those who attested.
    name: str = Field(max_length=200)
    is_chair: bool = False
    #: The chair first, then the attesters in the protocol's order.
    position: int = 0
    signed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    signed_by_id: int | None = Field(default=None, foreign_key="user_account.id")
    #: When a change of the protocol last withdrew an attestation given: they attest again.
    withdrawn_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    #: See ``NoticeStatus``.
    notice_status: str = Field(default=NoticeStatus.PENDING, max_length=12)
    #: The mailer's code for a failure (told in words when shown), never an exception text.
    notice_error: str | None = Field(default=None, max_length=40)
