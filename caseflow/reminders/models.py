"""What the scheduler has already done, so a job that runs twice does nothing twice."""

from datetime import date, datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from caseflow.common.timeutil import now
from caseflow.db import UTCDateTime


class DigestSent(SQLModel, table=True):
    __tablename__ = "digest_sent"
    __table_args__ = (sa.UniqueConstraint("user_id", "day", name="uq_digest_sent_user_day"),)

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user_account.id")
    day: date
    sent_at: datetime = Field(default_factory=now, sa_type=UTCDateTime)
