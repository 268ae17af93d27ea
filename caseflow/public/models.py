"""The e-diarium's own tables: which files are published, and the change counter its
response cache is keyed by."""

from datetime import datetime

from sqlmodel import Field, SQLModel

from caseflow.common.timeutil import now
from caseflow.db import UTCDateTime


class PublishedFile(SQLModel, table=True):
    """A document whose files a registrar has published in the e-diarium.

    Files are not published by default; a row here says the current files of a public
    document may be downloaded by anyone (and only while the document is not secret and
    its series publishes files from its date on: ``Series.publish_files_from``, else
    ``PUBLIC_FILES_FROM``).
    """

    __tablename__ = "public_file"

    document_id: int = Field(foreign_key="document.id", primary_key=True)
    published_at: datetime = Field(default_factory=now, sa_type=UTCDateTime)
    published_by_id: int | None = Field(default=None, foreign_key="user_account.id")


class PublicGeneration(SQLModel, table=True):
    """One row: a number raised in the same transaction as any change the public pages
    show (cases, documents, parties, series, units, published files). The response cache
    is keyed by it, so no cached page outlives a change."""

    __tablename__ = "public_generation"

    id: int = Field(default=1, primary_key=True)
    value: int = Field(default=0)
