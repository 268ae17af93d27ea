"""The § numbers of a body's meetings: allocated when a meeting opens, in the order of
the body's meetings, renumbered while that is still allowed."""

from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlmodel import Session, select

from caseflow.common.counters import next_number
from caseflow.common.errors import ValidationError
from caseflow.common.timeutil import LOCAL_TZ
from caseflow.meetings.models import (
    Meeting,
    MeetingStatus,
    ParagraphCounter,
)
from caseflow.meetings.state import meeting_date


def _year_range(year: int) -> tuple[datetime, datetime]:
    return (
        datetime(year, 1, 1, tzinfo=LOCAL_TZ),
        datetime(year + 1, 1, 1, tzinfo=LOCAL_TZ),
    )


def _body_year(session: Session, meeting: Meeting) -> list[Meeting]:
    """The body's meetings in the meeting's year, in time order (the order of the §§)."""
    first, last = _year_range(meeting_date(meeting).year)
    return list(
        session.exec(
            select(Meeting)
            .where(
                Meeting.organ_id == meeting.organ_id,
                Meeting.status != MeetingStatus.CANCELLED,
                Meeting.starts_at >= first,
                Meeting.starts_at < last,
            )
            .order_by(Meeting.starts_at, Meeting.id)
        ).all()
    )


def when_text(meeting: Meeting) -> str:
    return f"{meeting.starts_at.astimezone(LOCAL_TZ):%Y-%m-%d %H.%M}"


def check_order(session: Session, meeting: Meeting) -> None:
    """A meeting never comes before one of the same body and year whose §§ are numbered
    while it has none, nor after one without §§ while it has them."""
    others = [m for m in _body_year(session, meeting) if m.id != meeting.id]
    for other in others:
        earlier = (other.starts_at, other.id) < (meeting.starts_at, meeting.id)
        if earlier and not other.is_opened and meeting.is_opened:
            raise ValidationError(
                _l(
                    "The meeting of %(when)s comes earlier and has not been opened: "
                    "open or cancel it first, so that the §§ follow the meetings' order.",
                    when=when_text(other),
                )
            )
        if not earlier and other.is_opened and not meeting.is_opened:
            raise ValidationError(
                _l(
                    "The meeting of %(when)s comes later and its §§ are numbered already: "
                    "this meeting cannot be placed before it.",
                    when=when_text(other),
                )
            )


def is_last_numbered(session: Session, meeting: Meeting) -> bool:
    """No later meeting of the body has §§ this year: this one's may still change."""
    later = [
        m
        for m in _body_year(session, meeting)
        if m.id != meeting.id
        and m.is_opened
        and (m.starts_at, m.id) > (meeting.starts_at, meeting.id)
    ]
    return not later


def allocate_paragraph(session: Session, organ_id: int, year: int) -> int:
    return next_number(session, ParagraphCounter, organ_id=organ_id, year=year)


def renumber(session: Session, meeting: Meeting) -> None:
    """Give the opened meeting's items their §§ in agenda order, without gaps, and set the
    body's counter to the last; only while no later meeting has §§."""
    year = meeting_date(meeting).year
    numbered = [item.paragraph for item in meeting.items if item.paragraph is not None]
    counter = session.get(ParagraphCounter, (meeting.organ_id, year))
    first = min(numbered) if numbered else (counter.last_number + 1 if counter else 1)
    items = sorted(meeting.items, key=lambda each: each.position)
    # Clear first: two items swapping §§ must not meet on the way.
    for item in items:
        item.paragraph = None
    session.flush()
    for offset, item in enumerate(items):
        item.paragraph = first + offset
    last = first + len(items) - 1
    if counter is None:
        counter = ParagraphCounter(organ_id=meeting.organ_id, year=year, last_number=0)
        session.add(counter)
    counter.last_number = last
    session.flush()


def require_changeable_numbers(session: Session, meeting: Meeting) -> None:
    if meeting.is_opened and not is_last_numbered(session, meeting):
        raise ValidationError(
            _l(
                "A later meeting of %(organ)s has its §§ already, so the §§ here can no "
                "longer change: record under the § what happened instead.",
                organ=meeting.organ.name,
            )
        )


def renumber_positions(meeting: Meeting) -> None:
    for position, item in enumerate(sorted(meeting.items, key=lambda e: e.position), start=1):
        item.position = position
