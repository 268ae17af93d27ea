"""Requests for documents in the daily digest (:mod:`caseflow.reminders.digest`).

"Skyndsamt" leaves a day or two, so the digest names each request on its last day and
every day after it. The reviewer (the case's officer) is told of the requests assigned to
them. The registrars keep the register and answer for every request's deadline: they
handle those without a case or officer themselves and chase the officers of the others,
so their digest names every request due today or overdue, and who reviews it. Registered
from :func:`caseflow.disclosure.init_app`; the reminders never import this domain.
"""

from __future__ import annotations

from datetime import date

from flask_babel import lazy_gettext as _l
from sqlmodel import Session, select

from caseflow.auth.models import User
from caseflow.common.roles import Role
from caseflow.disclosure.queries import due_today_requests, overdue_requests


def registrars(session: Session) -> list[User]:
    """Who gets a digest for the requests besides the officials and managers."""
    return list(
        session.exec(select(User).where(User.is_enabled, User.role == Role.REGISTRAR)).all()
    )


def _keeps_the_register(user: User) -> bool:
    return user.role == Role.REGISTRAR


def digest_lines(session: Session, user: User, today: date) -> list[str]:
    """The requests due today or overdue that ``user`` is to act on, one line each."""
    if not _keeps_the_register(user):
        return [
            str(_l("Request for documents overdue: %(number)s (due %(due)s)", **_facts(r)))
            for r in overdue_requests(session, today, assigned_to=user.id)
        ] + [
            str(_l("Request for documents due today: %(number)s", **_facts(r)))
            for r in due_today_requests(session, today, assigned_to=user.id)
        ]
    overdue = overdue_requests(session, today)
    due = due_today_requests(session, today)
    names = _reviewers(session, overdue + due)
    return [
        str(
            _l(
                "Request for documents overdue: %(number)s (due %(due)s), reviewed by %(reviewer)s",
                reviewer=names[r.assigned_to_id],
                **_facts(r),
            )
        )
        for r in overdue
    ] + [
        str(
            _l(
                "Request for documents due today: %(number)s, reviewed by %(reviewer)s",
                reviewer=names[r.assigned_to_id],
                **_facts(r),
            )
        )
        for r in due
    ]


def _facts(request) -> dict:
    return {"number": request.number, "due": request.due_on.isoformat()}


def _reviewers(session: Session, requests) -> dict:
    """Each reviewer's name by id; None, a request without an officer: the registrars."""
    names = {None: str(_l("the registrars"))}
    for request in requests:
        if request.assigned_to_id not in names:
            names[request.assigned_to_id] = session.get(User, request.assigned_to_id).name
    return names
