"""The official's case memo (tjänsteskrivelse) as structured data."""

from datetime import date, datetime

import sqlalchemy as sa
from sqlmodel import Field, Relationship, SQLModel

from caseflow.common.timeutil import now
from caseflow.db import UTCDateTime


class Memo(SQLModel, table=True):
    __tablename__ = "memo"

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="case_file.id", sa_column_kwargs={"unique": True})
    memo_date: date
    unit: str | None = Field(default=None, max_length=200)
    officer_name: str | None = Field(default=None, max_length=200)
    officer_phone: str | None = Field(default=None, max_length=50)
    officer_email: str | None = Field(default=None, max_length=254)
    title: str = Field(max_length=500)
    #: Ärendebeskrivning: paragraphs separated by blank lines; lines starting "- " are a list.
    description: str = Field(default="", sa_type=sa.Text)
    #: The body that decides, e.g. Regionstyrelsen.
    decision_body: str | None = Field(default=None, max_length=200)
    #: Whose proposal it is, e.g. Regiondirektören ("Regiondirektörens förslag").
    proposer: str | None = Field(default=None, max_length=200)
    #: The internal document that holds the generated .docx versions.
    document_id: int | None = Field(default=None, foreign_key="document.id")
    #: The file version submitted for review; frozen, later versions do not replace it.
    submitted_file_id: int | None = Field(default=None, foreign_key="document_file.id")
    updated_at: datetime = Field(default_factory=now, sa_type=UTCDateTime)
    updated_by_id: int | None = Field(default=None, foreign_key="user_account.id")

    points: list["MemoPoint"] = Relationship(
        sa_relationship_kwargs={"order_by": "MemoPoint.position", "cascade": "all, delete-orphan"}
    )
    signatories: list["MemoSignatory"] = Relationship(
        sa_relationship_kwargs={
            "order_by": "MemoSignatory.position",
            "cascade": "all, delete-orphan",
        }
    )
    recipients: list["MemoRecipient"] = Relationship(
        sa_relationship_kwargs={
            "order_by": "MemoRecipient.position",
            "cascade": "all, delete-orphan",
        }
    )
    supports: list["MemoSupport"] = Relationship(
        sa_relationship_kwargs={"order_by": "MemoSupport.position", "cascade": "all, delete-orphan"}
    )


class MemoPoint(SQLModel, table=True):
    """A numbered proposal point (beslutsförslag)."""

    __tablename__ = "memo_point"

    id: int | None = Field(default=None, primary_key=True)
    memo_id: int = Field(foreign_key="memo.id", index=True)
    position: int
    text: str = Field(sa_type=sa.Text)


class MemoSignatory(SQLModel, table=True):
    """Who signs *I tjänsten*."""

    __tablename__ = "memo_signatory"

    id: int | None = Field(default=None, primary_key=True)
    memo_id: int = Field(foreign_key="memo.id", index=True)
    position: int
    name: str = Field(max_length=200)
    title: str | None = Field(default=None, max_length=200)


class MemoRecipient(SQLModel, table=True):
    """A recipient in *Utdrag till*: the excerpt goes here once the decision is made."""

    __tablename__ = "memo_recipient"

    id: int | None = Field(default=None, primary_key=True)
    memo_id: int = Field(foreign_key="memo.id", index=True)
    position: int
    name: str | None = Field(default=None, max_length=200)
    organisation: str | None = Field(default=None, max_length=200)
    email: str | None = Field(default=None, max_length=254)


class MemoSupport(SQLModel, table=True):
    """A document of the case that the decision is based on (beslutsunderlag)."""

    __tablename__ = "memo_support"

    id: int | None = Field(default=None, primary_key=True)
    memo_id: int = Field(foreign_key="memo.id", index=True)
    document_id: int = Field(foreign_key="document.id")
    position: int
