"""The authority itself: its profile and its organisational units (enheter)."""

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from caseflow.common.timeutil import now
from caseflow.db import UTCDateTime

#: The profile is one row; its id is fixed so that two admins saving at once update it.
PROFILE_ID = 1


class OrganisationProfile(SQLModel, table=True):
    """Who the authority is: printed on every generated document and e-mail, and in the header."""

    __tablename__ = "organisation_profile"

    id: int = Field(default=PROFILE_ID, primary_key=True)
    name: str = Field(max_length=200)
    #: Organisationsnummer, e.g. 232100-0214, stored as entered after validation.
    org_number: str | None = Field(default=None, max_length=20)
    postal_address: str | None = Field(default=None, max_length=500)
    phone: str | None = Field(default=None, max_length=50)
    email: str | None = Field(default=None, max_length=254)
    web: str | None = Field(default=None, max_length=200)
    logo: bytes | None = Field(default=None, sa_column=sa.Column(sa.LargeBinary, nullable=True))
    #: image/png or image/jpeg, checked from the file's own bytes.
    logo_type: str | None = Field(default=None, max_length=20)
    updated_at: datetime = Field(default_factory=now, sa_type=UTCDateTime)


class Unit(SQLModel, table=True):
    """An organisational unit (enhet); units may sit inside others."""

    __tablename__ = "org_unit"

    id: int | None = Field(default=None, primary_key=True)
    #: Unique across the authority, so that a name alone says which unit is meant.
    name: str = Field(max_length=200)
    #: The name case-folded: unique, so that "Näringsliv" and "näringsliv" are one unit.
    name_key: str = Field(sa_column=sa.Column(sa.String(200), unique=True, nullable=False))
    parent_id: int | None = Field(default=None, foreign_key="org_unit.id", index=True)
    is_active: bool = Field(default=True)
    created_at: datetime = Field(default_factory=now, sa_type=UTCDateTime)

    def __str__(self) -> str:
        return self.name
