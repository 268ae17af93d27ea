"""Accounts for elected members (role ``member``), made from their row in the register.

The admin or the board's secretary makes the account; the member chooses their password
through a one-time link, as every new user without a password does. A person who sits in
several bodies keeps one account: their other rows are linked to it.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlmodel import Session

from caseflow.auth.models import User
from caseflow.auth.passwords import issue_password_link
from caseflow.auth.services import create_user, get_user_by_email, normalise_email
from caseflow.common import audit
from caseflow.common.errors import ValidationError
from caseflow.common.roles import Role
from caseflow.meetings.models import Organ, OrganMember


def create_member_account(
    session: Session, member: OrganMember, *, email: str | None, link_hours: int, user=None
) -> tuple[User, str | None]:
    """Give ``member`` an account to read the body's meetings and attest protocols with.

    Returns the account and the one-time link's token for choosing a password (None when
    the member already had an account from another body, which is linked instead).
    """
    if member.user_id is not None:
        raise ValidationError(_l("%(name)s already has an account.", name=member.name))
    address = (email or member.email or "").strip()
    if not address:
        raise ValidationError(_l("Give the e-mail address the member logs in with."))
    address = normalise_email(address)
    account = get_user_by_email(session, address)
    token = None
    if account is not None and account.role != Role.MEMBER:
        raise ValidationError(
            _l(
                "%(email)s is the login of a member of staff; an elected member gets an "
                "account of their own.",
                email=address,
            )
        )
    if account is None:
        account = create_user(session, email=address, name=member.name, role=Role.MEMBER)
        token = issue_password_link(session, account, valid_hours=link_hours)
    member.user_id = account.id
    session.add(member)
    session.flush()
    organ = session.get(Organ, member.organ_id)
    audit.record(
        session,
        "organ.member_account",
        organ,
        actor=user,
        after={"member": member.name, "account": account.email, "new": token is not None},
    )
    return account, token


def account_of(session: Session, member: OrganMember) -> User | None:
    return session.get(User, member.user_id) if member.user_id else None
