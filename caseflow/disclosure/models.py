"""Requests for public documents (begäran om allmän handling) and what was asked for."""

from datetime import date, datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlmodel import Field, Relationship, SQLModel

from caseflow.common.timeutil import now
from caseflow.db import UTCDateTime


class RequestStatus(StrEnum):
    RECEIVED = "received"
    UNDER_REVIEW = "under_review"
    DECIDED = "decided"
    DELIVERED = "delivered"
    CLOSED = "closed"

    @classmethod
    def open_states(cls) -> tuple[str, ...]:
        """Requests the authority still owes an answer or a delivery."""
        return (cls.RECEIVED, cls.UNDER_REVIEW, cls.DECIDED)


class Delivery(StrEnum):
    EMAIL = "email"
    POST = "post"
    PICKUP = "pickup"
    ON_SITE = "on_site"


class Outcome(StrEnum):
    RELEASED = "released"
    REDACTED = "redacted"
    REFUSED = "refused"
    #: What the requester described is not a document the authority holds: an answer,
    #: not a refusal under secrecy (only for an item in the requester's own words).
    NOT_HELD = "not_held"


class DocumentRequestCounter(SQLModel, table=True):
    """The last request number of a year (BEG-2026-0001): gap-free, like case numbers."""

    __tablename__ = "document_request_counter"

    year: int = Field(primary_key=True)
    last_number: int = Field(default=0)


class DocumentRequest(SQLModel, table=True):
    """Anyone's request to see public documents, handled skyndsamt (TF 2 kap. 15 §)."""

    __tablename__ = "document_request"
    __table_args__ = (sa.UniqueConstraint("year", "seq", name="uq_document_request_year_seq"),)

    id: int | None = Field(default=None, primary_key=True)
    year: int
    seq: int
    #: BEG-2026-0001: what the requester and the registrar call the request.
    number: str = Field(max_length=30, unique=True)
    #: sha256 of the requester's private link token; the token itself is never stored.
    token_hash: str = Field(max_length=64, unique=True)
    status: str = Field(default=RequestStatus.RECEIVED, max_length=20, index=True)
    received_at: datetime = Field(default_factory=now, sa_type=UTCDateTime)
    received_on: date
    #: The last day the law's "skyndsamt" allows (DISCLOSURE_DEADLINE_WORKING_DAYS).
    due_on: date = Field(index=True)
    #: Optional: the requester may stay anonymous (TF 2 kap. 18 §).
    requester_name: str | None = Field(default=None, max_length=200)
    delivery: str = Field(max_length=10)
    email: str | None = Field(default=None, max_length=254)
    postal_address: str | None = Field(default=None, max_length=500)
    #: The random part of the public form's token it was sent with: one form, one request
    #: (sending the same form again finds this one). None for requests from the mail queue.
    form_nonce: str | None = Field(default=None, max_length=32, unique=True)
    #: "web" (the public form) or "mail" (turned from a mail in the registrar's queue).
    source: str = Field(default="web", max_length=10)
    mail_id: int | None = Field(default=None, foreign_key="mail_message.id")
    case_id: int | None = Field(default=None, foreign_key="case_file.id", index=True)
    #: Who reviews secrecy: the case's officer; None means the registrars.
    assigned_to_id: int | None = Field(default=None, foreign_key="user_account.id", index=True)
    #: The registrar's own notes: never shown to the requester.
    internal_note: str | None = Field(default=None, sa_type=sa.Text)
    #: Pages of the released files and the fee they cost (avgiftsförordningen 15–16 §§).
    pages: int | None = None
    fee: int | None = None
    #: The day staff recorded the fee as paid (DISCLOSURE_REQUIRE_PAYMENT_BEFORE_DELIVERY
    #: makes delivery of paid copies wait for it).
    fee_paid_on: date | None = None
    decided_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    delivered_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    #: Why the last delivery by e-mail failed (a mailer code), None when it did not.
    delivery_error: str | None = Field(default=None, max_length=30)
    delivery_attempted_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    written_decision_asked_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    written_decision_id: int | None = Field(default=None, foreign_key="document.id")
    closed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)

    items: list["DocumentRequestItem"] = Relationship(
        back_populates="request",
        sa_relationship_kwargs={"order_by": "DocumentRequestItem.id"},
    )

    @property
    def is_open(self) -> bool:
        return self.status in RequestStatus.open_states()

    def is_overdue(self, today: date) -> bool:
        """Not yet decided although its deadline has passed."""
        return self.status in (RequestStatus.RECEIVED, RequestStatus.UNDER_REVIEW) and (
            self.due_on < today
        )

    @property
    def fee_unpaid(self) -> bool:
        """A fee is owed and its payment not yet recorded."""
        return bool(self.fee) and self.fee_paid_on is None

    @property
    def refused_items(self) -> list["DocumentRequestItem"]:
        return [i for i in self.items if i.outcome == Outcome.REFUSED]


class DocumentRequestItem(SQLModel, table=True):
    """One thing asked for: a registered document, or the requester's own words."""

    __tablename__ = "document_request_item"

    id: int | None = Field(default=None, primary_key=True)
    request_id: int = Field(foreign_key="document_request.id", index=True)
    document_id: int | None = Field(default=None, foreign_key="document.id", index=True)
    #: What the requester wrote they want, when not a registered document.
    wanted: str | None = Field(default=None, max_length=2000)
    outcome: str | None = Field(default=None, max_length=10)
    #: The OSL provision a refusal or a redaction rests on (e.g. "OSL 21 kap. 1 §").
    provision: str | None = Field(default=None, max_length=200)
    #: The redacted copy, registered as a document of its own in the case.
    redacted_document_id: int | None = Field(default=None, foreign_key="document.id")
    #: Pages counted by staff where a file's pages cannot be counted (not a PDF).
    page_count: int | None = None
    decided_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    decided_by_id: int | None = Field(default=None, foreign_key="user_account.id")

    request: DocumentRequest = Relationship(back_populates="items")
