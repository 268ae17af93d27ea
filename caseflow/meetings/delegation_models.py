"""A body's delegationsordning, and the decisions taken under it."""

from datetime import date, datetime

import sqlalchemy as sa
from sqlmodel import Field, Relationship, SQLModel

from caseflow.common.timeutil import now
from caseflow.db import UTCDateTime
from caseflow.meetings.models import Organ


class Delegation(SQLModel, table=True):
    """One line of a body's delegationsordning: a kind of decision delegated to someone."""

    __tablename__ = "delegation"

    id: int | None = Field(default=None, primary_key=True)
    organ_id: int = Field(foreign_key="organ.id", index=True)
    #: The number in the delegationsordning, e.g. "3.2".
    code: str = Field(max_length=20)
    #: The kind of decision, e.g. "Beslut om medfinansiering av projekt upp till 500 000 kr".
    matter: str = Field(max_length=500)
    #: To whom: a role or a person, e.g. "Regiondirektör".
    delegate: str = Field(max_length=200)
    #: Limits, e.g. "högst 500 000 kr per projekt"; conditions for further delegation.
    limits: str | None = Field(default=None, sa_type=sa.Text)
    #: The body's decision the delegation rests on, e.g. "RS 2024-02-06 § 12".
    resting_on: str = Field(max_length=200)
    valid_from: date
    valid_to: date | None = None
    is_active: bool = Field(default=True, sa_column_kwargs={"server_default": sa.true()})
    created_at: datetime = Field(default_factory=now, sa_type=UTCDateTime)

    organ: Organ = Relationship()


class DelegatedDecision(SQLModel, table=True):
    """A decision taken under a delegation: its document, and the § that reported it."""

    __tablename__ = "delegated_decision"

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="case_file.id", index=True)
    delegation_id: int = Field(foreign_key="delegation.id", index=True)
    decided_on: date
    decided_by_id: int | None = Field(default=None, foreign_key="user_account.id")
    #: The name and title the decision document is signed with.
    decided_by_name: str = Field(max_length=200)
    #: The decided points as JSON (a list of strings).
    points: str = Field(sa_type=sa.Text)
    #: The registered decision document (internal document of the case).
    document_id: int | None = Field(default=None, foreign_key="document.id")
    #: The § of "anmälan av delegationsbeslut" that reported it; None until reported.
    reported_item_id: int | None = Field(default=None, foreign_key="agenda_item.id", index=True)
    #: A notice of the decision itself on the notice board (anslag), when one was posted:
    #: the appeal period runs from it instead of from the reporting protocol's notice.
    notice_posted_on: date | None = None
    created_at: datetime = Field(default_factory=now, sa_type=UTCDateTime)

    delegation: Delegation = Relationship()
