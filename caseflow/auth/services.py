"""Creating users, checking passwords, and throttling failed logins."""

from __future__ import annotations

from datetime import timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from email_validator import EmailNotValidError, validate_email
from flask_babel import lazy_gettext as _l
from sqlmodel import Session, delete, func, select

from caseflow.auth.models import LoginAttempt, Role, User
from caseflow.common import audit
from caseflow.common.errors import ValidationError
from caseflow.common.permissions import OFFICER_ROLES
from caseflow.common.timeutil import now
from caseflow.organisation.models import Unit

_hasher = PasswordHasher()
#: Verified against when the account does not exist, so timing does not reveal accounts.
_DUMMY_HASH = _hasher.hash("not a real password")
MIN_PASSWORD_LENGTH = 10


class LoginThrottled(Exception):
    """Too many failed logins; try again later."""


def hash_password(password: str) -> str:
    if len(password or "") < MIN_PASSWORD_LENGTH:
        raise ValidationError(
            _l("The password must have at least %(count)s characters.", count=MIN_PASSWORD_LENGTH)
        )
    return _hasher.hash(password)


def normalise_email(email: str) -> str:
    try:
        return validate_email((email or "").strip(), check_deliverability=False).normalized.lower()
    except EmailNotValidError as exc:
        raise ValidationError(
            _l("»%(email)s« is not a valid e-mail address.", email=email)
        ) from exc


def user_snapshot(user: User) -> dict:
    return {
        "email": user.email,
        "name": user.name,
        "role": user.role,
        "unit": user.unit.name if user.unit_id and user.unit else None,
        "enabled": user.is_enabled,
    }


def get_user_by_email(session: Session, email: str) -> User | None:
    return session.exec(select(User).where(User.email == (email or "").strip().lower())).first()


def responsible_officers(session: Session) -> list[tuple[int, str, str | None]]:
    """(id, name, unit) of everyone who may be responsible for a case, by name.

    Columns only, no ORM rows: it fills the officer choices of every form.
    """
    return list(
        session.exec(
            select(User.id, User.name, Unit.name)
            .outerjoin(Unit, Unit.id == User.unit_id)
            .where(User.role.in_(OFFICER_ROLES), User.is_enabled)
            .order_by(User.name)
        ).all()
    )


def create_user(
    session: Session,
    *,
    email: str,
    name: str,
    role: str,
    password: str | None = None,
    unit: Unit | None = None,
    phone: str | None = None,
    is_enabled: bool = True,
) -> User:
    email = normalise_email(email)
    if role not in set(Role):
        raise ValidationError(
            _l(
                "Unknown role »%(role)s«; choose one of %(roles)s.",
                role=role,
                roles=", ".join(r.value for r in Role),
            )
        )
    if not (name or "").strip():
        raise ValidationError(_l("Give the user's name."))
    if get_user_by_email(session, email):
        raise ValidationError(_l("There is already a user with the e-mail %(email)s.", email=email))
    user = User(
        email=email,
        name=name.strip(),
        role=role,
        unit_id=unit.id if unit else None,
        phone=phone,
        password_hash=hash_password(password) if password else None,
        is_enabled=is_enabled,
    )
    session.add(user)
    session.flush()
    audit.record(session, "user.create", user, after=user_snapshot(user))
    return user


def set_user_enabled(session: Session, user: User, enabled: bool) -> User:
    before = user_snapshot(user)
    user.is_enabled = enabled
    session.flush()
    audit.record(session, "user.update", user, before=before, after=user_snapshot(user))
    return user


def _recent_failures(session: Session, column, value, window: timedelta) -> int:
    return session.exec(
        select(func.count())
        .select_from(LoginAttempt)
        .where(column == value, LoginAttempt.at > now() - window)
    ).one()


def authenticate(
    session: Session,
    email: str,
    password: str,
    *,
    remote_addr: str,
    max_failures: int = 5,
    window_seconds: int = 900,
) -> User | None:
    """Return the user when the password is right; record and throttle failures."""
    email = (email or "").strip().lower()
    window = timedelta(seconds=window_seconds)
    if (
        _recent_failures(session, LoginAttempt.email, email, window) >= max_failures
        or _recent_failures(session, LoginAttempt.remote_addr, remote_addr, window)
        >= 4 * max_failures
    ):
        raise LoginThrottled()
    user = get_user_by_email(session, email)
    try:
        _hasher.verify(
            user.password_hash if user and user.password_hash else _DUMMY_HASH, password or ""
        )
        ok = user is not None and user.password_hash is not None and user.is_enabled
    except (VerificationError, InvalidHashError):
        ok = False
    if not ok:
        session.add(LoginAttempt(email=email, remote_addr=remote_addr))
        return None
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = _hasher.hash(password)
    session.exec(delete(LoginAttempt).where(LoginAttempt.email == email))
    audit.record(session, "user.login", user, actor=user)
    return user
