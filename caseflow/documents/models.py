"""Documents (handlingar), their files, and the content-addressed blobs behind them."""

from datetime import date, datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlmodel import Field, Relationship, SQLModel

from caseflow.common.timeutil import now
from caseflow.db import UTCDateTime
from caseflow.parties.models import Party


class Direction(StrEnum):
    INCOMING = "incoming"
    OUTGOING = "outgoing"
    INTERNAL = "internal"


_DOCUMENT_VERSION = sa.Column("version", sa.Integer, nullable=False)


class Document(SQLModel, table=True):
    """A registered document. The OSL 5 kap. 2 § fields are required at registration."""

    __tablename__ = "document"
    __table_args__ = (
        sa.UniqueConstraint("case_id", "seq", name="uq_document_case_id_seq"),
        # The day's list of what was registered (the public postlista).
        sa.Index("ix_document_registered_at_id", "registered_at", "id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    #: None while the document is löpande post, registered without a case.
    case_id: int | None = Field(default=None, foreign_key="case_file.id")
    #: Running number within the case (3 in RS/720/2021-3); given when it joins a case.
    seq: int | None = None
    direction: str = Field(max_length=10)
    #: "In brief what it concerns" (OSL 5:2).
    title: str = Field(max_length=500)
    title_is_secret: bool = Field(default=False)
    #: Sender (incoming) or recipient (outgoing); the colleague drawing up an internal one.
    counterpart: str = Field(max_length=300)
    counterpart_email: str | None = Field(default=None, max_length=254)
    counterpart_is_secret: bool = Field(default=False)
    #: The sender or recipient in the parties register; ``counterpart`` keeps the text
    #: the document was registered with, also after the party is corrected or merged.
    party_id: int | None = Field(default=None, foreign_key="party.id", index=True)
    #: The whole document is secret (its files are only shown to those granted).
    is_secret: bool = Field(default=False)
    #: The provision behind any secrecy marked on this document, e.g. "OSL 21 kap. 1 §".
    secrecy_provision: str | None = Field(default=None, max_length=200)
    kind: str | None = Field(default=None, max_length=100)
    #: The date printed on the document itself.
    document_date: date | None = None
    #: The date it was received (incoming) or drawn up (outgoing, internal): OSL 5:2.
    received_on: date
    message_id: str | None = Field(default=None, max_length=998, index=True)
    registered_at: datetime = Field(default_factory=now, sa_type=UTCDateTime)
    registered_by_id: int | None = Field(default=None, foreign_key="user_account.id")
    voided_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    voided_by_id: int | None = Field(default=None, foreign_key="user_account.id")
    void_reason: str | None = Field(default=None, max_length=500)
    #: Set on the voided entry a move leaves behind: the document that now has this number's
    #: content (its old number resolves to it).
    moved_to_id: int | None = Field(default=None, foreign_key="document.id")
    #: The number the document got when it was moved (None: back to löpande post).
    moved_to_number: str | None = Field(default=None, max_length=60)
    version: int | None = Field(default=None, sa_column=_DOCUMENT_VERSION)

    __mapper_args__ = {"version_id_col": _DOCUMENT_VERSION}

    party: Party | None = Relationship()
    files: list["DocumentFile"] = Relationship(
        back_populates="document",
        sa_relationship_kwargs={"order_by": "DocumentFile.id"},
    )

    @property
    def is_voided(self) -> bool:
        return self.voided_at is not None

    @property
    def is_moved_entry(self) -> bool:
        """The voided entry left under the old number of a moved document."""
        return self.moved_to_id is not None

    @property
    def is_generated(self) -> bool:
        """Made by caseflow from a template (a memo, an excerpt), not received or uploaded."""
        return any(f.template_id is not None for f in self.files)

    @property
    def has_secrets(self) -> bool:
        return self.is_secret or self.title_is_secret or self.counterpart_is_secret


class FileBlob(SQLModel, table=True):
    """Stored bytes, named by their sha256; written once and never changed."""

    __tablename__ = "file_blob"

    sha256: str = Field(primary_key=True, max_length=64)
    size: int
    created_at: datetime = Field(default_factory=now, sa_type=UTCDateTime)


class DocumentFile(SQLModel, table=True):
    """A file of a document. A changed file is a new row with a higher version."""

    __tablename__ = "document_file"

    id: int | None = Field(default=None, primary_key=True)
    document_id: int = Field(foreign_key="document.id", index=True)
    sha256: str = Field(foreign_key="file_blob.sha256", max_length=64, index=True)
    #: The uploaded name made safe: no folders, no device names, readable letters kept.
    filename: str = Field(max_length=255)
    mime_type: str = Field(max_length=255)
    size: int
    #: 1 for the first file of this name in the document, then 2, 3 … for new versions.
    file_version: int = Field(default=1)
    uploaded_at: datetime = Field(default_factory=now, sa_type=UTCDateTime)
    uploaded_by_id: int | None = Field(default=None, foreign_key="user_account.id")
    #: The template version a generated file was made with (None: uploaded, not generated).
    template_id: int | None = Field(default=None, foreign_key="document_template.id")
    #: The file this one is a new version of ("Ersätt fil"); the older one stays.
    replaces_id: int | None = Field(default=None, foreign_key="document_file.id")

    document: Document = Relationship(back_populates="files")
