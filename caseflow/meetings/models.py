"""Decision bodies, their meetings, the agenda (§), decisions and justering (the
delegationsordning and delegated decisions: :mod:`caseflow.meetings.delegation_models`;
dispatches and exports: :mod:`caseflow.meetings.dispatch_models`)."""

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
    PLANNED = "planned"  #: the agenda is being prepared; items carry agenda numbers only
    OPENED = "opened"  #: the meeting has begun: the §§ are numbered, decisions recorded
    ATTESTED = "attested"  #: justerat: locked, changes only as audited corrections
    CANCELLED = "cancelled"  #: inställt after its kallelse went out (else it is deleted)


class ItemKind(StrEnum):
    """What a § is about: a case, or one of the protocol's own §§ without a case."""

    CASE = "case"
    OPENING = "opening"  #: upprop, sammanträdets öppnande
    ATTESTERS = "attesters"  #: val av justerare (and the time of justering)
    AGENDA = "agenda"  #: godkännande av dagordningen
    INFORMATION = "information"  #: informationsärende
    DELEGATION_REPORT = "delegation_report"  #: anmälan av delegationsbeslut
    CORRESPONDENCE = "correspondence"  #: meddelanden, incoming letters for the record
    OTHER = "other"


class AttendeeRole(StrEnum):
    """How someone takes part in a meeting: a member's role, or not a member at all."""

    CHAIR = "chair"
    VICE_CHAIR = "vice_chair"
    MEMBER = "member"
    SUBSTITUTE = "substitute"
    SECRETARY = "secretary"
    OFFICIAL = "official"  #: tjänsteperson, e.g. the director presenting a case
    OTHER = "other"  #: övriga närvarande


#: The roles that hold a vote when present (a substitute only when serving for someone).
VOTING_ROLES = frozenset({AttendeeRole.CHAIR, AttendeeRole.VICE_CHAIR, AttendeeRole.MEMBER})


class ItemPresence(StrEnum):
    """A change of attendance for one §."""

    ABSENT = "absent"  #: not present for this § (left, arrived later)
    RECUSED = "recused"  #: jäv: present but takes no part
    SERVING = "serving"  #: a substitute serves for someone in this §


class DecidedBy(StrEnum):
    ACCLAMATION = "acclamation"  #: the chair's proposition, without a vote
    VOTE = "vote"  #: omröstning


class Ballot(StrEnum):
    YES = "ja"
    NO = "nej"
    ABSTAIN = "avstår"


class StatementKind(StrEnum):
    RESERVATION = "reservation"
    NOTE = "note"  #: protokollsanteckning


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
    #: The member's own account (role ``member``); one person's rows in several bodies or
    #: terms share it.
    user_id: int | None = Field(default=None, foreign_key="user_account.id", index=True)
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
    status: str = Field(default=MeetingStatus.PLANNED, max_length=20)
    attested_on: date | None = None
    #: Who attested, as recorded (chair and attesters), one per line.
    attested_by: str | None = Field(default=None, sa_type=sa.Text)
    #: When the protocol was put on the official notice board (anslag).
    notice_posted_on: date | None = None
    #: When the secretary opened the meeting in caseflow: from then on the §§ are numbered.
    opened_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    #: When the meeting ended, as the protocol states it ("kl. 09.00–11.30").
    ended_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    #: When the secretary sent the protocol for digital justering (see ``justering``).
    sent_for_justering_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    created_at: datetime = Field(default_factory=now, sa_type=UTCDateTime)
    version: int | None = Field(default=None, sa_column=_MEETING_VERSION)

    __mapper_args__ = {"version_id_col": _MEETING_VERSION}

    organ: Organ = Relationship()
    items: list["AgendaItem"] = Relationship(
        back_populates="meeting",
        sa_relationship_kwargs={"order_by": "AgendaItem.position", "cascade": "all, delete-orphan"},
    )

    attendees: list["MeetingAttendee"] = Relationship(
        sa_relationship_kwargs={
            "order_by": "MeetingAttendee.position",
            "cascade": "all, delete-orphan",
        },
    )

    @property
    def is_attested(self) -> bool:
        return self.status == MeetingStatus.ATTESTED

    @property
    def is_opened(self) -> bool:
        return self.status in (MeetingStatus.OPENED, MeetingStatus.ATTESTED)

    @property
    def is_cancelled(self) -> bool:
        return self.status == MeetingStatus.CANCELLED

    @property
    def is_changeable(self) -> bool:
        """Before justering, and not cancelled: the secretary may still correct it."""
        return self.status in (MeetingStatus.PLANNED, MeetingStatus.OPENED)


class AgendaItem(SQLModel, table=True):
    """An item of a meeting's agenda: a case or a § of the protocol's own (opening, val av
    justerare, information, anmälan av delegationsbeslut, …). It carries its agenda number
    (``position``) from the start and its § once the meeting is opened."""

    __tablename__ = "agenda_item"
    __table_args__ = (
        sa.UniqueConstraint("meeting_id", "case_id", name="uq_agenda_item_meeting_case"),
    )

    id: int | None = Field(default=None, primary_key=True)
    meeting_id: int = Field(foreign_key="meeting.id", index=True)
    #: The case; None for a § without a case (see ``kind``).
    case_id: int | None = Field(default=None, foreign_key="case_file.id", index=True)
    kind: str = Field(default=ItemKind.CASE, max_length=20)
    #: The heading of a § without a case (a case's § takes its title from the case).
    title: str | None = Field(default=None, max_length=500)
    #: The text of a § without a case: who was elected, what was reported, ….
    body: str | None = Field(default=None, sa_type=sa.Text)
    #: The agenda number, 1… without gaps; the order the items are handled in.
    position: int
    #: § number, per organ and year; given when the meeting is opened.
    paragraph: int | None = None
    #: Handled behind closed doors (inom stängda dörrar).
    is_closed: bool = Field(default=False, sa_column_kwargs={"server_default": sa.false()})
    #: What the public sees of a closed § without a case instead of its title.
    public_title: str | None = Field(default=None, max_length=500)
    decision_kind: str | None = Field(default=None, max_length=20)
    #: The decided points as JSON (a list of strings), the proposal's or amended ones.
    decision_points: str | None = Field(default=None, sa_type=sa.Text)
    #: How the body reached the decision: by acclamation or by a vote (see ``DecidedBy``).
    decided_by: str | None = Field(default=None, max_length=20)
    #: "Paragrafen förklaras omedelbart justerad".
    is_immediately_attested: bool = Field(default=False)
    decided_at: datetime | None = Field(default=None, sa_type=UTCDateTime)

    meeting: Meeting = Relationship(back_populates="items")
    motions: list["Motion"] = Relationship(
        sa_relationship_kwargs={"order_by": "Motion.position", "cascade": "all, delete-orphan"},
    )
    votes: list["Vote"] = Relationship(
        sa_relationship_kwargs={"order_by": "Vote.round", "cascade": "all, delete-orphan"},
    )
    statements: list["Statement"] = Relationship(
        sa_relationship_kwargs={"order_by": "Statement.id", "cascade": "all, delete-orphan"},
    )
    presence: list["ItemAttendance"] = Relationship(
        sa_relationship_kwargs={"order_by": "ItemAttendance.id", "cascade": "all, delete-orphan"},
    )

    @property
    def has_case(self) -> bool:
        return self.case_id is not None


class MeetingAttendee(SQLModel, table=True):
    """Someone at (or called to) a meeting: a member, a substitute, an official, others."""

    __tablename__ = "meeting_attendee"

    id: int | None = Field(default=None, primary_key=True)
    meeting_id: int = Field(foreign_key="meeting.id", index=True)
    #: The body's member this is; None for officials and others.
    member_id: int | None = Field(default=None, foreign_key="organ_member.id")
    name: str = Field(max_length=200)
    role: str = Field(max_length=20)
    affiliation: str | None = Field(default=None, max_length=100)
    is_present: bool = Field(default=True)
    #: A substitute serving for an absent member for the whole meeting (tjänstgörande ersättare).
    serving_for_id: int | None = Field(default=None, foreign_key="meeting_attendee.id")
    #: Order in the protocol's list.
    position: int = 0
    #: E.g. "§§ 1–4", "deltar på distans", "föredragande".
    note: str | None = Field(default=None, max_length=200)


class ItemAttendance(SQLModel, table=True):
    """A change of attendance for one §: someone absent or recused, a substitute serving."""

    __tablename__ = "agenda_item_attendance"
    __table_args__ = (
        sa.UniqueConstraint("item_id", "attendee_id", name="uq_agenda_item_attendance"),
    )

    id: int | None = Field(default=None, primary_key=True)
    item_id: int = Field(foreign_key="agenda_item.id", index=True)
    attendee_id: int = Field(foreign_key="meeting_attendee.id")
    status: str = Field(max_length=10)  #: see ``ItemPresence``
    #: For a serving substitute: the attendee whose seat they take in this §.
    serving_for_id: int | None = Field(default=None, foreign_key="meeting_attendee.id")


class Motion(SQLModel, table=True):
    """A yrkande under a §: the proposal, or a member's own."""

    __tablename__ = "agenda_motion"

    id: int | None = Field(default=None, primary_key=True)
    item_id: int = Field(foreign_key="agenda_item.id", index=True)
    position: int
    #: Who moved it, as the protocol names them, e.g. "Bertil Justerare (M)"; None for the
    #: proposal of the memo ("förslaget till beslut").
    mover: str | None = Field(default=None, max_length=200)
    text: str = Field(sa_type=sa.Text)
    #: The attendee who moved it, when they are on the meeting's list.
    attendee_id: int | None = Field(default=None, foreign_key="meeting_attendee.id")


class Vote(SQLModel, table=True):
    """One round of votes (omröstning) between two motions, as the chair set it up."""

    __tablename__ = "agenda_vote"
    __table_args__ = (sa.UniqueConstraint("item_id", "round", name="uq_agenda_vote_round"),)

    id: int | None = Field(default=None, primary_key=True)
    item_id: int = Field(foreign_key="agenda_item.id", index=True)
    round: int
    #: The motion voted "ja" for, and the one voted "nej" for (the counter-proposition).
    yes_motion_id: int = Field(foreign_key="agenda_motion.id")
    no_motion_id: int = Field(foreign_key="agenda_motion.id")
    #: An election (val): a tie is settled by lot, not by the chair's casting vote.
    is_election: bool = False
    #: The side the chair's casting vote (utslagsröst) took, on a tie.
    casting_vote: str | None = Field(default=None, max_length=5)
    #: The side the lot fell on, on a tie in an election.
    lot: str | None = Field(default=None, max_length=5)
    #: The side that won ("ja" or "nej"), computed when the ballots are recorded.
    result: str | None = Field(default=None, max_length=5)
    yes_count: int = 0
    no_count: int = 0
    abstain_count: int = 0

    ballots: list["VoteBallot"] = Relationship(
        sa_relationship_kwargs={"order_by": "VoteBallot.id", "cascade": "all, delete-orphan"},
    )


class VoteBallot(SQLModel, table=True):
    """One serving member's ja / nej / avstår in a vote."""

    __tablename__ = "agenda_vote_ballot"
    __table_args__ = (sa.UniqueConstraint("vote_id", "attendee_id", name="uq_agenda_vote_ballot"),)

    id: int | None = Field(default=None, primary_key=True)
    vote_id: int = Field(foreign_key="agenda_vote.id", index=True)
    attendee_id: int = Field(foreign_key="meeting_attendee.id")
    choice: str = Field(max_length=10)  #: see ``Ballot``


class Statement(SQLModel, table=True):
    """A reservation or a protocol note (protokollsanteckning) under a §."""

    __tablename__ = "agenda_statement"

    id: int | None = Field(default=None, primary_key=True)
    item_id: int = Field(foreign_key="agenda_item.id", index=True)
    kind: str = Field(max_length=12)  #: see ``StatementKind``
    attendee_id: int | None = Field(default=None, foreign_key="meeting_attendee.id")
    #: Who made it, as the protocol names them, e.g. "Bertil Justerare (M)".
    name: str = Field(max_length=200)
    #: The written text (skriftlig reservation), or empty for a reservation without one.
    text: str | None = Field(default=None, sa_type=sa.Text)


class MeetingSummons(SQLModel, table=True):
    """A kallelse sent for a meeting; each new sending after a change is a new version."""

    __tablename__ = "meeting_summons"

    id: int | None = Field(default=None, primary_key=True)
    meeting_id: int = Field(foreign_key="meeting.id", index=True)
    version: int
    #: JSON list of {"name", "email"} the kallelse was addressed to.
    recipients: str = Field(sa_type=sa.Text)
    #: Members and substitutes without an e-mail address: to be reached another way.
    unreachable: str = Field(default="[]", sa_type=sa.Text)
    #: The kallelse as sent (.docx) in the file store.
    sha256: str | None = Field(default=None, foreign_key="file_blob.sha256", max_length=64)
    message_id: str | None = Field(default=None, max_length=250)
    #: pending → sent | failed
    status: str = Field(default="pending", max_length=10)
    #: A code for what went wrong (shown in words when read), never an exception text.
    error_code: str | None = Field(default=None, max_length=40)
    created_at: datetime = Field(default_factory=now, sa_type=UTCDateTime)
    created_by_id: int | None = Field(default=None, foreign_key="user_account.id")
    sent_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
