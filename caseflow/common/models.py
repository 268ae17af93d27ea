"""The audit trail: append-only, hash-chained events."""

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from caseflow.db import UTCDateTime


class AuditEvent(SQLModel, table=True):
    """One thing that happened. Rows are never updated or deleted (triggers refuse it)."""

    __tablename__ = "audit_event"

    id: int | None = Field(default=None, primary_key=True)
    #: Position in the chain, 1, 2, 3 … without gaps.
    seq: int = Field(sa_column=sa.Column(sa.Integer, unique=True, nullable=False))
    at: datetime = Field(sa_type=UTCDateTime)
    actor_id: int | None = Field(default=None, foreign_key="user_account.id", index=True)
    #: Who acted, as written at the time (e-mail, or "cli", "system").
    actor_label: str = Field(max_length=254)
    action: str = Field(max_length=64, index=True)
    object_type: str = Field(max_length=32)
    object_id: int | None = None
    #: The case the event belongs to, for the case's timeline.
    case_id: int | None = Field(default=None, index=True)
    before: str | None = Field(default=None, sa_type=sa.Text)
    after: str | None = Field(default=None, sa_type=sa.Text)
    prev_hash: str = Field(max_length=64)
    hash: str = Field(max_length=64)


class AuditHead(SQLModel, table=True):
    """The single row that serialises appends to the chain (locked at commit time)."""

    __tablename__ = "audit_head"

    id: int = Field(default=1, primary_key=True)
    last_seq: int = Field(default=0)
    last_hash: str = Field(default="0" * 64, max_length=64)
