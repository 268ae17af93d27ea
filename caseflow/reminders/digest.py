"""The daily digest: each officer's and manager's overdue and upcoming deadlines."""

from __future__ import annotations

import smtplib
from datetime import date, timedelta
from email.message import EmailMessage

import sqlalchemy as sa
from flask import current_app
from sqlmodel import Session, select

from caseflow.auth.models import Role, User
from caseflow.cases.models import Case, CaseStatus
from caseflow.common.calendar import add_months, undecided_too_long
from caseflow.common.counters import insert_ignoring_conflict
from caseflow.common.timeutil import now
from caseflow.meetings.models import Meeting, MeetingStatus
from caseflow.meetings.services import deadlines_of, meeting_date
from caseflow.reminders.models import DigestSent

UPCOMING_DAYS = 7
UNDECIDED = (
    CaseStatus.REGISTERED,
    CaseStatus.IN_PREPARATION,
    CaseStatus.IN_REVIEW,
    CaseStatus.APPROVED,
    CaseStatus.ON_AGENDA,
)


def digest_lines(session: Session, user: User, today: date) -> list[str]:
    """The lines of one person's digest; empty when nothing needs their attention."""
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
            lines.append(f"Försenat: {case.number} {case.title} (bevakning {case.due_on})")
        elif case.due_on and case.due_on <= today + timedelta(days=UPCOMING_DAYS):
            lines.append(f"Snart: {case.number} {case.title} (bevakning {case.due_on})")
        if case.status in UNDECIDED and undecided_too_long(case.opened_on, today):
            lines.append(
                f"Obeslutat i över sex månader (FL 12 §): {case.number} {case.title} "
                f"(öppnat {case.opened_on}, sex månader {add_months(case.opened_on, 6)})"
            )
    if user.role == Role.MANAGER:
        for meeting in session.exec(
            select(Meeting).where(Meeting.status != MeetingStatus.ATTESTED)
        ).all():
            due = deadlines_of(meeting).attestation_due
            if due <= today + timedelta(days=UPCOMING_DAYS):
                lines.append(
                    f"Justering: {meeting.organ.name} {meeting_date(meeting)} ska "
                    f"justeras senast {due}"
                )
        for meeting in session.exec(
            select(Meeting).where(
                Meeting.status == MeetingStatus.ATTESTED, Meeting.notice_posted_on.is_(None)
            )
        ).all():
            lines.append(
                f"Anslag: {meeting.organ.name} {meeting_date(meeting)} ska anslås "
                f"senast {deadlines_of(meeting).notice_due}"
            )
    return lines


def send_daily_digests(session: Session, today: date) -> dict[str, int]:
    """Send today's digest to each officer and manager once; a second run sends nothing."""
    config = current_app.config
    counts = {"sent": 0, "skipped": 0, "empty": 0, "failed": 0}
    users = session.exec(
        select(User).where(User.is_enabled, User.role.in_([Role.OFFICIAL, Role.MANAGER]))
    ).all()
    for user in users:
        lines = digest_lines(session, user, today)
        if not lines:
            counts["empty"] += 1
            continue
        claimed = insert_ignoring_conflict(
            session,
            DigestSent.__table__,
            {"user_id": user.id, "day": today, "sent_at": now()},
            ["user_id", "day"],
        )
        session.commit()  # claim first: a crash after the claim skips one digest, never repeats it
        if not claimed:
            counts["skipped"] += 1
            continue
        message = EmailMessage()
        message["From"] = config["MAIL_FROM"]
        message["To"] = user.email
        message["Subject"] = f"caseflow: dina bevakningar {today}"
        message["Auto-Submitted"] = "auto-generated"
        message.set_content("Hej " + user.name + ",\n\n" + "\n".join(lines) + "\n")
        try:
            with smtplib.SMTP(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=30) as smtp:
                smtp.send_message(message)
        except (OSError, smtplib.SMTPException):
            session.execute(
                sa.delete(DigestSent).where(DigestSent.user_id == user.id, DigestSent.day == today)
            )
            session.commit()  # unclaim, so the next run tries again
            counts["failed"] += 1
        else:
            counts["sent"] += 1
    return counts
