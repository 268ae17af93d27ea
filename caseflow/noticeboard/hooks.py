"""What the notice board does when something happens to a meeting (registered on
``caseflow.meetings.hooks`` in this package's ``init_app``).

- *Attested*: the notice is posted the same day, through the meetings' ``post_notice``
  (KL 8 kap. 12 §: no later than two days after justering), unless the secretary
  recorded the day it was posted already.
- *Notice posted*: the notice of the protocol goes up from that day, with the protocol's
  public version.
- *Kallelse sent*: the meeting is announced (kungörelse) with its public agenda.
- *A delegated decision's notice posted*: its notice goes up from that day.

``NOTICEBOARD_AUTO_POST = False`` leaves the first and the last to a manager.
"""

from __future__ import annotations

from flask import current_app
from sqlmodel import Session

from caseflow.common.timeutil import today
from caseflow.documents.storage import file_store
from caseflow.meetings.models import Meeting
from caseflow.meetings.state import meeting_date
from caseflow.noticeboard import services


def _auto() -> bool:
    return bool(current_app.config.get("NOTICEBOARD_AUTO_POST", True))


def post_at_justering(session: Session, meeting: Meeting, *, user) -> None:
    if meeting.notice_posted_on is not None:
        services.post_protocol_notice(session, file_store(), meeting, user=user)
    elif _auto():
        from caseflow.meetings.attestation import post_notice

        # The notice_posted hook below puts the notice up.
        post_notice(session, meeting, posted_on=today(), user=user)


def post_with_notice_date(session: Session, meeting: Meeting, *, user) -> None:
    services.post_protocol_notice(session, file_store(), meeting, user=user)


def post_delegated_decision(session: Session, decision, *, user) -> None:
    services.post_delegated_notice(session, decision, user=user)


def announce_with_summons(session: Session, meeting: Meeting, *, user) -> None:
    # A kallelse for a meeting already held (recorded afterwards) announces nothing.
    if _auto() and meeting_date(meeting) >= today():
        services.announce_meeting(session, file_store(), meeting, user=user)
