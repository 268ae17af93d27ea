"""The parties register (kontaktregister): organisations and persons, reused by cases,
documents and mail intake."""

from datetime import datetime
from enum import StrEnum
from typing import Optional

import sqlalchemy as sa
from sqlmodel import Field, Relationship, SQLModel

from caseflow.common.timeutil import now
from caseflow.db import UTCDateTime


class PartyKind(StrEnum):
    ORGANISATION = "organisation"
    PERSON = "person"


class Party(SQLModel, table=True):
    """An organisation or a person. A merged duplicate stays, pointing at the one kept."""

    __tablename__ = "party"

    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=12)
    name: str = Field(max_length=200, index=True)
    #: Stored lower-cased: intake looks a sender up by it (an indexed equality).
    email: str | None = Field(default=None, max_length=254, index=True)
    phone: str | None = Field(default=None, max_length=50)
    #: A person's organisation.
    organisation_id: int | None = Field(default=None, foreign_key="party.id", index=True)
    #: Skyddade personuppgifter: the identity is shown only to those who may see secrets.
    is_protected: bool = Field(default=False, sa_column_kwargs={"server_default": sa.false()})
    #: Organisationsnummer, NNNNNN-NNNN when Swedish (check digit validated).
    org_number: str | None = Field(default=None, max_length=30)
    #: ISO 3166 country of a foreign organisation; None for a Swedish one.
    country: str | None = Field(default=None, max_length=2)
    postal_address: str | None = Field(default=None, sa_type=sa.Text)
    #: Set when this party was merged into another: registrations point there now.
    merged_into_id: int | None = Field(default=None, foreign_key="party.id")
    created_at: datetime = Field(default_factory=now, sa_type=UTCDateTime)
    updated_at: datetime = Field(default_factory=now, sa_type=UTCDateTime)

    organisation: Optional["Party"] = Relationship(
        sa_relationship_kwargs={
            "remote_side": "Party.id",
            "foreign_keys": "[Party.organisation_id]",
        }
    )
    domains: list["PartyDomain"] = Relationship(
        sa_relationship_kwargs={"order_by": "PartyDomain.domain", "cascade": "all, delete-orphan"}
    )

    @property
    def is_person(self) -> bool:
        return self.kind == PartyKind.PERSON

    @property
    def is_foreign(self) -> bool:
        return self.country is not None

    @property
    def organisation_name(self) -> str | None:
        return self.organisation.name if self.organisation is not None else None

    @property
    def label(self) -> str:
        """As a registrar writes it: "Susanna Löfgren, Länsstyrelsen Jämtlands län".

        Unmasked: anything shown to a reader goes through ``projection.party_label``.
        """
        return ", ".join(p for p in (self.name, self.organisation_name) if p)


class PartyDomain(SQLModel, table=True):
    """An e-mail domain of an organisation: mail from it is proposed as theirs."""

    __tablename__ = "party_domain"

    id: int | None = Field(default=None, primary_key=True)
    organisation_id: int = Field(foreign_key="party.id", index=True)
    #: Lower-case, e.g. "lansstyrelsen.se"; one organisation per domain.
    domain: str = Field(sa_column=sa.Column(sa.String(253), unique=True, nullable=False))
