"""Legal day counts: months as the law counts them, Swedish days off, FL 12 §'s six months.

A leaf module (it imports nothing of caseflow's) so that every domain counts the same way:
the meetings' deadlines, the dashboard, the case list and the daily digest.

- Lag (1930:173) om beräkning av lagstadgad tid: a period that ends on a Saturday, Sunday,
  other public holiday, midsommarafton, julafton or nyårsafton ends on the next weekday.
- A period of months ends on the day of the month with the start day's number, or on the
  month's last day when it has no such day (31 August + 6 months = 28 February).
- FL 12 §: a case not decided within six months may be taken to court to force a
  decision; such cases are flagged.
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache

import holidays

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


def add_working_days(start: date, working_days: int) -> date:
    """The day ``working_days`` working days after ``start`` (0: ``start`` itself, or the
    next working day when it is a day off)."""
    day = start
    while not is_weekday(day):
        day += timedelta(days=1)
    for _ in range(working_days):
        day += timedelta(days=1)
        while not is_weekday(day):
            day += timedelta(days=1)
    return day


def deadline(start: date, days: int) -> date:
    """``days`` after ``start``, moved to the next weekday when it ends on a day off."""
    end = start + timedelta(days=days)
    while not is_weekday(end):
        end += timedelta(days=1)
    return end


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


def six_months_after(opened_on: date) -> date:
    """The last day of FL 12 §'s six months for a case opened on ``opened_on``."""
    return add_months(opened_on, UNDECIDED_MONTHS)


def undecided_too_long(opened_on: date, today: date) -> bool:
    """Whether a case opened on ``opened_on`` and still undecided is flagged on ``today``.

    FL 12 § speaks of a case not decided *within* six months; the six months run out at the
    end of their last day (:func:`six_months_after`), and a decision made on that day is
    still in time. So a case is too long undecided from the day AFTER: opened 2021-08-31,
    the six months end 2022-02-28 and the case is flagged from 2022-03-01.
    """
    return today > six_months_after(opened_on)


def latest_opening_too_long(today: date) -> date:
    """The last opening day of a case that :func:`undecided_too_long` flags on ``today``.

    For queries: ``opened_on <= latest_opening_too_long(today)`` selects exactly the cases
    the rule flags. Months are not reversible (31 August and 28 August both end on
    28 February), so the day is found from the rule itself, not by counting back.
    """
    day = add_months(today, -UNDECIDED_MONTHS)
    while not undecided_too_long(day, today):
        day -= timedelta(days=1)
    # The rule is monotone in the opening day: step forward while later days still qualify.
    while undecided_too_long(day + timedelta(days=1), today):
        day += timedelta(days=1)
    return day
