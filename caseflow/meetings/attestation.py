"""Justering on paper and the notice on the anslagstavla: the protocol is attested, then
locked, and the appeal period runs from the notice."""

from __future__ import annotations

from datetime import date

from flask_babel import lazy_gettext as _l
from sqlmodel import Session

from caseflow.common import audit
from caseflow.common.errors import ValidationError
from caseflow.common.timeutil import today
from caseflow.meetings.deadlines import meeting_deadlines
from caseflow.meetings.hooks import run_meeting_hooks
from caseflow.meetings.models import (
    Meeting,
    MeetingStatus,
)
from caseflow.meetings.signatures import close_digital_justering
from caseflow.meetings.state import lines_of, meeting_date, require_open


def check_attestable(meeting: Meeting) -> None:
    """The protocol may be attested: the meeting was opened, is not attested or cancelled,
    and every case on it has its decision."""
    require_open(meeting)
    if not meeting.is_opened:
        raise ValidationError(_l("Open the meeting first."))
    undecided = [i.paragraph for i in meeting.items if i.has_case and i.decision_kind is None]
    if undecided:
        raise ValidationError(
            _l("No decision for § %(paragraphs)s.", paragraphs=", ".join(map(str, undecided)))
        )


def attest(
    session: Session,
    meeting: Meeting,
    *,
    attested_on: date,
    attested_by: str,
    notice_posted_on: date | None = None,
    user,
) -> Meeting:
    """Record justering: who attested and when. The protocol is then locked."""
    check_attestable(meeting)
    if attested_on < meeting_date(meeting):
        raise ValidationError(_l("The protocol cannot be attested before the meeting."))
    if attested_on > today():
        raise ValidationError(_l("Justering is recorded once it has taken place, not ahead."))
    if notice_posted_on is not None and notice_posted_on < attested_on:
        raise ValidationError(_l("The notice cannot be posted before the attestation."))
    if notice_posted_on is not None and notice_posted_on > today():
        raise ValidationError(_l("The notice is recorded once it is posted, not ahead."))
    names = lines_of(attested_by)
    if not names:
        raise ValidationError(_l("Give who attested the protocol."))
    close_digital_justering(session, meeting, user=user)
    meeting.status = MeetingStatus.ATTESTED
    meeting.attested_on = attested_on
    meeting.attested_by = "\n".join(names)
    meeting.notice_posted_on = notice_posted_on
    session.flush()
    audit.record(
        session,
        "meeting.attest",
        meeting,
        actor=user,
        after={
            "attested_on": attested_on,
            "attested_by": names,
            "notice_posted_on": notice_posted_on,
        },
    )
    # The notice board posts the protocol's notice (see caseflow.noticeboard).
    run_meeting_hooks(session, "attested", meeting, user=user)
    return meeting


def post_notice(session: Session, meeting: Meeting, *, posted_on: date, user) -> Meeting:
    """Record the day the attested protocol's notice was posted: the appeal period (and
    so legal force) runs from it."""
    if not meeting.is_attested:
        raise ValidationError(
            _l("The protocol must be attested before it is posted on the notice board.")
        )
    if posted_on < meeting.attested_on:
        raise ValidationError(_l("The notice cannot be posted before the attestation."))
    if posted_on > today():
        raise ValidationError(_l("The notice is recorded once it is posted, not ahead."))
    meeting.notice_posted_on = posted_on
    session.flush()
    audit.record(session, "meeting.notice", meeting, actor=user, after={"posted_on": posted_on})
    run_meeting_hooks(session, "notice_posted", meeting, user=user)
    return meeting


def deadlines_of(meeting: Meeting):
    return meeting_deadlines(meeting_date(meeting), meeting.attested_on, meeting.notice_posted_on)
