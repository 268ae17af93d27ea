"""The daily digest: each officer's and manager's overdue and upcoming deadlines."""

from __future__ import annotations

from datetime import date, timedelta
from email.message import EmailMessage

import sqlalchemy as sa
from flask import current_app
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from sqlmodel import Session, select

from caseflow.auth.models import Role, User
from caseflow.cases.models import Case, CaseStatus
from caseflow.common import projection
from caseflow.common.calendar import add_months, undecided_too_long
from caseflow.common.counters import insert_ignoring_conflict
from caseflow.common.mailer import default_sender, render_body
from caseflow.common.timeutil import now
from caseflow.meetings.attestation import deadlines_of
from caseflow.meetings.models import Meeting, MeetingStatus
from caseflow.meetings.state import meeting_date
from caseflow.reminders.models import DigestSent

UPCOMING_DAYS = 7

#: Lines other domains add to the digest: ``section(session, user, today) -> [str]``.
_sections: list = []
#: People other domains add to those who get a digest: ``finder(session) -> [User]``.
_recipient_finders: list = []


def register_digest_section(section) -> None:
    """Let a domain add its own lines (from its ``init_app``) without reminders importing
    it; the same section is registered once."""
    if section not in _sections:
        _sections.append(section)


def register_digest_recipients(finder) -> None:
    """Let a domain name more people who get a digest (e.g. the registrars, who answer
    for the deadlines of requests for documents); the same finder is registered once.
    They get a digest only on a day one of the sections has lines for them."""
    if finder not in _recipient_finders:
        _recipient_finders.append(finder)


def digest_lines(session: Session, user: User, today: date) -> list[str]:
    """The lines of one person's digest, in the current locale; empty when nothing needs
    their attention."""
    lines = []
    open_cases = session.exec(
        select(Case)
        .where(
            Case.officer_id == user.id,
            Case.voided_at.is_(None),
            Case.status.in_(CaseStatus.open_states()),
        )
        .order_by(Case.due_on, Case.opened_on)
    ).all()
    for case in open_cases:
        if case.due_on and case.due_on < today:
            lines.append(
                _l("Overdue: %(case)s (reminder %(due)s)", case=label(case), due=case.due_on)
            )
        elif case.due_on and case.due_on <= today + timedelta(days=UPCOMING_DAYS):
            lines.append(_l("Soon: %(case)s (reminder %(due)s)", case=label(case), due=case.due_on))
        if case.status in CaseStatus.undecided_states() and undecided_too_long(
            case.opened_on, today
        ):
            lines.append(
                _l(
                    "Undecided for over six months (FL 12 §): %(case)s (opened %(opened)s, "
                    "six months %(limit)s)",
                    case=label(case),
                    opened=case.opened_on,
                    limit=add_months(case.opened_on, 6),
                )
            )
    if user.role == Role.MANAGER:
        for meeting in session.exec(
            select(Meeting).where(Meeting.status != MeetingStatus.ATTESTED)
        ).all():
            due = deadlines_of(meeting).attestation_due
            if due <= today + timedelta(days=UPCOMING_DAYS):
                lines.append(
                    _l(
                        "Attestation: %(organ)s %(date)s is to be attested by %(due)s",
                        organ=meeting.organ.name,
                        date=meeting_date(meeting),
                        due=due,
                    )
                )
        for meeting in session.exec(
            select(Meeting).where(
                Meeting.status == MeetingStatus.ATTESTED, Meeting.notice_posted_on.is_(None)
            )
        ).all():
            lines.append(
                _l(
                    "Notice: %(organ)s %(date)s is to be posted by %(due)s",
                    organ=meeting.organ.name,
                    date=meeting_date(meeting),
                    due=deadlines_of(meeting).notice_due,
                )
            )
    for section in _sections:
        lines.extend(section(session, user, today))
    return [str(line) for line in lines]


def label(case: Case) -> str:
    """A case as an e-mail may name it: the number and the title fit for e-mail."""
    return f"{case.number} {projection.case_title(case, projection.EMAIL)}"


def digest_recipients(session: Session) -> list[User]:
    """The people who get a digest: active officials and managers, and whoever the
    registered finders name (each person once, disabled accounts never)."""
    found = {
        user.id: user
        for user in session.exec(
            select(User).where(User.is_enabled, User.role.in_([Role.OFFICIAL, Role.MANAGER]))
        ).all()
    }
    for finder in _recipient_finders:
        for user in finder(session):
            if user.is_enabled:
                found.setdefault(user.id, user)
    return [found[user_id] for user_id in sorted(found)]


def claim_digest(session: Session, user: User, day: date) -> bool:
    """Record that ``user``'s digest for ``day`` is being sent; False if already done."""
    return insert_ignoring_conflict(
        session,
        DigestSent.__table__,
        {"user_id": user.id, "day": day, "sent_at": now()},
        ["user_id", "day"],
    )


def release_claim(session: Session, user: User, day: date) -> None:
    """Forget the claim of a digest that could not be sent, so the next run tries again."""
    session.execute(
        sa.delete(DigestSent).where(DigestSent.user_id == user.id, DigestSent.day == day)
    )
    session.flush()


def digest_message(user: User, day: date, lines: list[str]) -> EmailMessage:
    config = current_app.config
    message = EmailMessage()
    message["From"] = default_sender()
    message["To"] = user.email
    with force_locale(config["BABEL_DEFAULT_LOCALE"]):
        message["Subject"] = str(_l("caseflow: your reminders %(day)s", day=day.isoformat()))
    message["Auto-Submitted"] = "auto-generated"
    message.set_content(render_body("digest.txt", name=user.name, lines=lines))
    return message
