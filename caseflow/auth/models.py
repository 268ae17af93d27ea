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
    """A failed login, or the latest good one of an account from a client.

    Kept in the database so that throttling holds across workers and both databases
    (:mod:`caseflow.auth.throttle` reads them).
    """

    __tablename__ = "login_attempt"

    id: int | None = Field(default=None, primary_key=True)
    #: As typed (lower-cased, cut to 254 characters): unknown addresses are throttled too.
    email: str = Field(max_length=254, index=True)
    #: The client: its IPv4 address or its IPv6 /64 network.
    remote_addr: str = Field(max_length=64, index=True)
    at: datetime = Field(default_factory=now, sa_type=UTCDateTime, index=True)
    #: True: the account logged in from this client at ``at`` (a client it is known from).
    succeeded: bool = Field(default=False)


class UserSession(SQLModel, table=True):
    """A login, kept on the server so that it can be ended before its cookie expires.

    The signed Flask session carries only this row's random id; the user loader accepts
    the cookie while the row exists, is not ended and has been used recently.
    """

    __tablename__ = "user_session"

    id: str = Field(sa_column=sa.Column(sa.String(64), primary_key=True))
    user_id: int = Field(foreign_key="user_account.id", index=True)
    created_at: datetime = Field(default_factory=now, sa_type=UTCDateTime)
    #: Written at most once a minute, not on every request.
    last_seen_at: datetime = Field(default_factory=now, sa_type=UTCDateTime)
    ended_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class PasswordToken(SQLModel, table=True):
    """A one-time link with which a user chooses their own password.

    Only the sha256 of the token is stored: whoever reads the database cannot use a link.
    """

    __tablename__ = "password_token"

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user_account.id", index=True)
    token_hash: str = Field(sa_column=sa.Column(sa.String(64), unique=True, nullable=False))
    created_at: datetime = Field(default_factory=now, sa_type=UTCDateTime)
    expires_at: datetime = Field(sa_type=UTCDateTime)
    used_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    created_by_id: int | None = Field(default=None, foreign_key="user_account.id")
