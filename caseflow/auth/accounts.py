"""An account's life: deactivation (with the hand-over of open work), reactivation, and
the activation of officers imported from an old diarium.

Open cases and reminders belong to higher domains than auth. Rather than import them,
auth offers a hand-over hook: a domain that keeps work on a person registers, in its
``init_app``, what that person still has open and how to move it to a successor (the
reminders domain does so for cases and their reminders). The rule — whoever has open
work must name a successor — stays here; the work itself is moved by its owner.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from flask import current_app, has_app_context
from flask_babel import lazy_gettext as _l
from sqlmodel import Session, select

from caseflow.auth.models import User
from caseflow.auth.passwords import issue_password_link, set_password
from caseflow.auth.services import require_another_admin, user_snapshot
from caseflow.auth.sessions import end_sessions_of
from caseflow.common import audit
from caseflow.common.errors import ValidationError
from caseflow.common.permissions import OFFICER_ROLES

_HANDOVER_KEY = "caseflow.auth.handover"


@dataclass(frozen=True)
class Handover:
    """What a domain keeps on a person: ``open_work(session, user)`` lists it in words
    (empty when nothing is open); ``hand_over(session, user, successor)`` moves it."""

    open_work: Callable[[Session, User], list[str]]
    hand_over: Callable[[Session, User, User], None]


def register_handover(app, handover: Handover) -> None:
    """Called by a domain's ``init_app``: its open work follows a deactivated user's successor."""
    app.extensions.setdefault(_HANDOVER_KEY, []).append(handover)


def _handovers() -> list[Handover]:
    return current_app.extensions.get(_HANDOVER_KEY, []) if has_app_context() else []


#: Which users a list shows: all, active, deactivated, or imported and never activated.
USER_FILTERS = {
    "all": (),
    "active": (User.is_enabled,),
    "inactive": (User.is_enabled.is_(False), User.password_hash.is_not(None)),
    "not_activated": (User.is_enabled.is_(False), User.password_hash.is_(None)),
}


def list_users(session: Session, show: str = "all") -> list[User]:
    """The users of one of :data:`USER_FILTERS`, by name."""
    return list(session.exec(select(User).where(*USER_FILTERS[show]).order_by(User.name)).all())


def open_work_of(session: Session, user: User) -> list[str]:
    """Everything ``user`` still has open, one line per kind (open cases, reminders…)."""
    return [line for h in _handovers() for line in h.open_work(session, user)]


def possible_successors(session: Session, user: User) -> list[User]:
    """Who may take over a user's open work: active officers other than the user."""
    return list(
        session.exec(
            select(User)
            .where(User.role.in_(OFFICER_ROLES), User.is_enabled, User.id != user.id)
            .order_by(User.name)
        ).all()
    )


def deactivate_user(
    session: Session, user: User, *, successor: User | None = None, actor: User | None = None
) -> User:
    """Deactivate ``user``: their logins end at once and their open work goes to
    ``successor`` (required when they have any)."""
    if not user.is_enabled:
        raise ValidationError(_l("%(name)s is already deactivated.", name=user.name))
    if actor is not None and actor.id == user.id:
        raise ValidationError(_l("You cannot deactivate yourself."))
    require_another_admin(session, user)
    if successor is not None:
        if successor not in possible_successors(session, user):
            raise ValidationError(
                _l(
                    "%(name)s cannot take over the open work: choose an active officer.",
                    name=successor.name,
                )
            )
        for handover in _handovers():
            handover.hand_over(session, user, successor)
    elif open_work := open_work_of(session, user):
        raise ValidationError(
            _l(
                "%(name)s still has open work (%(work)s): choose who takes it over.",
                name=user.name,
                work="; ".join(str(line) for line in open_work),
            )
        )
    before = user_snapshot(user)
    user.is_enabled = False
    end_sessions_of(session, user)
    session.flush()
    after = user_snapshot(user)
    if successor is not None:
        after["work_to"] = successor.email
    audit.record(session, "user.deactivate", user, before=before, after=after)
    return user


def reactivate_user(session: Session, user: User) -> User:
    """Let a deactivated user log in again (with the password they had)."""
    if user.is_enabled:
        raise ValidationError(_l("%(name)s is already active.", name=user.name))
    if is_not_activated(user):
        raise ValidationError(
            _l("%(name)s has never been activated: give them a password or a link.", name=user.name)
        )
    before = user_snapshot(user)
    user.is_enabled = True
    session.flush()
    audit.record(session, "user.reactivate", user, before=before, after=user_snapshot(user))
    return user


def is_not_activated(user: User) -> bool:
    """An officer imported from the old diarium who has never had a login here."""
    return not user.is_enabled and user.password_hash is None


def activate_user(
    session: Session, user: User, *, password: str | None = None, link_hours: int | None = None
) -> str | None:
    """Activate an imported officer: with a password now, or with a one-time link the
    admin hands over (returned). Exactly one of ``password`` and ``link_hours``."""
    if not is_not_activated(user):
        raise ValidationError(_l("%(name)s has already been activated.", name=user.name))
    if (password is None) == (link_hours is None):
        raise ValidationError(_l("Give a password or ask for a link, not both."))
    before = user_snapshot(user)
    user.is_enabled = True
    token = None
    if password is not None:
        set_password(session, user, password)
    else:
        token = issue_password_link(session, user, valid_hours=link_hours)
    session.flush()
    audit.record(session, "user.activate", user, before=before, after=user_snapshot(user))
    return token
