"""Legal deadlines around a meeting (kommunallagen), counted as the law counts them.

- Justering: the protocol is attested no later than 14 days after the meeting
  (KL 5 kap. 69 §).
- Anslag: that it has been attested is announced on the notice board no later than two
  days after justering (KL 8 kap. 12 §).
- Laglighetsprövning: an appeal must arrive within three weeks of the day the notice was
  posted (KL 13 kap. 5 §).

A period ending on a day off ends on the next weekday: :mod:`caseflow.common.calendar`
counts the days.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from caseflow.common.calendar import deadline

ATTESTATION_DAYS = 14
NOTICE_DAYS = 2
APPEAL_DAYS = 21


@dataclass(frozen=True)
class MeetingDeadlines:
    attestation_due: date
    notice_due: date | None
    appeal_ends: date | None


def meeting_deadlines(
    meeting_date: date, attested_on: date | None, notice_posted_on: date | None
) -> MeetingDeadlines:
    return MeetingDeadlines(
        attestation_due=deadline(meeting_date, ATTESTATION_DAYS),
        notice_due=deadline(attested_on, NOTICE_DAYS) if attested_on else None,
        appeal_ends=deadline(notice_posted_on, APPEAL_DAYS) if notice_posted_on else None,
    )
