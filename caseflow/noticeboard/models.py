"""The official notice board (anslagstavla): its notices and their files."""

from datetime import date, datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlmodel import Field, Relationship, SQLModel

from caseflow.common.timeutil import now
from caseflow.db import UTCDateTime


class NoticeKind(StrEnum):
    PROTOCOL = "protocol"  #: that a protocol has been attested (KL 8 kap. 12 §)
    ANNOUNCEMENT = "announcement"  #: kungörelse of a coming meeting (KL 5 kap. 11 §)
    #: a decision under delegation posted on its own (KL 13 kap. 5 §)
    DELEGATED_DECISION = "delegated_decision"
    OTHER = "other"  #: anything else a manager posts


class NoticeFileKind(StrEnum):
    PROTOCOL = "protocol"  #: the protocol's public version, .docx
    PROTOCOL_PDF = "protocol_pdf"  #: the same as PDF/A-2b, sealed when a seal is configured
    AGENDA = "agenda"  #: the agenda's public version, .docx
    ATTACHMENT = "attachment"  #: a PDF a manager posted with an other notice


class Notice(SQLModel, table=True):
    """One notice as it was posted: its facts are kept as posted, so the board and its
    history show what the public saw, whatever changes later."""

    __tablename__ = "notice"

    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=20)
    #: The body (organ) the notice is from, as named when posted; None for other notices.
    organ_id: int | None = Field(default=None, foreign_key="organ.id")
    organ_name: str | None = Field(default=None, max_length=200)
    #: What the notice is about, as the public may read it.
    title: str = Field(max_length=500)
    #: The text of an other notice.
    text: str | None = Field(default=None, sa_type=sa.Text)
    meeting_id: int | None = Field(default=None, foreign_key="meeting.id", index=True)
    meeting_starts_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    meeting_place: str | None = Field(default=None, max_length=200)
    #: "§§ 1–12": the §§ the protocol holds.
    paragraphs: str | None = Field(default=None, max_length=100)
    attested_on: date | None = None
    #: A delegated decision: its case, the day, who decided and the delegation's number.
    delegated_decision_id: int | None = Field(default=None, foreign_key="delegated_decision.id")
    case_number: str | None = Field(default=None, max_length=60)
    decided_on: date | None = None
    decided_by: str | None = Field(default=None, max_length=200)
    delegation_code: str | None = Field(default=None, max_length=20)
    #: The first and the last day on the board.
    posted_on: date = Field(index=True)
    take_down_on: date = Field(index=True)
    #: The last day to appeal (laglighetsprövning), from the posting day (KL 13 kap. 5 §).
    appeal_ends_on: date | None = None
    #: Where the protocol is kept (förvaringsplats).
    kept_at: str | None = Field(default=None, max_length=500)
    #: An announcement's agenda as the public may read it: JSON, a list of
    #: {"number", "title", "case_number"}.
    agenda: str | None = Field(default=None, sa_type=sa.Text)
    posted_at: datetime = Field(default_factory=now, sa_type=UTCDateTime)
    #: None when caseflow posted it itself (at justering, with the kallelse).
    posted_by_id: int | None = Field(default=None, foreign_key="user_account.id")
    taken_down_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    taken_down_by_id: int | None = Field(default=None, foreign_key="user_account.id")
    #: Why a notice came down before its day; None when it stayed its time.
    take_down_reason: str | None = Field(default=None, sa_type=sa.Text)

    files: list["NoticeFile"] = Relationship(
        sa_relationship_kwargs={"order_by": "NoticeFile.id", "cascade": "all, delete-orphan"},
    )


class NoticeFile(SQLModel, table=True):
    """A file that may be downloaded from a notice: only public versions are stored here."""

    __tablename__ = "notice_file"

    id: int | None = Field(default=None, primary_key=True)
    notice_id: int = Field(foreign_key="notice.id", index=True)
    kind: str = Field(max_length=20)
    filename: str = Field(max_length=255)
    mime_type: str = Field(max_length=100)
    sha256: str = Field(foreign_key="file_blob.sha256", max_length=64)
    size: int
    #: Carries the organisation's seal (a PAdES signature).
    is_sealed: bool = Field(default=False)
    created_at: datetime = Field(default_factory=now, sa_type=UTCDateTime)
