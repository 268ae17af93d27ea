"""Versions of document templates; every generated file remembers the version it used."""

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from caseflow.common.timeutil import now
from caseflow.db import UTCDateTime


class DocumentTemplate(SQLModel, table=True):
    """One version of a template kind ("memo", "excerpt"). The highest active version is used."""

    __tablename__ = "document_template"
    __table_args__ = (
        sa.UniqueConstraint("kind", "version", name="uq_document_template_kind_version"),
    )

    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=32, index=True)
    version: int
    #: The template's bytes in the file store.
    sha256: str = Field(foreign_key="file_blob.sha256", max_length=64)
    filename: str = Field(max_length=255)
    #: True for the version shipped in document_templates/.
    is_builtin: bool = Field(default=False)
    is_active: bool = Field(default=True)
    note: str | None = Field(default=None, max_length=500)
    uploaded_at: datetime = Field(default_factory=now, sa_type=UTCDateTime)
    uploaded_by_id: int | None = Field(default=None, foreign_key="user_account.id")
