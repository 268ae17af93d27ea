"""The search index's tables.

``search_entry`` holds one row per searchable thing — a case, a document, a message in the
mail queue — with the columns the search page filters on, and its words as *stemmed
tokens* (one tokeniser and Swedish Snowball stemmer in Python feed both databases, so
both find the same hits): ``open_text`` with what every reader who may open the thing
sees, ``held_text`` with what only holders of its secrets see (secret titles and
counterparts, protected persons, a secret document's file text), ``public_text`` with what
the public may read in the e-diarium.

The full-text index over those three columns is not a model: on SQLite an FTS5 table
``search_fts`` (external content, kept in step by triggers), on PostgreSQL generated
``tsvector`` columns with GIN indexes — made by migrations 0024–0025 and invisible to SQLModel.

``file_text`` is the text extracted from a stored file (by its sha256: the file store is
content-addressed, so a file registered twice is read once), or why there is none.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from caseflow.common.timeutil import now
from caseflow.db import UTCDateTime


class EntryKind(StrEnum):
    CASE = "case"
    DOCUMENT = "document"
    #: A message in the registrar's mail queue (not yet a document).
    MESSAGE = "message"


class SearchEntry(SQLModel, table=True):
    __tablename__ = "search_entry"
    __table_args__ = (
        sa.UniqueConstraint("kind", "target_id", name="uq_search_entry_kind_target_id"),
        sa.Index("ix_search_entry_dated_on_id", "dated_on", "id"),
        sa.Index("ix_search_entry_series_code_dated_on_id", "series_code", "dated_on", "id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=10)
    #: Case.id, Document.id or MailMessage.id, by ``kind``.
    target_id: int
    #: The case the thing belongs to (the case itself for a case); None in löpande post
    #: and the mail queue. Decides, with the officer, who holds its secrets.
    case_id: int | None = Field(default=None, index=True)
    officer_id: int | None = Field(default=None, index=True)
    series_code: str | None = Field(default=None, max_length=20)
    year: int | None = Field(default=None)
    status: str | None = Field(default=None, max_length=30)
    #: incoming / outgoing / internal for documents.
    direction: str | None = Field(default=None, max_length=10)
    unit_id: int | None = Field(default=None)
    class_id: int | None = Field(default=None)
    #: The date the search page orders and filters by: a case's opened_on, a document's
    #: date, a message's receipt.
    dated_on: date | None = Field(default=None)
    is_voided: bool = Field(default=False)
    #: The number shown and matched exactly (RS/720/2021, RS/720/2021-3).
    number: str | None = Field(default=None, max_length=60, index=True)
    open_text: str = Field(default="", sa_type=sa.Text)
    held_text: str = Field(default="", sa_type=sa.Text)
    #: What the public may read in the e-diarium (the PUBLIC projection: public titles,
    #: organisations, no private persons, personnummer masked); '' for the mail queue.
    public_text: str = Field(
        default="", sa_type=sa.Text, sa_column_kwargs={"server_default": sa.text("''")}
    )
    indexed_at: datetime = Field(default_factory=now, sa_type=UTCDateTime)


class TextStatus(StrEnum):
    PENDING = "pending"
    DONE = "done"
    #: A file with no text layer (a scanned image): OCR is out of scope.
    NO_TEXT = "no_text"
    UNSUPPORTED = "unsupported"
    TOO_LARGE = "too_large"
    FAILED = "failed"


class FileText(SQLModel, table=True):
    __tablename__ = "file_text"

    sha256: str = Field(primary_key=True, foreign_key="file_blob.sha256", max_length=64)
    status: str = Field(default=TextStatus.PENDING, max_length=12, index=True)
    #: Why there is no text (a code, shown translated), for ``caseflow search status``.
    reason: str | None = Field(default=None, max_length=500)
    text: str | None = Field(default=None, sa_type=sa.Text)
    mime_type: str | None = Field(default=None, max_length=255)
    size: int | None = Field(default=None)
    attempts: int = Field(default=0)
    queued_at: datetime = Field(default_factory=now, sa_type=UTCDateTime)
    extracted_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


def is_full_text_index(name: str | None, type_: str) -> bool:
    """Whether a reflected table or column belongs to the full-text index that migrations
    0024 and 0025 make outside the models (FTS5's table and its shadow tables, the tsvector
    columns and their indexes): schema comparisons leave them out."""
    name = name or ""
    if type_ == "table":
        return name == "search_fts" or name.startswith("search_fts_")
    if type_ in ("column", "index"):
        return name.endswith("_tsv")
    return False
