"""Decision bodies, their meetings, the agenda (§), decisions and justering."""

from datetime import date, datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlmodel import Field, Relationship, SQLModel

from caseflow.common.timeutil import now
from caseflow.db import UTCDateTime


class DecisionKind(StrEnum):
    ADOPTED = "adopted"  #: the proposal as is (bifall)
    AMENDED = "amended"  #: with edited points
    RETURNED = "returned"  #: återremiss: back to preparation
    TABLED = "tabled"  #: bordlagd: stays approved for a later meeting


class MeetingStatus(StrEnum):
    PLANNED = "planned"
    AGENDA_FIXED = "agenda_fixed"
    ATTESTED = "attested"


class Organ(SQLModel, table=True):
    """A decision body (organ), e.g. Regionstyrelsen: a register the admin keeps."""

    __tablename__ = "organ"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(sa_column=sa.Column(sa.String(200), unique=True, nullable=False))
    #: E.g. "RS"; used where the full name is too long (lists, file names).
    short_name: str | None = Field(default=None, max_length=40)
    #: The series this body's cases usually belong to.
    series_id: int | None = Field(default=None, foreign_key="series.id")
    is_active: bool = Field(default=True, sa_column_kwargs={"server_default": sa.true()})
    #: Used in the protocol's heading and signatures, e.g. "Ordförande".
    chair_title: str = Field(default="Ordförande", max_length=100)


class MemberRole(StrEnum):
    CHAIR = "chair"  #: ordförande
    VICE_CHAIR = "vice_chair"  #: vice ordförande
    MEMBER = "member"  #: ledamot
    SUBSTITUTE = "substitute"  #: ersättare
    SECRETARY = "secretary"  #: sekreterare


class OrganMember(SQLModel, table=True):
    """A person with a seat in a body for a term of office (ledamot, ersättare, …)."""

    __tablename__ = "organ_member"

    id: int | None = Field(default=None, primary_key=True)
    organ_id: int = Field(foreign_key="organ.id", index=True)
    name: str = Field(max_length=200)
    role: str = Field(max_length=20)
    #: The first and last day of the term of office; an open end means "until further notice".
    term_from: date
    term_to: date | None = None
    email: str | None = Field(default=None, max_length=254)
    #: The party (political group) or other affiliation printed in protocols, e.g. "(S)".
    affiliation: str | None = Field(default=None, max_length=100)
    created_at: datetime = Field(default_factory=now, sa_type=UTCDateTime)

    def serves_on(self, day: date) -> bool:
        return self.term_from <= day and (self.term_to is None or day <= self.term_to)


class ParagraphCounter(SQLModel, table=True):
    """The last § given by an organ in a year: § numbers run per organ and year, without gaps."""

    __tablename__ = "paragraph_counter"

    organ_id: int = Field(foreign_key="organ.id", primary_key=True)
    year: int = Field(primary_key=True)
    last_number: int = Field(default=0)


_MEETING_VERSION = sa.Column("version", sa.Integer, nullable=False)


class Meeting(SQLModel, table=True):
    __tablename__ = "meeting"

    id: int | None = Field(default=None, primary_key=True)
    organ_id: int = Field(foreign_key="organ.id", index=True)
    starts_at: datetime = Field(sa_type=UTCDateTime)
    place: str = Field(max_length=200)
    chair: str = Field(max_length=200)
    secretary: str = Field(max_length=200)
    #: Justerare, one per line.
    attesters: str = Field(default="", sa_type=sa.Text)
    #: Närvarande, one per line.
    attendees: str = Field(default="", sa_type=sa.Text)
    status: str = Field(default=MeetingStatus.PLANNED, max_length=20)
    attested_on: date | None = None
    #: Who attested, as recorded (chair and attesters), one per line.
    attested_by: str | None = Field(default=None, sa_type=sa.Text)
    #: When the protocol was put on the official notice board (anslag).
    notice_posted_on: date | None = None
    created_at: datetime = Field(default_factory=now, sa_type=UTCDateTime)
    version: int | None = Field(default=None, sa_column=_MEETING_VERSION)

    __mapper_args__ = {"version_id_col": _MEETING_VERSION}

    organ: Organ = Relationship()
    items: list["AgendaItem"] = Relationship(
        back_populates="meeting",
        sa_relationship_kwargs={"order_by": "AgendaItem.position", "cascade": "all, delete-orphan"},
    )

    @property
    def is_attested(self) -> bool:
        return self.status == MeetingStatus.ATTESTED


class AgendaItem(SQLModel, table=True):
    """A case on a meeting's agenda; it becomes a § when the agenda is fixed."""

    __tablename__ = "agenda_item"
    __table_args__ = (
        sa.UniqueConstraint("meeting_id", "case_id", name="uq_agenda_item_meeting_case"),
    )

    id: int | None = Field(default=None, primary_key=True)
    meeting_id: int = Field(foreign_key="meeting.id", index=True)
    case_id: int = Field(foreign_key="case_file.id", index=True)
    position: int
    #: § number, per organ and year; given when the agenda is fixed.
    paragraph: int | None = None
    decision_kind: str | None = Field(default=None, max_length=20)
    #: The decided points as JSON (a list of strings), the proposal's or amended ones.
    decision_points: str | None = Field(default=None, sa_type=sa.Text)
    motions: str | None = Field(default=None, sa_type=sa.Text)  #: yrkanden
    reservations: str | None = Field(default=None, sa_type=sa.Text)  #: reservationer
    protocol_notes: str | None = Field(default=None, sa_type=sa.Text)  #: protokollsanteckningar
    #: "Paragrafen förklaras omedelbart justerad".
    is_immediately_attested: bool = Field(default=False)
    decided_at: datetime | None = Field(default=None, sa_type=UTCDateTime)

    meeting: Meeting = Relationship(back_populates="items")


class DispatchStatus(StrEnum):
    PENDING = "pending"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"


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
    #: JSON list of addresses.
    recipients: str = Field(sa_type=sa.Text)
    subject: str = Field(max_length=500)
    message_id: str = Field(sa_column=sa.Column(sa.String(250), unique=True, nullable=False))
    #: pending → sending → sent | failed (→ sending again on retry)
    status: str = Field(default=DispatchStatus.PENDING, max_length=10, index=True)
    error: str | None = Field(default=None, sa_type=sa.Text)
    attempts: int = Field(default=0)
    created_at: datetime = Field(default_factory=now, sa_type=UTCDateTime)
    sent_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    #: "smtp": the mail server took it; "outbox": written to the outbox folder (no server).
    sent_via: str | None = Field(default=None, max_length=10)


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
