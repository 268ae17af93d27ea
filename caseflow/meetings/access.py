"""Which meetings a user may read: the rule is in caseflow.common.permissions, the
meetings' own data (whose cases are on an agenda) is looked up here."""

from __future__ import annotations

from sqlmodel import Session, select

from caseflow.cases.models import Case
from caseflow.common.permissions import may_view_meeting, reads_every_meeting
from caseflow.meetings.models import AgendaItem, Meeting


def case_officers_on_agenda(session: Session, meeting: Meeting) -> set[int]:
    """The responsible officers of the cases on ``meeting``'s agenda."""
    rows = session.exec(
        select(Case.officer_id)
        .join(AgendaItem, AgendaItem.case_id == Case.id)
        .where(AgendaItem.meeting_id == meeting.id, Case.officer_id.is_not(None))
    ).all()
    return set(rows)


def may_view(session: Session, user, meeting: Meeting) -> bool:
    """Whether ``user`` may read ``meeting`` (see :func:`may_view_meeting`)."""
    if reads_every_meeting(user):
        return True
    return may_view_meeting(user, case_officers_on_agenda(session, meeting))


def visible_meetings(session: Session, user) -> list[Meeting]:
    """The meetings ``user`` may read, the latest first."""
    query = select(Meeting).order_by(Meeting.starts_at.desc(), Meeting.id.desc())
    if not reads_every_meeting(user):
        own = (
            select(AgendaItem.meeting_id)
            .join(Case, AgendaItem.case_id == Case.id)
            .where(Case.officer_id == user.id)
        )
        query = query.where(Meeting.id.in_(own))
    return list(session.exec(query).all())
