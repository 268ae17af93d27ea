"""The law's day counts: 14 days to attest, 2 days to post the notice, 3 weeks to appeal."""

from datetime import date

import pytest

from caseflow.meetings.deadlines import (
    add_months,
    deadline,
    is_weekday,
    meeting_deadlines,
    undecided_too_long,
)


def test_an_ordinary_meeting():
    # Wednesday 24 November 2021: attest by Wednesday 8 December.
    d = meeting_deadlines(date(2021, 11, 24), date(2021, 11, 30), date(2021, 12, 1))
    assert d.attestation_due == date(2021, 12, 8)
    assert d.notice_due == date(2021, 12, 2)  # two days after Tuesday's justering
    assert d.appeal_ends == date(2021, 12, 22)  # three weeks after Wednesday's notice


def test_nothing_after_attestation_is_due_before_it_happens():
    d = meeting_deadlines(date(2021, 11, 24), None, None)
    assert d.notice_due is None and d.appeal_ends is None


@pytest.mark.parametrize(
    "start, days, expected, why",
    [
        (date(2021, 11, 26), 14, date(2021, 12, 10), "a Friday plus 14 days is a Friday"),
        (date(2021, 11, 27), 14, date(2021, 12, 13), "ends on a Saturday: next Monday"),
        (date(2021, 11, 28), 14, date(2021, 12, 13), "ends on a Sunday: next Monday"),
        (date(2021, 12, 10), 14, date(2021, 12, 27), "ends on julafton (Friday): Monday 27th"),
        (date(2021, 12, 17), 14, date(2022, 1, 3), "ends on nyårsafton: Monday 3 January"),
        (date(2021, 6, 11), 14, date(2021, 6, 28), "ends on midsommarafton 25 June"),
        (date(2021, 12, 15), 21, date(2022, 1, 5), "ends on 5 January, an ordinary Wednesday"),
        (date(2021, 12, 16), 21, date(2022, 1, 7), "ends on trettondedag jul: next weekday"),
        (date(2022, 4, 29), 2, date(2022, 5, 2), "ends on Sunday 1 May: Monday"),
        (date(2021, 5, 11), 2, date(2021, 5, 14), "ends on Kristi himmelsfärd (13 May)"),
        (date(2021, 6, 4), 2, date(2021, 6, 7), "ends on Sunday 6 June (nationaldagen)"),
    ],
)
def test_a_period_ending_on_a_day_off_ends_on_the_next_weekday(start, days, expected, why):
    assert deadline(start, days) == expected, why


@pytest.mark.parametrize(
    "day, weekday",
    [
        (date(2021, 12, 24), False),
        (date(2021, 12, 23), True),
        (date(2021, 6, 25), False),
        (date(2022, 6, 24), False),
        (date(2022, 6, 23), True),
        (date(2021, 4, 2), False),
        (date(2021, 4, 5), False),
        (date(2021, 11, 6), False),
        (date(2021, 11, 8), True),
    ],
)
def test_days_off(day, weekday):
    assert is_weekday(day) is weekday


def test_six_months_without_a_decision_is_flagged():
    assert not undecided_too_long(date(2021, 3, 19), date(2021, 9, 18))
    assert undecided_too_long(date(2021, 3, 19), date(2021, 9, 19))
    assert add_months(date(2021, 8, 31), 6) == date(2022, 2, 28)
    assert add_months(date(2023, 8, 31), 6) == date(2024, 2, 29)
