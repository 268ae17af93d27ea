"""The password rule, hashing, and the one-time links with which a user chooses one.

Every path that sets a password — ``caseflow user add`` and ``set-password``, the admin
pages, the link page, a user's own change — hashes it with :func:`hash_password`, which
applies the one rule in :func:`check_password`.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Iterable
from datetime import timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask_babel import lazy_gettext as _l
from sqlmodel import Session, delete, select
from zxcvbn import zxcvbn

from caseflow.auth.models import PasswordToken, User
from caseflow.auth.sessions import end_sessions_of
from caseflow.common import audit
from caseflow.common.crypto import token_digest
from caseflow.common.errors import ValidationError
from caseflow.common.timeutil import now

password_hasher = PasswordHasher()
MIN_PASSWORD_LENGTH = 12
MAX_PASSWORD_LENGTH = 1024
#: zxcvbn scores 0–4. Below 3 are the passwords of its common-password list (30 000 from
#: real leaks), dictionary words with digits or years appended, keyboard walks and
#: repeats: what an attacker tries first.
MIN_STRENGTH = 3
#: zxcvbn refuses longer input; a password is judged by its first 72 characters.
_JUDGED_LENGTH = 72


def check_password(password: str | None, *, user_inputs: Iterable[str | None] = ()) -> None:
    """Refuse a password that is too short or too common (``user_inputs``: the user's
    name and e-mail, which do not make a password either)."""
    password = password or ""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ValidationError(
            _l("The password must have at least %(count)s characters.", count=MIN_PASSWORD_LENGTH)
        )
    if len(password) > MAX_PASSWORD_LENGTH:
        raise ValidationError(
            _l("The password may have at most %(count)s characters.", count=MAX_PASSWORD_LENGTH)
        )
    hints = [
        word
        for value in user_inputs
        if value
        for word in re.split(r"[\s@._+-]+", value.lower())
        if len(word) >= 3
    ]
    if zxcvbn(password[:_JUDGED_LENGTH], user_inputs=hints)["score"] < MIN_STRENGTH:
        raise ValidationError(
            _l(
                "This password is among the common ones or too easy to guess. Choose a "
                "longer one, for example a few words that do not belong together."
            )
        )


def hash_password(password: str | None, *, user_inputs: Iterable[str | None] = ()) -> str:
    """The argon2 hash of a password that passes :func:`check_password`."""
    check_password(password, user_inputs=user_inputs)
    return password_hasher.hash(password)


def password_matches(user: User, password: str | None) -> bool:
    """Whether ``password`` is the user's current password."""
    if not user.password_hash:
        return False
    try:
        return password_hasher.verify(user.password_hash, password or "")
    except (VerificationError, InvalidHashError):
        return False


def set_password(
    session: Session, user: User, password: str, *, keep_session_id: str | None = None
) -> User:
    """Give ``user`` a new password and end their logins (all but ``keep_session_id``:
    the one a user changing their own password goes on in)."""
    had_password = user.password_hash is not None
    user.password_hash = hash_password(password, user_inputs=(user.name, user.email))
    # A link handed out earlier must not set another password after this one.
    _drop_open_links(session, user)
    end_sessions_of(session, user, except_id=keep_session_id)
    session.flush()
    # Never the hash: only that the password was set.
    audit.record(
        session,
        "user.set_password",
        user,
        before={"has_password": had_password},
        after={"has_password": True},
    )
    return user


def change_own_password(
    session: Session, user: User, *, current: str, new: str, session_id: str | None
) -> User:
    """A user's own change: the current password first; their other logins end."""
    if not password_matches(user, current):
        raise ValidationError(_l("The current password is not right."))
    return set_password(session, user, new, keep_session_id=session_id)


def _drop_open_links(session: Session, user: User) -> None:
    session.exec(
        delete(PasswordToken).where(
            PasswordToken.user_id == user.id, PasswordToken.used_at.is_(None)
        )
    )


def issue_password_link(session: Session, user: User, *, valid_hours: int) -> str:
    """A new one-time token for ``user`` to choose a password with; earlier unused
    tokens stop working. Only its hash is stored: the caller shows the token once."""
    token = secrets.token_urlsafe(32)
    _drop_open_links(session, user)
    actor = audit.current_actor()
    expires_at = now() + timedelta(hours=valid_hours)
    session.add(
        PasswordToken(
            user_id=user.id,
            token_hash=token_digest(token),
            expires_at=expires_at,
            created_by_id=getattr(actor, "id", None),
        )
    )
    session.flush()
    audit.record(session, "user.password_link", user, after={"expires_at": expires_at})
    return token


def user_for_token(session: Session, token: str) -> tuple[PasswordToken, User]:
    """The unused, unexpired token and its user; refused with one message otherwise, so
    that a wrong link reveals nothing about accounts."""
    row = session.exec(
        select(PasswordToken).where(PasswordToken.token_hash == token_digest(token or ""))
    ).first()
    if row is None or row.used_at is not None or row.expires_at <= now():
        raise ValidationError(
            _l("This link is not valid (any more). Ask an administrator for a new one.")
        )
    return row, session.get(User, row.user_id)


def set_password_with_token(session: Session, token: str, password: str) -> User:
    """Choose a password through a one-time link; the link is used up."""
    row, user = user_for_token(session, token)
    check_password(password, user_inputs=(user.name, user.email))
    row.used_at = now()  # used first, so that set_password's clearing of open links keeps it
    session.add(row)
    session.flush()
    return set_password(session, user, password)
