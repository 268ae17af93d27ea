"""A meeting's basic facts and the rule every change of its protocol passes: its date,
whether it is still open for changes, and the digital attestations a change withdraws."""

from __future__ import annotations

import json
from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import object_session
from sqlmodel import Session

from caseflow.common.errors import NotFound, ValidationError
from caseflow.common.timeutil import LOCAL_TZ, now
from caseflow.meetings.models import AgendaItem, Meeting
from caseflow.meetings.signatures import withdraw_signatures


def lines_of(text: str | None) -> list[str]:
    return [line.strip() for line in (text or "").replace("\r\n", "\n").split("\n") if line.strip()]


def meeting_date(meeting: Meeting) -> date:
    return meeting.starts_at.astimezone(LOCAL_TZ).date()


def get_meeting(session: Session, meeting_id: int) -> Meeting:
    meeting = session.get(Meeting, meeting_id)
    if meeting is None:
        raise NotFound(_l("The meeting does not exist."))
    return meeting


def require_open(meeting: Meeting) -> None:
    if meeting.is_cancelled:
        raise ValidationError(_l("The meeting is cancelled."))
    if meeting.is_attested:
        raise ValidationError(
            _l("The protocol is attested and locked; changes are made as corrections.")
        )


def before_change(meeting: Meeting, user) -> None:
    """Every change of the protocol before justering passes here: allowed while the
    protocol is open, and it withdraws the digital attestations already given (they
    attested another text; see ``caseflow.meetings.justering``)."""
    require_open(meeting)
    withdraw_signatures(object_session(meeting), meeting, user=user)


def has_begun(meeting: Meeting, at: datetime | None = None) -> bool:
    return (at or now()) >= meeting.starts_at


def decision_points(item: AgendaItem) -> list[str]:
    return json.loads(item.decision_points) if item.decision_points else []


def is_final(item: AgendaItem) -> bool:
    """An excerpt may be made: the protocol is attested or the § was declared so at once."""
    return item.meeting.is_attested or item.is_immediately_attested
