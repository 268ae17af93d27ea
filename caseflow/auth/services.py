"""Creating and editing users, and checking passwords (throttled: :mod:`.throttle`)."""

from __future__ import annotations

from argon2.exceptions import InvalidHashError, VerificationError
from email_validator import EmailNotValidError, validate_email
from flask_babel import lazy_gettext as _l
from sqlmodel import Session, func, select

from caseflow.auth import throttle
from caseflow.auth.models import Role, User
from caseflow.auth.passwords import hash_password, password_hasher
from caseflow.auth.units import set_unit, unit_of
from caseflow.common import audit
from caseflow.common.errors import ValidationError
from caseflow.common.permissions import OFFICER_ROLES
from caseflow.organisation.models import Unit

#: Verified against when the account does not exist, so timing does not reveal accounts.
_DUMMY_HASH = password_hasher.hash("not a real password")


class LoginThrottled(Exception):
    """An attempt before its wait was over; ``seconds`` is what is left of it."""

    def __init__(self, seconds: int):
        super().__init__(seconds)
        self.seconds = seconds


def normalise_email(email: str) -> str:
    try:
        return validate_email((email or "").strip(), check_deliverability=False).normalized.lower()
    except EmailNotValidError as exc:
        raise ValidationError(
            _l("»%(email)s« is not a valid e-mail address.", email=email)
        ) from exc


def user_snapshot(user: User) -> dict:
    """What the audit trail records of a user (never the password hash)."""
    return {
        "email": user.email,
        "name": user.name,
        "role": user.role,
        "unit": unit_of(user),
        "phone": user.phone,
        "enabled": user.is_enabled,
        "has_password": user.password_hash is not None,
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
    """Add a user; without a password they cannot log in until they are given one."""
    email = normalise_email(email)
    _check_role(role)
    name = _check_name(name)
    if get_user_by_email(session, email):
        raise ValidationError(_l("There is already a user with the e-mail %(email)s.", email=email))
    user = User(
        email=email,
        name=name,
        role=role,
        unit_id=unit.id if unit else None,
        phone=(phone or "").strip() or None,
        password_hash=hash_password(password, user_inputs=(name, email)) if password else None,
        is_enabled=is_enabled,
    )
    session.add(user)
    session.flush()
    audit.record(session, "user.create", user, after=user_snapshot(user))
    return user


def _check_role(role: str) -> None:
    if role not in set(Role):
        raise ValidationError(
            _l(
                "Unknown role »%(role)s«; choose one of %(roles)s.",
                role=role,
                roles=", ".join(r.value for r in Role),
            )
        )


def _check_name(name: str | None) -> str:
    if not (name or "").strip():
        raise ValidationError(_l("Give the user's name."))
    return name.strip()


def other_active_admins(session: Session, user: User) -> int:
    """How many active administrators there are besides ``user``."""
    return session.exec(
        select(func.count())
        .select_from(User)
        .where(User.role == Role.ADMIN, User.is_enabled, User.id != user.id)
    ).one()


def require_another_admin(session: Session, user: User) -> None:
    """Refuse to leave caseflow without an active administrator."""
    if user.role == Role.ADMIN and user.is_enabled and other_active_admins(session, user) == 0:
        raise ValidationError(
            _l(
                "%(name)s is the last active administrator and can be neither deactivated "
                "nor given another role. Make someone else an administrator first.",
                name=user.name,
            )
        )


def update_user(
    session: Session,
    user: User,
    *,
    name: str,
    email: str,
    role: str,
    unit: Unit | None = None,
    phone: str | None = None,
) -> User:
    """Correct a user's name, e-mail, role, unit and phone (audited before/after)."""
    email = normalise_email(email)
    _check_role(role)
    name = _check_name(name)
    other = get_user_by_email(session, email)
    if other is not None and other.id != user.id:
        raise ValidationError(_l("There is already a user with the e-mail %(email)s.", email=email))
    if role != user.role:
        require_another_admin(session, user)
    before = user_snapshot(user)
    user.name, user.email, user.role = name, email, role
    user.phone = (phone or "").strip() or None
    set_unit(user, unit)
    after = user_snapshot(user)
    if after != before:
        session.flush()
        audit.record(session, "user.update", user, before=before, after=after)
    return user


def set_role(session: Session, user: User, role: str) -> User:
    """Give ``user`` another role (the last active admin keeps theirs)."""
    return update_user(
        session,
        user,
        name=user.name,
        email=user.email,
        role=role,
        unit=user.unit,
        phone=user.phone,
    )


def _looks_like_an_address(text: str) -> bool:
    local, _, domain = text.partition("@")
    return bool(local) and "." in domain and not any(c.isspace() for c in text)


def authenticate(
    session: Session,
    email: str,
    password: str,
    *,
    client: str,
    rules: throttle.Rules | None = None,
) -> User | None:
    """Return the user when the password is right; record failures and refuse an attempt
    that comes before its wait is over (:mod:`caseflow.auth.throttle`), without checking
    its password. Failures, refusals and logins are audited."""
    rules = rules or throttle.Rules()
    email = throttle.account_key(email)
    user = get_user_by_email(session, email)
    # What was typed is kept only when it looks like an address: not a password typed
    # into the wrong field.
    seen = {"email": email if _looks_like_an_address(email) else None, "client": client}
    wait = throttle.wait_before_login(session, email, client, rules)
    if wait is not None:
        after = {**seen, "wait_seconds": wait.seconds, "rule": wait.rule}
        audit.record(session, "user.login_throttled", user, after=after)
        raise LoginThrottled(wait.seconds)
    try:
        password_hasher.verify(
            user.password_hash if user and user.password_hash else _DUMMY_HASH, password or ""
        )
        ok = user is not None and user.password_hash is not None and user.is_enabled
    except (VerificationError, InvalidHashError):
        ok = False
    if not ok:
        throttle.record_failure(session, email, client)
        audit.record(session, "user.login_failed", user, after=seen)
        return None
    if password_hasher.check_needs_rehash(user.password_hash):
        user.password_hash = password_hasher.hash(password)
    throttle.record_success(session, email, client, rules)
    audit.record(session, "user.login", user, actor=user, after={"client": client})
    return user
