"""Series, their yearly counters, cases and the case's counterparts."""

from datetime import date, datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlmodel import Field, Relationship, SQLModel

from caseflow.classification.models import ClassificationClass
from caseflow.common.timeutil import now
from caseflow.db import UTCDateTime
from caseflow.organisation.models import Unit
from caseflow.parties.models import Party


class CaseStatus(StrEnum):
    REGISTERED = "registered"
    IN_PREPARATION = "in_preparation"
    IN_REVIEW = "in_review"
    APPROVED = "approved"
    ON_AGENDA = "on_agenda"
    DECIDED = "decided"
    DISPATCHED = "dispatched"
    CLOSED = "closed"
    WITHDRAWN = "withdrawn"

    @classmethod
    def open_states(cls) -> tuple["CaseStatus", ...]:
        return tuple(s for s in cls if s not in (cls.CLOSED, cls.WITHDRAWN))

    @classmethod
    def undecided_states(cls) -> tuple["CaseStatus", ...]:
        """Open and not yet decided: what FL 12 §'s six months are counted for."""
        return (
            cls.REGISTERED,
            cls.IN_PREPARATION,
            cls.IN_REVIEW,
            cls.APPROVED,
            cls.ON_AGENDA,
        )


class Series(SQLModel, table=True):
    """A numbering series (diarieserie) such as RS, Regionstyrelsen."""

    __tablename__ = "series"

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(sa_column=sa.Column(sa.String(20), unique=True, nullable=False))
    name: str = Field(max_length=200)
    is_active: bool = Field(default=True)
    #: From which date (a document's date received or drawn up) the series publishes the
    #: files a registrar marks published in the e-diarium; None: it publishes no files
    #: (unless the instance's ``PUBLIC_FILES_FROM`` names the series).
    publish_files_from: date | None = Field(default=None)


class SeriesCounter(SQLModel, table=True):
    """The last number allocated in a series for a year; one row, locked while allocating."""

    __tablename__ = "series_counter"

    series_id: int = Field(foreign_key="series.id", primary_key=True)
    year: int = Field(primary_key=True)
    last_number: int = Field(default=0)


_CASE_VERSION = sa.Column("version", sa.Integer, nullable=False)


class Case(SQLModel, table=True):
    __tablename__ = "case_file"
    __table_args__ = (
        sa.UniqueConstraint("series_id", "year", "seq", name="uq_case_file_series_year_seq"),
        sa.Index("ix_case_file_opened_on_id", "opened_on", "id"),
        # The filtered lists stop after one page instead of sorting every match.
        sa.Index("ix_case_file_status_opened_on_id", "status", "opened_on", "id"),
        sa.Index("ix_case_file_officer_id_opened_on_id", "officer_id", "opened_on", "id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    series_id: int = Field(foreign_key="series.id")
    year: int
    #: The running number within the series and year (720 in RS/720/2021).
    seq: int
    number: str = Field(sa_column=sa.Column(sa.String(40), unique=True, nullable=False))
    title: str = Field(max_length=500)
    title_is_secret: bool = Field(default=False)
    #: Shown instead of the title to anyone who may not see a secret title.
    public_title: str | None = Field(default=None, max_length=500)
    #: The legal provision behind the secret title, e.g. "OSL 21 kap. 1 §".
    secrecy_provision: str | None = Field(default=None, max_length=200)
    description: str | None = Field(default=None, sa_type=sa.Text)
    #: The description is withheld under the case's secrecy provision.
    description_is_secret: bool = Field(
        default=False, sa_column_kwargs={"server_default": sa.false()}
    )
    #: The counterparts are withheld under the case's secrecy provision.
    parties_are_secret: bool = Field(default=False, sa_column_kwargs={"server_default": sa.false()})
    status: str = Field(default=CaseStatus.REGISTERED, max_length=20, index=True)
    officer_id: int | None = Field(default=None, foreign_key="user_account.id", index=True)
    unit_id: int | None = Field(default=None, foreign_key="org_unit.id", index=True)
    #: The old free-text classification code (from before the structure, or an import):
    #: matched to the structure when it is imported, else listed as unclassified.
    classification_code: str | None = Field(default=None, max_length=50)
    #: The process of the classification structure the case belongs to.
    class_id: int | None = Field(default=None, foreign_key="classification_class.id", index=True)
    opened_on: date
    closed_on: date | None = None
    due_on: date | None = Field(default=None, index=True)
    #: The last running number given to a document of this case (RS/720/2021-3).
    document_counter: int = Field(default=0)
    created_at: datetime = Field(default_factory=now, sa_type=UTCDateTime)
    created_by_id: int | None = Field(default=None, foreign_key="user_account.id")
    updated_at: datetime = Field(default_factory=now, sa_type=UTCDateTime)
    voided_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    voided_by_id: int | None = Field(default=None, foreign_key="user_account.id")
    void_reason: str | None = Field(default=None, max_length=500)
    #: Optimistic locking: a save based on an older version is refused.
    version: int | None = Field(default=None, sa_column=_CASE_VERSION)

    __mapper_args__ = {"version_id_col": _CASE_VERSION}

    series: Series = Relationship()
    unit: Unit | None = Relationship()
    classification: ClassificationClass | None = Relationship()
    parties: list["CaseParty"] = Relationship(
        back_populates="case",
        sa_relationship_kwargs={"cascade": "all, delete-orphan", "order_by": "CaseParty.id"},
    )

    @property
    def is_voided(self) -> bool:
        return self.voided_at is not None

    @property
    def is_open(self) -> bool:
        return self.status in CaseStatus.open_states() and not self.is_voided


class CaseParty(SQLModel, table=True):
    """A counterpart (motpart) of a case: an organisation, a person, or both."""

    __tablename__ = "case_party"
    #: Intake suggests a counterpart's newest cases: the index walks them newest first.
    __table_args__ = (sa.Index("ix_case_party_email_case", "email", "case_id"),)

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="case_file.id", index=True)
    name: str | None = Field(default=None, max_length=200, index=True)
    organisation: str | None = Field(default=None, max_length=200, index=True)
    email: str | None = Field(default=None, max_length=254, index=True)
    #: The party in the register; name, organisation and e-mail stay as registered.
    party_id: int | None = Field(default=None, foreign_key="party.id", index=True)

    case: Case = Relationship(back_populates="parties")
    party: Party | None = Relationship()

    @property
    def label(self) -> str:
        parts = [p for p in (self.name, self.organisation) if p]
        return ", ".join(parts) or (self.email or "")
