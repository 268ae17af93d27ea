"""Users, their roles, and the record of failed logins used for throttling."""

from datetime import datetime

import sqlalchemy as sa
from flask_login import UserMixin
from sqlmodel import Field, Relationship, SQLModel

from caseflow.common.roles import Role  # noqa: F401 - stored in User.role
from caseflow.common.timeutil import now
from caseflow.db import UTCDateTime
from caseflow.organisation.models import Unit


class User(UserMixin, SQLModel, table=True):
    __tablename__ = "user_account"

    id: int | None = Field(default=None, primary_key=True)
    email: str = Field(sa_column=sa.Column(sa.String(254), unique=True, nullable=False))
    name: str = Field(max_length=200)
    role: str = Field(max_length=20)
    unit_id: int | None = Field(default=None, foreign_key="org_unit.id", index=True)
    phone: str | None = Field(default=None, max_length=50)
    #: argon2 hash; None for users imported from an old diarium who never logged in here.
    password_hash: str | None = Field(default=None, max_length=255)
    is_enabled: bool = Field(default=True)
    created_at: datetime = Field(default_factory=now, sa_type=UTCDateTime)

    unit: Unit | None = Relationship()

    @property
    def is_active(self) -> bool:  # Flask-Login refuses sessions of inactive users
        return self.is_enabled

    def has_role(self, *roles: str) -> bool:
        return self.role in roles


class LoginAttempt(SQLModel, table=True):
    """A failed login, kept in the database so throttling holds across workers."""

    __tablename__ = "login_attempt"

    id: int | None = Field(default=None, primary_key=True)
    email: str = Field(max_length=254, index=True)
    remote_addr: str = Field(max_length=64, index=True)
    at: datetime = Field(default_factory=now, sa_type=UTCDateTime, index=True)
