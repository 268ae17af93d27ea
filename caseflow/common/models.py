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
    #: The event's link: HMAC-SHA256 under the audit key (scheme 2), or for the events
    #: written before the trail was keyed a plain SHA-256 (scheme 1).
    hash: str = Field(max_length=64)
    #: How ``hash`` was computed: 1 unkeyed (before the seal), 2 keyed.
    scheme: int = Field(default=1, sa_column_kwargs={"server_default": "1"})
    #: Which key computed ``hash`` (``audit_key.AuditKey.key_id``); None for scheme 1.
    key_id: str | None = Field(default=None, max_length=16)


class AuditHead(SQLModel, table=True):
    """The single row that serialises appends to the chain (locked at commit time)."""

    __tablename__ = "audit_head"

    id: int = Field(default=1, primary_key=True)
    last_seq: int = Field(default=0)
    last_hash: str = Field(default="0" * 64, max_length=64)
    #: The seal: the head when keying started. The events up to ``sealed_seq`` were
    #: written without a key and are checked by the old rule up to ``sealed_hash``; every
    #: later event must be keyed with ``key_id``. ``seal_mac`` is keyed: nobody without the
    #: key can move the seal. None until the first keyed event.
    sealed_seq: int | None = None
    sealed_hash: str | None = Field(default=None, max_length=64)
    key_id: str | None = Field(default=None, max_length=16)
    seal_mac: str | None = Field(default=None, max_length=64)
