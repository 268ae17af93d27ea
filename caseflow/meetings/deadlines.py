"""Legal deadlines around a meeting (kommunallagen), counted as the law counts them.

- Justering: the protocol is attested no later than 14 days after the meeting
  (KL 5 kap. 69 §).
- Anslag: that it has been attested is announced on the notice board no later than two
  days after justering (KL 8 kap. 12 §).
- Laglighetsprövning: an appeal must arrive within three weeks of the day the notice was
  posted (KL 13 kap. 5 §).
- Lag (1930:173) om beräkning av lagstadgad tid: a period that ends on a Saturday, Sunday,
  other public holiday, midsommarafton, julafton or nyårsafton ends on the next weekday.
- FL 12 §: a case not decided within six months may be taken to court to force a
  decision; such cases are flagged.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

import holidays

ATTESTATION_DAYS = 14
NOTICE_DAYS = 2
APPEAL_DAYS = 21
UNDECIDED_MONTHS = 6


@lru_cache(maxsize=64)
def _public_holidays(year: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays("SE", years=year, include_sundays=False))


def _is_eve(day: date) -> bool:
    midsummer_eve = day.month == 6 and 19 <= day.day <= 25 and day.weekday() == 4
    return midsummer_eve or (day.month, day.day) in ((12, 24), (12, 31))


def is_weekday(day: date) -> bool:
    """A day a deadline may end on: not a weekend, public holiday or one of the three eves."""
    return day.weekday() < 5 and day not in _public_holidays(day.year) and not _is_eve(day)


def deadline(start: date, days: int) -> date:
    """``days`` after ``start``, moved to the next weekday when it ends on a day off."""
    end = start + timedelta(days=days)
    while not is_weekday(end):
        end += timedelta(days=1)
    return end


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


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later, or the month's last day (31 Aug + 6 → 28/29 Feb)."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for candidate in (day.day, 30, 29, 28):
        try:
            return date(year, month, candidate)
        except ValueError:
            continue
    raise AssertionError("unreachable")


def undecided_too_long(opened_on: date, today: date) -> bool:
    """Open six months or more without a decision (FL 12 §)."""
    return today >= add_months(opened_on, UNDECIDED_MONTHS)
