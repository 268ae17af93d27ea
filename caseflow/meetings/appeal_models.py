"""Appeals (överklaganden) of a decision, and the record that a decision gained legal force.

An appeal names the decision it is against: a board decision (its §) or a decision taken
under delegation. While it is open the decision's clock is stopped (see
:mod:`caseflow.meetings.legal_force`).
"""

from datetime import date, datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from caseflow.common.timeutil import now
from caseflow.db import UTCDateTime


class AppealKind(StrEnum):
    LEGALITY = "legality"  #: laglighetsprövning, KL 13 kap.
    ADMINISTRATIVE = "administrative"  #: förvaltningsbesvär, FL 40–44 §§


class AppealEnd(StrEnum):
    WITHDRAWN = "withdrawn"  #: återkallat: the clock runs again
    DECIDED = "decided"  #: the court has ruled (its outcome in words)


class Appeal(SQLModel, table=True):
    """An appeal that came in against a decision; ended when withdrawn or ruled on."""

    __tablename__ = "appeal"
    __table_args__ = (
        sa.CheckConstraint(
            "(agenda_item_id IS NULL) <> (delegated_decision_id IS NULL)",
            name="one_decision",
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="case_file.id", index=True)
    #: The board decision appealed (its §), or …
    agenda_item_id: int | None = Field(default=None, foreign_key="agenda_item.id", index=True)
    #: … the decision taken under delegation.
    delegated_decision_id: int | None = Field(
        default=None, foreign_key="delegated_decision.id", index=True
    )
    kind: str = Field(max_length=20)  #: see ``AppealKind``
    #: Who appealed, as they sign (a counterpart's label when one was chosen).
    appellant: str = Field(max_length=200)
    #: The counterpart of the case who appealed, when it is one.
    case_party_id: int | None = Field(default=None, foreign_key="case_party.id")
    #: The day it came in (to the authority, or to the court for a laglighetsprövning).
    received_on: date
    #: The registered incoming document that is the appeal, when it is registered.
    document_id: int | None = Field(default=None, foreign_key="document.id")
    created_at: datetime = Field(default_factory=now, sa_type=UTCDateTime)
    created_by_id: int | None = Field(default=None, foreign_key="user_account.id")
    ended_on: date | None = None
    ended_how: str | None = Field(default=None, max_length=10)  #: see ``AppealEnd``
    #: The court's outcome in a few words, e.g. "Förvaltningsrätten avslog överklagandet".
    outcome: str | None = Field(default=None, sa_type=sa.Text)

    @property
    def is_open(self) -> bool:
        return self.ended_on is None

    @property
    def stops_the_clock(self) -> bool:
        """Open, or ruled on by the court: only a withdrawn appeal lets the clock run on."""
        return self.ended_how != AppealEnd.WITHDRAWN


class LegalForceNotice(SQLModel, table=True):
    """That a decision gained legal force, recorded once by the scheduler, and whether its
    secretary has been told."""

    __tablename__ = "legal_force_notice"

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="case_file.id", index=True)
    agenda_item_id: int | None = Field(
        default=None, sa_column=sa.Column(sa.Integer, sa.ForeignKey("agenda_item.id"), unique=True)
    )
    delegated_decision_id: int | None = Field(
        default=None,
        sa_column=sa.Column(sa.Integer, sa.ForeignKey("delegated_decision.id"), unique=True),
    )
    #: The day the decision gained legal force.
    final_on: date
    recorded_at: datetime = Field(default_factory=now, sa_type=UTCDateTime)
    #: When the reminder mail was handed to the mail server; None until then.
    mailed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
