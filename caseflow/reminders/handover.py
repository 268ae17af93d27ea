"""When an officer is deactivated, their open cases — and the reminders that ride on them
(a case's ``due_on`` reaches whoever is its officer in the daily digest) — go to a
successor.

This lives here, above both auth and cases, and is registered with auth's hand-over hook
in :func:`caseflow.reminders.init_app`: auth decides *that* open work must be handed over,
this module knows *what* is open and moves it through the cases domain's own correction
service, so that each moved case gets its before/after audit event on its timeline.
"""

from __future__ import annotations

from flask import current_app
from flask_babel import force_locale, gettext
from flask_babel import lazy_gettext as _l
from sqlmodel import Session, func, select

from caseflow.auth.accounts import Handover
from caseflow.auth.models import User
from caseflow.cases.models import Case, CaseStatus
from caseflow.cases.services import update_case


def _open_cases_of(user: User) -> tuple:
    return (
        Case.officer_id == user.id,
        Case.voided_at.is_(None),
        Case.status.in_(CaseStatus.open_states()),
    )


def open_work(session: Session, user: User) -> list:
    """The user's open cases and the reminders among them, in words; empty if none."""
    cases, reminders = session.exec(
        select(func.count(Case.id), func.count(Case.due_on)).where(*_open_cases_of(user))
    ).one()
    lines = []
    if cases:
        lines.append(_l("open cases: %(count)s", count=cases))
    if reminders:
        lines.append(_l("reminders: %(count)s", count=reminders))
    return lines


def hand_over(session: Session, user: User, successor: User) -> None:
    """Make ``successor`` the officer of each of ``user``'s open cases (audited per case)."""
    # The reason is stored in the case's history: written in the organisation's language.
    with force_locale(current_app.config["BABEL_DEFAULT_LOCALE"]):
        reason = gettext(
            "%(name)s was deactivated; the open cases were handed over to %(successor)s.",
            name=user.name,
            successor=successor.name,
        )
    for case in session.exec(select(Case).where(*_open_cases_of(user)).order_by(Case.id)).all():
        update_case(
            session, case, expected_version=case.version, officer_id=successor.id, reason=reason
        )


HANDOVER = Handover(open_work=open_work, hand_over=hand_over)
