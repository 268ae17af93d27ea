"""Which meetings a user may read: the rule is in caseflow.common.permissions, the
meetings' own data (whose cases are on an agenda, which bodies a member sits in) is
looked up here."""

from __future__ import annotations

from sqlmodel import Session, select

from caseflow.cases.models import Case
from caseflow.common.permissions import (
    may_view_meeting,
    reads_every_meeting,
    reads_own_bodies_meetings,
)
from caseflow.meetings.models import AgendaItem, Meeting, OrganMember


def case_officers_on_agenda(session: Session, meeting: Meeting) -> set[int]:
    """The responsible officers of the cases on ``meeting``'s agenda."""
    rows = session.exec(
        select(Case.officer_id)
        .join(AgendaItem, AgendaItem.case_id == Case.id)
        .where(AgendaItem.meeting_id == meeting.id, Case.officer_id.is_not(None))
    ).all()
    return set(rows)


def seated_organ_ids(session: Session, user) -> set[int]:
    """The bodies whose register links an elected member's account (any term)."""
    if getattr(user, "id", None) is None:
        return set()
    return set(
        session.exec(select(OrganMember.organ_id).where(OrganMember.user_id == user.id)).all()
    )


def may_view(session: Session, user, meeting: Meeting) -> bool:
    """Whether ``user`` may read ``meeting`` (see :func:`may_view_meeting`)."""
    if reads_every_meeting(user):
        return True
    return may_view_meeting(
        user,
        case_officers_on_agenda(session, meeting),
        organ_id=meeting.organ_id,
        seated_in=seated_organ_ids(session, user),
    )


def visible_meetings(session: Session, user) -> list[Meeting]:
    """The meetings ``user`` may read, the latest first."""
    query = select(Meeting).order_by(Meeting.starts_at.desc(), Meeting.id.desc())
    if reads_own_bodies_meetings(user):
        query = query.where(Meeting.organ_id.in_(seated_organ_ids(session, user) or {-1}))
    elif not reads_every_meeting(user):
        own = (
            select(AgendaItem.meeting_id)
            .join(Case, AgendaItem.case_id == Case.id)
            .where(Case.officer_id == user.id)
        )
        query = query.where(Meeting.id.in_(own))
    return list(session.exec(query).all())
