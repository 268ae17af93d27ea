"""Logins kept on the server: a copied session cookie stops working when the login ends.

The signed Flask session holds the random id of a :class:`UserSession` row. Logging out
ends that row; a new password or a deactivation ends all of the user's rows; a row
unused for ``SESSION_IDLE_MINUTES`` is no longer accepted.
"""

from __future__ import annotations

import secrets
from datetime import timedelta

import sqlalchemy as sa
from sqlmodel import Session

from caseflow.auth.models import User, UserSession
from caseflow.common.timeutil import now
from caseflow.db import WRITE_OPTION, get_engine, new_session

#: Key of the login's id in the signed Flask session.
SESSION_KEY = "caseflow_sid"
#: last_seen_at is written at most this often: a request does not cost a write.
TOUCH_INTERVAL = timedelta(minutes=1)


def start_user_session(session: Session, user: User) -> str:
    """Record a new login of ``user``; returns its id for the Flask session."""
    row = UserSession(id=secrets.token_urlsafe(32), user_id=user.id)
    session.add(row)
    session.flush()
    return row.id


def end_user_session(session: Session, session_id: str | None) -> None:
    """End one login (logging out)."""
    if session_id:
        session.execute(
            sa.update(UserSession)
            .where(UserSession.id == session_id, UserSession.ended_at.is_(None))
            .values(ended_at=now())
        )


def end_sessions_of(session: Session, user: User, *, except_id: str | None = None) -> None:
    """End every login of ``user`` but ``except_id`` (new password, deactivation)."""
    query = sa.update(UserSession).where(
        UserSession.user_id == user.id, UserSession.ended_at.is_(None)
    )
    if except_id:
        query = query.where(UserSession.id != except_id)
    session.execute(query.values(ended_at=now()))


def active_session_user(
    session: Session, session_id: str | None, user_id: int, *, idle_minutes: int
) -> User | None:
    """The user of a login that is still valid: not ended, not idle too long, and its
    user active. Keeps ``last_seen_at`` fresh (at most once a minute)."""
    if not session_id:
        return None
    row = session.get(UserSession, session_id)
    moment = now()
    if (
        row is None
        or row.user_id != user_id
        or row.ended_at is not None
        or row.last_seen_at <= moment - timedelta(minutes=idle_minutes)
    ):
        return None
    user = session.get(User, user_id)
    if user is None or not user.is_enabled:
        return None
    if row.last_seen_at <= moment - TOUCH_INTERVAL:
        _touch(session, session_id, moment)
    return user


def _touch(session: Session, session_id: str, moment) -> None:
    statement = (
        sa.update(UserSession).where(UserSession.id == session_id).values(last_seen_at=moment)
    )
    if session.get_bind().get_execution_options().get(WRITE_OPTION):
        session.execute(statement)  # the request writes anyway: one transaction
        return
    # A reading request on SQLite holds a read snapshot that cannot safely turn into a
    # write; a short transaction of its own does (and PostgreSQL does not mind either).
    with new_session(get_engine(), write=True) as own:
        own.execute(statement)
        own.commit()


#: Ended or idle logins are kept this long (for questions about who was logged in), then
#: forgotten by the scheduler's daily job.
KEEP_ENDED_SESSIONS = timedelta(days=30)


def forget_old_sessions(session: Session, *, at=None) -> int:
    """Delete the logins that ended, or were last used, more than 30 days before ``at``."""
    before = (at or now()) - KEEP_ENDED_SESSIONS
    last_used = sa.func.coalesce(UserSession.ended_at, UserSession.last_seen_at)
    result = session.execute(sa.delete(UserSession).where(last_used < before))
    return result.rowcount or 0
